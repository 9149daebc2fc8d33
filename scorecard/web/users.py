"""The users file of `scorecard serve`: one `name:hash` line per user, the hash made with
scrypt (hashlib, standard library: nothing to compile on an office's Windows machine).

A hash reads `scrypt$N$r$p$salt$key` (base64), so that stronger parameters can come later
and old lines still verify.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from pathlib import Path

from ..errors import ScorecardError
from ..files import write_atomic
from ..messages import msg

# 16 MiB and about 50 ms a login on an office PC: slow for a guesser, quick for a clerk
N, R, P, KEY = 2**14, 8, 1, 32


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=KEY)
    return f"scrypt${N}${R}${P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    """True when the password makes the stored hash; a malformed line never matches."""
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        want = base64.b64decode(key)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), dklen=len(want), maxmem=2**26)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def check_name(name: str) -> str:
    """A user name is what a person types at the login: no colon, space or control char."""
    if not 1 <= len(name) <= 64 or any(c in ":$" or not c.isprintable() or c.isspace()
                                       for c in name):
        raise ScorecardError(msg("web_bad_user", name=name))
    return name


def read_users(path: str | Path) -> dict[str, str]:
    """name -> hash; a line that is not `name:scrypt$…` is named with its row."""
    users: dict[str, str] = {}
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise ScorecardError(msg("web_users_unreadable", file=path, why=e)) from e
    for row, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, stored = line.partition(":")
        if not sep or not stored.startswith("scrypt$") or stored.count("$") != 5:
            raise ScorecardError(msg("web_users_bad_line", file=path, row=row))
        users[name] = stored
    return users


def add_user(path: str | Path, name: str, password: str) -> bool:
    """Add a user or change their password; True when the name was new."""
    check_name(name)
    p = Path(path)
    users = read_users(p) if p.exists() else {}
    new = name not in users
    users[name] = hash_password(password)
    write_atomic(p, "".join(f"{n}:{h}\n" for n, h in users.items()).encode("utf-8"))
    return new
