"""A commune-level list that counts a đặc khu (special zone) is 'xã, phường, đặc khu', not
'xã, phường': An Giang's 102 commune-level units (the real workbook's `Xã Phường` sheet) are
99 communes and wards and 3 special zones — Kiên Hải, Phú Quốc and Thổ Châu. Without a đặc
khu among them the words stay 'xã, phường'."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import WORKBOOK
from docx import Document
from pdfcheck import pdf_text

from scorecard.cli import cli

ZONES = ("H01.200", "H01.201", "H01.202")  # Kiên Hải, Phú Quốc, Thổ Châu


def flat(text: str) -> str:
    return " ".join(text.split())


def run(*args: object) -> None:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 0, result.output


def communes(path: Path, zones: bool) -> Path:
    """The `Xã Phường` sheet as a CSV, with or without its three special zones."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(WORKBOOK)).get_sheet_by_name("Xã Phường").to_python()
    code = rows[0].index("MA_COQUAN")
    kept = [r for r in rows[1:] if zones or str(r[code]) not in ZONES]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([rows[0], *kept])
    return path


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("zones")
    texts = {}
    for zones in (True, False):
        data = communes(tmp / f"xa-phuong-{zones}_2025-10.csv", zones)
        for lang in ("vi", "en"):
            out = tmp / f"{zones}-{lang}"
            run("render", data, "--month", "2025-10", "--out", out, "--lang", lang, "--jobs", "1",
                "--issued", "2025-10-20")
            folder = out / "2025-10"
            page = next(folder.glob("H01.187_*.pdf"))  # Mỹ Hòa Hưng, a commune
            texts[f"{zones}/{lang}/page"] = flat(pdf_text(page))
            texts[f"{zones}/{lang}/summary"] = flat(pdf_text(folder / "summary.pdf"))
    return texts


def test_a_communes_page_and_summary_name_the_special_zones_when_there_are(rendered):
    page, summary = rendered["True/vi/page"], rendered["True/vi/summary"]
    assert "bình quân 102 xã, phường, đặc khu" in page  # the paragraph's peer
    assert "Xã, phường, đặc khu (102)" in summary  # the section's title
    for text in (page, summary):
        assert text.count("xã, phường") == text.count("xã, phường, đặc khu") > 0
    assert "the mean of the 102 communes, wards and special zones" in rendered["True/en/page"]
    assert "Communes, wards and special zones (102)" in rendered["True/en/summary"]


def test_without_a_special_zone_they_are_communes_and_wards(rendered):
    page, summary = rendered["False/vi/page"], rendered["False/vi/summary"]
    assert "bình quân 99 xã, phường" in page
    assert "Xã, phường (99)" in summary
    for text in (page, summary, rendered["False/en/page"], rendered["False/en/summary"]):
        assert "đặc khu" not in text and "special zone" not in text
    assert "the mean of the 99 communes and wards" in rendered["False/en/page"]


def test_the_bulletins_annex_names_them_too(tmp_path):
    data = communes(tmp_path / "xa-phuong_2025-10.csv", True)
    out = tmp_path / "out"
    run("bulletin", WORKBOOK, "--sheet", "Điểm tháng", "--month", "2025-10", "--unit",
        "An Giang", "--sub-units", data, "--out", out, "--issued", "2025-11-05")
    (path,) = out.glob("*/*_ban-tin.docx")
    text = flat("\n".join(p.text for p in Document(str(path)).paragraphs))
    assert "UBND CÁC XÃ, PHƯỜNG, ĐẶC KHU" in text
    assert "102 xã, phường, đặc khu" in text  # part IV: the units to watch among them


def test_the_web_page_names_a_stored_month_s_communes_with_their_special_zones(tmp_path):
    """The start page's buttons and an import's 'see the ranking' named the level
    'Xã, phường (102)' while the ranking it opens said 'xã, phường, đặc khu'."""
    from test_web import make_client, upload

    client = make_client(tmp_path)
    said = upload(client, communes(tmp_path / "xa-phuong_2025-10.csv", True), month="2025-10")
    assert said.status_code == 200, said.text
    assert "Xem xếp hạng: Xã, phường, đặc khu</a>" in said.text
    said = upload(client, communes(tmp_path / "xa-phuong_2025-09.csv", False), month="2025-09")
    assert "Xem xếp hạng: Xã, phường</a>" in said.text
    home = client.get("/").text
    assert "Xã, phường, đặc khu (102)</a>" in home and "Xã, phường (99)</a>" in home
    english = client.get("/?lang=en").text
    assert "Communes, wards and special zones (102)</a>" in english
    assert "Communes and wards (99)</a>" in english


@pytest.mark.parametrize(("zones", "lang", "level", "peer"), [
    (True, "vi", "Xã, phường, đặc khu: 102",
     "So sánh với (Xã, phường, đặc khu): bình quân các xã, phường, đặc khu có số liệu"),
    (True, "en", "Communes, wards and special zones: 102",
     "Compared with (Communes, wards and special zones): the mean of the communes, wards and "
     "special zones with figures"),
    (False, "vi", "Xã, phường: 99",
     "So sánh với (Xã, phường): bình quân các xã, phường có số liệu"),
])
def test_validate_counts_the_level_as_the_outputs_name_it(tmp_path, zones, lang, level, peer):
    """Clerk's review 2, #16: validate said 'Xã, phường: 102' of the sheet every output calls
    '102 xã, phường, đặc khu'."""
    data = communes(tmp_path / "xa-phuong_2025-10.csv", zones)
    said = CliRunner().invoke(cli, ["validate", str(data), "--month", "2025-10", "--lang", lang])
    assert said.exit_code == 0, said.output
    lines = said.output.splitlines()
    assert level in lines and peer in lines
