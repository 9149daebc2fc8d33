"""The unit page as the clerk who signs it reads it (issue 17, shared/REGISTER.md §1–3, §5,
§7b): the title names the unit as the paragraph does, the period line is a sentence a clerk
prints, the footer names the portal as the source and the Decision as the method, no bare '—'
where there is no earlier period, and each group said once in the findings box. On the real
An Giang workbook (its 34 provinces, 15 departments and 102 communes) and the example month."""

from __future__ import annotations

import datetime as dt
from functools import cache
from itertools import combinations

import pytest
from conftest import EXAMPLES, WORKBOOK
from pdfcheck import pdf_text

from scorecard.cli import cli
from scorecard.period import Period
from scorecard.pipeline import Options, load

MONTH = EXAMPLES / "2025-10_tinh-thanh.csv"
SHEETS = {"provinces": "Điểm tháng", "departments": "Sở Ban", "communes": "Xã Phường"}
SOURCE = ("Nguồn: Cổng Dịch vụ công quốc gia; phương pháp theo Quyết định số "
          "766/QĐ-TTg.")


@cache
def loaded(which: str):
    """A sheet of the workbook as a final month (the export of 16 October is provisional
    unless a data date is given: its own test is below)."""
    return load(Options(str(WORKBOOK), sheet=SHEETS[which], period=Period.parse("2025-10"),
                        data_date=dt.date(2025, 10, 31)))


def page(which: str, code: str, lang: str = "vi"):
    from scorecard.content.options import PageOptions
    from scorecard.content.page import unit_page

    lo = loaded(which)
    (card,) = [c for c in lo.everyone if c.unit.code == code]
    return unit_page(card, PageOptions(lo.index, lang=lang))


def render(runner, tmp_path, data, *args):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(data), "--month", "2025-10", *map(str, args),
                                 "--out", str(out), "--jobs", "1", "--issued", "2025-10-20",
                                 "--data-date", "2025-10-16"])
    assert result.exit_code == 0, result.output
    return out / "2025-10"


@pytest.mark.parametrize("which, code, title", [
    ("provinces", "H01", "Tỉnh An Giang"),
    ("provinces", "H57", "Thành phố Huế"),
    ("departments", "H01.02", "Sở Tài chính tỉnh An Giang"),
    ("departments", "H01.08", "Thanh tra tỉnh An Giang"),  # the province said once
    ("communes", "H01.188", "UBND xã An Minh, tỉnh An Giang"),
])
def test_the_title_names_the_unit_as_the_paragraph_does(which, code, title):
    assert page(which, code).unit == title


def test_the_period_line_is_a_sentence_without_code_or_dots(runner, tmp_path):
    out = render(runner, tmp_path, WORKBOOK, "--sheet", "Điểm tháng", "--unit", "H01",
                 "--office", "Văn phòng UBND tỉnh An Giang")
    lines = [x.strip() for x in pdf_text(out / "H01_an-giang.pdf").splitlines()]
    at = lines.index("Tỉnh An Giang")
    assert lines[at + 1] == "Tháng 10/2025 (số liệu tạm tính đến ngày 16/10/2025)"
    assert not any("H01" in line for line in lines)  # the portal's code means nothing here
    # the only middle dot left is the footer's, between the issue date and the page
    text = "\n".join(lines)
    assert text.count("·") == 1 and "Ngày lập: 20/10/2025 · Trang 1/1" in text
    # said under the title and in the footer: not a third time at the paragraph's end
    assert " ".join(text.split()).count("tạm tính đến ngày 16/10/2025") == 2
    # a month whose data are final says the month alone
    assert page("provinces", "H01").period_line == "Tháng 10/2025"


def test_the_footer_names_the_portal_as_source_on_every_pdf(runner, tmp_path):
    out = render(runner, tmp_path, WORKBOOK, "--sheet", "Sở Ban")
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 16  # 15 departments and the summary
    for pdf in pdfs:
        text = pdf_text(pdf)
        assert SOURCE in text, pdf.name
        assert "Số liệu tạm tính đến ngày 16/10/2025." in text, pdf.name
        assert "Nguồn: Quyết định" not in text


def test_no_bare_dash_where_there_is_no_earlier_period(runner, tmp_path):
    out = render(runner, tmp_path, WORKBOOK, "--sheet", "Xã Phường", "--unit", "H01.188")
    text = pdf_text(next(out.glob("H01.188_*.pdf")))
    head = text.split("Nhóm chỉ số")[0]
    assert "So với kỳ trước" in head and "chưa có số liệu kỳ trước" in head
    assert "—" not in head
    en = page("communes", "H01.188", "en").headline
    assert en.delta is None and en.delta_text == "no earlier period to compare with"


def whole(line: str) -> bool:
    """A finding said of every group it holds: the weakest groups, a band (under 50%, from
    50% to 70%), the lowest rank — even a group another of them names."""
    return any(w in line for w in ("xếp thứ", "% điểm tối đa", "tỷ lệ thấp nhất", "đạt 0 điểm"))


def named_once(lines: list[str], names: list[str]) -> bool:
    """Any other finding names only groups none has named."""
    said = [{g for g in names if g in line} for line in lines if not whole(line)]
    named = {g for line in lines if whole(line) for g in names if g in line}
    return all(not a & b for a, b in combinations(said, 2)) and not any(a & named for a in said)


def test_each_group_is_named_once_in_the_findings_box_of_every_unit():
    """Huế (34/34) named Tiến độ, kết quả giải quyết three times: its rank, its share of the
    maximum and its gap. Over every unit of the real month, no group in two bullets (and so
    none with the same figure twice) — but a band and the lowest rank, which name all their
    groups (tests/test_rank_ties.py, tests/test_page_box.py), even one the other names."""
    for which in SHEETS:
        lo = loaded(which)
        names = [g.name("vi") for g in lo.index.groups]
        for card in lo.everyone:
            box = page(which, card.unit.code).findings
            assert named_once(list(box), names), (card.unit.name, box)
            assert len(box) <= 4
            for line in box:  # nothing the paragraph above has just said
                assert not any(w in line for w in ("tỷ lệ thấp nhất", "tỷ lệ cao nhất",
                                                   "đạt điểm tối đa", "dư địa lớn nhất")), line


def test_the_last_placed_province_s_box_says_where_it_stands_once():
    # Huế: Tiến độ 13,99/20 = 69,95%, 34/34 and 3,55 below 17,54; Hài lòng 34/34 too;
    # Số hóa 14,97/22 = 68,05%: where Tiến độ stands in one bullet, and the band names both
    # groups in it (it said Số hóa alone: clerk's review 2, item 5)
    box = page("provinces", "H57").findings
    assert box == (
        "Các nhóm chỉ số Tiến độ, kết quả giải quyết và Mức độ hài lòng cùng xếp thứ 34/34, "
        "thấp nhất trong 34 tỉnh, thành phố; Tiến độ, kết quả giải quyết thấp hơn bình quân "
        "(17,54/20 điểm) nhiều nhất: 3,55 điểm.",
        "Các nhóm chỉ số Tiến độ, kết quả giải quyết (69,95%) và Số hóa hồ sơ (68,05%) đạt từ "
        "50% đến dưới 70% điểm tối đa.")
    # Thanh tra tỉnh (0/18 and 0/22): the paragraph says the groups that scored 0 ('đạt 0
    # điểm, còn có thể tăng thêm 40 điểm'); the box the others under half
    thanh_tra = page("departments", "H01.08")
    assert "Số hóa hồ sơ đạt 0 điểm, còn có thể tăng thêm 40 điểm" in thanh_tra.narrative
    assert not any("0 điểm" in line for line in thanh_tra.findings)
    assert thanh_tra.findings == (
        "Các nhóm chỉ số Tiến độ, kết quả giải quyết (15,8%) và Dịch vụ công trực tuyến "
        "(33,33%) đạt dưới 50% điểm tối đa.",
        "Các nhóm chỉ số Công khai, minh bạch; Tiến độ, kết quả giải quyết; Dịch vụ công trực "
        "tuyến; Mức độ hài lòng và Số hóa hồ sơ cùng xếp thứ 15/15, thấp nhất trong 15 sở, ban, "
        "ngành.")  # all five at 15/15 (clerk's review A.6), the two above under half too


def test_the_findings_list_names_each_group_once_for_every_unit():
    """narrate --findings (and the web page) list every finding, not just the box's four:
    still each group in one line only, over every unit of the real month (but the weakest,
    a band and the lowest rank, which name all their groups)."""
    from scorecard.findings import Rules, said_once, unit_findings
    from scorecard.narrative import finding_text

    for which in SHEETS:
        lo = loaded(which)
        names = [g.name("vi") for g in lo.index.groups]
        for card in lo.everyone:
            lines = [finding_text(f, card, Rules(), "vi")
                     for f in said_once(unit_findings(card, lo.everyone, Rules(), lo.index))]
            assert named_once(lines, names), (card.unit.name, lines)


def test_narrate_findings_names_each_group_once(runner):
    result = runner.invoke(cli, ["narrate", str(WORKBOOK), "--sheet", "Điểm tháng", "--month",
                                 "2025-10", "--unit", "Huế", "--findings"])
    assert result.exit_code == 0, result.output
    lines = [x for x in result.output.splitlines() if x.startswith("- ")]
    # where it stands, once; its share of the maximum in its band (69,95%)
    tien_do = [x for x in lines if "Tiến độ, kết quả giải quyết" in x]
    assert len(tien_do) == 2 and "34/34" in tien_do[0] and "(69,95%)" in tien_do[1], lines
    assert sum("34/34" in x or "3,55" in x for x in lines) == 1, lines


def test_the_english_page_in_one_date_style_with_its_english_issuer(runner, tmp_path):
    """REGISTER §5: months were '9/2025', 'September 2025' and '2025-10-16' on one page; the
    issuer stayed 'VĂN PHÒNG UBND TỈNH AN GIANG'; 'Mean of 34' said not of what."""
    import re

    office = ("--office", "Văn phòng UBND tỉnh An Giang", "--office-en",
              "Office of the An Giang Provincial People's Committee")
    out = render(runner, tmp_path, MONTH, "--history", EXAMPLES / "2025-09_tinh-thanh.csv",
                 "--unit", "H01", "--lang", "en", *office)
    text = " ".join(pdf_text(out / "H01_an-giang.pdf").split())
    assert text.startswith("OFFICE OF THE AN GIANG PROVINCIAL PEOPLE'S COMMITTEE PUBLIC SERVICE")
    assert "An Giang Province October 2025 (provisional figures as of 16 October 2025)" in text
    assert "Mean of 34 provinces: 85.54" in text  # the headline's peer, said of what
    assert "Sep 2025: 82.08" in text and "ranked 13th of 34, rated Good;" in text
    assert "Provisional figures as of 16 October 2025." in text  # the footer's line
    assert "Figures are provisional" not in text  # the paragraph's close: said twice above
    assert not re.search(r"\d{4}-\d{2}-\d{2}|(?<![\d.])\d{1,2}/\d{4}", text), text
    assert "VĂN PHÒNG" not in text and "still to win" not in text.lower()
    # the group table's peer column keeps to its column: two lines, not one over '% of max'
    assert page("provinces", "H01", "en").head[3] == "Mean of 34\nprovinces"
    # without --office-en an English page keeps the name it was given; Vietnamese ignores it
    plain = render(runner, tmp_path / "vi", MONTH, "--unit", "H01", *office)
    assert pdf_text(plain / "H01_an-giang.pdf").startswith("VĂN PHÒNG UBND TỈNH AN GIANG")


def test_the_english_summary_names_its_peer_row_on_one_line(runner, tmp_path):
    out = render(runner, tmp_path, MONTH, "--lang", "en")
    text = pdf_text(out / "summary.pdf")
    assert "Mean of 34 provinces" in text and "The mean of the 34" not in text


def test_a_group_under_half_its_maximum_closes_the_paragraph_firmly():
    """REGISTER §3: UBND xã An Minh's weakest group, Công khai, minh bạch 4,37/18 = 24,28%,
    under the alert level of 50%: 'cần tập trung khắc phục ngay', not the weak 'dư địa cải
    thiện lớn nhất trong thời gian tới' of a group at 67%."""
    from scorecard.narrative import render_narrative

    lo = loaded("communes")
    (card,) = [c for c in lo.everyone if c.unit.code == "H01.188"]
    text = render_narrative(card, lo.index).unescape()
    assert text.endswith("nhóm chỉ số Công khai, minh bạch đạt tỷ lệ thấp nhất so với điểm tối "
                         "đa (24,28%, dưới mức 50%), còn có thể tăng thêm 13,63 điểm, cần tập "
                         "trung khắc phục ngay.")
    en = render_narrative(card, lo.index, "en").unescape()
    assert en.endswith("with 13.63 points to gain, to be addressed first.")
    (bac_ninh,) = [c for c in loaded("provinces").everyone if c.unit.code == "H05"]
    assert "khắc phục" not in render_narrative(bac_ninh, loaded("provinces").index).unescape()


def test_a_long_box_beside_the_dossiers_stays_on_one_page_with_legible_bars(runner, tmp_path):
    """Huế's four findings, two of them two lines long, beside a dossier block (An Giang's
    example figures under Huế's code): the page keeps to one page by lowering the charts
    3 mm and leaving out the last finding, not by squeezing the bars until their labels
    touch (they did at 40 mm)."""
    from pdfcheck import pdf_pages

    with open(EXAMPLES / "2025-10_ho-so-an-giang.csv", encoding="utf-8") as f:
        head, row = f.read().splitlines()[:2]
    dossiers = tmp_path / "ho-so-hue.csv"
    dossiers.write_text(f"{head}\n{row.replace('H01,UBND tỉnh An Giang,', 'H57,Huế,')}\n",
                        "utf-8")
    out = render(runner, tmp_path, WORKBOOK, "--sheet", "Điểm tháng", "--unit", "H57",
                 "--dossiers", dossiers)
    pdf = out / "H57_hue.pdf"
    assert pdf_pages(pdf) == 1
    flat = " ".join(pdf_text(pdf).split())
    box = flat.split("Điểm cần lưu ý")[1].split("Hồ sơ và các chỉ tiêu")[0]
    # its tie at 34/34 is one finding now (it was two): two findings, the last left out
    assert box.count("•") == 2 and box.startswith(" • Các nhóm chỉ số Tiến độ, kết quả giải quyết")
    assert "Tổng số hồ sơ tiếp nhận: 52.418 hồ sơ." in flat


def test_a_group_s_rank_finding_says_of_how_many_groups_not_of_the_unit():
    """'thấp nhất trong các nhóm chỉ số của đơn vị': 'đơn vị' is software's word (REGISTER
    §7b); the finding says how many groups were ranked."""
    box = page("provinces", "H01").findings
    assert ("Nhóm chỉ số Số hóa hồ sơ có thứ hạng thấp nhất trong 6 nhóm chỉ số, xếp thứ 23/34 "
            "tỉnh, thành phố.") in box
    for which in SHEETS:
        for card in loaded(which).everyone:
            assert not any("của đơn vị" in f for f in page(which, card.unit.code).findings)


def test_a_portal_export_is_dated_by_the_day_in_its_name_and_a_date_after_issue_is_said(
        runner, tmp_path):
    """REGISTER §6 p.1: the 16 October export rendered on the 20th printed 'Số liệu đến ngày
    31/10/2025' with no 'tạm tính'. Its name's day is its data date, as `import` reads it;
    --data-date still wins; and a data date after the issue date is said (a copy of the
    workbook without the day in its name)."""
    import shutil

    def page(data, out, *more):
        r = runner.invoke(cli, ["render", str(data), "--sheet", "Sở Ban", "--month", "2025-10",
                                "--issued", "2025-10-20", "--jobs", "1", "--out", str(out),
                                *more])
        assert r.exit_code == 0, r.output
        text = " ".join(pdf_text(next((out / "2025-10").glob("H01.08_*.pdf"))).split())
        return text, r.output

    text, said = page(WORKBOOK, tmp_path / "named")
    assert "Tháng 10/2025 (số liệu tạm tính đến ngày 16/10/2025)" in text
    assert "31/10/2025" not in text and "Lưu ý" not in said
    text, _ = page(WORKBOOK, tmp_path / "given", "--data-date", "2025-10-18")
    assert "tạm tính đến ngày 18/10/2025" in text
    plain = tmp_path / "an-giang.xlsx"
    shutil.copy(WORKBOOK, plain)
    text, said = page(plain, tmp_path / "plain")
    assert "Số liệu đến ngày 31/10/2025" in text
    assert ("Lưu ý: số liệu ghi đến ngày 31/10/2025, sau ngày lập 20/10/2025; nếu tệp được tải "
            "từ Cổng trong kỳ, hãy cho --data-date là ngày tải") in said
