"""The summary as the clerk who signs it reads it (issue 17, shared/REGISTER.md §4): the units
to watch each with total, class, rank and why they are listed; without an earlier period it
says so (never '0 tăng · 0 giảm · 102 không so sánh được'), with no empty change column; the
rank column never says 'trong tệp'. On the real An Giang workbook's 102 communes and 15
departments, with and without a September file built from them."""

from __future__ import annotations

import csv

from conftest import WORKBOOK
from pdfcheck import pdf_text

from scorecard.cli import cli
from scorecard.content.options import PageOptions
from scorecard.content.summary import summary_page
from scorecard.period import Period
from scorecard.pipeline import Options, load


def summary(sheet: str, history: tuple[str, ...] = (), lang: str = "vi"):
    lo = load(Options(str(WORKBOOK), sheet=sheet, period=Period.parse("2025-10"),
                      history=history))
    return summary_page(lo.everyone, PageOptions(lo.index, lang=lang))


def september(tmp_path):
    """The communes' October figures as September's, but UBND xã An Minh 1,5 points higher
    (Công khai 5,87 instead of 4,37) and UBND xã Đông Thái 1 point lower (Số hóa 19,75)."""
    import pandas as pd

    df = pd.read_excel(WORKBOOK, sheet_name="Xã Phường", engine="openpyxl")
    df = df[["MA_COQUAN", "TEN", "LOAI_COQUAN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH",
             "TONG_SCORE"]].copy()
    df["month"] = "2025-09"
    for code, col, by in (("H01.188", "CKMB", 1.5), ("H01.187", "MDSH", -1)):
        i = df.index[df["MA_COQUAN"].eq(code)][0]
        df.loc[i, col] += by
        df.loc[i, "TONG_SCORE"] += by
    path = tmp_path / "xa-phuong_2025-09.csv"
    df.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
    return str(path)


def test_each_unit_to_watch_with_total_class_rank_and_why():
    (block,) = summary("Xã Phường").watch
    assert block.title == "Xã, phường, đặc khu (102)"
    assert block.head == ("Hạng", "Đơn vị", "Tổng điểm", "Xếp loại", "Lý do cần lưu ý")
    assert len(block.rows) == 10  # data/findings.toml: communes = 10
    # REGISTER §3: An Minh, the lowest of the 102, last in Công khai, minh bạch (4,37/18,
    # mean 17,56) and in Dịch vụ công trực tuyến (4,7/12, mean 8,03)
    assert block.rows[0] == ("102/102", "UBND xã An Minh", "73,59", "Khá",
                             "Thấp nhất ở các nhóm chỉ số Công khai, minh bạch và Dịch vụ công "
                             "trực tuyến (cùng xếp thứ 102/102), thấp hơn bình quân lần lượt "
                             "13,19 và 3,33 điểm")
    # Thanh tra: 0/18 and 0/22 in the sheet, said as scores (clerk's review 2, item 6)
    (depts,) = summary("Sở Ban").watch
    assert depts.rows[0] == ("15/15", "Thanh tra tỉnh An Giang", "30,21", "Yếu",
                             "Các nhóm chỉ số Công khai, minh bạch và Số hóa hồ sơ đạt 0 điểm")


def test_without_an_earlier_period_it_says_so_and_has_no_change_column(runner, tmp_path):
    (block,) = summary("Xã Phường").watch
    assert block.moves == "Chưa có số liệu kỳ trước để so sánh."
    assert block.lead == ("Các đơn vị cần lưu ý là 10 đơn vị có tổng điểm thấp nhất trong 102 "
                          "xã, phường, đặc khu:")
    out = tmp_path / "out"
    done = runner.invoke(cli, ["render", str(WORKBOOK), "--sheet", "Xã Phường", "--month",
                               "2025-10", "--out", str(out), "--jobs", "1"])
    assert done.exit_code == 0, done.output
    text = pdf_text(out / "2025-10" / "summary.pdf")
    flat = " ".join(text.split())
    assert "0 tăng" not in flat and "không so sánh được" not in flat and "·" not in flat.split(
        "Ngày lập")[0]
    assert "So với kỳ trước" not in flat  # no empty change column, here or in the ranking
    assert "Chưa có số liệu kỳ trước để so sánh." in flat
    # the list and the ranking share the first page: it is no longer two-thirds empty
    first = text.split("Trang 1/")[0]
    assert "UBND xã An Minh" in first and "Bình quân 102 xã, phường, đặc khu" in first
    en = summary("Xã Phường", lang="en").watch[0]
    assert en.moves == "There is no earlier period to compare with."


def test_with_an_earlier_period_the_moves_and_the_falls_come_first(tmp_path):
    (block,) = summary("Xã Phường", (september(tmp_path),)).watch
    assert block.moves == ("So với tháng 9/2025, trong 102 xã, phường, đặc khu có 1 đơn vị "
                           "tăng điểm, 1 đơn vị giảm điểm và 100 đơn vị không thay đổi.")
    assert block.head[4] == "So với kỳ trước"
    # 75,09 in September, 73,59 now: a fall of 1,5 (≥ 0,5), listed first with its reason
    assert block.rows[0] == ("102/102", "UBND xã An Minh", "73,59", "Khá", "\u22121,5",
                             "Giảm 1,5 điểm so với tháng 9/2025")
    assert block.improvers == "Các đơn vị cải thiện nổi bật: UBND xã Đông Thái tăng 1 điểm."


def test_never_trong_tep_in_any_output(runner, tmp_path):
    """The rank column says 'Hạng' (its cells say of how many: '14/15') or 'Hạng (Cổng
    DVCQG)'; validate says what the units are compared with without 'trong tệp' either."""
    for sheet in ("Điểm tháng", "Sở Ban"):
        for lang, never in (("vi", "trong tệp"), ("en", "in file")):
            out = tmp_path / lang / sheet
            done = runner.invoke(cli, ["render", str(WORKBOOK), "--sheet", sheet, "--month",
                                       "2025-10", "--out", str(out), "--jobs", "1", "--lang",
                                       lang])
            assert done.exit_code == 0, done.output
            for pdf in (out / "2025-10").glob("*.pdf"):
                assert never not in " ".join(pdf_text(pdf).split()), pdf
    head = summary("Sở Ban").sections[0].head
    assert head[0] == "Hạng"
    said = runner.invoke(cli, ["validate", str(WORKBOOK), "--sheet", "Sở Ban", "--month",
                               "2025-10"])
    assert said.exit_code == 0, said.output
    assert "trong tệp" not in said.output
    assert "So sánh với (Sở, ban, ngành): bình quân các sở, ban, ngành có số liệu" in said.output
