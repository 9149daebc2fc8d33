"""One unit's A4 scorecard page, laid out from its content (content.UnitPage)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from ..content import UnitPage
from .charts import BarChart, HeadlineBoxes, TrendChart
from .common import INK, MARGIN, MUTED, ZEBRA, Pdf, build_pdf, nfc, styles, table, text
from .fonts import BOLD, ITALIC

WIDTH = 210 * mm - 2 * MARGIN


def unit_pdf(page: UnitPage) -> Pdf:
    """Lay out one unit's page as PDF bytes."""
    st = styles()
    story: list[Flowable] = [
        Paragraph(text(page.office), st["office"]),
        Paragraph(text(page.title), st["title"]),
        Paragraph(text(page.unit), st["unit"]),
        Paragraph(text(page.period_line), st["period"]),
        HeadlineBoxes(page.headline, WIDTH, 22 * mm),
        Spacer(0, 5 * mm),
        _group_table(page),
        Spacer(0, 4 * mm),
        _charts(page),
        Paragraph(text(page.remarks_title), st["h2"]),
        Paragraph(text(page.narrative), st["body"]),
    ]
    return build_pdf(story, page.footer, page.doc_title, page.lang)


def _group_table(page: UnitPage) -> Table:
    """Plain strings, not Paragraphs: a third of the cost, and no markup to escape."""
    rows = [[nfc(h) for h in page.head], *([nfc(c) for c in r.cells] for r in page.rows)]
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
    for i, r in enumerate(page.rows, 1):
        if r.missing:
            style += [("SPAN", (1, i), (2, i)), ("FONT", (1, i), (2, i), ITALIC, 8.5),
                      ("TEXTCOLOR", (1, i), (2, i), MUTED)]
    return table(rows, widths, style)


def _charts(page: UnitPage) -> Flowable:
    height = 62 * mm
    if page.trend is None:
        return BarChart(page.bars, WIDTH, height)
    left = WIDTH * 0.58
    return table([[BarChart(page.bars, left - 4 * mm, height),
                   TrendChart(page.trend, WIDTH - left, height)]],
                 [left, WIDTH - left], [("LEFTPADDING", (0, 0), (-1, -1), 0),
                                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                        ("VALIGN", (0, 0), (-1, -1), "TOP")])
