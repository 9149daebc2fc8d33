from __future__ import annotations

import csv
import os
import unicodedata
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from click.testing import CliRunner

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
EXAMPLES = ROOT / "examples"
WORKBOOK = DATA / "portal-export_2025-10-16_an-giang.xlsx"
SNAPSHOT = DATA / "portal-export_2025-10_bao-cao-766.xlsx"
YEAR_CSV = DATA / "portal-api_2026-09-17_provinces-year.csv"


def workbook_units(sheet: str, path: Path = WORKBOOK) -> list[dict]:
    """A sheet of the real workbook as a checker reads it, openpyxl and not our reader: one
    dict per unit row (header -> cell), rows with a blank first cell left out."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        head, *rows = [r for r in wb[sheet].iter_rows(values_only=True) if r[0]]
    finally:
        wb.close()
    return [dict(zip(head, r, strict=True)) for r in rows]


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: â ă ê ô ơ ư precomposed, tone marks as combining marks."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            marks = unicodedata.normalize("NFD", ch)
            vowel = "".join(m for m in marks[1:] if m in "\u0302\u0306\u031b")
            tones = "".join(m for m in marks[1:] if m not in vowel)
            out += unicodedata.normalize("NFC", marks[0] + vowel).encode("cp1258")
            out += tones.encode("cp1258")
    return out


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def bulletin_csv(tmp_path: Path) -> Path:
    """A clerk's Windows-1258 ';' CSV of the November 2023 bulletin (shared/data/bulletins.md).

    The bulletin does not name its province; Hà Giang stands in. Satisfaction is blank, as
    the bulletin does not quote it, and the national row carries the bulletin's averages.
    """
    text = (
        "Tên đơn vị;Công khai, minh bạch;Tiến độ, kết quả giải quyết;Dịch vụ công trực tuyến;"
        "Thanh toán trực tuyến;Mức độ hài lòng;Số hóa hồ sơ;Tháng\r\n"
        "UBND tỉnh Hà Giang;7,7;16,1;0,9;2,8;;3,5;11/2023\r\n"
        "Cả nước;10,8;14,8;3,9;5,6;;10,2;11/2023\r\n"
    )
    p = tmp_path / "ban-tin-thang-11-2023.csv"
    p.write_bytes(to_cp1258(text))
    return p


def write_csv(path: Path, header: list[str], rows: list[list[object]], sep: str = ",",
              encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, delimiter=sep, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in r] for r in rows)
    return path


@pytest.fixture(autouse=True)
def _own_store(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's real store (SPEC §9): SCORECARD_DB points at a file
    in a temporary folder, which does not exist until a test imports into it."""
    folder = tmp_path_factory.mktemp("store")
    monkeypatch.setenv("SCORECARD_DB", f"sqlite:///{folder / 'store.sqlite'}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A throw-away PostgreSQL server for the session (tests/pgserver.py); skipped with its
    reason when none can be started, but failed under CI=true, so CI never passes without it."""
    from pgserver import cluster

    with ExitStack() as stack:
        try:
            url = stack.enter_context(cluster())
        except RuntimeError as e:
            if os.environ.get("CI") == "true":
                pytest.fail(f"PostgreSQL is needed under CI=true: {e}")
            pytest.skip(f"no PostgreSQL server: {e}")
        yield url


@pytest.fixture
def pg_url(pg_server: str, request: pytest.FixtureRequest) -> str:
    """An empty database of its own on the session's server."""
    from pgserver import fresh_database

    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    return fresh_database(pg_server, name)
