"""Benchmark `scorecard render` against the floor (benchmarks/floor.py), on demand.

    python benchmarks/run.py --sizes 3872 --repeat 1   # the national month (issue 22)
    python benchmarks/run.py --sizes 200 --repeat 5    # -j2 against -j1
    python benchmarks/run.py --validate 50000          # scorecard validate of 50,000 rows
    python benchmarks/run.py --memory --sizes 200,1000,3872 --repeat 1   # each process's peak

For each size it writes a synthetic month (34: the real October 2025 provinces; up to 1,000:
departments; more: communes), then times whole processes — start-up included — of the floor
at the same N, of `scorecard render` at --jobs 1 and 2, of two --jobs 1 renders started at once
(what two busy cores give on this machine: the ceiling of any -j2; --no-pair leaves them out),
and of a render at --jobs 2 that signs every PDF (an EC P-256 PKCS#12 key from tests/pki.py;
--no-sign leaves it out). It prints
wall and CPU seconds (user + system, workers included: what a loaded machine changes least),
the peak RSS of the largest process, KB per unit PDF (unsigned), the ratios the targets
speak of, what signing adds, and the load average before and after.
Not part of the test suite: timings on a shared machine are for reading, not asserting.
"""

from __future__ import annotations

import argparse
import contextlib
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


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system, its workers included) and peak RSS (KiB, the
    largest process of the run) of one command."""
    return together([cmd], env)


def together(cmds: list[list[str]], env: dict[str, str] | None = None
             ) -> tuple[float, float, int]:
    """As run(), of commands started at the same moment: wall until the last ends, CPU of
    all, the largest process's peak."""
    start = time.perf_counter()
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
             for cmd in cmds]
    cpu, peak = 0.0, 0
    for cmd, proc in zip(cmds, procs, strict=True):
        _, status, usage = os.wait4(proc.pid, 0)
        if status != 0:
            raise SystemExit(f"failed ({status}): {' '.join(cmd)}\n"
                             f"{proc.stderr.read().decode()}")  # type: ignore[union-attr]
        cpu += usage.ru_utime + usage.ru_stime
        peak = max(peak, usage.ru_maxrss)
    return time.perf_counter() - start, cpu, peak


def interleaved(cmds: dict[str, list[list[str]]], repeat: int, clean: list[Path],
                env: dict[str, str]) -> dict[str, tuple[float, float, int]]:
    """Median wall, median CPU and peak RSS per entry (one command, or several started
    together), the entries taking turns in each round, so that a noisy neighbour on a shared
    machine slows them alike instead of one."""
    walls: dict[str, list[float]] = {k: [] for k in cmds}
    cpus: dict[str, list[float]] = {k: [] for k in cmds}
    peaks = dict.fromkeys(cmds, 0)
    for _ in range(repeat):
        for name, cmd in cmds.items():
            for folder in clean:
                shutil.rmtree(folder, ignore_errors=True)
            wall, cpu, peak = together(cmd, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
            peaks[name] = max(peaks[name], peak)
    return {k: (statistics.median(walls[k]), statistics.median(cpus[k]), peaks[k])
            for k in cmds}


def _hwm(pid: int) -> float | None:
    """A process's peak RSS so far in MB (None once it has ended)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            out += [int(c) for c in task.read_text().split()]
    return out


def process_peaks(cmd: list[str]) -> list[float]:
    """Peak RSS (MB) of a command's process, then of each process it started, read from
    /proc/<pid>/status (VmHWM) every 10 ms until it ends: getrusage gives only the largest."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks: dict[int, float] = {}
    while proc.poll() is None:
        for pid in [proc.pid, *_children(proc.pid)]:
            if (seen := _hwm(pid)) is not None:
                peaks[pid] = max(peaks.get(pid, 0.0), seen)
        time.sleep(0.01)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n"
                         f"{proc.stderr.read().decode()}")  # type: ignore[union-attr]
    return [peaks.pop(proc.pid, 0.0), *peaks.values()]


def compiled() -> None:
    """Byte-compile the package as `pip install` does: an editable checkout under
    PYTHONDONTWRITEBYTECODE=1 (as on this machine) otherwise compiles every module in every
    process, a tenth of a second more before a worker draws anything."""
    import compileall

    import scorecard

    compileall.compile_dir(Path(scorecard.__file__).parent, quiet=1)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


def memory(exe: str, work: Path, sizes: list[int], repeat: int) -> None:
    """Each process's peak of a `render -j2` at each size: flat in N or not."""
    for n in sizes:
        data = synthetic(work / f"month-{n}.csv", n)
        for _ in range(repeat):
            shutil.rmtree(work / "out", ignore_errors=True)
            peaks = process_peaks([exe, "render", str(data), "--out", str(work / "out"),
                                   "--issued", "2025-10-20", "--jobs", "2"])
            print(f"{n:>6} units render -j2: main {peaks[0]:.1f} MB, workers "
                  + ", ".join(f"{p:.1f}" for p in sorted(peaks[1:], reverse=True))
                  + " MB (peak RSS, VmHWM)")


def timed(n: int, args: argparse.Namespace, exe: str, work: Path, env: dict[str, str],
          sign: list[str]) -> None:
    """The floor and the renders of n units, taking turns, and the ratios the issue names."""
    repeat = args.repeat if n <= 1000 else 1
    data = (ROOT / "examples" / "2025-10_tinh-thanh.csv" if n == 34
            else synthetic(work / f"month-{n}.csv", n))
    out, beside = work / f"out-{n}", work / f"beside-{n}"
    render = [exe, "render", str(data), "--out", str(out), "--issued", "2025-10-20"]
    cmds = {"floor": [[sys.executable, str(ROOT / "benchmarks" / "floor.py"), str(n),
                       str(out)]]}
    if sign:  # before the unsigned runs: the files weighed below are the last run's
        cmds["render -j2 signed"] = [[*render, "--jobs", "2", *sign]]
    if not args.no_pair:  # what two busy cores give here (a shared host's are less
        # than twice one): two one-process renders of the month, in two folders
        cmds["two -j1 at once"] = [[*render, "--jobs", "1"],
                                   [*render[:4], str(beside), *render[5:], "--jobs", "1"]]
    cmds["render -j1"] = [[*render, "--jobs", "1"]]
    cmds["render -j2"] = [[*render, "--jobs", "2"]]
    results = interleaved(cmds, repeat, [out, beside], env)
    floor = results["floor"][0]
    # the last command of the last round was a render: its files are there to weigh
    pdfs = [p for p in (out / "2025-10").glob("*.pdf") if p.name != "summary.pdf"]
    kb = statistics.mean(p.stat().st_size for p in pdfs) / 1024
    for name, (wall, cpu, rss) in results.items():
        size = "" if name == "floor" else f"{kb:.1f}"
        print(f"{n:>6} {name:<18} {wall:>8.2f} {cpu:>8.2f} {rss / 1024:>8.1f} "
              f"{size:>7}  {wall / floor:.2f}x floor")
    j1, j2 = results["render -j1"], results["render -j2"]
    print(f"{n:>6} {'speed-up -j2':<18} {j1[0] / j2[0]:>8.2f}x   (aim >= 1.8x at 200)")
    if "two -j1 at once" in results:  # 2x when two processes run as fast as one
        both = results["two -j1 at once"][0]
        print(f"{n:>6} {'two cores give':<18} {2 * j1[0] / both:>8.2f}x   (two -j1 at "
              "once against one: the most any -j2 can gain here)")
    if sign:
        s = results["render -j2 signed"]
        print(f"{n:>6} {'signing adds':<18} {s[0] - j2[0]:>8.2f} {s[1] - j2[1]:>8.2f}"
              f"           {(s[1] - j2[1]) * 1000 / (n + 1):.1f} ms CPU a PDF"
              " (the units' and summary.pdf; KB/PDF above is unsigned)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="34,200,3300")
    ap.add_argument("--repeat", type=int, default=5,
                    help="rounds per size (median); 1 above 1000 units")
    ap.add_argument("--no-sign", action="store_true",
                    help="leave out the signed run (render -j2 with an EC P-256 PKCS#12 key)")
    ap.add_argument("--no-pair", action="store_true",
                    help="leave out the two -j1 renders started at once (the cores' ceiling)")
    ap.add_argument("--memory", action="store_true",
                    help="the peak RSS of each process of a render -j2 instead (Linux: /proc)")
    ap.add_argument("--validate", type=int, metavar="ROWS",
                    help="time `scorecard validate` of a synthetic file of ROWS units instead")
    args = ap.parse_args()
    exe = shutil.which("scorecard") or str(Path(sys.executable).parent / "scorecard")
    compiled()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.validate:
            data = synthetic(work / "month.csv", args.validate)
            for _ in range(args.repeat):
                wall, cpu, rss = run([exe, "validate", str(data)])
                print(f"validate {args.validate} rows: {wall:.2f} s (CPU {cpu:.2f} s), "
                      f"peak {rss / 1024:.0f} MB")
            return
        if args.memory:
            memory(exe, work, [int(s) for s in args.sizes.split(",")], args.repeat)
            return
        env = dict(os.environ)
        sign: list[str] = []
        if not args.no_sign:
            sys.path.insert(0, str(ROOT / "tests"))
            from pki import PASSWORD, make_pki

            env["SCORECARD_SIGN_PASSWORD"] = PASSWORD
            (work / "pki").mkdir()
            sign = ["--sign-p12", str(make_pki(work / "pki").ec.p12), "--signing-time",
                    "2025-10-20T09:00:00+07:00"]
        print(f"load average before: {load_average()}")
        print(f"{'units':>6} {'run':<18} {'wall s':>8} {'CPU s':>8} {'peak MB':>8} {'KB/PDF':>7}"
              "  ratio")
        for n in (int(s) for s in args.sizes.split(",")):
            timed(n, args, exe, work, env, sign)
        print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
