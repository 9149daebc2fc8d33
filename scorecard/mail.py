"""Recipients and messages (pure): who gets which scorecard, and the e-mail that carries it.

Every address is parsed and checked when the recipients file is read, so that a bad one
stops the run before the first message, never half-way through a month.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import Policy
from email.utils import format_datetime, getaddresses
from pathlib import Path

from .errors import ValidationError
from .index import load_index
from .language import LANGS, Language, language
from .layout import Table, plain_table
from .loaders import read_book
from .manifest import ManifestRow
from .messages import Msg, msg, problem
from .model import Index, Level
from .narrative import render_template
from .units import Finder, display_name, fold, nfc, normalize_code, slug

_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_RECIPIENT_COLUMNS = ("code", "macoquan", "madonvi", "name", "ten", "tendonvi", "to", "cc",
                      "lang")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Python's folder (3.11–3.13) can break a long non-ASCII header between two encoded words
# with the space outside them, and every reader then joins the words ('BanQuản lý': one
# subject in six, one display name in five): the subject is encoded as a whole (SubjectHeader)
# and the other headers are written unfolded, within RFC 5322's 998
_UNFOLDED = policy.default.clone(max_line_length=998)


class SubjectHeader(str):
    """The Subject as RFC 2047 asks: encoded words of at most 75 characters with the spaces
    inside them, on lines of at most 78 (the email package's header protocol: a value with a
    `name` is stored as is and folds itself)."""

    name = "Subject"

    def fold(self, *, policy: Policy) -> str:
        from email.header import Header

        text = Header(str(self), "utf-8", maxlinelen=76, header_name=self.name).encode(
            linesep=policy.linesep)
        return f"{self.name}: {text}{policy.linesep}"


@dataclass(frozen=True)
class Mailbox:
    """An address as it will go on the wire: the domain in ASCII (IDN as punycode); the
    local part ASCII unless `utf8` (then only to a server that offers SMTPUTF8)."""

    addr: str
    display: str = ""
    utf8: bool = False

    def header(self) -> Address:
        local, _, domain = self.addr.rpartition("@")
        return Address(display_name=self.display, username=local, domain=domain)


@dataclass(frozen=True)
class Recipient:
    """One row of the recipients file: a unit and its addresses."""

    row: int
    code: str
    name: str
    to: tuple[Mailbox, ...]
    cc: tuple[Mailbox, ...]
    lang: Language | None
    where: Msg | None = None  # the row, for an address the server cannot take


@dataclass(frozen=True)
class Delivery:
    """One unit's scorecard for the recipients who read one language."""

    unit: ManifestRow
    lang: Language
    to: tuple[Mailbox, ...]
    cc: tuple[Mailbox, ...]

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.addr for m in (*self.to, *self.cc)))


def read_recipients(path: str | Path) -> list[Recipient]:
    """Read and check the recipients CSV/XLSX; every problem is listed before anything is sent."""
    table = plain_table(read_book(path))
    src = table.source
    code_col, name_col, to_col, cc_col, lang_col = _columns(table)
    problems: list[Msg] = []
    out: list[Recipient] = []
    columns = list(table.columns)
    for i, values in enumerate(table.cells):
        row = table.rows[i]

        def get(col: str | None, _values: list[object] = values) -> str:
            return "" if col is None else str(_values[columns.index(col)])

        code = normalize_code(get(code_col)) if get(code_col).strip() else ""
        name = nfc(get(name_col))
        if not code and not name and not get(to_col).strip():
            continue

        def at(col: str | None, _row: int = row) -> Msg:
            return msg("at_cell", file=src, row=_row, column=col)

        to = parse_addresses(get(to_col), at(to_col), problems)
        cc = parse_addresses(get(cc_col), at(cc_col), problems)
        if not get(to_col).strip():
            problems.append(problem(at(to_col), msg("no_address")))
        said = get(lang_col).strip().lower() or None
        lang = language(said) if said in LANGS else None
        if said is not None and lang is None:
            problems.append(problem(at(lang_col), msg("bad_lang", value=said, langs=LANGS)))
        if not code and not name:
            problems.append(problem(msg("at_row", file=src, row=row), msg("row_no_unit")))
        out.append(Recipient(row, code, name, tuple(to), tuple(cc), lang,
                             msg("at_row", file=src, row=row)))
    if problems:
        raise ValidationError(problems)
    return out


def _columns(table: Table) -> tuple[str | None, ...]:
    """The code, name, to, cc and lang columns; a column read by nobody (`bcc`, `to2`) is
    refused, since ignoring it would silently drop its addresses."""
    src = table.source
    cols = {re.sub(r"[^a-z0-9]", "", fold(c)): c for c in table.columns}
    code_col = cols.get("code") or cols.get("macoquan") or cols.get("madonvi")
    name_col = cols.get("name") or cols.get("ten") or cols.get("tendonvi")
    if not (code_col or name_col) or not cols.get("to"):
        raise ValidationError([msg("recipients_header", file=src,
                                   found=", ".join(map(str, table.columns)))])
    unknown = [c for key, c in cols.items() if key and key not in _RECIPIENT_COLUMNS]
    if unknown:
        raise ValidationError([problem(msg("at_header", file=src, row=table.header_row),
                                       msg("recipients_unknown", columns=unknown))])
    return code_col, name_col, cols.get("to"), cols.get("cc"), cols.get("lang")


def parse_addresses(cell: str, where: Msg, problems: list[Msg]) -> list[Mailbox]:
    """An RFC 5322 address list (`;` or `,` between addresses; a quoted display name may hold
    commas). Anything that could be read two ways is refused, never guessed: a display name
    holding an address, a line break, a stray quote or bracket."""
    if _CONTROL.search(cell):
        key = "line_break" if "\r" in cell or "\n" in cell else "control_character"
        problems.append(problem(where, msg(key)))
        return []
    found = []
    for part in _split(cell):
        box = _mailbox(part)
        if box is None:
            problems.append(problem(where, msg("bad_address", value=part)))
        else:
            found.append(box)
    return found


def _split(cell: str) -> list[str]:
    """Split on , and ; outside quotes and angle brackets; an unbalanced one keeps the rest
    together, so that it is refused whole."""
    parts, current, quoted, angle, escaped = [], "", False, False, False
    for ch in cell:
        if escaped:
            escaped = False
        elif ch == "\\" and quoted:
            escaped = True
        elif ch == '"' and not angle:
            quoted = not quoted
        elif ch == "<" and not quoted:
            angle = True
        elif ch == ">" and not quoted:
            angle = False
        elif ch in ",;" and not quoted and not angle:
            parts.append(current)
            current = ""
            continue
        current += ch
    parts.append(current)
    return [p.strip() for p in parts if p.strip()]


def _mailbox(part: str) -> Mailbox | None:
    """One address, or None when it is malformed or ambiguous."""
    pairs = getaddresses([part])
    if len(pairs) != 1:
        return None
    display, addr = pairs[0]
    if addr != addr.strip() or addr.count("@") != 1 or "@" in display or "<" in display:
        return None
    if "<" in part and not part.endswith(">"):
        return None
    if "<" not in part and (display or part != addr):
        return None
    local, _, domain = addr.rpartition("@")
    ascii_domain = _ascii_domain(domain)
    utf8 = not local.isascii()
    if ascii_domain is None or not local or len(local) > 64 or ".." in local or (
            local.startswith(".") or local.endswith(".")):
        return None
    if not utf8 and not _LOCAL.fullmatch(local):
        return None
    if utf8 and any(c.isspace() or c in '<>()[]\\,;:@"' for c in local):
        return None
    box = Mailbox(f"{local}@{ascii_domain}", " ".join(display.split()), utf8)
    try:
        box.header()  # the email package's own checks, now rather than at unit 28
    except (ValueError, TypeError, IndexError):
        return None
    return box


def _ascii_domain(domain: str) -> str | None:
    """`bắcninh.vn` -> `xn--bcninh-xxx.vn` (IDNA); None if it is not a domain."""
    try:
        ascii_form = domain.encode("idna").decode("ascii").lower()
    except (UnicodeError, ValueError):
        return None
    labels = ascii_form.split(".")
    if len(labels) < 2 or len(ascii_form) > 253 or not all(_LABEL.fullmatch(x) for x in labels):
        return None
    return ascii_form


def unit_name(row: ManifestRow) -> str:
    """A manifest's unit as a note names it, as its page does ('UBND xã Nhơn Hội, tỉnh An
    Giang', not the portal's 'UBND Xã Nhơn Hội - tỉnh An Giang')."""
    return display_name(row.code, row.name, Level.parse(row.level) if row.level else None)


def plan(units: Sequence[ManifestRow], recipients: Sequence[Recipient], default_lang: Language,
         only: Sequence[ManifestRow] | None = None) -> tuple[list[Delivery], list[Msg]]:
    """Pair each unit with its recipients, grouped by language; also say what did not pair.

    Rows are matched against every unit of the manifest, indexed once; deliveries are made
    for `only` (default: all), so that choosing some units does not report the others'.
    """
    notes: list[Msg] = []
    finder = Finder(units, lambda u: (u.code, u.name), unit_name)
    by_unit: dict[str, list[Recipient]] = {u.file: [] for u in units}
    for r in recipients:
        try:  # a code or a name, in either column, matched as units are everywhere
            hits = finder.find(r.code or r.name)
        except LookupError as e:
            notes.append(msg("recipients_unmatched", row=r.row, why=e.args[0]))
            continue
        for u in hits:
            by_unit[u.file].append(r)
    deliveries = []
    for u in units if only is None else only:
        rows = by_unit[u.file]
        if not rows:
            notes.append(msg("no_recipients", code=u.code, name=unit_name(u)))
        langs = dict.fromkeys(r.lang or default_lang for r in rows)
        for lang in langs:
            mine = [r for r in rows if (r.lang or default_lang) == lang]
            to = _unique(m for r in mine for m in r.to)
            seen = {m.addr for m in to}
            cc = _unique(m for r in mine for m in r.cc if m.addr not in seen)
            deliveries.append(Delivery(u, lang, to, cc))
    return deliveries, notes


def _unique(boxes: Iterable[Mailbox]) -> tuple[Mailbox, ...]:
    """Each address once: `addr` has its domain in lower case and its local part as written
    (RFC 5321: only the receiving server may fold it), the same key the ledger uses."""
    out: dict[str, Mailbox] = {}
    for m in boxes:
        out.setdefault(m.addr, m)
    return tuple(out.values())


def message_id(unit: ManifestRow, lang: Language, sender: str) -> str:
    """Deterministic per (month, unit, content, language): a repeat is the same message."""
    domain = sender.rpartition("@")[2] or "scorecard.invalid"
    code = re.sub(r"[^A-Za-z0-9.]", "", unit.code) or slug(unit.name)
    return f"<scorecard.{unit.month}.{code}.{lang}.{unit.content_sha256[:20]}@{domain}>"


def build_message(d: Delivery, pdf: bytes, sender: str, templates: str | Path | None = None,
                  office: str = "", update: bool = False, now: dt.datetime | None = None,
                  index: Index | None = None, data_date: dt.date | None = None,
                  contact: str = "", office_en: str = "",
                  contact_en: str = "") -> EmailMessage:
    """The e-mail for one delivery: subject and body from templates, the PDF attached.

    Args:
        office: the sender's display name (the issuing office), who signs the body.
        office_en: the office's English name, for both in an English message (as render's
            --office-en on an English page); `office` when not given.
        update: the recipient already has an earlier version: the body says this one
            replaces it.
        index: the index the manifest was rendered with (its bands name the class).
        data_date: the figures' date, said in the body ('tạm tính' before the period's end).
        contact: whom to ask, said in the body; `contact_en` instead in an English message
            when given.
    """
    from .content.mail import mail_body

    u = d.unit
    if d.lang == Language.EN:
        office, contact = office_en or office, contact_en or contact
    m = mail_body(u, d.lang, index or load_index(), update, office=office, data_date=data_date,
                  contact=contact)
    subject = " ".join(render_template(f"mail_subject.{d.lang}.j2", templates, m=m)
                       .unescape().split())
    body = render_template(f"mail_body.{d.lang}.j2", templates, m=m).unescape()
    message = EmailMessage()
    message["Subject"] = SubjectHeader(subject)
    local, _, domain = sender.rpartition("@")
    message["From"] = Address(display_name=" ".join(office.split()), username=local,
                              domain=domain)
    message["To"] = [m.header() for m in d.to]
    if d.cc:
        message["Cc"] = [m.header() for m in d.cc]
    message["Date"] = format_datetime(now or dt.datetime.now(dt.UTC))
    message["Message-ID"] = message_id(u, d.lang, sender)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to this
    message["X-Scorecard-Content"] = u.content_sha256
    message.set_content(body.strip() + "\n")
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=u.file)
    # RFC 3282, on the whole message (set_content and add_attachment rewrite Content-* headers)
    message["Content-Language"] = str(d.lang)
    # the body and the attachment are encoded by now; the headers are written unfolded (under
    # RFC 5322's 998): Python folds a long Vietnamese subject between two encoded words, and
    # a reader then joins them without their space ('BanQuản lý', one subject in six)
    message.policy = _UNFOLDED
    return message
