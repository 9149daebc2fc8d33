"""A whole month: every PDF, summary.pdf, manifest.csv last; reruns and failures."""

from __future__ import annotations

import csv
import hashlib

import pytest
from conftest import EXAMPLES, WORKBOOK
from pdfcheck import pdf_pages, pdf_text

from scorecard.cli import cli

MONTH = [str(WORKBOOK), "--sheet", "Điểm tháng", "--month", "2025-10", "--issued", "2025-10-20"]


def run(runner, out, *args, jobs="1"):
    return runner.invoke(cli, ["render", *map(str, args), "--out", str(out), "--jobs", jobs])


def manifest(folder):
    with (folder / "manifest.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def month_out(tmp_path_factory):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("month")
    result = run(CliRunner(), out, *MONTH, jobs="2")
    assert result.exit_code == 0, result.output
    return out / "2025-10"


def test_real_month_gives_34_pdfs_a_summary_and_a_true_manifest(month_out):
    rows = manifest(month_out)
    assert list(rows[0]) == ["month", "kind", "level", "code", "name", "file", "sha256",
                             "content_sha256", "bytes", "pages", "total", "rank", "rank_of",
                             "rank_scope", "class"]  # SPEC §4
    units = [r for r in rows if r["kind"] == "unit"]
    assert len(units) == 34 and rows[-1]["file"] == "summary.pdf"
    summary = rows[-1]
    assert (summary["month"], summary["kind"], summary["code"], summary["rank"]) == (
        "2025-10", "summary", "", "")
    assert sorted(p.name for p in month_out.glob("*.pdf")) == sorted(r["file"] for r in rows)
    for r in rows:
        data = (month_out / r["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == r["sha256"]
        assert int(r["bytes"]) == len(data) and int(r["pages"]) == pdf_pages(data)
    bn = next(r for r in units if r["code"] == "H05")
    assert (bn["name"], bn["total"], bn["rank"], bn["rank_of"], bn["rank_scope"],
            bn["class"]) == ("Bắc Ninh", "91.52", "1", "34", "published", "excellent")
    assert len({r["content_sha256"] for r in rows}) == len(rows)
    assert not list(month_out.glob(".*.tmp"))


def test_summary_ranks_every_unit_with_the_peer_row(month_out):
    text = pdf_text(month_out / "summary.pdf")
    assert "TỔNG HỢP CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP" in text
    assert "Tỉnh, thành phố (34)" in text
    assert "Bình quân 34 tỉnh, thành phố" in " ".join(text.split())
    flat = " ".join(text.split())
    assert "1/34 Bắc Ninh 18 19,38 8,08 9,31 18 18,75 91,52" in flat
    assert "34/34 Huế" in flat
    assert pdf_pages(month_out / "summary.pdf") == 1


def test_a_long_summary_repeats_its_header_on_every_page(runner, tmp_path):
    result = run(runner, tmp_path, WORKBOOK, "--sheet", "Xã Phường", "--month", "2025-10",
                 "--lang", "en")
    assert result.exit_code == 0, result.output
    summary = tmp_path / "2025-10" / "summary.pdf"
    pages = pdf_pages(summary)
    assert pages >= 3
    text = pdf_text(summary)
    # no history, so no change column: the class heads every page of the table
    assert "Since last" not in text
    # page 1 holds the communes to watch and the table's start: its header on every page
    assert text.count("Rating") == pages + 1  # and once in the header of the list to watch
    assert "Communes, wards and special zones (102)" in text  # three are đặc khu
    assert f"Page {pages}/{pages}" in text
    # the rank column's cells say of how many ('1/102'), not a mark on every row
    assert "1/102" in text and "*" not in text and "in file" not in text
    assert "nationwide" not in text.lower()


def test_rerun_and_one_job_give_identical_files(runner, tmp_path, month_out):
    result = run(runner, tmp_path, *MONTH, jobs="1")
    assert result.exit_code == 0, result.output
    again = tmp_path / "2025-10"
    for r in manifest(month_out):
        assert (again / r["file"]).read_bytes() == (month_out / r["file"]).read_bytes(), r["file"]
    assert (again / "manifest.csv").read_bytes() == (month_out / "manifest.csv").read_bytes()


def test_final_line_says_how_many_where_and_how_long(runner, tmp_path):
    result = run(runner, tmp_path, EXAMPLES / "2025-10_tinh-thanh.csv")
    assert result.exit_code == 0
    assert result.output.startswith(f"Đã tạo 34 PDF + summary.pdf và manifest.csv trong "
                                    f"{tmp_path / '2025-10'} (")
    assert result.output.rstrip().endswith("giây).")


def test_a_unit_that_fails_fails_the_run_and_no_manifest_remains(runner, tmp_path):
    ok = run(runner, tmp_path, *MONTH)
    assert ok.exit_code == 0 and (tmp_path / "2025-10" / "manifest.csv").exists()
    broken = tmp_path / "tpl"
    broken.mkdir()
    (broken / "narrative.vi.j2").write_text(
        "{% if card.unit.code == 'H31' %}{{ card.no_such_field }}{% endif %}ok")
    for jobs in ("1", "2"):
        result = run(runner, tmp_path, *MONTH, "--templates", broken, jobs=jobs)
        assert result.exit_code == 1
        assert "H31 Hưng Yên" in result.output and "no_such_field" in result.output
        assert not (tmp_path / "2025-10" / "manifest.csv").exists()
        assert not list((tmp_path / "2025-10").glob(".*.tmp"))


def test_rendering_some_units_keeps_the_other_rows_of_the_manifest(runner, tmp_path):
    assert run(runner, tmp_path, *MONTH).exit_code == 0
    before = {r["file"]: r for r in manifest(tmp_path / "2025-10")}
    result = run(runner, tmp_path, *MONTH, "--unit", "H05", "--lang", "en")
    assert result.exit_code == 0, result.output
    after = {r["file"]: r for r in manifest(tmp_path / "2025-10")}
    assert set(after) == set(before)
    assert after["H05_bac-ninh.pdf"]["sha256"] != before["H05_bac-ninh.pdf"]["sha256"]
    assert after["H49_quang-ninh.pdf"] == before["H49_quang-ninh.pdf"]


def test_an_interrupted_run_leaves_no_temp_file_and_no_manifest(tmp_path, monkeypatch):
    """Ctrl-C while a file is being written: the temp file goes, the manifest never comes."""
    import datetime as dt
    import os

    from scorecard import files, load
    from scorecard.batch import render_month
    from scorecard.content.options import PageOptions
    from scorecard.pipeline import Options

    loaded = load(Options(str(EXAMPLES / "2025-10_tinh-thanh.csv")))
    real_replace, calls = os.replace, []

    def interrupted(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real_replace(src, dst)

    (tmp_path / "2025-10").mkdir()
    (tmp_path / "2025-10" / ".H01_an-giang.pdf.killed.tmp").write_bytes(b"%PDF-1.4 half")
    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        render_month(loaded.cards, PageOptions(loaded.index, issued=dt.date(2025, 10, 20)),
                     tmp_path)  # no workers: in this process
    folder = tmp_path / "2025-10"
    assert len(list(folder.glob("*.pdf"))) == 2
    assert not list(folder.glob(".*.tmp"))  # neither this run's nor the killed run's
    assert not (folder / "manifest.csv").exists()


def test_two_units_with_one_file_name_are_refused(runner, tmp_path):
    from conftest import write_csv

    header = ["MA_COQUAN", "TEN", "LOAI_COQUAN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH",
              "month"]
    path = write_csv(tmp_path / "x.csv", header, [
        ["H01.13", "Sở A", "2", 1, 1, 1, 1, 1, 1, "2025-10"],
        ["H01.13", "Sở A", "3", 1, 1, 1, 1, 1, 1, "2025-10"]])
    result = run(runner, tmp_path / "out", path)
    assert result.exit_code == 1
    assert "Lỗi: hai đơn vị sẽ ghi vào cùng một tệp (H01.13_so-a.pdf)" in result.output
