"""The SMTP edge: send each delivery to the recipients the ledger says still need it.

At least once, never lost: a message is recorded `sending` before it goes, `sent` after the
server's 250. When the body went out but no final reply came (a dropped line, a stall), the
server may have it: that is `unknown`, listed, and sent again only with --resend-unknown.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import os
import re
import smtplib
import ssl
import stat
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.base64mime import body_encode
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from .errors import MailError, ScorecardError, ValidationError
from .files import write_atomic
from .index import load_index
from .language import Language
from .ledger import (
    DEFERRED,
    FAILED,
    HARD_BOUNCES,
    SENDING,
    SENT,
    STATUSES,
    UNKNOWN,
    Entry,
    Ledger,
)
from .mail import Delivery, Recipient, build_message, plan, read_recipients, unit_name
from .manifest import KINDS, SCOPES, ManifestRow, read_manifest
from .messages import Msg, msg, problem
from .model import Index, Level
from .period import Period
from .units import select, slug

LEDGER = "mail-ledger.sqlite"
_UNKNOWN_BEFORE = "the message went out but the server's final reply never came ("
_BARE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.(pdf|docx)")


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the server; the password only ever comes from the environment."""

    host: str = "localhost"
    port: int | None = None  # default: 465 with ssl, else 25
    security: str = "none"  # "none" | "starttls" | "ssl"
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never printed
    timeout: float = 30.0  # connecting and each command
    final_timeout: float = 600.0  # the reply after the body (RFC 5321 4.5.3.2.6: 10 minutes)
    retries: int = 3  # further attempts after a 4xx, a timeout or a dropped connection
    backoff: float = 2.0  # seconds before the first retry; doubles each time
    cafile: str | None = None
    allow_plain_auth: bool = False
    max_connection_failures: int = 3  # in a row, then the run stops (exit 4)


@dataclass(frozen=True)
class MailOptions:
    """What one run is asked to do."""

    sender: str
    office: str = ""
    lang: Language = Language.VI
    units: tuple[str, ...] = ()
    ledger_path: Path | None = None
    resend: bool = False
    resend_unknown: bool = False
    retry_refused: bool = False
    dry_run: Path | None = None
    templates: str | None = None
    index_file: str | None = None  # the index the month was rendered with (its class names)
    data_date: dt.date | None = None  # the figures' date, as the render was given it
    contact: str = ""  # whom a recipient can ask, said in every body
    office_en: str = ""  # the office's English name: English messages' sender and signature
    contact_en: str = ""  # whom to ask, in English: said in English messages


@dataclass(frozen=True)
class Outcome:
    unit: ManifestRow
    recipient: str
    # "sent" (now), "already" (earlier), "failed", "deferred", "unknown", "refused" (a hard
    # bounce not retried), "written" (dry run)
    status: str
    reply: Msg | str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)
    stopped: Msg | None = None  # the server could not be used: the run stopped (exit 4)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def of(self, *statuses: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.status in statuses]

    @property
    def failed(self) -> list[Outcome]:
        """Every recipient who does not have the current scorecard after this run."""
        return self.of("failed", "deferred", "unknown", "refused")


class ServerDown(Exception):
    "The server could not be used several times in a row"


class _SMTP(smtplib.SMTP):
    """smtplib with what a trustworthy run needs: the final reply to DATA kept, a long wait
    for it, a flag saying whether the body went out, and UTF-8 credentials."""

    final_timeout = 600.0
    body_sent = False
    last_reply: tuple[int, bytes] = (0, b"")

    def data(self, msg: Any) -> tuple[int, bytes]:
        self.body_sent = False
        self.putcmd("data")
        code, repl = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, repl)
        q = re.sub(rb"(?m)^\.", b"..", msg)
        if q[-2:] != b"\r\n":
            q += b"\r\n"
        self.send(q + b".\r\n")
        self.body_sent = True  # from here a silence means "the server may have it"
        if self.sock is not None:
            self.sock.settimeout(self.final_timeout)
        self.last_reply = self.getreply()
        if self.sock is not None:
            self.sock.settimeout(self.timeout)
        return self.last_reply

    def auth(self, mechanism: str, authobject: Callable[..., str], *,
             initial_response_ok: bool = True) -> tuple[int, bytes]:
        """As smtplib's, but a password is UTF-8 (RFC 4616), not ASCII only.

        smtplib's own auth_login answers the user name or the password by the count of
        challenges its own auth keeps: this one keeps it too, or LOGIN sends the name twice.
        """
        first = authobject() if initial_response_ok else None
        if first is not None:
            code, resp = self.docmd("AUTH", f"{mechanism.upper()} {_b64(first)}")
            self._auth_challenge_count = 1
        else:
            code, resp = self.docmd("AUTH", mechanism.upper())
            self._auth_challenge_count = 0
        for _ in range(5):
            if code != 334:
                break
            self._auth_challenge_count += 1
            code, resp = self.docmd(_b64(authobject(base64.decodebytes(resp))))
        if code in (235, 503):
            return code, resp
        raise smtplib.SMTPAuthenticationError(code, resp)

    def auth_cram_md5(self, challenge: bytes | None = None) -> str | None:  # type: ignore[override]
        """As smtplib's, with the password as UTF-8 (smtplib's takes ASCII only)."""
        if challenge is None:
            return None
        digest = hmac.HMAC((self.password or "").encode("utf-8"), challenge, "md5").hexdigest()
        return f"{self.user} {digest}"


class _SMTPS(_SMTP, smtplib.SMTP_SSL):
    pass


def _b64(s: str) -> str:
    return body_encode(s.encode("utf-8"), eol="")


class Connection:
    """One SMTP session, opened on first use and reopened after a drop or an error reply;
    counts connection failures in a row (refused, TLS, login) to stop a hopeless run."""

    def __init__(self, settings: SmtpSettings):
        self.s = settings
        self.smtp: _SMTP | None = None
        self.failures = 0

    def get(self) -> _SMTP:
        if self.smtp is None:
            try:
                self.smtp = self._open()
            except (OSError, smtplib.SMTPException, UnicodeError) as e:
                self.failures += 1
                why: Msg | str = _why(e)
                if isinstance(e, smtplib.SMTPAuthenticationError):  # retrying cannot help
                    self.failures = self.s.max_connection_failures
                    why = msg("login_refused", user=self.s.user, code=e.smtp_code)
                if self.failures >= self.s.max_connection_failures:
                    raise ServerDown(msg("server_down", host=self.s.host, n=self.failures,
                                         why=why)) from e
                raise
        return self.smtp

    def _open(self) -> _SMTP:
        s = self.s
        context = ssl.create_default_context(cafile=s.cafile)
        smtp: _SMTP
        if s.security == "ssl":
            smtp = _SMTPS(s.host, s.port or 465, timeout=s.timeout, context=context)
        else:
            smtp = _SMTP(s.host, s.port or 25, timeout=s.timeout)
            if s.security == "starttls":
                smtp.starttls(context=context)
        smtp.final_timeout = s.final_timeout
        if s.user:
            try:
                smtp.login(s.user, s.password or "")
            except smtplib.SMTPNotSupportedError as e:
                smtp.close()
                raise MailError(msg("no_auth", host=s.host)) from e
            except BaseException:
                smtp.close()
                raise
        return smtp

    def worked(self) -> None:
        self.failures = 0

    def reset(self) -> None:
        """After an error reply: RSET, so the next MAIL is not 'nested'; reopen if that fails."""
        if self.smtp is not None:
            try:
                self.smtp.rset()
            except (OSError, smtplib.SMTPException):
                self.drop()

    def drop(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError):
                self.smtp.close()
            self.smtp = None

    def quit(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.smtp.quit()
            self.smtp = None


def send_all(manifest: Path, recipients_file: Path, options: MailOptions,
             settings: SmtpSettings = SmtpSettings(),
             sleep: Callable[[float], None] = time.sleep) -> Report:
    """Send every unit's scorecard in the manifest to its recipients.

    Raises MailError/ValidationError for bad input before anything is sent.
    """
    # each unit's PDF; a bulletin row is a draft for the clerk to sign, never mailed as is
    rows = [r for r in read_checked_manifest(manifest) if r.kind == "unit"]
    _check_data_date(rows, options.data_date, manifest)
    try:
        chosen = select(rows, options.units, lambda r: (r.code, r.name), unit_name)
    except LookupError as e:
        raise MailError(e.args[0]) from e
    recipients = read_recipients(recipients_file)
    deliveries, notes = plan(rows, recipients, options.lang, only=chosen)
    report = Report(notes=notes)
    index = load_index(options.index_file)  # once: every message names the class from it
    if options.dry_run is not None:
        for d in deliveries:
            _dry_run(d, manifest.parent, options, index, report)
        return _undated(report, options)
    if settings.user and settings.security == "none" and not settings.allow_plain_auth:
        raise MailError(msg("plain_auth", host=settings.host))
    path = options.ledger_path or manifest.parent / LEDGER
    conn = Connection(settings)
    try:
        _check_smtputf8(conn, recipients)
        with Ledger(path, exclusive=True) as ledger:
            _check_legacy(deliveries, ledger, options, path)
            for d in deliveries:
                _deliver(d, manifest.parent, options, index, ledger, conn, settings, report,
                         sleep)
    except ServerDown as e:
        report.stopped = e.args[0]
    finally:
        conn.quit()
    return _undated(report, options)


def _undated(report: Report, options: MailOptions) -> Report:
    """Without --data-date a body says no date (the manifest has none) while the page it
    sends may say 'số liệu tạm tính đến ngày 16/10/2025': a run that sent or wrote a message
    says so once, so that the next month's run is given the date render was."""
    if options.data_date is None and report.of("sent", "written", "unknown"):
        report.notes.append(msg("mail_undated"))
    return report


def _check_data_date(rows: Sequence[ManifestRow], day: dt.date | None, manifest: Path) -> None:
    """A data date before the period begins is refused, as render refuses it: no body may
    say the figures of October are 'tạm tính đến ngày 30/9'."""
    for period in sorted({Period.parse(r.month) for r in rows}):
        if day is not None and day < period.first_day:
            raise ValidationError([msg("data_date_before", date=day, period=period,
                                       file=manifest)])


def _check_legacy(deliveries: Sequence[Delivery], ledger: Ledger, options: MailOptions,
                  path: Path) -> None:
    """Before anything is sent: a recipient an older ledger (keyed on the PDF's bytes) lists
    as sent another file of this unit may or may not have this page; that is said, and
    only --resend sends to them."""
    if options.resend:
        return
    unclear = [f"{d.unit.code} {r}" for d in deliveries for r in d.recipients
               if ledger.get(d.unit.month, d.unit.code, r, d.unit.content_sha256, d.unit.sha256)
               is None and ledger.unresolved(d.unit.month, d.unit.code, r)]
    if unclear:
        raise MailError(msg("ledger_legacy", file=path, who=unclear))


def read_checked_manifest(manifest: Path) -> list[ManifestRow]:
    """The manifest's rows, each field checked before anything is sent."""
    try:
        rows = read_manifest(manifest)
    except (OSError, UnicodeDecodeError, ValueError, IndexError, ScorecardError) as e:
        why = e.strerror if isinstance(e, OSError) and e.strerror else e
        raise MailError(msg("manifest_unusable", file=manifest, why=why)) from e
    problems = [problem(msg("at_row", file=manifest, row=i), what)
                for i, r in enumerate(rows, start=2) for what in _row_problems(r)]
    if problems:
        raise ValidationError(problems)
    return rows


_LEVELS = tuple(level.name.lower() for level in Level)


def _row_problems(r: ManifestRow) -> list[Msg]:
    if any(re.search(r"[\x00-\x1f\x7f]", str(v)) for v in vars(r).values()):
        return [msg("manifest_control")]
    out = []
    if not _BARE_NAME.fullmatch(r.file):
        out.append(msg("manifest_file", file=r.file))
    if r.month and not _is_period(r.month):
        out.append(msg("bad_period", value=r.month))
    if r.total and not re.fullmatch(r"\d{1,3}(\.\d{1,3})?", r.total):
        out.append(msg("not_a_number", value=r.total))
    if not all(re.fullmatch(r"[0-9a-f]{64}", h) for h in (r.sha256, r.content_sha256)):
        out.append(msg("manifest_hash"))
    if r.kind not in KINDS or (r.rank_scope and r.rank_scope not in SCOPES) or not all(
            re.fullmatch(r"\d{0,6}", v) for v in (r.rank, r.rank_of)) or (
            r.kind == "unit" and r.level not in _LEVELS):  # a sub-unit is named by its level
        out.append(msg("manifest_field"))
    return out


def _is_period(text: str) -> bool:
    try:
        Period.parse(text)
    except ValueError:
        return False
    return True


def _check_smtputf8(conn: Connection, recipients: Sequence[Recipient]) -> None:
    """Non-ASCII local parts go only to a server that offers SMTPUTF8: asked before the
    first message, so that such an address stops the run before anything is sent."""
    wide = [(r.where, m.addr) for r in recipients for m in (*r.to, *r.cc) if m.utf8]
    if not wide:
        return
    while True:  # Connection.get gives up with ServerDown after its failures in a row
        try:
            smtp = conn.get()
            break
        except (OSError, smtplib.SMTPException, UnicodeError):
            continue
    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("smtputf8"):
        raise ValidationError([problem(where or "", msg("needs_smtputf8", address=addr))
                               for where, addr in wide])


def attachment(d: Delivery, folder: Path) -> bytes | Msg:
    """The file's bytes, or why it must not be sent: only a plain file (no link) in the
    manifest's own folder, named by its bare name, a PDF, with the manifest's hash. Only unit
    rows are mailed, so a row pointing at anything else (the bulletin's DOCX, its name and
    hash edited in) is refused, never sent as `application/pdf`."""
    name = d.unit.file
    path = folder / name
    if not _BARE_NAME.fullmatch(name):
        return msg("manifest_file", file=name)
    if not name.endswith(".pdf"):
        return msg("not_a_pdf", file=name)
    try:
        st = os.lstat(path)
    except OSError:
        return msg("pdf_missing", file=name)
    if not stat.S_ISREG(st.st_mode) or path.resolve().parent != folder.resolve():
        return msg("not_plain_file", file=name)
    try:
        data = path.read_bytes()
    except OSError as e:
        return msg("cannot_read", file=name, why=e.strerror or e)
    if data[:5] != b"%PDF-":
        return msg("not_a_pdf", file=name)
    if hashlib.sha256(data).hexdigest() != d.unit.sha256:
        return msg("pdf_changed", file=name)
    return data


def _message(d: Delivery, pdf: bytes, options: MailOptions, index: Index,
             update: bool = False) -> EmailMessage:
    """The message one delivery sends, as the run's options word it (a dry run writes the
    same)."""
    return build_message(d, pdf, options.sender, options.templates, options.office,
                         update=update, index=index, data_date=options.data_date,
                         contact=options.contact, office_en=options.office_en,
                         contact_en=options.contact_en)


def _dry_run(d: Delivery, folder: Path, options: MailOptions, index: Index,
             report: Report) -> None:
    assert options.dry_run is not None
    pdf = attachment(d, folder)
    if isinstance(pdf, Msg):
        report.outcomes += [Outcome(d.unit, r, "failed", pdf) for r in d.recipients]
        return
    email = _message(d, pdf, options, index)
    name = eml_name(d.unit, d.lang)
    write_atomic(options.dry_run / name, bytes(email))
    report.outcomes += [Outcome(d.unit, r, "written", str(options.dry_run / name))
                        for r in d.recipients]


def _pending(d: Delivery, ledger: Ledger, options: MailOptions, report: Report) -> list[str]:
    """Who still needs this scorecard, by the ledger; the others are reported as they stand."""
    u = d.unit
    pending = []
    for r in d.recipients:
        e: Entry | None = ledger.get(u.month, u.code, r, u.content_sha256, u.sha256)
        if options.resend or e is None or e.status in (SENDING, DEFERRED):
            pending.append(r)
        elif e.status == SENT:
            report.outcomes.append(Outcome(u, r, "already"))
        elif e.status == UNKNOWN and not options.resend_unknown:
            # (a ledger before 2026-12 kept the English sentence, not only the reason)
            reply = e.reply
            if reply.startswith(_UNKNOWN_BEFORE):
                reply = reply.removeprefix(_UNKNOWN_BEFORE).removesuffix(")")
            report.outcomes.append(Outcome(u, r, "unknown", msg("still_unknown", reply=reply)))
        elif e.status == FAILED and e.code in HARD_BOUNCES and not options.retry_refused:
            report.outcomes.append(Outcome(u, r, "refused", msg("still_refused",
                                                                 reply=e.reply)))
        else:
            pending.append(r)
    return pending


def _deliver(d: Delivery, folder: Path, options: MailOptions, index: Index, ledger: Ledger,
             conn: Connection, settings: SmtpSettings, report: Report,
             sleep: Callable[[float], None]) -> None:
    u = d.unit
    pending = _pending(d, ledger, options, report)
    if not pending:
        return
    again = [r for r in pending if ledger.has_other_version(u.month, u.code, r, u.content_sha256)]
    if again and not options.resend:
        report.notes.append(msg("new_version", code=u.code, name=unit_name(u), who=again))
    pdf = attachment(d, folder)
    if isinstance(pdf, Msg):
        ledger.mark(u.month, u.code, pending, u.content_sha256, FAILED, "",
                    pdf.text(Language.EN))
        report.outcomes += [Outcome(u, r, "failed", pdf) for r in pending]
        return
    email = _message(d, pdf, options, index, update=bool(again))
    ledger.mark(u.month, u.code, pending, u.content_sha256, SENDING, str(email["Message-ID"]))
    _send(u, email, pending, options.sender, ledger, conn, settings, report, sleep)


def _send(u: ManifestRow, email: EmailMessage, pending: list[str], sender: str, ledger: Ledger,
          conn: Connection, settings: SmtpSettings, report: Report,
          sleep: Callable[[float], None]) -> None:
    """Attempts, with backoff, until every recipient is settled or the retries run out."""
    msg_id = str(email["Message-ID"])
    reply: Msg | str = ""
    for attempt in range(settings.retries + 1):
        if attempt:
            sleep(settings.backoff * 2 ** (attempt - 1))
        try:
            result = _attempt(conn, email, sender, pending)
        except ServerDown:
            ledger.mark(u.month, u.code, pending, u.content_sha256, DEFERRED, msg_id,
                        "server unusable", attempt=True)
            report.outcomes += [Outcome(u, r, "deferred", msg("not_tried")) for r in pending]
            raise
        for status, who, why, code in result:
            if not who:
                continue
            ledger.mark(u.month, u.code, who, u.content_sha256, status, msg_id, why, code,
                        attempt=True)
            if status != DEFERRED:  # the ledger keeps what the line said; the clerk reads why
                shown = msg("no_final_reply", why=why) if status == UNKNOWN else why
                report.outcomes += [Outcome(u, r, status, shown) for r in who]
        pending = [r for status, who, _, _ in result if status == DEFERRED for r in who]
        reply = next((why for status, _, why, _ in result if status == DEFERRED), reply)
        if not pending:
            return
    gave_up = msg("gave_up", n=settings.retries + 1, reply=reply)
    report.outcomes += [Outcome(u, r, "deferred", gave_up) for r in pending]


Result = list[tuple[str, list[str], str, int]]  # (status, recipients, reply, SMTP code)


def _attempt(conn: Connection, message: EmailMessage, sender: str,
             pending: Sequence[str]) -> Result:
    """One try for these recipients, sorted into sent / failed (5xx) / deferred / unknown."""
    smtp = None
    try:
        smtp = conn.get()
        smtp.body_sent = False  # it says only whether *this* message's body went out
        # send_message asks for SMTPUTF8 itself when an address needs it
        refused = smtp.send_message(message, from_addr=sender, to_addrs=list(pending))
        code, raw = smtp.last_reply
        conn.worked()
    except smtplib.SMTPRecipientsRefused as e:  # smtplib has sent RSET itself
        conn.worked()
        if any(code == 421 for code, _ in e.recipients.values()):
            conn.drop()
        return _by_recipient(e.recipients)
    except smtplib.SMTPResponseException as e:  # MAIL or DATA refused, or 4xx/5xx after it
        conn.worked()
        why = f"{e.smtp_code} {_text(e.smtp_error)}"
        if e.smtp_code == 421:  # the server is closing the session
            conn.drop()
        else:
            conn.reset()  # never leave the session mid-transaction (503 nested MAIL)
        status = FAILED if e.smtp_code >= 500 else DEFERRED
        return [(status, list(pending), why, e.smtp_code)]
    except ServerDown:
        raise
    except (OSError, smtplib.SMTPException, UnicodeError) as e:
        went_out = smtp is not None and smtp.body_sent
        conn.drop()
        if went_out:  # the body went out; the server may have it
            return [(UNKNOWN, list(pending), _why(e), 0)]
        return [(DEFERRED, list(pending), _why(e), 0)]
    accepted = [r for r in pending if r not in refused]
    return [(SENT, accepted, f"{code} {_text(raw)}", code), *_by_recipient(refused)]


def _by_recipient(refused: dict[str, tuple[int, bytes]]) -> Result:
    return [(FAILED if code >= 500 else DEFERRED, [r], f"{code} {_text(raw)}", code)
            for r, (code, raw) in refused.items()]


def _why(e: BaseException) -> str:
    return f"{type(e).__name__}: {e}" if str(e) else type(e).__name__


def _text(b: bytes | str) -> str:
    return b.decode(errors="replace") if isinstance(b, bytes) else str(b)


def status_lines(path: Path, lang: Language) -> list[str]:
    """`--status`: the ledger as a table in the user's language, opened read-only (nothing is
    migrated or written); times in the machine's local time; the version is the start of the
    page's content hash, as in the manifest's `content_sha256`."""
    from .messages import text

    with Ledger(path, readonly=True) as ledger:
        entries = ledger.entries()
    head = tuple(msg("status_columns").text(lang).split("|"))
    rows = [(e.month, e.unit, e.recipient, text(msg(f"status_{e.status}"), lang)
             if e.status in STATUSES else e.status, str(e.attempts), _local(e.updated_at),
             e.sha256[:12], " ".join(e.reply.split())[:60]) for e in entries]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(head)]
    return ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
            for line in (head, *rows)]


def _local(stamp: str) -> str:
    try:
        return dt.datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def eml_name(unit: ManifestRow, lang: Language) -> str:
    return f"{Path(unit.file).stem or slug(unit.name)}.{lang}.eml"
