"""The bulletin paragraph, from jinja2 templates a user can override (--templates DIR)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError
from markupsafe import Markup

from .errors import ScorecardError
from .formatting import Fmt
from .language import Language, language
from .messages import msg
from .model import Index, Level, Scorecard

if TYPE_CHECKING:
    from .findings import Finding, Rules
from .resources import resource_dir


@cache
def environment(user_dir: str | None = None) -> Environment:
    """One Environment per templates folder: the user's first, then the packaged ones."""
    # utf-8-sig: a template saved by Notepad starts with a BOM, which must not open a subject
    loaders = [FileSystemLoader(user_dir, encoding="utf-8-sig")] if user_dir else []
    loaders.append(FileSystemLoader(resource_dir("templates")))
    return Environment(loader=ChoiceLoader(loaders), autoescape=True, trim_blocks=True,
                       lstrip_blocks=True, undefined=StrictUndefined, keep_trailing_newline=False)


def render_template(name: str, user_dir: str | Path | None = None, **context: object) -> Markup:
    """Render a packaged or user template; errors in a user's template name the file."""
    env = environment(str(user_dir) if user_dir else None)
    try:
        return Markup(env.get_template(name).render(**context))
    except TemplateError as e:
        where = f"{user_dir}/{name}" if user_dir else name
        raise ScorecardError(msg("template_error", template=where, why=e)) from e


@dataclass(frozen=True)
class Item:
    """One group as the paragraph quotes it: '18/18', against '17,44/18', a gap of '0,56'."""

    name: str
    score: str
    peer: str
    diff: str
    above: bool = False
    peer_num: str = ""  # the peer's figure alone: '17,44'
    signed: str = ""  # the gap with its sign: '+0,56', '−0,76'
    # the group scored 0: alone below the peer, 'đạt 0/18 điểm (bình quân 14,43 điểm)', not
    # 'thấp hơn 14,43 điểm (14,43 điểm)'; in a list as any score ('0/18 điểm (bình quân
    # 14,43; −14,43)', clerk's review 3: its gap, the unit's largest, went unsaid)
    zero: bool = False

    @property
    def label(self) -> str:
        """'Thanh toán trực tuyến (6/10)': a group with its score, for a list of equals."""
        return f"{self.name} ({self.score})"


@dataclass(frozen=True)
class Facts:
    """What the paragraph says, decided here; the template only puts it into words. Figures
    are as printed, so 'bằng' (equal) is said only when the printed figures are equal."""

    unit: str
    peer: str
    gap: str  # the total's gap to the peer, as printed, without sign
    side: str  # "above" | "below" | "equal" | "" (no peer)
    above: tuple[Item, ...]
    below: tuple[Item, ...]
    equal: tuple[Item, ...]
    alone: tuple[Item, ...]  # reported, but with no peer figure to compare with
    combined: tuple[Item, ...]
    compared: int
    missing: tuple[str, ...]
    top: tuple[str, ...]
    top_pct: str
    low: tuple[str, ...]
    low_pct: str
    low_left: str
    low_alert: bool  # the weakest group is under the alert level (50%): to address at once
    low_band: str  # the level it is under ('70': 'dưới mức 70%'), '' when above both
    most_left: tuple[str, ...]  # empty when it is the weakest group itself
    most_left_points: str
    peer_word: str = ""  # 'bình quân', 'mặt bằng chung cả nước': before a gap
    peer_tag: str = ""  # 'bình quân', 'cả nước': inside a group's parenthesis
    level_words: str = ""  # 'tỉnh, thành phố': what the rank counts
    index_name: str = ""  # 'Chỉ số phục vụ người dân, doanh nghiệp'


def facts(card: Scorecard, index: Index, fmt: Fmt, rules: Rules | None = None) -> Facts:
    from .findings import Rules, unit_findings

    rules = rules or Rules()
    lang = fmt.lang
    above: list[Item] = []
    below: list[Item] = []
    equal: list[Item] = []
    alone: list[Item] = []
    for g in card.reported:
        item = Item(g.group.name(lang), fmt.frac(g.score, g.group.max),
                    fmt.frac(g.peer, g.group.max), "" if g.diff is None else fmt.num(abs(g.diff)),
                    peer_num=fmt.num(g.peer), signed=fmt.signed(g.diff), zero=g.score == 0)
        if g.peer is None:
            alone.append(item)
        elif fmt.num(g.score) == fmt.num(g.peer):
            equal.append(item)
        else:
            (above if g.diff and g.diff > 0 else below).append(item)
    combined = tuple(Item(g.group.name(lang), fmt.frac(g.score, g.group.max),
                          fmt.frac(g.peer, g.group.max), fmt.num(abs(g.diff or Decimal(0))),
                          (g.diff or Decimal(0)) > 0)
                     for g in card.combined if g.score is not None and g.peer is not None)
    side, gap = "", ""
    if card.total is not None and card.peer_total is not None:
        gap = fmt.num(abs(card.total - card.peer_total))
        side = ("equal" if fmt.num(card.total) == fmt.num(card.peer_total) else
                "above" if card.total > card.peer_total else "below")
    found = {f.kind: f for f in unit_findings(card, (), rules, index)}
    names = {g.group.code: g.group.name(lang) for g in card.groups}

    def named(kind: str) -> tuple[str, ...]:
        return tuple(names[c] for c in found[kind].groups) if kind in found else ()

    def figure(kind: str, key: str) -> str:
        return fmt.num(found[kind].figures[key]) if kind in found else ""

    most = named("most_left")
    weakest = found["weakest"].figures if "weakest" in found else {}
    return Facts(
        unit=formal_name(card, lang), peer=fmt.peer_named(card), gap=gap, side=side,
        above=tuple(above), below=tuple(below), equal=tuple(equal), alone=tuple(alone),
        combined=combined, compared=len(above) + len(below) + len(equal),
        missing=tuple(g.group.name(lang) for g in card.missing),
        top=named("strongest"), top_pct=figure("strongest", "pct"), low=named("weakest"),
        low_pct=figure("weakest", "pct"), low_left=figure("weakest", "left"),
        low_alert="pct" in weakest and weakest["pct"] < rules.alert_below,
        low_band=figure("weakest", "threshold") if "threshold" in weakest else "",
        most_left=() if set(most) <= set(named("weakest")) else most,
        most_left_points=figure("most_left", "left"),
        peer_word=fmt.words[f"peer_word_{card.peer_source.value}"],
        peer_tag=fmt.words[f"peer_tag_{card.peer_source.value}"],
        level_words=fmt.level_of(card).lower() if card.rank and card.rank.of
        and card.rank.scope != "province" else "",
        index_name=index.name_vi if language(lang) is Language.VI else index.name_en)


def formal_name(card: Scorecard, lang: Language) -> str:
    """'tỉnh An Giang' / 'An Giang Province', 'thành phố Huế' / 'Huế City'; a sub-unit tidied."""
    formal = card.unit.formal or card.unit.name
    if language(lang) is Language.VI or card.unit.level is not Level.PROVINCE:
        return formal
    kind = "City" if formal.startswith("thành phố ") else "Province"
    return f"{card.unit.name} {kind}"


def render_narrative(card: Scorecard, index: Index, lang: Language = Language.VI,
                     user_dir: str | Path | None = None, rules: Rules | None = None) -> Markup:
    """The paragraph as escaped markup (safe for reportlab); `.unescape()` gives plain text.

    Args:
        rules: the thresholds of the weakest group's band ('dưới mức 70%'); the shipped ones
            when None.
    """
    fmt = Fmt(lang)
    text = render_template(f"narrative.{lang}.j2", user_dir, card=card, index=index, f=fmt,
                           w=fmt.words, lang=lang, p=facts(card, index, fmt, rules),
                           join=partial(_join, fmt.words["and"]))
    return Markup(" ".join(text.split()))


def _join(word: str, items: object) -> str:
    """'A', 'A và B', 'A, B và C' — as the language joins a list."""
    seq = [str(i) for i in items]  # type: ignore[attr-defined]
    sep = "; " if any("," in s for s in seq) else ", "  # "Công khai, minh bạch; …"
    return seq[0] if len(seq) == 1 else f"{sep.join(seq[:-1])} {word} {seq[-1]}"


def join_words(words: list[str], fmt: Fmt) -> str:
    """'A', 'A và B', 'A; B và C' when a name has a comma of its own."""
    return _join(fmt.words["and"], words)


def finding_text(f: Finding, card: Scorecard, rules: Rules, lang: Language) -> str:
    """One finding as a full sentence a clerk copies into a report, in the user's language:
    one fact each, the groups named as the paragraph names them, the peer as 'bình quân 34
    tỉnh, thành phố' (never 'trong tệp')."""
    fmt = Fmt(lang)
    w = fmt.words
    names = {g.group.code: g.group.name(lang) for g in (*card.groups, *card.combined)}
    join = partial(_join, w["and"])

    def subject(words: list[str]) -> str:
        """'Nhóm chỉ số X', 'Các nhóm chỉ số X và Y' (in English, the names alone)."""
        lead = w["finding_group_one" if len(words) == 1 else "finding_group_many"]
        return f"{lead}{join(words)}"

    groups = subject([names[c] for c in f.groups]) if f.groups else ""
    fig = {k: fmt.num(v) for k, v in f.figures.items()}
    key = f"finding_{f.kind}"
    if f.kind in ("below_alert", "below_notice"):
        listed = subject([f"{names[c]} ({fmt.num(f.figures[c])}%)" for c in f.groups])
        low = fmt.num(rules.alert_below)
        threshold = fmt.num(rules.alert_below if f.kind == "below_alert" else rules.notice_below)
        return w[key].format(list=listed, low=low, threshold=threshold)
    if f.kind == "gap_mean":
        gap = f.figures["gap"]
        key = "finding_gap_up" if gap > 0 else "finding_gap_down" if gap < 0 else \
            "finding_gap_equal"
        return w[key].format(gap=fmt.num(abs(gap)), peer=fmt.peer_named(card),
                             value=fig["peer"])
    if f.kind == "drop":
        return w[key].format(delta=fmt.num(-f.figures["delta"]), previous=fig["previous"])
    if f.kind == "declines":
        return w[key].format(periods=fig["periods"], start=fig["from"], end=fig["to"])
    key, extra = _variant(f, card, fmt)
    fig |= extra
    return w[key].format(groups=groups, **fig)


def _below(f: Finding, code: str, card: Scorecard, fmt: Fmt, peer: str) -> str:
    """'thấp hơn bình quân (19,58/20 điểm) nhiều nhất: 0,2 điểm'; without 'nhiều nhất' when
    it is the only group below the peer."""
    group = next(g.group for g in card.groups if g.group.code == code)
    key = "finding_gap_only" if f.figures.get("behind") == 1 else "finding_gap_most"
    return fmt.words[key].format(gap=fmt.num(-f.figures["gap"]), peer=peer,
                                 value=fmt.frac(f.figures["peer"], group.max))


def _variant(f: Finding, card: Scorecard, fmt: Fmt) -> tuple[str, dict[str, str]]:
    """Which wording of a finding its figures call for, and the words it needs besides."""
    level = fmt.level_of(card).lower()
    if f.kind == "strongest" and f.figures["pct"] == 100:
        return "finding_strongest_full", {}
    if f.kind == "weakest":
        return ("finding_weakest_zero" if f.figures["pct"] == 0 else
                "finding_weakest_band" if "threshold" in f.figures else "finding_weakest"), {}
    if f.kind in ("lowest_rank", "lowest_rank_gap"):
        last = "_last" if f.figures["rank"] == f.figures["of"] else ""
        # a rank shared by several groups: all named, in one sentence ('cùng xếp thứ 83/102')
        tie = "_tie" if len(f.groups) > 1 else ""
        ranked = sum(1 for g in card.reported if g.rank)  # 'thấp nhất trong 6 nhóm chỉ số'
        extra = {"level": level, "rank": fmt.ordinal(int(f.figures["rank"])), "k": str(ranked)}
        if f.kind == "lowest_rank_gap":
            furthest = f.furthest or f.groups
            # the peer's word alone ('bình quân'): the page names it in full all around
            extra |= {"below": _below(f, furthest[0], card, fmt,
                                      fmt.words[f"peer_word_{card.peer_source.value}"]),
                      "furthest": _join(fmt.words["and"],
                                        [g.group.name(fmt.lang) for g in card.groups
                                         if g.group.code in furthest])}
        return f"finding_{f.kind}{last}{tie}", extra
    if f.kind == "largest_gap":
        return "finding_largest_gap", {"below": _below(f, f.groups[0], card, fmt,
                                                       fmt.peer_named(card))}
    if f.kind == "standing":
        return ("finding_standing_top" if f.figures["top"] else "finding_standing_last"
                if f.figures["ahead"] == 0 else "finding_standing"), {"level": level}
    return f"finding_{f.kind}", {}
