"""The store (SPEC §9): every imported period kept, in SQLite or PostgreSQL (SQLAlchemy Core,
one schema for both), so that trends, changes and the portal's revisions follow from it.

The API, for the CLI and the web page:

    with open_store(url) as store:             # None: the default SQLite file
        outcomes = store.write(prepare(paths, index=…, registry=…))   # one transaction
        store.periods()                        # what is stored, newest first
        store.month(period, level)             # the current figures, as MonthData
        store.history(level, key)              # one unit's versions, every period
        store.dossiers(period)                 # the current dossier figures of a period

`read_store(url)` opens an existing store for reading only, or gives None when the default
file was never made (a render with no store behaves as before).

Every import is one row of `scorecard_imports` (period, data date, source file, sha256, time)
with its units' rows beside it; nothing is ever updated or deleted, so a revision keeps what it
revises. A unit's current figures for a period are those of its newest data date (a later
import breaks a tie). Writes run in one transaction under a write lock (SQLite `BEGIN
IMMEDIATE`; PostgreSQL a table lock), so two imports at once are serialised and neither is
lost; every read runs in one transaction (a snapshot), so no reader sees half an import, and a
process killed mid-import leaves nothing (the database's own rollback).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .dossiers import Dossiers
from .errors import StoreError
from .messages import msg
from .model import Index, Level, MonthData, Revision, Unit, UnitRow
from .period import Period
from .storefile import default_url
from .units import fold, is_special_zone

PREFIX = "scorecard_"
NATIONAL = 0  # the level column of a period's national (Cả nước) row
_PG_LOCK = 766_2022  # PostgreSQL advisory lock key of the store's writers

metadata = sa.MetaData()
version_table = sa.Table(
    f"{PREFIX}version", metadata,
    sa.Column("version", sa.Integer, nullable=False))
imports = sa.Table(
    f"{PREFIX}imports", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),  # 'scores' | 'dossiers'
    sa.Column("period", sa.String(16), nullable=False),  # Period.slug
    sa.Column("data_date", sa.Date, nullable=False),
    sa.Column("source", sa.Text, nullable=False),  # the file's name as given
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("variant", sa.Text, nullable=False),  # what of the file was read (sheet, level)
    sa.Column("groups", sa.Text, nullable=False),  # the index's group codes, in order
    sa.Column("imported_at", sa.String(32), nullable=False),  # ISO 8601, UTC
    sa.UniqueConstraint("kind", "period", "sha256", "variant", name=f"{PREFIX}imports_once"),
    sa.Index(f"{PREFIX}imports_period", "period"))
scores = sa.Table(
    f"{PREFIX}scores", metadata,
    sa.Column("import_id", sa.Integer, sa.ForeignKey(imports.c.id), nullable=False),
    sa.Column("level", sa.Integer, nullable=False),  # Level, or NATIONAL
    sa.Column("key", sa.Text, nullable=False),  # the code, else the folded name
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("province", sa.Text),
    sa.Column("formal", sa.Text, nullable=False),
    sa.Column("total", sa.String(24)),  # decimals as text: exact in both databases
    sa.Column("published_rank", sa.Integer),
    sa.Column("row", sa.Integer, nullable=False),
    sa.Column("scores", sa.Text, nullable=False),  # JSON {group code: "7.7" | null}
    sa.Column("combined", sa.Text, nullable=False),  # JSON, the national row's sums
    sa.PrimaryKeyConstraint("import_id", "level", "key"),
    sa.Index(f"{PREFIX}scores_unit", "level", "key"))
dossier_table = sa.Table(
    f"{PREFIX}dossiers", metadata,
    sa.Column("import_id", sa.Integer, sa.ForeignKey(imports.c.id), nullable=False),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("figures", sa.Text, nullable=False),  # JSON {field: "19933"}
    sa.PrimaryKeyConstraint("import_id", "key"))


def _v1(conn: Connection) -> None:
    metadata.create_all(conn, tables=[imports, scores, dossier_table])


# Forward-only: MIGRATIONS[i] takes the schema from version i to i + 1. A new version adds a
# function here (ALTER …); none is ever changed or removed.
MIGRATIONS = (_v1,)
VERSION = len(MIGRATIONS)


@dataclass(frozen=True)
class Prepared:
    """One validated file, ready to be written: its scores (`month`) or its dossiers."""

    source: str
    sha256: str
    variant: str
    period: Period
    data_date: dt.date
    groups: tuple[str, ...]
    month: MonthData | None = None
    dossiers: dict[str, Dossiers] | None = None

    @property
    def kind(self) -> str:
        return "scores" if self.month is not None else "dossiers"


@dataclass(frozen=True)
class Outcome:
    """What an import did with one file: `new`, or `same` (these bytes were stored before)."""

    prepared: Prepared
    status: str
    units: int
    revised: int = 0  # units whose final figures it changes
    updated: int = 0  # units whose provisional figures it replaces with other figures
    stored_at: str = ""  # for `same`: when the bytes were first imported


@dataclass(frozen=True)
class Version:
    """One import's figures of one unit for one period."""

    period: Period
    data_date: dt.date
    imported_at: str
    source: str
    row: UnitRow
    import_id: int

    @property
    def order(self) -> tuple[dt.date, int]:
        """The newest data date is current; a later import breaks a tie."""
        return self.data_date, self.import_id


@dataclass(frozen=True)
class StoredPeriod:
    """A stored period: its units per level, its newest data date, its imports."""

    period: Period
    levels: dict[Level, int]
    data_date: dt.date
    imports: int
    zones: bool = False  # its communes count a đặc khu: 'xã, phường, đặc khu'

    @property
    def provisional(self) -> bool:
        return self.data_date < self.period.last_day


def same_figures(a: UnitRow, b: UnitRow) -> bool:
    return (a.total, a.published_rank, dict(a.scores)) == (b.total, b.published_rank,
                                                           dict(b.scores))


def changes(versions: Sequence[Version]) -> list[tuple[Version, Version, bool]]:
    """(before, after, is_revision) for each version whose figures differ from the one before
    it, in data-date order. Replacing a provisional version (data date before the period's
    end) is an update, not a revision: the portal had not closed the period."""
    ordered = sorted(versions, key=lambda v: v.order)
    return [(a, b, a.data_date >= a.period.last_day)
            for a, b in zip(ordered, ordered[1:], strict=False)
            if not same_figures(a.row, b.row)]


class Store:
    """An open store. Use as a context manager; every method is one transaction."""

    def __init__(self, engine: Engine, label: str):
        self.engine = engine
        self.label = label  # what error messages name: the file, or the URL without password

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._errors(), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._errors(), self.engine.connect() as conn:
            # writers are one at a time (the lock below): each statement may then see what
            # the writer before committed (PostgreSQL's REPEATABLE READ would hide it)
            conn = conn.execution_options(scorecard_write=True, **(
                {"isolation_level": "READ COMMITTED"} if conn.dialect.name == "postgresql"
                else {}))
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    # one writer at a time (imports and schema changes); readers never wait
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK)))
                yield conn

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sa.exc.OperationalError as e:
            raise StoreError(msg("store_unusable", db=self.label, why=_why(e))) from e
        except sa.exc.DatabaseError as e:
            raise StoreError(msg("store_damaged", db=self.label, why=_why(e))) from e

    # -- writing ---------------------------------------------------------------------------

    def write(self, prepared: Sequence[Prepared]) -> list[Outcome]:
        """Store every file in one transaction: all of them, or (on any failure) none."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        out = []
        with self._write() as conn:
            for p in prepared:
                stored = conn.execute(sa.select(imports.c.imported_at).where(
                    imports.c.kind == p.kind, imports.c.period == p.period.slug,
                    imports.c.sha256 == p.sha256, imports.c.variant == p.variant)).first()
                if stored is not None:
                    n = len(p.month.rows) if p.month else len(p.dossiers or {})
                    out.append(Outcome(p, "same", n, stored_at=stored.imported_at))
                    continue
                before = _current_rows(conn, p.period) if p.month else {}
                import_id = conn.execute(imports.insert().values(
                    kind=p.kind, period=p.period.slug, data_date=p.data_date, source=p.source,
                    sha256=p.sha256, variant=p.variant, groups=" ".join(p.groups),
                    imported_at=now)).inserted_primary_key[0]  # type: ignore[index]
                if p.month is not None:
                    out.append(self._write_scores(conn, import_id, p, before))
                else:
                    rows = [{"import_id": import_id, "key": k, "code": d.code, "name": d.name,
                             "figures": json.dumps({f: str(v) for f, v in d.values.items()
                                                    if v is not None}, sort_keys=True)}
                            for k, d in (p.dossiers or {}).items()]
                    if rows:
                        conn.execute(dossier_table.insert(), rows)
                    out.append(Outcome(p, "new", len(rows)))
        return out

    def _write_scores(self, conn: Connection, import_id: int, p: Prepared,
                      before: dict[tuple[int, str], tuple[Version, ...]]) -> Outcome:
        assert p.month is not None
        rows = [_row_values(import_id, r, level) for r, level in _rows_of(p.month)]
        conn.execute(scores.insert(), rows)
        revised = updated = 0
        for r, level in _rows_of(p.month):
            old = before.get((level, unit_key(r.unit)))
            if not old:
                continue
            mine = Version(p.period, p.data_date, "", p.source, r, import_id)
            for _, b, revision in changes([*old, mine]):
                if b is mine:
                    revised += revision
                    updated += not revision
        return Outcome(p, "new", len(p.month.rows), revised, updated)

    # -- reading ---------------------------------------------------------------------------

    def periods(self) -> list[StoredPeriod]:
        """Every stored period with its units per level, newest period first."""
        with self._read() as conn:
            got = conn.execute(
                sa.select(imports.c.period, scores.c.level, scores.c.key,
                          imports.c.data_date, imports.c.id, scores.c.name)
                .join(scores, scores.c.import_id == imports.c.id)
                .where(scores.c.level != NATIONAL)).all()
        units: dict[str, dict[Level, set[str]]] = {}
        dates: dict[str, dt.date] = {}
        ids: dict[str, set[int]] = {}
        zones: set[str] = set()
        for period, level, key, date, import_id, name in got:
            units.setdefault(period, {}).setdefault(Level(level), set()).add(key)
            dates[period] = max(date, dates.get(period, date))
            ids.setdefault(period, set()).add(import_id)
            if level == Level.COMMUNE and period not in zones and is_special_zone(name):
                zones.add(period)
        out = [StoredPeriod(Period.parse(p), {lv: len(k) for lv, k in sorted(levels.items())},
                            dates[p], len(ids[p]), p in zones) for p, levels in units.items()]
        return sorted(out, key=lambda s: (s.period.last_day, s.period.kind), reverse=True)

    def month(self, period: Period, level: Level | None = None,
              index: Index | None = None) -> MonthData | None:
        """The period's current figures (each unit's newest version) as validated data, or
        None when nothing of it (at that level) is stored."""
        return self.months([period], level, index).get(period)

    def months(self, periods: Sequence[Period], level: Level | None = None,
               index: Index | None = None, units: Collection[Unit] | None = None
               ) -> dict[Period, MonthData]:
        """Several periods' current figures at once (one snapshot), by period; with `units`,
        only theirs (see versions)."""
        found = self.versions(periods, level, units)
        return {p: m for p in periods if (m := current_month(p, found.get(p, {}), index,
                                                             self.label)) is not None}

    def data_date(self, period: Period, level: Level | None = None) -> dt.date | None:
        """The newest data date among the period's current figures."""
        versions = self.versions([period], level).get(period, {})
        return max((vs[-1].data_date for vs in versions.values()), default=None)

    def versions(self, periods: Sequence[Period], level: Level | None = None,
                 units: Collection[Unit] | None = None) -> dict[Period, Versions]:
        """Every unit's versions of these periods (oldest first), by period and (level, key),
        in one snapshot. With `units`, only the provinces, the national row and the
        departments and communes keyed by those units' codes or names: what their trend and
        revisions need, without reading a whole national month per period."""
        query = _select_rows().where(imports.c.period.in_([p.slug for p in periods]))
        if level is not None:
            query = query.where(scores.c.level.in_((int(level), NATIONAL)))
        if units is not None:
            keys = {k for u in units if u.level is not Level.PROVINCE
                    for k in (unit_key(u), fold(u.name))}
            query = query.where(sa.or_(scores.c.level.in_((NATIONAL, int(Level.PROVINCE))),
                                       scores.c.key.in_(sorted(keys))))
        with self._read() as conn:
            got = conn.execute(query).all()
        out: dict[Period, dict[tuple[int, str], list[Version]]] = {}
        for r in got:
            v = _version(r)
            out.setdefault(v.period, {}).setdefault((r.level, r.key), []).append(v)
        return {p: {k: tuple(sorted(vs, key=lambda v: v.order)) for k, vs in by_unit.items()}
                for p, by_unit in out.items()}

    def revisions(self, periods: Sequence[Period], since: dt.date | None = None,
                  level: Level | None = None, updates: bool = False,
                  units: Collection[Unit] | None = None
                  ) -> dict[tuple[int, str], tuple[Revision, ...]]:
        """Each unit's revisions of these periods (with `updates`, also provisional figures
        replaced), by (level, key), oldest first; only those dated after `since`."""
        return revisions_in(self.versions(periods, level, units), since, updates)

    def units(self) -> list[Unit]:
        """Every unit stored (its newest name), for `history --unit` to match against."""
        with self._read() as conn:
            got = conn.execute(
                sa.select(scores.c.level, scores.c.key, scores.c.code, scores.c.name,
                          scores.c.province, scores.c.formal)
                .join(imports, scores.c.import_id == imports.c.id)
                .where(scores.c.level != NATIONAL)
                .order_by(imports.c.data_date, imports.c.id)).all()
        found = {(r.level, r.key): Unit(r.code, r.name, Level(r.level), r.province, r.formal)
                 for r in got}
        return list(found.values())

    def history(self, level: Level, key: str) -> dict[Period, tuple[Version, ...]]:
        """One unit's versions in every stored period (oldest version first), by period."""
        with self._read() as conn:
            got = conn.execute(_select_rows().where(scores.c.level == int(level),
                                                    scores.c.key == key)).all()
        out: dict[Period, list[Version]] = {}
        for r in got:
            v = _version(r)
            out.setdefault(v.period, []).append(v)
        return {p: tuple(sorted(vs, key=lambda v: v.order)) for p, vs in sorted(out.items())}

    def dossiers(self, period: Period) -> dict[str, Dossiers]:
        """The period's current dossier figures by unit key: each figure from the newest
        import that gives it (newest data date, then last imported), so the portal's three
        trees of one month, imported one by one, add up instead of replacing each other."""
        with self._read() as conn:
            got = conn.execute(
                sa.select(dossier_table, imports.c.data_date)
                .join(imports, dossier_table.c.import_id == imports.c.id)
                .where(imports.c.period == period.slug)
                .order_by(imports.c.data_date, imports.c.id)).all()
        out: dict[str, Dossiers] = {}
        for r in got:
            figures = {f: Decimal(v) for f, v in json.loads(r.figures).items()}
            before = out[r.key].values if r.key in out else {}
            out[r.key] = Dossiers(r.code, r.name, {**before, **figures})
        return out


Versions = dict[tuple[int, str], tuple[Version, ...]]  # a period's units' versions


def current_month(period: Period, versions: Versions, index: Index | None = None,
                  label: str = "") -> MonthData | None:
    """A period's current figures (each unit's newest version) as validated data; None when
    it holds no unit."""
    current = [vs[-1] for vs in versions.values()]
    units = [v for v in current if v.row.unit.code != "CN"]
    if not units:
        return None
    if index is not None:
        _check_groups(index, units[0], label)
    national = next((v.row for v in current if v.row.unit.code == "CN"), None)
    newest = max(current, key=lambda v: v.order)
    rows = sorted((v.row for v in units), key=lambda r: (r.unit.level, r.row))
    return MonthData(newest.source, period, tuple(rows), national)


def revisions_in(found: dict[Period, Versions], since: dt.date | None = None,
                 updates: bool = False) -> dict[tuple[int, str], tuple[Revision, ...]]:
    """The revisions (with `updates`, also provisional figures replaced) among versions,
    dated after `since`, by (level, key), oldest first."""
    out: dict[tuple[int, str], list[Revision]] = {}
    for versions in found.values():
        for key, vs in versions.items():
            for a, b, revision in changes(vs):
                if (revision or updates) and (since is None or b.data_date > since):
                    out.setdefault(key, []).append(Revision(
                        b.period, b.data_date, a.row.total, b.row.total, not revision))
    return {k: tuple(sorted(v, key=lambda r: (r.period, r.date))) for k, v in out.items()}


# -- opening ---------------------------------------------------------------------------------


def open_store(url: str | None = None) -> Store:
    """Open (and create, or migrate forward) the store at `url` (default: default_url())."""
    store = _connect(url or default_url(), create=True)
    assert store is not None
    return store


def read_store(url: str | None = None) -> Store | None:
    """Open an existing store for reading; None when its SQLite file does not exist (nothing
    was ever imported), so reading never creates a file."""
    return _connect(url or default_url(), create=False)


def _connect(url: str, create: bool) -> Store | None:
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as e:
        raise StoreError(msg("store_url", url=_masked(url))) from e
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        made = _sqlite_engine(parsed, create)
        if made is None:
            return None
        engine, label = made
    elif backend == "postgresql":
        label = parsed.render_as_string(hide_password=True)
        try:
            import psycopg  # noqa: F401
        except ImportError as e:
            raise StoreError(msg("store_driver", url=label)) from e
        engine = sa.create_engine(parsed.set(drivername="postgresql+psycopg"),
                                  isolation_level="REPEATABLE READ")
    else:
        raise StoreError(msg("store_url", url=_masked(url)))
    store = Store(engine, label)
    try:
        made_schema = _prepare_schema(store, create)
    except BaseException:
        engine.dispose()
        raise
    if not made_schema:  # an empty database: nothing stored yet, and reading creates nothing
        engine.dispose()
        return None
    return store


def _masked(url: str) -> str:
    """A URL as it may be printed: never its password."""
    return re.sub(r"//[^@/]*@", "//…@", url)


def _sqlite_engine(parsed: sa.URL, create: bool) -> tuple[Engine, str] | None:
    path = parsed.database
    if not path or path == ":memory:":
        raise StoreError(msg("store_url", url=parsed.render_as_string()))
    if not Path(path).exists():
        if not create:
            return None
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(msg("store_unusable", db=path, why=e.strerror or e)) from e
    engine = sa.create_engine(parsed.set(drivername="sqlite+pysqlite"),
                              connect_args={"timeout": 60})
    sa.event.listen(engine, "connect", _sqlite_connect)
    sa.event.listen(engine, "begin", _sqlite_begin)
    return engine, path


def _sqlite_connect(dbapi_conn: Any, record: Any) -> None:
    # pysqlite's own transaction handling would not let us say BEGIN IMMEDIATE: take it over
    dbapi_conn.isolation_level = None
    dbapi_conn.execute("PRAGMA foreign_keys=ON")


def _sqlite_begin(conn: Connection) -> None:
    # a writer takes the write lock at once, so two imports queue instead of failing midway
    immediate = conn.get_execution_options().get("scorecard_write")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _prepare_schema(store: Store, create: bool) -> bool:
    """Check the database is ours (or empty), then bring its schema forward; False when it
    is empty and `create` is not asked."""
    with store._errors():
        names = set(sa.inspect(store.engine).get_table_names())
        ours = {n for n in names if n.startswith(PREFIX)}
        if version_table.name not in names:
            sqlite = store.engine.dialect.name == "sqlite"
            if ours or (sqlite and names):  # another program's file, or a broken one of ours
                raise StoreError(msg("store_foreign", db=store.label))
            if not create:
                return False
        if version_table.name in names:
            with store._read() as conn:
                if _version_of(conn, store.label) == VERSION:  # the usual case: no write lock taken
                    return True
        if store.engine.dialect.name == "sqlite":
            _wal(store.engine)
        with store._write() as conn:
            version_table.create(conn, checkfirst=True)
            version = _version_of(conn, store.label)
            for migrate in MIGRATIONS[version:]:
                migrate(conn)
            if version < VERSION:
                conn.execute(version_table.delete())
                conn.execute(version_table.insert().values(version=VERSION))
    return True


def _wal(engine: Engine) -> None:
    """WAL: readers go on reading the last committed state while an import writes. Set once
    the file is known to be ours (it is kept in the file; it changes the file's header)."""
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("PRAGMA journal_mode=WAL")  # type: ignore[union-attr]
    finally:
        raw.close()


def _version_of(conn: Connection, label: str) -> int:
    """The schema's version (0: none yet); a newer one than this code knows is refused."""
    found = conn.execute(sa.select(version_table.c.version)).scalars().all()
    if len(found) > 1:
        raise StoreError(msg("store_foreign", db=label))
    version = found[0] if found else 0
    if version > VERSION:
        raise StoreError(msg("store_newer", db=label, version=version, known=VERSION))
    return version


def _why(e: sa.exc.DBAPIError) -> str:
    return " ".join(str(e.orig).split())[:200] if e.orig is not None else type(e).__name__


# -- rows --------------------------------------------------------------------------------------


def unit_key(unit: Unit) -> str:
    """How the store keys a unit: its code, else its folded name."""
    return unit.code or fold(unit.name)


def _rows_of(month: MonthData) -> Iterator[tuple[UnitRow, int]]:
    for r in month.rows:
        yield r, int(r.unit.level)
    if month.national is not None:
        yield month.national, NATIONAL


def _text(d: Decimal | None) -> str | None:
    return None if d is None else f"{d:f}"


def _dec(s: str | None) -> Decimal | None:
    return None if s is None else Decimal(s)


def _row_values(import_id: int, r: UnitRow, level: int) -> dict[str, Any]:
    return {"import_id": import_id, "level": level, "key": unit_key(r.unit), "code": r.unit.code,
            "name": r.unit.name, "province": r.unit.province, "formal": r.unit.formal,
            "total": _text(r.total), "published_rank": r.published_rank, "row": r.row,
            "scores": json.dumps({k: _text(v) for k, v in r.scores.items()}),
            "combined": json.dumps({k: _text(v) for k, v in r.combined.items()})}


def _select_rows() -> sa.Select[Any]:
    return (sa.select(scores, imports.c.period, imports.c.data_date, imports.c.imported_at,
                      imports.c.source)
            .join(imports, scores.c.import_id == imports.c.id)
            .where(imports.c.kind == "scores"))


def _version(r: Any) -> Version:
    level = Level.PROVINCE if r.level == NATIONAL else Level(r.level)
    row = UnitRow(Unit(r.code, r.name, level, r.province, r.formal),
                  {k: _dec(v) for k, v in json.loads(r.scores).items()}, _dec(r.total),
                  r.published_rank, r.row,
                  {k: _dec(v) for k, v in json.loads(r.combined).items()}
                  if r.combined != "{}" else {})
    return Version(_period(r.period), r.data_date, r.imported_at, r.source, row, r.import_id)


@functools.cache
def _period(slug: str) -> Period:
    return Period.parse(slug)


def _current_rows(conn: Connection, period: Period, level: Level | None = None
                  ) -> dict[tuple[int, str], tuple[Version, ...]]:
    """Every unit's versions of a period, oldest first: the last is current."""
    query = _select_rows().where(imports.c.period == period.slug)
    if level is not None:
        query = query.where(scores.c.level.in_((int(level), NATIONAL)))
    out: dict[tuple[int, str], list[Version]] = {}
    for r in conn.execute(query).all():
        out.setdefault((r.level, r.key), []).append(_version(r))
    return {k: tuple(sorted(vs, key=lambda v: v.order)) for k, vs in out.items()}


def _check_groups(index: Index, version: Version, label: str) -> None:
    stored = set(version.row.scores)
    wanted = {g.code for g in index.groups}
    if stored != wanted:
        raise StoreError(msg("store_index", db=label, period=version.period,
                             stored=" ".join(sorted(stored)), wanted=" ".join(sorted(wanted))))


# -- preparing files -------------------------------------------------------------------------

def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
