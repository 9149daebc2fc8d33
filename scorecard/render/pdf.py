"""One unit's A4 scorecard page: header, headline figures, table, charts, narrative, footer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from ..formatting import Fmt
from ..model import GroupScore, Index, Scorecard
from ..narrative import render_narrative
from ..units import slug
from .charts import BarChart, Headline, TrendChart
from .common import (
    INK,
    MARGIN,
    MUTED,
    ZEBRA,
    Pdf,
    build_pdf,
    footer_for,
    nfc,
    styles,
    table,
    text,
)
from .fonts import BOLD, ITALIC

WIDTH = 210 * mm - 2 * MARGIN


@dataclass(frozen=True)
class PageOptions:
    """What is the same for every page of a run."""

    index: Index
    lang: str = "vi"
    office: str | None = None
    issued: dt.date | None = None
    templates: str | None = None


def file_name(card: Scorecard) -> str:
    """`H01_an-giang.pdf`: ASCII only, nothing from the data that a shell or OS would mind;
    never a hidden file, never `summary.pdf`, never too long for a file system."""
    code = "".join(c for c in card.unit.code if c.isascii() and (c.isalnum() or c == "."))
    name = slug(card.unit.name)[:80].rstrip("-")
    return f"{code.lstrip('.') or 'unit'}_{name}.pdf"


def unit_pdf(card: Scorecard, opts: PageOptions) -> Pdf:
    """Render one unit's page to PDF bytes."""
    fmt = Fmt(opts.lang)
    w = fmt.words
    st = styles()
    story: list[Flowable] = [
        Paragraph(text((opts.office or w["office"]).upper()), st["office"]),
        Paragraph(text(w["title"]), st["title"]),
        Paragraph(text(card.unit.name), st["unit"]),
        Paragraph(text(_period_line(card, fmt)), st["period"]),
        _headline(card, opts.index, fmt),
        Spacer(0, 5 * mm),
        _group_table(card, opts.index, fmt),
        Spacer(0, 4 * mm),
        _charts(card, opts.index, fmt),
        Paragraph(text(w["remarks"]), st["h2"]),
        Paragraph(Markup(nfc(render_narrative(card, opts.index, opts.lang, opts.templates))),
                  st["body"]),
    ]
    footer = footer_for(card, opts.index, fmt, opts.issued)
    return build_pdf(story, footer, f"{card.unit.name} — {card.period.label(opts.lang)}",
                     opts.lang)


def _period_line(card: Scorecard, fmt: Fmt) -> str:
    parts = [card.period.label(fmt.lang), fmt.level(card.unit.level)]
    if card.unit.code:
        parts.append(card.unit.code)
    if card.provisional:
        parts.append(fmt.words["provisional"])
    return " · ".join(parts)


def _headline(card: Scorecard, index: Index, fmt: Fmt) -> Headline:
    w = fmt.words
    if card.total is None:
        total = ("—", "", w["not_reported"])
    else:
        total = (fmt.num(card.total), f"/{fmt.num(index.total.max)}",
                 f"{fmt.peer_short(card)}: {fmt.num(card.peer_total)}")
    if card.rank is None:
        rank = ("—", "")
    elif card.rank.nationwide:
        rank = (str(card.rank.position), w["nationwide"])
    else:
        rank = (fmt.rank(card.rank), "")
    delta = card.change.delta if card.change else None
    return Headline(
        total=total,
        band=(card.band.name(fmt.lang), card.band.color) if card.band else None,
        rank=rank,
        delta=(delta, fmt.signed(delta), _change_sub(card, fmt)),
        labels=(w["total"], w["class"], w["rank"], w["change"]),
        width=WIDTH, height=22 * mm)


def _change_sub(card: Scorecard, fmt: Fmt) -> str:
    c = card.change
    if c is None:
        return ""
    if c.delta is None:
        return f"{c.previous_period.short()}: {fmt.words['not_comparable']}"
    via = f" ({fmt.words['via']} {c.via})" if c.via else ""
    return f"{c.previous_period.short()}: {fmt.num(c.previous)}{via}"


def _group_table(card: Scorecard, index: Index, fmt: Fmt) -> Table:
    """Plain strings, not Paragraphs: a third of the cost, and no markup to escape."""
    w = fmt.words
    head = [w["group"], w["score"], w["pct_of_max"], f"{w['peer']}\n({fmt.peer_short(card)})",
            w["difference"], w["group_rank"]]
    rows: list[list[str]] = [[nfc(h) for h in head]]
    rows += [_group_row(g, fmt) for g in card.groups]
    rows += [[nfc(g.group.short(fmt.lang)), *_group_row(g, fmt)[1:]] for g in card.combined]
    rows.append([
        nfc(w["total"]),
        fmt.frac(card.total, index.total.max),
        fmt.pct(None if card.total is None else card.total * 100 / index.total.max),
        fmt.frac(card.peer_total, index.total.max),
        fmt.signed(None if card.total is None or card.peer_total is None
                   else card.total - card.peer_total),
        nfc(fmt.rank(card.rank)),
    ])
    widths = [WIDTH * f for f in (0.34, 0.12, 0.1, 0.17, 0.12, 0.15)]
    style: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, 0), BOLD, 8.5, 10),
        ("FONT", (0, -1), (-1, -1), BOLD, 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, INK),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
    ]
    style += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(rows) - 1, 2)]
    for i, g in enumerate(card.groups, 1):
        if g.score is None:
            style += [("SPAN", (1, i), (2, i)), ("FONT", (1, i), (2, i), ITALIC, 8.5),
                      ("TEXTCOLOR", (1, i), (2, i), MUTED)]
    return table(rows, widths, style)


def _group_row(g: GroupScore, fmt: Fmt) -> list[str]:
    name = nfc(g.group.name(fmt.lang))
    if g.score is None:
        return [name, nfc(fmt.words["not_reported"]), "", fmt.frac(g.peer, g.group.max), "—",
                "—"]
    return [name, fmt.frac(g.score, g.group.max), fmt.pct(g.pct), fmt.frac(g.peer, g.group.max),
            fmt.signed(g.diff), nfc(fmt.rank(g.rank))]


def _charts(card: Scorecard, index: Index, fmt: Fmt) -> Flowable:
    height = 62 * mm
    if len(card.trend) < 2:
        return BarChart(card, fmt, WIDTH, height)
    left = WIDTH * 0.58
    return table([[BarChart(card, fmt, left - 4 * mm, height),
                   TrendChart(card, index, fmt, WIDTH - left, height)]],
                 [left, WIDTH - left], [("LEFTPADDING", (0, 0), (-1, -1), 0),
                                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                        ("VALIGN", (0, 0), (-1, -1), "TOP")])
