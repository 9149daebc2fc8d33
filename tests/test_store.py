"""The store (SPEC §9): import, history, revisions, reading history from it, and its
reliability — on SQLite and on a real PostgreSQL server (tests/pgserver.py)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import platformdirs
import pytest
import sqlalchemy as sa
from conftest import EXAMPLES, write_csv

from scorecard.cli import cli
from scorecard.model import Level, Revision
from scorecard.period import Period
from scorecard.pipeline import Options, load
from scorecard.store import VERSION, open_store, read_store

MONTHS = [EXAMPLES / f"2025-{m:02d}_tinh-thanh.csv" for m in (7, 8, 9, 10)]
REVISED = EXAMPLES / "2025-09_tinh-thanh_2025-10-15.csv"  # An Giang 82.08 -> 82.31
SEPT, OCT = Period("month", 2025, 9), Period("month", 2025, 10)
GROUPS = ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return str(request.getfixturevalue("pg_url"))


def imported(runner, db: str, *files: Path | str, extra: tuple[str, ...] = ()) -> str:
    done = runner.invoke(cli, ["import", *map(str, files), "--db", db, *extra])
    assert done.exit_code == 0, done.output
    return done.output


def total(db: str, period: Period, code: str) -> Decimal | None:
    with open_store(db) as store:
        month = store.month(period)
        assert month is not None
        return next(r.total for r in month.rows if r.unit.code == code)


def test_import_stores_every_file_and_history_gives_their_figures(runner, db):
    out = imported(runner, db, *MONTHS)
    assert "Đã lưu 2025-07_tinh-thanh.csv: Tháng 7/2025, 34 đơn vị, số liệu ngày 31/07/2025" in out
    assert "Đã lưu 2025-10_tinh-thanh.csv: Tháng 10/2025, 34 đơn vị, số liệu ngày 31/10/2025" in out
    done = runner.invoke(cli, ["history", "--unit", "An Giang", "--format", "csv", "--db", db])
    assert done.exit_code == 0, done.output
    rows = [line.split(",") for line in done.output.splitlines()]
    assert rows[0][:7] == ["period", "level", "code", "name", "data_date", "total", "rank"]
    # An Giang's rows of the four files, as typed there
    assert [(r[0], r[5], r[6], r[rows[0].index("MDSH")]) for r in rows[1:]] == [
        ("2025-07", "80.87", "", "14.64"), ("2025-08", "81.64", "", "14.39"),
        ("2025-09", "82.08", "", "14.8"), ("2025-10", "86.74", "13", "15.86")]
    table = runner.invoke(cli, ["history", "--unit", "h01", "--db", db]).output.splitlines()
    assert table[0] == "An Giang (H01)"
    assert table[-1].split()[:6] == ["Tháng", "10/2025", "31/10/2025", "86,74", "13", "hiện"]


def test_the_same_bytes_again_change_nothing_and_say_so(runner, db):
    imported(runner, db, MONTHS[3])
    with open_store(db) as store:
        before = store.periods()
    out = imported(runner, db, MONTHS[3])
    assert "2025-10_tinh-thanh.csv: tệp này (Tháng 10/2025) đã được nhập lúc" in out
    assert "không thay đổi gì" in out
    with open_store(db) as store:
        assert store.periods() == before
        assert before[0].imports == 1


def test_an_invalid_file_stores_nothing_not_even_the_valid_ones(runner, db, tmp_path):
    bad = write_csv(tmp_path / "thang-10.csv", ["TEN", *GROUPS, "month"],
                    [["An Giang", 18, "mười", 8, 8, 18, 15, "2025-10"]])
    done = runner.invoke(cli, ["import", str(MONTHS[2]), str(bad), "--db", db])
    assert done.exit_code == 1
    assert "thang-10.csv, dòng 2, cột 'TDGQ': 'mười' không phải là số" in done.output
    store = read_store(db)
    if store is not None:  # PostgreSQL's database exists; SQLite's file was never made
        with store:
            assert store.periods() == []


def test_a_revision_is_kept_and_the_newest_data_date_is_current(runner, db):
    imported(runner, db, MONTHS[2])
    out = imported(runner, db, REVISED)
    assert "số liệu ngày 15/10/2025" in out
    assert "2 đơn vị có số liệu Tháng 9/2025 được Cổng điều chỉnh; số liệu cũ vẫn được giữ" in out
    assert total(db, SEPT, "H01") == Decimal("82.31")
    done = runner.invoke(cli, ["history", "--unit", "An Giang", "--db", db])
    lines = done.output.splitlines()
    assert lines[2].split() == ["Tháng", "9/2025", "30/09/2025", "82,08", "đã", "được", "thay",
                                "2025-09_tinh-thanh.csv"]
    assert lines[3].split() == ["Tháng", "9/2025", "15/10/2025", "82,31", "điều", "chỉnh,",
                                "hiện", "hành", "2025-09_tinh-thanh_2025-10-15.csv"]


def test_an_older_export_imported_later_does_not_become_current(runner, db):
    imported(runner, db, REVISED)
    imported(runner, db, MONTHS[2])
    assert total(db, SEPT, "H01") == Decimal("82.31")


def test_provisional_figures_replaced_by_final_ones_are_an_update_not_a_revision(
        runner, db, tmp_path):
    imported(runner, db, MONTHS[3], extra=("--data-date", "2025-10-16"))
    final = tmp_path / "2025-10_final.csv"
    final.write_text(MONTHS[3].read_text("utf-8").replace(
        "H01,UBND tỉnh An Giang,1,18,18.2,8.09,8.59,18,15.86,86.74",
        "H01,UBND tỉnh An Giang,1,18,18.3,8.09,8.59,18,15.86,86.84"), "utf-8")
    out = imported(runner, db, final, extra=("--data-date", "2025-11-05"))
    assert "1 đơn vị có số liệu tạm tính Tháng 10/2025 được cập nhật (không phải điều chỉnh)" in out
    assert "điều chỉnh;" not in out
    csv_out = runner.invoke(cli, ["history", "--unit", "H01", "--format", "csv", "--db", db])
    last = csv_out.output.splitlines()[-2:]
    assert [ln.split(",")[4:6] + ln.split(",")[-4:-2] for ln in last] == [
        ["2025-10-16", "86.74", "0", ""], ["2025-11-05", "86.84", "1", "update"]]
    with open_store(db) as store:  # not said on the pages: only revisions are
        assert store.revisions([OCT]) == {}


def test_two_imports_at_once_lose_neither(db):
    procs = [subprocess.Popen([sys.executable, "-m", "scorecard", "import", str(f), "--db", db],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for f in MONTHS]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    with open_store(db) as store:
        assert sorted(s.period.slug for s in store.periods()) == [
            "2025-07", "2025-08", "2025-09", "2025-10"]
        assert all(s.levels == {Level.PROVINCE: 34} for s in store.periods())


def communes(path: Path, month: str, n: int = 3872, shift: str = "0") -> Path:
    """A national month of n communes (level 3), every score given."""
    rows = [[month, f"H{1 + i % 34:02d}.{1000 + i}", f"UBND xã Thử Nghiệm {i}", 3,
             "15", "16", "8", "7", "15", Decimal("12") + Decimal(shift)] for i in range(n)]
    return write_csv(path, ["month", "MA_COQUAN", "TEN", "LOAI_COQUAN", *GROUPS], rows)


def test_a_reader_never_sees_half_an_import(db, tmp_path):
    big = communes(tmp_path / "xa_2025-10.csv", "2025-10")
    open_store(db).close()  # the schema, so that the reader can start before the import
    seen: set[int] = set()
    stop = threading.Event()

    def read() -> None:
        with read_store(db) as store:  # type: ignore[union-attr]
            while not stop.is_set():
                month = store.month(OCT)
                seen.add(0 if month is None else len(month.rows))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        done = subprocess.run([sys.executable, "-m", "scorecard", "import", str(big), "--db",
                               db], capture_output=True, text=True, timeout=300)
        time.sleep(0.3)
    finally:
        stop.set()
        reader.join()
    assert done.returncode == 0, done.stderr
    assert seen <= {0, 3872} and 3872 in seen


KILLED = """
import sys, time
from pathlib import Path
import sqlalchemy as sa
from scorecard.importer import prepare
from scorecard.index import load_index
from scorecard.store import open_store, scores
from scorecard.units import load_registry

db, data, marker = sys.argv[1:]
prepared = prepare([data], load_index(None), load_registry())
store = open_store(db)

def pause(conn, cursor, statement, params, context, executemany):
    if statement.lstrip().upper().startswith("INSERT INTO " + scores.name.upper()):
        Path(marker).write_text("inside")  # half the import is written, none committed
        time.sleep(600)

sa.event.listen(store.engine, "after_cursor_execute", pause)
store.write(prepared)
"""


def test_an_import_killed_midway_leaves_the_store_as_it_was(runner, db, tmp_path):
    imported(runner, db, MONTHS[2])
    with open_store(db) as store:
        before = (store.periods(), store.month(SEPT))
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, "-c", KILLED, db, str(MONTHS[3]), str(marker)])
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "never got inside"
            time.sleep(0.05)
    finally:
        os.kill(proc.pid, getattr(signal, "SIGKILL", signal.SIGTERM))  # kill -9 (POSIX)
        proc.wait()
    with open_store(db) as store:
        assert (store.periods(), store.month(SEPT)) == before
    if db.startswith("sqlite"):
        path = db.removeprefix("sqlite:///")
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    imported(runner, db, MONTHS[3])  # and the store takes the next import
    assert total(db, OCT, "H01") == Decimal("86.74")


def test_schema_version_is_recorded_and_a_newer_one_is_refused(runner, db):
    open_store(db).close()
    engine = sa.create_engine(db.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT version FROM scorecard_version")).all() == [
            (VERSION,)]
        conn.execute(sa.text("UPDATE scorecard_version SET version = 99"))
    engine.dispose()
    done = runner.invoke(cli, ["import", str(MONTHS[0]), "--db", db])
    assert done.exit_code == 1
    assert "do phiên bản scorecard mới hơn tạo (lược đồ 99, phiên bản này biết đến 1)" in \
        done.output


def test_a_foreign_database_is_named_and_left_alone(runner, db):
    engine = sa.create_engine(db.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:  # a table that looks like ours, with no version: not ours
        conn.execute(sa.text("CREATE TABLE scorecard_imports (x INTEGER)"))
    engine.dispose()
    done = runner.invoke(cli, ["import", str(MONTHS[0]), "--db", db, "--lang", "en"])
    assert done.exit_code == 1
    assert "is another program's database, not a scorecard store; it was left as it is" in \
        done.output
    engine = sa.create_engine(db.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        assert sa.inspect(conn).get_table_names() == ["scorecard_imports"]
    engine.dispose()


def test_a_damaged_sqlite_file_is_named_and_never_overwritten(runner, tmp_path):
    path = tmp_path / "kho.sqlite"
    junk = b"SQLite format 3\x00" + bytes(range(256)) * 20
    path.write_bytes(junk)
    for command in (["import", str(MONTHS[0])], ["render", "--month", "2025-10"],
                    ["history", "--unit", "H01"]):
        done = runner.invoke(cli, [*command, "--db", f"sqlite:///{path}"])
        assert done.exit_code == 1, done.output
        assert f"kho dữ liệu {path} bị hỏng hoặc không phải cơ sở dữ liệu" in done.output
        assert "Traceback" not in done.output
    assert path.read_bytes() == junk


def test_another_programs_sqlite_file_is_refused(runner, tmp_path):
    path = tmp_path / "ke-toan.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE so_cai (id INTEGER)")
    before = path.read_bytes()
    done = runner.invoke(cli, ["import", str(MONTHS[0]), "--db", f"sqlite:///{path}"])
    assert done.exit_code == 1
    assert f"{path} là cơ sở dữ liệu của chương trình khác" in done.output
    assert path.read_bytes() == before


def test_import_help_shows_the_default_store_in_the_users_data_folder(runner):
    folder = platformdirs.user_data_dir("scorecard", False)
    for lang, word in (("vi", "mặcđịnh"), ("en", "default")):
        done = runner.invoke(cli, ["import", "--help", "--lang", lang])
        assert f"[{word}:sqlite:///{folder}/scorecard.sqlite]" in "".join(done.output.split())


def test_the_store_comes_from_scorecard_db_and_render_without_one_creates_nothing(
        runner, tmp_path, monkeypatch):
    path = tmp_path / "env.sqlite"
    monkeypatch.setenv("SCORECARD_DB", f"sqlite:///{path}")
    done = runner.invoke(cli, ["render", str(MONTHS[3]), "--unit", "H01", "--out",
                               str(tmp_path / "out"), "--jobs", "1"])
    assert done.exit_code == 0, done.output
    assert not path.exists()
    assert runner.invoke(cli, ["import", str(MONTHS[3])]).exit_code == 0
    assert path.exists()


def stored_cards(db: str, **kw: object) -> dict[str, object]:
    loaded = load(Options(data=None, period=OCT, db=db, **kw))  # type: ignore[arg-type]
    return {c.unit.code: c for c in loaded.everyone}


def test_render_reads_the_stored_period_with_its_trend_and_revisions(runner, db, tmp_path):
    imported(runner, db, *MONTHS, REVISED)
    card = stored_cards(db)["H01"]
    assert [(p.period.slug, p.total) for p in card.trend] == [  # type: ignore[attr-defined]
        ("2025-07", Decimal("80.87")), ("2025-08", Decimal("81.64")),
        ("2025-09", Decimal("82.31")), ("2025-10", Decimal("86.74"))]
    assert card.change.delta == Decimal("4.43")  # type: ignore[attr-defined]  # 86.74 - 82.31
    assert card.revisions == (  # type: ignore[attr-defined]
        Revision(SEPT, dt.date(2025, 10, 15), Decimal("82.08"), Decimal("82.31")),)
    assert stored_cards(db)["H60"].revisions == ()  # type: ignore[attr-defined]
    done = runner.invoke(cli, ["render", "--month", "2025-10", "--db", db, "--out",
                               str(tmp_path / "out"), "--jobs", "1"])
    assert done.exit_code == 0, done.output
    assert len(list((tmp_path / "out" / "2025-10").glob("H*.pdf"))) == 34


def test_history_files_win_over_the_store(runner, db):
    imported(runner, db, *MONTHS)
    loaded = load(Options(data=str(MONTHS[3]), db=db, history=(str(MONTHS[2]),),
                          units=("H01",)))
    assert [p.period.slug for p in loaded.cards[0].trend] == ["2025-09", "2025-10"]
    loaded = load(Options(data=str(MONTHS[3]), db=db, units=("H01",)))
    assert [p.period.slug for p in loaded.cards[0].trend] == [
        "2025-07", "2025-08", "2025-09", "2025-10"]


def test_render_of_a_period_not_stored_says_so(runner, tmp_path):
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    imported(runner, db, MONTHS[0])
    done = runner.invoke(cli, ["render", "--month", "2025-11", "--db", db])
    assert done.exit_code == 1
    assert "chưa có Tháng 11/2025: hãy nhập trước bằng scorecard import" in done.output
    done = runner.invoke(cli, ["render", "--db", db])
    assert done.exit_code == 1
    assert "--month YYYY-MM để dùng kỳ đã nhập vào kho" in done.output


def test_the_trend_shows_the_last_twelve_periods_and_the_same_month_last_year(runner, tmp_path):
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    months = [Period("month", 2024, 9)]
    while len(months) < 14:
        months.append(Period("month", months[-1].year + months[-1].n // 12,
                             months[-1].n % 12 + 1))
    files = [communes(tmp_path / f"xa_{p.slug}.csv", p.slug, n=3, shift=str(i / 10))
             for i, p in enumerate(months)]  # 2024-09 … 2025-10, MDSH 12.0, 12.1, … 13.3
    imported(runner, db, *files)
    card = stored_cards(db, level=Level.COMMUNE)["H01.1000"]
    assert [p.period.slug for p in card.trend][0] == "2024-11"  # type: ignore[attr-defined]
    assert len(card.trend) == 12  # type: ignore[attr-defined]
    ago = card.year_ago  # type: ignore[attr-defined]
    assert (ago.previous_period.slug, ago.previous, ago.delta) == (
        "2024-10", Decimal("73.1"), Decimal("1.2"))  # 61 + 12.1 then 61 + 13.3


def test_a_data_date_after_the_periods_end_is_valid_everywhere(runner, tmp_path):
    out = tmp_path / "out"
    common = ["--data-date", "2025-10-16"]
    done = runner.invoke(cli, ["render", str(MONTHS[2]), "--unit", "H01", "--out", str(out),
                               "--jobs", "1", *common])
    assert done.exit_code == 0, done.output
    done = runner.invoke(cli, ["narrate", str(MONTHS[2]), "--unit", "H01", *common])
    assert done.exit_code == 0, done.output
    done = runner.invoke(cli, ["bulletin", str(MONTHS[2]), "--unit", "H01", "--out", str(out),
                               *common])
    assert done.exit_code == 0, done.output
    card = load(Options(data=str(MONTHS[2]), data_date=dt.date(2025, 10, 16))).cards[0]
    assert (card.data_date, card.provisional) == (dt.date(2025, 10, 16), False)
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    assert "số liệu ngày 16/10/2025" in imported(runner, db, MONTHS[2], extra=tuple(common))
    done = runner.invoke(cli, ["narrate", str(MONTHS[2]), "--unit", "H01", "--data-date",
                               "2025-08-31"])
    assert done.exit_code == 1
    assert "ngày số liệu 2025-08-31 trước khi Tháng 9/2025 bắt đầu" in done.output


def test_dossier_files_are_stored_and_used_by_render_and_bulletin(runner, tmp_path):
    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    dossiers = EXAMPLES / "2025-10_ho-so-an-giang.csv"
    out = imported(runner, db, MONTHS[3], dossiers)
    assert "Đã lưu 2025-10_ho-so-an-giang.csv: số liệu hồ sơ Tháng 10/2025, 1 đơn vị" in out
    loaded = load(Options(data=None, period=OCT, db=db, units=("An Giang",)))
    assert loaded.dossiers is not None
    from scorecard.dossiers import for_unit, read_dossiers

    given = for_unit(read_dossiers([dossiers]), "H01", "An Giang")
    stored = for_unit(loaded.dossiers, "H01", "An Giang")
    assert given is not None and stored is not None and stored.values == given.values
    # the page and the bulletin from the store say what they say from the file
    import docx
    from pdfcheck import pdf_text

    empty = f"sqlite:///{tmp_path / 'none.sqlite'}"
    texts = {}
    for name, extra in (("file", ["--dossiers", str(dossiers), "--db", empty]),
                        ("store", ["--db", db])):
        out = tmp_path / name
        args = [str(MONTHS[3]), "--unit", "H01", "--out", str(out), "--issued", "2025-10-20",
                *extra]
        assert runner.invoke(cli, ["render", "--jobs", "1", *args]).exit_code == 0
        assert runner.invoke(cli, ["bulletin", *args]).exit_code == 0
        texts[name] = (pdf_text(out / "2025-10" / "H01_an-giang.pdf"), [
            p.text for p in docx.Document(str(out / "2025-10" / "H01_an-giang_ban-tin.docx"))
            .paragraphs])
    assert texts["store"] == texts["file"]
    assert "52.418" in flat(texts["store"][0])  # the received dossiers, as the file has them
    assert any("52.418 hồ sơ" in p for p in texts["store"][1])


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_revision_is_said_on_the_page_the_summary_and_the_bulletin(runner, tmp_path):
    import docx
    from pdfcheck import pdf_text

    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    imported(runner, db, *MONTHS[:3], REVISED)
    out = tmp_path / "out"
    common = ["--data-date", "2025-10-16", "--db", db, "--out", str(out)]
    done = runner.invoke(cli, ["render", str(MONTHS[3]), "--jobs", "1", *common])
    assert done.exit_code == 0, done.output
    page = flat(pdf_text(out / "2025-10" / "H01_an-giang.pdf"))
    assert ("Số liệu tháng 9/2025 đã được Cổng điều chỉnh ngày 15/10/2025: từ 82,08 lên 82,31 "
            "điểm.") in page
    assert "9/2025: 82,31" in page  # the change is against the current (revised) figures
    assert "điều chỉnh" not in flat(pdf_text(out / "2025-10" / "H60_tuyen-quang.pdf"))
    assert ("Số liệu tháng 9/2025 đã được Cổng điều chỉnh ngày 15/10/2025: Bắc Ninh từ 88,09 "
            "lên 88,17 điểm; An Giang từ 82,08 lên 82,31 điểm.") in flat(
        pdf_text(out / "2025-10" / "summary.pdf"))
    done = runner.invoke(cli, ["bulletin", str(MONTHS[3]), "--unit", "An Giang", *common])
    assert done.exit_code == 0, done.output
    paragraphs = [p.text for p in docx.Document(
        str(out / "2025-10" / "H01_an-giang_ban-tin.docx")).paragraphs]
    assert ("Số liệu tháng 9/2025 đã được Cổng điều chỉnh ngày 15/10/2025: từ 82,08 lên 82,31 "
            "điểm.") in paragraphs
    en = runner.invoke(cli, ["render", str(MONTHS[3]), "--jobs", "1", "--unit", "H01",
                             "--lang", "en", *common])
    assert en.exit_code == 0, en.output
    assert ("The portal revised the figures of September 2025 on 15 October 2025: from "
            "82.08 to 82.31 points.") in flat(pdf_text(out / "2025-10" / "H01_an-giang.pdf"))


def test_an_update_of_provisional_figures_is_not_called_a_revision_on_the_page(
        runner, tmp_path):
    from pdfcheck import pdf_text

    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    imported(runner, db, MONTHS[2], extra=("--data-date", "2025-09-20"))  # provisional
    imported(runner, db, REVISED)  # final, other figures: an update
    out = tmp_path / "out"
    done = runner.invoke(cli, ["render", str(MONTHS[3]), "--jobs", "1", "--unit", "H01",
                               "--db", db, "--out", str(out)])
    assert done.exit_code == 0, done.output
    page = flat(pdf_text(out / "2025-10" / "H01_an-giang.pdf"))
    assert "điều chỉnh" not in page and "9/2025: 82,31" in page


def test_the_same_period_last_year_is_said_on_the_page(runner, tmp_path):
    from pdfcheck import pdf_text

    db = f"sqlite:///{tmp_path / 's.sqlite'}"
    files = [communes(tmp_path / f"xa_{m}.csv", m, n=3, shift=s)
             for m, s in (("2024-10", "0.5"), ("2025-09", "0"), ("2025-10", "0.3"))]
    imported(runner, db, *files)
    out = tmp_path / "out"
    done = runner.invoke(cli, ["render", "--month", "2025-10", "--unit", "H01.1000",
                               "--jobs", "1", "--db", db, "--out", str(out)])
    assert done.exit_code == 0, done.output
    page = flat(pdf_text(next((out / "2025-10").glob("H01.1000_*.pdf"))))
    # 61 + 12.5 a year before, 61 + 12.3 now: 0.2 down
    assert ("So với cùng kỳ năm trước (tháng 10/2024: 73,5 điểm), tổng điểm giảm 0,2 điểm."
            in page)
