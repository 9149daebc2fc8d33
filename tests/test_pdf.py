"""The per-unit page, checked from the PDF itself."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import EXAMPLES, WORKBOOK, write_csv
from pdfcheck import pdf_fonts, pdf_pages, pdf_text

from scorecard.cli import cli

ISSUED = ["--issued", "2025-10-20"]


def render(runner, tmp_path, *args):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", *map(str, args), "--out", str(out), *ISSUED])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def bac_ninh(runner, tmp_path):
    out = render(runner, tmp_path, WORKBOOK, "--sheet", "Điểm tháng", "--month", "2025-10",
                 "--unit", "Bắc Ninh", "--data-date", "2025-10-16")
    return out / "2025-10" / "H05_bac-ninh.pdf"


def test_bac_ninh_page_carries_the_real_figures(bac_ninh):
    text = pdf_text(bac_ninh)
    for s in ["Bắc Ninh", "10/2025", "91,52", "19,38/20", "18,75/22", "9,31/10", "8,08/12",
              "1/34", "Xuất sắc", "Tiến độ, kết quả giải quyết", "Quyết định số 766/QĐ-TTg",
              "16/10/2025", "20/10/2025", "Trang 1/1", "số liệu tạm tính",
              "bình quân 34 tỉnh, thành phố"]:
        assert s in text, s
    assert "cả nước" not in text.lower().replace("mặt bằng chung cả nước", "!")
    assert pdf_pages(bac_ninh) == 1


def test_every_font_is_embedded_as_a_subset(bac_ninh):
    fonts = pdf_fonts(bac_ninh)
    assert fonts and all(fonts.values()), fonts
    assert not any("Helvetica" in f for f in fonts)


def test_english_page(runner, tmp_path):
    out = render(runner, tmp_path, WORKBOOK, "--sheet", "Điểm tháng", "--month", "2025-10",
                 "--unit", "H05", "--lang", "en")
    text = pdf_text(out / "2025-10" / "H05_bac-ninh.pdf")
    for s in ["91.52", "19.38/20", "October 2025", "Excellent", "Resolution progress",
              "Decision No. 766/QĐ-TTg", "Page 1/1"]:
        assert s in text, s
    assert "91,52" not in text


def test_november_2023_bulletin_renders_all_ten_figures(runner, tmp_path, bulletin_csv):
    out = render(runner, tmp_path, bulletin_csv)
    pdf = out / "2023-11" / "H22_ha-giang.pdf"
    text = pdf_text(pdf)
    for s in ["7,7/18", "10,8/18", "16,1/20", "14,8/20", "0,9/12", "3,9/12", "2,8/10", "5,6/10",
              "3,5/22", "10,2/22", "Tháng 11/2023", "Cả nước", "chưa có số liệu"]:
        assert s in text, s
    # the missing satisfaction group gives no false total
    assert "/100" not in text
    assert pdf_pages(pdf) == 1


def test_same_input_and_issue_date_give_identical_bytes(runner, tmp_path, bulletin_csv):
    a = render(runner, tmp_path / "a", bulletin_csv) / "2023-11" / "H22_ha-giang.pdf"
    b = render(runner, tmp_path / "b", bulletin_csv) / "2023-11" / "H22_ha-giang.pdf"
    assert a.read_bytes() == b.read_bytes()


def test_longest_real_name_department_fits_on_one_page(runner, tmp_path):
    out = render(runner, tmp_path, WORKBOOK, "--sheet", "Sở Ban", "--month", "2025-10",
                 "--unit", "H01.16", "--data-date", "2025-10-16")
    pdf = out / "2025-10" / "H01.16_ban-quan-ly-khu-kinh-te-phu-quoc-tinh-an-giang.pdf"
    text = pdf_text(pdf)
    assert "Ban Quản lý Khu kinh tế Phú Quốc" in " ".join(text.split())
    assert "- tỉnh An Giang" not in text  # the province is on the office line, not repeated
    assert "bình quân 15 sở, ban, ngành" in " ".join(text.split())
    assert "6/15" in text and "thứ 86 trong tỉnh (theo Cổng DVCQG)" in " ".join(text.split())
    assert "toàn quốc" not in text
    assert pdf_pages(pdf) == 1


def test_longest_narrative_stays_on_one_page(runner, tmp_path):
    """Every clause at once: long name, change across the merger, a missing group, provisional."""
    header = ["MA_COQUAN", "TEN", "LOAI_COQUAN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH",
              "TONG_SCORE"]
    name = "Ban Quản lý các Khu công nghiệp, Khu kinh tế và Khu chế xuất - tỉnh An Giang"
    cur = write_csv(tmp_path / "c_2025-07.csv", header, [
        ["H24.99", name, "2", "17.1", "19.2", "7.3", "8.4", "", "15.5", "88.33"]])
    prev = write_csv(tmp_path / "p_2025-06.csv", header, [
        ["H24.99", name, "2", "16.1", "18.2", "6.3", "7.4", "", "14.5", "83.33"]])
    out = render(runner, tmp_path, cur, "--month", "2025-07", "--history", prev,
                 "--data-date", "2025-07-20")
    pdfs = list((out / "2025-07").glob("H24.99_*.pdf"))
    assert len(pdfs) == 1 and pdf_pages(pdfs[0]) == 1
    assert "tăng 5 điểm" in " ".join(pdf_text(pdfs[0]).split())


def test_markup_in_user_data_is_drawn_literally(runner, tmp_path):
    header = ["MA_COQUAN", "TEN", "LOAI_COQUAN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH"]
    path = write_csv(tmp_path / "x.csv", header,
                     [["H01.99", "Sở <b>Thông tin & Truyền thông</b> <font>", "2", 1, 1, 1, 1,
                       1, 1]])
    out = render(runner, tmp_path, path, "--month", "2025-10", "--office", "UBND <i>tỉnh</i> &")
    text = pdf_text(next((out / "2025-10").glob("H01.99_*.pdf")))
    assert "Sở <b>Thông tin & Truyền thông</b> <font>" in text
    assert "UBND <I>TỈNH</I> &" in text


def test_file_names_are_code_and_ascii_slug(runner, tmp_path):
    out = render(runner, tmp_path, WORKBOOK, "--sheet", "Điểm tháng", "--month", "2025-10",
                 "--unit", "Đắk Lắk", "--unit", "000.00.00.H37")
    assert sorted(p.name for p in (out / "2025-10").glob("*.pdf")) == [
        "H15_dak-lak.pdf", "H37_lang-son.pdf"]


def test_issue_date_defaults_to_today(runner, tmp_path, bulletin_csv):
    out = tmp_path / "o"
    result = runner.invoke(cli, ["render", str(bulletin_csv), "--out", str(out)])
    assert result.exit_code == 0
    today = dt.date.today().strftime("%d/%m/%Y")
    assert today in pdf_text(out / "2023-11" / "H22_ha-giang.pdf")


def test_a_trend_across_the_2025_merger_says_whose_figures_it_continues(runner, tmp_path):
    header = ["TEN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH"]
    july = write_csv(tmp_path / "thang-7.csv", header, [["Hải Phòng", 10, 15, 6, 5, 9, 11]])
    june = write_csv(tmp_path / "bao-cao_2025-06.csv", header,
                     [["Hải Dương", 5, 5, 5, 5, 5, 5], ["Hải Phòng", 9, 14, 6, 5, 8, 8]])
    out = render(runner, tmp_path, july, "--month", "2025-07", "--history", june)
    text = " ".join(pdf_text(out / "2025-07" / "H24_hai-phong.pdf").split())
    # 56 in July against 50 for (old) Hải Phòng in June
    # the note fits its box on two lines: "6/2025: 50 (số liệu trước" / "hợp nhất của Hải Phòng)"
    assert "+6" in text and "6/2025: 50 (số liệu trước" in text
    assert "hợp nhất của Hải Phòng)" in text
    assert "tăng 6 điểm so với tháng 6/2025 (50 điểm, số liệu của Hải Phòng trước hợp nhất)" \
        in text


def test_a_page_too_long_for_one_sheet_flows_onto_a_second(runner, tmp_path):
    """The page is drawn straight on the canvas when it fits; a narrative that does not fit
    (a long user template) still gets every word, over as many pages as it needs."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "narrative.vi.j2").write_text(
        "{% for i in range(400) %}Câu nhận xét số {{ i }} của {{ card.unit.name }}. "
        "{% endfor %}Hết.", "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--unit",
                                 "H05", "--out", str(out), "--templates", str(templates)])
    assert result.exit_code == 0, result.output
    (pdf,) = (out / "2025-10").glob("H05_*.pdf")
    pages = pdf_pages(pdf)
    assert pages >= 2
    flat = " ".join(pdf_text(pdf).split())
    assert "Câu nhận xét số 399 của Bắc Ninh. Hết." in flat
    assert f"Trang {pages}/{pages}" in flat
