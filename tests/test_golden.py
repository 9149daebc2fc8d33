"""Golden layer (STYLE.md §8.3): the example month's pages and summary, as positioned text
blocks, compared with stored expectations — words exactly, positions within 3 points, dates
dropped. A redesign of how pages are drawn must keep what they say and where.

Regenerate after an intended change with:  SCORECARD_GOLDEN=regen pytest tests/test_golden.py
and read the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess

import pytest
from conftest import EXAMPLES
from pypdf import PdfReader

from scorecard.cli import cli

GOLDEN = EXAMPLES.parent / "tests" / "golden"
REGEN = os.environ.get("SCORECARD_GOLDEN") == "regen"
TOLERANCE = 3.0  # points: about 1 mm
UNITS = ("H05", "H01", "H57", "H29")  # first, the office's own, merged names, a long one
DATE = re.compile(r"\d{2}/\d{2}/\d{4}|\d{4}-\d{2}-\d{2}")


def blocks(pdf: bytes) -> list[list]:
    """[page, x, y, text] of every piece of text, in the order it is drawn."""
    out: list[list] = []
    for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, 1):
        def visit(text, cm, tm, font, size, _n=n):
            if text.strip():
                x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                out.append([_n, round(x, 1), round(y, 1), DATE.sub("<date>", text.strip())])
        page.extract_text(visitor_text=visit)
    return out


@pytest.fixture(scope="module")
def example_month(tmp_path_factory):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("golden")
    result = CliRunner().invoke(cli, [
        "render", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--history",
        str(EXAMPLES / "2025-09_tinh-thanh.csv"), "--data-date", "2025-10-16", "--office",
        "Văn phòng UBND tỉnh An Giang", "--issued", "2025-10-20", "--out", str(out),
        "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return out / "2025-10"


def _pdf(folder, code):
    if code == "summary":
        return folder / "summary.pdf"
    (path,) = folder.glob(f"{code}_*.pdf")
    return path


@pytest.mark.parametrize("code", [*UNITS, "summary"])
def test_pages_say_the_same_in_the_same_places(example_month, code):
    got = blocks(_pdf(example_month, code).read_bytes())
    path = GOLDEN / f"{code}.json"
    if REGEN:
        lines = ",\n".join(json.dumps(b, ensure_ascii=False) for b in got)
        path.write_text(f"[\n{lines}\n]\n", "utf-8")
    want = json.loads(path.read_text("utf-8"))
    assert [b[3] for b in got] == [b[3] for b in want], "the words changed"
    moved = [(w, g) for w, g in zip(want, got, strict=True)
             if w[0] != g[0] or abs(w[1] - g[1]) > TOLERANCE or abs(w[2] - g[2]) > TOLERANCE]
    assert not moved, f"{len(moved)} blocks moved, first: {moved[:3]}"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")
def test_one_page_looks_the_same(example_month, tmp_path):
    """A pixel comparison of Bắc Ninh's page at 40 dpi, for what text blocks cannot see
    (bars, bands, colours). On a mismatch the picture is left beside the expected one."""
    from PIL import Image, ImageChops

    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile",
                    str(_pdf(example_month, "H05")), str(tmp_path / "H05")], check=True)
    got = Image.open(tmp_path / "H05.png").convert("L")
    expected = GOLDEN / "H05.png"
    if REGEN:
        got.save(expected)
    want = Image.open(expected).convert("L")
    assert got.size == want.size
    diff = ImageChops.difference(got, want)
    changed = sum(diff.histogram()[49:])  # pixels whose grey changed by more than 48/255
    if changed > got.size[0] * got.size[1] * 0.002:
        got.save(GOLDEN / "H05.actual.png")
        pytest.fail(f"{changed} pixels differ; see tests/golden/H05.actual.png")
