"""Benchmark `scorecard serve`, on demand (not a test: timings on a shared machine are for
reading, not asserting).

    python benchmarks/web.py [--communes 3300] [--requests 100] [--clients 20] [--seconds 60]

Starts `scorecard serve` as its own process on a free port of this machine, then over HTTP:
1. imports a synthetic national month of communes (benchmarks/run.py's generator) and the
   real An Giang workbook's month sheet through the import form (the province month: timed);
2. times a unit's view and its PDF, --requests times each, one client (p50, p95, max);
3. runs --clients concurrent clients for --seconds, each reading ranking, unit views and PDFs
   in a loop, and counts errors (any status but 200, any exception).
Targets (issue 19): unit view p95 <= 150 ms, PDF p95 <= 300 ms with the national month stored,
the province month's import <= 2 s, 20 clients for a minute with no error.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from run import synthetic  # noqa: E402

WORKBOOK = ROOT / "tests" / "data" / "portal-export_2025-10-16_an-giang.xlsx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(port: int, folder: Path, extra: list[str]) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "scorecard", "serve", "--port", str(port), *extra]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            cwd=folder)
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"serve did not start: {proc.stderr.read().decode() if proc.stderr else ''}")


def upload(client: httpx.Client, path: Path, month: str) -> tuple[float, int]:
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)[1]  # type: ignore[index]
    t = time.perf_counter()
    with path.open("rb") as f:
        r = client.post("/import", data={"csrf": token, "month": month},
                        files={"file": (path.name, f)})
    return time.perf_counter() - t, r.status_code


def timed(client: httpx.Client, path: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        r = client.get(path)
        out.append(time.perf_counter() - t)
        if r.status_code != 200:
            raise SystemExit(f"{path}: {r.status_code}")
    return out


def describe(name: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    return (f"{name:<28} n={len(ms):<4} p50 {statistics.median(ms):7.1f} ms   "
            f"p95 {p95:7.1f} ms   max {ms[-1]:7.1f} ms")


def crowd(base: str, paths: list[str], clients: int, seconds: float) -> tuple[int, int, float]:
    """clients threads, each GETting random paths until the time is up: (requests, errors,
    worst seconds)."""
    stop = time.monotonic() + seconds
    counts = [0] * clients
    errors: list[str] = []
    worst = [0.0]

    def work(i: int) -> None:
        rnd = random.Random(i)
        with httpx.Client(base_url=base, timeout=60) as c:
            c.get("/")
            while time.monotonic() < stop:
                path = rnd.choice(paths)
                t = time.perf_counter()
                try:
                    r = c.get(path)
                    if r.status_code != 200:
                        errors.append(f"{path}: {r.status_code}")
                except httpx.HTTPError as e:
                    errors.append(f"{path}: {e!r}")
                worst[0] = max(worst[0], time.perf_counter() - t)
                counts[i] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for e in errors[:5]:
        print("  error:", e)
    return sum(counts), len(errors), worst[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--communes", type=int, default=3300)
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("serve_args", nargs="*", help="more options for scorecard serve")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="scorecard-web-bench-") as tmp:
        folder = Path(tmp)
        port = free_port()
        db = ["--db", f"sqlite:///{folder / 'store.sqlite'}"]  # never the user's own store
        proc = start(port, folder, [*db, *args.serve_args])
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, timeout=120) as c:
                national = synthetic(folder / "2025-10_xa-phuong.csv", args.communes)
                took, status = upload(c, national, "2025-10")
                print(f"import {args.communes} communes through the page: {took:.2f} s "
                      f"({status})")
                took, status = upload(c, WORKBOOK, "2025-10")
                print(f"import the An Giang workbook's month (34 provinces): {took:.2f} s "
                      f"({status})   target <= 2 s")
                commune = "/2025-10/commune/H01.1000"
                for path in ("/2025-10/commune", commune, commune + ".pdf",
                             "/2025-10/province/H01", "/2025-10/province/H01.pdf"):
                    took = timed(c, path, 1)[0]  # the first read of a period scores it
                    print(f"first read of {path}: {took * 1000:.0f} ms")
                print(describe("commune view", timed(c, commune, args.requests)),
                      "  target p95 <= 150 ms")
                print(describe("commune PDF", timed(c, commune + ".pdf", args.requests)),
                      "  target p95 <= 300 ms")
                print(describe("province view", timed(c, "/2025-10/province/H01",
                                                      args.requests)))
                print(describe("province PDF", timed(c, "/2025-10/province/H01.pdf",
                                                     args.requests)))
                print(describe("province ranking", timed(c, "/2025-10/province",
                                                         args.requests // 4 or 1)))
                units = re.findall(r'href="(/2025-10/province/[^"/.]+)"',
                                   c.get("/2025-10/province").text)
            paths = ["/", "/2025-10/province", *units[:8], f"{units[0]}.pdf", commune,
                     commune + ".pdf"]
            n, bad, worst = crowd(base, paths, args.clients, args.seconds)
            print(f"{args.clients} clients for {args.seconds:g} s: {n} requests, {bad} errors, "
                  f"slowest {worst * 1000:.0f} ms   target: no error")
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
