"""Who issues the monthly report, and what that decides in its Decree 30 layout (SPEC §7):
ô 1 and ô 2, the number's suffix, the signature block, the place. The defaults per kind of
issuer are data (data/issuers.toml); --issuer-kind, or else --office, or else the unit's
level says which kind; every option the clerk gives overrides its default.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from .language import Language
from .model import Level, Unit
from .resources import resource_dir
from .units import fold

PLACEHOLDER_NAME = "[Họ và tên]"
PLACEHOLDER_NAME_EN = "[Full name]"


@dataclass(frozen=True)
class Issuer:
    """The issuing body as the report's header, sentences and signature block say it."""

    kind: str  # a key of data/issuers.toml
    box1: str  # ô 1, in capitals; "" when the issuer has no parent body above it
    box2: str  # ô 2, in capitals
    name: str  # in a sentence: 'Văn phòng UBND tỉnh An Giang'
    suffix: str  # of the number: 'BC-VP'
    signature: tuple[str, ...]  # the title lines, each KT./TM. line followed by its next
    signer: str  # the name, or the placeholder the clerk fills in
    place: str  # ô 4: the bare place name, 'Mỹ Hòa Hưng'
    itself: bool = False  # the unit reports on itself (a Sở's, a commune's own report)


@cache
def kinds() -> dict[str, dict[str, object]]:
    """data/issuers.toml, by kind."""
    return tomllib.loads((resource_dir("data") / "issuers.toml").read_text("utf-8"))


def kind_of(office: str, level: Level) -> str:
    """The kind --office names ('Văn phòng UBND tỉnh …', 'UBND xã …', 'Sở …'), longest match
    first; else the kind that reports for a unit of that level."""
    said = fold(office)
    if said:
        hits = [(len(m), k) for k, v in kinds().items() for m in v["match"]  # type: ignore[attr-defined]
                if said.startswith(m)]
        if hits:
            return max(hits)[1]
    return next(k for k, v in kinds().items() if v.get("level") == level.name.lower())


@dataclass(frozen=True)
class IssuerOptions:
    """What the clerk said of the issuer (bulletin's options); blanks take the defaults."""

    office: str = ""  # --office as typed: 'Văn phòng UBND tỉnh An Giang', 'Sở Tài chính'
    kind: str = ""  # --issuer-kind
    abbr: str = ""  # --office-abbr
    parent_office: str = ""
    place: str = ""
    signer_title: str = ""  # lines may be separated by '/'
    signer: str = ""


def resolve(unit: Unit, province: str, opts: IssuerOptions,
            lang: Language = Language.VI) -> Issuer:
    """The issuer of one unit's report, in the report's language (the English words of a
    kind are its `en` table; what the clerk typed is kept as typed).

    Args:
        province: the unit's province as a bulletin names it ('tỉnh An Giang').
    """
    office, abbr, signer_title = opts.office, opts.abbr, opts.signer_title
    kind = opts.kind or kind_of(office, unit.level)
    k = kinds()[kind]
    en = lang is Language.EN
    words: dict[str, object] = {**k, **k["en"]} if en else k  # type: ignore[dict-item]
    own = unit.formal or unit.name
    body = office or (own if unit.level is not Level.PROVINCE else "")
    commune = _bare(own, ("UBND ", "Ủy ban nhân dân "))
    own_name = _own(k, body, province)
    values = {"province": province, "office": body, "commune": commune, "own": own_name,
              "abbr": abbr or _starting(k, "abbrs", body) or initials(own_name),
              "committee": _committee_en(province), "commune_en": _commune_en(commune)}
    name = str(words["name"]).format(**values)
    box2 = str(words["box2"]).format(**values)
    itself = fold(str(k["name"]).format(**values)) == fold(own)  # said in Vietnamese
    if office and not any(fold(office).startswith(m) for m in k["match"]):  # type: ignore[attr-defined]
        name = box2 = office  # an office of its own kind: named as typed
        itself = fold(office) == fold(own)
    head = _head(words, body)
    lines = [s.strip() for s in signer_title.split("/") if s.strip()] if signer_title \
        else [head] if head != words["head"] else [str(s) for s in words["signature"]]  # type: ignore[attr-defined]
    return Issuer(
        kind=kind,
        box1=(opts.parent_office or str(words["box1"]).format(**values)).upper(),
        box2=box2.upper(),
        name=name,
        suffix=f"BC-{abbr.upper()}" if abbr else str(k["suffix"]).format(**values),
        # KT./TM. and their second lines are the Vietnamese form's; English says them itself
        signature=tuple(s.upper() for s in lines) if en else signature_lines(lines, head),
        signer=opts.signer or (PLACEHOLDER_NAME_EN if en else PLACEHOLDER_NAME),
        place=opts.place or _place(unit, province, commune), itself=itself)


def _committee_en(province: str) -> str:
    """'tỉnh An Giang' -> "An Giang Provincial People's Committee"; 'thành phố Huế' ->
    "Huế City People's Committee"."""
    if province.startswith("thành phố "):
        return f"{province.removeprefix('thành phố ')} City People's Committee"
    return f"{province.removeprefix('tỉnh ')} Provincial People's Committee"


def _commune_en(commune: str) -> str:
    """'xã Mỹ Hòa Hưng' -> 'Mỹ Hòa Hưng Commune', 'phường Rạch Giá' -> 'Rạch Giá Ward',
    'đặc khu Phú Quốc' -> 'Phú Quốc Special Zone'; another name as it is."""
    for vi, en in (("xã ", "Commune"), ("phường ", "Ward"), ("đặc khu ", "Special Zone")):
        if commune.lower().startswith(vi):
            return f"{commune[len(vi):]} {en}"
    return commune


def signature_lines(lines: list[str], head: str) -> tuple[str, ...]:
    """Each 'KT. X' followed by 'PHÓ X', each 'TM. …' by who signs for the body (`head`),
    unless the next line already says it (Decree 30: a KT./TM. title has its second line)."""
    out: list[str] = []
    lines = [s.upper() for s in lines]
    for i, line in enumerate(lines):
        out.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if line.startswith("KT. ") and not nxt:
            out.append("PHÓ " + line[4:])
        elif line.startswith("TM. ") and not nxt:
            out.append(head)
    return tuple(out)


def initials(name: str) -> str:
    """'Sở Tài chính' -> 'STC', 'Sở Giáo dục và Đào tạo' -> 'SGDĐT' (the usual abbreviation
    of an office; --office-abbr when it is another)."""
    return "".join(w[0] for w in name.split() if w.lower() not in ("và", "-") and w[0].isalpha()
                   ).upper()


def _head(k: dict[str, object], body: str) -> str:
    """Who heads the body: a Ban's 'TRƯỞNG BAN', an inspectorate's 'CHÁNH THANH TRA'."""
    return str(_starting(k, "heads", body) or k["head"])


def _starting(k: dict[str, object], table: str, body: str) -> object:
    """The value of a kind's table (heads, abbrs, keeps_kind) for the first key the body's
    name begins with (compared without accents or case); None when none does."""
    said = fold(body)
    values: dict[str, object] = k.get(table, {})  # type: ignore[assignment]
    return next((v for m, v in values.items() if said.startswith(m)), None)


def within(name: str, province: str) -> str:
    """A department as its own province's documents name it: 'Thanh tra tỉnh', 'Sở Tài
    chính' — the province is the report's own, and saying it again reads as another's."""
    return _own(kinds()["so"], name, province)


def _own(k: dict[str, object], body: str, province: str) -> str:
    """The body as ô 2 names it under its province's UBND (ô 1): without the province, which
    ô 1 already says — 'Sở Tài chính tỉnh An Giang' -> 'Sở Tài chính'; a body named after
    the province keeps its kind: 'Thanh tra tỉnh An Giang' -> 'Thanh tra tỉnh'."""
    name = " ".join(body.replace(" - ", " ").split())
    if not province or not name.lower().endswith(" " + province.lower()):
        return name
    place = province.removeprefix("tỉnh ").removeprefix("thành phố ")
    cut = place if _starting(k, "keeps_kind", name) else province
    return name[:-len(cut) - 1]


def _bare(name: str, prefixes: tuple[str, ...]) -> str:
    for p in prefixes:
        if name.lower().startswith(p.lower()):
            return name[len(p):]
    return name


def _place(unit: Unit, province: str, commune: str) -> str:
    """ô 4's place: the commune's bare name ('Mỹ Hòa Hưng', not 'UBND xã Mỹ Hòa Hưng -
    tỉnh An Giang'); the province's name for a province or a department."""
    if unit.level is Level.COMMUNE:
        return commune.split(" ", 1)[1] if commune.split(" ", 1)[0] in ("xã", "phường") \
            else _bare(commune, ("đặc khu ",))
    return province.removeprefix("tỉnh ").removeprefix("thành phố ")
