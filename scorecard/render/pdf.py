"""One unit's A4 scorecard page, laid out from its content (content.objects.UnitPage)."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer

from ..content.objects import UnitPage
from .charts import BarChart, Canvas, HeadlineBoxes, TrendChart
from .common import INK, MARGIN, MUTED, ZEBRA, Pdf, build_pdf, draw_page, nfc, styles, text
from .fonts import BOLD, ITALIC, REGULAR

WIDTH = 210 * mm - 2 * MARGIN


def unit_pdf(page: UnitPage) -> Pdf:
    """Lay out one unit's page as PDF bytes, on one page when it can be: when the words run
    long (two-line findings beside the dossier block) the charts a little lower, then the
    box without its last findings (the most important come first; never fewer than two) —
    lower still, the labels of a group's two bars would touch. Else over two pages."""
    n = len(page.findings)
    for squeeze, keep in ((0, n), (3 * mm, n), *((3 * mm, k) for k in range(n - 1, 1, -1))):
        pdf = draw_page(_story(page, squeeze, keep), page.footer, page.doc_title, page.lang)
        if pdf is not None:
            return pdf
    return build_pdf(_story(page, 0, n), page.footer, page.doc_title, page.lang)


def _story(page: UnitPage, squeeze: float, keep: int) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [
        *([Paragraph(text(page.office), st["office"])] if page.office else []),
        Paragraph(text(page.title), st["title"]),
        Paragraph(text(page.unit), st["unit"]),
        Paragraph(text(page.period_line), st["period"]),
        HeadlineBoxes(page.headline, WIDTH, 22 * mm),
        Spacer(0, 5 * mm),
        GroupTable(page),
        Spacer(0, 4 * mm),
        _charts(page, squeeze),
        Paragraph(text(page.remarks_title), st["h2"]),
        Paragraph(text(page.narrative), st["body"]),
    ]
    for title, lines in ((page.findings_title, page.findings[:keep]),
                         (page.dossier_title, page.dossiers)):
        if lines:
            story.append(Paragraph(text(title), st["h2"]))
            story += [Paragraph(text(f), st["finding"], bulletText="•") for f in lines]
    return story


class GroupTable(Canvas):
    """The group table, drawn straight: a header, one row per group, the total in bold;
    zebra rows; a group not reported says so across its two score columns, muted. The same
    look as a platypus Table of plain strings, at a fraction of its cost."""

    COLUMNS = (0.29, 0.11, 0.09, 0.15, 0.11, 0.12, 0.13)
    SIZE, PAD, SIDE = 8.5, 3.5, 6.0  # font size; top and bottom padding; side padding

    def __init__(self, page: UnitPage):
        self.head = tuple(nfc(h) for h in page.head)
        self.rows = page.rows
        lines = max(h.count("\n") + 1 for h in self.head)
        line = self.SIZE * 1.2
        self.heights = [lines * line + 2 * self.PAD, *([line + 2 * self.PAD] * len(self.rows))]
        super().__init__(WIDTH, sum(self.heights))
        self.hAlign = "CENTER"  # as wide as the page between its margins

    def paint(self) -> None:
        c = self.canv
        widths = [WIDTH * f for f in self.COLUMNS]
        edges = [sum(widths[:i]) for i in range(len(widths) + 1)]
        bottoms = [self.height - sum(self.heights[:i + 1]) for i in range(len(self.heights))]
        c.setFillColor(ZEBRA)
        for i in range(2, len(self.heights) - 1, 2):
            c.rect(0, bottoms[i], WIDTH, self.heights[i], stroke=0, fill=1)
        for j, h in enumerate(self.head):
            self._cell(h, edges[j], edges[j + 1], bottoms[0], self.heights[0], BOLD, 10.0)
        for i, row in enumerate(self.rows, 1):
            font = BOLD if i == len(self.rows) else REGULAR
            for j, cell in enumerate(row.cells):
                if row.missing and j == 2:
                    continue  # spanned by the one before
                if row.missing and j == 1:
                    self._cell(cell, edges[1], edges[3], bottoms[i], self.heights[i], ITALIC,
                               color=MUTED)
                else:
                    self._cell(cell, edges[j], edges[j + 1], bottoms[i], self.heights[i], font)
        c.setStrokeColor(INK)
        c.setLineWidth(0.8)
        for y in (bottoms[0], bottoms[-1] + self.heights[-1], bottoms[-1]):
            c.line(0, y, WIDTH, y)

    def _cell(self, text: str, left: float, right: float, bottom: float, height: float,
              font: str, leading: float | None = None, color: Color = INK) -> None:
        """Vertically centred as platypus centres a string cell; the first column left,
        the figures right."""
        lines = text.split("\n")
        leading = leading or self.SIZE * 1.2
        y = bottom + (height + len(lines) * leading) / 2 - self.SIZE
        for line in lines:
            if left == 0:
                self.text(self.SIDE, y, line, self.SIZE, font, color)
            else:
                self.text(right - self.SIDE, y, line, self.SIZE, font, color, anchor="end")
            y -= leading


def _charts(page: UnitPage, squeeze: float = 0) -> Flowable:
    height = (48 if page.dossiers else 62) * mm - squeeze  # the dossiers take the difference
    if page.trend is None:
        return BarChart(page.bars, WIDTH, height)
    left = WIDTH * 0.58
    return SideBySide(BarChart(page.bars, left - 4 * mm, height),
                      TrendChart(page.trend, WIDTH - left, height), left)


class SideBySide(Canvas):
    """Two charts side by side, the second starting `at` points from the left, with 3 points
    above and below (where a table row put them before)."""

    PAD = 3.0

    def __init__(self, first: Canvas, second: Canvas, at: float):
        super().__init__(WIDTH, max(first.height, second.height) + 2 * self.PAD)
        self.first, self.second, self.at = first, second, at
        self.hAlign = "CENTER"  # as wide as the page between its margins

    def paint(self) -> None:
        top = self.height - self.PAD
        self.first.drawOn(self.canv, 0, top - self.first.height)
        self.second.drawOn(self.canv, self.at, top - self.second.height)
