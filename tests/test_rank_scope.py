"""Issue 16 part 1: a department's or commune's rank is never "toàn quốc" (nationwide).

In the real An Giang workbook the `Sở Ban` and `Xã Phường` sheets' ROW_STT together run
1–117 = 15 departments + 102 communes: the place in one list of all the province's sub-units
(shared/data/real/README.md). The headline rank is computed among the level's units in the
file; the portal's number is shown beside it as what it is. Every output is rendered from the
real sheets and read back: PDFs, summary, DOCX bulletin, mail (.eml), narrate, --findings.
"""

from __future__ import annotations

import csv
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, WORKBOOK
from docx import Document
from pdfcheck import pdf_text

from scorecard.cli import cli

NEVER = ("toàn quốc", "nationwide")


def flat(text: str) -> str:
    return " ".join(text.split())


def both_sheets(path: Path) -> Path:
    """The two sheets in one file, as an office that reads both gets them (117 rows)."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(WORKBOOK))
    rows: list[list[object]] = []
    for sheet in ("Sở Ban", "Xã Phường"):
        cells = book.get_sheet_by_name(sheet).to_python()
        rows += cells[1:] if rows else cells
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def run(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    """Every output a department or commune appears in, as text, by what it is."""
    tmp = tmp_path_factory.mktemp("rank")
    both = both_sheets(tmp / "so-ban-xa-phuong_2025-10.csv")
    texts: dict[str, str] = {}
    sources = {"both": (both,), "so-ban": (WORKBOOK, "--sheet", "Sở Ban"),
               "xa-phuong": (WORKBOOK, "--sheet", "Xã Phường")}
    for name, source in sources.items():
        for lang in ("vi", "en"):
            out = tmp / f"{name}-{lang}"
            if name == "xa-phuong":  # its pages are the both-sheets run's, but for 'of 117'
                run("render", *source, "--month", "2025-10", "--lang", lang, "--out", out,
                    "--jobs", "2", "--issued", "2025-10-20", "--unit", "H01.187", "--unit",
                    "H01.149")
            else:
                run("render", *source, "--month", "2025-10", "--lang", lang, "--out", out,
                    "--jobs", "2", "--issued", "2025-10-20")
            folder = out / "2025-10"
            for pdf in sorted(folder.glob("*.pdf")):
                texts[f"{name}/{lang}/{pdf.name}"] = pdf_text(pdf)
            texts[f"{name}/{lang}/manifest.csv"] = (folder / "manifest.csv").read_text("utf-8")
            with (folder / "manifest.csv").open(encoding="utf-8") as f:
                codes = [r["code"] for r in csv.DictReader(f) if r["kind"] == "unit"]
            rcpt = tmp / f"{name}-{lang}-recipients.csv"
            rcpt.write_text("code,to,cc,lang\n" + "".join(
                f"{c},vp@an-giang.example,,{lang}\n" for c in codes), "utf-8")
            eml = tmp / f"{name}-{lang}-eml"
            run("mail", folder / "manifest.csv", "--recipients", rcpt, "--from",
                "bang-diem@an-giang.example", "--dry-run", eml)
            for path in sorted(eml.iterdir()):
                m = message_from_bytes(path.read_bytes(), policy=policy.default)
                texts[f"{name}/{lang}/eml/{path.name}"] = (
                    f"{m['Subject']}\n{m.get_body(('plain',)).get_content()}")
            units = {"both": ("H01.06", "H01.187"), "so-ban": ("H01.08", "H01.06"),
                     "xa-phuong": ("H01.187", "H01.149")}[name]
            chosen = [a for u in units for a in ("--unit", u)]
            texts[f"{name}/{lang}/narrate"] = run("narrate", *source, "--month", "2025-10",
                                                  "--lang", lang, *chosen)
            texts[f"{name}/{lang}/findings"] = run("narrate", *source, "--month", "2025-10",
                                                   "--lang", lang, *chosen, "--findings")
            bulletin = tmp / f"{name}-{lang}-bulletin"
            run("bulletin", *source, "--month", "2025-10", "--lang", lang, "--unit", units[0],
                "--out", bulletin, "--issued", "2025-11-05")
            (docx,) = bulletin.glob("*/*_ban-tin.docx")
            texts[f"{name}/{lang}/bulletin/{units[0]}"] = docx_text(docx)
        if name != "both":  # the province's bulletin, its sub-units in part IV and the annex
            for lang in ("vi", "en"):
                out = tmp / f"an-giang-{name}-{lang}"
                run("bulletin", EXAMPLES / "2025-10_tinh-thanh.csv", "--unit", "An Giang",
                    "--sub-units", WORKBOOK, "--sub-units-sheet", source[2], "--month",
                    "2025-10", "--lang", lang, "--out", out, "--issued", "2025-11-05")
                (docx,) = out.glob("*/*_ban-tin.docx")
                texts[f"{name}/{lang}/bulletin/H01"] = docx_text(docx)
    return texts


def test_no_output_calls_a_sub_unit_s_rank_nationwide(outputs):
    kinds = {k.split("/")[2] if k.count("/") > 2 else k.rsplit(".", 1)[-1].split("/")[-1]
             for k in outputs}
    assert {"pdf", "csv", "eml", "narrate", "findings", "bulletin"} <= kinds  # all were read
    assert sum(k.endswith("summary.pdf") for k in outputs) == 4
    said = [(k, w) for k, text in outputs.items() for w in NEVER if w in text.lower()]
    assert said == []


def test_the_headline_is_the_rank_among_the_level_and_the_portal_s_place_is_beside_it(outputs):
    """Sở Công Thương: 90,19 is the 4th total of the 15 departments (93,75 · 92,95 · 92,11 ·
    90,19); the portal's ROW_STT 37 is its place in the province's list of 117."""
    one = flat(outputs["so-ban/vi/H01.06_so-cong-thuong-tinh-an-giang.pdf"])
    assert "Xuất sắc 4/15 chưa có số liệu kỳ trước" in one  # class, rank and (no) change
    assert "thứ 37 trong tỉnh (theo Cổng DVCQG)" in one
    both = flat(outputs["both/vi/H01.06_so-cong-thuong-tinh-an-giang.pdf"])
    assert "thứ 37 trong 117 cơ quan, đơn vị của tỉnh (theo Cổng DVCQG)" in both
    assert "4/15" in both
    en = flat(outputs["both/en/H01.06_so-cong-thuong-tinh-an-giang.pdf"])
    assert "no. 37 of the province's 117 agencies and units (per the national portal)" in en
    # UBND xã Đông Thái: the highest of the 102 communes (93,21), second in the province's list
    commune = flat(outputs["xa-phuong/vi/H01.187_ubnd-xa-dong-thai-tinh-an-giang.pdf"])
    assert "1/102" in commune and "thứ 2 trong tỉnh (theo Cổng DVCQG)" in commune


def test_the_manifest_says_the_portal_s_rank_is_the_province_s(outputs):
    def row(key: str, code: str) -> dict[str, str]:
        lines = outputs[key].splitlines()
        return next(r for r in csv.DictReader(lines) if r["code"] == code)

    r = row("both/vi/manifest.csv", "H01.06")
    assert (r["rank"], r["rank_of"], r["rank_scope"]) == ("37", "117", "province")
    r = row("so-ban/vi/manifest.csv", "H01.08")
    assert (r["rank"], r["rank_of"], r["rank_scope"]) == ("117", "", "province")
    mail = outputs["both/vi/eml/" + next(k.split("/")[-1] for k in outputs
                                         if k.startswith("both/vi/eml/") and "H01.06" in k)]
    assert "Xếp hạng: thứ 37 trong 117 cơ quan, đơn vị của tỉnh (theo Cổng DVCQG)" in mail


def test_the_summary_s_rank_column_says_whose_rank_it_is_once(outputs):
    text = outputs["so-ban/vi/summary.pdf"]
    assert "trong tệp" not in flat(text)  # 'Hạng': the cells say of how many, '4/15'
    assert "Hạng Đơn vị Công khai (18)" in flat(text)
    assert "*" not in text
    assert "4/15 Sở Công Thương" in flat(text)
