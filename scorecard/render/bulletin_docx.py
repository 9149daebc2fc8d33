"""The bulletin draft as DOCX, laid out as Decree 30/2020/NĐ-CP, Phụ lục I asks (see
shared/DECREE-30.md): A4, margins 20/20/30/15 mm, Times New Roman, the two-column header and
foot, page numbers from page 2. Every user string goes in as text (python-docx escapes it),
never as markup. The same content gives the same bytes: zip and document dates are fixed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from typing import TypeVar

from docx import Document
from docx.document import Document as Doc
from docx.enum.section import WD_ORIENT, WD_SECTION_START
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph

from ..content.objects import Bulletin, Table
from ..language import Language

# what XML 1.0 cannot hold (lxml refuses it): a unit's name read from a file may carry one
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

FONT = "Times New Roman"
BODY = 14
_T = TypeVar("_T")
TEXT_WIDTH = 16.5  # cm: A4 less the margins of 30 and 15 mm
ANNEX_WIDTH = 25.2  # cm: A4 landscape less the same margins
KEPT_ROWS = 6  # an annex block's header and first five rows: never apart
CELL_MARGIN = 0.19  # cm: a table cell's inner margin left and right (108 twips, the template's)
CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, \
    WD_ALIGN_PARAGRAPH.LEFT


def bulletin_docx(b: Bulletin) -> bytes:
    """The report as DOCX bytes, identical for identical content."""
    b = _xml_safe(b)
    doc = Document()
    _page(doc, Language(b.lang))  # _xml_safe made it a plain str
    _header(doc, b)
    _line(doc, b.kind, 14, bold=True, align=CENTER, before=12, keep=True)
    _line(doc, b.subject, 14, bold=True, align=CENTER, keep=True)
    _rule(doc.add_paragraph(), 5.5, before=3)  # clear of the descenders above it
    if b.opening:
        _body(doc, b.opening)
    for part in b.parts:
        _line(doc, part.title, BODY, bold=True, align=JUSTIFY, before=6, keep=True)
        for text in part.paragraphs:
            _body(doc, text)
        for t in part.tables:
            _table(doc, t)
    _foot(doc, b)
    if b.annex:
        section = doc.add_section(WD_SECTION_START.NEW_PAGE)
        section.different_first_page_header_footer = False
        # the annex's table has a column per group: the page turns to landscape for it
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        _line(doc, b.annex_title, 14, bold=True, align=CENTER, keep=True)
        _line(doc, b.annex_heading, 14, bold=True, align=CENTER, keep=True)
        _line(doc, b.annex_note, 13, italic=True, align=CENTER, keep=True)
        # one set of column widths for every level's table: the blocks line up
        tables = [t for block in b.annex for t in block.tables]
        fit = Table(tables[0].head, tuple(r for t in tables for r in t.rows), names=2)
        for block in b.annex:
            if block.title:  # 'II. Xã, phường, đặc khu (102)', set off by its space before,
                # kept with its table's header and first rows (_table)
                _line(doc, block.title, BODY, bold=True, align=LEFT, before=6, keep=True)
            for t in block.tables:
                _table(doc, t, width=ANNEX_WIDTH, fit=fit, after=t is tables[-1])
    return _fixed(doc, b.issued)


def _xml_safe(obj: _T) -> _T:
    """The report with every character XML cannot hold dropped from its text (`validate`
    warns of such a character in a name; the options refuse one)."""
    if isinstance(obj, str):
        return _NOT_XML.sub("", obj)  # type: ignore[return-value]
    if isinstance(obj, tuple | list):
        return type(obj)(_xml_safe(x) for x in obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(obj, **{
            f.name: _xml_safe(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init})
    return obj


def _page(doc: Doc, lang: Language) -> None:
    s = doc.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin = Mm(20), Mm(20)
    s.left_margin, s.right_margin = Mm(30), Mm(15)
    s.different_first_page_header_footer = True  # no number on page 1
    number = s.header.paragraphs[0]
    number.alignment = CENTER
    _field(number, "PAGE")
    _defaults(doc, lang)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)


def _defaults(doc: Doc, lang: Language) -> None:
    """The document's own defaults are the body's: Times New Roman 14, no space after, single
    lines, in its language — so a paragraph the clerk adds (which takes them, not a style's)
    looks like the rest instead of the template theme's Calibri 11 with 10 pt after, and
    Word's spelling checks Vietnamese as Vietnamese (the template says en-US: every word of
    the report was underlined as misspelt)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    language = rpr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        rpr.append(language)
    language.set(qn("w:val"), lang.locale.replace("_", "-"))  # vi-VN, en-US
    fonts = rpr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for k in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(k), FONT)
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is None:
            el = OxmlElement(tag)
            rpr.append(el)
        el.set(qn("w:val"), str(BODY * 2))  # half-points
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        spacing = OxmlElement("w:spacing")
        ppr.append(spacing)
    for k, v in (("w:after", "0"), ("w:line", "240"), ("w:lineRule", "auto")):
        spacing.set(qn(k), v)


def _header(doc: Doc, b: Bulletin) -> None:
    t = _two_columns(doc, Cm(6), Cm(10.5))
    left, right = t.rows[0].cells
    if b.parent_office:  # else ô 2 stands on the first line, level with the Quốc hiệu
        _cell_line(left, b.parent_office, 13, first=True)
    _cell_line(left, b.office, 13, bold=True, first=not b.parent_office)
    # under ô 2, a rule of 1/3 to 1/2 of the text's width (its longest line's)
    widest = max(text_width_cm(line, 13, bold=True) for line in b.office.split("\n"))
    _rule(left.add_paragraph(), min(0.45 * widest, 3.5), before=3)  # clear of the letters
    _cell_line(left, b.number, 13)
    _cell_line(right, b.motto[0], 12, bold=True, first=True)
    _cell_line(right, b.motto[1], 14, bold=True)
    # the rule under the Tiêu ngữ: as long as the line in Times New Roman, and 3 pt below
    # it so that it clears the descenders of its p's
    _rule(right.add_paragraph(), text_width_cm(b.motto[1], 14, bold=True), before=3)
    _cell_line(right, b.place_date, 14, italic=True)


def _foot(doc: Doc, b: Bulletin) -> None:
    """Nơi nhận beside the signature block, kept on the page of the last lines above it: a
    signature alone at the top of a page signs nothing the reader can see."""
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    doc.add_paragraph().paragraph_format.keep_with_next = True
    t = _two_columns(doc, Cm(8), Cm(8.5))
    t.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # one page: the title
    left, right = t.rows[0].cells  # and the name are never apart
    _cell_line(left, b.recipients_title, 12, bold=True, italic=True, first=True, align=LEFT)
    for r in b.recipients:
        _cell_line(left, r, 11, align=LEFT)
    for i, line in enumerate(b.signer_title):
        _cell_line(right, line, 14, bold=True, first=i == 0)
    for _ in range(4):  # room for the signature and the seal
        _cell_line(right, "", 14)
    _cell_line(right, b.signer, 14, bold=True)


def _line(doc: Doc, text: str, size: float, *, bold: bool = False, italic: bool = False,
          align: WD_ALIGN_PARAGRAPH = JUSTIFY, before: float = 0, keep: bool = False
          ) -> Paragraph:
    """A line of its own; `keep`: a heading, kept on the page of what follows it."""
    p = doc.add_paragraph()
    p.alignment = align
    p.paragraph_format.space_before = Pt(before)
    p.paragraph_format.keep_with_next = keep
    _run(p, text, size, bold, italic)
    return p


def _body(doc: Doc, text: str) -> None:
    p = doc.add_paragraph()
    p.alignment = JUSTIFY
    f = p.paragraph_format
    f.first_line_indent = Cm(1.27)
    f.space_after = Pt(6)
    f.line_spacing = 1.15
    _run(p, text, BODY)


def _table(doc: Doc, t: Table, width: float = TEXT_WIDTH, fit: Table | None = None,
           after: bool = True) -> None:
    """A grid table in the body's font, 2 pt smaller; the header row repeats on each page;
    a figure's cell never wraps (a rank stays on one line). Its unit, if any, above it on the
    right ('Đơn vị tính: điểm'), kept with it. `fit`: an annex's columns as wide as that
    table's need (the rows of every level's table, so that they line up). An annex's row is
    never split over two pages (a unit's name was: 'UBND xã Hòa' / 'Thuận'). `after`: an
    empty line after it (not between two blocks of the annex: it stood alone at the top of a
    page, above the next sub-heading)."""
    if t.unit:
        _line(doc, t.unit, 12, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT, keep=True)
    table = doc.add_table(rows=1 + len(t.rows), cols=len(t.head))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    if t.names == 2:  # an annex: a number, a wide name, then each column as wide as its
        # longest cell or header word, so that no figure or rank wraps
        src = fit or t
        rest = [_fits(src, j) for j in range(2, len(t.head))]
        widths = [_fits(src, 0), max(4.0, width - _fits(src, 0) - sum(rest)), *rest]
    else:  # the names' column, then the figures
        first = 5.5 if len(t.head) > 2 else 8.0
        widths = [first, *[(width - first) / (len(t.head) - 1)] * (len(t.head) - 1)]
    _widths(table, [Cm(w) for w in widths])
    _repeat_header(table.rows[0])
    for j, h in enumerate(t.head):
        _cell_line(table.rows[0].cells[j], h, 12, bold=True, first=True)
    for i, row in enumerate(t.rows, 1):
        bold = t.bold_last and i == len(t.rows)
        if t.names == 2:
            table.rows[i]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for j, value in enumerate(row):
            cell = table.rows[i].cells[j]
            if j >= t.names or (t.names == 2 and j == 0):
                _no_wrap(cell)
            _cell_line(cell, value, 12, bold=bold, first=True,
                       align=LEFT if j == t.names - 1 else CENTER)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if t.names == 2:
        _kept_together(table.rows[:KEPT_ROWS])
    if after:
        doc.add_paragraph()


def _kept_together(rows: Sequence[_Row]) -> None:
    """An annex's header and first rows on one page, with the block's heading: block II's
    heading, a five-line header and one row stood at a page's foot; a page break before every
    block left half a page empty instead."""
    for row in rows:
        for cell in row.cells:
            for para in cell.paragraphs:
                para.paragraph_format.keep_with_next = True


def _fits(t: Table, j: int) -> float:
    """The width (cm) column j needs: its longest cell on one line, and its header's longest
    word (bold), with the cell's margins."""
    cells = max(text_width_cm(row[j], 12) for row in t.rows) if t.rows else 0.0
    words = max(text_width_cm(word, 12, bold=True) for word in t.head[j].split())
    return max(cells, words) + 2 * CELL_MARGIN + 0.1


def _no_wrap(cell: _Cell) -> None:
    """Word's 'wrap text' off for a cell: its figure stays on one line."""
    cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))


def _repeat_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    trpr.append(el)


def _cell_line(cell: _Cell, text: str, size: float, *, bold: bool = False,
               italic: bool = False, first: bool = False, align: WD_ALIGN_PARAGRAPH = CENTER
               ) -> Paragraph:
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.alignment = align
    _run(p, text, size, bold, italic)
    return p


def _run(p: Paragraph, text: str, size: float, bold: bool = False, italic: bool = False
         ) -> None:
    """The text in runs; a '[…]' blank for the clerk highlighted, so none is missed."""
    for k, piece in enumerate(re.split(r"(\[[^\[\]]*\])", text)):
        if not piece and k:
            continue
        r = p.add_run(piece)
        r.font.name = FONT
        r.font.size = Pt(size)
        r.bold = bold
        r.italic = italic
        r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
        if k % 2:
            r.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _rule(p: Paragraph, width_cm: float, before: float = 0) -> None:
    """A solid rule of about `width_cm`, centred in its column: an empty line of its own with
    a top border, indented from both sides (the text above keeps its whole width)."""
    p.alignment = CENTER
    f = p.paragraph_format
    f.space_before, f.space_after = Pt(before), Pt(0)
    f.line_spacing = Pt(2)
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(k), v)
    border.append(top)
    ppr.append(border)
    _indent_to(p, width_cm)


def _indent_to(p: Paragraph, width_cm: float) -> None:
    """Indent both sides so that the rule is width_cm long in its column."""
    column = _column_width(p)
    side = max(0.0, (column - width_cm) / 2)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Cm(side)


def _column_width(p: Paragraph) -> float:
    """The width (cm) of the cell a paragraph is in, or of the page's text."""
    parent = p._parent
    if isinstance(parent, _Cell) and parent.width is not None:
        return float(parent.width.cm) - 2 * CELL_MARGIN
    return TEXT_WIDTH


def text_width_cm(text: str, size: float, bold: bool = False) -> float:
    """How wide a line is in Times New Roman, from the Times metrics reportlab ships (the
    same widths as Times New Roman's); a Vietnamese letter is as wide as its base letter."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    base = "".join(unicodedata.normalize("NFD", c.replace("Đ", "D").replace("đ", "d"))[0]
                   for c in text)
    return stringWidth(base, "Times-Bold" if bold else "Times-Roman", size) / 72 * 2.54


def _two_columns(doc: Doc, left: Length, right: Length) -> DocxTable:
    """A borderless two-column table of fixed widths (header and foot of Decree 30)."""
    t = doc.add_table(rows=1, cols=2)
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    _widths(t, [left, right])
    return t


def _widths(t: DocxTable, widths: list[Length]) -> None:
    """Every cell's width and the grid's: LibreOffice reads the grid, Word the cells."""
    for row in t.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = w
    for column, w in zip(t.columns, widths, strict=True):
        column.width = w


def _field(p: Paragraph, code: str) -> None:
    """A Word field (PAGE): the page number, computed by the reader."""
    run = p.add_run()
    run.font.name = FONT
    run.font.size = Pt(13)
    for tag, text in (("w:fldChar", "begin"), ("w:instrText", code), ("w:fldChar", "separate"),
                      ("w:t", "2"), ("w:fldChar", "end")):
        el = OxmlElement(tag)
        if tag == "w:fldChar":
            el.set(qn("w:fldCharType"), text)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _fixed(doc: Doc, day: dt.date) -> bytes:
    """Save with the document's dates and every zip entry's time fixed: reruns are identical."""
    when = dt.datetime(day.year, day.month, day.day)
    props = doc.core_properties
    props.created = props.modified = when
    props.last_modified_by = props.author = "scorecard"
    props.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename != "[Content_Types].xml"):
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
