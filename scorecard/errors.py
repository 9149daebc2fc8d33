"""Errors a user can fix, with messages written for the clerk who will read them."""

from __future__ import annotations


class ScorecardError(Exception):
    "Base for errors a user can fix"


class UnsupportedFormat(ScorecardError):
    "Input is neither a readable CSV nor an XLSX workbook"


class IndexFileError(ScorecardError):
    "The index definition file is missing, malformed or inconsistent"


class UnitNotFound(ScorecardError):
    "A unit asked for on the command line is not in the data"


class ValidationError(ScorecardError):
    "The data file has one or more problems; all of them are listed"

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems

    def __str__(self) -> str:
        n = len(self.problems)
        head = "1 problem found:" if n == 1 else f"{n} problems found:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class RenderError(ScorecardError):
    "A PDF could not be written"


class MailError(ScorecardError):
    "Recipients, manifest or SMTP settings are unusable"
