"""Where a page's CPU goes (issue 22), in one process, on demand.

    python benchmarks/pages.py [--units 1000] [--top 25]

Loads a synthetic month (benchmarks/run.py's), then draws every unit's page as a worker does
and prints CPU milliseconds a page by phase: the content (figures, words, narrative), its
fingerprint (content_sha256), layout and drawing, saving the PDF (object serialisation and
zlib, apart), and the summary; then, with --top, cProfile's heaviest functions of the pages.
CPU time (time.process_time) is what a loaded machine changes least; still, run it twice.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import sys
import tempfile
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import synthetic  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--top", type=int, default=0, help="cProfile's N heaviest functions")
    args = ap.parse_args()
    from reportlab.pdfbase import pdfdoc

    from scorecard.content.options import PageOptions
    from scorecard.content.page import unit_page
    from scorecard.content.summary import summary_page
    from scorecard.manifest import fingerprint
    from scorecard.pipeline import Options, load
    from scorecard.render import common
    from scorecard.render.pdf import unit_pdf
    from scorecard.render.summary import summary_pdf

    with tempfile.TemporaryDirectory() as tmp:
        start = time.process_time()
        loaded = load(Options(str(synthetic(Path(tmp) / "month.csv", args.units))))
    print(f"read, validate, score {args.units} units: {time.process_time() - start:.2f} s")
    opts = PageOptions(loaded.index, issued=dt.date(2025, 10, 20))
    spent = dict.fromkeys(("content", "fingerprint", "layout and drawing", "saving",
                           "  of which zlib"), 0.0)
    save, compress = common._NumberedCanvas.save, zlib.compress

    def timed_save(canvas: common._NumberedCanvas) -> None:
        t = time.process_time()
        save(canvas)
        spent["saving"] += time.process_time() - t

    def timed_compress(data: bytes, *a: int) -> bytes:
        t = time.process_time()
        out = compress(data, *a)
        spent["  of which zlib"] += time.process_time() - t
        return out

    unit_pdf(unit_page(loaded.cards[0], opts))  # the first page makes the fonts' subsets
    common._NumberedCanvas.save = timed_save  # type: ignore[method-assign]
    pdfdoc.zlib.compress = timed_compress  # type: ignore[attr-defined]
    profile = cProfile.Profile() if args.top else None
    size = 0
    for card in loaded.cards:
        if profile:
            profile.enable()
        t0 = time.process_time()
        page = unit_page(card, opts)
        t1 = time.process_time()
        fingerprint(page)
        t2 = time.process_time()
        size += len(unit_pdf(page).data)
        t3 = time.process_time()
        if profile:
            profile.disable()
        spent["content"] += t1 - t0
        spent["fingerprint"] += t2 - t1
        spent["layout and drawing"] += t3 - t2
    common._NumberedCanvas.save = save  # type: ignore[method-assign]
    pdfdoc.zlib.compress = compress  # type: ignore[attr-defined]
    spent["layout and drawing"] -= spent["saving"]
    n = len(loaded.cards)
    for what, s in spent.items():
        print(f"{what:<20} {s * 1000 / n:6.2f} ms a page")
    total = sum(v for k, v in spent.items() if not k.startswith(" "))
    print(f"{'a page in all':<20} {total * 1000 / n:6.2f} ms, {size / n / 1024:.1f} KB")
    t = time.process_time()
    pdf = summary_pdf(summary_page(loaded.cards, opts))
    print(f"summary.pdf          {time.process_time() - t:6.2f} s, {pdf.pages} pages")
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
