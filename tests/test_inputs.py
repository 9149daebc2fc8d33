"""Every file an office really has (issue 8): office formats, sheet choice, title and footer
rows, the portal's JSON, and each hostile input that once crashed or misled."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLES, SNAPSHOT, WORKBOOK, YEAR_CSV, write_csv

from scorecard.cli import cli
from scorecard.errors import ScorecardError, UnsupportedFormat, ValidationError
from scorecard.index import load_index
from scorecard.period import Period
from scorecard.units import load_registry
from scorecard.validate import validate_file

INDEX, REGISTRY = load_index(), load_registry()
HOSTILE = DATA / "hostile"
OCTOBER = Period("month", 2025, 10)
NATIONAL_JSON = DATA / "service-results_national_2026-09-17.json"
GROUPS = ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH")


def load(path, **kw):
    return validate_file(str(path), INDEX, REGISTRY, **kw)


def figures(month):
    return {r.unit.code: (r.unit.name, r.total, tuple(r.scores[g] for g in GROUPS),
                          r.published_rank) for r in month.rows}


# -- the wrong period ---------------------------------------------------------------------

def test_a_month_is_read_from_the_month_sheet_never_the_year_sheet(runner):
    result = runner.invoke(cli, ["narrate", str(WORKBOOK), "--month", "2025-10", "--unit", "H01"])
    assert result.exit_code == 0, result.output
    assert "Dịch vụ công quốc gia đạt 86,74/100" in result.output  # 87,86: the year to date
    report = runner.invoke(cli, ["validate", str(WORKBOOK), "--month", "2025-10"])
    assert "[Điểm tháng]" in report.output
    assert "Đọc: trang tính 'Điểm tháng' (tên trang ứng với Tháng 10/2025)" in report.output


def test_a_year_chooses_the_year_sheet():
    month = load(WORKBOOK, period=Period("year", 2025))
    assert month.source.endswith("[Điểm năm]")
    assert figures(month)["H01"][1] == Decimal("87.86")


def test_without_a_period_several_score_sheets_are_refused_and_listed():
    with pytest.raises(UnsupportedFormat) as e:
        load(WORKBOOK)
    assert "several sheets hold unit scores (Điểm năm, Điểm tháng, Sở Ban, Xã Phường)" in (
        e.value.text("en"))


def test_a_year_sheet_chosen_for_a_month_is_refused():
    with pytest.raises(UnsupportedFormat) as e:
        load(WORKBOOK, sheet="Điểm năm", period=OCTOBER)
    assert "says its figures are year to date, but the period chosen is October 2025" in (
        e.value.text("en"))


def test_sheet_names_match_like_headers():
    assert load(WORKBOOK, sheet="diem THANG", period=OCTOBER).source.endswith("[Điểm tháng]")
    assert load(WORKBOOK, sheet="so ban", period=OCTOBER).levels()


# -- the same month in every office format --------------------------------------------------

@pytest.mark.parametrize("name", [
    "an-giang_libreoffice.xls",
    "an-giang_libreoffice.ods",
    "an-giang_thang-10_libreoffice_utf8.csv",
    "an-giang_thang-10_libreoffice_cp1258.csv",
    "an-giang_title-and-footer_libreoffice.xlsx",
])
def test_libreoffice_copies_give_the_same_34_units_and_figures(name):
    original = figures(load(WORKBOOK, sheet="Điểm tháng", period=OCTOBER))
    copy = load(DATA / name, period=OCTOBER)
    assert len(copy.rows) == 34
    assert figures(copy) == original
    assert figures(copy)["H01"][1] == Decimal("86.74")


def test_title_rows_and_footers_are_found_and_said():
    month = load(DATA / "an-giang_title-and-footer_libreoffice.xlsx", period=OCTOBER)
    notes = [n.text("en") for n in month.notes]
    assert "the header is row 4" in notes
    assert ("skipped rows that are not units: 40 (Trung bình), 41 (Tổng cộng: 34 tỉnh, thành "
            "phố), 43 (Người lập biểu), 44 (Nguyễn Văn An)") in notes
    assert month.national is None  # a footer 'Trung bình' is never the national figure


def test_tab_separated_text_is_read(tmp_path):
    src = (DATA / "an-giang_thang-10_libreoffice_utf8.csv").read_text("utf-8")
    tsv = tmp_path / "thang-10.txt"
    tsv.write_text("\n".join("\t".join(r) for r in csv.reader(src.splitlines())), "utf-8")
    assert figures(load(tsv, period=OCTOBER)) == figures(load(WORKBOOK, sheet="Điểm tháng",
                                                               period=OCTOBER))


# -- the portal's JSON ---------------------------------------------------------------------

def test_national_service_results_equal_the_transcribed_csv():
    month = load(NATIONAL_JSON, period=Period("year", 2026))
    csv_month = load(YEAR_CSV, period=Period("year", 2026))
    assert len(month.rows) == 34
    assert {c: f[1:3] for c, f in figures(month).items()} == {
        c: f[1:3] for c, f in figures(csv_month).items()}
    nat = month.national
    assert nat is not None and nat.total == Decimal("56.56")
    assert [nat.scores[g] for g in GROUPS] == [Decimal("8.79"), Decimal("15.58"), None, None,
                                                Decimal("10.49"), Decimal("8.6")]
    assert nat.combined == {"ONLINE_SERVICE": Decimal("13.1")}  # CLGQ + TTTT, never split


def test_json_national_figures_render_and_compare_the_combined_group(runner, tmp_path):
    result = runner.invoke(cli, ["narrate", str(NATIONAL_JSON), "--month", "2026", "--unit",
                                 "Đồng Tháp"])
    assert result.exit_code == 0, result.output
    # 8,83 + 6,22 = 15,05 against the portal's 13,1: 1,95 above
    assert ("Cung cấp dịch vụ trực tuyến, gồm Dịch vụ công trực tuyến và Thanh toán trực tuyến,"
            " đạt 15,05/22 điểm, cao hơn 1,95 điểm so với mặt bằng chung cả nước (13,1/22 điểm)"
            ) in result.output
    assert ("Dịch vụ công trực tuyến đạt 8,83/12 điểm và Thanh toán trực tuyến đạt 6,22/10 điểm"
            ", chưa có số liệu để so sánh riêng") in result.output  # no invented peer
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(NATIONAL_JSON), "--month", "2026", "--out",
                                 str(out), "--issued", "2026-09-18", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert len(list((out / "2026").glob("H*.pdf"))) == 34


def test_an_error_in_json_names_its_path(tmp_path):
    doc = json.loads(NATIONAL_JSON.read_text("utf-8"))
    doc["data"]["evaluation"][3]["groupScores"]["CKMB"] = "mười"
    doc["data"]["radar"][0]["score"] = 25
    bad = tmp_path / "service-results.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    with pytest.raises(ValidationError) as e:
        load(bad, period=Period("year", 2026))
    text = e.value.text("en")
    assert f"{bad}, data.evaluation[3].groupScores.CKMB: 'mười' is not a number" in text
    assert f"{bad}, data.radar[0].score: 25 is outside 0–18" in text


def test_a_dossier_tree_given_as_data_is_named():
    with pytest.raises(UnsupportedFormat) as e:
        load(DATA / "phu-tho_2026-08_dvc-progress-tree.json", period=Period("month", 2026, 8))
    assert "dossier trees (dvc-progress-tree), not a score table; use it with --dossiers" in (
        e.value.text("en"))


def test_a_file_name_date_is_not_a_month(runner):
    # …_2026-09-17.json is a capture date of a year-to-date response, not September
    result = runner.invoke(cli, ["validate", str(NATIONAL_JSON)])
    assert result.exit_code == 1
    assert "chưa biết kỳ báo cáo" in result.output


def test_old_api_rows_are_read(tmp_path):
    with YEAR_CSV.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    p = tmp_path / "report_tinh_766_service_2025-10.json"
    p.write_text(json.dumps({"data": rows}, ensure_ascii=False), "utf-8")
    assert len(load(p, period=OCTOBER).rows) == 34


# -- hostile files: one clear message, never a traceback ------------------------------------

@pytest.mark.parametrize("name, words", [
    ("damaged-sheet-xml.xlsx", "cannot read the XLSX workbook"),
    ("number-cell-with-text.xlsx", "cannot read the XLSX workbook"),
    ("declared-range-bomb.xlsx", "spans 1048576 rows × 16384 columns, beyond the limit"),
    ("formula-without-value.xlsx", "formula cells whose value was never saved (N2)"),
    ("password-protected.xlsx", "protected by a password"),
    # python-calamine 0.9 stops on it; 0.3 (setup.cfg's lowest) reads its size and refuses that
    ("reader-aborts.xls", ("the workbook reader stopped: the file is damaged or too large",
                           "spans 103 rows × 62476 columns, beyond the limit")),
    ("utf8-cut-mid-character.csv", "cut off in the middle of a character at its end (line 3)"),
])
def test_damaged_files_get_one_clear_message(runner, name, words):
    result = runner.invoke(cli, ["validate", str(HOSTILE / name), "--month", "2025-10",
                                 "--lang", "en"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {HOSTILE / name}")
    assert any(w in result.output for w in ((words,) if isinstance(words, str) else words))
    assert "Traceback" not in result.output


def test_a_chart_sheet_is_passed_over_and_refused_by_name():
    assert load(HOSTILE / "chart-sheet.xlsx", period=OCTOBER).source.endswith("[Báo cáo 766]")
    with pytest.raises(UnsupportedFormat) as e:
        load(HOSTILE / "chart-sheet.xlsx", period=OCTOBER, sheet="Biểu đồ")
    assert "'Biểu đồ' is a chart, not a table" in e.value.text("en")


def test_a_hidden_sheet_is_never_chosen_silently():
    month = load(HOSTILE / "hidden-first-sheet.xlsx", period=OCTOBER)
    assert month.source.endswith("[Báo cáo 766]")  # the stale hidden copy says H2 = 1
    assert figures(month) == figures(load(SNAPSHOT, period=OCTOBER))


def test_an_xls_named_xlsx_is_read_for_what_it_is(tmp_path):
    renamed = tmp_path / "thang-10.xlsx"
    renamed.write_bytes((DATA / "an-giang_libreoffice.xls").read_bytes())
    assert len(load(renamed, period=OCTOBER).rows) == 34


def test_control_characters_are_shown_escaped(runner):
    result = runner.invoke(cli, ["validate", str(HOSTILE / "terminal-escape.csv"), "--month",
                                 "2025-10"])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert r"'\x1b]0;HACKED\x07\x1b[2J' không phải là số" in result.output


def test_a_wrong_code_page_is_warned_with_its_rows():
    month = load(HOSTILE / "latin1-code-page.csv", period=OCTOBER)
    assert any("row 2: the name 'Ban Qu£n l£ Khu kinh t£' has characters outside Vietnamese (£)"
               in w.text("en") for w in month.warnings)


def test_an_emoji_in_a_name_is_warned(tmp_path):
    p = write_csv(tmp_path / "e.csv", ["MA_COQUAN", "TEN", *GROUPS],
                  [["H01.13", "Sở Tài chính 🎉", 1, 1, 1, 1, 1, 1]])
    month = load(p, period=OCTOBER)
    assert any("(🎉)" in w.text("en") for w in month.warnings)


def test_excel_sep_line_and_a_date_in_the_month_column(tmp_path):
    month = load(HOSTILE / "excel-sep-line.csv")
    assert month.period == OCTOBER  # 2025-10-01 00:00:00 is October
    assert month.rows[0].row == 2  # Excel hides the sep= line: the header is row 1


def test_a_trailing_comma_shifts_nothing():
    month = load(HOSTILE / "trailing-comma.csv", level=None)
    assert [(r.unit.code, r.scores["CKMB"]) for r in month.rows] == [
        ("H01.13", Decimal(18)), ("H01.14", Decimal(17))]


def test_cells_beyond_the_header_are_said_once(tmp_path):
    p = tmp_path / "wide.csv"
    p.write_text("TEN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH\n" + "".join(
        f"Sở {i},1,1,1,1,1,1,9\n" for i in range(5)), "utf-8")
    with pytest.raises(ValidationError) as e:
        load(p, period=OCTOBER, level=None)
    assert len(e.value.problems) == 1
    assert "cells stand right of the header's last column in 5 rows (2, 3, 4, 5, 6)" in (
        e.value.text("en"))


@pytest.mark.parametrize("cell, words", [
    ("x" * 6000, "the name is 6,000 characters long, over the limit of 200"),
])
def test_a_name_too_long_is_refused(tmp_path, cell, words):
    p = write_csv(tmp_path / "l.csv", ["MA_COQUAN", "TEN", *GROUPS],
                  [["H01.13", cell, 1, 1, 1, 1, 1, 1]])
    with pytest.raises(ValidationError) as e:
        load(p, period=OCTOBER)
    assert words in e.value.text("en")


@pytest.mark.parametrize("code", [".", "..", "../../x", "H01/../../etc"])
def test_codes_that_would_make_hidden_or_escaping_files_are_refused(tmp_path, code):
    p = write_csv(tmp_path / "c.csv", ["MA_COQUAN", "TEN", *GROUPS],
                  [[code, "Sở Tài chính", 1, 1, 1, 1, 1, 1]])
    with pytest.raises(ValidationError) as e:
        load(p, period=OCTOBER)
    assert "is not a unit code" in e.value.text("en")


def test_a_rank_of_thousands_of_digits_is_refused(tmp_path):
    p = write_csv(tmp_path / "r.csv", ["TEN", *GROUPS, "ROW_STT"],
                  [["Bắc Ninh", 1, 1, 1, 1, 1, 1, "9" * 5000]])
    with pytest.raises(ValidationError) as e:
        load(p, period=OCTOBER)
    assert "is not a rank" in e.value.text("en")


@pytest.mark.parametrize("total, ok", [
    ("89.025", True),   # 17.005 + 17.005 + 10.005 + 9.005 + 17.005 + 19 exactly
    ("89.04", True),    # off by exactly 0.015: within the tolerance
    ("89.041", False),  # off by 0.016
])
def test_totals_are_compared_as_exact_decimals(tmp_path, total, ok):
    p = write_csv(tmp_path / "t.csv", ["TEN", *GROUPS, "TONG_SCORE"],
                  [["Bắc Ninh", "17.005", "17.005", "10.005", "9.005", "17.005", "19", total]])
    if ok:
        row = load(p, period=OCTOBER).rows[0]
        assert row.scores["CKMB"] == Decimal("17.01")  # printed to 2 decimals, half up
    else:
        with pytest.raises(ValidationError) as e:
            load(p, period=OCTOBER)
        assert "differs from the sum of the six groups (89.025) by 0.016" in e.value.text("en")


def test_numbers_in_vietnamese_messages_use_the_decimal_comma(tmp_path):
    p = write_csv(tmp_path / "t.csv", ["TEN", *GROUPS, "TONG_SCORE"],
                  [["Bắc Ninh", "18", "17", "10", "9", "17", "19", "91"]])
    with pytest.raises(ValidationError) as e:
        load(p, period=OCTOBER)
    assert "tổng điểm 91 lệch 1 so với" in str(e.value)


def test_a_conflicting_month_column_is_said_once(tmp_path, runner):
    rows = [[f"Sở {i}", 1, 1, 1, 1, 1, 1, "2025-09"] for i in range(34)]
    p = write_csv(tmp_path / "m.csv", ["TEN", *GROUPS, "month"], rows)
    result = runner.invoke(cli, ["validate", str(p), "--month", "2025-10", "--level",
                                 "department"])
    assert result.exit_code == 1
    assert result.output.count("2025-09") == 1
    assert "kỳ 2025-09 ở 34 dòng (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …)" in result.output


def test_a_quarterly_history_for_a_month_is_refused(runner, tmp_path):
    quarter = tmp_path / "quy-3.csv"
    text = (EXAMPLES / "2025-09_tinh-thanh.csv").read_text("utf-8-sig")
    quarter.write_text(text.replace("2025-09", "2025-Q3"), "utf-8")
    assert "2025-Q3" in quarter.read_text("utf-8")
    result = runner.invoke(cli, ["narrate", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--unit",
                                 "H05", "--history", str(quarter), "--lang", "en"])
    assert result.exit_code == 1
    assert "is not of the same kind as October 2025" in result.output


def test_unit_from_the_environment_keeps_its_spaces(runner):
    result = runner.invoke(cli, ["narrate", str(EXAMPLES / "2025-10_tinh-thanh.csv")],
                           env={"SCORECARD_UNIT": "Bắc Ninh;An Giang"})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Trong tháng 10/2025, Chỉ số phục vụ người dân, doanh "
                                    "nghiệp của tỉnh Bắc Ninh")
    assert "tỉnh An Giang trên Cổng Dịch vụ công quốc gia đạt" in result.output


def test_data_date_as_a_clerk_writes_it(runner, tmp_path):
    ok = runner.invoke(cli, ["render", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--unit", "H05",
                             "--data-date", "16/10/2025", "--out", str(tmp_path)])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(cli, ["render", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--unit", "H05",
                              "--data-date", "16-10-2025", "--out", str(tmp_path)])
    assert bad.exit_code == 2
    assert "không phải là ngày" in bad.output


# -- render-side robustness ----------------------------------------------------------------

def test_a_unit_named_summary_never_overwrites_the_summary(runner, tmp_path):
    p = write_csv(tmp_path / "s.csv", ["TEN", *GROUPS, "month"], [
        ["Summary", 1, 1, 1, 1, 1, 1, "2025-10"], ["Sở Y tế", 2, 2, 2, 2, 2, 2, "2025-10"]])
    result = runner.invoke(cli, ["render", str(p), "--level", "department", "--out",
                                 str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    with (tmp_path / "out/2025-10/manifest.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    files = [r["file"] for r in rows]
    assert len(files) == len(set(files)) == 3
    assert "summary.pdf" in files and "unit_summary.pdf" in files


def test_a_formula_in_a_name_stays_text_in_the_manifest(runner, tmp_path):
    p = write_csv(tmp_path / "f.csv", ["MA_COQUAN", "TEN", *GROUPS, "month"], [
        ["H01.13", "=HYPERLINK(\"http://x\",\"Sở\")", 1, 1, 1, 1, 1, 1, "2025-10"]])
    result = runner.invoke(cli, ["render", str(p), "--out", str(tmp_path / "out"), "--jobs", "1",
                                 "--level", "department"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out/2025-10/manifest.csv").read_text("utf-8")
    assert ',"\'=HYPERLINK' in text


def test_an_unwritable_out_folder_is_a_clear_error(runner, tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be")
    result = runner.invoke(cli, ["render", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--out",
                                 str(blocker / "sub"), "--unit", "H05"])
    assert result.exit_code == 1
    assert result.output.startswith("Lỗi: không ghi được")
    assert "Traceback" not in result.output


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root ignores permissions")
def test_a_read_only_out_folder_is_a_clear_error(runner, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    result = runner.invoke(cli, ["render", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--out",
                                 str(ro), "--unit", "H05"])
    assert result.exit_code == 1 and "không ghi được" in result.output


def test_a_200_character_name_wraps_on_the_page_and_in_the_summary(runner, tmp_path):
    name = "Ban Quản lý các dự án đầu tư xây dựng công trình dân dụng và công nghiệp " * 3
    name = name[:200]
    p = write_csv(tmp_path / "n.csv", ["MA_COQUAN", "TEN", *GROUPS, "month"], [
        ["H01.13", name, 1, 1, 1, 1, 1, 1, "2025-10"], ["H01.14", "Sở Y tế", 2, 2, 2, 2, 2, 2,
                                                        "2025-10"]])
    result = runner.invoke(cli, ["render", str(p), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    pdfs = sorted((tmp_path / "out/2025-10").glob("H01.13_*.pdf"))
    assert len(pdfs) == 1 and len(pdfs[0].name) < 100


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the workers")
def test_workers_die_with_a_killed_parent(tmp_path):
    rows = [[f"H01.{i}", f"UBND xã Số {i}", 1, 1, 1, 1, 1, 1, "2025-10"] for i in range(100, 700)]
    p = write_csv(tmp_path / "x.csv", ["MA_COQUAN", "TEN", *GROUPS, "month"], rows)
    proc = subprocess.Popen([sys.executable, "-m", "scorecard", "render", str(p), "--out",
                             str(tmp_path / "out"), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(children) < 2:
        time.sleep(0.2)
        children = _children(proc.pid)
    assert children, "no workers started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(c) for c in children):
        time.sleep(0.2)
    assert not any(_alive(c) for c in children)


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_every_failure_is_a_scorecard_error_not_a_crash(tmp_path):
    for f in sorted(HOSTILE.glob("*.*")):
        if f.suffix == ".py":
            continue
        with contextlib.suppress(ScorecardError):  # anything else fails the test
            load(f, period=OCTOBER, level=None)


def test_a_unit_whose_name_begins_like_a_footer_word_is_kept(tmp_path):
    """Footers are matched without accents: 'Cộng' (a total) must not take 'Công an tỉnh'."""
    p = write_csv(tmp_path / "d.csv", ["MA_COQUAN", "TEN", *GROUPS], [
        ["H01.30", "Công an tỉnh", 1, 1, 1, 1, 1, 1],
        ["H01.31", "Sở Tài chính", 2, 2, 2, 2, 2, 2],
        ["", "Cộng: 2 đơn vị", "", "", "", "", "", ""],
        ["", "Trung bình", 1.5, 1.5, 1.5, 1.5, 1.5, 1.5]])
    month = load(p, period=OCTOBER, level=None)
    assert [r.unit.name for r in month.rows] == ["Công an tỉnh", "Sở Tài chính"]
    assert "skipped rows that are not units: 4 (Cộng: 2 đơn vị), 5 (Trung bình)" in [
        n.text("en") for n in month.notes]
