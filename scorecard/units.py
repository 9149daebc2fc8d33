"""The registry of provincial units and the forgiving name/code matching real files need."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Generic, TypeVar

from .messages import msg
from .model import Level, Unit
from .period import Period
from .resources import resource_dir, vocabulary

T = TypeVar("T")
MERGER_DATE = dt.date(2025, 7, 1)
_CODE = re.compile(r"(H\d{2}(?:\.\d+)?)$", re.I)
_SUFFIX = re.compile(r"\s*[-–—]\s*(tinh|thanh pho|tp)\b.*$")
_PREFIXES = ("uy ban nhan dan", "ubnd", "tinh", "thanh pho", "tp")
_LOCAL = ("xa", "phuong", "dac khu", *_PREFIXES)
_OWN_PROVINCE = re.compile(r" (?:tinh|thanh pho|tp) ")  # 'Thanh tra tỉnh An Giang'


def nfc(text: str) -> str:
    """Data text: NFC (decomposed marks are drawn misplaced by PDF fonts), spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split())


class _Unmarked(dict[int, int | None]):
    """str.translate's table dropping combining marks, filled as characters are met (one
    dict lookup a character instead of a Python call: a national month folds 20,000 names)."""

    def __missing__(self, point: int) -> int | None:
        kept = None if unicodedata.combining(chr(point)) else point
        self[point] = kept
        return kept


_UNMARKED = _Unmarked({ord("đ"): ord("d"), ord("Đ"): ord("D")})


def fold(text: str) -> str:
    """Lower-case ASCII without marks: Hòa = Hoà = HOA, Thủy = Thuỷ, NFC = NFD."""
    s = unicodedata.normalize("NFD", str(text)).translate(_UNMARKED).lower()
    return " ".join(s.split())


def slug(text: str) -> str:
    """ASCII file-name slug: 'Bắc Ninh' -> 'bac-ninh'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "unit"


def province_key(name: str) -> str:
    s = _SUFFIX.sub("", fold(name))
    return _unprefixed(re.sub(r"[^a-z0-9]+", " ", s).strip(), _PREFIXES)


def _unprefixed(s: str, prefixes: tuple[str, ...]) -> str:
    changed = True
    while changed:
        changed = False
        for p in prefixes:
            if s.startswith(p + " "):
                s, changed = s[len(p) + 1:], True
    return s


def normalize_code(code: str) -> str:
    """'000.00.00.H37' -> 'H37'; other codes are kept, upper-cased."""
    s = nfc(code).upper()
    m = _CODE.search(s)
    return m.group(1) if m else s


@lru_cache(maxsize=8192)  # the same communes' names, period after period (the store's list)
def is_special_zone(name: str) -> bool:
    """'UBND Đặc khu Phú Quốc - tỉnh An Giang': a commune-level special zone (đặc khu)."""
    return " dac khu " in f" {fold(name)} "


def counts_special_zone(units: Iterable[Unit]) -> bool:
    """Whether communes among these units count a đặc khu: they are then 'xã, phường, đặc
    khu', not 'xã, phường'."""
    return any(u.level is Level.COMMUNE and is_special_zone(u.name) for u in units)


def is_national(name: str, code: str = "") -> bool:
    return province_key(name) in _words("national", "names") or fold(code) == "cn"


def level_from_name(name: str) -> Level | None:
    s = fold(name)
    if s.startswith(_words("levels", "commune")) or is_special_zone(name):
        return Level.COMMUNE
    if s.startswith(_words("levels", "department")):
        return Level.DEPARTMENT
    return None


@cache
def _words(table: str, key: str) -> tuple[str, ...]:
    """data/words.toml's words, folded once; a trailing space is kept (it means "a word
    ends here": "Sở " is a department, "Sơn La" is not)."""
    return tuple(fold(w) + (" " if w.endswith(" ") else "") for w in vocabulary()[table][key])


_PROVINCE_SUFFIX = re.compile(r"\s*[-–—]\s*(tỉnh|thành phố|tp\.?)\s+\S.*$", re.I)
_UBND_LOCAL = re.compile(r"^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+(Xã|Phường|Đặc khu|Đặc Khu)\b")


def tidy(name: str) -> str:
    """A sub-unit's name as a bulletin writes it: 'UBND Xã Nhơn Hội - tỉnh An Giang' ->
    'UBND xã Nhơn Hội' (the province is said once, not in every name)."""
    s = _PROVINCE_SUFFIX.sub("", nfc(name)) or nfc(name)
    s = re.sub(r"\bUBND Tỉnh\b", "UBND tỉnh", s)
    return _UBND_LOCAL.sub(lambda m: f"{m[1]} {m[2].lower()}", s)


def province_of(name: str) -> str:
    """The province a sub-unit's name ends with: 'Sở Tài chính - tỉnh An Giang' -> 'tỉnh An
    Giang' ('' when the name does not say it)."""
    m = _PROVINCE_SUFFIX.search(nfc(name))
    return m[0].strip(" -–—") if m else ""


def sub_unit(code: str, name: str, level: Level) -> Unit:
    """A department or commune as a data file names it: its parent province's code (the
    code's first part) and its name as a bulletin writes it (`formal`, tidy)."""
    parent = code.split(".")[0] if "." in code else None
    return Unit(code, name or code, level, parent, tidy(name) if name else code)


def full_name(unit: Unit) -> str:
    """A department or commune by its full name as a letter writes it, as its page's title
    and its mail name it: the portal's dash gone, a commune's province after a comma ('UBND
    xã An Minh, tỉnh An Giang'), a department's without one ('Sở Tài chính tỉnh An Giang'),
    the province said once ('Thanh tra tỉnh An Giang')."""
    own = unit.formal or unit.name
    where = province_of(unit.name)
    if not where or fold(where) in fold(own):
        return own
    return f"{own}{', ' if unit.level is Level.COMMUNE else ' '}{where}"


def display_name(code: str, name: str, level: Level | None = None) -> str:
    """A unit named as the outputs name it in a message: a department or commune by
    `full_name` ('UBND Xã Nhơn Hội - tỉnh An Giang' -> 'UBND xã Nhơn Hội, tỉnh An Giang'), a
    province by its data name; the level, when not given, told by the code or the name."""
    level = level or level_from_code(code) or level_from_name(name) or Level.DEPARTMENT
    return nfc(name) if level is Level.PROVINCE else full_name(sub_unit(code, name, level))


def short_key(name: str) -> str:
    """A name folded without what every name of its kind says: its province after it, with
    or without the portal's dash, and 'UBND xã', 'phường', 'đặc khu' before it ('UBND xã
    An Minh - tỉnh An Giang', 'xã An Minh, tỉnh An Giang' -> 'an minh'; 'Thanh tra tỉnh An
    Giang' -> 'thanh tra'; a province's own name stays whole)."""
    s = _unprefixed(province_key(name), _LOCAL)  # as a query's 'tỉnh' is: 'Tịnh Biên'
    for m in _OWN_PROVINCE.finditer(s):  # 'phường Tịnh Biên' keeps its 'tinh'
        if s[m.end():] in _province_keys():
            return s[:m.start()]
    return s


@cache
def _province_keys() -> frozenset[str]:
    return frozenset(province_key(n) for p in load_registry().provinces
                     for n in (p.name, *p.aliases))


def level_from_code(code: str) -> Level | None:
    """Only a province's code is unambiguous: departments and communes share one shape."""
    return Level.PROVINCE if re.fullmatch(r"H\d{2}", code) else None


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    era: str  # "new": from 2025-07-01; "old": before
    successor: str | None
    aliases: tuple[str, ...]
    kind: str = "tỉnh"  # or "thành phố": how a bulletin names it

    @property
    def formal(self) -> str:
        """'tỉnh An Giang', 'thành phố Hồ Chí Minh': never a bare 'Hồ Chí Minh'."""
        return f"{self.kind} {self.name}"


class Registry:
    """The 34 provinces in force from 2025-07-01 and the 63 before, with the crosswalk."""

    def __init__(self, provinces: list[Province]):
        self.provinces = provinces
        self._by_key: dict[tuple[str, str], Province] = {}
        self._by_code: dict[tuple[str, str], Province] = {}
        for p in provinces:
            self._by_code[(p.era, p.code)] = p
            for n in (p.name, *p.aliases):
                self._by_key[(p.era, province_key(n))] = p

    @staticmethod
    def era(period: Period) -> str:
        return "new" if period.last_day >= MERGER_DATE else "old"

    def count(self, period: Period) -> int:
        era = self.era(period)
        return sum(p.era == era for p in self.provinces)

    def by_code(self, code: str, era: str) -> Province | None:
        return self._by_code.get((era, code))

    def resolve(self, name: str, code: str, period: Period) -> Province:
        """Find a province by name (then code) in the registry in force; raise LookupError."""
        era = self.era(period)
        other = "old" if era == "new" else "new"
        key = province_key(name) if name else ""
        if key and (p := self._by_key.get((era, key))):
            return p
        if code and (p := self._by_code.get((era, code))):
            return p
        old = self._by_key.get((other, key)) if key else None
        if old and era == "new" and old.successor:
            succ = self._by_code[("new", old.successor)]
            raise LookupError(msg("merged", old=old.name, new=succ.name, code=succ.code,
                                  period=period))
        if old and era == "old":
            raise LookupError(msg("not_yet", name=old.name, period=period))
        shown = name or code
        names = {province_key(p.name): p.name for p in self.provinces if p.era == era}
        close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.6)
        hint = msg("did_you_mean", name=names[close[0]]) if close else ""
        raise LookupError(msg("unknown_province", name=shown, period=period, hint=hint))


@cache
def load_registry() -> Registry:
    text = (resource_dir("data") / "provinces.csv").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if not ln.startswith("#")]
    provinces = [
        Province(r["code"], r["name"], r["era"], r["successor"] or None,
                 tuple(a for a in r["aliases"].split(";") if a), r["kind"])
        for r in csv.DictReader(lines)
    ]
    return Registry(provinces)


class Finder(Generic[T]):
    """Items indexed once by code and by name, so that looking up many queries (a
    recipients file against a month of communes) is linear, not quadratic. `shown` names
    an item in a message (a suggestion, the candidates of an ambiguous name) as the outputs
    name it; by default as `full_name` would, from its data name."""

    def __init__(self, items: Sequence[T], key: Callable[[T], tuple[str, str]],
                 shown: Callable[[T], str] | None = None):
        self.items = list(items)
        self.key = key
        self.shown = shown or (lambda it: display_name(*key(it)))
        self.by_code: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        self.by_short: dict[str, list[int]] = {}
        self.names: dict[str, int] = {}  # a folded name (either key) -> its first item
        for i, it in enumerate(self.items):
            code, name = key(it)
            if code:
                self.by_code.setdefault(code.upper(), []).append(i)
            folded, short = province_key(name), short_key(name)
            self.by_name.setdefault(folded, []).append(i)
            self.by_short.setdefault(short, []).append(i)
            self.names.setdefault(folded, i)
            self.names.setdefault(short, i)

    def find(self, query: str) -> list[T]:
        """The items a query names by code (any prefix) or by name; else the one item its
        name names once what every such name says is left out ('An Minh' for 'UBND xã An
        Minh - tỉnh An Giang'). LookupError naming the candidates of a name several items
        share so, or the closest name when none."""
        hits = sorted({*self.by_code.get(normalize_code(query), ()),
                       *self.by_name.get(province_key(query), ())})
        if not hits:
            hits = self.by_short.get(short_key(query), [])
            if len(hits) > 1:
                raise LookupError(msg("unit_ambiguous", query=query, units=[
                    self._said(self.items[i]) for i in hits]))
        if not hits:
            close = difflib.get_close_matches(short_key(query), list(self.names), n=1,
                                              cutoff=0.5)
            hint = (msg("did_you_mean", name=self.shown(self.items[self.names[close[0]]]))
                    if close else "")
            raise LookupError(msg("no_unit", query=query, hint=hint))
        return [self.items[i] for i in hits]

    def _said(self, item: T) -> str:
        code = self.key(item)[0]
        return f"{self.shown(item)} ({code})" if code else self.shown(item)


def select(items: Sequence[T], queries: tuple[str, ...], key: Callable[[T], tuple[str, str]],
           shown: Callable[[T], str] | None = None) -> list[T]:
    """Pick the items whose (code, name) matches a query by code (any prefix) or by name.

    All items when there is no query. Raises LookupError naming the closest name for a
    query that matches nothing.
    """
    if not queries:
        return list(items)
    finder = Finder(items, key, shown)
    chosen: dict[int, T] = {}
    for q in queries:
        chosen.update((id(h), h) for h in finder.find(q))
    return list(chosen.values())
