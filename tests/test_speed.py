"""What keeps a render fast (issue 22), checked by what it does rather than by timing it:
the timings are benchmarks/run.py's, on demand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, EXAMPLES


def loaded_in_a_fresh_process(data: Path, sheet: str | None = None, month: str | None = None,
                              db: str | None = None) -> tuple[int, set[str]]:
    """How many cards a new process reads from `data`, and which heavy libraries it imported
    to do so."""
    code = ("import sys\n"
            "from scorecard.period import Period\n"
            "from scorecard.pipeline import Options, load\n"
            f"period = Period.parse({month!r}) if {month!r} else None\n"
            f"loaded = load(Options({str(data)!r}, sheet={sheet!r}, period=period, db={db!r}))\n"
            "print(len(loaded.cards), *(m for m in ('pandas', 'sqlalchemy') if m in sys.modules))")
    n, *modules = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout.split()
    return int(n), set(modules)


def test_a_render_with_no_store_file_imports_no_sqlalchemy(tmp_path):
    """The default store not made yet (nothing imported): no tenth of a second for
    SQLAlchemy's import, and still no file made by reading."""
    db = tmp_path / "none" / "scorecard.sqlite"
    assert loaded_in_a_fresh_process(EXAMPLES / "2025-10_tinh-thanh.csv",
                                     db=f"sqlite:///{db}") == (34, set())
    assert not db.exists() and not db.parent.exists()


@pytest.mark.parametrize("data, sheet, month, units", [
    (EXAMPLES / "2025-10_tinh-thanh.csv", None, None, 34),
    (DATA / "portal-export_2025-10-16_an-giang.xlsx", "Sở Ban", "2025-10", 15),
    (DATA / "service-results_national_2026-09-17.json", None, "2026", 34),
])
def test_reading_a_month_imports_no_pandas(data, sheet, month, units):
    """Reading a month is plain lists: pandas' import alone (0.2 s) was a fifth of a
    200-unit render's start before its workers could draw anything."""
    assert loaded_in_a_fresh_process(data, sheet, month) == (units, set())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unsigned_render_loads_neither_pandas_nor_the_signing_modules(tmp_path, jobs):
    """What a process imports before it draws is on every run's critical path (at -j2 the
    workers wait for the main process's): an unsigned run needs neither, and a run without
    dossier figures no explain (its formulas and their data file, at the first page)."""
    code = ("import sys\n"
            "from scorecard.console import main\n"
            f"sys.argv = ['scorecard', 'render', {str(EXAMPLES / '2025-10_tinh-thanh.csv')!r}, "
            f"'--out', {str(tmp_path)!r}, '--jobs', {jobs!r}, '--issued', '2025-10-20']\n"
            "try:\n"
            "    main()\n"
            "finally:\n"
            "    print(sorted(m for m in ('pandas', 'scorecard.signing', 'asyncio',\n"
            "                             'scorecard.explain') if m in sys.modules),\n"
            "          file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1] == "[]"
    assert (tmp_path / "2025-10" / "manifest.csv").exists()


def test_a_fingerprint_is_what_it_was_the_json_of_dataclasses_asdict(tmp_path):
    """content_sha256 keeps its meaning: the page's and the summary's content as
    dataclasses.asdict gives it, as JSON, dates left out (the mail job keys on it)."""
    import dataclasses
    import datetime as dt
    import hashlib
    import json

    from scorecard.content.options import PageOptions
    from scorecard.content.page import unit_page
    from scorecard.content.summary import summary_page
    from scorecard.manifest import fingerprint
    from scorecard.pipeline import Options, load

    loaded = load(Options(str(EXAMPLES / "2025-10_tinh-thanh.csv"),
                          history=(str(EXAMPLES / "2025-09_tinh-thanh.csv"),)))
    opts = PageOptions(loaded.index, issued=dt.date(2025, 10, 20), office="Văn phòng")
    pages = [unit_page(c, opts) for c in loaded.cards[:5]]
    for content in [*pages, summary_page(loaded.cards, opts)]:
        data = dataclasses.asdict(content)
        data["footer"].pop("issued")
        data["footer"].pop("signed")
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
        assert fingerprint(content) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_spawned_workers_write_the_same_bytes_as_one_process(tmp_path):
    """Windows and macOS start workers by spawning a fresh interpreter (no fork): each then
    makes its own font subsets, and every file, the manifest too, is still byte for byte
    what one process writes."""
    from click.testing import CliRunner

    from scorecard.cli import cli

    month = EXAMPLES / "2025-10_tinh-thanh.csv"
    common = [str(month), "--issued", "2025-10-20", "--office", "Văn phòng UBND tỉnh An Giang"]
    one = CliRunner().invoke(cli, ["render", *common, "--out", str(tmp_path / "one"),
                                   "--jobs", "1"])
    assert one.exit_code == 0, one.output
    code = ("import multiprocessing, sys\n"
            "if __name__ == '__main__':\n"
            "    multiprocessing.set_start_method('spawn')\n"
            "    from scorecard.cli import cli\n"
            "    cli(sys.argv[1:])\n")
    script = tmp_path / "spawned.py"
    script.write_text(code, "utf-8")
    done = subprocess.run([sys.executable, str(script), "render", *common, "--out",
                           str(tmp_path / "two"), "--jobs", "2"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    one_files = sorted(p.name for p in (tmp_path / "one" / "2025-10").iterdir())
    two_files = sorted(p.name for p in (tmp_path / "two" / "2025-10").iterdir())
    assert one_files == two_files and len(one_files) >= 36  # 34 units, summary, manifest
    for name in one_files:
        assert ((tmp_path / "one" / "2025-10" / name).read_bytes()
                == (tmp_path / "two" / "2025-10" / name).read_bytes()), name


def test_a_failed_write_names_its_unit_and_nothing_after_it_is_written(tmp_path,
                                                                       monkeypatch):
    """Files are written by a thread while the next page is drawn: the third file failing
    to be renamed into place is still reported against the third unit, and stops the run
    there (no later file, no manifest)."""
    import datetime as dt
    import errno
    import os

    import pytest

    from scorecard import files
    from scorecard.batch import render_month
    from scorecard.content.options import PageOptions
    from scorecard.errors import RenderError
    from scorecard.manifest import file_name
    from scorecard.pipeline import Options, load

    loaded = load(Options(str(EXAMPLES / "2025-10_tinh-thanh.csv")))
    real_replace, calls = os.replace, []

    def full_disk(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", full_disk)
    with pytest.raises(RenderError) as failed:
        render_month(loaded.cards, PageOptions(loaded.index, issued=dt.date(2025, 10, 20)),
                     tmp_path)
    third = loaded.cards[2]
    said = failed.value.message.text("vi")
    assert third.unit.name in said and "No space left on device" in said
    folder = tmp_path / "2025-10"
    assert sorted(p.name for p in folder.glob("*.pdf")) == sorted(
        file_name(c) for c in loaded.cards[:2])
    assert not list(folder.glob(".*.tmp")) and not (folder / "manifest.csv").exists()


def test_a_ctrl_c_while_the_workers_start_stops_the_run(monkeypatch):
    """The main process used to ignore Ctrl-C while it started the workers (so that they
    start ignoring it): one that came then was lost and the run went on to the end (seen as
    exit 0 in test_ctrl_c_at_any_moment_is_one_line_and_exit_130 under load)."""
    import os
    import signal

    import pytest

    from scorecard import batch
    from scorecard.language import Language

    if batch.cores() < 2:
        pytest.skip("one core: no workers to start")
    start = batch.ProcessPoolExecutor.submit

    def submit(self, *args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # the terminal's Ctrl-C, as the workers start
        return start(self, *args, **kwargs)

    monkeypatch.setattr(batch.ProcessPoolExecutor, "submit", submit)
    with pytest.raises(KeyboardInterrupt):
        batch.Workers(2, Language.VI, None)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_long_summary_lays_out_one_table_at_a_time(tmp_path, monkeypatch):
    """A level of 1,000 units is five tables of 200 rows: each is made when the layout
    reaches it and dropped once drawn (a Table holds an object per cell: the national
    month's summary held 20 MB of them at once). Counted on each page as it is finished:
    the tables still alive, the pieces split off the one being drawn included."""
    import datetime as dt
    import gc
    import weakref

    from reportlab.platypus import tables

    from scorecard.content.options import PageOptions
    from scorecard.content.summary import summary_page
    from scorecard.pipeline import Options, load
    from scorecard.render import common
    from scorecard.render.summary import CHUNK, summary_pdf

    month = tmp_path / "so-ban.csv"
    month.write_text("month,MA_COQUAN,TEN,LOAI_COQUAN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH\n" + "".join(
        f"2025-10,S{i:04d},Sở thứ {i},2,{9 + i % 9},{10 + i % 10},6,5,{9 + i % 9},{11 + i % 11}\n"
        for i in range(1000)), encoding="utf-8")
    loaded = load(Options(str(month)))
    page = summary_page(loaded.cards, PageOptions(loaded.index, issued=dt.date(2025, 10, 20)))
    alive: weakref.WeakSet[tables.Table] = weakref.WeakSet()
    made, init = [], tables.Table.__init__

    def counted(self, *args, **kwargs):
        init(self, *args, **kwargs)
        alive.add(self)
        made.append(len(self._cellvalues))

    monkeypatch.setattr(tables.Table, "__init__", counted)
    show, at_pages = common._NumberedCanvas.showPage, []

    def finished(self):
        gc.collect()
        at_pages.append(len(alive))
        show(self)

    monkeypatch.setattr(common._NumberedCanvas, "showPage", finished)
    pdf = summary_pdf(page)
    assert 1000 // CHUNK == 5 and pdf.pages > 20
    assert sum(1 for rows in made if rows > CHUNK) == 5  # each chunk with its header (+peer)
    assert max(at_pages) <= 3, at_pages  # before: all five chunks from the first page on


def test_the_summary_s_worker_gets_the_cards_without_a_memo_of_the_whole_month(tmp_path):
    """The cards go to the worker drawing summary.pdf as pickles of PACK each: one pickle
    of them all kept a memo of every object, 22 MB in the main process for a national
    month's 1.7 MB of bytes (what one pickle costs is measured here too, to show the
    measure tells them apart). The worker gets the same cards back, in order, still sharing
    one Decimal per score and one Rank per place across the packs (each pack pickled apart
    made its own: 9.3 MB of a national month's cards against 6.2)."""
    import gc
    import pickle
    import tracemalloc

    from scorecard.batch import PACK, _packed, _unpacked
    from scorecard.pipeline import Options, load

    month = tmp_path / "xa.csv"
    month.write_text("month,MA_COQUAN,TEN,LOAI_COQUAN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH\n" + "".join(
        f"2025-10,H01.{i},UBND xã Thử {i},3,{9 + i % 9},{10 + i % 10},6,5,{9 + i % 9},"
        f"{11 + i % 11}\n" for i in range(2000)), encoding="utf-8")
    cards = load(Options(str(month))).cards
    peaks = {}
    for name, pack in (("one pickle", lambda: [pickle.dumps(list(cards))]),
                       ("packed", lambda: (lambda t: [t[0], *t[1]])(_packed(cards)))):
        gc.collect()
        tracemalloc.start()
        packed = pack()
        peaks[name] = tracemalloc.get_traced_memory()[1] - sum(map(len, packed))
        tracemalloc.stop()
    assert peaks["one pickle"] > 4e6 and peaks["packed"] < 2e6, peaks
    table, packs = _packed(cards)
    assert len(packs) == -(-2000 // PACK)
    back = _unpacked((table, packs))
    assert back == list(cards)
    scores = [g.score for c in back for g in c.groups]
    ranks = [g.rank for c in back for g in c.groups]
    assert len({id(s) for s in scores}) == len(set(scores)) < 40
    assert len({id(r) for r in ranks}) == len(set(ranks)) < 80


def test_a_month_s_cards_hold_one_object_per_score_and_per_rank(tmp_path):
    """Every score of a month shares one Decimal per value (104 bytes each) and every rank
    one Rank per place: a national month's 27,000 of each were 3,900 values and 3,600 places,
    4 MB of its cards in the main process and again in the summary's worker."""
    from decimal import Decimal

    from scorecard.pipeline import Options, load

    month = tmp_path / "xa.csv"
    month.write_text("month,MA_COQUAN,TEN,LOAI_COQUAN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH\n" + "".join(
        f"2025-10,H01.{i},UBND xã Thử {i},3,{9 + i % 9}.50,{10 + i % 10},6,5,{9 + i % 9},"
        f"{11 + i % 11}\n" for i in range(300)), encoding="utf-8")
    cards = load(Options(str(month))).cards
    scores = [g.score for c in cards for g in c.groups] + [c.total for c in cards]
    ranks = [r for c in cards for r in (c.rank, *(g.rank for g in c.groups))]
    assert Decimal("9.5") in scores and str(cards[0].groups[0].score) == "9.5"  # as shown
    assert len({id(s) for s in scores}) == len({str(s) for s in scores}) < 60
    assert len({id(r) for r in ranks}) == len(set(ranks)) < 100
    assert cards[0].groups[0].rank == cards[9].groups[0].rank  # i % 9 == 0 both: tied


def test_a_manifest_is_written_a_row_at_a_time(tmp_path):
    """A national month's manifest (1.1 MB) was built whole as text and again as bytes
    before it was written: 6 MB at once, the main process's peak at the end of a render.
    Now a row at a time, and the file is what it was: a BOM, the header, a row per file."""
    import csv
    import gc
    import tracemalloc

    from scorecard.manifest import FIELDS, ManifestRow, write_manifest

    rows = [ManifestRow("2025-10", "unit", "commune", f"H01.{i}", f"UBND xã Thử Nghiệm {i}",
                        f"H01.{i}_ubnd-xa-thu-nghiem-{i}.pdf", "a" * 64, "b" * 64, 28000, 1,
                        "87.5", str(i), "4000", "file", "kha") for i in range(4000)]
    path = tmp_path / "manifest.csv"
    gc.collect()
    tracemalloc.start()
    write_manifest(path, rows)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    data = path.read_bytes()
    assert len(data) > 1e6 and peak < 1e6, (len(data), peak)
    assert data.startswith("\ufeff".encode() + ",".join(FIELDS).encode() + b"\n")
    back = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert back[1:] == sorted((r.as_csv() for r in rows), key=lambda c: c[3])  # by code


def test_the_summary_s_fingerprint_is_taken_before_it_is_drawn(tmp_path, monkeypatch):
    """The fingerprint copies the summary's content (7 MB for a national month) and its JSON
    text: taken after the drawing, on top of the 92 laid-out pages, it made the summary's
    worker's peak (tracemalloc: 23.2 MB above its start, 17.1 now)."""
    import datetime as dt

    import scorecard.batch as batch
    import scorecard.render.summary as drawn
    from scorecard.content.options import PageOptions
    from scorecard.pipeline import Options, load

    order = []
    fingerprint, summary_pdf = batch.fingerprint, drawn.summary_pdf
    monkeypatch.setattr(batch, "fingerprint",
                        lambda *a: order.append("fingerprint") or fingerprint(*a))
    monkeypatch.setattr(drawn, "summary_pdf", lambda *a: order.append("draw") or summary_pdf(*a))
    loaded = load(Options(str(EXAMPLES / "2025-10_tinh-thanh.csv")))
    rows, _ = batch._tail(list(loaded.cards), PageOptions(loaded.index,
                          issued=dt.date(2025, 10, 20)), tmp_path, None, True)
    assert order == ["fingerprint", "draw"]
    assert rows[0].file == "summary.pdf" and (tmp_path / "summary.pdf").exists()
