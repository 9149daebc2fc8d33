"""Workbooks as offices and programs save them (issue 15, items 8, 9 and 15)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import SNAPSHOT

from scorecard.cli import cli
from scorecard.loaders import MAX_UNPACKED, read_book

SHEET = "xl/worksheets/sheet1.xml"


def validate(runner, path: Path, *extra: str):
    return runner.invoke(cli, ["validate", str(path), "--month", "2025-10", "--lang", "en",
                               *extra])


def rezip(source: Path, target: Path, change) -> Path:
    """The workbook with its one sheet's XML changed (a test's way to make a file as another
    program writes it)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.namelist():
            data = src.read(item)
            z.writestr(item, change(data) if item == SHEET else data)
    return target


@pytest.fixture
def generated(tmp_path) -> Path:
    """The real snapshot with Bắc Ninh's MDSH (J2) and total (N2) as formulas, saved by a
    program that never calculates (openpyxl writes `<f>…</f><v></v>`)."""
    wb = openpyxl.load_workbook(SNAPSHOT)
    ws = wb.active
    ws["J2"] = "=20.73"
    ws["N2"] = "=SUM(H2:M2)"
    path = tmp_path / "generated.xlsx"
    wb.save(path)
    return path


# -- item 8: a formula cell with no saved value --------------------------------------------

def test_a_formula_never_calculated_is_refused_by_sheet_and_cell(runner, generated):
    result = validate(runner, generated)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {generated}: sheet 'Báo cáo 766' has formula cells whose value was never "
        "saved (J2, N2); open the file in Excel or LibreOffice and save it again\n")


def test_the_other_empty_form_and_a_missing_value_are_refused_too(runner, generated, tmp_path):
    short = rezip(generated, tmp_path / "short.xlsx", lambda d: d.replace(b"<v></v>", b"<v/>"))
    assert b"<v/>" in zipfile.ZipFile(short).read(SHEET)
    none = rezip(generated, tmp_path / "none.xlsx", lambda d: d.replace(b"<v></v>", b""))
    for path in (short, none):
        result = validate(runner, path)
        assert result.exit_code == 1
        assert "has formula cells whose value was never saved (J2, N2)" in result.output


def test_a_formula_whose_result_is_an_empty_string_is_a_blank(runner, generated, tmp_path):
    """Excel and LibreOffice save `=IF(…;"";…)` giving "" as t="str" with an empty value:
    calculated, and blank, so the group is not reported — never refused."""
    path = rezip(generated, tmp_path / "str.xlsx", lambda d: d.replace(
        b'<c r="J2"', b'<c t="str" r="J2"', 1).replace(
        b'<c r="N2"><f>SUM(H2:M2)</f><v></v>', b'<c r="N2"><f>SUM(H2:M2)</f><v>70.91</v>', 1))
    result = validate(runner, path)
    assert result.exit_code == 0, result.output
    book = read_book(path)
    assert book.grids[0].rows[1][9] in ("", None)  # J2: blank, as calculated
    assert book.grids[0].rows[1][13] == 70.91



# -- item 15: a zip bomb ----------------------------------------------------------------------

def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_it_is_read(runner, tmp_path):
    """60 MB of one byte packs into a few dozen KB: refused by the sizes the zip declares,
    before any part is inflated, and the message says the limit."""
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(SNAPSHOT) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.namelist():
            z.writestr(item, src.read(item))
        z.writestr("xl/media/padding.bin", b"\0" * (60 * 2**20))
    assert bomb.stat().st_size < 200_000
    result = validate(runner, bomb)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {bomb}: the workbook unpacks to more than 50 MB, beyond the limit (a national "
        "month is a few MB); the file may be damaged or hold more than the scores: copy the "
        "table to a new file\n")
    vi = runner.invoke(cli, ["validate", str(bomb), "--month", "2025-10"])
    assert "sổ tính giải nén ra hơn 50 MB, quá giới hạn" in vi.output


def test_the_whole_country_s_communes_fit_far_inside_the_limit(tmp_path):
    """3,300 communes with every column the portal gives unpack to a few MB."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["ID", "TEN", "TEN_COQUAN", "MA_COQUAN", "LOAI_COQUAN", "CAPDONVIID",
               "ID_COQUAN", "TDGQ", "MDHL", "MDSH", "TTTT", "CLGQ", "CKMB", "TONG_SCORE",
               "ROW_STT"])
    for i in range(3300):
        ws.append([str(400000 + i), f"UBND xã Thái Hòa Đông {i}", f"UBND xã Thái Hòa Đông {i} - "
                   "tỉnh An Giang", f"000.{i % 100:02d}.{i // 100:02d}.H01", "3", "3",
                   str(400000 + i), 18.99, 17.86, 20.73, 10, 8.42, 15.64, 91.64, i + 1])
    path = tmp_path / "communes.xlsx"
    wb.save(path)
    unpacked = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    assert unpacked * 10 < MAX_UNPACKED
    assert len(read_book(path).grids[0].rows) == 3301


# -- item 9: the usual Vietnamese two-row header ----------------------------------------------

GROUPS = ["Công khai, minh bạch", "Tiến độ, kết quả giải quyết", "Dịch vụ công trực tuyến",
          "Thanh toán trực tuyến", "Mức độ hài lòng", "Số hóa hồ sơ"]


def provinces() -> list[dict[str, str]]:
    import csv

    from conftest import EXAMPLES

    with (EXAMPLES / "2025-10_tinh-thanh.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def two_row_header_book(path: Path) -> Path:
    """A provincial office's sheet: a title, STT and 'Tên đơn vị' merged down two rows, the
    groups on the second row under a band 'Điểm các chỉ số thành phần', total and rank merged
    down, the 34 provinces from row 5, a footer."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tháng 10"
    ws["A1"] = "BẢNG TỔNG HỢP CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP THÁNG 10/2025"
    ws.merge_cells("A1:J1")
    for col, text in (("A", "STT"), ("B", "Tên đơn vị"), ("I", "Tổng điểm"), ("J", "Xếp hạng")):
        ws[f"{col}2"] = text
        ws.merge_cells(f"{col}2:{col}3")
    ws["C2"] = "Điểm các chỉ số thành phần"
    ws.merge_cells("C2:H2")
    for i, group in enumerate(GROUPS):
        ws.cell(row=3, column=3 + i, value=group)
    for n, p in enumerate(provinces(), start=1):
        ws.append([n, p["TEN"], *(float(p[c]) for c in ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL",
                                                        "MDSH", "TONG_SCORE")), int(p["ROW_STT"])])
    ws.append([None, "Người lập biểu"])
    wb.save(path)
    return path


def test_the_two_row_merged_header_is_read(runner, tmp_path):
    path = two_row_header_book(tmp_path / "thang-10.xlsx")
    result = runner.invoke(cli, ["validate", str(path), "--month", "2025-10"])
    assert result.exit_code == 0, result.output
    assert "Tỉnh, thành phố: 34\n" in result.output
    assert "Đọc: tiêu đề cột ở dòng 2 và 3 (ô gộp)\n" in result.output
    assert "Đọc: bỏ qua các dòng không phải đơn vị: 38 (Người lập biểu)\n" in result.output
    narrated = runner.invoke(cli, ["narrate", str(path), "--month", "2025-10", "--unit", "H05"])
    from_csv = runner.invoke(cli, ["narrate", "examples/2025-10_tinh-thanh.csv", "--unit", "H05"])
    assert narrated.exit_code == 0, narrated.output
    assert narrated.output == from_csv.output  # the same figures, rank and class


def test_a_problem_under_a_two_row_header_names_the_group_and_the_row(runner, tmp_path):
    path = two_row_header_book(tmp_path / "thang-10.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active["E7"] = "tám"  # the fourth province's online services, Excel's row 7
    wb.save(path)
    result = runner.invoke(cli, ["validate", str(path), "--month", "2025-10"])
    assert result.exit_code == 1
    assert (f"{path} [Tháng 10], dòng 7, cột 'Dịch vụ công trực tuyến': 'tám' không phải là "
            "số") in result.output


def test_the_same_header_saved_as_csv_is_read(runner, tmp_path):
    rows = ["STT,Tên đơn vị,Điểm các chỉ số thành phần,,,,,,Tổng điểm,Xếp hạng",
            ",," + ",".join(f'"{g}"' for g in GROUPS) + ",,"]
    for n, p in enumerate(provinces(), start=1):
        rows.append(",".join([str(n), p["TEN"], p["CKMB"], p["TDGQ"], p["CLGQ"], p["TTTT"],
                              p["MDHL"], p["MDSH"], p["TONG_SCORE"], p["ROW_STT"]]))
    path = tmp_path / "thang-10.csv"
    path.write_text("\n".join(rows) + "\n", "utf-8")
    result = runner.invoke(cli, ["validate", str(path), "--month", "2025-10"])
    assert result.exit_code == 0, result.output
    assert "Đọc: tiêu đề cột ở dòng 1 và 2 (ô gộp)\n" in result.output
