"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1) that can misbehave on cue."""

from __future__ import annotations

import asyncio
import email
import email.policy
import hmac
import socket
import threading
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

PASSWORD = "mật-khẩu-đúng"


@dataclass
class Faults:
    refuse: set[str] = field(default_factory=set)  # RCPT answered 550
    defer_once: set[str] = field(default_factory=set)  # DATA answered 451 once, by Message-ID
    drop_once: set[str] = field(default_factory=set)  # line dropped after the body, once
    drop_at_rcpt_once: set[str] = field(default_factory=set)  # line dropped at RCPT, once
    busy_once: set[str] = field(default_factory=set)  # RCPT answered 450 once
    stall_once: set[str] = field(default_factory=set)  # no reply after the body, by Message-ID
    refuse_data_command: int = 0  # the DATA command itself answered 451, this many times


class Handler:
    def __init__(self) -> None:
        self.faults = Faults()
        self.received: list[tuple[tuple[str, ...], email.message.EmailMessage]] = []
        self.logins: list[tuple[str, str]] = []
        self.commands: list[str] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.faults.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        if address in self.faults.busy_once:
            self.faults.busy_once.discard(address)
            return f"450 4.2.1 <{address}>: mailbox busy, try later"
        if address in self.faults.drop_at_rcpt_once:
            self.faults.drop_at_rcpt_once.discard(address)
            server.transport.close()
            return "421 4.4.2 connection dropped"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        mid = str(msg["Message-ID"])
        with self.lock:
            if mid in self.faults.drop_once:  # the server has it, but the client never hears
                self.faults.drop_once.discard(mid)
                self.received.append((tuple(envelope.rcpt_tos), msg))
                server.transport.close()
                return "421 4.4.2 connection dropped"
            if mid in self.faults.defer_once:
                self.faults.defer_once.discard(mid)
                return "451 4.3.0 try again later"
            stall = mid in self.faults.stall_once
            self.faults.stall_once.discard(mid)
            self.received.append((tuple(envelope.rcpt_tos), msg))
        if stall:
            await asyncio.sleep(5)
        return f"250 2.0.0 queued as {len(self.received)}"

    def copies(self) -> dict[tuple[str, str], list[bytes]]:
        """(recipient, attachment file name) -> the attachment bytes each delivery carried."""
        out: dict[tuple[str, str], list[bytes]] = {}
        for rcpts, msg in self.received:
            for part in msg.iter_attachments():
                for r in rcpts:
                    out.setdefault((r, part.get_filename()), []).append(
                        part.get_payload(decode=True))
        return out

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        login = auth_data.login.decode("utf-8")
        password = auth_data.password.decode("utf-8")
        self.logins.append((login, password))
        return AuthResult(success=password == PASSWORD, handled=False)


class _FaultySMTP(SMTP):
    """aiosmtpd's server, whose DATA command can be refused before the body (the case that
    left smtplib mid-transaction: '503 nested MAIL command')."""

    async def smtp_DATA(self, arg: str) -> None:  # noqa: N802
        self.event_handler.commands.append("DATA")
        if self.event_handler.faults.refuse_data_command > 0:
            self.event_handler.faults.refuse_data_command -= 1
            await self.push("451 4.3.0 not now")
            return
        await super().smtp_DATA(arg)

    async def smtp_RSET(self, arg: str) -> None:  # noqa: N802
        self.event_handler.commands.append("RSET")
        await super().smtp_RSET(arg)

    async def auth_CRAM__MD5(self, _: object, args: list[str]) -> AuthResult:  # noqa: N802
        """RFC 2195, which aiosmtpd lacks: the client proves it knows the password (as UTF-8)
        by an HMAC of a fresh challenge; the password itself never crosses the line."""
        challenge = f"<{id(self)}.{len(self.event_handler.logins)}@127.0.0.1>".encode()
        answer = await self.challenge_auth(challenge)
        if not isinstance(answer, bytes):
            return AuthResult(success=False)
        user, _, digest = answer.decode("utf-8").rpartition(" ")
        want = hmac.HMAC(PASSWORD.encode("utf-8"), challenge, "md5").hexdigest()
        ok = hmac.compare_digest(digest, want)
        self.event_handler.logins.append((user, "<CRAM-MD5 ok>" if ok else "<CRAM-MD5 wrong>"))
        return AuthResult(success=ok, handled=False,
                          auth_data=LoginPassword(user.encode(), b""))


class _Controller(Controller):
    def factory(self) -> SMTP:
        return _FaultySMTP(self.handler, **self.SMTP_kwargs)


class SMTPServer:
    def __init__(self, **smtp: Any) -> None:
        """`smtp`: aiosmtpd options, e.g. enable_SMTPUTF8=True, or auth=True for a server
        that offers AUTH without TLS (as careless real servers do), with mechanisms=(…) the
        ones it offers (default LOGIN and PLAIN; CRAM-MD5 on request)."""
        self.handler = Handler()
        with socket.socket() as s:  # a free port on loopback (aiosmtpd cannot take port 0)
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        mechanisms = smtp.pop("mechanisms", ("LOGIN", "PLAIN"))
        if smtp.pop("auth", False):
            smtp.update(authenticator=self.handler.authenticate, auth_require_tls=False)
        # only the mechanisms asked for are offered (CRAM-MD5 only when asked)
        smtp["auth_exclude_mechanism"] = [m for m in ("LOGIN", "PLAIN", "CRAM-MD5")
                                          if m not in mechanisms]
        self.controller = _Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                      **smtp)

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
