"""Reporting periods: the portal publishes months, quarters and years to date."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .language import Language, language

ROMAN = ("I", "II", "III", "IV")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # not the locale's: always English
_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), "month"),
    (re.compile(r"^(\d{1,2})/(\d{4})$"), "month_vn"),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.I), "quarter"),
    (re.compile(r"^(\d{4})$"), "year"),
)


@dataclass(frozen=True, order=True)
class Period:
    """A month (n = 1..12), a quarter (n = 1..4) or a year (n = 0)."""

    kind: str  # "month" | "quarter" | "year"
    year: int
    n: int = 0

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse `YYYY-MM`, `MM/YYYY`, `YYYY-Qn` or `YYYY`; raise ValueError otherwise."""
        s = str(text).strip()
        for pattern, kind in _PATTERNS:
            m = pattern.match(s)
            if not m:
                continue
            if kind == "month_vn":
                kind, year, n = "month", int(m[2]), int(m[1])
            elif kind == "year":
                year, n = int(m[1]), 0
            else:
                year, n = int(m[1]), int(m[2])
            if kind == "month" and not 1 <= n <= 12:
                break
            if not 2000 <= year <= 2100:
                break
            return cls(kind, year, n)
        raise ValueError(text)  # the caller says it in the user's language (bad_period)

    @property
    def slug(self) -> str:
        """The folder name under OUT/: 2025-10, 2025-Q3, 2025."""
        if self.kind == "month":
            return f"{self.year}-{self.n:02d}"
        if self.kind == "quarter":
            return f"{self.year}-Q{self.n}"
        return str(self.year)

    def label(self, lang: Language) -> str:
        """How a bulletin prints it: 'Tháng 10/2025' or 'October 2025'."""
        pick = language(lang).pick
        if self.kind == "month":
            return pick(f"Tháng {self.n}/{self.year}", f"{EN_MONTHS[self.n - 1]} {self.year}")
        if self.kind == "quarter":
            return pick(f"Quý {ROMAN[self.n - 1]}/{self.year}", f"Q{self.n} {self.year}")
        return pick(f"Năm {self.year}", str(self.year))

    def text(self, lang: Language) -> str:
        """As a message says it: its label ('Tháng 10/2025')."""
        return self.label(lang)

    def phrase(self, lang: Language) -> str:
        """As inside a sentence: 'tháng 10/2025', 'quý III/2025' (only the first letter is
        lowered: a quarter's Roman numeral stays), 'October 2025'."""
        label = self.label(lang)
        return language(lang).pick(label[:1].lower() + label[1:], label)

    def short(self, lang: Language = Language.VI) -> str:
        """A compact axis label: 10/2025, Q3/2025, 2025; in English as its dates are written
        ('Oct 2025', 'Q3 2025'), one style with '16 October 2025'."""
        en = language(lang) is Language.EN
        if self.kind == "month":
            return f"{EN_MONTHS[self.n - 1][:3]} {self.year}" if en else f"{self.n}/{self.year}"
        if self.kind == "quarter":
            return f"Q{self.n} {self.year}" if en else f"Q{self.n}/{self.year}"
        return str(self.year)

    @property
    def first_day(self) -> dt.date:
        if self.kind == "month":
            return dt.date(self.year, self.n, 1)
        if self.kind == "quarter":
            return dt.date(self.year, 3 * self.n - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def last_day(self) -> dt.date:
        if self.kind == "year":
            return dt.date(self.year, 12, 31)
        month = self.n if self.kind == "month" else 3 * self.n
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def previous(self) -> Period:
        """The immediately preceding period of the same kind."""
        if self.kind == "year":
            return Period("year", self.year - 1)
        last = 12 if self.kind == "month" else 4
        if self.n == 1:
            return Period(self.kind, self.year - 1, last)
        return Period(self.kind, self.year, self.n - 1)


def parse_date(value: str) -> dt.date:
    """YYYY-MM-DD, or DD/MM/YYYY as a Vietnamese clerk writes it."""
    text = value.strip()
    if "/" in text:
        day, month, year = text.split("/")
        return dt.date(int(year), int(month), int(day))
    return dt.date.fromisoformat(text)


_DATE_IN_NAME = re.compile(r"(?<!\d)(20\d\d)-(\d\d)-(\d\d)(?!\d)")


def date_in_name(path: str | Path, period: Period) -> dt.date | None:
    """A portal export is named with the day it was taken (…_2025-10-16_…): that is its data
    date, when it is a real day on or after the period's first day."""
    for m in _DATE_IN_NAME.finditer(Path(path).name):
        try:
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            continue
        if day >= period.first_day:
            return day
    return None
