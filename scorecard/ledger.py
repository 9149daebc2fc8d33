"""The delivery ledger (SQLite): one row per (month, unit, recipient, PDF hash).

Written before and after each send, committed each time, so that a rerun after any failure
sends exactly what has not been delivered — and never what has.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SENDING, DELIVERED, FAILED = "sending", "delivered", "failed"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS deliveries (
    month TEXT NOT NULL,
    unit TEXT NOT NULL,
    recipient TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    status TEXT NOT NULL,
    message_id TEXT NOT NULL,
    reply TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (month, unit, recipient, sha256)
)
"""


@dataclass(frozen=True)
class Entry:
    month: str
    unit: str
    recipient: str
    sha256: str
    status: str
    message_id: str
    reply: str
    attempts: int
    updated_at: str


class LedgerBusy(Exception):
    "Another run holds the ledger"


class Ledger:
    """A small wrapper: the SQL lives here and nowhere else.

    With `exclusive`, the ledger is locked for the whole run: two runs started at once (a
    rerun while cron's run is still sending) would otherwise both see a recipient as not yet
    delivered, and both send.
    """

    def __init__(self, path: Path, exclusive: bool = False):
        self.path = path
        self._lock = None
        if exclusive:
            self._lock = open(path.with_name(path.name + ".lock"), "a+b")  # noqa: SIM115
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as e:
                self._lock.close()
                raise LedgerBusy(path) from e
        self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(_SCHEMA)

    def close(self) -> None:
        self.db.close()
        if self._lock is not None:
            self._lock.close()  # closing releases the lock

    def status(self, month: str, unit: str, recipient: str, sha256: str) -> str | None:
        row = self.db.execute(
            "SELECT status FROM deliveries WHERE month=? AND unit=? AND recipient=? AND sha256=?",
            (month, unit, recipient.lower(), sha256)).fetchone()
        return row[0] if row else None

    def mark(self, month: str, unit: str, recipients: list[str], sha256: str, status: str,
             message_id: str, reply: str = "") -> None:
        """Record a status for several recipients at once, committed before returning."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for r in recipients:
                self.db.execute(
                    "INSERT INTO deliveries (month, unit, recipient, sha256, status, message_id,"
                    " reply, attempts, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (month, unit, recipient, sha256) DO UPDATE SET"
                    " status=excluded.status, message_id=excluded.message_id,"
                    " reply=excluded.reply, updated_at=excluded.updated_at,"
                    " attempts=attempts + (excluded.status = 'sending')",
                    (month, unit, r.lower(), sha256, status, message_id, reply,
                     int(status == SENDING), now))

    def has_other_version(self, month: str, unit: str, recipient: str, sha256: str) -> bool:
        """Was another PDF of this unit and month delivered to this recipient?"""
        row = self.db.execute(
            "SELECT 1 FROM deliveries WHERE month=? AND unit=? AND recipient=? AND sha256<>?"
            " AND status='delivered' LIMIT 1", (month, unit, recipient.lower(), sha256))
        return row.fetchone() is not None

    def entries(self) -> list[Entry]:
        rows = self.db.execute(
            "SELECT month, unit, recipient, sha256, status, message_id, reply, attempts,"
            " updated_at FROM deliveries ORDER BY month, unit, recipient, updated_at")
        return [Entry(*r) for r in rows]
