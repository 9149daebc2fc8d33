"""summary.pdf: every unit ranked, level by level, with the peer average row and class colours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph

from ..formatting import Fmt
from ..model import Band, Index, Level, Scorecard
from .charts import Bar
from .common import INK, MARGIN, RULE, ZEBRA, Pdf, build_pdf, footer_for, nfc, styles, table, text
from .fonts import BOLD, ITALIC, REGULAR

WIDTH = landscape(A4)[0] - 2 * MARGIN
BAR = 22 * mm
CHUNK = 200
PEER_BAR = colors.HexColor("#9aa0a6")
NAME = 54 * mm


def summary_pdf(cards: Sequence[Scorecard], index: Index, lang: str = "vi",
                office: str | None = None, issued: dt.date | None = None) -> Pdf:
    """All units of the run, one ranked table per level; the header row repeats on each page."""
    fmt, st = Fmt(lang), styles()
    w = fmt.words
    period = cards[0].period
    story: list[Flowable] = [
        Paragraph(text((office or w["office"]).upper()), st["office"]),
        Paragraph(text(w["summary_title"]), st["title"]),
        Paragraph(text(period.label(lang)), st["period"]),
    ]
    by_level: dict[Level, list[Scorecard]] = {}
    for c in cards:
        by_level.setdefault(c.unit.level, []).append(c)
    for level in sorted(by_level):
        group = sorted(by_level[level], key=_order)
        story.append(Paragraph(text(f"{fmt.level(level)} ({len(group)})"), st["h2"]))
        story.extend(_level_tables(group, index, fmt))
        if any(c.rank and c.rank.nationwide for c in group):
            story.append(Paragraph(text(w["nationwide_note"]), st["note"]))
    footer = footer_for(cards[0], index, fmt, issued)
    return build_pdf(story, footer, f"{w['summary_title']} — {period.label(lang)}", lang,
                     pagesize=landscape(A4))


def _order(c: Scorecard) -> tuple[int, float, str]:
    rank = c.rank.position if c.rank else 10**9
    return rank, -float(c.total) if c.total is not None else 0.0, c.unit.name


def _level_tables(cards: list[Scorecard], index: Index, fmt: Fmt) -> list[Flowable]:
    """One table per CHUNK rows, each with the header: reportlab splits a long table page by
    page at a cost that grows with its length, and keeps it all in memory meanwhile."""
    st, w = styles(), fmt.words
    head = [text(w["rank"]), text(w["unit"]),
            *(f"{text(g.short(fmt.lang))}<br/>({text(fmt.num(g.max))})" for g in index.groups),
            text(w["total"]), "", text(w["class"]), text(w["change"])]
    header = [Paragraph(h, st["head" if i in (1, 10) else "head_r"]) for i, h in enumerate(head)]
    first = cards[0]
    peer_row: list[object] = [
        "", Paragraph(f"<i>{text(fmt.peer_label(first).capitalize())}</i>", st["cell"]),
        *(fmt.num(g.peer) for g in first.groups), fmt.num(first.peer_total),
        Bar(first.peer_total, PEER_BAR, BAR, 3 * mm), "", ""]
    body = [_unit_row(c, fmt) for c in cards]
    fixed = 13 * mm + NAME + 14 * mm + BAR + 2 * mm + 18 * mm + 17 * mm
    g_w = (WIDTH - fixed) / len(index.groups)
    widths = [13 * mm, NAME, *[g_w] * len(index.groups), 14 * mm, BAR + 2 * mm, 18 * mm,
              17 * mm]
    tables: list[Flowable] = []
    for start in range(0, len(body), CHUNK):
        chunk = body[start:start + CHUNK]
        lead = [peer_row] if start == 0 else []
        rows = [header, *lead, *(cells for cells, _ in chunk)]
        style = _base_style(bool(lead))
        for i, (_, band) in enumerate(chunk, start=1 + len(lead)):
            if band is not None:
                fill = colors.HexColor(band.color)
                lum = 0.299 * fill.red + 0.587 * fill.green + 0.114 * fill.blue
                style += [("BACKGROUND", (10, i), (10, i), fill),
                          ("TEXTCOLOR", (10, i), (10, i), colors.white if lum < 0.55 else INK)]
            if (start + i) % 2:
                style.append(("BACKGROUND", (0, i), (9, i), ZEBRA))
        tables.append(table(rows, widths, style, repeatRows=1))
    return tables


def _unit_row(c: Scorecard, fmt: Fmt) -> tuple[list[object], Band | None]:
    name = nfc(c.unit.name)
    cell: object = name if stringWidth(name, REGULAR, 7.5) < NAME - 6 else Paragraph(
        text(name), styles()["cell_small"])
    band = c.band
    rank = fmt.rank(c.rank).replace(f" {fmt.words['nationwide']}", "*") if c.rank else "—"
    return [
        rank, cell, *(fmt.num(g.score) for g in c.groups), fmt.num(c.total),
        Bar(c.total, colors.HexColor(band.color) if band else RULE, BAR, 3 * mm),
        nfc(band.name(fmt.lang)) if band else "—",
        fmt.signed(c.change.delta) if c.change else "",
    ], band


def _base_style(peer_row: bool) -> list[tuple[object, ...]]:
    first = 2 if peer_row else 1
    style: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
        ("FONT", (0, first), (-1, -1), REGULAR, 7.5),
        ("FONT", (8, first), (8, -1), BOLD, 7.5),
        ("ALIGN", (2, 1), (8, -1), "RIGHT"),
        ("ALIGN", (0, 1), (0, -1), "RIGHT"),
        ("ALIGN", (-1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("TOPPADDING", (0, 1), (-1, -1), 0.8),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 1.2),
    ]
    if peer_row:
        style += [("FONT", (0, 1), (-1, 1), ITALIC, 7.5), ("LINEBELOW", (0, 1), (-1, 1), 0.5, RULE)]
    return style
