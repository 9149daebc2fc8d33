"""Validation: real files pass with the right counts; every kind of bad input fails clearly."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from conftest import EXAMPLES, SNAPSHOT, WORKBOOK, YEAR_CSV, write_csv

from scorecard import load_index, load_registry, validate_file
from scorecard.cli import cli
from scorecard.model import Level
from scorecard.period import Period

GROUPS = ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH"]
OCT = Period("month", 2025, 10)


def load(path, **kw):
    return validate_file(str(path), load_index(), load_registry(), **kw)


@pytest.mark.parametrize(
    "path, sheet, period, level, count",
    [
        (WORKBOOK, "Điểm năm", "2025", Level.PROVINCE, 34),
        (WORKBOOK, "Điểm tháng", "2025-10", Level.PROVINCE, 34),
        (WORKBOOK, "Sở Ban", "2025-10", Level.DEPARTMENT, 15),
        (WORKBOOK, "Xã Phường", "2025-10", Level.COMMUNE, 102),
        (SNAPSHOT, None, "2025-10", Level.PROVINCE, 34),
        (YEAR_CSV, None, "2026", Level.PROVINCE, 34),
    ],
)
def test_real_exports_validate_with_the_right_counts(runner, path, sheet, period, level, count):
    args = ["validate", str(path), "--month", period] + (["--sheet", sheet] if sheet else [])
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    data = load(path, sheet=sheet, period=Period.parse(period))
    assert data.levels() == {level: count}


def test_real_month_numbers_are_read_exactly():
    data = load(WORKBOOK, sheet="Điểm tháng", period=OCT)
    bn = next(r for r in data.rows if r.unit.code == "H05")
    assert bn.unit.name == "Bắc Ninh"
    assert [bn.scores[g] for g in GROUPS] == [Decimal(x) for x in
                                              ("18", "19.38", "8.08", "9.31", "18", "18.75")]
    assert bn.total == Decimal("91.52") and bn.published_rank == 1
    ls = next(r for r in data.rows if r.unit.name == "Lạng Sơn")
    assert ls.unit.code == "H37"  # 000.00.00.H37 in this sheet


def _messy_copy(tmp_path):
    """The real October month as a careless office might save it."""
    data = load(WORKBOOK, sheet="Điểm tháng", period=OCT)
    header = ["Tổng điểm", "Số hoá hồ sơ", "mức độ hài lòng", "Tên cơ quan",
              "THANH_TOAN_TRUC_TUYEN", "Dịch vụ công trực tuyến", "Tiến độ, kết quả giải quyết",
              "Mã cơ quan", "Cong khai minh bach", "Tháng"]
    rows = []
    for r in reversed(data.rows):
        name = "ubnd tỉnh  " + r.unit.name.replace("Hòa", "Hoà")
        name = unicodedata.normalize("NFD", name)
        code = "000.00.00." + r.unit.code if r.unit.code == "H37" else r.unit.code.lower()
        s = {g: str(r.scores[g]).replace(".", ",") for g in GROUPS}
        rows.append([str(r.total).replace(".", ","), s["MDSH"], s["MDHL"], name, s["TTTT"],
                     s["CLGQ"], s["TDGQ"], code, s["CKMB"], "10/2025"])
    path = tmp_path / "messy.csv"
    write_csv(path, header, rows, sep=";", encoding="utf-8-sig")
    return data, path


def test_a_messy_copy_gives_the_same_units_and_numbers(tmp_path, runner):
    clean, path = _messy_copy(tmp_path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = runner.invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    messy = load(path)
    assert messy.period == OCT

    def table(d):
        return {r.unit.code: (r.unit.name, dict(r.scores), r.total) for r in d.rows}

    assert table(messy) == table(clean)
    assert len(messy.rows) == 34


HEADER = ["TEN", *GROUPS, "TONG_SCORE"]
GOOD = ["Bắc Ninh", "18", "19.38", "8.08", "9.31", "18", "18.75", "91.52"]


def bad(tmp_path, rows, header=HEADER):
    return write_csv(tmp_path / "thang.csv", header, rows)


@pytest.mark.parametrize(
    "header, rows, expected",
    [
        (HEADER, [["Bắc Ninh", "18", "mười", *GOOD[3:]]],
         "row 2, column 'TDGQ': 'mười' is not a number"),
        (HEADER, [["Bắc Ninh", "18.5", *GOOD[2:]]],
         "row 2, column 'CKMB': 18.5 is outside 0–18, the maximum of this column"),
        (HEADER, [["Bắc Ninh", "-1", *GOOD[2:]]],
         "row 2, column 'CKMB': -1 is outside 0–18"),
        (HEADER, [["Bắc Ninh", *GOOD[1:7], "92.52"]],
         "row 2, column 'TONG_SCORE': the total 92.52 differs from the sum of the six groups "
         "(91.52) by 1.00"),
        (HEADER, [GOOD, ["UBND tỉnh Bắc Ninh", *GOOD[1:]]],
         "row 3, column 'TEN': Bắc Ninh appears twice (rows 2 and 3)"),
        (HEADER, [["Bắc Ninhh Xyz", *GOOD[1:]]],
         "row 2, column 'TEN': 'Bắc Ninhh Xyz' is not a province in force in October 2025; "
         "did you mean 'Bắc Ninh'?"),
        (HEADER, [["Hải Dương", *GOOD[1:]]],
         "row 2, column 'TEN': Hải Dương merged into Hải Phòng on 2025-07-01: use Hải Phòng "
         "(H24) for October 2025"),
    ],
)
def test_bad_input_is_rejected_with_file_row_and_column(tmp_path, runner, header, rows,
                                                         expected):
    path = bad(tmp_path, rows, header)
    result = runner.invoke(cli, ["validate", str(path), "--month", "2025-10", "--lang", "en"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: 1 problem found:\n")
    assert f"{path}, {expected}" in result.output
    assert "Traceback" not in result.output


def test_a_misspelled_header_is_named_with_what_was_found(tmp_path, runner):
    path = bad(tmp_path, [GOOD[:7]], ["TEN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDHS"])
    result = runner.invoke(cli, ["validate", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: 2 problems found:\n"
        f"  - {path}, row 1 (header): missing column(s) 'Số hóa hồ sơ' (MDSH). Found columns: "
        f"TEN, CKMB, TDGQ, CLGQ, TTTT, MDHL, MDHS\n"
        f"  - {path}, row 1 (header): 'MDHS' looks like 'MDSH': correct the header\n")


@pytest.mark.parametrize(
    "rows, expected",
    [
        ([["Bắc Ninh", "18", "mười", *GOOD[3:]]],
         "dòng 2, cột 'TDGQ': 'mười' không phải là số (viết ví dụ 7,7 hoặc 7.7; để trống nếu "
         "chưa có số liệu)"),
        ([["Bắc Ninh", "18.5", *GOOD[2:]]],
         "dòng 2, cột 'CKMB': 18,5 nằm ngoài khoảng 0–18, điểm tối đa của cột này"),
        ([["Bắc Ninh", *GOOD[1:7], "92.52"]],
         "dòng 2, cột 'TONG_SCORE': tổng điểm 92,52 lệch 1,00 so với tổng sáu chỉ số (91,52)"),
        ([GOOD, ["UBND tỉnh Bắc Ninh", *GOOD[1:]]],
         "dòng 3, cột 'TEN': Bắc Ninh xuất hiện hai lần (dòng 2 và 3); mỗi đơn vị chỉ một dòng"),
        ([["Hải Dương", *GOOD[1:]]],
         "dòng 2, cột 'TEN': Hải Dương đã hợp nhất vào Hải Phòng từ 01/07/2025: hãy dùng Hải "
         "Phòng (H24) cho Tháng 10/2025"),
    ],
)
def test_messages_are_in_vietnamese_by_default(tmp_path, runner, rows, expected):
    path = bad(tmp_path, rows)
    result = runner.invoke(cli, ["validate", str(path), "--month", "2025-10"])
    assert result.exit_code == 1
    assert result.output.startswith("Lỗi: Có 1 lỗi:\n")
    assert f"{path}, {expected}" in result.output


def test_every_problem_is_reported_at_once(tmp_path, runner):
    path = bad(tmp_path, [
        ["Bắc Ninh", "x", *GOOD[2:]],
        ["Hà Nội", "18", "19.38", "8.08", "9.31", "18", "23", ""],
        ["Nowhere", *GOOD[1:]],
    ])
    result = runner.invoke(cli, ["validate", str(path), "--month", "2025-10", "--lang", "en"])
    assert result.exit_code == 1
    assert "3 problems found" in result.output
    assert "row 2, column 'CKMB'" in result.output
    assert "row 3, column 'MDSH': 23 is outside 0–22" in result.output
    assert "row 4, column 'TEN': 'Nowhere' is not a province" in result.output


@pytest.mark.parametrize(
    "month_cells, option, expected",
    [
        (["2025-13"], [], "row 2, column 'month': '2025-13' is not a period"),
        (["2025-10"], ["--month", "2025-09"],
         "m.csv: period 2025-10 in 1 rows (2) differs from 2025-09 given by --month"),
        ([""], [], "the period is not known; give --month YYYY-MM"),
    ],
)
def test_wrong_or_malformed_month(tmp_path, runner, month_cells, option, expected):
    path = write_csv(tmp_path / "m.csv", [*HEADER, "month"], [[*GOOD, month_cells[0]]])
    result = runner.invoke(cli, ["validate", str(path), *option, "--lang", "en"])
    assert result.exit_code == 1
    assert expected in result.output


def test_malformed_month_option_is_a_usage_error(tmp_path, runner):
    path = bad(tmp_path, [GOOD])
    result = runner.invoke(cli, ["validate", str(path), "--month", "10-2025", "--lang", "en"])
    assert result.exit_code == 2
    assert "'10-2025' is not a period" in result.output


def test_empty_and_unreadable_files(tmp_path, runner):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = runner.invoke(cli, ["validate", str(empty), "--month", "2025-10"])
    assert result.exit_code == 1 and result.output == f"Lỗi: {empty}: tệp trống\n"
    header_only = write_csv(tmp_path / "h.csv", HEADER, [])
    result = runner.invoke(cli, ["validate", str(header_only), "--month", "2025-10", "--lang",
                                 "en"])
    assert result.exit_code == 1 and "no unit rows found under the header" in result.output


def test_blank_group_is_not_reported_not_zero(tmp_path):
    path = bad(tmp_path, [["Bắc Ninh", "18", "19.38", "8.08", "9.31", "", "18.75", ""]])
    row = load(path, period=OCT).rows[0]
    assert row.scores["MDHL"] is None
    assert row.total is None  # never a false total from a missing group


def test_decimal_commas_and_thousand_marks():
    from scorecard.validate import parse_number, shown

    assert parse_number("7,7") == Decimal("7.7")
    assert parse_number(" 10,80 ") == Decimal("10.80")
    assert parse_number("1.234,5") == Decimal("1234.5")
    assert shown(parse_number(18.749999999)) == Decimal("18.75")  # an XLSX float, 2 decimals
    assert parse_number("") is None
    with pytest.raises(ValueError):
        parse_number("7,7 điểm")


def test_published_rank_that_disagrees_with_totals_is_a_warning(tmp_path, runner):
    path = write_csv(tmp_path / "r.csv", [*HEADER, "ROW_STT"], [
        [*GOOD, "2"],
        ["Hà Nội", "18", "19", "8", "9", "18", "18", "90", "1"],
    ])
    result = runner.invoke(cli, ["validate", str(path), "--month", "2025-10"])
    assert result.exit_code == 0
    assert "Cảnh báo:" in result.output
    assert "dòng 2: hạng công bố 2 của Bắc Ninh (91,52) đứng sau hạng 1 của Hà Nội" in result.output


def test_example_month_validates(runner):
    result = runner.invoke(cli, ["validate", str(EXAMPLES / "2025-10_tinh-thanh.csv")])
    assert result.exit_code == 0
    assert "Kỳ: Tháng 10/2025 (2025-10)" in result.output
    assert "Tỉnh, thành phố: 34" in result.output


def test_repeated_headers_use_the_first_column(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["TEN", "TEN", *GROUPS])
    wb.active.append(["Bắc Ninh", "ignored", 18, 19.38, 8.08, 9.31, 18, 18.75])
    wb.save(tmp_path / "dup.xlsx")
    data = load(tmp_path / "dup.xlsx", period=OCT)
    assert data.rows[0].unit.name == "Bắc Ninh" and data.rows[0].total == Decimal("91.52")
