"""The SMTP edge: send each delivery to the recipients the ledger says still need it."""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from .batch import ManifestRow, read_manifest, sha256_file
from .errors import MailError, RenderError
from .ledger import DELIVERED, FAILED, SENDING, Ledger, LedgerBusy
from .mail import Delivery, build_message, plan, read_recipients
from .messages import Msg, msg, text
from .render.common import write_atomic
from .units import select, slug

LEDGER = "mail-ledger.sqlite"


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "localhost"
    port: int | None = None  # default: 465 with ssl, else 25
    security: str = "none"  # "none" | "starttls" | "ssl"
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never printed
    timeout: float = 30.0
    retries: int = 3  # further attempts after a 4xx, a timeout or a dropped connection
    backoff: float = 1.0  # seconds before the first retry; doubles each time


@dataclass(frozen=True)
class Outcome:
    unit: ManifestRow
    recipient: str
    status: str  # "sent" (now), "already" (by an earlier run), "failed", "written" (dry run)
    reply: Msg | str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[Msg] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]


class _Remembering:
    """Keeps the server's reply to DATA, which send_message does not return."""

    last_reply: tuple[int, bytes] = (0, b"")

    def data(self, msg: Any) -> tuple[int, bytes]:
        self.last_reply = super().data(msg)  # type: ignore[misc]
        return self.last_reply


class _SMTP(_Remembering, smtplib.SMTP):
    pass


class _SMTPS(_Remembering, smtplib.SMTP_SSL):
    pass


class Connection:
    """One SMTP session, opened on first use and reopened after a drop."""

    def __init__(self, settings: SmtpSettings):
        self.s = settings
        self.smtp: _SMTP | _SMTPS | None = None

    def get(self) -> _SMTP | _SMTPS:
        if self.smtp is None:
            s = self.s
            if s.security == "ssl":
                smtp: _SMTP | _SMTPS = _SMTPS(s.host, s.port or 465, timeout=s.timeout,
                                              context=ssl.create_default_context())
            else:
                smtp = _SMTP(s.host, s.port or 25, timeout=s.timeout)
                if s.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if s.user:
                try:
                    smtp.login(s.user, s.password or "")
                except smtplib.SMTPAuthenticationError as e:
                    smtp.close()
                    raise MailError(msg("login_refused", user=s.user, code=e.smtp_code)) from e
                except smtplib.SMTPNotSupportedError as e:
                    smtp.close()
                    raise MailError(msg("no_auth", host=s.host)) from e
            self.smtp = smtp
        return self.smtp

    def drop(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.close()
            finally:
                self.smtp = None

    def quit(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError):  # smtplib's errors are OSErrors
                self.smtp.quit()
            self.smtp = None


def send_all(manifest: Path, recipients_file: Path, *, sender: str, lang: str = "vi",
             units: tuple[str, ...] = (), ledger_path: Path | None = None, resend: bool = False,
             dry_run: Path | None = None, settings: SmtpSettings = SmtpSettings(),
             templates: str | None = None, sleep: Callable[[float], None] = time.sleep
             ) -> Report:
    """Send every unit's PDF in the manifest to its recipients, at most once each.

    Raises MailError/ValidationError for bad input before anything is sent.
    """
    try:
        rows = [r for r in read_manifest(manifest) if r.code or r.name]
    except (OSError, RenderError) as e:
        raise MailError(msg("manifest_unusable", file=manifest, why=e)) from e
    try:
        chosen = select(rows, units, lambda r: (r.code, r.name))
    except LookupError as e:
        raise MailError(e.args[0]) from e
    deliveries, notes = plan(rows, read_recipients(recipients_file), lang, only=chosen)
    report = Report(notes=notes)
    if dry_run is not None:
        for d in deliveries:
            _dry_run(d, manifest.parent, sender, templates, dry_run, report)
        return report
    path = ledger_path or manifest.parent / LEDGER
    try:
        ledger = Ledger(path, exclusive=True)
    except LedgerBusy as e:
        raise MailError(msg("ledger_busy", file=path)) from e
    conn = Connection(settings)
    try:
        for d in deliveries:
            _deliver(d, manifest.parent, sender, templates, ledger, conn, settings, resend,
                     report, sleep)
    finally:
        conn.quit()
        ledger.close()
    return report


def _pdf(d: Delivery, folder: Path) -> bytes | Msg:
    """The PDF's bytes, or why it must not be sent."""
    path = folder / d.unit.file
    if not path.is_file():
        return msg("pdf_missing", file=d.unit.file)
    if sha256_file(path) != d.unit.sha256:
        return msg("pdf_changed", file=d.unit.file)
    return path.read_bytes()


def _dry_run(d: Delivery, folder: Path, sender: str, templates: str | None, out: Path,
             report: Report) -> None:
    pdf = _pdf(d, folder)
    if isinstance(pdf, Msg):
        report.outcomes += [Outcome(d.unit, r, "failed", pdf) for r in d.recipients]
        return
    email = build_message(d, pdf, sender, templates)
    name = eml_name(d.unit, d.lang)
    write_atomic(out / name, bytes(email))
    report.outcomes += [Outcome(d.unit, r, "written", str(out / name)) for r in d.recipients]


def _deliver(d: Delivery, folder: Path, sender: str, templates: str | None, ledger: Ledger,
             conn: Connection, settings: SmtpSettings, resend: bool, report: Report,
             sleep: Callable[[float], None]) -> None:
    u = d.unit
    pending = [r for r in d.recipients
               if resend or ledger.status(u.month, u.code, r, u.sha256) != DELIVERED]
    report.outcomes += [Outcome(u, r, "already") for r in d.recipients if r not in pending]
    if not pending:
        return
    again = [r for r in pending if ledger.has_other_version(u.month, u.code, r, u.sha256)]
    if again and not resend:
        report.notes.append(msg("new_version", code=u.code, name=u.name, who=again))
    pdf = _pdf(d, folder)
    msg_id = ""
    if isinstance(pdf, Msg):
        ledger.mark(u.month, u.code, pending, u.sha256, FAILED, msg_id, pdf.text("en"))
        report.outcomes += [Outcome(u, r, "failed", pdf) for r in pending]
        return
    email = build_message(d, pdf, sender, templates)
    msg_id = str(email["Message-ID"])
    ledger.mark(u.month, u.code, pending, u.sha256, SENDING, msg_id)
    failed: dict[str, Msg | str] = {}
    reply = ""
    for attempt in range(settings.retries + 1):
        if attempt:
            sleep(settings.backoff * 2 ** (attempt - 1))
        accepted, retry, reply = _attempt(conn, email, sender, pending, failed)
        if accepted:
            ledger.mark(u.month, u.code, accepted, u.sha256, DELIVERED, msg_id, reply)
            report.outcomes += [Outcome(u, r, "sent", reply) for r in accepted]
        pending = retry
        if not pending:
            break
    gave_up = msg("gave_up", n=settings.retries + 1, reply=reply)
    for r, why in [*failed.items(), *((r, gave_up) for r in pending)]:
        ledger.mark(u.month, u.code, [r], u.sha256, FAILED, msg_id, text(why, "en"))
        report.outcomes.append(Outcome(u, r, "failed", why))


def _attempt(conn: Connection, msg: EmailMessage, sender: str, pending: Sequence[str],
             failed: dict[str, Msg | str]) -> tuple[list[str], list[str], str]:
    """One try: (accepted, to retry, reply). A 5xx goes into `failed` and is not retried."""
    try:
        smtp = conn.get()
        refused = smtp.send_message(msg, from_addr=sender, to_addrs=list(pending))
        code, text = smtp.last_reply
        reply = f"{code} {text.decode(errors='replace')}"
    except smtplib.SMTPRecipientsRefused as e:
        refused, reply = e.recipients, "all recipients refused"
        if any(code == 421 for code, _ in refused.values()):  # smtplib has closed the line
            conn.drop()
    except smtplib.SMTPResponseException as e:  # sender refused, or DATA refused
        why = f"{e.smtp_code} {_text(e.smtp_error)}"
        if e.smtp_code >= 500:
            failed.update(dict.fromkeys(pending, why))
            return [], [], why
        if e.smtp_code == 421:  # the server is closing the session
            conn.drop()
        return [], list(pending), why
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as e:
        conn.drop()
        return [], list(pending), f"{type(e).__name__}: {e}"
    retry = []
    for r, (code, text) in refused.items():
        why = f"{code} {_text(text)}"
        if code >= 500:
            failed[r] = why
        else:
            retry.append(r)
    return [r for r in pending if r not in refused], retry, reply


def _text(b: bytes | str) -> str:
    return b.decode(errors="replace") if isinstance(b, bytes) else str(b)


def eml_name(unit: ManifestRow, lang: str) -> str:
    return f"{Path(unit.file).stem or slug(unit.name)}.{lang}.eml"
