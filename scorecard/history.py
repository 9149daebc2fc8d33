"""`scorecard history --unit U`: a unit's stored periods, each version of its figures, and
which later version was a revision (a final period changed) or an update (provisional figures
replaced), as a table for people or CSV for machines."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .errors import UnitNotFound
from .formatting import Fmt
from .language import Language
from .manifest import _inert as inert
from .messages import msg
from .model import Level, Unit
from .store import Store, Version, changes, unit_key
from .units import select


@dataclass(frozen=True)
class Line:
    """One stored version of the unit's figures for one period."""

    version: Version
    current: bool
    change: str  # '' (first or same figures), 'revision' or 'update'


def unit_history(store: Store, query: str, level: Level | None = None
                 ) -> tuple[Unit, list[Line]]:
    """The unit a code or name names (at `level`), and its versions, period by period."""
    units = [u for u in store.units() if level is None or u.level is level]
    try:
        found = select(units, (query,), lambda u: (u.code, u.name))
    except LookupError as e:
        raise UnitNotFound(e.args[0]) from e
    if len(found) > 1:
        raise UnitNotFound(msg("history_ambiguous", query=query, units=", ".join(
            f"{u.name} ({u.code or u.level.name.lower()})" for u in found)))
    unit = found[0]
    lines = []
    for versions in store.history(unit.level, unit_key(unit)).values():
        changed = {id(b): "revision" if revision else "update"
                   for _, b, revision in changes(versions)}
        lines += [Line(v, v is versions[-1], changed.get(id(v), "")) for v in versions]
    return unit, lines


def as_table(unit: Unit, lines: Sequence[Line], lang: Language) -> list[str]:
    """Aligned columns: period, data date, total, rank, what the version is, source."""
    fmt = Fmt(lang)
    head = msg("history_columns").text(lang).split("|")
    rows = [(v.period.label(lang), fmt.date(v.data_date), fmt.num(v.row.total),
             str(v.row.published_rank or ""), _status(line, lang), v.source)
            for line in lines for v in (line.version,)]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    title = f"{unit.name} ({unit.code})" if unit.code else unit.name
    return [title, *("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in (tuple(head), *rows))]


def _status(line: Line, lang: Language) -> str:
    """'điều chỉnh, hiện hành' / 'revised, current'; 'đã được thay' for a replaced first."""
    parts = [f"history_{line.change}"] if line.change else []
    parts.append("history_current" if line.current else
                 "" if line.change else "history_replaced")
    return ", ".join(msg(p).text(lang) for p in parts if p)


def as_csv(unit: Unit, lines: Sequence[Line]) -> str:
    """One row per version, with the group scores: what another program reads."""
    groups: dict[str, None] = {}
    for line in lines:
        groups.update(dict.fromkeys(line.version.row.scores))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["period", "level", "code", "name", "data_date", "total", "rank", *groups,
                "current", "change", "source", "imported_at"])
    for line in lines:
        v = line.version
        w.writerow([v.period.slug, unit.level.name.lower(), inert(unit.code), inert(unit.name),
                    v.data_date.isoformat(), _plain(v.row.total), v.row.published_rank or "",
                    *(_plain(v.row.scores.get(g)) for g in groups), int(line.current),
                    line.change, inert(v.source), v.imported_at])
    return out.getvalue()


def _plain(d: Decimal | None) -> str:
    return "" if d is None else f"{d:f}"
