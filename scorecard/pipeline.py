"""From file paths and options to scorecards: the one call every command makes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UnitNotFound, ValidationError
from .index import load_index
from .messages import Msg, msg
from .model import Index, Level, MonthData, Scorecard
from .period import Period
from .scoring import score_month
from .units import Registry, load_registry, select
from .validate import read, validate


@dataclass(frozen=True)
class Options:
    """What a user chose on the command line (or in SCORECARD_* variables)."""

    data: str
    sheet: str | None = None
    period: Period | None = None
    index_file: str | None = None
    level: Level | None = None
    units: tuple[str, ...] = ()
    history: tuple[str, ...] = ()
    national: str | None = None
    data_date: dt.date | None = None


@dataclass(frozen=True)
class Loaded:
    index: Index
    registry: Registry
    month: MonthData
    cards: list[Scorecard]  # the units asked for
    everyone: list[Scorecard]  # every unit of the run: the distribution findings compare with


def load(opts: Options) -> Loaded:
    """Load, validate, score: the data (and history, national files), then the chosen units'
    cards. Each file is loaded (found in its sheet or JSON) and then validated."""
    index = load_index(opts.index_file)
    registry = load_registry()

    def checked(path: str, period: Period | None, sheet: str | None = None,
                national_file: bool = False) -> MonthData:
        table = read(path, index, sheet=sheet, period=period)
        return validate(table, index, registry, period, opts.level, national_file)

    month = checked(opts.data, opts.period or _period_in_name(opts.data, json_only=True),
                    opts.sheet)
    history = [checked(h, _period_in_name(h)) for h in opts.history]
    for h, path in zip(history, opts.history, strict=True):
        if h.period.kind != month.period.kind:
            raise ValidationError([msg("history_kind", file=path, found=h.period,
                                       period=month.period)])
        if h.period >= month.period:
            raise ValidationError([msg("history_later", file=path, found=h.period,
                                       period=month.period)])
    national = None
    if opts.national:
        nat = checked(opts.national, month.period, national_file=True)
        national = nat.national
        if national is None:
            raise ValidationError([msg("no_national_row", file=opts.national)])
    if opts.data_date and not month.period.first_day <= opts.data_date <= month.period.last_day:
        raise ValidationError([msg("data_date_outside", date=opts.data_date,
                                   period=month.period)])
    cards = score_month(month, index, registry, history=history, national=national,
                        data_date=opts.data_date)
    if opts.level:
        cards = [c for c in cards if c.unit.level is opts.level]
    return Loaded(index, registry, month, choose(cards, opts.units), cards)


def choose(cards: list[Scorecard], units: tuple[str, ...]) -> list[Scorecard]:
    """The cards --unit asks for (all when none), or UnitNotFound naming the closest."""
    try:
        return select(cards, units, lambda c: (c.unit.code, c.unit.name))
    except LookupError as e:
        raise UnitNotFound(e.args[0]) from e


def report(loaded: Loaded) -> list[Msg]:
    """What `scorecard validate` says it understood: period, units per level, what each level
    is compared with, what it read and how, warnings."""
    from .formatting import Label, peer_key

    month = loaded.month
    out = [msg("report_file", file=month.source),
           msg("report_period", period=month.period, slug=month.period.slug)]
    out += [msg("report_level", level=Label(f"level_{level.value}"), n=n)
            for level, n in month.levels().items()]
    seen = set()
    for card in loaded.cards:
        if card.unit.level not in seen:
            seen.add(card.unit.level)
            out.append(msg("report_compared", level=Label(f"level_{card.unit.level.value}"),
                           peer=Label(peer_key(card))))
    out += [msg("report_read", what=note) for note in month.notes]
    out += [msg("report_warning", what=w) for w in month.warnings]
    return [*out, msg("report_ok")]


def _period_in_name(path: str, json_only: bool = False) -> Period | None:
    """A file with no month column may say its month in its name (…_2025-09.csv); a date
    (…_2026-09-17.json, a year-to-date capture) is not a month."""
    if json_only and not Path(path).name.lower().endswith(".json"):
        return None
    m = re.search(r"(?<!\d)(20\d\d)[-_.](0[1-9]|1[0-2])(?![-_.]?\d)", Path(path).name)
    return Period("month", int(m[1]), int(m[2])) if m else None
