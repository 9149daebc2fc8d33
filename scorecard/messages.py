"""What the user reads, in Vietnamese (default) or English, from data/messages.toml.

A message is built where the problem is found, as a key and its values, and put into words
only where it is shown, in the language the user asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

from .period import Period
from .resources import words


def catalog(lang: str) -> dict[str, str]:
    return words("messages.toml", lang)


@dataclass(frozen=True)
class Msg:
    """A message key with its values; values that are messages or periods are translated too."""

    key: str
    values: tuple[tuple[str, object], ...] = ()

    def text(self, lang: str = "vi") -> str:
        words = {k: _word(v, lang) for k, v in self.values}
        return catalog(lang)[self.key].format(**words)

    def __str__(self) -> str:
        return self.text("vi")


def msg(key: str, **values: object) -> Msg:
    return Msg(key, tuple(values.items()))


def problem(where: Msg | str, what: Msg | str) -> Msg:
    """'<file>, row 5, column 'CKMB': <what went wrong>'."""
    return msg("problem", where=where, what=what)


def text(m: Msg | str | object, lang: str = "vi") -> str:
    return m.text(lang) if isinstance(m, Msg) else str(m)


def _word(v: object, lang: str) -> object:
    if isinstance(v, Msg):
        return v.text(lang)
    if isinstance(v, Period):
        return v.label(lang)
    if isinstance(v, Exception) and v.args and isinstance(v.args[0], Msg):
        return v.args[0].text(lang)
    if isinstance(v, list | tuple):
        return ", ".join(str(_word(x, lang)) for x in v)
    return v
