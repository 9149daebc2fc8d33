"""An office's own TOML files (--targets, --findings-rules, --actions, --index): read as
Notepad saves them too (with a UTF-8 BOM), and each value checked for its type and range when
read, so that `value = nan` or `declines = -3` is named by its key instead of failing later.
"""

from __future__ import annotations

import tomllib
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .messages import Msg, msg


class BadValue(ValueError):
    """A value of the wrong type or out of its range; its message names the key."""

    def __init__(self, message: Msg):
        super().__init__(message)


def read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML file, with or without a BOM (Notepad writes one)."""
    return tomllib.loads(Path(path).read_text("utf-8-sig"))


def value(raw: dict[str, Any], key: str, where: str = "") -> Any:
    """raw[key], KeyError naming the whole key when missing."""
    if key not in raw:
        raise KeyError(f"{where}{key}")
    return raw[key]


def number(raw: dict[str, Any], key: str, low: Decimal | int, high: Decimal | int, *,
           where: str = "", above: bool = False) -> Decimal:
    """A finite number from `low` (excluded when `above`) to `high`."""
    v = value(raw, key, where)
    n = _decimal(v)
    if n is None or not n.is_finite() or n > high or n < low or (above and n == low):
        raise BadValue(msg("bad_value_above" if above else "bad_value_number",
                           name=f"{where}{key}", value=_shown(v), low=low, high=high))
    return n


def whole(raw: dict[str, Any], key: str, low: int, high: int, *, where: str = "") -> int:
    """A whole number (a count, a year) from `low` to `high`: 2.5 is refused, not cut."""
    v = value(raw, key, where)
    if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
        raise BadValue(msg("bad_value_whole", name=f"{where}{key}", value=_shown(v), low=low,
                           high=high))
    return v


def text(raw: dict[str, Any], key: str, *, where: str = "", default: str | None = None) -> str:
    """Words for a page or a document: a string with no control character."""
    v = raw.get(key, default) if default is not None else value(raw, key, where)
    if not isinstance(v, str) or any(unicodedata.category(c) == "Cc" for c in v):
        raise BadValue(msg("bad_value_text", name=f"{where}{key}", value=_shown(v)))
    return v


def _decimal(v: Any) -> Decimal | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    try:
        return Decimal(str(v))
    except InvalidOperation:
        return None


def _shown(v: Any) -> str:
    return repr(v) if isinstance(v, str) else str(v).lower() if isinstance(v, bool) else str(v)
