"""Findings as data: what a leader should see in a unit's figures, each with its evidence and
a severity, computed from the scorecards alone (no words here: narrate, the page and the
bulletin say them). Thresholds come from data/findings.toml, or --findings-rules FILE.

Missing is never zero: a group not reported has no finding; a unit with too few periods gets
no trend finding.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from .errors import IndexFileError
from .language import Language
from .messages import msg
from .model import GroupScore, Index, Level, Scorecard
from .optionfiles import BadValue, number, read_toml, value, whole
from .resources import resource_dir
from .scoring import round2

INFO, NOTICE, ALERT = 1, 2, 3


@dataclass(frozen=True)
class Rules:
    """The thresholds an office may tune."""

    alert_below: Decimal = Decimal(50)  # % of a group's maximum
    notice_below: Decimal = Decimal(70)
    drop: Decimal = Decimal("0.5")  # points since the immediately preceding period
    declines: int = 3  # falls in a row that make a trend finding (needs declines + 1 periods)
    watch_departments: int = 3
    watch_communes: int = 10
    improvers: int = 2


@dataclass(frozen=True)
class Finding:
    """One fact with its figures. `groups` are group codes; `figures` the evidence, by name;
    `furthest`, in a rank's finding that also says the gap, the groups furthest below the
    peer (among `groups`, which are all those sharing the rank)."""

    kind: str
    severity: int
    groups: tuple[str, ...] = ()
    figures: dict[str, Decimal] = field(default_factory=dict)
    furthest: tuple[str, ...] = ()


@dataclass(frozen=True)
class Watch:
    """For a province's office: its departments and communes to watch, and the counts."""

    level: Level
    units: tuple[Scorecard, ...]  # largest drops first, then lowest share of the maximum
    improvers: tuple[Scorecard, ...]
    up: int
    down: int
    unchanged: int
    not_comparable: int


def load_rules(path: str | Path | None = None) -> Rules:
    """data/findings.toml, or another file of the same shape."""
    p = Path(path) if path else resource_dir("data") / "findings.toml"
    try:
        raw = read_toml(p)
        level, change, watch = (value(raw, k) for k in ("level", "change", "watch"))
        alert = number(level, "alert_below", 0, 100, where="level.")
        notice = number(level, "notice_below", 0, 100, where="level.")
        if alert > notice:
            raise BadValue(msg("bad_value_order", name="level.alert_below", value=alert,
                               other="level.notice_below", other_value=notice))
        return Rules(
            alert_below=alert, notice_below=notice,
            drop=number(change, "drop", 0, 100, where="change.", above=True),
            declines=whole(change, "declines", 1, 24, where="change."),
            watch_departments=whole(watch, "departments", 0, 1000, where="watch."),
            watch_communes=whole(watch, "communes", 0, 1000, where="watch."),
            improvers=whole(watch, "improvers", 0, 1000, where="watch."))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError,
            ValueError, ArithmeticError) as e:
        raise IndexFileError(msg("rules_file", file=p, why=e)) from e


@dataclass(frozen=True)
class Actions:
    """Suggested actions per group (data/actions.toml or --actions FILE), by group code."""

    by_group: dict[str, dict[str, str]] = field(default_factory=dict)

    def suggest(self, code: str, lang: Language, own: bool = False) -> str | None:
        """The suggestion for a group in a language; None when the file has none. `own`: in
        a unit's report on itself, its own wording (`vi_own`: what it will do) where the
        file has one, else the office's ('Đề nghị các cơ quan, đơn vị …')."""
        words = self.by_group.get(code, {})
        return (own and words.get(f"{lang}_own")) or words.get(lang) or None


def load_actions(path: str | Path | None = None) -> Actions:
    """data/actions.toml, or an office's own file of the same shape."""
    p = Path(path) if path else resource_dir("data") / "actions.toml"
    try:
        raw = read_toml(p)
        return Actions({str(code): {str(k): str(v) for k, v in words.items()}
                        for code, words in raw["groups"].items()})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError,
            AttributeError, ValueError) as e:
        raise IndexFileError(msg("actions_file", file=p, why=e)) from e


def unit_findings(card: Scorecard, peers: Sequence[Scorecard], rules: Rules,
                  index: Index) -> list[Finding]:
    """Everything worth saying of one unit, most severe first.

    Args:
        peers: the units of its level in the same run, for median, 75th percentile and the
            unit's percentile (when the peer figure is the file's mean).
    """
    out = _extremes(card)
    out += _points_left(card, index)
    out += _level_alerts(card, rules)
    out += _change(card, rules)
    out += _rank_and_gap(card)
    out += _standing(card, peers)
    return sorted(_one_fact_each(out, rules), key=lambda f: -f.severity)


def _one_fact_each(found: list[Finding], rules: Rules) -> list[Finding]:
    """No fact said twice: the weakest group's level band is said in its own finding (its
    groups leave the band's list, which goes when it empties; under 50%, it is an alert as
    the band was), and the group with most points left goes when it is the weakest group,
    whose finding already says what is left."""
    weakest = next((f for f in found if f.kind == "weakest"), None)
    if weakest is None:
        return found
    out = []
    severity = weakest.severity
    for f in found:
        if f.kind in ("below_alert", "below_notice") and set(f.groups) & set(weakest.groups):
            threshold = rules.alert_below if f.kind == "below_alert" else rules.notice_below
            weakest.figures["threshold"] = threshold
            severity = max(severity, f.severity)
            rest = tuple(c for c in f.groups if c not in weakest.groups)
            if rest:
                out.append(Finding(f.kind, f.severity, rest, {c: f.figures[c] for c in rest}))
        elif f.kind == "most_left" and f.groups == weakest.groups:
            continue
        else:
            out.append(f)
    return [replace(f, severity=severity) if f is weakest else f for f in out]


# what the paragraph (narrative.j2) says of the groups whenever they are found: the weakest
# with its band ('(67,42%, dưới mức 70%)'), which _one_fact_each has taken from the band's list
IN_THE_PARAGRAPH = ("strongest", "weakest", "most_left")


def beside_the_paragraph(found: Sequence[Finding]) -> list[Finding]:
    """For the box under the page's paragraph: not what the paragraph has just said (the
    strongest and the weakest group, the weakest's band with it, the one with most points
    left). The gap of the only group below the peer goes too: the paragraph has said it
    ('Riêng nhóm chỉ số Số hóa hồ sơ …, thấp hơn bình quân 0,76 điểm')."""
    return [f for f in found if f.kind not in IN_THE_PARAGRAPH
            and not (f.kind == "largest_gap" and f.figures.get("behind") == 1)]


# said of every group they hold, never of some of them: the weakest groups, a band's (the
# weakest, said with its band, apart), the groups sharing the lowest rank
WHOLE = ("weakest", "below_alert", "below_notice", "lowest_rank", "lowest_rank_gap")


def said_once(found: Sequence[Finding]) -> list[Finding]:
    """For a list a reader takes in at once (the page's box, narrate --findings): what is
    said of a group's own share or rank is said of every group it holds, the rest of groups
    not named yet. The weakest groups, each band (under 50%, from 50% to 70%) and the lowest
    rank are always said, each of all its groups, even one another has named (Sở Tài chính:
    Công khai, Dịch vụ công and Thanh toán are all 14/15, and Thanh toán at 69,9% is in the
    band with Số hóa hồ sơ; An Minh's two groups under 50% are both last, 102/102: leaving
    either out said less than the figures). The group furthest below the peer joins its
    rank's finding when it is among the lowest-ranked ('Tiến độ, kết quả giải quyết xếp thứ
    34/34 … và thấp hơn bình quân … 3,55 điểm': one bullet of where it stands), in that
    finding's place; any other finding keeps only the groups not named yet, and goes when
    none is left (Huế's box named Tiến độ three times)."""
    found = list(found)
    rank = next((f for f in found if f.kind == "lowest_rank"), None)
    gap = next((f for f in found if f.kind == "largest_gap"), None)
    if rank and gap and set(gap.groups) <= set(rank.groups):
        merged = Finding("lowest_rank_gap", max(rank.severity, gap.severity), rank.groups,
                         {**rank.figures, **gap.figures}, gap.groups)
        found[found.index(rank)] = merged
        found.remove(gap)
    named = {c for f in found if f.kind in WHOLE for c in f.groups}
    out = []
    for f in found:  # the list keeps its order
        rest = tuple(c for c in f.groups if c not in named)
        if f.kind in WHOLE or not f.groups:
            out.append(f)
        elif rest:
            figures = {k: v for k, v in f.figures.items() if k not in f.groups or k in rest}
            out.append(Finding(f.kind, f.severity, rest, figures))
            named.update(rest)
    return out


def _ties(groups: Sequence[GroupScore], pick: object) -> list[GroupScore]:
    best = pick(g.pct for g in groups)  # type: ignore[operator]
    return [g for g in groups if g.pct == best]


def _extremes(card: Scorecard) -> list[Finding]:
    """Strongest and weakest by share of the maximum, ties named together."""
    reported = list(card.reported)
    if len(reported) < 2:
        return []
    top, low = _ties(reported, max), _ties(reported, min)
    if top[0].pct == low[0].pct:
        return []
    out = [Finding("strongest", INFO, tuple(g.group.code for g in top),
                   {"pct": round2(top[0].pct or Decimal(0))})]
    zero = low[0].pct == 0  # 'đạt 0 điểm': first, with the alerts
    out.append(Finding("weakest", ALERT if zero else NOTICE, tuple(g.group.code for g in low), {
        "pct": round2(low[0].pct or Decimal(0)),
        "left": sum((g.group.max - (g.score or 0) for g in low), Decimal(0))}))
    return out


def _points_left(card: Scorecard, index: Index) -> list[Finding]:
    """Where points can still be won: the group with most points left, and the total."""
    left = {g.group.code: g.group.max - g.score for g in card.reported if g.score is not None}
    if not left or max(left.values()) == 0:
        return []
    most = max(left.values())
    out = [Finding("most_left", INFO, tuple(c for c, v in left.items() if v == most),
                   {"left": most})]
    if card.total is not None:
        out.append(Finding("total_left", INFO, (), {"left": index.total.max - card.total}))
    return out


def _level_alerts(card: Scorecard, rules: Rules) -> list[Finding]:
    """Groups below half their maximum (alert), or between half and 70% (notice)."""
    out = []
    low = [g for g in card.reported if (g.pct or 0) < rules.alert_below]
    mid = [g for g in card.reported if rules.alert_below <= (g.pct or 0) < rules.notice_below]
    if low:
        out.append(Finding("below_alert", ALERT, tuple(g.group.code for g in low),
                           {g.group.code: round2(g.pct or Decimal(0)) for g in low}))
    if mid:
        out.append(Finding("below_notice", NOTICE, tuple(g.group.code for g in mid),
                           {g.group.code: round2(g.pct or Decimal(0)) for g in mid}))
    return out


def _change(card: Scorecard, rules: Rules) -> list[Finding]:
    """A drop since the immediately preceding period; declines in a row over the trend."""
    out = []
    c = card.change
    if c is not None and c.delta is not None and -c.delta >= rules.drop:
        out.append(Finding("drop", ALERT, (), {"delta": c.delta, "previous": c.previous
                                               or Decimal(0)}))
    totals = [p.total for p in card.trend]
    n = rules.declines
    if len(totals) >= n + 1 and all(b < a for a, b in zip(totals[-n - 1:-1], totals[-n:],
                                                          strict=True)):
        out.append(Finding("declines", ALERT, (), {"periods": Decimal(n), "from": totals[-n - 1],
                                                   "to": totals[-1]}))
    return out


def _rank_and_gap(card: Scorecard) -> list[Finding]:
    """The group the unit ranks lowest in, when it is in the lower half of the field (an alert
    when last), and the group furthest below the peer: a last-placed unit's story (Huế: Tiến
    độ, kết quả giải quyết 34/34 at −3,55), which the share of the maximum can hide."""
    out = []
    ranked, tied = _lowest_ranked(card)
    if tied:
        worst = tied[0].rank.position if tied[0].rank else 0
        of = ranked[0].rank.of if ranked[0].rank else 0
        if of and worst > of / 2:
            out.append(Finding("lowest_rank", ALERT if worst == of else NOTICE,
                               tuple(g.group.code for g in tied),
                               {"rank": Decimal(worst), "of": Decimal(of or 0)}))
    # a group that scored 0 is said as such ('đạt 0/18 điểm'): its gap is the peer itself,
    # and when it is the furthest below, no other group is 'furthest below' (Thanh tra tỉnh)
    behind = [g for g in card.reported if g.diff is not None and g.diff < 0]
    if behind:
        gap = min(g.diff for g in behind if g.diff is not None)
        low = [g for g in behind if g.diff == gap and g.score]
        if low:
            # 'behind': how many groups are below the peer ('nhiều nhất' of one means nothing)
            out.append(Finding("largest_gap", NOTICE, tuple(g.group.code for g in low),
                               {"gap": gap, "peer": low[0].peer or Decimal(0),
                                "behind": Decimal(len(behind))}))
    return out


def _lowest_ranked(card: Scorecard) -> tuple[list[GroupScore], list[GroupScore]]:
    """The groups ranked among two or more units of the level (in the file), and those of
    them sharing the unit's worst rank, in the index's order."""
    ranked = [g for g in card.reported if g.rank and g.rank.of and g.rank.of > 1
              and g.rank.scope == "file"]
    worst = max((g.rank.position for g in ranked if g.rank), default=0)
    return ranked, [g for g in ranked if g.rank and g.rank.position == worst]


def worst_against_peers(card: Scorecard) -> Finding | None:
    """Where the unit stands lowest against the other units of its level: its worst group
    rank, every group sharing it named (the one furthest below the peer first), with each
    group's gap to the peer by its code. The reason a unit is watched: its own weakest group
    by share of the maximum is often one it ranks well in (Rạch Giá's Dịch vụ công trực tuyến,
    4/102 and above the mean; its Số hóa hồ sơ is 100/102). None when nothing is ranked among
    two or more units."""
    _, tied = _lowest_ranked(card)
    if not tied:
        return None
    worst = tied[0].rank.position if tied[0].rank else 0
    tied.sort(key=lambda g: g.diff if g.diff is not None else Decimal(0))  # stable: index order
    of = tied[0].rank.of if tied[0].rank and tied[0].rank.of else 0
    return Finding("worst_rank", ALERT if worst == of else NOTICE,
                   tuple(g.group.code for g in tied),
                   {"rank": Decimal(worst), "of": Decimal(of),
                    **{g.group.code: g.diff for g in tied if g.diff is not None}})


def _standing(card: Scorecard, peers: Sequence[Scorecard]) -> list[Finding]:
    """The gap to the peer mean, and to the median and 75th percentile of the level's units,
    with the unit's percentile (the share of them it is ahead of)."""
    if card.total is None:
        return []
    out = []
    if card.peer_total is not None:
        out.append(Finding("gap_mean", INFO, (), {"gap": card.total - card.peer_total,
                                                  "peer": card.peer_total}))
    totals = [float(p.total) for p in peers if p.total is not None]
    if len(totals) >= 3:
        import pandas as pd  # the level's distribution: what pandas is for

        s = pd.Series(totals)
        median, p75 = (round2(Decimal(str(v))) for v in s.quantile([0.5, 0.75]))
        below = int((s < float(card.total)).sum())
        ahead = Decimal(below * 100) / len(totals)
        out.append(Finding("standing", INFO, (), {
            "median": median, "gap_median": card.total - median, "p75": p75,
            "gap_p75": card.total - p75, "percentile": round2(ahead),
            "ahead": Decimal(below), "n": Decimal(len(totals)),
            "top": Decimal(int((s > float(card.total)).sum()) == 0)}))
    return out


def watch_list(cards: Sequence[Scorecard], rules: Rules) -> list[Watch]:
    """For a province's office: per level below province, the units to watch (largest drops
    first, then lowest share of the maximum), the notable improvers and the counts."""
    out = []
    for level, cap in ((Level.DEPARTMENT, rules.watch_departments),
                       (Level.COMMUNE, rules.watch_communes)):
        units = [c for c in cards if c.unit.level is level]
        if not units:
            continue
        deltas = [_delta(c) for c in units]
        drops = sorted((c for c, d in zip(units, deltas, strict=True)
                        if d is not None and -d >= rules.drop),
                       key=lambda c: (_delta(c) or 0, c.unit.name))
        rest = sorted((c for c in units if c not in drops and c.total is not None),
                      key=lambda c: (c.total or 0, c.unit.name))
        rises = sorted((c for c, d in zip(units, deltas, strict=True) if d is not None and d > 0),
                       key=lambda c: (-(_delta(c) or 0), c.unit.name))
        out.append(Watch(level, tuple([*drops, *rest][:cap]), tuple(rises[:rules.improvers]),
                         sum(1 for d in deltas if d is not None and d > 0),
                         sum(1 for d in deltas if d is not None and d < 0),
                         sum(1 for d in deltas if d == 0),
                         sum(1 for d in deltas if d is None)))
    return out


def _delta(card: Scorecard) -> Decimal | None:
    """The change since the immediately preceding period, when it is comparable."""
    return card.change.delta if card.change else None
