"""Where the page's periods come from, and where an import goes.

The page needs little of its storage: the periods held, a period's scored units of one
level (with their history: trend and change), and an import that stores a validated file
or nothing. `MemorySource` keeps the files imported while the server runs, in a private
folder, and scores them with the same pipeline as the command line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from ..messages import Msg
from ..model import Level
from ..period import Period
from ..pipeline import Loaded, Options, load


@dataclass(frozen=True)
class PeriodInfo:
    """A stored period as the start page lists it."""

    period: Period
    levels: dict[Level, int]  # units per level
    data_date: dt.date  # the newest
    sources: tuple[str, ...] = ()  # the clerk's file names, when known

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


class Source(Protocol):
    def periods(self) -> list[PeriodInfo]: ...

    def options(self, period: Period, level: Level) -> Options | None: ...

    def loaded(self, period: Period, level: Level) -> Loaded | None: ...

    def import_file(self, upload: Path, name: str, opts: Options) -> ImportResult: ...


@dataclass(frozen=True)
class _File:
    period: Period
    levels: tuple[Level, ...]
    units: int
    name: str
    sha256: str
    path: Path  # the stored copy, named by the server
    sheet: str | None
    data_date: dt.date


class MemorySource:
    """The files imported while the server runs; each period's newest file of a level wins,
    and earlier periods of the same kind give the trend and the change."""

    def __init__(self, folder: Path, index_file: str | None = None):
        self.folder = folder
        self.index_file = index_file
        self._files: list[_File] = []
        self._cache: dict[tuple[Period, Level], Loaded] = {}
        self._lock = threading.Lock()

    def periods(self) -> list[PeriodInfo]:
        """Newest period first, each with the units of its newest file of each level."""
        out: dict[Period, PeriodInfo] = {}
        with self._lock:
            for f in self._files:
                had = out.get(f.period) or PeriodInfo(f.period, {}, f.data_date)
                levels = {**had.levels, **{lv: f.units for lv in f.levels}}
                out[f.period] = PeriodInfo(f.period, dict(sorted(levels.items())),
                                           max(had.data_date, f.data_date),
                                           (*had.sources, f.name))
        return sorted(out.values(), key=lambda p: p.period, reverse=True)

    def _file(self, period: Period, level: Level) -> _File | None:
        hits = [f for f in self._files if f.period == period and level in f.levels]
        return hits[-1] if hits else None

    def options(self, period: Period, level: Level) -> Options | None:
        """What `scorecard render` would be given for this period and level: the file, and
        the earlier periods of the same kind as --history."""
        with self._lock:
            f = self._file(period, level)
            if f is None:
                return None
            earlier = sorted({g.period for g in self._files if g.period.kind == period.kind
                              and g.period < period and level in g.levels})
            history = [self._file(p, level) for p in earlier]
            return Options(data=str(f.path), sheet=f.sheet, period=period,
                           index_file=self.index_file, level=level,
                           history=tuple(str(h.path) for h in history if h))

    def loaded(self, period: Period, level: Level) -> Loaded | None:
        key = (period, level)
        if key not in self._cache:
            opts = self.options(period, level)
            if opts is None:
                return None
            self._cache[key] = load(opts)
        return self._cache[key]

    def import_file(self, upload: Path, name: str, opts: Options) -> ImportResult:
        """Validate the uploaded file as `scorecard import` does; keep a copy when valid.
        Raises the pipeline's errors (nothing is kept then)."""
        data = upload.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        loaded = load(replace(opts, data=str(upload), index_file=self.index_file))
        month = loaded.month
        with self._lock:
            for f in self._files:
                if f.sha256 == digest and f.period == month.period and f.sheet == opts.sheet:
                    return ImportResult(name, f.period, f.levels, f.units, True,
                                        month.warnings)
            # named by the server; the period in the name lets it serve as --history
            path = self.folder / f"{month.period.slug}_{len(self._files) + 1:04d}"
            path.write_bytes(data)
            f = _File(month.period, tuple(month.levels()), len(month.rows), name, digest,
                      path, opts.sheet, opts.data_date or month.period.last_day)
            self._files.append(f)
            self._cache.clear()  # a new period changes the history of the later ones
        return ImportResult(name, f.period, f.levels, f.units, False, month.warnings)
