"""Mail on demand, against a local SMTP server (aiosmtpd on 127.0.0.1): kill trials, and speed.

    python benchmarks/mail.py kills [--trials 30]    # kill -9 at random moments, then rerun
    python benchmarks/mail.py speed [--units 1000]   # plan step and messages per second

kills: a month of 34 real units, two recipients each; each trial starts `scorecard mail` on
a fresh copy, kills it outright at a random moment, reruns it until it exits 0, and checks
that every recipient got its scorecard (none lost) and that every repeat carried the same
Message-ID (at-least-once, as promised). speed: N units × 1 recipient, the plan step timed
in-process, then the whole send. Needs the test extras (aiosmtpd). Not in the test run.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import csv
import email
import email.policy
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCORECARD = [sys.executable, "-m", "scorecard"]


class Recorder:
    """Keeps (recipient, unit file, Message-ID) of every message accepted."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.got: list[tuple[str, str, str]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        await asyncio.sleep(self.delay)  # a real server takes a while: kills land mid-send
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        files = [p.get_filename() for p in msg.iter_attachments()]
        with self.lock:
            for r in envelope.rcpt_tos:
                self.got.append((r, files[0] if files else "", str(msg["Message-ID"])))
        return "250 OK"


def server(delay: float) -> tuple[object, Recorder, int]:
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    rec = Recorder(delay)
    ctl = Controller(rec, hostname="127.0.0.1", port=port)
    ctl.start()
    return ctl, rec, port


def render(data: Path, out: Path) -> Path:
    subprocess.run([*SCORECARD, "render", str(data), "--out", str(out), "--issued",
                    "2025-10-20", "--jobs", "2"], check=True, capture_output=True)
    return out / "2025-10"


def mail_cmd(folder: Path, rcpt: Path, port: int) -> list[str]:
    return [*SCORECARD, "mail", str(folder / "manifest.csv"), "--recipients", str(rcpt),
            "--from", "bang-diem@tinh.example", "--smtp-host", "127.0.0.1", "--smtp-port",
            str(port), "--backoff", "0"]


def kills(trials: int, seed: int) -> int:
    rnd = random.Random(seed)
    work = Path(tempfile.mkdtemp(prefix="scorecard-kills-"))
    month = render(ROOT / "examples" / "2025-10_tinh-thanh.csv", work / "render")
    with (month / "manifest.csv").open(encoding="utf-8-sig") as f:
        units = [r for r in csv.DictReader(f) if r["code"]]
    rcpt = work / "recipients.csv"
    with rcpt.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "to", "cc"])
        for u in units:
            w.writerow([u["code"], f"vp.{u['code'].lower()}@tinh.example",
                        f"cc.{u['code'].lower()}@tinh.example"])
    want = {(f"{who}.{u['code'].lower()}@tinh.example", u["file"]) for u in units
            for who in ("vp", "cc")}
    ctl, rec, port = server(delay=0.02)
    lost = duplicates = mixed_ids = reruns = 0
    try:
        for t in range(trials):
            folder = work / f"trial-{t}"
            shutil.copytree(month, folder, ignore=shutil.ignore_patterns("mail-ledger*"))
            with rec.lock:
                rec.got.clear()
            proc = subprocess.Popen(mail_cmd(folder, rcpt, port), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(rnd.uniform(0.2, 2.5))  # start-up is ~0.4 s, a full run ~1.5 s
            proc.kill()
            proc.wait()
            for _ in range(5):
                reruns += 1
                done = subprocess.run(mail_cmd(folder, rcpt, port), capture_output=True)
                if done.returncode == 0:
                    break
            with rec.lock:
                got = list(rec.got)
            per = collections.defaultdict(list)
            for r, f, mid in got:
                per[(r, f)].append(mid)
            lost += len(want - set(per))
            duplicates += sum(len(m) - 1 for m in per.values())
            mixed_ids += sum(len(set(m)) > 1 for m in per.values())
    finally:
        ctl.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{trials} kill trials, {len(want)} recipients each, {reruns} reruns:")
    print(f"  lost: {lost}")
    print(f"  repeated messages (at-least-once): {duplicates}")
    print(f"  repeats with a different Message-ID: {mixed_ids}")
    return 1 if lost or mixed_ids else 0


def speed(n: int) -> int:
    sys.path.insert(0, str(ROOT))
    from scorecard.mail import plan, read_recipients
    from scorecard.manifest import read_manifest

    work = Path(tempfile.mkdtemp(prefix="scorecard-mail-speed-"))
    try:
        rows = [[f"H{1 + i % 34:02d}.{1000 + i}", f"UBND xã Thử Nghiệm {i}", i % 100 + 0.5]
                for i in range(n)]
        data = work / "month.csv"
        with data.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["month", "MA_COQUAN", "TEN", "LOAI_COQUAN", "CKMB", "TDGQ", "CLGQ",
                        "TTTT", "MDHL", "MDSH"])
            for code, name, _ in rows:
                w.writerow(["2025-10", code, name, 3, 9, 10, 6, 5, 9, 11])
        start = time.perf_counter()
        month = render(data, work / "render")
        print(f"render {n} units: {time.perf_counter() - start:.1f} s")
        rcpt = work / "recipients.csv"
        with rcpt.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["name", "to"])  # by name, the slow way to match
            for i, (_, name, _) in enumerate(rows):
                w.writerow([name, f"xa{i}@tinh.example"])
        units = [r for r in read_manifest(month / "manifest.csv") if r.code]
        recipients = read_recipients(rcpt)
        start = time.perf_counter()
        deliveries, _ = plan(units, recipients, "vi")
        print(f"plan {len(units)} units × {len(recipients)} recipient rows: "
              f"{time.perf_counter() - start:.3f} s ({len(deliveries)} deliveries)")
        ctl, rec, port = server(delay=0)
        try:
            start = time.perf_counter()
            done = subprocess.run(mail_cmd(month, rcpt, port), capture_output=True, text=True)
            wall = time.perf_counter() - start
        finally:
            ctl.stop()
        print(f"mail {len(rec.got)} messages: {wall:.1f} s, {len(rec.got) / wall:.0f} messages/s"
              f" (exit {done.returncode})")
        return done.returncode
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    k = sub.add_parser("kills")
    k.add_argument("--trials", type=int, default=30)
    k.add_argument("--seed", type=int, default=766)
    s = sub.add_parser("speed")
    s.add_argument("--units", type=int, default=1000)
    args = ap.parse_args()
    return kills(args.trials, args.seed) if args.what == "kills" else speed(args.units)


if __name__ == "__main__":
    sys.exit(main())
