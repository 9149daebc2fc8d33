"""Find the table in what a file holds: which sheet, which row is the header, which rows are
title, blank or footer rows rather than units — as offices' workbooks really have them.

A year-to-date sheet printed as a month is the worst error a scorecard can make, so a sheet
is only chosen without `--sheet` when nothing else could be meant, and the choice is said.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from .errors import UnsupportedFormat
from .loaders import Book, Grid
from .messages import Msg, msg
from .model import Index
from .period import Period
from .resources import vocabulary
from .units import fold

HEADER_SEARCH = 20  # the header may stand below title rows within the first 20 rows
EXTRA = "\u2026"  # the column of cells standing right of the last header


def unit_fields() -> dict[str, list[str]]:
    """Header words of the unit columns (data/words.toml)."""
    return vocabulary()["columns"]


def header_key(text: object) -> str:
    """Headers (and sheet names) match without regard to case, accents, spacing or underscores."""
    return re.sub(r"[^a-z0-9]", "", fold(str(text)))


@dataclass(frozen=True)
class Columns:
    """Which file column feeds which field (the header as the user wrote it)."""

    fields: dict[str, str]  # field -> header; fields: unit fields, group codes, "total"

    def get(self, name: str) -> str | None:
        return self.fields.get(name)


def map_columns(headers: list[str], index: Index) -> tuple[Columns, list[str]]:
    """Map headers to fields; return the mapping and the headers nothing claimed."""
    aliases = _aliases(index)
    fields: dict[str, str] = {}
    unclaimed = []
    for h in headers:
        claimed = aliases.get(header_key(h))
        if claimed and claimed not in fields:
            fields[claimed] = h
        elif not claimed and h:
            unclaimed.append(h)
    return Columns(fields), unclaimed


@cache
def _aliases(index: Index) -> dict[str, str]:
    """Every header word of the index and of words.toml, folded once per index."""
    aliases: dict[str, str] = {}
    for name, words in unit_fields().items():
        for w in words:
            aliases.setdefault(header_key(w), name)
    for g in (*index.groups, index.total):
        target = "total" if g is index.total else g.code
        for w in (g.code, g.vi, g.en, *g.aliases):
            aliases[header_key(w)] = target
    for c in index.combined:
        for w in (c.group.code, c.group.vi, c.group.en, *c.group.aliases):
            aliases[header_key(w)] = c.group.code
    return aliases


@dataclass(frozen=True)
class Table:
    """The unit rows of one sheet under their header, with where each came from. Plain lists:
    reading a month needs no pandas (its import alone is a fifth of a second)."""

    columns: tuple[str, ...]  # the header, and EXTRA when a row has cells past it
    cells: list[list[Any]]  # each row as long as the columns
    source: str  # "file" or "file [sheet]"
    format: str
    rows: tuple[int, ...]  # each row's number as Excel shows it
    header_row: int = 1
    encoding: str | None = None
    paths: tuple[Mapping[str, str], ...] = ()  # JSON: per row, header -> path ("" the row's)
    skipped: tuple[tuple[int, str], ...] = ()  # (row, first text) of rows that are not units
    notes: tuple[Msg, ...] = ()  # what was chosen and why (sheet, header row)

    def records(self) -> list[dict[str, Any]]:
        """Each row as header -> cell (of a header written twice, the later column)."""
        return [dict(zip(self.columns, r, strict=True)) for r in self.cells]

    def column(self, name: str) -> list[Any]:
        """The cells under a header (the first column of that name)."""
        j = self.columns.index(name)
        return [r[j] for r in self.cells]

    def where(self, i: int, column: str | None) -> Msg:
        """'file, row 5, column 'CKMB'' — or the JSON path of that value."""
        if self.paths:
            path = self.paths[i]
            return msg("at_path", file=self.source, path=path.get(column or "", path[""]))
        if column is None:
            return msg("at_row", file=self.source, row=self.rows[i])
        return msg("at_cell", file=self.source, row=self.rows[i], column=column)


def locate(book: Book, index: Index, period: Period | None, sheet: str | None = None) -> Table:
    """The sheet and header row that hold unit scores, with title and footer rows set apart."""
    grid, notes = _choose_sheet(book, index, period, sheet)
    first, header_at, header = _header_rows(grid.rows, index) or _first_row(book, grid)
    source = str(book.path) if grid.name is None else f"{book.path} [{grid.name}]"
    if first < header_at:
        notes.append(msg("note_header_rows", first=first + 1, second=header_at + 1))
    elif header_at > 0:
        notes.append(msg("note_header_row", row=header_at + 1))
    cols, _ = map_columns(header, index)
    kept: list[tuple[int, list[Any]]] = []
    skipped: list[tuple[int, str]] = []
    body = []  # (row, cells, cells past the header, label, is a footer, has a figure)
    for n, row in enumerate(grid.rows[header_at + 1:], start=header_at + 2):
        cells = [*row[:len(header)], *[""] * (len(header) - len(row))]
        extra = [c for c in row[len(header):] if not _blank(c)]
        if all(_blank(c) for c in cells) and not extra:
            continue
        label = _label(cells, header, cols)
        body.append((n, cells, extra, label, _is_footer(label),
                     _has_number(row, header, cols, index)))
    last_unit = max((n for n, *_, footer, figures in body if figures and not footer),
                    default=0)
    for n, cells, extra, label, footer, figures in body:
        if footer or (n > last_unit and not figures):
            skipped.append((n, label or _first_text(cells + extra)))
            continue
        if extra:
            cells.append(extra)  # validation says "more cells than the header"
        kept.append((n, cells))
    if skipped:
        notes.append(msg("note_skipped", rows=", ".join(
            f"{n} ({_clip(t)})" if t else str(n) for n, t in skipped)))
    return Table(*padded(header, [c for _, c in kept]), source, book.format,
                 tuple(n for n, _ in kept), header_at + 1, book.encoding,
                 skipped=tuple(skipped), notes=tuple(notes))


def plain_table(book: Book) -> Table:
    """A simple list (recipients): the first visible sheet, the header on its first filled row."""
    grid = next((g for g in book.grids if not g.hidden and not g.chart), None)
    first = None if grid is None else _first_filled(grid.rows)
    if grid is None or first is None:
        raise UnsupportedFormat(msg("empty_file", file=book.path))
    header = _headers(grid.rows[first])
    kept = [(n, [*r[:len(header)], *[""] * (len(header) - len(r))])
            for n, r in enumerate(grid.rows[first + 1:], start=first + 2)
            if not all(_blank(c) for c in r)]
    return Table(*padded(header, [c for _, c in kept]), str(book.path), book.format,
                 tuple(n for n, _ in kept), first + 1, book.encoding)


def _choose_sheet(book: Book, index: Index, period: Period | None,
                  sheet: str | None) -> tuple[Grid, list[Msg]]:
    grids = book.grids
    if not grids:
        raise UnsupportedFormat(msg("empty_file", file=book.path))
    if book.format == "csv":
        if sheet:
            raise UnsupportedFormat(msg("sheet_on_csv", file=book.path, sheet=sheet))
        return grids[0], []
    if sheet is not None:
        return _named_sheet(book, period, sheet)
    visible = [g for g in grids if not g.hidden and not g.chart]
    scored = [g for g in visible if _holds_scores(g, index)]
    if len(scored) == 1:
        return scored[0], [msg("note_sheet_only", sheet=scored[0].name)]
    if len(scored) > 1:
        listed = ", ".join(g.name or "" for g in scored)
        if period is None:
            raise UnsupportedFormat(msg("sheets_ambiguous", file=book.path, sheets=listed))
        same = [g for g in scored if _kind_of(g.name) == period.kind]
        if len(same) != 1:
            raise UnsupportedFormat(msg("sheets_no_kind", file=book.path, sheets=listed,
                                        period=period))
        return same[0], [msg("note_sheet_kind", sheet=same[0].name, period=period)]
    if not visible:
        raise UnsupportedFormat(msg("no_visible_sheet", file=book.path,
                                    sheets=", ".join(g.name or "" for g in grids)))
    return visible[0], []  # no sheet holds scores: validation names what is missing


def _named_sheet(book: Book, period: Period | None, sheet: str) -> tuple[Grid, list[Msg]]:
    """--sheet, matched like headers; never a chart, never a year sheet for a month."""
    match = [g for g in book.grids if header_key(g.name) == header_key(sheet)]
    if not match:
        raise UnsupportedFormat(msg("no_sheet", file=book.path, sheet=sheet,
                                    sheets=", ".join(g.name or "" for g in book.grids)))
    grid = match[0]
    if grid.chart:
        raise UnsupportedFormat(msg("chart_sheet", file=book.path, sheet=grid.name))
    said = _kind_of(grid.name)
    if period is not None and said is not None and said != period.kind:
        raise UnsupportedFormat(msg("sheet_kind", file=book.path, sheet=grid.name,
                                    kind=msg(f"kind_{said}"), period=period))
    return grid, [msg("note_sheet_hidden", sheet=grid.name)] if grid.hidden else []


def _kind_of(name: str | None) -> str | None:
    """The period kind a sheet's name says ('Điểm tháng' -> month), if exactly one."""
    words = f" {fold(name or '')} "
    said = [k for k, ws in vocabulary()["sheet_periods"].items()
            if any(f" {fold(w)} " in words for w in ws)]
    return said[0] if len(said) == 1 else None


def _header_rows(rows: list[list[Any]], index: Index) -> tuple[int, int, list[str]] | None:
    """(first row, last row, the column names) of the header within the first rows.

    The usual Vietnamese header stands on two rows: STT and 'Tên đơn vị' merged down both,
    the groups on the second under a merged band 'Điểm các chỉ số thành phần'. A merged cell
    leaves blanks, so each column takes its name from the lower row, else from the upper.
    The header feeding most fields wins; on a tie, the one row (a title above a complete
    header adds nothing), then the earlier.
    """
    best: tuple[tuple[int, int], int, int, list[str]] | None = None
    for r, row in enumerate(rows[:HEADER_SEARCH]):
        below = rows[r + 1] if r + 1 < len(rows) else None
        for last, header in ((r, _headers(row)),
                             *(((r + 1, _stacked(row, below)),) if below else ())):
            rank = (_claims(header, index), r - last)
            if rank[0] and (best is None or rank > best[0]):
                best = (rank, r, last, header)
    return best[1:] if best else None


def _first_row(book: Book, grid: Grid) -> tuple[int, int, list[str]]:
    """No header found: the first filled row, for validation to say what it lacks."""
    at = _first_filled(grid.rows)
    if at is None:
        raise UnsupportedFormat(msg("empty_sheet", file=book.path, sheet=grid.name or ""))
    return at, at, _headers(grid.rows[at])


def _stacked(upper: list[Any], lower: list[Any]) -> list[str]:
    top, bottom = _headers(upper), _headers(lower)
    width = max(len(top), len(bottom))
    top, bottom = [*top, *[""] * (width - len(top))], [*bottom, *[""] * (width - len(bottom))]
    return [b or t for t, b in zip(top, bottom, strict=True)]


def _claims(header: list[str], index: Index) -> int:
    """How many fields a row would feed as a header: 0 unless it names a unit column and
    at least half the groups."""
    cols, _ = map_columns(header, index)
    groups = sum(1 for g in index.groups if cols.get(g.code))
    if not (cols.get("name") or cols.get("code")) or groups * 2 < len(index.groups):
        return 0
    return len(cols.fields)


def _holds_scores(grid: Grid, index: Index) -> bool:
    return _header_rows(grid.rows, index) is not None


def _headers(row: list[Any]) -> list[str]:
    out = []
    for c in row:
        h = "" if _blank(c) else " ".join(str(c).split())
        out.append(h[:-2] if isinstance(c, float) and h.endswith(".0") else h)
    return out


def _label(cells: list[Any], header: list[str], cols: Columns) -> str:
    for f in ("name", "code"):
        h = cols.get(f)
        if h is not None and not _blank(cells[header.index(h)]):
            return str(cells[header.index(h)])
    return _first_text(cells)


def _first_text(cells: list[Any]) -> str:
    return next((str(c) for c in cells if isinstance(c, str) and c.strip()), "")


def _is_footer(label: str) -> bool:
    s = " ".join(re.sub(r"[^a-z0-9,]+", " ", fold(label)).split())
    return any(s == w or s.startswith(w + " ") or s.startswith(w + ":") for w in _footers())


@cache
def _footers() -> tuple[str, ...]:
    """data/words.toml's footer words, folded once (not once per row)."""
    return tuple(" ".join(re.sub(r"[^a-z0-9,]+", " ", fold(w)).split())
                 for w in vocabulary()["footers"]["starts"])


def _has_number(row: list[Any], header: list[str], cols: Columns, index: Index) -> bool:
    for g in (*index.groups, index.total):
        h = cols.get("total" if g is index.total else g.code)
        if h is None:
            continue
        i = header.index(h)
        c = row[i] if i < len(row) else ""
        if isinstance(c, int | float) and not isinstance(c, bool) or (
                isinstance(c, str) and re.fullmatch(r"\s*[\d.,]+\s*", c)):
            return True
    return False


def _first_filled(rows: list[list[Any]]) -> int | None:
    return next((i for i, r in enumerate(rows) if not all(_blank(c) for c in r)), None)


def padded(header: list[str], rows: list[list[Any]]) -> tuple[tuple[str, ...], list[list[Any]]]:
    """A table's columns and its rows padded to them: a row with cells past the header
    keeps them (as one list) under EXTRA, which validation refuses with the row named."""
    columns = (*header, EXTRA) if any(len(r) > len(header) for r in rows) else tuple(header)
    return columns, [[*r, *[""] * (len(columns) - len(r))] for r in rows]


def _clip(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (
        isinstance(v, float) and math.isnan(v))
