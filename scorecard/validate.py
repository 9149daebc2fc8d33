"""Turn a raw table into validated rows, or list every problem at once (file, row, column)."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .errors import ValidationError
from .loaders import Table
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
)

CENT = Decimal("0.01")
TOTAL_TOLERANCE = Decimal("0.015")
UNIT_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("TEN", "TEN_COQUAN", "Tên đơn vị", "Đơn vị", "Tên cơ quan", "Cơ quan", "unit",
             "name", "unit name", "Tên", "Tỉnh, thành phố", "Tỉnh", "province"),
    "code": ("MA_COQUAN", "Mã đơn vị", "Mã cơ quan", "Mã", "code", "unit code"),
    "level": ("LOAI_COQUAN", "level", "Cấp", "Loại cơ quan"),
    "rank": ("ROW_STT", "Xếp hạng", "Hạng", "rank"),
    "month": ("month", "thang", "Tháng", "period", "Kỳ", "Kỳ báo cáo"),
}


def header_key(text: str) -> str:
    """Headers match without regard to case, accents, spacing or underscores."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


@dataclass(frozen=True)
class Columns:
    """Which file column feeds which field (the header as the user wrote it)."""

    fields: dict[str, str]  # field -> header; fields are UNIT_FIELDS keys, group codes, "total"

    def get(self, name: str) -> str | None:
        return self.fields.get(name)


def map_columns(headers: list[str], index: Index) -> tuple[Columns, list[str]]:
    """Map headers to fields; return the mapping and the headers nothing claimed."""
    aliases: dict[str, str] = {}
    for field, words in UNIT_FIELDS.items():
        for w in words:
            aliases.setdefault(header_key(w), field)
    for g in (*index.groups, index.total):
        field = "total" if g is index.total else g.code
        for w in (g.code, g.vi, g.en, *g.aliases):
            aliases[header_key(w)] = field
    fields: dict[str, str] = {}
    unclaimed = []
    for h in headers:
        claimed = aliases.get(header_key(h))
        if claimed and claimed not in fields:
            fields[claimed] = h
        elif not claimed:
            unclaimed.append(h)
    return Columns(fields), unclaimed


def parse_number(value: Any) -> Decimal | None:
    """A score as typed: '7,7', '7.7', 7.7 (rounded to 2 decimals); '' is "not reported"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return _trim(Decimal(repr(value)).quantize(CENT, ROUND_HALF_UP))
    s = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not s or s in ("-", "—"):
        return None
    if "," in s and "." in s:  # the later mark is the decimal one: 1.234,5 or 1,234.5
        thousands = "." if s.rfind(",") > s.rfind(".") else ","
        s = s.replace(thousands, "")
    s = s.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", s):
        raise ValueError
    d = Decimal(s)
    if d.as_tuple().exponent < -2:  # type: ignore[operator]
        d = d.quantize(CENT, ROUND_HALF_UP)
    return d


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
    frame = table.frame
    headers = [str(c) for c in frame.columns]
    cols, unclaimed = map_columns(headers, index)
    problems: list[Msg] = []
    missing: list[Msg | str] = []
    if not (cols.get("name") or cols.get("code") or national_file):
        missing.append(msg("unit_columns"))
    missing += [f"'{g.vi}' ({g.code})" for g in index.groups if not cols.get(g.code)]
    if missing:
        header = msg("at_header", file=src)
        problems.append(problem(header, msg("missing_columns", missing=missing,
                                            found=", ".join(headers) or "—")))
        problems += [problem(header, msg("header_hint", header=h, close=close))
                     for h in unclaimed if (close := _closest(h, index))]
        raise ValidationError(problems)

    position = {f: headers.index(h) for f, h in cols.fields.items()}  # first of equal headers

    def cell(i: int, field: str) -> Any:
        return frame.iat[i, position[field]] if field in position else ""

    def where(row: int, field: str) -> Msg:
        return msg("at_cell", file=src, row=row, column=cols.get(field))

    period = _period(frame, cols, cell, where, period, table, problems)
    rows: list[UnitRow] = []
    national: UnitRow | None = None
    seen: dict[tuple[Level, str], int] = {}
    filled = [i for i in range(len(frame)) if not all(_blank(v) for v in frame.iloc[i].tolist())]
    lone_national = national_file and len(filled) == 1
    for i in filled:
        row = table.first_row + i
        before = len(problems)
        scores: dict[str, Decimal | None] = {}
        for g in index.groups:
            scores[g.code] = _score(cell(i, g.code), g.max, where(row, g.code), problems)
        total = (_score(cell(i, "total"), index.total.max, where(row, "total"), problems)
                 if cols.get("total") else None)
        rank = _rank(cell(i, "rank"), where(row, "rank"), problems) if cols.get("rank") else None
        name = nfc(cell(i, "name")) if cols.get("name") else ""
        code = normalize_code(cell(i, "code")) if cols.get("code") else ""
        if not name and not code and not lone_national:
            problems.append(problem(msg("at_row", file=src, row=row), msg("no_name_or_code")))
            continue
        if len(problems) > before:
            continue
        reported = [v for v in scores.values() if v is not None]
        if len(reported) == len(scores):
            computed = sum(reported, Decimal(0))
            if total is None:
                total = computed
            elif abs(total - computed) > TOTAL_TOLERANCE:
                problems.append(problem(where(row, "total"), msg(
                    "total_mismatch", total=total, computed=computed,
                    diff=abs(total - computed))))
                continue
        if is_national(name, code) or lone_national:
            national = UnitRow(Unit("CN", "Cả nước", Level.PROVINCE), scores, total, None, row)
            continue
        unit = _unit(name, code, cell(i, "level") if cols.get("level") else "", level,
                     registry, period, row, where, msg("at_row", file=src, row=row), problems)
        if unit is None:
            continue
        key = (unit.level, unit.code or fold(unit.name))
        if key in seen:
            problems.append(problem(where(row, "name" if cols.get("name") else "code"), msg(
                "duplicate_unit", name=unit.name, first=seen[key], row=row)))
            continue
        seen[key] = row
        rows.append(UnitRow(unit, scores, total, rank, row))
    if not rows and national is None and not problems:
        problems.append(msg("no_rows", file=src))
    if problems:
        raise ValidationError(problems)
    assert period is not None
    return MonthData(src, period, tuple(rows), national, tuple(_warnings(rows, src)))


def _period(frame: Any, cols: Columns, cell: Callable[[int, str], Any],
            where: Callable[[int, str], Msg], given: Period | None, table: Table,
            problems: list[Msg]) -> Period | None:
    found, first = given, 0
    if cols.get("month"):
        for i in range(len(frame)):
            raw = cell(i, "month")
            if _blank(raw):
                continue
            row = table.first_row + i
            try:
                p = Period.parse(str(raw))
            except ValueError:
                problems.append(problem(where(row, "month"), msg("bad_period", value=raw)))
                continue
            if found is None:
                found, first = p, row
            elif p != found:
                source = "--month" if given else msg("period_of_row", row=first)
                problems.append(problem(where(row, "month"), msg(
                    "period_conflict", found=p.slug, expected=found.slug, source=source)))
    if found is None:
        problems.append(msg("no_period", file=table.source))
    return found


def _score(value: Any, maximum: Decimal, where: Msg, problems: list[Msg]) -> Decimal | None:
    try:
        d = parse_number(value)
    except (ValueError, InvalidOperation):
        problems.append(problem(where, msg("not_a_number", value=value)))
        return None
    if d is not None and not 0 <= d <= maximum:
        problems.append(problem(where, msg("out_of_range", value=d, max=maximum)))
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
        problems.append(problem(where, msg("not_a_rank", value=value)))
        return None
    return int(d)


def _unit(name: str, code: str, level_cell: Any, level_opt: Level | None, registry: Registry,
          period: Period | None, row: int, where: Callable[[int, str], Msg], at_row: Msg,
          problems: list[Msg]) -> Unit | None:
    level: Level | None = None
    if not _blank(level_cell):
        text = str(level_cell).strip()
        try:
            level = Level.parse(text[:-2] if text.endswith(".0") else text)
        except ValueError:
            problems.append(problem(where(row, "level"), msg("bad_level", value=text)))
            return None
    level = level or level_from_code(code) or level_from_name(name) or level_opt
    if level is None and "." not in code:
        level = Level.PROVINCE  # a plain name is checked against the registry of provinces
    if level is None:
        problems.append(problem(at_row, msg("unknown_level", name=name or code)))
        return None
    if level is Level.PROVINCE:
        if period is None:
            return None
        try:
            p = registry.resolve(name, code, period)
        except LookupError as e:
            problems.append(problem(where(row, "name" if name else "code"), e.args[0]))
            return None
        return Unit(p.code, p.name, level)
    parent = code.split(".")[0] if "." in code else None
    return Unit(code, name or code, level, parent)


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


def _trim(d: Decimal) -> Decimal:
    """18.00 -> 18 and 7.70 -> 7.7 (never 1.8E+1)."""
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def _closest(header: str, index: Index) -> str | None:
    names = {header_key(w): w for g in index.groups for w in (g.code, g.vi, g.en)}
    names.update({header_key(w): w for words in UNIT_FIELDS.values() for w in words})
    close = difflib.get_close_matches(header_key(header), list(names), n=1, cutoff=0.75)
    return names[close[0]] if close else None


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (
        isinstance(v, float) and math.isnan(v))


def validate_file(path: str, index: Index, registry: Registry, *, sheet: str | None = None,
                  period: Period | None = None, level: Level | None = None,
                  national_file: bool = False) -> MonthData:
    """Read and validate one data file (CSV or XLSX)."""
    from .loaders import read_table

    return validate(read_table(path, sheet), index, registry, period, level, national_file)
