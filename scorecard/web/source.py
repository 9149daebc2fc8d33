"""Where the page's periods come from, and where an import goes.

The page needs little of its storage: the periods held, a period's scored units of one
level (with their history: trend, change, revisions), and an import that stores a validated
file or nothing. `StoreSource` is the office's store (SPEC §9), read and written exactly as
`scorecard import` and `scorecard render --month P --level L --db URL` do.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from ..errors import StoreError, ValidationError
from ..messages import Msg, msg
from ..model import Level
from ..period import Period
from ..pipeline import Loaded, Options, load, period_in_name
from ..units import counts_special_zone


@dataclass(frozen=True)
class PeriodInfo:
    """A stored period as the start page lists it."""

    period: Period
    levels: dict[Level, int]  # units per level
    data_date: dt.date  # the newest
    sources: tuple[str, ...] = ()  # the clerk's file names, when known
    zones: bool = False  # its communes count a đặc khu: 'xã, phường, đặc khu'

    @property
    def provisional(self) -> bool:
        return self.data_date < self.period.last_day


@dataclass(frozen=True)
class ImportResult:
    """What an import did: stored a file's units, or nothing (`again`: the same bytes)."""

    name: str  # the clerk's file name: shown, never used as a path
    period: Period
    levels: tuple[Level, ...]
    units: int
    again: bool
    warnings: tuple[Msg, ...] = ()  # as `validate` says them: names, ranks
    revised: int = 0  # units whose final figures it changes (a revision by the portal)
    zones: bool = False  # its communes count a đặc khu: 'xã, phường, đặc khu'


class Source(Protocol):
    def periods(self) -> list[PeriodInfo]: ...

    def options(self, period: Period, level: Level) -> Options | None: ...

    def loaded(self, period: Period, level: Level) -> Loaded | None: ...

    def import_file(self, upload: Path, name: str, opts: Options) -> ImportResult: ...


class StoreSource:
    """The store at `url` (None: the default SQLite file in the user's data folder).

    A period's scored units are kept for `ttl` seconds, or until an import through this
    page: scoring a national month takes longer than a page should, and an import by the
    command line shows within the minute.
    """

    def __init__(self, url: str | None, index_file: str | None = None, ttl: float = 60):
        self.url, self.index_file, self.ttl = url, index_file, ttl
        self._cache: dict[tuple[Period, Level], tuple[float, Loaded | None]] = {}
        self._lock = threading.Lock()

    def periods(self) -> list[PeriodInfo]:
        from ..store import read_store

        store = read_store(self.url)
        if store is None:
            return []
        with store:
            return [PeriodInfo(p.period, dict(p.levels), p.data_date, zones=p.zones)
                    for p in store.periods()]

    def options(self, period: Period, level: Level) -> Options:
        """What `scorecard render --month P --level L --db URL` is given."""
        return Options(data=None, period=period, level=level, index_file=self.index_file,
                       db=self.url)

    def loaded(self, period: Period, level: Level) -> Loaded | None:
        key = (period, level)
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and now - hit[0] < self.ttl:
                return hit[1]
        try:
            got: Loaded | None = load(self.options(period, level))
        except StoreError:
            got = None  # nothing of that period and level is stored
        with self._lock:
            self._cache[key] = (now, got)
        return got

    def import_file(self, upload: Path, name: str, opts: Options) -> ImportResult:
        """As `scorecard import` does: validate, then write in one transaction, or nothing.
        The clerk's file name is what the store records and where a data date is read
        from (portal-export_2025-10-16_….xlsx), as the command line reads it from a path."""
        from ..importer import prepare
        from ..index import load_index
        from ..period import date_in_name
        from ..store import open_store
        from ..units import load_registry

        prepared = prepare([str(upload)], load_index(self.index_file), load_registry(),
                           period=opts.period or period_in_name(name), sheet=opts.sheet,
                           level=opts.level, data_date=opts.data_date)
        prepared = [replace(p, source=name, data_date=opts.data_date or date_in_name(
            name, p.period) or p.data_date) for p in prepared]
        for p in prepared:
            if p.data_date < p.period.first_day:
                raise ValidationError([msg("data_date_before", date=p.data_date,
                                           period=p.period, file=name)])
        with open_store(self.url) as store:
            outcome = store.write(prepared)[0]
        with self._lock:
            self._cache.clear()
        p = outcome.prepared
        month = p.month
        levels = tuple(month.levels()) if month else ()
        zones = month is not None and counts_special_zone(r.unit for r in month.rows)
        return ImportResult(name, p.period, levels, outcome.units, outcome.status == "same",
                            month.warnings if month else (), outcome.revised, zones)
