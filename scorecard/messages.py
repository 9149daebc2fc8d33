"""What the user reads, in Vietnamese (default) or English, from data/messages.toml.

A message is built where the problem is found, as a key and its values, and put into words
only where it is shown, in the language the user asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from .language import Language, language
from .resources import words

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def printable(text: str, keep: str = "") -> str:
    """Control and direction characters shown escaped (`\\x1b`), never sent to a terminal or
    a file as they are: a cell must not drive the screen (an OSC title sequence, a clear).
    `keep`: characters left as they are (the line breaks of a paragraph)."""
    return _CONTROL.sub(lambda m: m[0] if m[0] in keep else repr(m[0])[1:-1], text)


def catalog(lang: Language) -> dict[str, str]:
    return words("messages.toml", lang)


@dataclass(frozen=True)
class Msg:
    """A message key with its values; values that are messages or periods are translated too."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: Language = Language.VI) -> str:
        words = {k: _count(v, lang) if k == "n" else _word(v, lang) for k, v in self.values}
        return catalog(lang)[self.key].format(**words)

    def __str__(self) -> str:
        return self.text(Language.VI)


def msg(key: str, **values: object) -> Msg:
    return Msg(key, tuple(values.items()))


def problem(where: Msg | str, what: Msg | str) -> Msg:
    """'<file>, row 5, column 'CKMB': <what went wrong>'."""
    return msg("problem", where=where, what=what)


def text(m: Msg | str | object, lang: Language = Language.VI) -> str:
    return m.text(lang) if isinstance(m, Msg) else str(m)


def _count(v: object, lang: Language) -> object:
    """A message's `{n}` is a count: grouped as the language groups figures ('Đã tạo 3.872
    PDF', 'Wrote 3,872 PDFs'); a row or a line number ({row}) never is."""
    if isinstance(v, int) and not isinstance(v, bool):
        return f"{v:,}".replace(",", language(lang).thousands)
    return _word(v, lang)


def _word(v: object, lang: Language) -> object:
    if isinstance(v, PurePath):
        v = str(v)
    if isinstance(v, str):
        return printable(v)
    if isinstance(v, Decimal):
        text = f"{v:f}"
        return text.replace(".", language(lang).decimal)
    if isinstance(v, Msg) or callable(getattr(v, "text", None)):
        return v.text(lang)  # type: ignore[attr-defined]  # a Msg, a Label, a Period: each
        # says itself in a language, so that this floor imports none of them
    if isinstance(v, Exception) and v.args and isinstance(v.args[0], Msg):
        return v.args[0].text(lang)
    if isinstance(v, list | tuple):
        return ", ".join(str(_word(x, lang)) for x in v)
    return v
