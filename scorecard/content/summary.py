"""The ranked summary of a run: every unit level by level, and a province's units to watch
(render/summary.py draws it)."""

from __future__ import annotations

from collections.abc import Sequence

from ..formatting import Fmt
from ..language import language
from ..model import Index, Level, Scorecard
from . import blocks
from .objects import Section, SummaryPage, SummaryRow, WatchBlock
from .options import PageOptions


def summary_page(cards: Sequence[Scorecard], opts: PageOptions) -> SummaryPage:
    """Every unit of the run, ranked level by level; a province's own departments and
    communes open with the units to watch."""
    index = opts.index
    fmt = Fmt(language(opts.lang))
    w = fmt.words
    period = cards[0].period
    by_level: dict[Level, list[Scorecard]] = {}
    for c in cards:
        by_level.setdefault(c.unit.level, []).append(c)
    code = opts.highlight or default_highlight(opts.office, cards)
    sections = tuple(_section(sorted(by_level[level], key=order), index, fmt, code)
                     for level in sorted(by_level))
    watch = tuple(_watch_block(wl, fmt) for wl in blocks.watch(cards, opts.rules, index, fmt))
    return SummaryPage(fmt.lang, f"{w['summary_title']} — {period.label(fmt.lang)}",
                       opts.office_line(), w["summary_title"], period.label(fmt.lang),
                       sections, len(index.groups),
                       blocks.footer(cards[0], index, fmt, opts.issued, opts.signed),
                       w["watch_title"], watch)


def _watch_block(wl: blocks.WatchLevel, fmt: Fmt) -> WatchBlock:
    """One level's units to watch as a table: rank, unit, total, class, the change when an
    earlier period gives one (no empty column), and why each is listed."""
    w = fmt.words
    changes = any(u.change for u in wl.units)
    head = (w["rank_head_file"], w["unit"], w["total"], w["class"],
            *([w["change"]] if changes else []), w["watch_reason"])
    rows = tuple((u.rank, u.name, u.total, u.band, *([u.change] if changes else []), u.why)
                 for u in wl.units)
    return WatchBlock(wl.level, wl.moves, wl.lead, head, rows, wl.improvers)


def default_highlight(office: str | None, cards: Sequence[Scorecard]) -> str | None:
    """The unit --office names, if it is one of the run's ('Văn phòng UBND tỉnh An Giang'
    -> An Giang): the office's own row is marked in the summary."""
    from ..units import fold, province_key

    if not office:
        return None
    said = f" {fold(office)}"
    hits = [c for c in cards if c.unit.level is Level.PROVINCE
            and said.endswith(" " + province_key(c.unit.name))]
    return max(hits, key=lambda c: len(c.unit.name)).unit.code if hits else None


def order(c: Scorecard) -> tuple[int, float, str]:
    """The summary's order within a level: by rank, then total, then name."""
    rank = c.rank.position if c.rank else 10**9
    return rank, -float(c.total) if c.total is not None else 0.0, c.unit.name


def _change_cell(c: Scorecard, fmt: Fmt) -> str:
    """'+2,79', 'không so sánh được', and '†' where it crosses the 2025 merger."""
    if c.change is None:
        return ""
    if c.change.delta is None:
        return fmt.words["not_comparable"]
    return fmt.signed(c.change.delta) + (" †" if c.change.via else "")


def _section(cards: list[Scorecard], index: Index, fmt: Fmt,
             highlight: str | None = None) -> Section:
    w = fmt.words
    first = cards[0]
    scopes = {c.rank.published for c in cards if c.rank}  # whose ranks the column holds
    rank_head = w["rank"] if len(scopes) > 1 else w[
        "rank_head_published" if scopes == {True} else "rank_head_file"]
    head = (rank_head, w["unit"], *(f"{g.short(fmt.lang)}\n({fmt.num(g.max)})"
                                    for g in index.groups),
            w["total"], "", w["class"], w["change"])
    peer = (blocks.peer_heading(first, fmt), *(fmt.num(g.peer) for g in first.groups),
            fmt.num(first.peer_total))
    rows = []
    for c in cards:
        name = c.unit.name if c.unit.level is Level.PROVINCE else blocks.sub_unit_name(c)
        rows.append(SummaryRow(
            fmt.rank(c.rank), name, tuple(fmt.num(g.score) for g in c.groups),
            fmt.num(c.total), None if c.total is None else c.total / index.total.max,
            c.band.name(fmt.lang) if c.band else "—", c.band.color if c.band else None,
            _change_cell(c, fmt), bool(highlight) and c.unit.code == highlight))
    notes = [*([w["merger_note"]] if any(c.change and c.change.via for c in cards) else []),
             *blocks.revision_notes(cards, fmt)]
    note = " ".join(notes) or None
    return Section(f"{fmt.level_of(first)} ({len(cards)})", head, peer,
                   None if first.peer_total is None else first.peer_total / index.total.max,
                   tuple(rows), note)
