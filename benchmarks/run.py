"""Benchmark `scorecard render` against the floor (benchmarks/floor.py), on demand.

    python benchmarks/run.py [--sizes 34,200,3300] [--repeat 3]
    python benchmarks/run.py --validate 50000      # scorecard validate of a 50,000-row file

For each size it writes a synthetic month (34: the real October 2025 provinces; 200:
departments; 3,300: communes), then times whole processes — start-up included — of
`scorecard render` at --jobs 1 and 2 and of the floor at the same N, and prints wall time,
peak RSS of the largest process, KB per unit PDF, and the ratios the targets speak of.
Not part of the test suite: timings on a shared machine are for reading, not asserting.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GROUPS = (("CKMB", 18), ("TDGQ", 20), ("CLGQ", 12), ("TTTT", 10), ("MDHL", 18), ("MDSH", 22))
DEPARTMENTS = ("Sở Nội vụ", "Sở Tài chính", "Sở Xây dựng", "Sở Y tế", "Sở Tư pháp",
               "Sở Giáo dục và Đào tạo", "Sở Nông nghiệp và Môi trường", "Thanh tra tỉnh")


def synthetic(path: Path, n: int, seed: int = 766) -> Path:
    """n departments (n <= 1000) or communes, with scores within each group's maximum."""
    rnd = random.Random(seed)
    level = 2 if n <= 1000 else 3
    provinces = [f"H{p:02d}" for p in range(1, 62)]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["month", "MA_COQUAN", "TEN", "LOAI_COQUAN", *(g for g, _ in GROUPS),
                    "TONG_SCORE"])
        for i in range(n):
            prov = provinces[i % len(provinces)]
            if level == 2:
                name = f"{DEPARTMENTS[i % len(DEPARTMENTS)]} số {i} - tỉnh {prov}"
            else:
                name = f"UBND xã Thử Nghiệm {i} - tỉnh {prov}"
            scores = [round(rnd.uniform(0.4, 1.0) * m, 2) for _, m in GROUPS]
            w.writerow(["2025-10", f"{prov}.{i + 1000}", name, level, *scores,
                        round(sum(scores), 2)])
    return path


def run(cmd: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB, the largest process of the run) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    return wall, usage.ru_maxrss


def interleaved(cmds: dict[str, list[str]], repeat: int, clean: Path
                ) -> dict[str, tuple[float, int]]:
    """Median wall and peak RSS per command, the commands taking turns in each round, so
    that a noisy neighbour on a shared machine slows them alike instead of one of them."""
    walls: dict[str, list[float]] = {k: [] for k in cmds}
    peaks = dict.fromkeys(cmds, 0)
    for _ in range(repeat):
        for name, cmd in cmds.items():
            shutil.rmtree(clean, ignore_errors=True)
            wall, peak = run(cmd)
            walls[name].append(wall)
            peaks[name] = max(peaks[name], peak)
    return {k: (statistics.median(walls[k]), peaks[k]) for k in cmds}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="34,200,3300")
    ap.add_argument("--repeat", type=int, default=5,
                    help="rounds per size (median); 1 above 1000 units")
    ap.add_argument("--validate", type=int, metavar="ROWS",
                    help="time `scorecard validate` of a synthetic file of ROWS units instead")
    args = ap.parse_args()
    exe = shutil.which("scorecard") or str(Path(sys.executable).parent / "scorecard")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.validate:
            data = synthetic(work / "month.csv", args.validate)
            for _ in range(args.repeat):
                wall, rss = run([exe, "validate", str(data)])
                print(f"validate {args.validate} rows: {wall:.2f} s, peak {rss / 1024:.0f} MB")
            return
        print(f"{'units':>6} {'run':<14} {'wall s':>8} {'peak MB':>8} {'KB/PDF':>7}  ratio")
        for n in (int(s) for s in args.sizes.split(",")):
            repeat = args.repeat if n <= 1000 else 1
            data = (ROOT / "examples" / "2025-10_tinh-thanh.csv" if n == 34
                    else synthetic(work / f"month-{n}.csv", n))
            out = work / f"out-{n}"
            render = [exe, "render", str(data), "--out", str(out), "--issued", "2025-10-20"]
            results = interleaved({
                "floor": [sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(n),
                          str(out)],
                "render -j1": [*render, "--jobs", "1"],
                "render -j2": [*render, "--jobs", "2"],
            }, repeat, out)
            floor = results["floor"][0]
            print(f"{n:>6} {'floor':<14} {floor:>8.2f} {results['floor'][1] / 1024:>8.1f} "
                  f"{'':>7}  1.00")
            # the last command of the last round was a render: its files are there to weigh
            pdfs = [p for p in (out / "2025-10").glob("*.pdf") if p.name != "summary.pdf"]
            kb = statistics.mean(p.stat().st_size for p in pdfs) / 1024
            walls = {}
            for jobs in (1, 2):
                wall, rss = results[f"render -j{jobs}"]
                walls[jobs] = wall
                print(f"{n:>6} {f'render -j{jobs}':<14} {wall:>8.2f} {rss / 1024:>8.1f} "
                      f"{kb:>7.1f}  {wall / floor:.2f}x floor")
            print(f"{n:>6} {'speed-up -j2':<14} {walls[1] / walls[2]:>8.2f}x")


if __name__ == "__main__":
    main()
