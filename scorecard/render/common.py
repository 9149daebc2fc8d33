"""What every PDF of ours shares: styles, the numbered footer, atomic writes, safe text."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from markupsafe import escape
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle

from ..content.objects import Footer
from ..language import Language
from .fonts import BOLD, ITALIC, REGULAR, register_fonts

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#5f6368")
RULE = colors.HexColor("#c7c7c7")
UNIT = colors.HexColor("#1f3b73")  # dark: stays apart from PEER in grayscale
PEER = colors.HexColor("#b8bcc4")
ZEBRA = colors.HexColor("#f3f4f6")
MARGIN = 14 * mm
PAD = 6  # points: the padding of platypus's frame, kept so that both ways draw alike


def text(s: object) -> str:
    """User data made safe for reportlab's paragraph markup, and NFC (NFD marks misplace)."""
    return str(escape(unicodedata.normalize("NFC", str(s))))


def nfc(s: object) -> str:
    """NFC, keeping line breaks (table headers use them), unlike units.nfc for data."""
    return unicodedata.normalize("NFC", str(s))


@cache
def styles() -> dict[str, ParagraphStyle]:
    """Built once per process, like the fonts."""
    register_fonts()
    base = ParagraphStyle("base", fontName=REGULAR, fontSize=9, leading=12, textColor=INK)
    return {
        "base": base,
        "office": ParagraphStyle("office", base, fontSize=8.5, textColor=MUTED,
                                 alignment=TA_CENTER, leading=11),
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=13, leading=17,
                                alignment=TA_CENTER, spaceBefore=2),
        "unit": ParagraphStyle("unit", base, fontName=BOLD, fontSize=16, leading=20,
                               alignment=TA_CENTER, spaceBefore=6),
        "period": ParagraphStyle("period", base, fontSize=10, leading=13, alignment=TA_CENTER,
                                 textColor=MUTED, spaceAfter=6),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=10, leading=13, spaceBefore=8,
                             spaceAfter=3),
        "cell": ParagraphStyle("cell", base, fontSize=8.5, leading=10.5),
        "cellb": ParagraphStyle("cellb", base, fontName=BOLD, fontSize=8.5, leading=10.5),
        "cell_r": ParagraphStyle("cell_r", base, fontSize=8.5, leading=10.5, alignment=TA_RIGHT),
        "cell_small": ParagraphStyle("cell_small", base, fontSize=7.5, leading=9),
        "cell_small_r": ParagraphStyle("cell_small_r", base, fontSize=7, leading=8.5,
                                       alignment=TA_RIGHT),
        "head": ParagraphStyle("head", base, fontName=BOLD, fontSize=7.5, leading=9),
        "head_r": ParagraphStyle("head_r", base, fontName=BOLD, fontSize=7.5, leading=9,
                                 alignment=TA_RIGHT),
        "head_c": ParagraphStyle("head_c", base, fontName=BOLD, fontSize=7.5, leading=9,
                                 alignment=TA_CENTER),
        "cellbr": ParagraphStyle("cellbr", base, fontName=BOLD, fontSize=8.5, leading=10.5,
                                 alignment=TA_RIGHT),
        "note": ParagraphStyle("note", base, fontName=ITALIC, fontSize=8, leading=10,
                               textColor=MUTED),
        "body": ParagraphStyle("body", base, fontSize=9.5, leading=13.5, alignment=TA_JUSTIFY),
        "finding": ParagraphStyle("finding", base, fontSize=9, leading=12, leftIndent=10,
                                  bulletIndent=0, spaceAfter=1.5, bulletFontName=REGULAR),
        "kpi_label": ParagraphStyle("kpi_label", base, fontSize=7.5, leading=9,
                                    textColor=MUTED, alignment=TA_CENTER),
        "kpi": ParagraphStyle("kpi", base, fontName=BOLD, fontSize=17, leading=20,
                              alignment=TA_CENTER),
        "kpi_sub": ParagraphStyle("kpi_sub", base, fontSize=7.5, leading=9, textColor=MUTED,
                                  alignment=TA_CENTER),
    }


def text_operators(c: canvas.Canvas,
                   texts: Sequence[tuple[float, float, str, float, str, colors.Color | None]],
                   leading: float | None = None) -> str:
    """One text object (BT … ET) setting each string at its place, the font and colour set
    only where they change (a colour None: the canvas's fill): what reportlab's text object
    writes, without its per-string machinery (font lookups, cursor and leading bookkeeping),
    a page's hundred labels at a third of the cost. With a `leading`, each string ends its
    line (T*) as canvas.drawString's do: text extraction then breaks the line there."""
    doc, escape = c._doc, c._escape
    out = ["BT"]
    face: tuple[str, int, float] | None = None
    rgb = None
    tl = "" if leading is None else f" {fp_str(leading)} TL"
    for x, y, s, size, name, col in texts:
        font = getFont(name)
        if col is not None and (want := (col.red, col.green, col.blue)) != rgb:
            rgb = want
            out.append(f"{fp_str(want)} rg")
        out.append(f"1 0 0 1 {fp_str(x, y)} Tm")
        for subset, chunk in font.splitString(s, doc):
            if (name, subset, size) != face:
                face = (name, subset, size)
                out.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(size)} Tf{tl}")
            out.append(f"({escape(chunk)}) Tj")
        if leading is not None:
            out.append("T*")
    out.append("ET")
    return " ".join(out)


class _NumberedCanvas(canvas.Canvas):
    """Defers each page so the footer can say 'page x of N'."""

    def __init__(self, *args: Any, footer: Footer, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        # the page's operators kept as one string, not thousands (a 92-page summary's were
        # 27,000 strings until the last page): reportlab joins them with '\n' all the same
        code: list[str] = self.__dict__["_code"]
        if code:
            self._code = ["\n".join(code)]
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def drawString(self, x: float, y: float, text: str, *args: Any,  # noqa: N802
                   **kwargs: Any) -> None:
        """Plain text in one of our fonts (the footer, every cell of a table) as its
        operators straight (text_operators); anything else as reportlab draws it."""
        if args or any(kwargs.values()) or not getFont(self._fontname)._dynamicFont:
            super().drawString(x, y, text, *args, **kwargs)
        else:
            self._code.append(text_operators(
                self, ((x, y, text, self._fontsize, self._fontname, None),), self._leading))

    def drawRightString(self, x: float, y: float, text: str, *args: Any,  # noqa: N802
                        **kwargs: Any) -> None:
        if args or any(kwargs.values()):
            super().drawRightString(x, y, text, *args, **kwargs)
        else:
            self.drawString(x - self.stringWidth(text, self._fontname, self._fontsize), y, text)

    def drawCentredString(self, x: float, y: float, text: str, *args: Any,  # noqa: N802
                          **kwargs: Any) -> None:
        if args or any(kwargs.values()):
            super().drawCentredString(x, y, text, *args, **kwargs)
        else:
            self.drawString(x - self.stringWidth(text, self._fontname, self._fontsize) / 2, y,
                            text)

    def save(self) -> None:
        n = len(self._pages)
        for i, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self._draw_footer(i, n)
            super().showPage()
        super().save()

    def _draw_footer(self, i: int, n: int) -> None:
        """The source and, right, the issue date and page; below, the data's date and, right,
        a signature's line."""
        w, _ = self._pagesize
        f = self._footer
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, 13 * mm, w - MARGIN, 13 * mm)
        self.setFont(REGULAR, 7.5)
        self.setFillColor(MUTED)
        self.drawString(MARGIN, 9.5 * mm, nfc(f.left))
        self.drawRightString(w - MARGIN, 9.5 * mm, nfc(f"{f.issued_word}: {f.issued} · "
                                                       f"{f.page_word} {i}/{n}"))
        if f.data:
            self.drawString(MARGIN, 6.3 * mm, nfc(f.data))
        if f.signed:
            self.setFont(BOLD, 7.5)
            self.setFillColor(INK)
            self.drawRightString(w - MARGIN, 6.3 * mm, nfc(f.signed))


@dataclass(frozen=True)
class Pdf:
    data: bytes
    pages: int


def build_pdf(story: list[Flowable], footer: Footer, title: str, lang: Language, *,
              pagesize: Any = A4,
              on_page: Callable[..., None] | None = None) -> Pdf:
    """Lay out a story into a PDF, deterministically (same input, same bytes)."""
    register_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=11 * mm, bottomMargin=17 * mm, title=nfc(title),
                            author="scorecard", creator="scorecard", producer="scorecard",
                            invariant=1, lang=lang)
    kwargs = {"onFirstPage": on_page, "onLaterPages": on_page} if on_page else {}
    doc.build(story, canvasmaker=partial(_NumberedCanvas, footer=footer), **kwargs)
    return Pdf(buf.getvalue(), doc.page)


def draw_page(story: list[Flowable], footer: Footer, title: str, lang: Language) -> Pdf | None:
    """Draw a one-page story straight on the canvas, top to bottom, where the document
    template would put it — without its frames and page-breaking machinery. None when the
    story does not fit one page: the caller then lets platypus flow it over two."""
    register_fonts()
    width, height = A4
    x, top, bottom = MARGIN + PAD, height - 11 * mm - PAD, 17 * mm + PAD
    avail = width - 2 * MARGIN - 2 * PAD
    placed, y = [], top
    for i, f in enumerate(story):
        if i:
            y -= f.getSpaceBefore()
        w, h = f.wrapOn(None, avail, y - bottom)
        y -= h
        placed.append((f, y, w))
        y -= f.getSpaceAfter()
    if y < bottom - 1e-6:
        return None
    buf = io.BytesIO()
    c = _NumberedCanvas(buf, pagesize=A4, footer=footer, invariant=1, lang=lang)
    c.setTitle(nfc(title))
    c.setAuthor("scorecard")
    c.setCreator("scorecard")
    c.setProducer("scorecard")
    for f, fy, w in placed:
        f.drawOn(c, x, fy, _sW=avail - w)
    c.showPage()
    c.save()
    return Pdf(buf.getvalue(), 1)


class Deferred(Flowable):
    """A flowable made only when the layout reaches it, and dropped once drawn: a long
    summary's tables one at a time, not all at once (a Table holds an object per cell)."""

    def __init__(self, make: Callable[[], Flowable]):
        super().__init__()
        self._make: Callable[[], Flowable] | None = make
        self._made: Flowable | None = None

    def _it(self) -> Flowable:
        if self._made is None:
            assert self._make is not None
            self._made, self._make = self._make(), None
        return self._made

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803
        return self._it().wrap(aW, aH)  # type: ignore[no-any-return]

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803
        return self._it().split(aW, aH)  # type: ignore[no-any-return]

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802,N803
        self._it().drawOn(canv, x, y, _sW)

    def getSpaceBefore(self) -> float:  # noqa: N802
        return self._it().getSpaceBefore()  # type: ignore[no-any-return]

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self._it().getSpaceAfter()  # type: ignore[no-any-return]


def table(rows: list[list[Any]], widths: list[float], style: list[tuple[Any, ...]],
          **kwargs: Any) -> Table:
    """A Table whose cells default to our font: reportlab's CellStyle defaults to Helvetica."""
    t = Table(rows, colWidths=widths, **kwargs)
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), REGULAR, 8.5), *style]))
    return t


