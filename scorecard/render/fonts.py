"""Noto Sans, registered once per process, and made every default reportlab might fall back to."""

from __future__ import annotations

from functools import cache

from reportlab import rl_config
from reportlab.graphics import shapes
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..resources import resource_dir

REGULAR, BOLD, ITALIC = "NotoSans", "NotoSans-Bold", "NotoSans-Italic"


@cache
def register_fonts() -> str:
    """Register the bundled fonts; returns the family name. Idempotent and cheap after once."""
    folder = resource_dir("fonts")
    for name, file in ((REGULAR, "NotoSans-Regular.ttf"), (BOLD, "NotoSans-Bold.ttf"),
                       (ITALIC, "NotoSans-Italic.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD)
    # reportlab's own defaults would leak Helvetica (unembedded, no Vietnamese) into the PDF
    rl_config.canvas_basefontname = REGULAR
    shapes.STATE_DEFAULTS["fontName"] = REGULAR
    # byte-identical output for the same input: no timestamps or random IDs
    rl_config.invariant = 1
    # attribute validation on every chart property costs a third of a page's time
    rl_config.shapeChecking = 0
    rl_config.useA85 = 0  # binary streams: smaller and faster than ASCII85 text
    return REGULAR


def missing_glyphs(text: str) -> list[str]:
    """The characters of `text` the bundled fonts (regular or bold) cannot draw, each once:
    reportlab leaves them out of the page without a word (an emoji, a Chinese character, a
    control character)."""
    register_fonts()
    maps = [pdfmetrics.getFont(name).face.charToGlyph for name in (REGULAR, BOLD)]
    return [c for c in dict.fromkeys(text) if not all(ord(c) in m for m in maps)]
