"""Hostile-input run, on demand: N generated files through the loader and the validator.

    python benchmarks/fuzz.py [--files 10000] [--seed 766]

Files are made from the real ones in tests/data — bytes flipped or cut, workbook parts
damaged, cells replaced by anything a person or a program could type, JSON values swapped for
other types — and each is read and validated as `scorecard validate` would. A file may be
refused (the project's own error, with a message); anything else is a traceback a clerk
would have seen, and is printed with the file kept for a reproducer. Not a unit test: the
default test run has the small hypothesis version (tests/test_properties.py).
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import random
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
SOURCES = [DATA / n for n in (
    "portal-export_2025-10_bao-cao-766.xlsx", "portal-export_2025-10-16_an-giang.xlsx",
    "an-giang_libreoffice.xls", "an-giang_libreoffice.ods",
    "an-giang_thang-10_libreoffice_utf8.csv", "an-giang_thang-10_libreoffice_cp1258.csv",
    "service-results_national_2026-09-17.json", "an-giang_title-and-footer_libreoffice.xlsx")]
WORDS = ["", "7,7", "18.005", "-1", "1e309", "nan", "H01", "..", "Cả nước", "Trung bình",
         "Tổng cộng", "=cmd|' /C calc'!A0", "\x1b]0;x\x07", "Hải Dương", "🎉", "x" * 3000,
         "9" * 400, "2025-10-01 00:00:00", "10/2025", "2025-Q3", "null", "Bắc Ninh", "\r\n"]


def flip(rnd: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rnd.randint(1, 30)):
        b[rnd.randrange(len(b))] = rnd.randrange(256)
    return bytes(b)


def cut(rnd: random.Random, data: bytes) -> bytes:
    return data[:rnd.randrange(1, len(data))]


def zip_part(rnd: random.Random, data: bytes) -> bytes:
    """Damage one part of a workbook's zip: cut it, flip it, or inject a huge reference."""
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        names = src.namelist()
    except zipfile.BadZipFile:
        return flip(rnd, data)
    victim = rnd.choice(names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            part = src.read(n)
            if n == victim:
                how = rnd.random()
                if how < 0.3:
                    part = part[:rnd.randrange(len(part) + 1)]
                elif how < 0.6:
                    part = flip(rnd, part) if part else part
                elif how < 0.8:
                    part = part.replace(b"<v>", b"<v>" + rnd.choice(
                        [b"abc", b"1e999", b"-", b"\xff"]), 1)
                else:
                    ref = rnd.choice([b"XFD1048576", b"ZZ99999", b"A1048576", b"AAA1"])
                    part = part.replace(b"</sheetData>", b'<row r="9"><c r="' + ref
                                        + b'"><v>1</v></c></row></sheetData>')
            z.writestr(n, part)
    return out.getvalue()


def cells(rnd: random.Random, data: bytes) -> bytes:
    """A CSV whose cells are replaced, rows dropped or repeated, separators changed."""
    text = data.decode("utf-8", "replace")
    lines = text.splitlines()
    sep = rnd.choice([",", ";", "\t"])
    out = []
    for line in lines:
        parts = line.replace(",", sep).split(sep)
        for _ in range(rnd.randint(0, 3)):
            parts[rnd.randrange(len(parts))] = rnd.choice(WORDS)
        if rnd.random() < 0.1:
            parts.append(rnd.choice(WORDS))
        out.append(sep.join(parts))
        if rnd.random() < 0.05:
            out.append(out[-1])
    rnd.shuffle(out[1:]) if rnd.random() < 0.2 else None
    body = "\n".join(out)
    return body.encode(rnd.choice(["utf-8", "utf-8-sig", "cp1258", "utf-16"]), "replace")


def json_values(rnd: random.Random, data: bytes) -> bytes:
    doc = json.loads(data)

    def walk(x: object) -> object:
        if isinstance(x, dict):
            return {k: walk(v) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v) for v in x]
        if rnd.random() < 0.02:
            return rnd.choice([None, [], {}, "mười", -5, 1e308, True, "18,5", {"a": 1}])
        return x

    return json.dumps(walk(doc), ensure_ascii=rnd.random() < 0.5).encode()


def make(rnd: random.Random) -> tuple[str, bytes]:
    source = rnd.choice(SOURCES)
    data = source.read_bytes()
    suffix = source.suffix
    kinds = [flip, cut]
    if data[:2] == b"PK":
        kinds += [zip_part, zip_part]
    elif suffix == ".csv":
        kinds += [cells, cells]
    elif suffix == ".json":
        kinds += [json_values, json_values]
    how = rnd.choice(kinds)
    return f"{how.__name__}{suffix}", how(rnd, data)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=766)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from scorecard.errors import ScorecardError
    from scorecard.index import load_index
    from scorecard.period import Period
    from scorecard.units import load_registry
    from scorecard.validate import validate_file

    index, registry = load_index(), load_registry()
    rnd = random.Random(args.seed)
    outcome: collections.Counter[str] = collections.Counter()
    crashes: collections.Counter[str] = collections.Counter()
    keep = Path(tempfile.mkdtemp(prefix="scorecard-fuzz-"))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.files):
            name, data = make(rnd)
            path = Path(tmp) / name
            path.write_bytes(data)
            (keep / f"current{Path(name).suffix}").write_bytes(data)  # kept if the process dies
            period = rnd.choice([Period("month", 2025, 10), Period("year", 2025), None])
            try:
                validate_file(str(path), index, registry, period=period)
                outcome["valid"] += 1
            except ScorecardError as e:
                e.text("vi"), e.text("en")  # the message itself must be printable
                outcome["refused with a message"] += 1
            except Exception as e:  # a traceback a clerk would have seen
                where = traceback.extract_tb(e.__traceback__)[-1]
                crashes[f"{type(e).__name__} at {Path(where.filename).name}:{where.lineno}"] += 1
                (keep / f"{i:05d}_{name}").write_bytes(data)
                outcome["traceback"] += 1
    seconds = time.perf_counter() - started
    print(f"{args.files} files in {seconds:.1f} s (seed {args.seed}):")
    for k in ("valid", "refused with a message", "traceback"):
        print(f"  {k}: {outcome[k]}")
    for where, n in crashes.most_common():
        print(f"  {n} × {where}")
    for current in keep.glob("current.*"):
        current.unlink()
    if crashes:
        print(f"  reproducers kept in {keep}")
    else:
        keep.rmdir()
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
