"""`scorecard import`: read and check every file first (scores as `validate` checks them,
dossier figures as `--dossiers` does), then hand them to the store in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .dossiers import read_dossiers
from .errors import ScorecardError, ValidationError
from .layout import header_key, locate, map_columns, plain_table
from .loaders import Book, read_book
from .messages import Msg, msg
from .model import Index, Level
from .period import Period, date_in_name
from .pipeline import period_in_name
from .portal import json_table
from .resources import vocabulary
from .store import Prepared, sha256_of
from .units import Registry
from .validate import validate


def prepare(paths: Sequence[str], index: Index, registry: Registry, *,
            period: Period | None = None, sheet: str | None = None, level: Level | None = None,
            data_date: dt.date | None = None) -> list[Prepared]:
    """Every file read and checked, or ValidationError with every problem of all of them.

    Args:
        period: --month; else each file's month column, else a YYYY-MM in its name.
        data_date: --data-date for every file; else a YYYY-MM-DD in the file's name (the day
            the portal's export was taken), else the period's last day.
    """
    out: list[Prepared] = []
    problems: list[Msg] = []
    for path in paths:
        try:
            out.append(_one(path, index, registry, period, sheet, level, data_date))
        except ValidationError as e:
            problems += e.problems
        except ScorecardError as e:
            problems.append(e.message if isinstance(e.message, Msg) else msg(
                "problem", where=path, what=e.message))
    if problems:
        raise ValidationError(problems)
    return out


def _one(path: str, index: Index, registry: Registry, period: Period | None,
         sheet: str | None, level: Level | None, data_date: dt.date | None) -> Prepared:
    book = read_book(path)
    groups = tuple(g.code for g in index.groups)
    name = Path(path).name
    if _is_dossiers(book, index):
        found = period or period_in_name(path)
        if found is None:
            raise ValidationError([msg("no_period", file=path)])
        return Prepared(name, sha256_of(path), "", found,
                        _date(found, data_date, path), groups,
                        dossiers=read_dossiers([path]))
    found = period or period_in_name(path)
    table = json_table(book, index) if book.format == "json" else locate(book, index, found,
                                                                           sheet)
    month = validate(table, index, registry, found, level)
    if level is not None:
        month = replace(month, rows=tuple(r for r in month.rows if r.unit.level is level))
    date = _date(month.period, data_date, path)
    # the same bytes may hold other periods (sheets) or levels: what was read is part of the key
    variant = f"{table.source.removeprefix(str(book.path))} {level.name if level else ''}"
    return Prepared(name, sha256_of(path), variant.strip(), month.period, date, groups,
                    month=month)


def _date(period: Period, given: dt.date | None, path: str) -> dt.date:
    date = given or date_in_name(path, period) or period.last_day
    if date < period.first_day:
        raise ValidationError([msg("data_date_before", date=date, period=period, file=path)])
    return date


def _is_dossiers(book: Book, index: Index) -> bool:
    """The portal's dossier trees, or a table with dossier columns and no group column."""
    if book.format == "json":
        data = book.json.get("data") if isinstance(book.json, dict) else None
        return isinstance(data, dict) and "parent" in data and "children" in data
    try:
        headers = list(plain_table(book).columns)
    except ScorecardError:
        return False
    fields = {header_key(w) for f, words in vocabulary()["dossier_columns"].items()
              if f not in ("code", "name") for w in (f, *words)}
    cols, _ = map_columns(headers, index)
    return any(header_key(h) in fields for h in headers) and not any(
        cols.get(g.code) for g in index.groups)
