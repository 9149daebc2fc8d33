"""The output languages, as a type: a bilingual choice is made in one place, and a third
language fails loudly instead of silently becoming English."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import TypeVar

T = TypeVar("T")


class Language(StrEnum):
    """A language of the output; its value is the code used in file names and options."""

    VI = "vi"
    EN = "en"

    @property
    def locale(self) -> str:
        """babel's locale for numbers (vi_VN: 7,7 · 19.933)."""
        return {"vi": "vi_VN", "en": "en_US"}[self.value]

    @property
    def decimal(self) -> str:
        return "," if self is Language.VI else "."

    @property
    def thousands(self) -> str:
        return "." if self is Language.VI else ","

    def pick(self, vi: T, en: T) -> T:
        """The one of two bilingual values that is this language's."""
        return vi if self is Language.VI else en


LANGS = tuple(lang.value for lang in Language)


def language(code: str | Language) -> Language:
    """'vi' -> Language.VI; an unknown code is a ValueError, never English by default."""
    return Language(code)


def help_language(args: Sequence[str], environ: Mapping[str, str]) -> str:
    """`--lang X` among the arguments, else SCORECARD_LANG, else Vietnamese (the default).

    An invalid value is left for click to refuse, in the default language.
    """
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else (
            arg.removeprefix("--lang=") if arg.startswith("--lang=") else None)
        if value in LANGS:
            return value
    value = environ.get("SCORECARD_LANG", "").strip()
    return value if value in LANGS else "vi"
