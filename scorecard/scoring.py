"""Pure computation: peer averages, ranks, classes, change and trend for every unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from .model import (
    Change,
    GroupScore,
    Index,
    Level,
    MonthData,
    PeerSource,
    Rank,
    RankScope,
    Scorecard,
    TrendPoint,
    UnitRow,
)
from .period import Period
from .units import Registry, counts_special_zone, fold

CENT = Decimal("0.01")


def round2(d: Decimal) -> Decimal:
    """Computed figures are shown to 2 decimals, half up, as a clerk rounds by hand."""
    return d.quantize(CENT, ROUND_HALF_UP)


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return round2(sum(present, Decimal(0)) / len(present)) if present else None


def competition_ranks(rows: Sequence[UnitRow], key: Callable[[UnitRow], Decimal | None]
                      ) -> dict[int, int]:
    """Rank by descending value, ties share (1, 2, 2, 4); keyed by id(row); None unranked."""
    scored = sorted((r for r in rows if key(r) is not None), key=key, reverse=True)  # type: ignore
    ranks: dict[int, int] = {}
    for i, r in enumerate(scored):
        prev = scored[i - 1] if i else None
        ranks[id(r)] = ranks[id(prev)] if prev is not None and key(prev) == key(r) else i + 1
    return ranks


def _score_of(code: str) -> Callable[[UnitRow], Decimal | None]:
    return lambda r: r.scores[code]


def score_month(data: MonthData, index: Index, registry: Registry, *,
                history: Sequence[MonthData] = (), national: UnitRow | None = None,
                data_date: dt.date | None = None) -> list[Scorecard]:
    """Compute every unit's scorecard.

    Args:
        national: the --national file's row; the data's own `Cả nước` row wins over it.
        data_date: the data's date (default: the period's last day); earlier is provisional.
    """
    period = data.period
    date = data_date or period.last_day
    national = data.national or national
    earlier = [(h, _index_rows(h)) for h in sorted(history, key=lambda h: h.period)
               if h.period.kind == period.kind and h.period < period]
    cards = []
    by_level: dict[Level, list[UnitRow]] = {}
    for r in data.rows:
        by_level.setdefault(r.unit.level, []).append(r)
    sub_units = _sub_unit_counts(data.rows)
    known: dict[tuple[int, int | None, RankScope], Rank] = {}

    def ranked(position: int, of: int | None, scope: RankScope = "file") -> Rank:
        """One Rank per (position, of, scope): a national month's 27,000 are 3,600."""
        key = (position, of, scope)
        return known.get(key) or known.setdefault(key, Rank(position, of, scope))

    for level, rows in by_level.items():
        if level is Level.PROVINCE and national is not None:
            source = PeerSource.NATIONAL
            peer = dict(national.scores)
            peer_total = national.total
        else:
            source = PeerSource.FILE_MEAN
            peer = {g.code: mean(r.scores[g.code] for r in rows) for g in index.groups}
            peer_total = mean(r.total for r in rows)
        group_ranks = {g.code: competition_ranks(rows, _score_of(g.code)) for g in index.groups}
        group_n = {g.code: sum(r.scores[g.code] is not None for r in rows) for g in index.groups}
        total_ranks = competition_ranks(rows, lambda r: r.total)
        zones = counts_special_zone(r.unit for r in rows)
        n_totals = sum(r.total is not None for r in rows)
        for r in rows:
            groups = tuple(
                GroupScore(g, r.scores[g.code], peer.get(g.code),
                           ranked(group_ranks[g.code][id(r)], group_n[g.code])
                           if id(r) in group_ranks[g.code] else None)
                for g in index.groups)
            computed = ranked(total_ranks[id(r)], n_totals) if id(r) in total_ranks else None
            portal = None
            if level is Level.PROVINCE:
                rank = computed if r.published_rank is None else ranked(
                    r.published_rank, registry.count(period), "published")
            else:  # the headline is the level's own; the portal's list mixes both levels
                rank = computed
                if r.published_rank is not None:
                    portal = ranked(r.published_rank, sub_units.get(r.unit.province or ""),
                                  "province")
            change, trend = _history(r, data, earlier, registry)
            combined = _combined(r, index, national) if source is PeerSource.NATIONAL else ()
            cards.append(Scorecard(r.unit, period, date, date < period.last_day, groups,
                                   r.total, peer_total, source, index.classify(r.total), rank,
                                   change, trend, combined,
                                   len(rows) if source is PeerSource.FILE_MEAN else 0,
                                   portal, peer_zones=zones))
    return cards


def _sub_unit_counts(rows: Sequence[UnitRow]) -> dict[str, int]:
    """How many departments and communes a province has, for the portal's rank 'thứ 37 trong
    117': known only when the file holds both levels of the province (both sheets were read)
    and no published rank runs past their count."""
    levels: dict[str, set[Level]] = {}
    units: dict[str, list[UnitRow]] = {}
    for r in rows:
        if r.unit.level is not Level.PROVINCE and r.unit.province:
            levels.setdefault(r.unit.province, set()).add(r.unit.level)
            units.setdefault(r.unit.province, []).append(r)
    return {p: len(rs) for p, rs in units.items()
            if len(levels[p]) == 2 and all((r.published_rank or 0) <= len(rs) for r in rs)}


def year_ago(data: MonthData, earlier: MonthData, registry: Registry
             ) -> dict[tuple[Level, str, str], Change]:
    """Each unit's change since the same period a year before (matched as the trend is,
    across the 2025 merger too), by (level, code, name); only where both totals exist and the
    same groups were reported."""
    lookup = _index_rows(earlier)
    out = {}
    for r in data.rows:
        match = _find(r, earlier, lookup, data, registry)
        if match is not None and (change := _compare(earlier.period, r, *match)).delta is not None:
            out[(r.unit.level, r.unit.code, r.unit.name)] = change
    return out


def _compare(period: Period, row: UnitRow, prev: UnitRow, via: str | None) -> Change:
    """The change of the total since `prev`, or "not comparable" (None) when either total is
    missing or another set of groups was reported."""
    same_groups = all((prev.scores.get(c) is None) == (v is None) for c, v in row.scores.items())
    if prev.total is not None and row.total is not None and same_groups:
        return Change(period, prev.total, row.total - prev.total, via)
    return Change(period, None, None)


def _combined(row: UnitRow, index: Index, national: UnitRow | None) -> tuple[GroupScore, ...]:
    """The Decision's combined groups where the national figure exists only as their sum."""
    out = []
    for c in index.combined:
        peer = national.combined.get(c.group.code) if national else None
        parts = [row.scores.get(p) for p in c.parts]
        if peer is None:
            continue
        score = None if None in parts else sum((p for p in parts if p is not None), Decimal(0))
        out.append(GroupScore(c.group, score, peer, None))
    return tuple(out)


_Lookup = dict[tuple[Level, str], UnitRow]


def _index_rows(h: MonthData) -> tuple[_Lookup, _Lookup]:
    """An earlier period's rows by (level, code) and (level, folded name), built once."""
    by_code: _Lookup = {}
    by_name: _Lookup = {}
    for r in h.rows:
        if r.unit.code:
            by_code.setdefault((r.unit.level, r.unit.code), r)
        by_name.setdefault((r.unit.level, fold(r.unit.name)), r)
    return by_code, by_name


def _history(row: UnitRow, data: MonthData,
             earlier: Sequence[tuple[MonthData, tuple[_Lookup, _Lookup]]], registry: Registry
             ) -> tuple[Change | None, tuple[TrendPoint, ...]]:
    """Match the unit in earlier periods by code, then name; crosswalk the 2025 merger."""
    period = data.period
    if not earlier:
        return None, ()
    points = []
    previous: tuple[UnitRow, str | None] | None = None
    for h, lookup in earlier:
        match = _find(row, h, lookup, data, registry)
        if match is None:
            continue
        if match[0].total is not None:
            points.append(TrendPoint(h.period, match[0].total))
        if h.period == period.previous():
            previous = match
    if row.total is not None:
        points.append(TrendPoint(period, row.total))
    # a unit the previous period does not hold has no change ('chưa có số liệu kỳ trước'):
    # 'không so sánh được' is for one whose totals cannot be compared
    change = None if previous is None else _compare(period.previous(), row, *previous)
    return change, tuple(points)


def _find(row: UnitRow, h: MonthData, lookup: tuple[_Lookup, _Lookup], data: MonthData,
          registry: Registry) -> tuple[UnitRow, str | None] | None:
    unit = row.unit
    by_code, by_name = lookup
    r = by_code.get((unit.level, unit.code)) if unit.code else None
    if r is not None:
        via = None
        if unit.level is Level.PROVINCE and registry.era(h.period) != registry.era(data.period):
            absorbed = [p for p in registry.provinces if p.successor == unit.code]
            if len(absorbed) > 1 or r.unit.name != unit.name:
                via = r.unit.name
        return r, via
    r = by_name.get((unit.level, fold(unit.name)))
    return None if r is None else (r, None)
