"""The page's small graphics, drawn straight on the canvas in the bundled font.

reportlab's chart widgets cost about 13 ms a page in attribute machinery; these Flowables
draw the same bars, lines and labels directly, which keeps a whole month within seconds.
"""

from __future__ import annotations

import textwrap
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib import colors
from reportlab.platypus import Flowable

from ..formatting import Fmt
from ..model import Index, Scorecard
from .common import INK, MUTED, PEER, RULE, UNIT, nfc
from .fonts import BOLD, REGULAR

GRID = colors.HexColor("#e3e3e3")
UP, DOWN = colors.HexColor("#1b5e20"), colors.HexColor("#b71c1c")


class Canvas(Flowable):
    """A fixed-size Flowable with text helpers; subclasses implement paint()."""

    def __init__(self, width: float, height: float):
        super().__init__()
        self.width, self.height = width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def text(self, x: float, y: float, s: str, size: float = 7, font: str = REGULAR,
             color: colors.Color = INK, anchor: str = "start") -> None:
        c = self.canv
        c.setFont(font, size)
        c.setFillColor(color)
        s = nfc(s)
        if anchor == "end":
            c.drawRightString(x, y, s)
        elif anchor == "middle":
            c.drawCentredString(x, y, s)
        else:
            c.drawString(x, y, s)

    def draw(self) -> None:
        self.canv.saveState()
        self.paint()
        self.canv.restoreState()

    def paint(self) -> None:
        raise NotImplementedError


class BarChart(Canvas):
    """Unit vs peer average per group, as % of each group's maximum."""

    LEFT, BOTTOM, TOP = 96.0, 24.0, 16.0

    def __init__(self, card: Scorecard, fmt: Fmt, width: float, height: float):
        super().__init__(width, height)
        self.card, self.fmt = card, fmt

    def paint(self) -> None:
        c, fmt, card = self.canv, self.fmt, self.card
        self.text(0, self.height - 9, fmt.words["chart_title"], 8.5, BOLD)
        x0, x1 = self.LEFT, self.width - 16
        y0, y1 = self.BOTTOM, self.height - self.TOP
        c.setLineWidth(0.4)
        for v in range(0, 101, 20):
            x = x0 + (x1 - x0) * v / 100
            c.setStrokeColor(GRID if v else RULE)
            c.line(x, y0, x, y1)
            self.text(x, y0 - 9, f"{fmt.num(v)}%", 6.5, anchor="middle")
        band = (y1 - y0) / len(card.groups)
        bar = min(7.0, band * 0.3)
        for i, g in enumerate(card.groups):
            mid = y1 - band * (i + 0.5)
            lines = textwrap.wrap(nfc(g.group.name(fmt.lang)), 22)
            for k, line in enumerate(lines):
                self.text(x0 - 4, mid + (len(lines) / 2 - k - 1) * 8 + 1.5, line, 7, anchor="end")
            peer = None if g.peer is None else g.peer * 100 / g.group.max
            for value, color, y in ((g.pct, UNIT, mid + 0.6), (peer, PEER, mid - bar - 0.6)):
                if value is None:
                    continue
                w = (x1 - x0) * float(value) / 100
                c.setFillColor(color)
                c.rect(x0, y, w, bar, stroke=0, fill=1)
                tenth = value.quantize(Decimal("0.1"), ROUND_HALF_UP)
                self.text(x0 + w + 2, y + 1.2, fmt.num(tenth), 6.3)
            if g.pct is None:
                self.text(x0 + 4, mid - 2, fmt.words["not_reported"], 7, color=MUTED)
        lx = x0
        for color, label in ((UNIT, fmt.words["unit_series"]), (PEER, fmt.peer_short(card))):
            c.setFillColor(color)
            c.rect(lx, 2, 7, 7, stroke=0, fill=1)
            self.text(lx + 10, 3, label, 7.5)
            lx += 110


class TrendChart(Canvas):
    """The total over the periods given, over the class bands it moves through."""

    LEFT, RIGHT, BOTTOM, TOP = 26.0, 46.0, 24.0, 18.0

    def __init__(self, card: Scorecard, index: Index, fmt: Fmt, width: float, height: float):
        super().__init__(width, height)
        self.card, self.index, self.fmt = card, index, fmt

    def paint(self) -> None:
        c, fmt = self.canv, self.fmt
        self.text(0, self.height - 9, fmt.words["trend_title"], 8.5, BOLD)
        values = [float(p.total) for p in self.card.trend]
        low = float(int(max(0.0, min(values) - 5) // 5 * 5))
        x0, x1 = self.LEFT, self.width - self.RIGHT
        y0, y1 = self.BOTTOM, self.height - self.TOP

        def y(v: float) -> float:
            return y0 + (y1 - y0) * (v - low) / (100 - low)

        top = 100.0
        for band in self.index.bands:  # highest first
            lo = max(float(band.min), low)
            if lo < top:
                tint = colors.HexColor(band.color)
                c.setFillColor(colors.Color(tint.red, tint.green, tint.blue, alpha=0.14))
                c.rect(x0, y(lo), x1 - x0, y(top) - y(lo), stroke=0, fill=1)
                self.text(x1 + 3, (y(lo) + y(top)) / 2 - 2.5, band.name(fmt.lang), 6.5,
                          color=MUTED)
            top = min(top, float(band.min))
            if top <= low:
                break
        step = 5 if 100 - low <= 30 else 10
        c.setLineWidth(0.4)
        for v in range(int(low), 101, step):
            c.setStrokeColor(RULE)
            c.line(x0 - 2, y(v), x0, y(v))
            self.text(x0 - 4, y(v) - 2.3, fmt.num(v), 6.5, anchor="end")
        c.line(x0, y0, x0, y1)
        c.line(x0, y0, x1, y0)
        n = len(values)
        xs = [x0 + (x1 - x0) * (i + 0.5) / n for i in range(n)]
        for x, p in zip(xs, self.card.trend, strict=True):
            self.text(x, y0 - 9, p.period.short(), 6.5, anchor="middle")
        c.setStrokeColor(UNIT)
        c.setLineWidth(1.6)
        path = c.beginPath()
        path.moveTo(xs[0], y(values[0]))
        for x, total in zip(xs[1:], values[1:], strict=True):
            path.lineTo(x, y(total))
        c.drawPath(path, stroke=1, fill=0)
        c.setFillColor(UNIT)
        for x, p in zip(xs, self.card.trend, strict=True):
            c.circle(x, y(float(p.total)), 2.2, stroke=0, fill=1)
            self.text(x, y(float(p.total)) + 5, fmt.num(p.total), 6.5, BOLD, anchor="middle")


class Headline(Canvas):
    """Four boxed figures: total, class (a coloured pill), rank, change (a triangle)."""

    def __init__(self, *, total: tuple[str, str, str], band: tuple[str, str] | None,
                 rank: tuple[str, str], delta: tuple[Decimal | None, str, str],
                 labels: tuple[str, str, str, str], width: float, height: float):
        """total: value, '/100', sub-line; band: word, colour; rank: value, sub-line;
        delta: change, its label, sub-line."""
        super().__init__(width, height)
        self.total, self.band, self.rank, self.delta = total, band, rank, delta
        self.labels = labels

    def paint(self) -> None:
        c, w, h = self.canv, self.width / 4, self.height
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.rect(0, 0, self.width, h, stroke=1, fill=0)
        for i in range(1, 4):
            c.line(w * i, 0, w * i, h)
        subs = (self.total[2], "", self.rank[1], self.delta[2])
        for i, (label, sub) in enumerate(zip(self.labels, subs, strict=True)):
            self.text(w * i + w / 2, h - 14, label, 7.5, color=MUTED, anchor="middle")
            self.text(w * i + w / 2, 9, sub, 7.5, color=MUTED, anchor="middle")
        mid = h / 2 - 5
        value, of, _ = self.total
        if of:
            vw, ow = c.stringWidth(value, BOLD, 17), c.stringWidth(of, REGULAR, 10)
            self.text(w / 2 - (vw + ow) / 2, mid, value, 17, BOLD)
            self.text(w / 2 - (vw + ow) / 2 + vw, mid, of, 10, color=MUTED)
        else:
            self.text(w / 2, mid, value, 17, BOLD, anchor="middle")
        self._pill(w + w / 2, mid + 5)
        self.text(2 * w + w / 2, mid, self.rank[0], 17, BOLD, anchor="middle")
        self._delta(3 * w + w / 2, mid)

    def _pill(self, cx: float, cy: float) -> None:
        if self.band is None:
            self.text(cx, cy - 5, "—", 17, BOLD, anchor="middle")
            return
        word, color = self.band
        fill = colors.HexColor(color)
        luminance = 0.299 * fill.red + 0.587 * fill.green + 0.114 * fill.blue
        pw, ph = max(80.0, self.canv.stringWidth(word, BOLD, 11) + 24), 22.0
        self.canv.setFillColor(fill)
        self.canv.roundRect(cx - pw / 2, cy - ph / 2, pw, ph, 5, stroke=0, fill=1)
        self.text(cx, cy - 3.8, word, 11, BOLD, colors.white if luminance < 0.55 else INK,
                  anchor="middle")

    def _delta(self, cx: float, y: float) -> None:
        d, label, _ = self.delta
        if d is None:
            self.text(cx, y, "—", 17, BOLD, anchor="middle")
            return
        color = UP if d > 0 else DOWN if d < 0 else MUTED
        s = 5.0  # half the triangle's base, in points
        tri = 2 * s + 4 if d else 0
        left = cx - (self.canv.stringWidth(label, BOLD, 17) + tri) / 2
        if d:
            c = self.canv
            c.setFillColor(color)
            base, tip = (y + 1, y + 1 + 2 * s) if d > 0 else (y + 1 + 2 * s, y + 1)
            path = c.beginPath()
            path.moveTo(left, base)
            path.lineTo(left + 2 * s, base)
            path.lineTo(left + s, tip)
            path.close()
            c.drawPath(path, stroke=0, fill=1)
        self.text(left + tri, y, label, 17, BOLD, color)


class Bar(Canvas):
    """A total as a bar of its class colour, for the summary's rows."""

    def __init__(self, total: Decimal | None, color: colors.Color, width: float,
                 height: float):
        super().__init__(width, height)
        self.total, self.color = total, color

    def paint(self) -> None:
        if self.total is not None:
            self.canv.setFillColor(self.color)
            self.canv.rect(0, 0, self.width * float(self.total) / 100, self.height, stroke=0,
                           fill=1)
