"""Noto Sans, registered once per process, and made every default reportlab might fall back to.

Each font's subset is made once per process, not once per page: every document starts with
the same characters (SHARED: ASCII, the Vietnamese letters, the marks our words use) set in
the same order, so the subset — the font program, its widths and its ToUnicode map, together
most of a page's bytes and a third of its time — is the same bytes in every PDF of a run,
compressed once. Other characters (a name's rare letter) go to a second subset of the page's
own, made as reportlab makes every subset.
"""

from __future__ import annotations

import struct
import threading
import unicodedata
from collections import OrderedDict
from functools import cache
from typing import Any

from reportlab import rl_config
from reportlab.graphics import shapes
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

from ..resources import resource_dir

REGULAR, BOLD, ITALIC = "NotoSans", "NotoSans-Bold", "NotoSans-Italic"


def _vietnamese() -> str:
    """Every Vietnamese letter beyond ASCII's, lower case then upper, in a fixed order."""
    vowels = "aăâeêioôơuưy"
    tones = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
    out = []
    for case in (str.lower, str.upper):
        for v in vowels + "đ":
            for t in tones if v != "đ" else ("",):
                ch = unicodedata.normalize("NFC", case(v) + t)
                if ord(ch) > 0x7E:
                    out.append(ch)
    return "".join(out)


# What pages are written in: ASCII but its rarely written signs (a glyph costs every page
# about 60 bytes), the Vietnamese letters, the marks our words use and the summary's figure
# and punctuation spaces (U+2007, U+2008) that align its columns. 225 characters.
SHARED = ("".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in '!"#$&*<=>?@[\\]^_`{|}~')
          + _vietnamese() + "§·×±–—†•…→−“”‘’\u2007\u2008")


class SharedSubsetFont(TTFont):
    """A TrueType font whose documents start with `shared` in their first subset, and whose
    subsets' PDF objects are made once per process and kept (the last CACHED of them)."""

    CACHED = 32

    def __init__(self, name: str, filename: str, shared: str = ""):
        super().__init__(name, filename, asciiReadable=0)
        _short_names(self.face)
        self._seed = TTFont.State(0, self)
        if shared:
            doc = _Seeding()  # assigned codes as a page's text would be
            self.state[doc] = self._seed
            super().splitString(shared, doc)
            del self.state[doc]
            if self._seed.nextCode & 0xFF:  # a page's other characters: a subset of their own
                self._seed.nextCode = (self._seed.nextCode | 0xFF) + 1
        self._made: OrderedDict[tuple[int, ...], tuple[bytes, bytes, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        # text wholly of the first subset's characters is its codes, whatever the document
        codes = {c: n for c, n in self._seed.assignments.items() if n < 0x100}
        self._first = frozenset(chr(c) for c in codes) if shared else frozenset()
        self._codes = str.maketrans({c: chr(n) for c, n in codes.items()})

    def splitString(self, text: str | bytes, doc: Any, encoding: str = "utf-8"  # noqa: N802
                    ) -> list[tuple[int, bytes]]:
        if doc not in self.state:
            seed = self._seed
            state = self.state[doc] = TTFont.State(0, self)
            state.assignments = dict(seed.assignments)
            state.subsets = [list(s) for s in seed.subsets]
            state.nextCode = seed.nextCode
        if isinstance(text, str) and self._first.issuperset(text):
            return [(0, text.translate(self._codes).encode("latin-1"))] if text else []
        return super().splitString(text, doc, encoding)

    def addObjects(self, doc: Any) -> None:  # noqa: N802 (reportlab's name)
        """As TTFont.addObjects, each subset's objects taken from what was made for an
        earlier document with the same subset when there is one."""
        state = self.state[doc]
        state.frozen = 1
        face = self.face
        for n, subset in enumerate(state.subsets):
            name = self.getSubsetInternalName(n, doc)[1:]
            base = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
            widths, cmap, program = self._objects(doc, n, base, subset)
            font = pdfdoc.PDFTrueTypeFont()
            font.Name = name
            font.BaseFont = base
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = _Made(widths)
            font.ToUnicode = doc.Reference(_Made(cmap), "toUnicodeCMap:" + base)
            flags = (face.flags & ~(1 << 5)) | (1 << 2)  # symbolic, as reportlab says it
            font.FontDescriptor = doc.Reference(pdfdoc.PDFDictionary({
                "Type": "/FontDescriptor", "Ascent": face.ascent, "CapHeight": face.capHeight,
                "Descent": face.descent, "Flags": flags,
                "FontBBox": pdfdoc.PDFArray(face.bbox), "FontName": pdfdoc.PDFName(base),
                "ItalicAngle": face.italicAngle, "StemV": face.stemV,
                "FontFile2": doc.Reference(_Made(program), f"fontFile:{face.filename}({base})"),
                "MissingWidth": face.defaultWidth}), "fontDescriptor:" + base)
            doc.Reference(font, name)
            doc.idToObject["BasicFonts"].dict[name] = font
        del self.state[doc]

    def _objects(self, doc: Any, n: int, base: str, subset: list[int]
                 ) -> tuple[bytes, bytes, bytes]:
        """The subset's widths array, ToUnicode stream and font program stream, as bytes."""
        key = (n, doc.compression, *subset)
        with self._lock:  # pages drawn in threads (a server's) share the fonts
            made = self._made.get(key)
            if made is not None:
                self._made.move_to_end(key)
                return made
        if not isinstance(doc.encrypt, pdfdoc.NoEncryption):
            raise ValueError("shared font subsets are for unencrypted documents")
        filters = [pdfdoc.PDFZCompress] if doc.compression else None
        cmap = pdfdoc.PDFStream(content=to_unicode(base, subset), filters=filters)
        program = pdfdoc.PDFStream(content=self.face.makeSubset(subset), filters=filters)
        program.dictionary["Length1"] = len(program.content)
        made = (pdfdoc.format(pdfdoc.PDFArray([self.face.getCharWidth(c) for c in subset]), doc),
                cmap.format(doc), program.format(doc))
        with self._lock:
            self._made[key] = made
            if len(self._made) > self.CACHED:
                self._made.popitem(last=False)
        return made


def to_unicode(name: str, subset: list[int]) -> str:
    """The subset's ToUnicode CMap (how text is copied out): runs of codes whose characters
    follow each other in Unicode ('0'-'9', 'A'-'Z', 'a'-'z') as one bfrange, the rest as
    bfchar, at most 100 to a block as the PDF reference asks (reportlab writes one bfchar a
    code in one block)."""
    ranges: list[str] = []
    chars: list[str] = []
    start = 0
    for i in range(1, len(subset) + 1):
        if i < len(subset) and subset[i] == subset[i - 1] + 1:
            continue
        if i - start > 1:
            ranges.append(f"<{start:02X}> <{i - 1:02X}> <{subset[start]:04X}>")
        else:
            chars.append(f"<{start:02X}> <{subset[start]:04X}>")
        start = i
    out = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
           "/CIDSystemInfo", f"<< /Registry ({name})", f"/Ordering ({name})",
           "/Supplement 0", ">> def", f"/CMapName /{name} def", "/CMapType 2 def",
           "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange"]
    for kind, lines in (("bfrange", ranges), ("bfchar", chars)):
        for k in range(0, len(lines), 100):
            block = lines[k:k + 100]
            out += [f"{len(block)} begin{kind}", *block, f"end{kind}"]
    out += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(out)


def _short_names(face: Any) -> None:
    """Subsets carry the font's names 0-6 (copyright, family, style, full and PostScript
    names, version) and not the rest (designer, URLs, the licence's description: 1.1 KB),
    as fontTools' subsetter does by default; about 0.45 KB less in each font of each page.
    The bundled font files keep them all."""
    table = face.get_table("name")
    _, count, start = struct.unpack(">HHH", table[:6])
    records, strings = b"", b""
    kept = 0
    for i in range(count):
        platform, encoding, language, number, length, at = struct.unpack(
            ">6H", table[6 + 12 * i:18 + 12 * i])
        if number <= 6:
            records += struct.pack(">6H", platform, encoding, language, number, length,
                                   len(strings))
            strings += table[start + at:start + at + length]
            kept += 1
    short = struct.pack(">3H", 0, kept, 6 + 12 * kept) + records + strings
    whole = face.get_table
    face.get_table = lambda tag: short if tag == "name" else whole(tag)


class _Seeding:
    """The stand-in document whose state every document's starts from."""


class _Made(pdfdoc.PDFObject):
    """A PDF object formatted once (for an earlier document): its bytes as they were."""

    def __init__(self, data: bytes):
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


@cache
def register_fonts() -> str:
    """Register the bundled fonts; returns the family name. Idempotent and cheap after once.
    The italic draws a few fixed words: its subsets are the page's own (and repeat)."""
    folder = resource_dir("fonts")
    for name, file, shared in ((REGULAR, "NotoSans-Regular.ttf", SHARED),
                               (BOLD, "NotoSans-Bold.ttf", SHARED),
                               (ITALIC, "NotoSans-Italic.ttf", "")):
        pdfmetrics.registerFont(SharedSubsetFont(name, str(folder / file), shared))
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
