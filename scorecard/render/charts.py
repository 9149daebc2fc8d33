"""The two charts of a unit's page, drawn with reportlab graphics in the bundled font."""

from __future__ import annotations

import textwrap
from decimal import Decimal

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from ..formatting import Fmt
from ..model import Index, Scorecard
from .common import INK, MUTED, PEER, RULE, UNIT, nfc
from .fonts import BOLD, REGULAR


def _drawing(width: float, height: float) -> Drawing:
    return Drawing(width, height, initialFontName=REGULAR, initialFontSize=7.5)


def _style_axis_labels(*axes: object, size: float = 7) -> None:
    for axis in axes:
        axis.labels.fontName = REGULAR  # type: ignore[attr-defined]
        axis.labels.fontSize = size  # type: ignore[attr-defined]
        axis.labels.fillColor = INK  # type: ignore[attr-defined]
        axis.strokeColor = RULE  # type: ignore[attr-defined]


def bar_chart(card: Scorecard, fmt: Fmt, width: float, height: float) -> Drawing:
    """Unit vs peer average per group, as % of each group's maximum (None: not reported)."""
    d = _drawing(width, height)
    d.add(String(0, height - 9, nfc(fmt.words["chart_title"]), fontName=BOLD, fontSize=8.5,
                 fillColor=INK))
    chart = HorizontalBarChart()
    chart.x, chart.y = 92, 22
    chart.width, chart.height = width - chart.x - 12, height - chart.y - 16
    groups = list(reversed(card.groups))  # first group on top
    unit = [None if g.pct is None else float(g.pct) for g in groups]
    peer = [None if g.peer is None else float(g.peer * 100 / g.group.max) for g in groups]
    chart.data = [peer, unit]  # the last series is drawn on top within a group
    chart.categoryAxis.categoryNames = [
        "\n".join(textwrap.wrap(nfc(g.group.name(fmt.lang)), 20)) for g in groups]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labelTextFormat = lambda v: f"{fmt.num(Decimal(v))}%"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e6e6e6")
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.labels.leading = 8.5
    _style_axis_labels(chart.categoryAxis, chart.valueAxis)
    chart.bars[0].fillColor, chart.bars[1].fillColor = PEER, UNIT
    chart.bars.strokeColor = None
    chart.barSpacing, chart.groupSpacing = 1, 5
    chart.barLabels.fontName, chart.barLabels.fontSize = REGULAR, 6.5
    chart.barLabels.fillColor = INK
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    chart.barLabelFormat = lambda v: fmt.num(Decimal(v).quantize(Decimal("0.1")))
    d.add(chart)
    step = chart.height / len(groups)
    for i, g in enumerate(groups):  # one note per missing group, not one per missing bar
        if g.score is None:
            d.add(String(chart.x + 4, chart.y + (i + 0.5) * step - 2.5,
                         nfc(fmt.words["not_reported"]), fontName=REGULAR, fontSize=7,
                         fillColor=MUTED))
    legend = Legend()
    legend.x, legend.y = chart.x, 6
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 110
    legend.fontName, legend.fontSize = REGULAR, 7.5
    legend.dx = legend.dy = 7
    legend.colorNamePairs = [(UNIT, nfc(fmt.words["unit_series"])),
                             (PEER, nfc(fmt.peer_short(card)))]
    d.add(legend)
    return d


def trend_chart(card: Scorecard, index: Index, fmt: Fmt, width: float, height: float
                ) -> Drawing:
    """The total over the periods given, over the class bands it moves through."""
    d = _drawing(width, height)
    d.add(String(0, height - 9, nfc(fmt.words["trend_title"]), fontName=BOLD, fontSize=8.5,
                 fillColor=INK))
    values = [float(p.total) for p in card.trend]
    low = max(0.0, min(values) - 5)
    low = float(int(low // 5 * 5))
    chart = HorizontalLineChart()
    chart.x, chart.y = 28, 22
    chart.width, chart.height = width - chart.x - 44, height - chart.y - 18
    chart.data = [values]
    chart.categoryAxis.categoryNames = [p.period.short() for p in card.trend]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = low, 100
    chart.valueAxis.valueStep = 5 if 100 - low <= 30 else 10
    chart.valueAxis.labelTextFormat = lambda v: fmt.num(Decimal(v))
    _style_axis_labels(chart.categoryAxis, chart.valueAxis)
    chart.lines[0].strokeColor = UNIT
    chart.lines[0].strokeWidth = 1.6
    chart.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=UNIT)
    chart.lineLabelFormat = lambda v: fmt.num(Decimal(v))
    chart.lineLabels.fontName, chart.lineLabels.fontSize = BOLD, 6.5
    chart.lineLabels.dy = 6
    scale = chart.height / (100 - low)
    top = 100.0
    for band in index.bands:  # highest first
        lo = max(float(band.min), low)
        if lo < top:
            y0, y1 = chart.y + (lo - low) * scale, chart.y + (top - low) * scale
            tint = colors.HexColor(band.color)
            d.add(Rect(chart.x, y0, chart.width, y1 - y0, strokeColor=None,
                       fillColor=colors.Color(tint.red, tint.green, tint.blue, alpha=0.13)))
            d.add(String(chart.x + chart.width + 3, (y0 + y1) / 2 - 2.5, nfc(band.name(fmt.lang)),
                         fontName=REGULAR, fontSize=6.5, fillColor=MUTED))
        top = min(top, float(band.min))
        if top <= low:
            break
    d.add(chart)
    return d
