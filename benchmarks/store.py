"""Benchmark the store (SPEC §9), on demand; not part of the test suite.

    python benchmarks/store.py                       # all three, SQLite in a temp folder
    python benchmarks/store.py import                # a national month of 3,872 communes
    python benchmarks/store.py months [--months 24]  # that many months stored: size per month
    python benchmarks/store.py render [--units 200]  # render with 12 months of history or none
    python benchmarks/store.py --db postgresql://…   # the same against a server (an empty db)

`import` times a whole `scorecard import` process (start-up included) and, in one process,
reading and checking the file apart from writing it (target: ≤ 1 s for the month). `months`
imports N months of 3,872 communes one after another and prints the store's size after
each (SQLite: the file, with its WAL checkpointed; PostgreSQL: the database). `render`
renders the same N units of the month after, at --jobs 1, against a store holding the N
months before and against an empty one, and prints the ratio (target: ≤ 1.10). Timings on a
shared machine are for reading, not asserting.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GROUPS = (("CKMB", 18), ("TDGQ", 20), ("CLGQ", 12), ("TTTT", 10), ("MDHL", 18), ("MDSH", 22))
COMMUNES = 3872  # the country's communes and wards from 1 July 2025


def month_slug(i: int) -> str:
    """The i-th month counting from 2024-01."""
    return f"{2024 + i // 12}-{i % 12 + 1:02d}"


def national_month(path: Path, month: str, n: int = COMMUNES, seed: int = 766) -> Path:
    """n communes of the 34 provinces, every group reported, scores drifting month to month."""
    rnd = random.Random(f"{seed}-{month}")
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["month", "MA_COQUAN", "TEN", "LOAI_COQUAN", *(g for g, _ in GROUPS),
                    "TONG_SCORE"])
        for i in range(n):
            scores = [round(rnd.uniform(0.4, 1.0) * m, 2) for _, m in GROUPS]
            w.writerow([month, f"H{1 + i % 34:02d}.{1000 + i}", f"UBND xã Thử Nghiệm {i}", 3,
                        *scores, round(sum(scores), 2)])
    return path


def scorecard(*args: str) -> float:
    """Wall seconds of one whole `scorecard` process."""
    return scorecard_cpu(*args)[0]


def scorecard_cpu(*args: str) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, its children included) of one process: on a
    shared machine the CPU time says what the wall time cannot."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "scorecard", *args], capture_output=True,
                          text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        raise SystemExit(f"scorecard {' '.join(args)} failed:\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def size(db: str) -> int:
    """Bytes the store takes."""
    import sqlalchemy as sa

    if db.startswith("sqlite:///"):
        path = Path(db.removeprefix("sqlite:///"))
        engine = sa.create_engine(db)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        return path.stat().st_size
    engine = sa.create_engine(db.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        got = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
    engine.dispose()
    return int(got or 0)


def bench_import(folder: Path, db: str) -> None:
    from scorecard.importer import prepare
    from scorecard.index import load_index
    from scorecard.store import open_store
    from scorecard.units import load_registry

    data = national_month(folder / "xa_2025-10.csv", "2025-10")
    index, registry = load_index(None), load_registry()
    start, cpu = time.perf_counter(), time.process_time()
    prepared = prepare([str(data)], index, registry)
    checked = time.perf_counter() - start, time.process_time() - cpu
    with open_store(db) as store:
        start, cpu = time.perf_counter(), time.process_time()
        store.write(prepared)
        written = time.perf_counter() - start, time.process_time() - cpu
    wall, cpu_s = scorecard_cpu("import", str(national_month(folder / "xa_2025-11.csv",
                                                             "2025-11")), "--db", db)
    print(f"import {COMMUNES} communes, in one process: read and check {checked[0]:.2f} s "
          f"(CPU {checked[1]:.2f} s), write {written[0]:.2f} s (CPU {written[1]:.2f} s); "
          f"the whole `scorecard import` process {wall:.2f} s (CPU {cpu_s:.2f} s)")


def bench_months(folder: Path, db: str, months: int) -> None:
    times = []
    for i in range(months):
        data = national_month(folder / f"xa_{month_slug(i)}.csv", month_slug(i))
        times.append(scorecard_cpu("import", str(data), "--db", db))
        data.unlink()
        if (i + 1) % 6 == 0 or i + 1 == months:
            n = size(db)
            print(f"{i + 1:3d} months stored: {n / 1e6:6.1f} MB, {n / (i + 1) / 1e6:.2f} MB per "
                  f"month; this import {times[-1][0]:.2f} s (CPU {times[-1][1]:.2f} s)")
    print(f"import, median of {months}: {statistics.median(t[0] for t in times):.2f} s "
          f"(CPU {statistics.median(t[1] for t in times):.2f} s)")


def bench_render(folder: Path, db: str, units: int, months: int = 12) -> None:
    for i in range(months):
        data = national_month(folder / f"xa_{month_slug(i)}.csv", month_slug(i))
        scorecard("import", str(data), "--db", db)
    target = month_slug(months)
    whole = national_month(folder / f"xa_{target}.csv", target)
    with whole.open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    part = folder / f"xa_{target}_{units}.csv"
    with part.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows[:units + 1])
    empty = f"sqlite:///{folder / 'empty.sqlite'}"
    runs: dict[str, list[tuple[float, float]]] = {"none": [], "store": []}
    for _ in range(2):
        for name, store in (("none", empty), ("store", db)):
            runs[name].append(scorecard_cpu("render", str(part), "--jobs", "1", "--out",
                                            str(folder / f"out-{name}"), "--db", store))
    wall = {k: min(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: min(c for _, c in v) for k, v in runs.items()}
    print(f"render {units} communes, --jobs 1 (best of 2): no history {wall['none']:.2f} s "
          f"(CPU {cpu['none']:.2f} s), {months} months from the store {wall['store']:.2f} s "
          f"(CPU {cpu['store']:.2f} s); ratio {wall['store'] / wall['none']:.3f} "
          f"(CPU {cpu['store'] / cpu['none']:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", choices=["import", "months", "render", "all"],
                        default="all")
    parser.add_argument("--db", help="a server's empty database (default: SQLite, temporary)")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--units", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for what in (["import", "months", "render"] if args.what == "all" else [args.what]):
            db = args.db or f"sqlite:///{folder / f'{what}.sqlite'}"
            if what == "import":
                bench_import(folder, db)
            elif what == "months":
                bench_months(folder, db, args.months)
            else:
                bench_render(folder, db, args.units)


if __name__ == "__main__":
    main()
