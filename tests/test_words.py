"""The words of the paragraph and the findings as the clerk who signs the bulletin reads them
(issue 17, shared/REGISTER.md §7a–7b): groups on one side of the peer said compactly, 'nhóm
chỉ số' throughout, 'trong thời gian tới', one fact per finding, full sentences, 'bình quân'
for the mean and the standing as 'cao hơn 21/34 tỉnh, thành phố', the lowest rank in a group
and the largest gap below the peer, and 'đạt 0/18 điểm' for a group that scored nothing. On the
example month's 34 provinces and the real An Giang workbook's 15 departments and 102
communes."""

from __future__ import annotations

import re
from functools import cache
from itertools import combinations

import pytest
from conftest import EXAMPLES, WORKBOOK

from scorecard.findings import Rules, unit_findings
from scorecard.narrative import render_narrative
from scorecard.period import Period
from scorecard.pipeline import Options, load

MONTH = EXAMPLES / "2025-10_tinh-thanh.csv"
SHEETS = {"provinces": (str(MONTH), None), "departments": (str(WORKBOOK), "Sở Ban"),
          "communes": (str(WORKBOOK), "Xã Phường")}


@cache
def loaded(which: str):
    data, sheet = SHEETS[which]
    return load(Options(data, sheet=sheet, period=Period.parse("2025-10"),
                        history=(str(EXAMPLES / "2025-09_tinh-thanh.csv"),)
                        if which == "provinces" else ()))


def page(which: str, code: str):
    from scorecard.content.options import PageOptions
    from scorecard.content.page import unit_page

    lo = loaded(which)
    (card,) = [c for c in lo.everyone if c.unit.code == code]
    return unit_page(card, PageOptions(lo.index))


def paragraph(which: str, code: str) -> str:
    lo = loaded(which)
    (card,) = [c for c in lo.everyone if c.unit.code == code]
    return render_narrative(card, lo.index).unescape()


def findings(which: str, code: str) -> list[str]:
    from scorecard.narrative import finding_text

    lo = loaded(which)
    (card,) = [c for c in lo.everyone if c.unit.code == code]
    return [finding_text(f, card, Rules(), "vi")
            for f in unit_findings(card, lo.everyone, Rules(), lo.index)]


EVERY = [(w, c.unit.code) for w in SHEETS for c in loaded(w).everyone]
# a figure, not a maximum ('/18') nor a count of units ('bình quân 34 tỉnh, thành phố')
FIGURE = re.compile(r"(?<![/\d,])\d+(?:[.,]\d+)*(?![\d.,]| (?:tỉnh|sở|xã))")


def test_the_groups_above_the_peer_are_said_compactly():
    # REGISTER.md §7a, row 2: the reviewer's wording for An Giang, figures from the file
    assert ("Có 5/6 nhóm chỉ số cao hơn bình quân 34 tỉnh, thành phố: Công khai, minh bạch "
            "18/18 điểm (bình quân 17,44; +0,56); Tiến độ, kết quả giải quyết 18,2/20 (17,54; "
            "+0,66); Dịch vụ công trực tuyến 8,09/12 (7,93; +0,16); Thanh toán trực tuyến "
            "8,59/10 (8,28; +0,31); Mức độ hài lòng 18/18 (17,73; +0,27). Riêng nhóm chỉ số Số "
            "hóa hồ sơ đạt 15,86/22 điểm, thấp hơn bình quân 0,76 điểm (16,62/22 điểm).") in \
        paragraph("provinces", "H01")


@pytest.mark.parametrize("which, code", EVERY[::7])
def test_the_register_s_words_everywhere(which, code):
    text = paragraph(which, code)
    assert text.startswith("Trong tháng 10/2025, Chỉ số phục vụ người dân, doanh nghiệp của ")
    assert "chỉ số thành phần" not in text and "trong kỳ tới" not in text
    assert not re.search(r"(?<![Nn]hóm )\b[Cc]hỉ số (?!phục vụ)", text), text  # 'nhóm chỉ số'
    assert text.count("cao hơn") + text.count("thấp hơn") <= 3  # not once per group
    assert "toàn quốc" not in text and "trong tệp" not in text
    assert not nested(text)


def test_the_room_left_is_for_the_months_ahead():
    assert "cần tập trung cải thiện trong thời gian tới." in paragraph("provinces", "H01")
    # Bắc Ninh: the weakest group is the one with most left, said once, without 'Đây là'
    assert paragraph("provinces", "H05").endswith(
        "nhóm chỉ số Dịch vụ công trực tuyến đạt tỷ lệ thấp nhất so với điểm tối đa (67,33%, "
        "dưới mức 70%), còn có thể tăng thêm 3,92 điểm, là dư địa cải thiện lớn nhất trong "
        "thời gian tới.")


def test_a_group_that_scored_nothing_is_said_so():
    """Thanh tra tỉnh An Giang: Công khai 0/18 against a mean of 14,43, Số hóa 0/22 against
    13,15 — real scores of 0, said as scores: 'chưa có điểm' read as 'not reported yet', which
    a missing group is (clerk's review 2, item 6)."""
    text = paragraph("departments", "H01.08")
    assert "Công khai, minh bạch 0/18 điểm (bình quân 14,43; −14,43)" in text
    assert "Số hóa hồ sơ 0/22 (13,15; −13,15)" in text
    assert "thấp hơn 14,43 điểm so với 14,43" not in text and "chưa có điểm" not in text
    said = findings("departments", "H01.08")
    assert ("Các nhóm chỉ số Công khai, minh bạch và Số hóa hồ sơ đạt 0 điểm, còn có thể "
            "tăng thêm 40 điểm.") in said  # 18 + 22
    assert not any("chưa có điểm" in line for line in said)


@pytest.mark.parametrize("which, code", EVERY)
def test_one_fact_per_finding_each_a_sentence(which, code):
    lines = findings(which, code)
    names = [g.name("vi") for g in loaded(which).index.groups]
    for line in lines:
        assert line[0].isupper() and line.endswith("."), line
        assert "trong tệp" not in line and "trung bình" not in line.lower(), line
        assert "phân vị" not in line and "cao hơn 0%" not in line, line
        assert not nested(line), line
    said = [{(g, n) for g in names if g in line for n in FIGURE.findall(line)} for line in lines]
    for a, b in combinations(said, 2):
        assert not a & b, (a & b, lines)


@pytest.mark.parametrize("which, code", EVERY)
def test_no_two_findings_on_a_page_name_the_same_group_with_the_same_figure(which, code):
    box = page(which, code).findings
    names = [g.name("vi") for g in loaded(which).index.groups]
    said = [{(g, n) for g in names if g in line for n in FIGURE.findall(line)} for line in box]
    assert all(not a & b for a, b in combinations(said, 2)), box
    assert len(box) == min(4, len(box))


def test_the_last_placed_unit_s_page_tells_its_story():
    """Huế, 34/34: Tiến độ, kết quả giải quyết 13,99/20 against 17,54 (−3,55), 34th of 34, and
    Mức độ hài lòng 34th too (the page's table) — the weakest by share of the maximum, Dịch
    vụ công trực tuyến (67%), is above the mean and hid them."""
    box = page("provinces", "H57").findings
    assert ("Các nhóm chỉ số Tiến độ, kết quả giải quyết và Mức độ hài lòng cùng xếp thứ 34/34, "
            "thấp nhất trong 34 tỉnh, thành phố; Tiến độ, kết quả giải quyết thấp hơn bình quân "
            "(17,54/20 điểm) nhiều nhất: 3,55 điểm.") in box


@pytest.mark.parametrize("code, standing", [
    ("H01", "Tổng điểm cao hơn 21/34 tỉnh, thành phố;"),  # 13th of 34, no tie: 21 below it
    ("H57", "Tổng điểm thấp nhất trong 34 tỉnh, thành phố;"),
    ("H05", "Tổng điểm cao nhất trong 34 tỉnh, thành phố;"),
])
def test_the_standing_is_said_among_the_34(code, standing):
    (line,) = [f for f in findings("provinces", code) if f.startswith("Tổng điểm c")
               or f.startswith("Tổng điểm t")][-1:]
    assert line.startswith(standing), line


def test_the_weakest_group_s_band_is_said_with_it_not_again():
    """An Giang: Dịch vụ công trực tuyến 8,09/12 = 67,42%, the weakest and the only group
    from 50% to 70%: bullets 1 and 2 of the old box said it twice."""
    said = findings("provinces", "H01")
    assert ("Nhóm chỉ số Dịch vụ công trực tuyến đạt tỷ lệ thấp nhất so với điểm tối đa "
            "(67,42%, dưới mức 70%), còn có thể tăng thêm 3,91 điểm.") in said
    assert not any("đạt từ 50% đến dưới 70%" in f for f in said)


def test_english_ranks_and_rates():
    lo = loaded("provinces")
    (card,) = [c for c in lo.everyone if c.unit.code == "H01"]
    text = render_narrative(card, lo.index, "en").unescape()
    assert "An Giang Province scored 86.74/100, ranked 13th of 34, rated Good;" in text


def nested(text: str) -> bool:
    """True when a parenthesis opens inside another."""
    depth = 0
    for ch in text:
        depth += ch == "("
        if depth > 1:
            return True
        depth -= ch == ")"
    return False


def test_a_count_in_a_message_is_grouped_as_the_language_groups_figures(runner, tmp_path):
    """'Đã tạo 3872 PDF' read as a code; vi-VN writes 3.872, English 3,872. A row number is
    not a quantity and stays as Excel shows it."""
    from scorecard.language import Language
    from scorecard.messages import msg

    assert msg("import_new", file="f.csv", period="Tháng 10/2025", n=3872, date="16/10/2025",
               provisional="").text(Language.VI) == (
        "Đã lưu f.csv: Tháng 10/2025, 3.872 đơn vị, số liệu ngày 16/10/2025")
    assert msg("mail_dry", n=1200, folder="eml").text(Language.EN).startswith(
        "Wrote messages for 1,200 recipients")
    assert msg("at_row", file="f.csv", row=12345).text(Language.VI) == "f.csv, dòng 12345"
    month = tmp_path / "so-ban_2025-10.csv"
    month.write_text("MA_COQUAN,TEN,LOAI_COQUAN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH\n" + "".join(
        f"S{i:04d},Sở thứ {i},2,9,10,6,5,9,11\n" for i in range(1001)), encoding="utf-8")
    from scorecard.cli import cli

    done = runner.invoke(cli, ["render", str(month), "--month", "2025-10", "--out",
                               str(tmp_path / "out"), "--jobs", "2", "--issued", "2025-10-20"])
    assert done.exit_code == 0, done.output
    assert "Đã tạo 1.001 PDF + summary.pdf và manifest.csv" in done.output
