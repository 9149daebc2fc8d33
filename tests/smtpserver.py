"""A real SMTP server for the tests (aiosmtpd on 127.0.0.1) that can misbehave on cue."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class Faults:
    refuse: set[str] = field(default_factory=set)  # RCPT answered 550
    defer_once: set[str] = field(default_factory=set)  # DATA answered 451 once, by Message-ID
    drop_once: set[str] = field(default_factory=set)  # connection dropped at DATA once
    busy_once: set[str] = field(default_factory=set)  # RCPT answered 450 once


class Handler:
    def __init__(self) -> None:
        self.faults = Faults()
        self.received: list[tuple[tuple[str, ...], email.message.EmailMessage]] = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.faults.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        if address in self.faults.busy_once:
            self.faults.busy_once.discard(address)
            return f"450 4.2.1 <{address}>: mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        mid = str(msg["Message-ID"])
        with self.lock:
            if mid in self.faults.drop_once:
                self.faults.drop_once.discard(mid)
                server.transport.close()
                return "421 4.4.2 connection dropped"
            if mid in self.faults.defer_once:
                self.faults.defer_once.discard(mid)
                return "451 4.3.0 try again later"
            self.received.append((tuple(envelope.rcpt_tos), msg))
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


class SMTPServer:
    def __init__(self) -> None:
        self.handler = Handler()
        with socket.socket() as s:  # a free port on loopback (aiosmtpd cannot take port 0)
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
