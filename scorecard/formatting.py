"""Numbers and words as a bulletin prints them (vi-VN: 7,7 · 19.933 · 39,56%), via babel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from .language import Language, language
from .model import Level, PeerSource, Rank, Scorecard
from .period import EN_MONTHS
from .resources import words

CENT = Decimal("0.01")
MINUS = "\u2212"  # a true minus sign, as wide as a figure (the bundled fonts carry it)


@cache
def _number_format(lang: Language) -> tuple[NumberPattern, Locale]:
    """Parsed once: babel's format_decimal re-parses its pattern on every call."""
    return parse_pattern("#,##0.##"), Locale.parse(language(lang).locale)


@lru_cache(maxsize=8192)
def _num(d: Decimal | int, lang: Language) -> str:
    """Keyed by the number as given (equal numbers, equal text): a page asks for some 150,
    most of them asked before, and rounding each again cost a tenth of a page's content."""
    pattern, locale = _number_format(lang)
    return str(pattern.apply(Decimal(d).quantize(CENT, ROUND_HALF_UP), locale))


def capital(text: str) -> str:
    """A sentence or a cell begins with a capital, the rest as it is ('procedures offered
    fully online: …' began part III's English sentences in lower case; str.capitalize would
    lower 'Dịch vụ công' inside)."""
    return text[:1].upper() + text[1:]


def labels(lang: Language) -> dict[str, str]:
    return words("labels.toml", lang)


def peer_key(card: Scorecard) -> str:
    """The label of what a card is compared with: the national figures, or the mean of the
    units of its level in the file."""
    if card.peer_source is PeerSource.NATIONAL:
        return "peer_national"
    return f"peer_file_{peers_key(card)}"


def level_key(level: Level, zones: bool = False) -> str:
    """The suffix of a level's words: '3z' for communes among which is a đặc khu
    ('xã, phường, đặc khu'), else the level's number."""
    return f"{level.value}z" if zones and level is Level.COMMUNE else str(level.value)


def peers_key(card: Scorecard) -> str:
    """The suffix of the words that name a card's level and the units it is compared with."""
    return level_key(card.unit.level, card.peer_zones)


@dataclass(frozen=True)
class Label:
    """A word of labels.toml inside a message: put in the message's language when shown."""

    key: str

    def text(self, lang: Language) -> str:
        return labels(lang)[self.key]


@dataclass(frozen=True)
class Day:
    """A date inside a message: '15/10/2025', '15 October 2025' in the message's language."""

    day: dt.date

    def text(self, lang: Language) -> str:
        return Fmt(lang).date(self.day)


@dataclass(frozen=True)
class Fmt:
    """Formatting for one language; also registered as jinja2 filters."""

    lang: Language

    def __post_init__(self) -> None:
        object.__setattr__(self, "lang", language(self.lang))  # 'vi' from a template is VI

    @property
    def words(self) -> dict[str, str]:
        return labels(self.lang)

    def num(self, d: Decimal | int | None, dash: str = "—") -> str:
        """At most 2 decimals, trailing zeros dropped: 7.7 -> '7,7', 18 -> '18'."""
        if d is None:
            return dash
        return _num(d, self.lang)

    def frac(self, d: Decimal | None, maximum: Decimal) -> str:
        """'7,7/18' — a score beside its maximum, as bulletins quote it; '—' if missing."""
        return "—" if d is None else f"{self.num(d)}/{self.num(maximum)}"

    def pct(self, d: Decimal | None) -> str:
        return "—" if d is None else f"{self.num(d)}%"

    def signed(self, d: Decimal | None) -> str:
        if d is None:
            return "—"
        q = Decimal(d).quantize(CENT, ROUND_HALF_UP)
        return ("+" if q > 0 else MINUS if q < 0 else "±") + self.num(abs(q))

    def date(self, d: dt.date) -> str:
        """'16/10/2025'; in English '16 October 2025' (the months in words, as the English
        periods are: 'October 2025'), whatever the machine's locale."""
        return language(self.lang).pick(d.strftime("%d/%m/%Y"),
                                        f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}")

    def moment(self, t: dt.datetime) -> str:
        """'20/10/2025 09:00:00 (UTC+07:00)': the time as the clock where it was taken said it,
        with its offset, so that a reader elsewhere knows which moment it was."""
        offset = t.strftime("%z")
        zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
        return f"{self.date(t.date())} {t:%H:%M:%S} ({zone})"

    def rank(self, r: Rank | None) -> str:
        """'1/34'; '—' for none, and for 1/1 (a file of one unit ranks nothing)."""
        return "—" if r is None or r.of == 1 else str(r)

    def portal_rank(self, r: Rank, prose: bool = False) -> str:
        """A department's or commune's ROW_STT as what it is: 'thứ 37 trong 117 cơ quan, đơn
        vị của tỉnh (theo Cổng DVCQG)', or 'thứ 37 trong tỉnh (…)' when the count is not
        known; `prose` drops the parentheses, for a sentence that has its own."""
        w = self.words
        where = w["portal_rank_of" if r.of else "portal_rank"].format(n=r.position, of=r.of)
        return f"{where} {w['portal_source']}" if prose else f"{where} ({w['portal_source']})"

    def ordinal(self, n: int) -> str:
        """13 -> '13th', 1 -> '1st', 22 -> '22nd' (English); the figure itself otherwise."""
        if language(self.lang) is Language.VI:
            return str(n)
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"

    def peer_label(self, card: Scorecard) -> str:
        """Never calls a mean of the file's units 'cả nước'."""
        return self.words[peer_key(card)]

    def peer_named(self, card: Scorecard) -> str:
        """The peer as a bulletin names it: 'mặt bằng chung cả nước', 'bình quân 34 tỉnh,
        thành phố' — never 'trong tệp'."""
        if card.peer_source is PeerSource.NATIONAL:
            return self.words["peer_national"]
        return self.words[f"peer_mean_{peers_key(card)}"].format(n=card.peer_n)

    def count(self, n: int) -> str:
        """2 -> 'hai' / 'two' (up to ten; beyond, the figure)."""
        words = self.words["numbers"].split(",")
        return words[n - 1] if 1 <= n <= len(words) else str(n)

    def peer_short(self, card: Scorecard) -> str:
        if card.peer_source is PeerSource.NATIONAL:
            return self.words["peer_short_national"]
        return self.words[f"peer_short_file_{peers_key(card)}"].format(n=card.peer_n)

    def level(self, level: Level, zones: bool = False) -> str:
        """'Xã, phường', or 'Xã, phường, đặc khu' when the units spoken of count a đặc khu."""
        return self.words[f"level_{level_key(level, zones)}"]

    def level_of(self, card: Scorecard) -> str:
        """The level of a card's unit as its peers are named: 'Xã, phường, đặc khu'."""
        return self.words[f"level_{peers_key(card)}"]
