"""The output languages, as a type: a bilingual choice is made in one place, and a third
language fails loudly instead of silently becoming English."""

from __future__ import annotations

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

    def pick(self, vi: T, en: T) -> T:
        """The one of two bilingual values that is this language's."""
        return vi if self is Language.VI else en


LANGS = tuple(lang.value for lang in Language)


def language(code: str | Language) -> Language:
    """'vi' -> Language.VI; an unknown code is a ValueError, never English by default."""
    return Language(code)
