"""Where one `scorecard render` spends its wall time, process by process (issue 22).

    python benchmarks/timeline.py --units 200 --jobs 2      # a synthetic month, as run.py's
    python benchmarks/timeline.py --units 200 --jobs 1

Runs the render in a child process whose steps are wrapped (by name, so that workers forked
or spawned see them too) to print when each begins and ends, in seconds since this script
started the child: the main process's start-up and reading, each worker's warm-up (reportlab,
fonts, the template), its batches of pages and summary.pdf, and the exit. Then the parts
that do not divide between cores and the best ratio -j2 could reach with them. Not part of
the test suite: a reading, not an assertion.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import compiled, synthetic  # noqa: E402

CHILD = """
import os, sys, time, atexit
T0 = float(os.environ["TIMELINE_T0"])
def log(what):
    sys.stderr.write(f"@ {time.time() - T0:.4f} {os.getpid()} {what}\\n")
log("up")
import scorecard.batch as batch, scorecard.pipeline as pipeline, scorecard.console as console
log("imported")
def wrapped(module, name):
    f = getattr(module, name)
    def g(*a, **k):
        log(name + " begin")
        try:
            return f(*a, **k)
        finally:
            log(name + " end")
    g.__qualname__, g.__module__ = name, module.__name__
    setattr(module, name, g)
for name in ("_warm_up", "_render_batch", "_tail"):
    wrapped(batch, name)
wrapped(pipeline, "load")
atexit.register(log, "exit")
sys.argv = ["scorecard", *sys.argv[1:]]
console.main()
"""


def timeline(units: int, jobs: int) -> tuple[dict[int, list[tuple[float, str]]], float]:
    """Each process's events (seconds, what), and when the render's process ended."""
    compiled()
    with tempfile.TemporaryDirectory() as tmp:
        data = synthetic(Path(tmp) / "month.csv", units)
        env = dict(os.environ, TIMELINE_T0=repr(time.time()))
        done = subprocess.run([sys.executable, "-c", CHILD, "render", str(data), "--out",
                               str(Path(tmp) / "out"), "--issued", "2025-10-20", "--jobs",
                               str(jobs)], env=env, capture_output=True, text=True)
        end = time.time() - float(env["TIMELINE_T0"])
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    events: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for line in done.stderr.splitlines():
        if line.startswith("@ "):
            _, t, pid, what = line.split(" ", 3)
            events[int(pid)].append((float(t), what))
    return events, end


STEPS = (("load", "reading and scoring"),
         ("_warm_up", "warm-up (reportlab, fonts, styles, template)"),
         ("_tail", "summary.pdf"))


def show(pid: int, events: list[tuple[float, str]], main: bool) -> tuple[float, float] | None:
    """Print one process's steps; its first and last page's times, when it drew pages."""
    last = {what: t for t, what in events}
    first = {what: t for t, what in reversed(events)}
    print("main:" if main else f"worker {pid}:")
    if "up" in last:
        print(f"  {last['up']:.3f}  Python up; {last['imported']:.3f} scorecard imported")
    for step, words in STEPS:
        if f"{step} begin" in last:
            print(f"  {first[step + ' begin']:.3f}-{last[step + ' end']:.3f}  {words}")
    batches = [t for t, what in events if what == "_render_batch begin"]
    if batches:
        print(f"  {batches[0]:.3f}-{last['_render_batch end']:.3f}  {len(batches)} batches "
              "of pages")
    if "exit" in last:
        print(f"  {last['exit']:.3f}  exit")
    return (batches[0], last["_render_batch end"]) if batches else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    events, end = timeline(args.units, args.jobs)
    main_pid = next(pid for pid, ev in events.items() if ev[0][1] == "up")
    pages = [span for pid in sorted(events, key=lambda p: p != main_pid)
             if (span := show(pid, events[pid], pid == main_pid))]
    print(f"process ended at {end:.3f} s")
    before = min(a for a, _ in pages)
    drawing, after = max(b for _, b in pages) - before, end - max(b for _, b in pages)
    print(f"before the first page {before:.3f} s, drawing {drawing:.3f} s, after the last "
          f"{after:.3f} s")
    if args.jobs == 1:
        serial = before + after
        print(f"with these parts a -j2 can be at most (serial + W) / (serial + W/2) = "
              f"{(serial + drawing) / (serial + drawing / 2):.2f}x this run "
              f"(serial {serial:.3f} s, W {drawing:.3f} s)")


if __name__ == "__main__":
    main()
