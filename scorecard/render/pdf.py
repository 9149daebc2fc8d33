"""One unit's A4 scorecard page: header, headline figures, table, charts, narrative, footer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup
from reportlab.graphics.shapes import Drawing, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from ..formatting import Fmt
from ..model import GroupScore, Index, Scorecard
from ..narrative import render_narrative
from ..units import slug
from .charts import bar_chart, trend_chart
from .common import (
    INK,
    MARGIN,
    MUTED,
    RULE,
    ZEBRA,
    Footer,
    Pdf,
    build_pdf,
    nfc,
    styles,
    table,
    text,
)
from .fonts import BOLD, REGULAR

WIDTH = 210 * mm - 2 * MARGIN
UP, DOWN = colors.HexColor("#1b5e20"), colors.HexColor("#b71c1c")


@dataclass(frozen=True)
class PageOptions:
    """What is the same for every page of a run."""

    index: Index
    lang: str = "vi"
    office: str | None = None
    issued: dt.date | None = None
    templates: str | None = None


def file_name(card: Scorecard) -> str:
    """`H01_an-giang.pdf`: ASCII only, nothing from the data that a shell or OS would mind."""
    code = "".join(c for c in card.unit.code if c.isascii() and (c.isalnum() or c == "."))
    name = slug(card.unit.name)
    return f"{code}_{name}.pdf" if code else f"{name}.pdf"


def unit_pdf(card: Scorecard, opts: PageOptions) -> Pdf:
    """Render one unit's page to PDF bytes."""
    fmt = Fmt(opts.lang)
    w = fmt.words
    st = styles()
    issued = opts.issued or dt.date.today()
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
    provisional = f" ({w['provisional']})" if card.provisional else ""
    footer = Footer(
        left=f"{w['source']}: {opts.index.source(opts.lang)} · {w['data_date']} "
             f"{fmt.date(card.data_date)}{provisional}",
        right=f"{w['issued']}: {fmt.date(issued)}",
        page_word=w["page"])
    return build_pdf(story, footer, f"{card.unit.name} — {card.period.label(opts.lang)}")


def _period_line(card: Scorecard, fmt: Fmt) -> str:
    parts = [card.period.label(fmt.lang), fmt.level(card.unit.level)]
    if card.unit.code:
        parts.append(card.unit.code)
    if card.provisional:
        parts.append(fmt.words["provisional"])
    return " · ".join(parts)


def _headline(card: Scorecard, index: Index, fmt: Fmt) -> Table:
    st, w = styles(), fmt.words

    def cell(label: str, value: Flowable | str, sub: str = "") -> list[Flowable]:
        body = value if isinstance(value, Flowable) else Paragraph(value, st["kpi"])
        return [Paragraph(text(label), st["kpi_label"]), body,
                Paragraph(text(sub), st["kpi_sub"])]

    total = (f"{text(fmt.num(card.total))}<font size=10 color='#5f6368'>/"
             f"{text(fmt.num(index.total.max))}</font>")
    if card.total is None:
        total, total_sub = "—", w["not_reported"]
    else:
        total_sub = f"{fmt.peer_short(card)}: {fmt.num(card.peer_total)}"
    rank_sub = "" if card.rank is None or not card.rank.nationwide else w["nationwide"]
    rank = "—" if card.rank is None else text(
        str(card.rank.position) if card.rank.nationwide else fmt.rank(card.rank))
    cells = [
        cell(w["total"], total, total_sub),
        cell(w["class"], _badge(card, fmt)),
        cell(w["rank"], rank, rank_sub),
        cell(w["change"], _change(card, fmt), _change_sub(card, fmt)),
    ]
    return table([cells], [WIDTH / 4] * 4, [
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("LINEAFTER", (0, 0), (-2, -1), 0.6, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
    ], rowHeights=[22 * mm])


def _badge(card: Scorecard, fmt: Fmt) -> Flowable:
    width, height = 34 * mm, 8 * mm
    d = Drawing(width, height, initialFontName=REGULAR)
    if card.band is None:
        d.add(String(width / 2, 2.5 * mm, "—", fontName=BOLD, fontSize=14, textAnchor="middle",
                     fillColor=INK))
        return d
    fill = colors.HexColor(card.band.color)
    luminance = 0.299 * fill.red + 0.587 * fill.green + 0.114 * fill.blue
    d.add(Rect(0, 0, width, height, rx=4, ry=4, fillColor=fill, strokeColor=None))
    d.add(String(width / 2, 2.6 * mm, nfc(card.band.name(fmt.lang)), fontName=BOLD, fontSize=11,
                 textAnchor="middle", fillColor=colors.white if luminance < 0.55 else INK))
    return d


def _change(card: Scorecard, fmt: Fmt) -> Flowable:
    width, height = 40 * mm, 8 * mm
    d = Drawing(width, height, initialFontName=REGULAR)
    delta = None if card.change is None else card.change.delta
    if delta is None:
        d.add(String(width / 2, 2 * mm, "—", fontName=BOLD, fontSize=15, textAnchor="middle",
                     fillColor=INK))
        return d
    label = fmt.signed(delta)
    color = UP if delta > 0 else DOWN if delta < 0 else MUTED
    cx, s = width / 2 - 9 * mm, 2.2 * mm
    if delta > 0:
        d.add(Polygon([cx - s, 1.5 * mm, cx + s, 1.5 * mm, cx, 1.5 * mm + 2 * s],
                      fillColor=color, strokeColor=None))
    elif delta < 0:
        d.add(Polygon([cx - s, 1.5 * mm + 2 * s, cx + s, 1.5 * mm + 2 * s, cx, 1.5 * mm],
                      fillColor=color, strokeColor=None))
    d.add(String(cx + s + 1.5 * mm, 1.6 * mm, label, fontName=BOLD, fontSize=15, fillColor=color))
    return d


def _change_sub(card: Scorecard, fmt: Fmt) -> str:
    c = card.change
    if c is None:
        return ""
    if c.delta is None:
        return f"{c.previous_period.short()}: {fmt.words['not_comparable']}"
    via = f" ({fmt.words['via']} {c.via})" if c.via else ""
    return f"{c.previous_period.short()}: {fmt.num(c.previous)}{via}"


def _group_table(card: Scorecard, index: Index, fmt: Fmt) -> Table:
    st, w = styles(), fmt.words
    head = [w["group"], w["score"], w["pct_of_max"], f"{w['peer']} ({fmt.peer_short(card)})",
            w["difference"], w["group_rank"]]
    rows: list[list[object]] = [[Paragraph(text(h), st["cellb" if i == 0 else "cellbr"])
                                 for i, h in enumerate(head)]]
    for g in card.groups:
        rows.append(_group_row(g, fmt))
    rows.append([
        Paragraph(text(w["total"]), st["cellb"]),
        fmt.frac(card.total, index.total.max),
        fmt.pct(None if card.total is None else card.total * 100 / index.total.max),
        fmt.frac(card.peer_total, index.total.max),
        fmt.signed(None if card.total is None or card.peer_total is None
                   else card.total - card.peer_total),
        fmt.rank(card.rank),
    ])
    widths = [WIDTH * f for f in (0.34, 0.12, 0.1, 0.17, 0.12, 0.15)]
    style = [
        ("FONT", (1, -1), (-1, -1), BOLD, 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, INK),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, INK),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    style += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(rows) - 1, 2)]
    style += [("SPAN", (1, i), (2, i)) for i, g in enumerate(card.groups, 1) if g.score is None]
    return table(rows, widths, style, repeatRows=1)


def _group_row(g: GroupScore, fmt: Fmt) -> list[object]:
    st = styles()
    name = Paragraph(text(g.group.name(fmt.lang)), st["cell"])
    if g.score is None:
        missing = Paragraph(f"<i>{text(fmt.words['not_reported'])}</i>", st["cell_r"])
        return [name, missing, "", fmt.frac(g.peer, g.group.max), "—", "—"]
    return [name, fmt.frac(g.score, g.group.max), fmt.pct(g.pct), fmt.frac(g.peer, g.group.max),
            fmt.signed(g.diff), fmt.rank(g.rank)]


def _charts(card: Scorecard, index: Index, fmt: Fmt) -> Flowable:
    height = 62 * mm
    if len(card.trend) < 2:
        return bar_chart(card, fmt, WIDTH, height)
    left = WIDTH * 0.58
    return table([[bar_chart(card, fmt, left - 4 * mm, height),
                   trend_chart(card, index, fmt, WIDTH - left, height)]],
                 [left, WIDTH - left], [("LEFTPADDING", (0, 0), (-1, -1), 0),
                                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                        ("VALIGN", (0, 0), (-1, -1), "TOP")])
