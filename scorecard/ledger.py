"""The delivery ledger (SQLite): one row per (period, unit, recipient, fingerprint), with
every SMTP attempt beside it.

Written before and after each send and committed each time, so that a rerun after any
failure sends what was not delivered and never what was. The promise is at-least-once: a
crash between the server's "250" and the ledger's write repeats that message, under the
same Message-ID. Nothing is ever lost.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import MailError
from .messages import msg

SENDING = "sending"  # written before the send: a crash leaves it, and the rerun sends again
SENT = "sent"
FAILED = "failed"  # a 5xx: permanent for this run; the next run tries again
DEFERRED = "deferred"  # 4xx, timeout, dropped before the message went out
UNKNOWN = "unknown"  # the message went out but no final reply came: the server may have it
STATUSES = (SENDING, SENT, FAILED, DEFERRED, UNKNOWN)
HARD_BOUNCES = (550, 551, 553)  # the address itself was refused: not retried by every run
VERSION = 3

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
    code INTEGER NOT NULL DEFAULT 0,
    legacy INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, unit, recipient, sha256)
);
CREATE TABLE IF NOT EXISTS attempts (
    month TEXT NOT NULL,
    unit TEXT NOT NULL,
    recipient TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    reply TEXT NOT NULL
);
"""
_ENTRY = ("month, unit, recipient, sha256, status, message_id, reply, attempts, updated_at,"
          " code")
_COLUMNS = {"month", "unit", "recipient", "sha256", "status", "message_id", "reply",
            "attempts", "updated_at"}


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
    code: int


class Ledger:
    """The SQL lives here and nowhere else. Use as a context manager: it closes its
    connection (and lock) however the run ends.

    With `exclusive`, the ledger is locked for the whole run (a lock file beside it, through
    filelock, on Windows as on Linux): two runs started at once would otherwise both see a
    recipient as not yet sent, and both send. With `readonly` (`--status`) nothing is ever
    written: no migration, no journal, not even on a read-only folder.

    A damaged file (a SQLite error of any kind, when opened or later) is named in a
    MailError and left as it is, never rewritten.
    """

    def __init__(self, path: Path, exclusive: bool = False, readonly: bool = False):
        self.path = path
        self.readonly = readonly
        self._lock = None
        if exclusive:
            from filelock import FileLock, Timeout

            self._lock = FileLock(str(path.with_name(path.name + ".lock")), timeout=0)
            try:
                self._lock.acquire()
            except Timeout as e:
                raise MailError(msg("ledger_busy", file=path)) from e
            except OSError as e:
                raise MailError(msg("ledger_unusable", file=path, why=e.strerror or e)) from e
        try:
            self.db = self._connect()
        except sqlite3.Error as e:
            self._release()
            raise MailError(msg("ledger_unusable", file=path, why=e)) from e
        try:
            self._check()
            if not readonly:
                self._open()
        except (sqlite3.Error, MailError) as e:
            self.close()
            if isinstance(e, MailError):
                raise
            raise self._error(e) from e

    def _connect(self) -> sqlite3.Connection:
        if not self.readonly:
            return sqlite3.connect(self.path, isolation_level=None, timeout=30)
        # read-only: with no write-ahead log beside it (no run is writing), the file is read
        # as immutable, so that SQLite creates no -shm/-wal files (a read-only folder works)
        mode = "ro" if self.path.with_name(self.path.name + "-wal").exists() else "ro&immutable=1"
        uri = f"{self.path.resolve().as_uri()}?mode={mode}"
        return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)

    def _error(self, e: sqlite3.Error) -> MailError:
        if isinstance(e, sqlite3.DatabaseError) and not isinstance(e, sqlite3.OperationalError):
            return MailError(msg("ledger_damaged", file=self.path, why=e))
        return MailError(msg("ledger_unusable", file=self.path, why=e))

    def _check(self) -> None:
        """A ledger of ours, whole: a damaged one stops the run before anything is sent."""
        tables = {r[0] for r in self._rows("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables - {"deliveries", "attempts"}:
            raise MailError(msg("ledger_foreign", file=self.path))
        if "deliveries" in tables and not self.columns() >= _COLUMNS:
            raise MailError(msg("ledger_foreign", file=self.path))
        problems = [r[0] for r in self._rows("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise MailError(msg("ledger_damaged", file=self.path, why=problems[0]))

    def columns(self) -> set[str]:
        return {r[1] for r in self._rows("PRAGMA table_info(deliveries)")}

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Every read goes through here: a SQLite error is the ledger's named error."""
        try:
            with closing(self.db.execute(sql, params)) as cur:
                return cur.fetchall()
        except sqlite3.Error as e:
            raise self._error(e) from e

    def _open(self) -> None:
        self.db.execute("PRAGMA journal_mode=WAL")
        # a lost last write (power cut) only repeats a message: at-least-once still holds
        self.db.execute("PRAGMA synchronous=NORMAL")
        columns = self.columns()
        with self.transaction():
            if columns and "code" not in columns:  # version 1: statuses renamed, codes added
                self.db.execute("ALTER TABLE deliveries ADD COLUMN code INTEGER NOT NULL "
                                "DEFAULT 0")
                self.db.execute("UPDATE deliveries SET status='sent' WHERE "
                                "status='delivered'")
            if columns and "legacy" not in columns:
                # versions 1 and 2 lowered the whole address, and before content_sha256 the
                # key was the PDF's bytes: such rows are matched by what they can be (see get)
                self.db.execute("ALTER TABLE deliveries ADD COLUMN legacy INTEGER NOT NULL "
                                "DEFAULT 0")
                self.db.execute("UPDATE deliveries SET legacy=1")
        self.db.executescript(_SCHEMA)
        self.db.execute(f"PRAGMA user_version={VERSION}")

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()
        self._release()

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One committed write; a failing disk is a clear error, never a half-written row."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")
        except sqlite3.Error as e:
            raise self._error(e) from e

    def get(self, month: str, unit: str, recipient: str, sha256: str,
            file_sha256: str = "") -> Entry | None:
        """The row of this version for this recipient (the address as written, its domain in
        lower case). A row of an older ledger — the address lowered, keyed on the content or
        on the PDF's bytes (`file_sha256`) — is taken for it and rewritten in today's key, so
        that an upgrade re-mails nobody whose page is unchanged."""
        rows = self._rows(
            f"SELECT {_ENTRY} FROM deliveries WHERE month=? AND unit=? AND recipient=? AND"
            " sha256=?", (month, unit, recipient, sha256))
        if rows:
            return Entry(*rows[0])
        old = self._rows(
            f"SELECT rowid, {_ENTRY} FROM deliveries WHERE legacy=1 AND month=? AND unit=? AND"
            " recipient=? AND sha256 IN (?, ?) ORDER BY sha256=? DESC LIMIT 1",
            (month, unit, recipient.lower(), sha256, file_sha256 or sha256, sha256))
        if not old:
            return None
        with self.transaction():
            self.db.execute("UPDATE deliveries SET recipient=?, sha256=?, legacy=0 WHERE rowid=?",
                            (recipient, sha256, old[0][0]))
        return replace(Entry(*old[0][1:]), recipient=recipient, sha256=sha256)

    def unresolved(self, month: str, unit: str, recipient: str) -> bool:
        """Did an older ledger record another version as sent, which today's key cannot tell
        apart from this one? (Before content_sha256 the key was the PDF's bytes, which a
        re-render with another issue date changes.) Asked after `get` found nothing."""
        return bool(self._rows(
            "SELECT 1 FROM deliveries WHERE legacy=1 AND month=? AND unit=? AND recipient=? AND"
            " status='sent' LIMIT 1", (month, unit, recipient.lower())))

    def mark(self, month: str, unit: str, recipients: Sequence[str], sha256: str, status: str,
             message_id: str, reply: str = "", code: int = 0, attempt: bool = False) -> None:
        """Record a status for several recipients at once, committed before returning;
        `attempt` counts an SMTP attempt and keeps its reply in the attempts table."""
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.transaction():
            for r in recipients:
                key = (month, unit, r, sha256)
                self.db.execute(
                    "INSERT INTO deliveries (month, unit, recipient, sha256, status, message_id,"
                    " reply, attempts, updated_at, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (month, unit, recipient, sha256) DO UPDATE SET"
                    " status=excluded.status, message_id=excluded.message_id,"
                    " reply=excluded.reply, updated_at=excluded.updated_at,"
                    " code=excluded.code, attempts=attempts + excluded.attempts",
                    (*key, status, message_id, reply, int(attempt), now, code))
                if attempt:
                    self.db.execute("INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?, ?)",
                                    (*key, now, status, reply))

    def has_other_version(self, month: str, unit: str, recipient: str, sha256: str) -> bool:
        """Was another version of this unit's scorecard sent to this recipient?"""
        return bool(self._rows(
            "SELECT 1 FROM deliveries WHERE month=? AND unit=? AND sha256<>? AND status='sent'"
            " AND (recipient=? OR legacy=1 AND recipient=?) LIMIT 1",
            (month, unit, sha256, recipient, recipient.lower())))

    def entries(self) -> list[Entry]:
        columns = self.columns()
        if not columns:
            return []
        code = "code" if "code" in columns else "0"  # a version-1 ledger, read as it is
        return [Entry(*r) for r in self._rows(
            "SELECT month, unit, recipient, sha256, status, message_id, reply, attempts,"
            f" updated_at, {code} FROM deliveries ORDER BY month, unit, recipient, updated_at")]
