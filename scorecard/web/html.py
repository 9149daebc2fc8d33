"""The HTML renderer: lays out the same content objects as the PDF (content.UnitPage,
content.SummaryPage) as web pages. It adds no words of its own to what a page says: the
figures, labels and the paragraph all come from the content objects; only the page's frame
(navigation, buttons) has words, from data/web.toml.

Charts are inline SVG with computed coordinates: the Content-Security-Policy forbids inline
style, and SVG's geometry attributes are not style.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..content.objects import Bars, Trend
from ..formatting import Fmt
from ..language import Language, language
from ..model import Scorecard
from ..resources import words


@cache
def environment() -> Environment:
    """Autoescaped: every name from a data file is text in the page, never markup."""
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=select_autoescape(default=True), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals["lines"] = lambda s: s.split("\n")
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def web_words(lang: Language) -> dict[str, str]:
    """The frame's words (menus, buttons, forms) in the page's language."""
    return words("web.toml", language(lang).value)


@dataclass(frozen=True)
class SvgBar:
    label: str
    y: float
    unit_w: float | None
    unit_text: str
    peer_w: float | None
    peer_text: str


@dataclass(frozen=True)
class BarSvg:
    width: int
    height: int
    x0: float
    x1: float
    ticks: tuple[tuple[float, str], ...]
    bars: tuple[SvgBar, ...]
    band: float
    thick: float


def bar_svg(b: Bars, width: int = 560, row: int = 44) -> BarSvg:
    """Unit and peer per group, as % of each group's maximum, as the PDF draws them."""
    x0, x1 = 190.0, width - 50.0
    top = 6.0
    height = int(top + row * len(b.bars) + 22)

    def w(v: Decimal | None) -> float | None:
        return None if v is None else round((x1 - x0) * float(v) / 100, 1)

    bars = tuple(SvgBar(g.label, top + row * i, w(g.unit), g.unit_text, w(g.peer),
                        g.peer_text) for i, g in enumerate(b.bars))
    ticks = tuple((round(x0 + (x1 - x0) * v / 100, 1), label) for v, label in b.ticks)
    return BarSvg(width, height, x0, x1, ticks, bars, float(row), 12.0)


@dataclass(frozen=True)
class TrendSvg:
    width: int
    height: int
    x0: float
    x1: float
    y0: float
    y1: float
    bands: tuple[tuple[str, float, float, str], ...]  # name, y top, height, colour
    ticks: tuple[tuple[float, str], ...]
    points: tuple[tuple[float, float, str, str], ...]  # x, y, period, total
    path: str


def trend_svg(t: Trend, width: int = 560, height: int = 220) -> TrendSvg:
    """The total over the periods, over the class bands it moves through."""
    x0, x1, y0, y1 = 40.0, width - 80.0, 12.0, height - 26.0
    low, top = float(t.low), float(t.top)

    def y(v: Decimal) -> float:
        return round(y1 - (y1 - y0) * (float(v) - low) / (top - low), 1)

    bands = tuple((b.name, y(b.high), round(y(b.low) - y(b.high), 1), b.color) for b in t.bands)
    n = len(t.points)
    xs = [round(x0 + (x1 - x0) * (i + 0.5) / n, 1) for i in range(n)]
    points = tuple((x, y(total), period, text)
                   for x, (period, total, text) in zip(xs, t.points, strict=True))
    path = " ".join(f"{x},{py}" for x, py, _, _ in points)
    return TrendSvg(width, height, x0, x1, y0, y1, bands,
                    tuple((y(v), label) for v, label in t.ticks), points, path)


def revision_lines(card: Scorecard, lang: Language) -> list[str]:
    """'Số liệu tháng 9/2025 đã được Cổng điều chỉnh ngày 15/10/2025: 82,08 → 82,31 điểm',
    one per revised period the page shows (from the store, SPEC §9)."""
    fmt = Fmt(lang)
    t = web_words(lang)
    return [t["update" if r.update else "revision"].format(
        period=r.period.phrase(lang), date=fmt.date(r.date), old=fmt.num(r.previous),
        new=fmt.num(r.total)) for r in card.revisions]
