"""Recipients and messages (pure): who gets which PDF, and the e-mail that carries it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from .batch import ManifestRow
from .errors import ValidationError
from .formatting import LANGS, Fmt
from .index import load_index
from .layout import plain_table
from .loaders import read_book
from .messages import Msg, msg, problem
from .narrative import render_template
from .period import Period
from .units import fold, nfc, normalize_code, select, slug

_ADDRESS = re.compile(r"[^@\s<>()\[\],;:\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")


@dataclass(frozen=True)
class Recipient:
    """One row of the recipients file: a unit and its addresses."""

    row: int
    code: str
    name: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    lang: str | None


@dataclass(frozen=True)
class Delivery:
    """One unit's PDF for the recipients who read one language."""

    unit: ManifestRow
    lang: str
    to: tuple[str, ...]
    cc: tuple[str, ...]

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.to, *self.cc)))


def read_recipients(path: str | Path) -> list[Recipient]:
    """Read and check the recipients CSV/XLSX; every problem is listed before anything is sent."""
    table = plain_table(read_book(path))
    frame, src = table.frame, table.source
    cols = {re.sub(r"[^a-z]", "", fold(c)): c for c in frame.columns}
    code_col = cols.get("code") or cols.get("macoquan") or cols.get("madonvi")
    name_col = cols.get("name") or cols.get("ten") or cols.get("tendonvi")
    to_col, cc_col, lang_col = cols.get("to"), cols.get("cc"), cols.get("lang")
    if not (code_col or name_col) or not to_col:
        raise ValidationError([msg("recipients_header", file=src,
                                   found=", ".join(map(str, frame.columns)))])
    problems: list[Msg] = []
    out: list[Recipient] = []
    for i in range(len(frame)):
        row = table.rows[i]

        def get(col: str | None, _i: int = i) -> str:
            return "" if col is None else str(frame.at[frame.index[_i], col])

        code, name = normalize_code(get(code_col)) if get(code_col).strip() else "", nfc(
            get(name_col))
        if not code and not name and not get(to_col).strip():
            continue
        def at(col: str | None, _row: int = row) -> Msg:
            return msg("at_cell", file=src, row=_row, column=col)

        to = _addresses(get(to_col), at(to_col), problems)
        cc = _addresses(get(cc_col), at(cc_col), problems)
        if not get(to_col).strip():
            problems.append(problem(at(to_col), msg("no_address")))
        lang = get(lang_col).strip().lower() or None
        if lang is not None and lang not in LANGS:
            problems.append(problem(at(lang_col), msg("bad_lang", value=lang, langs=LANGS)))
        if not code and not name:
            problems.append(problem(msg("at_row", file=src, row=row), msg("row_no_unit")))
        out.append(Recipient(row, code, name, tuple(to), tuple(cc), lang))
    if problems:
        raise ValidationError(problems)
    return out


def _addresses(cell: str, where: Msg, problems: list[Msg]) -> list[str]:
    if "\r" in cell or "\n" in cell:
        problems.append(problem(where, msg("line_break")))
        return []
    found = []
    for part in (p.strip() for p in re.split(r"[;,]", cell)):
        if not part:
            continue
        _, addr = parseaddr(part)
        if not _ADDRESS.fullmatch(addr or ""):
            problems.append(problem(where, msg("bad_address", value=part)))
            continue
        found.append(addr)
    return found


def plan(units: Sequence[ManifestRow], recipients: Sequence[Recipient], default_lang: str,
         only: Sequence[ManifestRow] | None = None) -> tuple[list[Delivery], list[Msg]]:
    """Pair each unit with its recipients, grouped by language; also say what did not pair.

    Rows are matched against every unit of the manifest; deliveries are made for `only`
    (default: all), so that choosing some units does not report the others' recipients.
    """
    notes: list[Msg] = []
    by_unit: dict[str, list[Recipient]] = {u.file: [] for u in units}
    for r in recipients:
        try:  # a code or a name, in either column, matched as units are everywhere
            hits = select(list(units), (r.code or r.name,), lambda u: (u.code, u.name))
        except LookupError as e:
            notes.append(msg("recipients_unmatched", row=r.row, why=e.args[0]))
            continue
        for u in hits:
            by_unit[u.file].append(r)
    deliveries = []
    for u in units if only is None else only:
        rows = by_unit[u.file]
        if not rows:
            notes.append(msg("no_recipients", code=u.code, name=u.name))
        langs = dict.fromkeys(r.lang or default_lang for r in rows)
        for lang in langs:
            mine = [r for r in rows if (r.lang or default_lang) == lang]
            to = tuple(dict.fromkeys(a for r in mine for a in r.to))
            cc = tuple(dict.fromkeys(a for r in mine for a in r.cc if a not in to))
            deliveries.append(Delivery(u, lang, to, cc))
    return deliveries, notes


def message_id(unit: ManifestRow, lang: str, sender: str) -> str:
    """Deterministic per (month, unit, PDF hash, language): a resend is the same message."""
    domain = sender.rpartition("@")[2] or "scorecard.invalid"
    code = re.sub(r"[^A-Za-z0-9.]", "", unit.code) or slug(unit.name)
    return f"<scorecard.{unit.month}.{code}.{lang}.{unit.sha256[:20]}@{domain}>"


def build_message(d: Delivery, pdf: bytes, sender: str, templates: str | Path | None = None
                  ) -> EmailMessage:
    """The e-mail for one delivery: subject and body from templates, the PDF attached."""
    u = d.unit
    bands = {b.vi: b.name(d.lang) for b in load_index().bands}  # the manifest says it in vi
    context = {"unit": u, "period": Period.parse(u.month), "lang": d.lang, "f": Fmt(d.lang),
               "total": Decimal(u.total) if u.total else None,
               "klass": bands.get(u.klass, u.klass)}
    subject = " ".join(render_template(f"mail_subject.{d.lang}.j2", templates, **context)
                       .unescape().split())
    body = render_template(f"mail_body.{d.lang}.j2", templates, **context).unescape()
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = Address(addr_spec=sender)
    msg["To"] = [Address(addr_spec=a) for a in d.to]
    if d.cc:
        msg["Cc"] = [Address(addr_spec=a) for a in d.cc]
    msg["Message-ID"] = message_id(u, d.lang, sender)
    msg["X-Scorecard-SHA256"] = u.sha256
    msg.set_content(body.strip() + "\n")
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=u.file)
    return msg
