"""The page's small graphics, drawn straight on the canvas in the bundled font.

reportlab's chart widgets cost about 13 ms a page in attribute machinery; these Flowables
draw the same bars, lines and labels directly, which keeps a whole month within seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from ..content.objects import Bars, Headline, Trend
from .common import INK, MUTED, PEER, RULE, UNIT, nfc, text_operators
from .fonts import BOLD, ITALIC, REGULAR, register_fonts

GRID = colors.HexColor("#e3e3e3")
UP, DOWN = colors.HexColor("#1b5e20"), colors.HexColor("#b71c1c")
SMALLEST = 7.5  # points: the least a chart's words may be, printed grey-scale on a laser
# The class bands' lightness, lightest first: printed grey-scale, each band stays apart from
# its neighbours (equal tints of the class colours would all print as one pale grey).
BAND_GREYS = (0.95, 0.87, 0.79, 0.71, 0.63)


class Canvas(Flowable):
    """A fixed-size Flowable with text helpers; subclasses implement paint().

    Text is gathered while painting and set in one text object at the end, over the
    graphics, changing font and colour only where they change: a page's hundred labels
    then cost a third of what as many separate drawString calls do.
    """

    def __init__(self, width: float, height: float):
        super().__init__()
        self.width, self.height = width, height
        self._texts: list[tuple[float, float, str, float, str, colors.Color]] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def text(self, x: float, y: float, s: str, size: float = SMALLEST, font: str = REGULAR,
             color: colors.Color = INK, anchor: str = "start") -> None:
        s = nfc(s)
        if anchor != "start":
            w = stringWidth(s, font, size)
            x -= w if anchor == "end" else w / 2
        self._texts.append((x, y, s, size, font, color))

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        self._texts = []
        self.paint()
        if self._texts:
            c._code.append(text_operators(c, self._texts))
        c.restoreState()

    def paint(self) -> None:
        raise NotImplementedError


class BarChart(Canvas):
    """Unit vs peer average per group, as % of each group's maximum."""

    BOTTOM, TOP, RIGHT = 24.0, 16.0, 26.0

    def __init__(self, bars: Bars, width: float, height: float):
        super().__init__(width, height)
        self.bars = bars
        register_fonts()  # the labels are measured before anything is drawn
        self.labels = [label_lines(g.label, width * 0.3) for g in bars.bars]
        widest = max((stringWidth(line, REGULAR, SMALLEST) for lines in self.labels
                      for line in lines), default=0.0)
        self.left = widest + 8

    def paint(self) -> None:
        c, b = self.canv, self.bars
        self.text(0, self.height - 9, b.title, 8.5, BOLD)
        x0, x1 = self.left, self.width - self.RIGHT
        y0, y1 = self.BOTTOM, self.height - self.TOP
        c.setLineWidth(0.4)
        for v, label in b.ticks:
            x = x0 + (x1 - x0) * v / 100
            c.setStrokeColor(GRID if v else RULE)
            c.line(x, y0, x, y1)
            self.text(x, y0 - 10, label, anchor="middle")
        band = (y1 - y0) / len(b.bars)
        bar = min(7.0, band * 0.3)
        for i, (g, lines) in enumerate(zip(b.bars, self.labels, strict=True)):
            mid = y1 - band * (i + 0.5)
            for k, line in enumerate(lines):
                self.text(x0 - 4, mid + (len(lines) / 2 - k - 1) * 8.5 + 1.5, line,
                          anchor="end")
            for value, label, color, y in ((g.unit, g.unit_text, UNIT, mid + 0.6),
                                           (g.peer, g.peer_text, PEER, mid - bar - 0.6)):
                if value is None:
                    continue
                w = (x1 - x0) * float(value) / 100
                c.setFillColor(color)
                c.rect(x0, y, w, bar, stroke=0, fill=1)
                self.text(x0 + w + 2, y + 0.8, label)
            if g.unit is None:
                self.text(x0 + 4, mid - 2, b.not_reported, font=ITALIC)
        lx = x0
        for color, label in zip((UNIT, PEER), b.legend, strict=True):
            c.setFillColor(color)
            c.rect(lx, 2, 7, 7, stroke=0, fill=1)
            self.text(lx + 10, 3, label)
            lx += 10 + stringWidth(nfc(label), REGULAR, SMALLEST) + 18


def label_lines(label: str, width: float) -> list[str]:
    """A group's name on at most two lines: whole when it fits, else broken after its comma
    ('Tiến độ,' / 'kết quả giải quyết'), else at the word nearest the middle — never leaving
    one word alone mid-phrase when a comma offers the break."""
    label = nfc(label)
    if stringWidth(label, REGULAR, SMALLEST) <= width:
        return [label]
    head, comma, tail = label.partition(", ")
    if comma:
        return [head + ",", tail]
    return fit(label, width, SMALLEST)


def band_fills(hexes: Sequence[str]) -> list[colors.Color]:
    """Each band's colour lightened to its own grey level (BAND_GREYS, by position), so that
    neighbouring bands differ in grey-scale as well as in hue."""
    out = []
    for i, h in enumerate(hexes):
        c = colors.HexColor(h)
        target = BAND_GREYS[min(i, len(BAND_GREYS) - 1)]
        lum = luminance(c)
        t = 1.0 if lum >= target else (1 - target) / (1 - lum)
        out.append(colors.Color(*(1 - t + t * v for v in (c.red, c.green, c.blue))))
    return out


def luminance(c: colors.Color) -> float:
    """The grey a colour prints as (ITU-R BT.601 weights, as a grey-scale printer mixes)."""
    return 0.299 * c.red + 0.587 * c.green + 0.114 * c.blue


class TrendChart(Canvas):
    """The total over the periods given, over the class bands it moves through."""

    LEFT, RIGHT, BOTTOM, TOP = 26.0, 46.0, 24.0, 18.0

    def __init__(self, trend: Trend, width: float, height: float):
        super().__init__(width, height)
        self.trend = trend

    def paint(self) -> None:
        c, t = self.canv, self.trend
        self.text(0, self.height - 9, t.title, 8.5, BOLD)
        low, top = float(t.low), float(t.top)
        x0, x1 = self.LEFT, self.width - self.RIGHT
        y0, y1 = self.BOTTOM, self.height - self.TOP

        def y(v: float | Decimal) -> float:
            return y0 + (y1 - y0) * (float(v) - low) / (top - low)

        for band, fill in zip(t.bands, band_fills([b.color for b in t.bands]), strict=True):
            c.setFillColor(fill)
            c.rect(x0, y(band.low), x1 - x0, y(band.high) - y(band.low), stroke=0, fill=1)
            self.text(x1 + 3, (y(band.low) + y(band.high)) / 2 - 2.5, band.name)
        c.setLineWidth(0.4)
        for v, label in t.ticks:
            c.setStrokeColor(RULE)
            c.line(x0 - 2, y(v), x0, y(v))
            self.text(x0 - 4, y(v) - 2.5, label, anchor="end")
        c.line(x0, y0, x0, y1)
        c.line(x0, y0, x1, y0)
        n = len(t.points)
        xs = [x0 + (x1 - x0) * (i + 0.5) / n for i in range(n)]
        for x, (period, _, _) in zip(xs, t.points, strict=True):
            self.text(x, y0 - 10, period, anchor="middle")
        c.setStrokeColor(UNIT)
        c.setLineWidth(1.6)
        path = c.beginPath()
        path.moveTo(xs[0], y(t.points[0][1]))
        for x, (_, total, _) in zip(xs[1:], t.points[1:], strict=True):
            path.lineTo(x, y(total))
        c.drawPath(path, stroke=1, fill=0)
        c.setFillColor(UNIT)
        for x, (_, total, label) in zip(xs, t.points, strict=True):
            c.circle(x, y(total), 2.2, stroke=0, fill=1)
            self.text(x, y(total) + 5, label, font=BOLD, anchor="middle")


class HeadlineBoxes(Canvas):
    """Four boxed figures: total, class (a coloured pill), rank, change (a triangle)."""

    def __init__(self, headline: Headline, width: float, height: float):
        super().__init__(width, height)
        self.h = headline

    def paint(self) -> None:
        c, w, h, hl = self.canv, self.width / 4, self.height, self.h
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.rect(0, 0, self.width, h, stroke=1, fill=0)
        for i in range(1, 4):
            c.line(w * i, 0, w * i, h)
        subs = (hl.total.sub, "", hl.rank.sub, hl.delta_sub)
        for i, (label, sub) in enumerate(zip(hl.labels, subs, strict=True)):
            self.text(w * i + w / 2, h - 14, label, 7.5, color=MUTED, anchor="middle")
            lines = fit(sub, w - 8, 7.5)  # a long note (a merged predecessor) takes two lines
            for k, line in enumerate(lines):  # 7.5 pt, the least a page prints (two: 9 apart)
                self.text(w * i + w / 2, (9 if len(lines) == 1 else 7) + 9 * (len(lines) - 1 - k),
                          line, 7.5, color=MUTED, anchor="middle")
        mid = h / 2 - 5
        value, of = hl.total.value, hl.total.of
        if of:
            vw, ow = c.stringWidth(value, BOLD, 17), c.stringWidth(of, REGULAR, 10)
            self.text(w / 2 - (vw + ow) / 2, mid, value, 17, BOLD)
            self.text(w / 2 - (vw + ow) / 2 + vw, mid, of, 10, color=MUTED)
        else:
            self.text(w / 2, mid, value, 17, BOLD, anchor="middle")
        self._pill(w + w / 2, mid + 5)
        self.text(2 * w + w / 2, mid, hl.rank.value, 17, BOLD, anchor="middle")
        self._delta(3 * w + w / 2, mid)

    def _pill(self, cx: float, cy: float) -> None:
        if self.h.band is None:
            self.text(cx, cy - 5, "—", 17, BOLD, anchor="middle")
            return
        word, color = self.h.band
        fill = colors.HexColor(color)
        pw, ph = max(80.0, self.canv.stringWidth(word, BOLD, 11) + 24), 22.0
        self.canv.setFillColor(fill)
        self.canv.roundRect(cx - pw / 2, cy - ph / 2, pw, ph, 5, stroke=0, fill=1)
        self.text(cx, cy - 3.8, word, 11, BOLD, on(fill), anchor="middle")

    def _delta(self, cx: float, y: float) -> None:
        d, label = self.h.delta, self.h.delta_text
        if d is None:  # words, not a figure: 'chưa có số liệu kỳ trước'
            lines = fit(label, self.width / 4 - 12, 10)
            for k, line in enumerate(lines):
                self.text(cx, y + 6 * (len(lines) - 1) - 12 * k + 3, line, 10, BOLD, MUTED,
                          anchor="middle")
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


def fit(text: str, width: float, size: float) -> list[str]:
    """One line if it fits the width, else two, split at the word nearest the middle."""
    if stringWidth(nfc(text), REGULAR, size) <= width or " " not in text:
        return [text]
    words = text.split()
    best = min(range(1, len(words)), key=lambda k: abs(len(" ".join(words[:k]))
                                                      - len(" ".join(words[k:]))))
    return [" ".join(words[:best]), " ".join(words[best:])]


def on(fill: colors.Color) -> colors.Color:
    """White or ink, whichever reads on this fill."""
    return colors.white if luminance(fill) < 0.55 else INK


class Bar(Canvas):
    """A total as a bar of its class colour, for the summary's rows."""

    def __init__(self, share: Decimal | None, color: colors.Color, width: float,
                 height: float):
        """share: the total as a part of its maximum, 0..1."""
        super().__init__(width, height)
        self.share, self.color = share, color

    def paint(self) -> None:
        if self.share is not None:
            self.canv.setFillColor(self.color)
            self.canv.rect(0, 0, self.width * float(self.share), self.height, stroke=0,
                           fill=1)
