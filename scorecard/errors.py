"""Errors a user can fix, with messages written for the clerk who will read them."""

from __future__ import annotations

from .language import Language
from .messages import Msg, msg, text


class ScorecardError(Exception):
    "Base for errors a user can fix"

    def __init__(self, message: Msg | str):
        super().__init__(message)
        self.message = message

    def text(self, lang: Language = Language.VI) -> str:
        """The message in the user's language."""
        return text(self.message, lang)

    def __str__(self) -> str:
        return self.text(Language.VI)


class UnsupportedFormat(ScorecardError):
    "Input is neither a readable CSV nor an XLSX workbook"


class IndexFileError(ScorecardError):
    "The index definition file is missing, malformed or inconsistent"


class UnitNotFound(ScorecardError):
    "A unit asked for on the command line is not in the data"


class WriteError(ScorecardError):
    "An output file could not be written"


class RenderError(WriteError):
    "A PDF could not be made or written"


class MailError(ScorecardError):
    "Recipients, manifest or SMTP settings are unusable"


class SigningError(ScorecardError):
    "The key or its certificate cannot sign, or a signature could not be made"


class StoreError(ScorecardError):
    "The store (--db) cannot be opened, is damaged or foreign, or lacks what was asked"


class ValidationError(ScorecardError):
    "The data file has one or more problems; all of them are listed"

    def __init__(self, problems: list[Msg]):
        super().__init__(msg("problems_many", n=len(problems)))
        self.problems = problems

    def text(self, lang: Language = Language.VI) -> str:
        n = len(self.problems)
        head = msg("problems_one") if n == 1 else msg("problems_many", n=n)
        return "\n".join([head.text(lang), *(f"  - {text(p, lang)}" for p in self.problems)])
