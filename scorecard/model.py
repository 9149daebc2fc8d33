"""Plain typed objects that travel from validation to the renderer (never a DataFrame)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Literal

from .language import Language, language
from .messages import Msg
from .period import Period


class Level(IntEnum):
    """The portal's LOAI_COQUAN."""

    PROVINCE = 1
    DEPARTMENT = 2
    COMMUNE = 3

    @classmethod
    def parse(cls, text: str) -> Level:
        """Accept 1/2/3 or the English word, as --level and LOAI_COQUAN give them."""
        s = str(text).strip().lower()
        for level in cls:
            if s in (str(level.value), level.name.lower()):
                return level
        raise ValueError(text)  # the caller says it in the user's language (bad_level)


@dataclass(frozen=True, slots=True)
class Group:
    """One group of the index (e.g. CKMB, max 18 points)."""

    code: str
    vi: str
    en: str
    max: Decimal
    aliases: tuple[str, ...] = ()
    short_vi: str = ""
    short_en: str = ""
    abbr_vi: str = ""
    abbr_en: str = ""

    def name(self, lang: Language) -> str:
        return language(lang).pick(self.vi, self.en)

    def short(self, lang: Language) -> str:
        """A column header's worth: 'Công khai' for 'Công khai, minh bạch'."""
        return language(lang).pick(self.short_vi, self.short_en) or self.name(lang)

    def abbr(self, lang: Language) -> str:
        """A narrow column's header: 'Satisf.' for 'Satisfaction' (the bulletin's annex, whose
        unit names need the width); the short name where the index gives none."""
        return language(lang).pick(self.abbr_vi, self.abbr_en) or self.short(lang)


@dataclass(frozen=True, slots=True)
class Combined:
    """A group of the Decision made of several portal groups (CLGQ + TTTT = 22 points), for
    national figures published only as the sum: compared as the sum, never split."""

    group: Group
    parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Band:
    """A classification band: totals from `min` up to the next band's minimum."""

    min: Decimal
    vi: str
    en: str
    color: str
    code: str = ""  # language-neutral, for machines (the manifest's class column)

    def name(self, lang: Language) -> str:
        return language(lang).pick(self.vi, self.en)


@dataclass(frozen=True, slots=True)
class Index:
    """The index definition, loaded from a data file (see index.py)."""

    groups: tuple[Group, ...]
    total: Group
    bands: tuple[Band, ...]
    name_vi: str
    name_en: str
    source_vi: str
    source_en: str
    combined: tuple[Combined, ...] = ()

    def classify(self, total: Decimal | None) -> Band | None:
        if total is None:
            return None
        return next(b for b in self.bands if total >= b.min)

    def source(self, lang: Language) -> str:
        return language(lang).pick(self.source_vi, self.source_en)


@dataclass(frozen=True, slots=True)
class Unit:
    """A scored unit. `province` is the parent province's code below province level."""

    code: str
    name: str
    level: Level
    province: str | None = None
    formal: str = ""  # as a bulletin names it: 'tỉnh An Giang', 'UBND xã Mỹ Hòa Hưng'


@dataclass(frozen=True, slots=True)
class UnitRow:
    """One validated row of a data file. A score of None means "not reported"."""

    unit: Unit
    scores: Mapping[str, Decimal | None]
    total: Decimal | None
    published_rank: int | None
    row: int  # as the user sees it in Excel: the header is row 1
    combined: Mapping[str, Decimal | None] = field(default_factory=dict)  # by Combined code


@dataclass(frozen=True, slots=True)
class MonthData:
    """One period's validated data: what `scorecard validate` reports on."""

    source: str
    period: Period
    rows: tuple[UnitRow, ...]
    national: UnitRow | None
    warnings: tuple[Msg, ...] = ()
    notes: tuple[Msg, ...] = ()  # what was read and how: sheet, header row, skipped rows

    def levels(self) -> dict[Level, int]:
        counts: dict[Level, int] = {}
        for r in self.rows:
            counts[r.unit.level] = counts.get(r.unit.level, 0) + 1
        return dict(sorted(counts.items()))


class PeerSource(Enum):
    """Where the comparison figures came from; the wording must never confuse the two."""

    NATIONAL = "national"
    FILE_MEAN = "file_mean"


RankScope = Literal["file", "published", "province"]


@dataclass(frozen=True, slots=True)
class Rank:
    """A rank and whose it is (the manifest's `rank_scope`): `file`, computed among the file's
    units of one level; `published`, a province's rank as the portal publishes it (of 34);
    `province`, a department's or commune's ROW_STT, its place in the portal's one list of all
    the province's departments and communes (never a nationwide rank: data/real/README.md).
    `of` is None when the field size is unknown."""

    position: int
    of: int | None
    scope: RankScope = "file"

    @property
    def published(self) -> bool:
        """As the portal published it (ROW_STT), not computed here."""
        return self.scope != "file"

    def __str__(self) -> str:
        """'1/34', or '37' when the field size is unknown."""
        return f"{self.position}/{self.of}" if self.of else str(self.position)


@dataclass(frozen=True, slots=True)
class GroupScore:
    group: Group
    score: Decimal | None
    peer: Decimal | None
    rank: Rank | None

    @property
    def pct(self) -> Decimal | None:
        """Share of the group's maximum, in percent (unrounded)."""
        return None if self.score is None else self.score * 100 / self.group.max

    @property
    def diff(self) -> Decimal | None:
        if self.score is None or self.peer is None:
            return None
        return self.score - self.peer


@dataclass(frozen=True, slots=True)
class Change:
    """Change of the total since the immediately preceding period."""

    previous_period: Period
    previous: Decimal | None
    delta: Decimal | None
    via: str | None = None  # the predecessor's name when the trend crosses the 2025 merger


@dataclass(frozen=True, slots=True)
class Revision:
    """The portal changed a period's figures after they were final (SPEC §9): from the store.
    `update` when the figures replaced were provisional (not a revision: the period was open)."""

    period: Period
    date: dt.date  # the data date of the new figures
    previous: Decimal | None  # the total before
    total: Decimal | None  # the total now
    update: bool = False


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: Period
    total: Decimal


@dataclass(frozen=True, slots=True)
class Scorecard:
    """Everything one unit's page and narrative need, already computed."""

    unit: Unit
    period: Period
    data_date: dt.date
    provisional: bool
    groups: tuple[GroupScore, ...]
    total: Decimal | None
    peer_total: Decimal | None
    peer_source: PeerSource
    band: Band | None
    rank: Rank | None
    change: Change | None
    trend: tuple[TrendPoint, ...] = field(default=())
    combined: tuple[GroupScore, ...] = field(default=())  # compared only as a sum (Combined)
    peer_n: int = 0  # how many units the file's mean is over (0 for national figures)
    portal_rank: Rank | None = None  # a department's or commune's ROW_STT (scope `province`)
    year_ago: Change | None = None  # against the same period a year before, when stored
    revisions: tuple[Revision, ...] = field(default=())  # of the periods the page shows
    # communes whose level in the file counts a đặc khu: named 'xã, phường, đặc khu', not
    # 'xã, phường' (An Giang's 102 are 99 communes and wards and 3 special zones)
    peer_zones: bool = False

    @property
    def reported(self) -> tuple[GroupScore, ...]:
        return tuple(g for g in self.groups if g.score is not None)

    @property
    def missing(self) -> tuple[GroupScore, ...]:
        return tuple(g for g in self.groups if g.score is None)

    def weakest(self) -> GroupScore | None:
        """Judged by share of the maximum, not raw points: 22-point groups are not weaker."""
        return min(self.reported, key=lambda g: g.pct or 0, default=None)

    def strongest(self) -> GroupScore | None:
        return max(self.reported, key=lambda g: g.pct or 0, default=None)
