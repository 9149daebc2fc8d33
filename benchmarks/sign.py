"""What signing costs (SPEC §11, issue 20), on demand.

    python benchmarks/sign.py [--pages 200] [--repeat 3] [--jobs 1,2]

1. Signing cost per PDF: one real unit page (Bắc Ninh, October 2025) signed `--pages` times
   in one process with an EC P-256 and an RSA-2048 key from a PKCS#12 file (the key opened
   once, as a worker does), PAdES B-B; CPU ms per signature (what the machine's load does
   not change), and the wall median and 90th percentile. Aim: EC <= 10 ms, RSA <= 20 ms.
2. The whole month (34 provinces and the summary): `scorecard render` as whole processes,
   unsigned, signed with EC and signed with RSA, at each --jobs; best wall time of
   `--repeat` runs with its CPU seconds (user + system, workers included), and the
   difference signing makes.

The certificates come from tests/pki.py (a test CA made with `cryptography`). Not part of the
test suite: timings on a shared machine are for reading, not asserting.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MONTH = ROOT / "examples" / "2025-10_tinh-thanh.csv"
AT = "2025-10-20T09:00:00+07:00"
sys.path.insert(0, str(ROOT / "tests"))


def one_page() -> bytes:
    """Bắc Ninh's page as render draws it, unsigned."""
    from scorecard.content import PageOptions
    from scorecard.pipeline import Options, load
    from scorecard.render.pdf import unit_pdf

    loaded = load(Options(data=str(MONTH), units=("H05",)))
    opts = PageOptions(loaded.index, "vi", None, dt.date(2025, 10, 20))
    return unit_pdf(opts.page(loaded.cards[0])).data


def per_pdf(p12: Path, password: str, page: bytes,
            pages: int) -> tuple[float, float, float, int]:
    """CPU ms per signature, wall median and p90 ms, and the signed PDF's extra bytes."""
    from scorecard import signing

    os.environ[signing.PASSWORD] = password
    spec = signing.SignSpec(dt.datetime.fromisoformat(AT), p12=str(p12))
    signer = signing.signer(spec)
    signed = signer.sign(page)  # the first one sizes the signature (not counted)
    times = []
    cpu = time.process_time()
    for _ in range(pages):
        start = time.perf_counter()
        signer.sign(page)
        times.append((time.perf_counter() - start) * 1000)
    cpu_ms = (time.process_time() - cpu) * 1000 / pages
    times.sort()
    return (cpu_ms, statistics.median(times), times[int(len(times) * 0.9)],
            len(signed) - len(page))


def month(out: Path, jobs: int, sign: list[str], password: str,
          repeat: int) -> tuple[float, float]:
    """Best wall seconds of a whole `scorecard render` of the month, and its CPU seconds
    (os.wait4: the process and the workers it reaped; POSIX, as benchmarks/run.py)."""
    env = {**os.environ, "SCORECARD_SIGN_PASSWORD": password}
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "scorecard", "render", str(MONTH),
                                 "--out", str(out), "--jobs", str(jobs), "--issued",
                                 "2025-10-20", *sign], env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if status != 0:
            raise SystemExit(f"scorecard render failed ({status})")
        best = min(best, (wall, usage.ru_utime + usage.ru_stime))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", default="1,2")
    args = parser.parse_args()
    from pki import PASSWORD, make_pki

    with tempfile.TemporaryDirectory() as tmp:
        pki = make_pki(Path(tmp))
        page = one_page()
        print(f"signing one PDF ({len(page):,} bytes), PAdES B-B, {args.pages} times:")
        for label, person, aim in (("EC P-256", pki.ec, 10), ("RSA-2048", pki.rsa, 20)):
            cpu, median, p90, extra = per_pdf(person.p12, PASSWORD, page, args.pages)
            print(f"  {label:9} CPU {cpu:5.1f} ms (aim <= {aim} ms)  wall median {median:5.1f}"
                  f" ms, p90 {p90:5.1f} ms  +{extra:,} bytes")
        print(f"the month (34 units + summary), best of {args.repeat} whole processes:")
        for jobs in (int(j) for j in args.jobs.split(",")):
            plain, plain_cpu = month(Path(tmp) / "plain", jobs, [], PASSWORD, args.repeat)
            line = f"  --jobs {jobs}: unsigned {plain:5.2f} s (CPU {plain_cpu:5.2f} s)"
            for label, person in (("EC", pki.ec), ("RSA", pki.rsa)):
                took, cpu = month(Path(tmp) / label, jobs, ["--sign-p12", str(person.p12),
                                                            "--signing-time", AT],
                                  PASSWORD, args.repeat)
                line += (f"; signed {label} {took:5.2f} s (+{took - plain:4.2f}; CPU {cpu:5.2f}"
                         f" s)")
            print(line)


if __name__ == "__main__":
    main()
