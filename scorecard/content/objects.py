"""What each document says, as plain frozen objects: strings and figures already in the user's
language, nothing to compute, nothing of reportlab, python-docx, jinja2 or the input files.

The composers (page.py, summary.py, bulletin.py, mail.py) build them; a renderer (render/pdf.py,
render/summary.py, render/bulletin_docx.py, the mail's templates, a web page) only lays them out.
Every field is a str, a Decimal, a date, a bool, a Language or a tuple of those objects, so a
new renderer needs nothing else, and `dataclasses.asdict` gives the whole of what a document
says (manifest.fingerprint hashes it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ..language import Language


@dataclass(frozen=True)
class Figure:
    """One headline box: the value, what it is out of, and a line under it."""

    value: str
    of: str = ""
    sub: str = ""


@dataclass(frozen=True)
class Headline:
    labels: tuple[str, str, str, str]
    total: Figure
    band: tuple[str, str] | None  # the class's word and colour
    rank: Figure
    delta: Decimal | None
    delta_text: str
    delta_sub: str


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    missing: bool = False  # the group was not reported: its score cells say so, muted


@dataclass(frozen=True)
class Bar:
    """One group of the bar chart: unit and peer as % of the group's maximum."""

    label: str
    unit: Decimal | None
    unit_text: str
    peer: Decimal | None
    peer_text: str


@dataclass(frozen=True)
class Bars:
    title: str
    ticks: tuple[tuple[int, str], ...]  # (% of maximum, label)
    bars: tuple[Bar, ...]
    legend: tuple[str, str]
    not_reported: str


@dataclass(frozen=True)
class Band:
    """A class band the trend crosses: from `low` to `high` on the total's scale."""

    name: str
    low: Decimal
    high: Decimal
    color: str


@dataclass(frozen=True)
class Trend:
    title: str
    low: Decimal  # the scale runs from low to `top`
    top: Decimal
    ticks: tuple[tuple[Decimal, str], ...]
    bands: tuple[Band, ...]
    points: tuple[tuple[str, Decimal, str], ...]  # (period, total, total as printed)


@dataclass(frozen=True)
class Footer:
    """The source left, the issue date and 'page x/N' right; the data's date on the line
    below. `issued` is the only field that may change between two renders of the same
    figures."""

    left: str
    issued_word: str
    issued: str
    page_word: str
    signed: str = ""  # 'Ký bởi: …; Thời gian ký: …' on a signed PDF
    data: str = ""  # 'Số liệu tạm tính đến ngày 16/10/2025.'


@dataclass(frozen=True)
class UnitPage:
    lang: Language
    doc_title: str
    office: str
    title: str
    unit: str
    period_line: str
    headline: Headline
    head: tuple[str, ...]
    rows: tuple[Row, ...]  # the groups, the combined groups, then the total
    bars: Bars
    trend: Trend | None
    remarks_title: str
    narrative: str
    footer: Footer
    findings_title: str = ""
    findings: tuple[str, ...] = ()  # the most important findings, as lines
    dossier_title: str = ""
    dossiers: tuple[str, ...] = ()  # counts and rates against the targets, when given


@dataclass(frozen=True)
class SummaryRow:
    rank: str
    name: str
    scores: tuple[str, ...]
    total: str
    bar: Decimal | None  # the total as a share of the maximum (0..1)
    band_word: str
    band_color: str | None
    change: str
    highlight: bool = False  # the issuing office's own unit


@dataclass(frozen=True)
class WatchBlock:
    """For a province's office: one level's units to watch, and how the level moved."""

    title: str  # 'Xã, phường (102)'
    moves: str  # since the earlier period, or that there is none
    lead: str  # which units are listed, in what order
    head: tuple[str, ...]  # rank, unit, total, class, (change,) why
    rows: tuple[tuple[str, ...], ...]
    improvers: str = ""


@dataclass(frozen=True)
class Section:
    """One level of the summary: its units ranked, under the peer row."""

    title: str
    head: tuple[str, ...]  # rank, unit, then per group 'short\n(max)', total, '', class, change
    peer: tuple[str, ...]  # label, group averages, total average
    peer_bar: Decimal | None
    rows: tuple[SummaryRow, ...]
    note: str | None


@dataclass(frozen=True)
class SummaryPage:
    lang: Language
    doc_title: str
    office: str
    title: str
    period: str
    sections: tuple[Section, ...]
    groups: int  # how many group columns: the table's shape comes from the index
    footer: Footer
    watch_title: str = ""
    watch: tuple[WatchBlock, ...] = ()


@dataclass(frozen=True)
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    bold_last: bool = False
    names: int = 1  # leading columns of words (set left, wide); the figures follow
    unit: str = ""  # said above it, right-aligned: 'Đơn vị tính: điểm'


@dataclass(frozen=True)
class Part:
    """A numbered section (I, II, …): its title, paragraphs, and tables after them."""

    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Bulletin:
    parent_office: str  # ô 1, e.g. UBND TỈNH AN GIANG
    office: str  # ô 2, e.g. VĂN PHÒNG
    number: str  # ô 3, 'Số: …/BC-VP', blanks where only the clerk can fill in
    motto: tuple[str, str]  # Quốc hiệu, Tiêu ngữ
    place_date: str  # ô 4
    kind: str  # BÁO CÁO
    subject: str  # the trích yếu
    parts: tuple[Part, ...]
    recipients_title: str
    recipients: tuple[str, ...]
    signer_title: tuple[str, ...]  # ô 7's lines: 'KT. CHÁNH VĂN PHÒNG', 'PHÓ CHÁNH VĂN PHÒNG'
    signer: str  # the name, or '[Họ và tên]' for the clerk
    opening: str = ""  # 'Thực hiện Quyết định số 766/QĐ-TTg …, … báo cáo … như sau:'
    annex_title: str = ""  # 'Phụ lục'
    annex_heading: str = ""  # its title, in capitals
    annex_note: str = ""
    annex: tuple[Part, ...] = ()  # a block per level: its sub-heading (when two) and table
    lang: Language = Language.VI
    page_word: str = "Trang"
    issued: dt.date = field(default=dt.date(2000, 1, 1))


@dataclass(frozen=True)
class MailBody:
    """What the message that carries a unit's page says, from its manifest row alone (the
    mail job reads nothing else): the figures as the page prints them."""

    lang: Language
    unit: str  # the unit's name on one line
    period: str  # 'Tháng 10/2025'
    period_phrase: str  # inside a sentence: 'tháng 10/2025'
    total: str  # '91,52/100', or '' when the unit has no total
    rank: str  # '1/34', 'thứ 37 trong 117 cơ quan, đơn vị của tỉnh (theo Cổng DVCQG)', or ''
    klass: str  # the class in this language, or ''
    file: str  # the attachment's name
    update: bool  # the recipient had an earlier version: this one replaces it
    addressee: str = ""  # as a letter names it: 'tỉnh An Giang', 'Sở Tài chính tỉnh An Giang'
    office: str = ""  # who sends it, as a sentence's subject: 'Văn phòng UBND tỉnh An Giang'
    data_date: str = ""  # the figures' date as the page prints it ('16/10/2025'), or ''
    provisional: bool = False  # that date is before the period's last day: 'tạm tính'
    contact: str = ""  # whom to ask: 'Phòng Kiểm soát TTHC, ĐT: 0296 3852 123', or ''
    greeting: str = ""  # whom 'Kính gửi' addresses: 'UBND tỉnh Bắc Ninh', 'Sở Tài chính …'
    # in an English sentence: a department or commune as its page's title names it ('UBND xã
    # An Minh, tỉnh An Giang', 'Sở Tài chính tỉnh An Giang'), a province by its name ('An Giang')
    name: str = ""
