"""A throw-away PostgreSQL server for the store's tests: a cluster made with initdb in a
temporary folder, listening only on a Unix socket there, removed at the end of the session.

Found as Debian installs it (/usr/lib/postgresql/<version>/bin), or on PATH. As root (initdb
refuses root) the cluster runs as the `postgres` user. SCORECARD_TEST_PG=postgresql://… uses
a server of your own instead (each test makes and drops its own database in it).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def find_bin() -> Path | None:
    """The folder of initdb and pg_ctl: the newest Debian install, else PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def cluster() -> Iterator[str]:
    """Start a cluster; yields the URL of its `postgres` database. Raises RuntimeError with
    the reason when it cannot."""
    given = os.environ.get("SCORECARD_TEST_PG")
    if given:
        yield given
        return
    bindir = find_bin()
    if bindir is None:
        raise RuntimeError("PostgreSQL's initdb was not found (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="scorecard-pg-"))
    as_user: list[str] = []
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            raise RuntimeError("running as root and runuser is missing: initdb refuses root")
        as_user = [runuser, "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    data, port = folder / "data", _free_port()
    log = folder / "log"

    def run(*args: str) -> None:
        done = subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr.strip()[-500:]}")

    try:
        run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-sync")
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60",
            "-o", f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off", "start")
        try:
            yield f"postgresql://postgres@/postgres?host={folder}&port={port}"
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def server_version(url: str) -> str:
    import psycopg

    with psycopg.connect(_dsn(url)) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"


def fresh_database(url: str, name: str) -> str:
    """A new empty database on the server; its URL."""
    import psycopg

    with psycopg.connect(_dsn(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    import sqlalchemy as sa

    return sa.make_url(url).set(database=name).render_as_string(hide_password=False)


def _dsn(url: str) -> str:
    import sqlalchemy as sa

    u = sa.make_url(url)
    parts = {"dbname": u.database, "user": u.username, "password": u.password,
             "host": u.host, "port": u.port, **u.query}
    return " ".join(f"{k}={v}" for k, v in parts.items() if v)
