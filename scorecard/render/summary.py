"""summary.pdf: every unit ranked, level by level, laid out from content.objects.SummaryPage.

The table's columns follow the index: rank, unit, one per group, total, class, change (when
an earlier period was given) — so a 5- or 7-group index draws right.
"""

from __future__ import annotations

import re
from functools import partial

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer

from ..content.objects import Section, SummaryPage, SummaryRow, WatchBlock
from ..language import Language, language
from .charts import on
from .common import INK, MARGIN, RULE, ZEBRA, Deferred, Pdf, build_pdf, nfc, styles, table, text
from .fonts import BOLD, ITALIC, REGULAR

WIDTH = landscape(A4)[0] - 2 * MARGIN
CHUNK = 200
CLASS, CHANGE = 20 * mm, 20 * mm
FIGURE = re.compile(r"[+\u2212-]?\d[\d.,]*")  # a score, a total or a change as printed
HIGHLIGHT = colors.HexColor("#fdf1c7")
NAME = 54 * mm
RANK = 24 * mm  # wide enough for its header to say whose rank it is: "(national portal)"


def summary_pdf(page: SummaryPage) -> Pdf:
    """All units of the run, one ranked table per level; the header row repeats on each page."""
    st = styles()
    story: list[Flowable] = [
        *([Paragraph(text(page.office), st["office"])] if page.office else []),
        Paragraph(text(page.title), st["title"]),
        Paragraph(text(page.period), st["period"]),
    ]
    if page.watch:
        story.append(Paragraph(text(page.watch_title), st["h2"]))
        for block in page.watch:
            story += _watch(block)
    for section in page.sections:
        story.append(Paragraph(text(section.title), st["h2"]))
        story.extend(_level_tables(section, page.groups, page.lang))
        if section.note:
            story.append(Paragraph(text(section.note), st["note"]))
    return build_pdf(story, page.footer, page.doc_title, page.lang, pagesize=landscape(A4))


def _watch(block: WatchBlock) -> list[Flowable]:
    """One level's units to watch: how the level moved (or that there is no earlier period),
    which units are listed, then a table — rank, unit, total, class, change (when there is
    one), why it is listed — and the notable improvers. The ranked tables follow on the same
    page: the list is short, the page is not left two-thirds empty."""
    st = styles()
    out: list[Flowable] = [Paragraph(f"<b>{text(block.title)}</b>", st["finding"]),
                           Paragraph(f"{text(block.moves)} {text(block.lead)}", st["finding"])]
    why = len(block.head) - 1
    head = [Paragraph(text(h), st["head_r" if i in (0, 2) else "head"])
            for i, h in enumerate(block.head)]
    rows = [[r[0], Paragraph(text(r[1]), st["cell_small"]), *r[2:why],
             Paragraph(text(r[why]), st["cell_small"])] for r in block.rows]
    fixed = [16 * mm, NAME + 6 * mm, 16 * mm, CLASS, *([CHANGE] * (why - 4))]
    widths = [*fixed, WIDTH - sum(fixed)]
    style: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, 7.5), ("FONT", (2, 1), (2, -1), BOLD, 7.5),
        ("ALIGN", (0, 1), (0, -1), "RIGHT"), ("ALIGN", (2, 1), (2, -1), "RIGHT"),
        ("ALIGN", (4, 1), (why - 1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 1), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 1), (-1, -1), 1.5)]
    style += [("BACKGROUND", (0, i), (-1, i), ZEBRA) for i in range(2, len(rows) + 1, 2)]
    out.append(table([head, *rows], widths, style, repeatRows=1, hAlign="LEFT"))
    if block.improvers:
        out += [Spacer(0, 1.5 * mm), Paragraph(text(block.improvers), st["finding"])]
    out.append(Spacer(0, 3 * mm))
    return out


def _level_tables(section: Section, groups: int, lang: Language) -> list[Flowable]:
    """One table per CHUNK rows, each with the header: reportlab splits a long table page by
    page at a cost that grows with its length, and keeps it all in memory meanwhile.

    The figures are right-aligned and padded to two decimals with figure spaces, so that the
    decimal commas line up; the totals carry no bar (at 73–93 points of 100 every bar looked
    alike); the change column is left out when no unit has one (no earlier period given)."""
    st = styles()
    total, band = 2 + groups, 3 + groups  # the columns that depend on the index
    changes = any(r.change for r in section.rows)
    head = [h for i, h in enumerate(section.head) if i != total + 1][:None if changes else -1]
    header = [Paragraph(text(h).replace("\n", "<br/>"),
                        st["head" if i == 1 else "head_c" if i == band else "head_r"])
              for i, h in enumerate(head)]
    label, *figures = section.peer
    peer_row: list[object] = [
        "", Paragraph(f"<i>{text(label)}</i>", st["cell"]), *(aligned(f, lang) for f in figures),
        "", *([""] if changes else [])]
    fixed = RANK + NAME + 16 * mm + CLASS + (CHANGE if changes else 0)
    g_w = (WIDTH - fixed) / groups
    widths = [RANK, NAME, *[g_w] * groups, 16 * mm, CLASS, *([CHANGE] if changes else [])]

    def chunk(start: int) -> Flowable:
        part = section.rows[start:start + CHUNK]
        lead = [peer_row] if start == 0 else []
        rows = [header, *lead, *(_unit_row(r, lang, changes) for r in part)]
        style = _base_style(bool(lead), total)
        for i, r in enumerate(part, start=1 + len(lead)):
            if r.band_color is not None:
                fill = colors.HexColor(r.band_color)
                style += [("BACKGROUND", (band, i), (band, i), fill),
                          ("TEXTCOLOR", (band, i), (band, i), on(fill))]
            if r.highlight:  # the issuing office's own unit: bold in a frame, which survives
                # grey-scale printing where a pale fill turns white
                style += [("BACKGROUND", (0, i), (total, i), HIGHLIGHT),
                          ("FONT", (0, i), (band - 1, i), BOLD, 7.5),
                          ("BOX", (0, i), (-1, i), 1.2, INK)]
            elif (start + i) % 2:
                style.append(("BACKGROUND", (0, i), (total, i), ZEBRA))
        return table(rows, widths, style, repeatRows=1)

    # each made when the layout reaches it (common.Deferred): a 3,872-row level held every
    # cell's objects at once
    tables: list[Flowable] = [Deferred(partial(chunk, start))
                              for start in range(0, len(section.rows), CHUNK)]
    return tables


def aligned(figure: str, lang: Language) -> str:
    """A figure padded on the right to two decimals with figure spaces (and a punctuation
    space for a missing comma), so that right-aligned figures line up on their commas:
    '92,9' -> '92,9\u2007', '93' -> '93\u2008\u2007\u2007'. Words are left as they are."""
    if not FIGURE.fullmatch(figure):
        return figure
    _, sep, decimals = figure.partition(language(lang).decimal)
    return figure + ("" if sep else "\u2008") + "\u2007" * (2 - len(decimals))


def _unit_row(r: SummaryRow, lang: Language, changes: bool) -> list[object]:
    name = nfc(r.name)
    cell: object = name if stringWidth(name, REGULAR, 7.5) < NAME - 6 else Paragraph(
        text(name), styles()["cell_small"])
    change: object = aligned(r.change, lang) if stringWidth(
        nfc(r.change), REGULAR, 7.5) < CHANGE - 6 else (
        Paragraph(text(r.change), styles()["cell_small_r"]))
    return [r.rank, cell, *(aligned(s, lang) for s in r.scores), aligned(r.total, lang),
            nfc(r.band_word), *([change] if changes else [])]


def _base_style(peer_row: bool, total: int) -> list[tuple[object, ...]]:
    first = 2 if peer_row else 1
    style: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, 0), BOLD, 7.5),
        ("FONT", (0, first), (-1, -1), REGULAR, 7.5),
        ("FONT", (total, first), (total, -1), BOLD, 7.5),
        ("ALIGN", (2, 1), (total, -1), "RIGHT"),
        ("ALIGN", (0, 1), (0, -1), "RIGHT"),
        ("ALIGN", (-1, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (total + 1, 1), (total + 1, -1), "CENTER"),  # the class, under its header
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("TOPPADDING", (0, 1), (-1, -1), 0.8),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 1.2),
    ]
    if peer_row:
        style += [("FONT", (0, 1), (-1, 1), ITALIC, 7.5), ("LINEBELOW", (0, 1), (-1, 1), 0.5, RULE)]
    return style
