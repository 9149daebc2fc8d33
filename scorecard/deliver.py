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
from .ledger import DELIVERED, FAILED, SENDING, Ledger
from .mail import Delivery, build_message, plan, read_recipients
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
    reply: str = ""


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

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
                    raise MailError(f"the SMTP server refused the login of '{s.user}' "
                                    f"({e.smtp_code}); check --smtp-user and "
                                    "SCORECARD_SMTP_PASSWORD") from e
                except smtplib.SMTPNotSupportedError as e:
                    smtp.close()
                    raise MailError(f"the SMTP server at {s.host} offers no login (AUTH); "
                                    "drop --smtp-user, or use --starttls/--ssl") from e
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
        raise MailError(f"cannot use the manifest {manifest}: {e}") from e
    try:
        rows = select(rows, units, lambda r: (r.code, r.name))
    except LookupError as e:
        raise MailError(str(e)) from e
    deliveries, notes = plan(rows, read_recipients(recipients_file), lang)
    report = Report(notes=notes)
    if dry_run is not None:
        for d in deliveries:
            _dry_run(d, manifest.parent, sender, templates, dry_run, report)
        return report
    ledger = Ledger(ledger_path or manifest.parent / LEDGER)
    conn = Connection(settings)
    try:
        for d in deliveries:
            _deliver(d, manifest.parent, sender, templates, ledger, conn, settings, resend,
                     report, sleep)
    finally:
        conn.quit()
        ledger.close()
    return report


def _pdf(d: Delivery, folder: Path) -> bytes | str:
    """The PDF's bytes, or why it must not be sent."""
    path = folder / d.unit.file
    if not path.is_file():
        return f"{d.unit.file} is missing; run scorecard render again"
    if sha256_file(path) != d.unit.sha256:
        return f"{d.unit.file} has changed since the manifest was written; run render again"
    return path.read_bytes()


def _dry_run(d: Delivery, folder: Path, sender: str, templates: str | None, out: Path,
             report: Report) -> None:
    pdf = _pdf(d, folder)
    if isinstance(pdf, str):
        report.outcomes += [Outcome(d.unit, r, "failed", pdf) for r in d.recipients]
        return
    msg = build_message(d, pdf, sender, templates)
    name = eml_name(d.unit, d.lang)
    write_atomic(out / name, bytes(msg))
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
        report.notes.append(f"{u.code} {u.name}: {', '.join(again)} already received an "
                            "earlier version of this PDF; the new version is sent (render "
                            "with a fixed --issued date so that a rerun makes the same file)")
    pdf = _pdf(d, folder)
    msg_id = ""
    if isinstance(pdf, str):
        ledger.mark(u.month, u.code, pending, u.sha256, FAILED, msg_id, pdf)
        report.outcomes += [Outcome(u, r, "failed", pdf) for r in pending]
        return
    msg = build_message(d, pdf, sender, templates)
    msg_id = str(msg["Message-ID"])
    ledger.mark(u.month, u.code, pending, u.sha256, SENDING, msg_id)
    failed: dict[str, str] = {}
    reply = ""
    for attempt in range(settings.retries + 1):
        if attempt:
            sleep(settings.backoff * 2 ** (attempt - 1))
        accepted, retry, reply = _attempt(conn, msg, sender, pending, failed)
        if accepted:
            ledger.mark(u.month, u.code, accepted, u.sha256, DELIVERED, msg_id, reply)
            report.outcomes += [Outcome(u, r, "sent", reply) for r in accepted]
        pending = retry
        if not pending:
            break
    for r in pending:
        failed[r] = f"gave up after {settings.retries + 1} attempts: {reply}"
    for r, why in failed.items():
        ledger.mark(u.month, u.code, [r], u.sha256, FAILED, msg_id, why)
        report.outcomes.append(Outcome(u, r, "failed", why))


def _attempt(conn: Connection, msg: EmailMessage, sender: str, pending: Sequence[str],
             failed: dict[str, str]) -> tuple[list[str], list[str], str]:
    """One try: (accepted, to retry, reply). A 5xx goes into `failed` and is not retried."""
    try:
        smtp = conn.get()
        refused = smtp.send_message(msg, from_addr=sender, to_addrs=list(pending))
        code, text = smtp.last_reply
        reply = f"{code} {text.decode(errors='replace')}"
    except smtplib.SMTPRecipientsRefused as e:
        refused, reply = e.recipients, "all recipients refused"
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
