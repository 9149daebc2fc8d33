"""Render a month: unit PDFs (in parallel), summary.pdf, and manifest.csv written last."""

from __future__ import annotations

import dataclasses
import io
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from .content.options import PageOptions
from .errors import RenderError, ScorecardError, WriteError
from .files import folder_lock, write_atomic, write_error
from .language import Language
from .manifest import (
    MANIFEST,
    ManifestResaved,
    ManifestRow,
    file_name,
    fingerprint,
    manifest_row,
    read_manifest,
    sha256_file,
    write_manifest,
)
from .messages import Msg, msg, printable
from .model import Rank, Scorecard

if TYPE_CHECKING:
    from .render.common import Pdf
    from .signing import SignSpec

SUMMARY = "summary.pdf"


Progress = Callable[[Iterator[ManifestRow], int], Iterator[ManifestRow]]


@dataclass(frozen=True)
class RunResult:
    folder: Path
    rows: list[ManifestRow]
    notes: tuple[Msg, ...] = ()  # what the clerk should know (printed as 'Lưu ý: …')


def cores() -> int:
    """All the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
        os.cpu_count() or 1)


class Workers:
    """The worker processes of a render, started before the data is read: their start-up
    (reportlab, fonts, templates) then overlaps the main process's loading and validation.

    Never more than the cores, nor than the units when they are named (`units`): each
    process costs tens of MB, and `--jobs 100000` once ran a machine out of memory. `capped`
    says so when the number asked for was lowered.
    """

    def __init__(self, jobs: int, lang: Language, templates: str | None, signs: bool = False,
                 units: int = 0):
        n = cores()
        self.jobs = min(jobs, n, units or jobs)
        self.capped = None if self.jobs == jobs else msg(
            "jobs_capped", asked=jobs, jobs=self.jobs, cores=n, units=units or "—")
        self.pool = None
        if self.jobs > 1:
            self.pool = ProcessPoolExecutor(max_workers=self.jobs, initializer=_warm_up,
                                            initargs=(lang, templates, signs))
            # starts the processes now, without waiting for them; they ignore Ctrl-C (the
            # terminal sends it to all): the main process stops the run and says so once
            try:
                with _ctrl_c_ignored():
                    self.pool.submit(int)
            except BaseException:
                self.pool.shutdown(wait=True, cancel_futures=True)
                raise

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _warm_up(lang: Language, templates: str | None, signs: bool = False) -> None:
    """Fonts, styles and the compiled template, once per process; pyHanko's modules (a
    second of imports) when the run signs — the key itself is opened at the first page."""
    if multiprocessing.parent_process() is not None:  # a worker (spawned: Windows, macOS)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    from .narrative import environment
    from .render.common import styles

    _die_with_parent()
    styles()
    environment(templates).get_template(f"narrative.{lang}.j2")
    if signs:
        import pyhanko.sign.signers  # noqa: F401
        import pyhanko.sign.timestamps  # noqa: F401


@contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Processes started inside (fork) inherit a Ctrl-C handler that only notes it, until
    their start-up ignores it; this process, the handler put back, then stops as if the
    Ctrl-C came now (ignoring it here lost one that came while the workers started)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: came.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if came:
        raise KeyboardInterrupt


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


def _render_batch(cards: Sequence[Scorecard], opts: PageOptions, folder: Path,
                  signing: SignSpec | None = None) -> list[ManifestRow]:
    """Draw the cards' pages in order while a thread writes each finished one (the write's
    fsync waits on the disk, not the processor: the next page is drawn meanwhile); return
    once every file of the batch is on disk. Any failure is reported against its unit, and
    after a failed write no further page is drawn or written."""
    from .content.page import unit_page
    from .render.pdf import unit_pdf

    rows = []
    disk = _Disk()
    written: list[tuple[Scorecard, Future[None]]] = []
    try:
        for card in cards:
            if disk.failed:
                break
            with _blamed(card):
                page = unit_page(card, opts)
                name = file_name(card)
                pdf = _signed(unit_pdf(page), signing)
            written.append((card, disk.write(folder / name, pdf.data)))
            rows.append(manifest_row(kind="unit", period=card.period, file=name,
                                     data=pdf.data, content=fingerprint(page),
                                     pages=pdf.pages, card=card))
    finally:
        disk.pool.shutdown(wait=True)
        for card, done in written:
            with _blamed(card):
                done.result()
    return rows


class _Disk:
    """One thread writing a batch's files in order; after a failure it writes no more (the
    batch raises the first failure, against its unit)."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="disk")
        self.failed = False

    def write(self, path: Path, data: bytes) -> Future[None]:
        return self.pool.submit(self._write, path, data)

    def _write(self, path: Path, data: bytes) -> None:
        if self.failed:
            return
        try:
            write_atomic(path, data)
        except BaseException:
            self.failed = True
            raise


@contextmanager
def _blamed(card: Scorecard) -> Iterator[None]:
    """Any failure inside, reported against the unit that caused it."""
    try:
        yield
    except Exception as e:
        why = e if isinstance(e, ScorecardError) else f"{type(e).__name__}: {e}"
        raise RenderError(msg("render_failed", code=card.unit.code, name=card.unit.name,
                              why=why)) from e


def render_month(cards: Sequence[Scorecard], opts: PageOptions, out: Path, *,
                 workers: Workers | None = None, summary: bool = True,
                 progress: Progress | None = None, signing: SignSpec | None = None) -> RunResult:
    """Write every card's PDF, then summary.pdf, then the manifest; raise RenderError on failure.
    With `signing`, every PDF is signed before it is written and hashed.

    One command at a time writes the month's folder (a lock file; a second is refused up
    front). The month's old manifest is set aside first, so that a failed run never leaves
    a manifest listing files this run may have replaced; it is put back only when the new
    one cannot be written. Rows of the old manifest are kept when their files still match
    their hashes: a bulletin's always, other units' with a subset of units (`summary=False`).
    """
    if not cards:
        raise RenderError(msg("no_units"))
    folder = out / cards[0].period.slug
    names = [file_name(c) for c in cards]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise RenderError(msg("name_clash", files=twice))
    with folder_lock(folder):
        return _render_locked(cards, opts, folder, names, workers, summary, progress, signing)


def _render_locked(cards: Sequence[Scorecard], opts: PageOptions, folder: Path,
                   names: list[str], workers: Workers | None, summary: bool,
                   progress: Progress | None, signing: SignSpec | None) -> RunResult:
    manifest = folder / MANIFEST
    said: list[Msg] = []
    # a whole month replaces every row but a bulletin's; a subset keeps the other units' too
    kept = [r for r in _still_valid(manifest, set(names), said)
            if not summary or r.kind == "bulletin"]
    for stale in folder.glob(".*.tmp"):  # left by a run that was killed outright
        stale.unlink(missing_ok=True)
    previous = _set_aside(manifest)
    try:
        rows, (tail, undrawable) = _render_all(cards, opts, folder, workers, summary,
                                               progress, signing)
    except BaseException:
        if previous is not None:
            previous.unlink(missing_ok=True)
        raise
    notes = [*undrawable, *said]
    try:
        write_manifest(manifest, [*kept, *rows, *tail])
    except WriteError as e:
        if previous is not None:  # the clerk keeps the month's last good manifest
            os.replace(previous, manifest)
            raise WriteError(msg("problem", where=e.message,
                                 what=msg("manifest_kept", file=manifest))) from e
        raise
    if previous is not None:
        previous.unlink(missing_ok=True)
    return RunResult(folder, [*rows, *tail], tuple(notes))


def _undrawable(cards: Sequence[Scorecard], opts: PageOptions) -> list[Msg]:
    """A warning for each name (and the office) with characters the font cannot draw, which
    would otherwise vanish from the page without a word."""
    from .render.fonts import missing_glyphs

    found = [(f"{c.unit.code} {c.unit.name}".strip(), missing_glyphs(c.unit.name))
             for c in cards]
    found += [(name, missing_glyphs(text)) for name, text in (("--office", opts.office),
                                                               ("--office-en", opts.office_en))
              if text]
    return [msg("glyph_missing", what=what, chars=[f"'{printable(ch)}' (U+{ord(ch):04X})"
                                                   for ch in chars])
            for what, chars in found if chars]


def _set_aside(manifest: Path) -> Path | None:
    """Move the old manifest to a hidden name (a failed run then leaves none); a manifest
    another program holds open (Excel on Windows) stops the run here, before any PDF, with
    the file named. Also proves the folder writable before anything is drawn."""
    aside = manifest.with_name(f".{manifest.name}.previous.tmp")
    probe = manifest.with_name(f".write-test-{os.getpid()}.tmp")
    try:
        probe.touch()
        probe.unlink()
    except OSError as e:
        raise write_error(manifest.parent, e) from e
    if not manifest.exists():
        return None
    try:
        os.replace(manifest, aside)
    except OSError as e:
        raise write_error(manifest, e, in_use=True) from e
    return aside


Tail = tuple[list[ManifestRow], list[Msg]]


def _render_all(cards: Sequence[Scorecard], opts: PageOptions, folder: Path,
                workers: Workers | None, summary: bool, progress: Progress | None,
                signing: SignSpec | None) -> tuple[list[ManifestRow], Tail]:
    """The units' rows, then the summary's and the names the fonts cannot draw. In a
    parallel run a worker draws the summary too, first, while the other workers start on
    the units: the main process never loads reportlab and the fonts, and its core is the
    workers' (on two cores, a summary drawn beside two workers slowed them all)."""
    progress = progress or (lambda results, n: results)
    pool = workers.pool if workers is not None else None
    if workers is not None and pool is not None and len(cards) >= 4:
        tail = pool.submit(_packed_tail, _packed(cards), opts, folder, signing, summary)
        size = max(1, min(8, len(cards) // (workers.jobs * 16)))  # small: the last even out
        batches = _batches(cards, size)
        results = pool.map(_render_batch, batches, [opts] * len(batches),
                           [folder] * len(batches), [signing] * len(batches))
        rows = list(progress(chain.from_iterable(results), len(cards)))
        return rows, tail.result()
    _warm_up(opts.lang, opts.templates)
    rows = list(progress(chain.from_iterable(
        _render_batch(batch, opts, folder, signing) for batch in _batches(cards, 8)),
        len(cards)))
    return rows, _tail(list(cards), opts, folder, signing, summary)


def _batches(cards: Sequence[Scorecard], size: int) -> list[Sequence[Scorecard]]:
    return [cards[i:i + size] for i in range(0, len(cards), size)]


PACK = 256  # cards a pickle


class _Shared(pickle.Pickler):
    """Pickles a pack of cards with the scores and ranks they share (one Decimal per value,
    one Rank per place: validate and score_month) as numbers into a table for all packs:
    each pack pickled apart lost that sharing, 9.3 MB of a national month's cards in the
    summary's worker against 6.2 MB."""

    def __init__(self, file: io.BytesIO, table: list[object], index: dict[int, int]):
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.table, self.index = table, index

    def persistent_id(self, obj: object) -> int | None:
        if type(obj) is not Decimal and type(obj) is not Rank:
            return None
        number = self.index.get(id(obj))
        if number is None:
            number = self.index[id(obj)] = len(self.table)
            self.table.append(obj)
        return number


Packed = tuple[bytes, tuple[bytes, ...]]  # the shared table, then the packs


def _packed(cards: Sequence[Scorecard]) -> Packed:
    """Every card for the summary's worker, pickled PACK at a time: one pickle of a national
    month's 3,872 cards kept a memo of every object in them, 22 MB in the main process for
    1.7 MB of bytes."""
    table: list[object] = []
    index: dict[int, int] = {}
    packs = []
    for i in range(0, len(cards), PACK):
        file = io.BytesIO()
        _Shared(file, table, index).dump(list(cards[i:i + PACK]))
        packs.append(file.getvalue())
    return pickle.dumps(table, pickle.HIGHEST_PROTOCOL), tuple(packs)


def _unpacked(packed: Packed) -> list[Scorecard]:
    table, cards = pickle.loads(packed[0]), []
    for pack in packed[1]:
        unpickler = pickle.Unpickler(io.BytesIO(pack))
        unpickler.persistent_load = table.__getitem__  # type: ignore[method-assign]
        cards += unpickler.load()
    return cards


def _packed_tail(packed: Packed, opts: PageOptions, folder: Path, signing: SignSpec | None,
                 summary: bool) -> Tail:
    return _tail(_unpacked(packed), opts, folder, signing, summary)


def _tail(cards: list[Scorecard], opts: PageOptions, folder: Path,
          signing: SignSpec | None, summary: bool) -> Tail:
    """summary.pdf's row (with `summary`) and a warning for each name the fonts cannot draw.
    `cards` is emptied once the summary's content is made: a national month's cards (11 MB)
    are not kept while its 92 pages are laid out (10 MB more)."""
    from .content.summary import summary_page
    from .render.summary import summary_pdf

    undrawable = _undrawable(cards, opts)
    if not summary:
        return [], undrawable
    page, period = summary_page(cards, opts), cards[0].period
    cards.clear()
    content = fingerprint(page)  # before drawing: its copy of the page (7 MB) is gone by then
    pdf = _signed(summary_pdf(page), signing)
    write_atomic(folder / SUMMARY, pdf.data)
    return [manifest_row(kind="summary", period=period, file=SUMMARY, data=pdf.data,
                         content=content, pages=pdf.pages)], undrawable


def _signed(pdf: Pdf, signing: SignSpec | None) -> Pdf:
    """A PDF as a run writes it: signed when the run signs (the key opened once per
    process), so that the manifest hashes the bytes the recipient gets."""
    if signing is None:
        return pdf
    from .signing import signer

    return dataclasses.replace(pdf, data=signer(signing).sign(pdf.data))


def _still_valid(manifest: Path, replaced: set[str], notes: list[Msg]) -> list[ManifestRow]:
    if not manifest.exists():
        return []
    try:
        old = read_manifest(manifest)
    except ManifestResaved:  # saved again by Excel: its rows cannot be trusted
        notes.append(msg("manifest_rewritten", file=manifest))
        return []
    kept = []
    for r in old:
        p = manifest.parent / r.file
        if r.file not in replaced and p.exists() and sha256_file(p) == r.sha256:
            kept.append(r)
    return kept
