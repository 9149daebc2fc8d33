"""Property: whatever cells or bytes a file holds, reading and validating it either works or
ends in the project's own error with a message — never another exception (issue 8)."""

from __future__ import annotations

import contextlib
import io
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.errors import ScorecardError
from scorecard.index import load_index
from scorecard.units import load_registry
from scorecard.validate import validate_file

INDEX, REGISTRY = load_index(), load_registry()
HEADERS = ["MA_COQUAN", "TEN", "LOAI_COQUAN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH",
           "TONG_SCORE", "ROW_STT", "month", "Tên đơn vị", "", "Tổng cộng"]
cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "7,7", "18", "-1", "1e309", "nan", "H01", "H01.13", "000.00.00.H37",
                     "Cả nước", "Trung bình", "UBND xã Mỹ Hòa Hưng", "2025-10", "10/2025",
                     "2025-10-01 00:00:00", "Hải Dương", "=1+1", "\x1b[2J", "…", "1.234,5"]),
    st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
grids = st.lists(st.lists(cells, min_size=0, max_size=len(HEADERS)), min_size=0, max_size=8)
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def check(path, **kw) -> None:
    with contextlib.suppress(ScorecardError):  # any other exception fails the property
        validate_file(str(path), INDEX, REGISTRY, **kw)


@SETTINGS
@given(header=st.lists(st.sampled_from(HEADERS), max_size=12), rows=grids,
       sep=st.sampled_from([",", ";", "\t"]), encoding=st.sampled_from(["utf-8", "cp1258"]),
       month=st.sampled_from([None, "2025-10", "2025"]))
def test_csv_cells_never_crash(tmp_path, header, rows, sep, encoding, month):
    import csv

    from scorecard.period import Period

    buf = io.StringIO()
    csv.writer(buf, delimiter=sep).writerows([header, *rows])
    p = tmp_path / "f.csv"
    p.write_bytes(buf.getvalue().encode(encoding, "replace"))
    check(p, period=Period.parse(month) if month else None)


@SETTINGS
@given(header=st.lists(st.sampled_from(HEADERS), max_size=12), rows=grids,
       title=st.booleans())
def test_workbook_cells_never_crash(tmp_path, header, rows, title):
    import openpyxl

    from scorecard.period import Period

    wb = openpyxl.Workbook()
    ws = wb.active
    if title:
        ws.append(["BẢNG ĐIỂM"])
    for r in [header, *rows]:
        ws.append([_typed(c) for c in r])
    p = tmp_path / "f.xlsx"
    wb.save(p)
    check(p, period=Period("month", 2025, 10))


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 40))
def test_damaged_bytes_never_crash(tmp_path, seed, n):
    from conftest import DATA, SNAPSHOT

    from scorecard.period import Period

    rnd = random.Random(seed)
    source = rnd.choice([SNAPSHOT, DATA / "an-giang_thang-10_libreoffice_cp1258.csv",
                         DATA / "service-results_national_2026-09-17.json"])
    data = bytearray(source.read_bytes())
    for _ in range(n):
        i = rnd.randrange(len(data))
        data[i] = rnd.randrange(256)
    if rnd.random() < 0.3:
        del data[rnd.randrange(len(data)):]
    p = tmp_path / f"f{source.suffix}"
    p.write_bytes(bytes(data))
    check(p, period=Period("month", 2025, 10))


def _typed(c: str) -> object:
    """What a workbook holds: numbers as numbers where they parse, text otherwise."""
    try:
        return int(c)
    except ValueError:
        pass
    try:
        return float(c)
    except ValueError:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", c)  # openpyxl refuses control characters itself
