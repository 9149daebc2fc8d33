"""Turn a raw table into validated rows, or list every problem at once (file, row, column)."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .errors import ValidationError
from .layout import EXTRA, Columns, Table, header_key, map_columns, unit_fields
from .messages import Msg, msg, problem
from .model import Index, Level, MonthData, Unit, UnitRow
from .period import Period
from .units import (
    Registry,
    fold,
    is_national,
    level_from_code,
    level_from_name,
    nfc,
    normalize_code,
    sub_unit,
)

CENT = Decimal("0.01")
TOTAL_TOLERANCE = Decimal("0.015")
MAX_NAME = 200  # the longest real unit name is under 120 characters
MAX_CODE = 40
MAX_RANK = 100_000
_CODE_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_VIET_MARKS = set("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b")
_NAME_PUNCTUATION = set(" .,-()/&'\":;+#_–—‘’“”…đĐ")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^\d{1,2}/(\d{1,2})/(\d{4})$")


def parse_number(value: Any) -> Decimal | None:
    """A score exactly as typed: '7,7', '7.7', 7.7, '18.005'; '' is "not reported"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isinf(value):
            raise ValueError
        return Decimal(repr(value))  # the shortest decimal that is this float: what Excel shows
    s = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not s or s in ("-", "—"):
        return None
    if "," in s and "." in s:  # the later mark is the decimal one: 1.234,5 or 1,234.5
        thousands = "." if s.rfind(",") > s.rfind(".") else ","
        s = s.replace(thousands, "")
    s = s.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d{1,15}(\.\d{0,15})?|\.\d{1,15})", s):
        raise ValueError
    return Decimal(s)


def shown(d: Decimal | None) -> Decimal | None:
    """What is kept and printed: at most 2 decimals, half up (18.005 -> 18.01; 7.70 -> 7.7).
    Checks (the total against its groups) use the exact value first."""
    if d is None:
        return None
    if d.as_tuple().exponent < -2:  # type: ignore[operator]
        d = d.quantize(CENT, ROUND_HALF_UP)
    return _trim(d)


@dataclass
class _Context:
    """What every row's checks need: the table, its columns, the options, the problems."""

    table: Table
    cols: Columns
    index: Index
    registry: Registry
    period: Period | None
    level: Level | None
    problems: list[Msg]
    position: dict[str, int]  # field -> column (the first of equal headers)
    # one Decimal per value shown: a national month's 27,000 cells hold 3,900 values (104
    # bytes each); every card and row then shares them
    values: dict[str, Decimal] = field(default_factory=dict)

    def cell(self, i: int, field: str) -> Any:
        j = self.position.get(field)
        return "" if j is None else self.table.cells[i][j]

    def where(self, i: int, field: str | None) -> Msg:
        return self.table.where(i, None if field is None else self.cols.get(field))

    def score(self, i: int, field: str, maximum: Decimal) -> Decimal | None:
        return _score(self.cell(i, field), maximum, lambda: self.where(i, field), self.problems)

    def shown(self, d: Decimal | None) -> Decimal | None:
        """`shown(d)`, the same object for the same value (the key keeps -0 apart from 0)."""
        d = shown(d)
        return None if d is None else self.values.setdefault(str(d), d)


def validate(table: Table, index: Index, registry: Registry, period: Period | None = None,
             level: Level | None = None, national_file: bool = False) -> MonthData:
    """Validate a table into MonthData; raise ValidationError listing every problem.

    Args:
        period: from --month; else the file's month column must give it.
        level: the level of units the file does not otherwise say (--level).
        national_file: a --national file, whose single row is the national figure
            whatever it is called.
    """
    src = table.source
    cols = _columns(table, index, national_file)
    problems: list[Msg] = []
    columns = table.columns
    ctx = _Context(table, cols, index, registry, None, level, problems,
                   {f: columns.index(h) for f, h in cols.fields.items()})
    if EXTRA in columns:
        j = columns.index(EXTRA)
        wide = [table.rows[i] for i, r in enumerate(table.cells) if r[j] != ""]
        if wide:
            problems.append(problem(src, msg("extra_cells", n=len(wide), rows=_rows(wide))))
    ctx.period = _period(ctx, period)
    rows: list[UnitRow] = []
    national: UnitRow | None = None
    seen: dict[tuple[Level, str], int] = {}
    warnings: list[Msg] = []
    filled = [i for i, r in enumerate(table.cells) if not all(_blank(v) for v in r)]
    lone_national = national_file and len(filled) == 1
    notes = list(table.notes)
    for i in filled:
        row = _row(ctx, i, lone_national)
        if row is None:
            continue
        if row.unit.code == "CN":
            national = row
            notes += _national_notes(row, ctx.where(i, None), index)
            continue
        key = (row.unit.level, row.unit.code or fold(row.unit.name))
        if key in seen:
            problems.append(problem(ctx.where(i, "name" if cols.get("name") else "code"), msg(
                "duplicate_unit", name=row.unit.name, first=seen[key], row=row.row)))
            continue
        seen[key] = row.row
        rows.append(row)
        odd = _odd_characters(str(ctx.cell(i, "name")))
        if odd:
            warnings.append(msg("odd_characters", row=row.row, name=_clip(row.unit.name),
                                chars=" ".join(odd)))
    if not rows and national is None and not problems:
        problems.append(msg("no_rows", file=src))
    if problems:
        raise ValidationError(problems)
    assert ctx.period is not None
    return MonthData(src, ctx.period, tuple(rows), national,
                     (*warnings, *_warnings(rows, src)), tuple(notes))


def _columns(table: Table, index: Index, national_file: bool) -> Columns:
    """The file's columns mapped to fields, or every missing one named with a hint."""
    headers = [c for c in table.columns if c != EXTRA]
    cols, unclaimed = map_columns(headers, index)
    missing: list[Msg | str] = []
    if not (cols.get("name") or cols.get("code") or national_file):
        missing.append(msg("unit_columns"))
    missing += [f"'{g.vi}' ({g.code})" for g in index.groups if not cols.get(g.code)]
    if missing:
        header = msg("at_header", file=table.source, row=table.header_row)
        problems = [problem(header, msg("missing_columns", missing=missing,
                                        found=", ".join(h for h in headers if h) or "—"))]
        problems += [problem(header, msg("header_hint", header=h, close=close))
                     for h in unclaimed if (close := _closest(h, index))]
        raise ValidationError(problems)
    return cols


def _national_notes(row: UnitRow, where: Msg, index: Index) -> list[Msg]:
    """Where the national figures are, and which groups they give only as a sum."""
    return [msg("note_national", where=where), *(
        msg("note_combined", group=c.group.vi, parts=" + ".join(c.parts), max=c.group.max)
        for c in index.combined if row.combined.get(c.group.code) is not None
        and all(row.scores.get(p) is None for p in c.parts))]


def _row(ctx: _Context, i: int, lone_national: bool) -> UnitRow | None:
    """One row's unit and scores, or None with its problems added."""
    problems, index, cols = ctx.problems, ctx.index, ctx.cols
    row = ctx.table.rows[i]
    before = len(problems)
    exact = {g.code: ctx.score(i, g.code, g.max) for g in index.groups}
    total = ctx.score(i, "total", index.total.max) if cols.get("total") else None
    combined = {c.group.code: ctx.score(i, c.group.code, c.group.max)
                for c in index.combined if cols.get(c.group.code)}
    rank = _rank(ctx.cell(i, "rank"), ctx.where(i, "rank"), problems) if cols.get(
        "rank") else None
    name = nfc(ctx.cell(i, "name")) if cols.get("name") else ""
    raw_code = ctx.cell(i, "code") if cols.get("code") else ""
    code = normalize_code(_integral_text(raw_code)) if not _blank(raw_code) else ""
    if not name and not code and not lone_national:
        problems.append(problem(ctx.where(i, None), msg("no_name_or_code")))
        return None
    if len(name) > MAX_NAME:
        problems.append(problem(ctx.where(i, "name"), msg("name_too_long", n=len(name),
                                                          max=MAX_NAME)))
    if code and not (len(code) <= MAX_CODE and _CODE_SHAPE.fullmatch(code)):
        problems.append(problem(ctx.where(i, "code"), msg("bad_code", value=_clip(code),
                                                          max=MAX_CODE)))
    if len(problems) > before:
        return None
    reported = [v for v in exact.values() if v is not None]
    if len(reported) == len(exact):
        computed = sum(reported, Decimal(0))
        if total is None:
            total = computed
        elif abs(total - computed) > TOTAL_TOLERANCE:  # exact decimals: 0.015 itself passes
            problems.append(problem(ctx.where(i, "total"), msg(
                "total_mismatch", total=total, computed=computed, diff=abs(total - computed))))
            return None
    scores = {k: ctx.shown(v) for k, v in exact.items()}
    if is_national(name, code) or lone_national:
        return UnitRow(Unit("CN", "Cả nước", Level.PROVINCE), scores, ctx.shown(total), None,
                       row, {k: ctx.shown(v) for k, v in combined.items()})
    unit = _unit(ctx, i, name, code)
    return None if unit is None else UnitRow(unit, scores, ctx.shown(total), rank, row)


def _period(ctx: _Context, given: Period | None) -> Period | None:
    """--month, else the month column; a column that disagrees is said once, with its rows."""
    found, first = given, 0
    conflicts: dict[Period, list[int]] = {}
    if ctx.cols.get("month"):
        for i in range(len(ctx.table.cells)):
            raw = ctx.cell(i, "month")
            if _blank(raw):
                continue
            row = ctx.table.rows[i]
            try:
                p = period_of_cell(raw)
            except ValueError:
                ctx.problems.append(problem(ctx.where(i, "month"), msg("bad_period", value=raw)))
                continue
            if found is None:
                found, first = p, row
            elif p != found:
                conflicts.setdefault(p, []).append(row)
    for p, rows in conflicts.items():
        source = "--month" if given else msg("period_of_row", row=first)
        ctx.problems.append(problem(ctx.table.source, msg(
            "period_conflict_rows", found=p.slug, n=len(rows), rows=_rows(rows),
            expected=found.slug if found else "", source=source)))
    if found is None:
        ctx.problems.append(msg("no_period", file=ctx.table.source))
    return found


def period_of_cell(raw: Any) -> Period:
    """A month column's cell: 2025-10, 10/2025, 2025-Q3, 2025 — or a date (Excel stores the
    month it shows as 01/10/2025 as a date): its month."""
    if isinstance(raw, dt.date):
        return Period("month", raw.year, raw.month)
    text = _integral_text(raw)
    m = _DATE.match(text.strip())
    if m:
        return Period.parse(f"{m[1]}-{m[2]}")
    m = _DMY.match(text.strip())
    if m:
        return Period.parse(f"{m[2]}-{m[1]}")
    return Period.parse(text)


def _score(value: Any, maximum: Decimal, where: Callable[[], Msg], problems: list[Msg]
           ) -> Decimal | None:
    """`where` is only called for a problem: most cells have none."""
    try:
        d = parse_number(value)
    except (ValueError, InvalidOperation):
        problems.append(problem(where(), msg("not_a_number", value=_clip(str(value)))))
        return None
    if d is not None and not 0 <= d <= maximum:
        problems.append(problem(where(), msg("out_of_range", value=d, max=maximum)))
        return None
    return d


def _rank(value: Any, where: Msg, problems: list[Msg]) -> int | None:
    try:
        d = parse_number(value)
    except (ValueError, InvalidOperation):
        d = Decimal(-1)
    if d is None:
        return None
    if d < 1 or d != d.to_integral_value():
        problems.append(problem(where, msg("not_a_rank", value=_clip(str(value)))))
        return None
    if d > MAX_RANK:
        problems.append(problem(where, msg("rank_too_big", value=_clip(str(value)),
                                           max=MAX_RANK)))
        return None
    return int(d)


def _unit(ctx: _Context, i: int, name: str, code: str) -> Unit | None:
    problems = ctx.problems
    level_cell = ctx.cell(i, "level") if ctx.cols.get("level") else ""
    level: Level | None = None
    if not _blank(level_cell):
        text = _integral_text(level_cell).strip()
        try:
            level = Level.parse(text)
        except ValueError:
            problems.append(problem(ctx.where(i, "level"), msg("bad_level", value=_clip(text))))
            return None
    level = level or level_from_code(code) or level_from_name(name) or ctx.level
    if level is None and "." not in code:
        level = Level.PROVINCE  # a plain name is checked against the registry of provinces
    if level is None:
        problems.append(problem(ctx.where(i, None), msg("unknown_level", name=name or code)))
        return None
    if level is Level.PROVINCE:
        if ctx.period is None:
            return None
        try:
            p = ctx.registry.resolve(name, code, ctx.period)
        except LookupError as e:
            problems.append(problem(ctx.where(i, "name" if name else "code"), e.args[0]))
            return None
        return Unit(p.code, p.name, level, formal=p.formal)
    return sub_unit(code, name, level)


def _warnings(rows: list[UnitRow], src: str) -> list[Msg]:
    out = []
    by_level: dict[Level, list[UnitRow]] = {}
    for r in rows:
        by_level.setdefault(r.unit.level, []).append(r)
    for group in by_level.values():
        ranked = sorted((r for r in group if r.published_rank and r.total is not None),
                        key=lambda r: r.published_rank or 0)
        for a, b in zip(ranked, ranked[1:], strict=False):
            assert a.total is not None and b.total is not None
            if b.total > a.total:
                out.append(msg("rank_disagrees", file=src, row=b.row, rank=b.published_rank,
                               name=b.unit.name, total=b.total, other_rank=a.published_rank,
                               other=a.unit.name, other_total=a.total))
    return out


def _odd_characters(name: str) -> list[str]:
    """Characters no Vietnamese name has: what a wrong code page (or an emoji) leaves."""
    odd = []
    for ch in dict.fromkeys(unicodedata.normalize("NFC", name)):
        if (ch.isascii() and (ch.isalnum() or ch in _NAME_PUNCTUATION)) or ch in _NAME_PUNCTUATION:
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], set(decomposed[1:])
        if base.isascii() and base.isalpha() and marks <= _VIET_MARKS:
            continue
        odd.append(ch)
    return odd


def _integral_text(v: Any) -> str:
    """A code or level typed as a number: 1.0 -> '1'."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _rows(rows: list[int]) -> str:
    shown_rows = ", ".join(map(str, rows[:10]))
    return shown_rows + (", …" if len(rows) > 10 else "")


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def _trim(d: Decimal) -> Decimal:
    """18.00 -> 18 and 7.70 -> 7.7 (never 1.8E+1)."""
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _closest(header: str, index: Index) -> str | None:
    names = {header_key(w): w for g in index.groups for w in (g.code, g.vi, g.en)}
    names.update({header_key(w): w for words in unit_fields().values() for w in words})
    close = difflib.get_close_matches(header_key(header), list(names), n=1, cutoff=0.75)
    return names[close[0]] if close else None


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (
        isinstance(v, float) and math.isnan(v))


def read(path: str, index: Index, *, sheet: str | None = None,
         period: Period | None = None) -> Table:
    """Load a file and find its table: a sheet's header and unit rows, or the portal's JSON."""
    from .layout import locate
    from .loaders import read_book
    from .portal import json_table

    book = read_book(path)
    return json_table(book, index) if book.format == "json" else locate(book, index, period,
                                                                         sheet)


def validate_file(path: str, index: Index, registry: Registry, *, sheet: str | None = None,
                  period: Period | None = None, level: Level | None = None,
                  national_file: bool = False) -> MonthData:
    """Read and validate one data file (CSV, XLSX, XLS, ODS or the portal's JSON)."""
    return validate(read(path, index, sheet=sheet, period=period), index, registry, period,
                    level, national_file)
