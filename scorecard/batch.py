"""Render a month: unit PDFs (in parallel), summary.pdf, and manifest.csv written last."""

from __future__ import annotations

import csv
import hashlib
import io
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import RenderError, ScorecardError
from .files import write_atomic
from .messages import msg
from .model import Scorecard
from .narrative import environment
from .render.common import Pdf, styles
from .render.pdf import PageOptions, file_name, unit_pdf
from .render.summary import summary_pdf

MANIFEST = "manifest.csv"
SUMMARY = "summary.pdf"
FIELDS = ("month", "level", "code", "name", "file", "sha256", "bytes", "pages", "total", "rank",
          "class")


Progress = Callable[[Iterator["ManifestRow"], int], Iterator["ManifestRow"]]


@dataclass(frozen=True)
class ManifestRow:
    month: str
    level: str
    code: str
    name: str
    file: str
    sha256: str
    bytes: int
    pages: int
    total: str
    rank: str
    klass: str

    def as_csv(self) -> list[str]:
        return [self.month, self.level, self.code, self.name, self.file, self.sha256,
                str(self.bytes), str(self.pages), self.total, self.rank, self.klass]


@dataclass(frozen=True)
class RunResult:
    folder: Path
    rows: list[ManifestRow]


def _warm_up(opts: PageOptions) -> None:
    """Fonts, styles and the compiled template, once per process (inherited when forked)."""
    _die_with_parent()
    styles()
    environment(opts.templates).get_template(f"narrative.{opts.lang}.j2")


def _die_with_parent() -> None:
    """A worker whose parent is killed outright (kill -9) exits at once instead of drawing
    on and holding the cron job's output open; works with fork and spawn alike."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _render_one(card: Scorecard, opts: PageOptions, folder: Path) -> ManifestRow:
    try:
        pdf = unit_pdf(card, opts)
        name = file_name(card)
        write_atomic(folder / name, pdf.data)
    except Exception as e:  # any failure is reported against the unit that caused it
        why = e if isinstance(e, ScorecardError) else f"{type(e).__name__}: {e}"
        raise RenderError(msg("render_failed", code=card.unit.code, name=card.unit.name,
                              why=why)) from e
    return _row(card, name, pdf)


def _row(card: Scorecard | None, name: str, pdf: Pdf) -> ManifestRow:
    if card is None:
        return ManifestRow("", "", "", "", name, hashlib.sha256(pdf.data).hexdigest(),
                           len(pdf.data), pdf.pages, "", "", "")
    rank = card.rank
    return ManifestRow(
        card.period.slug, card.unit.level.name.lower(), card.unit.code, card.unit.name, name,
        hashlib.sha256(pdf.data).hexdigest(), len(pdf.data), pdf.pages,
        "" if card.total is None else str(card.total),
        "" if rank is None else str(rank),
        card.band.vi if card.band else "")


def render_month(cards: Sequence[Scorecard], opts: PageOptions, out: Path, *, jobs: int = 1,
                 summary: bool = True, progress: Progress | None = None) -> RunResult:
    """Write every card's PDF, then summary.pdf, then the manifest; raise RenderError on failure.

    The month's old manifest is removed first, so that a failed run never leaves a manifest
    listing files this run may have replaced. With a subset of units (`summary=False`), rows
    of other units from the old manifest are kept when their files still match their hashes.
    """
    if not cards:
        raise RenderError(msg("no_units"))
    folder = out / cards[0].period.slug
    manifest = folder / MANIFEST
    names = [file_name(c) for c in cards]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise RenderError(msg("name_clash", files=twice))
    kept = [] if summary else _still_valid(manifest, set(names))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        manifest.unlink(missing_ok=True)
        probe = folder / f".write-test-{os.getpid()}.tmp"  # a read-only folder fails here,
        probe.touch()  # before any PDF is drawn
        probe.unlink()
    except OSError as e:
        raise RenderError(msg("cannot_write", file=folder, why=e.strerror or e)) from e
    for stale in folder.glob(".*.tmp"):  # left by a run that was killed outright
        stale.unlink(missing_ok=True)
    _warm_up(opts)  # before forking, so that the workers inherit it all
    progress = progress or (lambda results, n: results)
    if jobs > 1 and len(cards) >= 4:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_warm_up,
                                 initargs=(opts,)) as pool:
            chunk = max(1, min(8, len(cards) // (jobs * 16)))
            results = pool.map(_render_one, cards, [opts] * len(cards), [folder] * len(cards),
                               chunksize=chunk)
            try:
                # the summary is drawn here while the workers draw the units
                tail = [_write_summary(cards, opts, folder)] if summary else []
                rows = list(progress(results, len(cards)))
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    else:
        rows = list(progress((_render_one(c, opts, folder) for c in cards), len(cards)))
        tail = [_write_summary(cards, opts, folder)] if summary else []
    listed = sorted([*kept, *rows, *tail], key=lambda r: (not (r.code or r.name), r.level,
                                                          r.code, r.name))  # summary last
    write_manifest(manifest, listed)
    return RunResult(folder, [*rows, *tail])


def _write_summary(cards: Sequence[Scorecard], opts: PageOptions, folder: Path) -> ManifestRow:
    pdf = summary_pdf(cards, opts.index, opts.lang, opts.office, opts.issued)
    write_atomic(folder / SUMMARY, pdf.data)
    return _row(None, SUMMARY, pdf)


def write_manifest(path: Path, rows: Sequence[ManifestRow]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows([_inert(c) for c in r.as_csv()] for r in rows)
    write_atomic(path, buf.getvalue().encode("utf-8"))


def _inert(cell: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula: a unit named
    '=HYPERLINK(…)' must stay text when the clerk opens the manifest in Excel."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def read_manifest(path: Path) -> list[ManifestRow]:
    """The rows of a manifest.csv, as written by write_manifest."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if tuple(header or ()) != FIELDS:
            raise RenderError(msg("not_manifest", file=path, columns=",".join(FIELDS)))
        return [ManifestRow(r[0], r[1], r[2], r[3], r[4], r[5], int(r[6]), int(r[7]), r[8], r[9],
                            r[10]) for r in reader if r]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


def _still_valid(manifest: Path, replaced: set[str]) -> list[ManifestRow]:
    if not manifest.exists():
        return []
    kept = []
    for r in read_manifest(manifest):
        p = manifest.parent / r.file
        if r.file not in replaced and p.exists() and sha256_file(p) == r.sha256:
            kept.append(r)
    return kept


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)
