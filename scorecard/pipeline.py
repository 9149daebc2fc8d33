"""From file paths and options to scorecards: the one call every command makes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import StoreError, UnitNotFound, ValidationError
from .index import load_index
from .messages import Msg, msg
from .model import Index, Level, MonthData, Revision, Scorecard
from .period import Period, date_in_name
from .scoring import score_month, year_ago
from .storefile import no_file
from .units import Registry, counts_special_zone, display_name, load_registry, select
from .validate import read, validate

if TYPE_CHECKING:
    from .dossiers import Dossiers
    from .store import Store, Versions

TREND = 12  # the trend shows up to this many periods of the same kind


@dataclass(frozen=True)
class Options:
    """What a user chose on the command line (or in SCORECARD_* variables)."""

    data: str | None  # None: the stored period (--month) from the store
    sheet: str | None = None
    period: Period | None = None
    index_file: str | None = None
    level: Level | None = None
    units: tuple[str, ...] = ()
    history: tuple[str, ...] = ()
    national: str | None = None
    data_date: dt.date | None = None
    db: str | None = None  # the store's URL: history, dossiers and revisions from it


@dataclass(frozen=True)
class Loaded:
    index: Index
    registry: Registry
    month: MonthData
    cards: list[Scorecard]  # the units asked for
    everyone: list[Scorecard]  # every unit of the run: the distribution findings compare with
    dossiers: dict[str, Dossiers] | None = None  # the period's, from the store
    notes: tuple[Msg, ...] = ()  # what the clerk should know of the figures compared with


def load(opts: Options) -> Loaded:
    """Load, validate, score: the data (and history, national files), then the chosen units'
    cards. Each file is loaded (found in its sheet or JSON) and then validated. With a store
    (opts.db), the data may be a stored period, and history, revisions and dossiers come from
    it unless files are given."""
    store = None
    if opts.db and not no_file(opts.db):
        from .store import read_store

        store = read_store(opts.db)
    try:
        return _load(opts, store)
    finally:
        if store is not None:
            store.close()


def _load(opts: Options, store: Store | None) -> Loaded:
    index = load_index(opts.index_file)
    registry = load_registry()

    def checked(path: str, period: Period | None, sheet: str | None = None,
                national_file: bool = False) -> MonthData:
        table = read(path, index, sheet=sheet, period=period)
        return validate(table, index, registry, period, opts.level, national_file)

    data_date = opts.data_date
    if opts.data is not None:
        month = checked(opts.data, opts.period or period_in_name(opts.data, json_only=True),
                        opts.sheet)
        # a portal export named with the day it was taken: its data date, as `import` reads
        # it (a page of the 16 October export said "số liệu đến ngày 31/10/2025")
        data_date = data_date or date_in_name(opts.data, month.period)
    else:
        month = _stored(opts, store, index)
        data_date = data_date or store.data_date(month.period, opts.level)  # type: ignore
    history = [checked(h, period_in_name(h)) for h in opts.history]
    _check_history(history, opts.history, month.period)
    national = None
    if opts.national:
        nat = checked(opts.national, month.period, national_file=True)
        national = nat.national
        if national is None:
            raise ValidationError([msg("no_national_row", file=opts.national)])
    if data_date and data_date < month.period.first_day:  # after the end: a closed period
        raise ValidationError([msg("data_date_before", date=data_date, period=month.period,
                                   file=opts.data or "--month")])
    last_year, versions = None, {}  # type: tuple[MonthData | None, dict[Period, Versions]]
    if store is not None and not opts.history:
        history, last_year, versions = _stored_history(store, month, opts.level, index)
    elif store is not None:  # files give the history; the store still knows the revisions
        versions = store.versions([month.period, *(h.period for h in history)], opts.level,
                                  [r.unit for r in month.rows])
    cards = score_month(month, index, registry, history=history, national=national,
                        data_date=data_date)
    if opts.level:
        cards = [c for c in cards if c.unit.level is opts.level]
    dossiers = None
    if store is not None:
        cards = _from_store(cards, month, last_year, versions, registry)
        dossiers = store.dossiers(month.period) or None
    chosen = choose(cards, opts.units)
    notes = _superseded(chosen, versions, month.period, dict(zip(
        (h.period for h in history), opts.history, strict=True))) if opts.history else ()
    return Loaded(index, registry, month, chosen, cards, dossiers, notes)


def _check_history(history: list[MonthData], paths: tuple[str, ...], period: Period) -> None:
    for h, path in zip(history, paths, strict=True):
        if h.period.kind != period.kind:
            raise ValidationError([msg("history_kind", file=path, found=h.period,
                                       period=period)])
        if h.period >= period:
            raise ValidationError([msg("history_later", file=path, found=h.period,
                                       period=period)])


def _stored(opts: Options, store: Store | None, index: Index) -> MonthData:
    """`render --month P` with no file: the stored period's current figures."""
    if opts.period is None:
        raise StoreError(msg("store_need_month"))
    month = store.month(opts.period, opts.level, index) if store is not None else None
    if month is None:
        raise StoreError(msg("store_no_period", period=opts.period,
                             db=store.label if store else opts.db))
    return month


def _stored_history(store: Store, month: MonthData, level: Level | None, index: Index
                    ) -> tuple[list[MonthData], MonthData | None, dict[Period, Versions]]:
    """The up to TREND - 1 periods before this one and the same period a year before, for
    the month's units, and every version of those periods and this one (for revisions)."""
    from .store import current_month

    earlier = [month.period.previous()]
    while len(earlier) < TREND - 1:
        earlier.append(earlier[-1].previous())
    year = _year_before(month.period)
    found = store.versions([month.period, *earlier, *([year] if year else [])], level,
                           [r.unit for r in month.rows])
    months = {p: m for p in found if (m := current_month(p, found[p], index,
                                                          store.label)) is not None}
    return [months[p] for p in earlier if p in months], months.get(year) if year else None, {
        p: v for p, v in found.items() if p != year}


def _year_before(period: Period) -> Period | None:
    """The same period a year before (a year's is the previous period, said as the change)."""
    return None if period.kind == "year" else Period(period.kind, period.year - 1, period.n)


def _from_store(cards: list[Scorecard], month: MonthData, last_year: MonthData | None,
                versions: dict[Period, Versions], registry: Registry) -> list[Scorecard]:
    """Each card with its change since the same period last year and the revisions of the
    periods its page shows made since the previous period ended (news since last time)."""
    from dataclasses import replace

    from .store import revisions_in, unit_key

    ago = year_ago(month, last_year, registry) if last_year else {}
    revisions = revisions_in(versions, since=month.period.previous().last_day)
    return [replace(c, year_ago=ago.get((c.unit.level, c.unit.code, c.unit.name)),
                    revisions=_in_use(c, revisions.get((int(c.unit.level), unit_key(c.unit)),
                                                       ())))
            for c in cards]


def _in_use(card: Scorecard, revisions: tuple[Revision, ...]) -> tuple[Revision, ...]:
    """The revisions whose new figures are the ones the card shows. A --history file (it
    wins over the store) or a DATA file with the figures from before a revision would
    otherwise be compared from 82,08 while the same page said 'from 82,08 to 82,31'."""
    shown = _shown(card)
    return tuple(r for r in revisions if shown.get(r.period, r.total) == r.total)


def _shown(card: Scorecard) -> dict[Period, Decimal]:
    """Each period's total as the card's page shows it: its trend, the period compared
    with, its own."""
    shown = {p.period: p.total for p in card.trend}
    if card.change is not None and card.change.previous is not None:
        shown[card.change.previous_period] = card.change.previous
    if card.total is not None:
        shown[card.period] = card.total
    return shown


def dated_after(dated: dt.date, issued: dt.date) -> tuple[Msg, ...]:
    """A page or a report issued on the 20th cannot hold the month to the 31st: the note that
    says so, with what to give instead (render and bulletin)."""
    from .formatting import Day

    return (msg("data_after_issued", date=Day(dated), issued=Day(issued)),) \
        if dated > issued else ()


def _superseded(cards: list[Scorecard], versions: dict[Period, Versions], period: Period,
                files: dict[Period, str]) -> tuple[Msg, ...]:
    """A --history file's figures that the store holds newer ones of (it wins over the store):
    said once a file, with a unit's figures and what to do — the bulletin and the page
    compared with September's first 82,08 without a word, where the store's own render
    says 82,31."""
    from .formatting import Day
    from .store import revisions_in, unit_key

    found: dict[Period, list[tuple[Scorecard, Revision]]] = {}
    revisions = revisions_in(versions, since=period.previous().last_day) if versions else {}
    for c in cards:
        shown = _shown(c)
        for r in revisions.get((int(c.unit.level), unit_key(c.unit)), ()):
            if r.period in files and r.previous != r.total and shown.get(r.period) == r.previous:
                found.setdefault(r.period, []).append((c, r))
    return tuple(msg("history_superseded", file=files[p], period=p, date=Day(r.date), n=len(hit),
                     unit=display_name(c.unit.code, c.unit.name, c.unit.level),
                     previous=r.previous, total=r.total)
                 for p, hit in found.items() for c, r in hit[:1])


def choose(cards: list[Scorecard], units: tuple[str, ...]) -> list[Scorecard]:
    """The cards --unit asks for (all when none), or UnitNotFound naming the closest."""
    try:
        return select(cards, units, lambda c: (c.unit.code, c.unit.name),
                      lambda c: display_name(c.unit.code, c.unit.name, c.unit.level))
    except LookupError as e:
        raise UnitNotFound(e.args[0]) from e


def report(loaded: Loaded) -> list[Msg]:
    """What `scorecard validate` says it understood: period, units per level, what each level
    is compared with, what it read and how, warnings."""
    from .formatting import Label, level_key, peer_key, peers_key

    month = loaded.month
    # a level is named as every output names it: '102 xã, phường, đặc khu' when one is
    zones = counts_special_zone(r.unit for r in month.rows)
    out = [msg("report_file", file=month.source),
           msg("report_period", period=month.period, slug=month.period.slug)]
    out += [msg("report_level", level=Label(f"level_{level_key(level, zones)}"), n=n)
            for level, n in month.levels().items()]
    seen = set()
    for card in loaded.cards:
        if card.unit.level not in seen:
            seen.add(card.unit.level)
            out.append(msg("report_compared", level=Label(f"level_{peers_key(card)}"),
                           peer=Label(peer_key(card))))
    out += [msg("report_read", what=note) for note in month.notes]
    out += [msg("report_warning", what=w) for w in month.warnings]
    return [*out, msg("report_ok")]


def period_in_name(path: str, json_only: bool = False) -> Period | None:
    """A file with no month column may say its month in its name (…_2025-09.csv); a date
    (…_2026-09-17.json, a year-to-date capture) is not a month."""
    if json_only and not Path(path).name.lower().endswith(".json"):
        return None
    m = re.search(r"(?<!\d)(20\d\d)[-_.](0[1-9]|1[0-2])(?![-_.]?\d)", Path(path).name)
    return Period("month", int(m[1]), int(m[2])) if m else None
