"""Take the TrueType hinting out of the bundled Noto Sans (as Noto's own "unhinted" builds).

Run once, by hand, with fonttools (not a dependency of scorecard):
    python tools/dehint_fonts.py fonts/NotoSans-*.ttf
Hinting is instructions for snapping outlines to a screen's pixel grid at small sizes; PDF
viewers and printers draw the outlines without them (poppler, pdf.js and Chrome ignore them),
yet they were about half of every embedded subset's bytes: each page carries its fonts, so a
page is about 10 KB smaller without. Outlines, metrics, the character map and the names stay
as they were; the glyph order too (retain_gids), so nothing that knows a glyph by number moves.
"""

from __future__ import annotations

import sys

from fontTools import subset
from fontTools.ttLib import TTFont


def dehint(path: str) -> None:
    font = TTFont(path)
    if "fpgm" not in font and "prep" not in font:
        return  # already without
    opts = subset.Options(hinting=False, retain_gids=True, glyph_names=True,
                          notdef_outline=True, recalc_bounds=False, recalc_timestamp=False,
                          legacy_kern=True, name_IDs=["*"], name_languages=["*"],
                          name_legacy=True, layout_features=["*"], layout_scripts=["*"],
                          drop_tables=[], passthrough_tables=True)
    sub = subset.Subsetter(opts)
    sub.populate(glyphs=font.getGlyphOrder())
    sub.subset(font)
    font.save(path)


if __name__ == "__main__":
    for p in sys.argv[1:]:
        dehint(p)
