"""Give the bundled Noto Sans a true minus sign (U+2212), which this build of it lacks.

Run once, by hand, with fonttools (not a dependency of scorecard):
    python tools/add_minus.py fonts/NotoSans-*.ttf
The glyph is the horizontal bar of the font's own plus sign, on the plus's advance width
(the figures' width), so '−0,76' and '+0,56' line up. The OFL allows modified versions;
the digital signature table, which no longer matches, is dropped.
"""

from __future__ import annotations

import sys

from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont


def add_minus(path: str) -> None:
    font = TTFont(path)
    if 0x2212 in font.getBestCmap():
        return
    plus = font["glyf"]["plus"]
    xs = [x for x, _ in plus.coordinates]
    # the horizontal bar: the plus's full width, between its two middle heights
    ys = sorted({y for _, y in plus.coordinates})
    low, high = ys[1], ys[2]
    pen = TTGlyphPen(None)
    pen.moveTo((min(xs), high))
    pen.lineTo((max(xs), high))
    pen.lineTo((max(xs), low))
    pen.lineTo((min(xs), low))
    pen.closePath()
    order = font.getGlyphOrder()
    font.setGlyphOrder([*order, "minus"])
    font["glyf"]["minus"] = pen.glyph()
    font["hmtx"]["minus"] = (font["hmtx"]["plus"][0], min(xs))
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[0x2212] = "minus"
    if "DSIG" in font:
        del font["DSIG"]
    font["maxp"].numGlyphs = len(order) + 1
    font.save(path)


if __name__ == "__main__":
    for p in sys.argv[1:]:
        add_minus(p)
