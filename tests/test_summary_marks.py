"""The summary of issue 11: the office's own unit marked, changes across the 2025 merger
marked, 'không so sánh được' as on the page, and a province's units to watch first."""

from __future__ import annotations

import datetime as dt

from conftest import EXAMPLES, WORKBOOK, write_csv
from pdfcheck import pdf_text

from scorecard.cli import cli
from scorecard.content.options import PageOptions
from scorecard.content.summary import default_highlight, summary_page
from scorecard.period import Period
from scorecard.pipeline import Options, load


def summary(cards, loaded, **kw):
    opts = PageOptions(loaded.index, "vi", issued=dt.date(2025, 10, 20), **kw)
    return summary_page(cards, opts)


def test_the_office_s_own_unit_is_marked():
    loaded = load(Options(str(EXAMPLES / "2025-10_tinh-thanh.csv")))
    assert default_highlight("Văn phòng UBND tỉnh An Giang", loaded.cards) == "H01"
    assert default_highlight("Sở Nội vụ tỉnh Bắc Ninh", loaded.cards) == "H05"
    assert default_highlight("Văn phòng Chính phủ", loaded.cards) is None
    page = summary(loaded.cards, loaded, office="Văn phòng UBND tỉnh An Giang")
    marked = [r.name for r in page.sections[0].rows if r.highlight]
    assert marked == ["An Giang"]
    page = summary(loaded.cards, loaded, office="Văn phòng UBND tỉnh An Giang",
                   highlight="H05")
    assert [r.name for r in page.sections[0].rows if r.highlight] == ["Bắc Ninh"]


def test_a_change_across_the_merger_is_marked_and_explained(runner, tmp_path):
    header = ["MA_COQUAN", "TEN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH", "month"]
    june = write_csv(tmp_path / "bao-cao_2025-06.csv", header, [
        ["H24", "Hải Phòng", 9, 10, 6, 5, 9, 11, "2025-06"]])
    july = write_csv(tmp_path / "bao-cao_2025-07.csv", header, [
        ["H24", "Hải Phòng", 10, 11, 7, 6, 10, 12, "2025-07"],
        ["H26", "Hà Nội", 12, 12, 7, 6, 10, 12, ""]])
    result = runner.invoke(cli, ["render", str(july), "--history", str(june), "--out",
                                 str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    flat = " ".join(pdf_text(tmp_path / "out" / "2025-07" / "summary.pdf").split())
    assert "56 Trung bình +6 †" in flat  # 56 in July against old Hải Phòng's 50 in June
    assert "† So với số liệu trước hợp nhất (trước 01/07/2025) của đơn vị tiền thân." in flat
    assert "Hà Nội 12 12 7 6 10 12 59" in flat


def test_not_comparable_is_said_as_on_the_page(tmp_path):
    header = ["TEN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH"]
    sep = write_csv(tmp_path / "t_2025-09.csv", header, [["Bắc Ninh", 9, 10, 6, 5, "", 11]])
    oct_ = write_csv(tmp_path / "t.csv", header, [["Bắc Ninh", 10, 11, 7, 6, 10, 12]])
    loaded = load(Options(str(oct_), period=Period("month", 2025, 10), history=(str(sep),)))
    (row,) = summary(loaded.cards, loaded).sections[0].rows
    assert row.change == "không so sánh được"  # satisfaction was not reported in September


def test_a_province_s_communes_open_with_the_units_to_watch(runner, tmp_path):
    result = runner.invoke(cli, ["render", str(WORKBOOK), "--sheet", "Xã Phường", "--month",
                                 "2025-10", "--out", str(tmp_path / "out"), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "out" / "2025-10" / "summary.pdf")
    first = " ".join(text.split("Trang 1/")[0].split())
    assert "Đơn vị cần lưu ý" in first
    assert "Chưa có số liệu kỳ trước để so sánh." in first and "0 tăng" not in first
    # no history: the ten lowest totals, lowest first (a hand check of the first two)
    loaded = load(Options(str(WORKBOOK), sheet="Xã Phường", period=Period("month", 2025, 10)))
    lowest = sorted(loaded.cards, key=lambda c: c.total)[:2]
    assert [c.unit.formal for c in lowest] == ["UBND xã An Minh", "UBND xã Vĩnh Trạch"]
    # An Minh is last of the 102 in Công khai (4,37; mean 17,56) and Dịch vụ công (4,7; 8,03)
    assert ("102/102 UBND xã An Minh 73,59 Khá Thấp nhất ở các nhóm chỉ số Công khai, minh bạch "
            "và Dịch vụ công trực tuyến (cùng xếp thứ 102/102), thấp hơn bình quân lần lượt "
            "13,19 và 3,33 điểm 101/102 UBND xã Vĩnh Trạch 79,05 Khá") in first


def test_the_units_to_watch_follow_the_office_s_own_rules(runner, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text("[level]\nalert_below = 50\nnotice_below = 70\n[change]\ndrop = 0.5\n"
                     "declines = 3\n[watch]\ndepartments = 3\ncommunes = 2\nimprovers = 2\n",
                     "utf-8")
    result = runner.invoke(cli, ["render", str(WORKBOOK), "--sheet", "Xã Phường", "--month",
                                 "2025-10", "--out", str(tmp_path / "out"), "--jobs", "1",
                                 "--findings-rules", str(rules)])
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "out" / "2025-10" / "summary.pdf")
    first = " ".join(text.split("Trang 1/")[0].split())
    # the two lowest totals (as in the test above), then the ranking: no third
    watch = first.split("Đơn vị cần lưu ý")[1].split("Công khai (18)")[0]
    assert "là 2 đơn vị có tổng điểm thấp nhất trong 102 xã, phường, đặc khu:" in watch
    assert [n for n in ("An Minh", "Vĩnh Trạch", "Phú Quốc") if n in watch] == [
        "An Minh", "Vĩnh Trạch"], first[:600]
