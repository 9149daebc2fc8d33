"""What it takes (SPEC §12): each group's score recomputed from the portal's own counts with
the formulas of data/formulas.toml, beside the portal's score (which stays the score), and
how many more dossiers, payments or services — the denominator held fixed — would reach
the peer's average, 90% of the maximum and the maximum.

Inputs: the portal's three dossier trees and its per-group JSON (transparency,
dossier-digitized, handling-satisfaction) as saved, or a dossier CSV with the same counts.
Everything here returns plain objects; the words are put on them by `takes_text` and the
command's table.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from .dossiers import Dossiers, read_dossiers
from .errors import IndexFileError, UnitNotFound, ValidationError
from .formatting import Fmt, capital, labels, level_key, peers_key
from .language import Language, language
from .loaders import read_book
from .messages import Msg, catalog, msg, problem
from .model import Index, Level, PeerSource, Scorecard
from .period import Period
from .portal import DOSSIER_TREES
from .resources import resource_dir, vocabulary
from .units import is_special_zone, normalize_code, province_key, tidy

DISAGREE = Decimal("0.01")  # more than this apart is a disagreement (SPEC §12)
NINETY = Decimal("0.9")
LEVER_WORDS = tuple(f"{k}{lang}" for k in ("", "more_", "held_", "all_", "none_")
                    for lang in ("vi", "en"))
LEVELS = {"PROVINCE": Level.DEPARTMENT, "COMMUNE": Level.COMMUNE}  # a child's `level`


# --- the formulas, as data ------------------------------------------------------------------

@dataclass(frozen=True)
class TermDef:
    """weight × min(1, (numerator / denominator) / full_at); see formulas.toml."""

    code: str
    weight: Decimal
    full_at: Decimal = Decimal(1)
    zero: str = "zero"  # what a zero denominator scores: "zero" or "full"
    numerator: tuple[str, ...] = ()  # dossier fields, added
    denominator: str | None = None
    metric: str | None = None  # a metric of the portal's per-group JSON instead
    from_ratio: bool = False  # that metric's published ratio (%), not its counts


@dataclass(frozen=True)
class GroupDef:
    code: str
    provisional: bool
    source_vi: str
    source_en: str
    tree: str | None
    lever: str | None
    terms: tuple[TermDef, ...]

    def source(self, lang: Language) -> str:
        return language(lang).pick(self.source_vi, self.source_en)


@dataclass(frozen=True)
class Formulas:
    groups: dict[str, GroupDef]
    levers: dict[str, dict[str, str]]  # lever -> its words (vi, en, more_vi, held_vi, all_vi…)
    term_round: Decimal

    def for_metric(self, code: str) -> GroupDef | None:
        return next((g for g in self.groups.values()
                     if any(t.metric == code for t in g.terms)), None)

    def for_tree(self, kind: str) -> GroupDef | None:
        return next((g for g in self.groups.values() if g.tree == kind), None)


@cache
def load_formulas(path: str | None = None) -> Formulas:
    """data/formulas.toml (or another file of its shape)."""
    p = Path(path) if path else resource_dir("data") / "formulas.toml"
    try:
        raw = tomllib.loads(p.read_text("utf-8"))
        groups = {}
        for code, g in raw["groups"].items():
            terms = []
            for t in g["terms"]:
                num = t.get("numerator", ())
                terms.append(TermDef(
                    str(t.get("code") or t["metric"]), Decimal(str(t["weight"])),
                    Decimal(str(t.get("full_at", 1))), str(t.get("zero", "zero")),
                    (num,) if isinstance(num, str) else tuple(num), t.get("denominator"),
                    t.get("metric"), bool(t.get("from_ratio", False))))
            groups[code] = GroupDef(code, g["status"] == "provisional", g["source_vi"],
                                    g["source_en"], g.get("tree"), g.get("lever"),
                                    tuple(terms))
        formulas = Formulas(groups, {k: dict(v) for k, v in raw.get("levers", {}).items()},
                            Decimal(str(raw["rounding"]["term"])))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError,
            InvalidOperation) as e:
        raise IndexFileError(msg("formulas_file", file=p, why=e)) from e
    for g in formulas.groups.values():
        bad = next((t.code for t in g.terms if t.zero not in ("zero", "full")
                    or not (t.metric or (t.numerator and t.denominator))), None)
        if bad:
            raise IndexFileError(msg("formulas_file", file=p, why=f"groups.{g.code}: {bad}"))
        lacking = [k for k in LEVER_WORDS if k not in formulas.levers.get(g.lever or "", {})]
        if g.lever and lacking:
            raise IndexFileError(msg("formulas_file", file=p,
                                     why=f"levers.{g.lever}.{lacking[0]}"))
    return formulas


# --- what the files say ---------------------------------------------------------------------

@dataclass(frozen=True)
class Metric:
    """One metric of the portal's per-group JSON, as published."""

    numerator: Decimal | None
    denominator: Decimal | None
    ratio: Decimal | None  # percent


@dataclass
class UnitData:
    """One unit's counts and the portal's scores, from every file given."""

    code: str
    name: str
    level: Level | None
    counts: dict[str, Decimal] = field(default_factory=dict)
    metrics: dict[str, Metric] = field(default_factory=dict)
    portal: dict[str, tuple[Decimal | None, Decimal | None]] = field(default_factory=dict)


def read_inputs(paths: Sequence[str | Path], formulas: Formulas) -> list[UnitData]:
    """The units of every file, joined by code (the per-group JSON has only the portal's
    department id, which the trees pair with a code); every problem of all files at once."""
    problems: list[Msg] = []
    units: dict[str, UnitData] = {}
    counted: list[str | Path] = []
    docs = []  # (path, data, top, children)
    for path in paths:
        book = read_book(path)
        data = book.json.get("data") if isinstance(book.json, dict) else None
        if book.format != "json":
            counted.append(path)
        elif isinstance(data, dict) and isinstance(data.get("parent"), dict):
            counted.append(path)
            docs.append((book.path, data, "parent", "children"))
        elif isinstance(data, dict) and isinstance(data.get("overview"), dict) and \
                isinstance(data.get("evaluation"), list):
            docs.append((book.path, data, "overview", "evaluation"))
        else:
            problems.append(msg("explain_json", file=book.path))
    ids = {str(n["departmentId"]): normalize_code(str(n["departmentCode"]))
           for _, data, top, children in docs for _, n, _ in _nodes(data, top, children)
           if isinstance(n, dict) and n.get("departmentId") and n.get("departmentCode")}
    for path, data, top, _ in docs:
        if top == "parent":
            _tree_scores(path, data, formulas, units, ids, problems)
        else:
            _metric_file(path, data, formulas, units, ids, problems)
    if problems:
        raise ValidationError(problems)
    for key, d in read_dossiers(counted).items():
        u = units.setdefault(key, UnitData(d.code, d.name, None))
        u.counts.update({k: v for k, v in d.values.items() if v is not None})
    return list(units.values())


def _node_unit(node: dict[str, Any], level: Level | None, units: dict[str, UnitData],
               ids: dict[str, str]) -> UnitData:
    dep_id = str(node.get("departmentId") or "")
    code = normalize_code(str(node.get("departmentCode") or ""))
    code = code or ids.get(dep_id, "")
    key = code or dep_id or tidy(str(node.get("departmentName") or ""))
    u = units.setdefault(key, UnitData(code, tidy(str(node.get("departmentName") or key)),
                                       level))
    u.level = u.level or level
    return u


def _number(value: Any, where: Msg, problems: list[Msg]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        d = Decimal(str(value))
        if not d.is_finite():
            raise InvalidOperation
        return d
    except (InvalidOperation, ValueError):
        problems.append(problem(where, msg("not_a_number", value=str(value)[:60])))
        return None


def _nodes(data: dict[str, Any], top: str, children: str) -> Iterable[tuple[str, Any, bool]]:
    yield f"data.{top}", data[top], True
    items = data.get(children)
    for i, c in enumerate(items if isinstance(items, list) else []):
        yield f"data.{children}[{i}]", c, False


def _child_level(node: dict[str, Any], parent: bool) -> Level | None:
    if parent:
        return Level.PROVINCE
    return LEVELS.get(str(node.get("level") or node.get("departmentLevel") or "").upper())


def _portal_score(path: Path, at: str, node: dict[str, Any], problems: list[Msg]
                  ) -> tuple[Decimal | None, Decimal | None]:
    score_key = "totalScore" if "totalScore" in node else "score"
    max_key = "totalMaxScore" if "totalMaxScore" in node else "maxScore"
    return (_number(node.get(score_key), msg("at_path", file=path, path=f"{at}.{score_key}"),
                    problems),
            _number(node.get(max_key), msg("at_path", file=path, path=f"{at}.{max_key}"),
                    problems))


def _put_score(u: UnitData, group: str, path: Path, at: str, node: dict[str, Any],
               problems: list[Msg]) -> None:
    """One score per unit and group: two files for the same group (a month's whole-province
    tree and its one-procedure tree) would mix their counts."""
    if group in u.portal:
        problems.append(problem(msg("at_path", file=path, path=at),
                                msg("explain_twice", unit=u.name, group=group)))
        return
    u.portal[group] = _portal_score(path, at, node, problems)


def _tree_scores(path: Path, data: dict[str, Any], formulas: Formulas,
                 units: dict[str, UnitData], ids: dict[str, str], problems: list[Msg]) -> None:
    kind = next((t for f, t in DOSSIER_TREES.items() if f in data["parent"]),
                "formality-online-payment-tree")
    group = formulas.for_tree(kind)
    for at, node, parent in _nodes(data, "parent", "children"):
        if not isinstance(node, dict):
            continue  # read_dossiers names it
        u = _node_unit(node, _child_level(node, parent), units, ids)
        if group:
            _put_score(u, group.code, path, at, node, problems)


def _metric_file(path: Path, data: dict[str, Any], formulas: Formulas,
                 units: dict[str, UnitData], ids: dict[str, str], problems: list[Msg]) -> None:
    for at, node, parent in _nodes(data, "overview", "evaluation"):
        if not isinstance(node, dict) or not isinstance(node.get("metrics"), list):
            problems.append(problem(msg("at_path", file=path, path=at),
                                    msg("json_type", expected="{metrics: […]}",
                                        found=type(node).__name__)))
            continue
        u = _node_unit(node, _child_level(node, parent), units, ids)
        group = None
        for k, m in enumerate(node["metrics"]):
            here = f"{at}.metrics[{k}]"
            if not isinstance(m, dict):
                continue
            group = group or formulas.for_metric(str(m.get("code")))
            u.metrics[str(m.get("code"))] = Metric(*(
                _number(m.get(f), msg("at_path", file=path, path=f"{here}.{f}"), problems)
                for f in ("numerator", "denominator", "ratio")))
        if group:
            _put_score(u, group.code, path, at, node, problems)


# --- recomputing ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Term:
    """A term filled in with the unit's numbers."""

    definition: TermDef
    numerators: tuple[Decimal, ...]  # the counts added up; () for a published ratio
    denominator: Decimal | None
    ratio: Decimal | None  # the published percent, for a metric scored from its ratio
    exact: Fraction  # unrounded points
    points: Decimal  # rounded as the portal rounds

    @property
    def numerator(self) -> Decimal:
        return sum(self.numerators, Decimal(0))

    @property
    def zero_rule(self) -> bool:
        """Scored by the zero-denominator rule (or a metric with nothing to count)."""
        return self.ratio is None and not self.denominator


@dataclass(frozen=True)
class Peer:
    """What the unit is compared with: a value and its name (a labels.toml key and n)."""

    value: Decimal
    key: str
    n: int = 0

    def name(self, lang: Language) -> str:
        return labels(lang)[self.key].format(n=self.n)


@dataclass(frozen=True)
class Step:
    """One level to reach: peer, ninety (90% of the maximum) or max."""

    kind: str
    target: Decimal
    more: int | None  # how many more of the lever's count; None: no count change reaches it
    already: bool = False


@dataclass(frozen=True)
class GroupExplain:
    """One group of one unit: the portal's score, the recomputed one, what it takes."""

    group: str
    provisional: bool
    portal: Decimal | None
    maximum: Decimal
    terms: tuple[Term, ...] = ()
    missing: tuple[str, ...] = ()  # counts or metrics the data lacks
    peer: Peer | None = None
    lever: str | None = None
    steps: tuple[Step, ...] = ()
    best: Decimal | None = None  # the score with the whole lever (all its denominator)
    counted: bool = True  # the data has some of the group's counts (else: only a score)

    @property
    def recomputed(self) -> Decimal | None:
        if self.missing or not self.terms:
            return None
        return sum((t.points for t in self.terms), Decimal(0))

    @property
    def exact(self) -> Fraction:
        return sum((t.exact for t in self.terms), Fraction(0))

    @property
    def difference(self) -> Decimal | None:
        r = self.recomputed
        return None if r is None or self.portal is None else r - self.portal

    @property
    def disagrees(self) -> bool:
        d = self.difference
        return d is not None and abs(d) > DISAGREE

    @property
    def lever_term(self) -> Term | None:
        return next((t for t in self.terms if t.definition.code == self.lever), None)

    @property
    def held(self) -> Decimal | None:
        """The lever's denominator, held fixed."""
        t = self.lever_term
        return t.denominator if t else None

    @property
    def gain(self) -> Decimal:
        """Points the highest reachable level adds to the portal's score (0 if none)."""
        reach = [s.target for s in self.steps if s.more and not s.already]
        if not reach or self.portal is None:
            return Decimal(0)
        return max(reach) - self.portal


@dataclass(frozen=True)
class UnitExplain:
    code: str
    name: str
    level: Level | None
    groups: tuple[GroupExplain, ...]

    def largest_gain(self) -> GroupExplain | None:
        """The group whose counts can win the most points: the observation of SPEC §12."""
        best = max(self.groups, key=lambda g: g.gain, default=None)
        return best if best is not None and best.gain > 0 else None


@dataclass(frozen=True)
class Explanation:
    period: Period
    units: tuple[UnitExplain, ...]


def _round(x: Fraction, step: Decimal) -> Decimal:
    d = Decimal(x.numerator) / Decimal(x.denominator)
    return d.quantize(step, ROUND_HALF_UP)


def _points(t: TermDef, ratio: Fraction) -> Fraction:
    w = Fraction(t.weight)
    return min(w, w * ratio / Fraction(t.full_at))


def term(t: TermDef, u: UnitData, step: Decimal) -> Term | tuple[str, ...]:
    """The term filled in, or the names of what is missing."""
    ratio_pct: Decimal | None = None
    nums: tuple[Decimal, ...] = ()
    den: Decimal | None = None
    if t.metric:
        m = u.metrics.get(t.metric)
        if m is None:
            return (t.metric,)
        if t.from_ratio or m.numerator is None or m.denominator is None:
            ratio_pct = m.ratio
        else:
            nums, den = (m.numerator,), m.denominator
    else:
        missing = [f for f in (*t.numerator, t.denominator) if f and f not in u.counts]
        if missing:
            return tuple(missing)
        nums = tuple(u.counts[f] for f in t.numerator)
        den = u.counts[t.denominator] if t.denominator else None
    if ratio_pct is not None:
        exact = _points(t, Fraction(ratio_pct) / 100)
    elif den:
        exact = _points(t, Fraction(sum(nums, Decimal(0))) / Fraction(den))
    else:  # a zero denominator, or a metric published with nothing to count
        exact = Fraction(t.weight) if t.zero == "full" else Fraction(0)
    return Term(t, nums, den, ratio_pct, exact, _round(exact, step))


def explain_group(g: GroupDef, u: UnitData, formulas: Formulas, maximum: Decimal,
                  peer: Peer | None = None) -> GroupExplain:
    """Recompute one group and, where it has a lever and agrees with the portal, the counts
    it takes to reach the peer, 90% of the maximum and the maximum."""
    portal, portal_max = u.portal.get(g.code, (None, None))
    maximum = portal_max or maximum
    filled = [term(t, u, formulas.term_round) for t in g.terms]
    applicable = [(t, f) for t, f in zip(g.terms, filled, strict=True)
                  if not (t.metric and isinstance(f, tuple) and _optional_metric(t, u))]
    missing = tuple(dict.fromkeys(n for _, f in applicable if isinstance(f, tuple) for n in f))
    terms = tuple(f for _, f in applicable if isinstance(f, Term))
    out = GroupExplain(g.code, g.provisional, portal, maximum, terms, missing, peer, g.lever,
                       counted=_has_counts(g, u))
    lever = out.lever_term
    if missing or lever is None or out.disagrees:
        return out
    targets = {"ninety": maximum * NINETY, "max": maximum}
    if peer is not None:
        targets["peer"] = peer.value
    steps = sorted((_solve(out, lever, k, v) for k, v in targets.items()),
                   key=lambda s: (s.target, s.kind))
    others = out.exact - lever.exact
    best = None
    if lever.denominator:
        best = _round(others + _points(lever.definition, Fraction(1)), formulas.term_round)
    return replace(out, steps=tuple(steps), best=best)


def _optional_metric(t: TermDef, u: UnitData) -> bool:
    """A metric the file does not publish at all (dossier-digitized filtered to one
    procedure has no CITIZEN_DATA_CONNECTED_FORMALITY) is not a term of that unit — but only
    when the file has the group's other metrics."""
    return bool(u.metrics) and t.metric not in u.metrics


def _solve(g: GroupExplain, lever: Term, kind: str, target: Decimal) -> Step:
    """The fewest more counts on the lever's numerator, its denominator held fixed, whose
    unrounded score reaches the target; None when even the whole denominator does not."""
    if g.exact >= Fraction(target):
        return Step(kind, target, 0, already=True)
    t = lever.definition
    needed = Fraction(target) - (g.exact - lever.exact)
    den = lever.denominator
    if not den or needed > Fraction(t.weight):
        return Step(kind, target, None)
    count = math.ceil(needed / Fraction(t.weight) * Fraction(t.full_at) * Fraction(den))
    return Step(kind, target, max(0, count - int(lever.numerator)))


def explain(paths: Sequence[str | Path], index: Index, period: Period,
            units: Sequence[str] = (), cards: Sequence[Scorecard] = (),
            formulas_file: str | None = None) -> Explanation:
    """Every unit of the files (or those asked for), every group the data allows.

    Args:
        cards: the period's scorecards (from a score file): a unit's scores stand for the
            portal's where the files carry none (a dossier CSV), and its peer is the card's;
            otherwise a unit is compared with the mean of the portal's scores of the units
            of its level in the files.
    """
    from .units import select

    formulas = load_formulas(formulas_file)
    data = read_inputs(paths, formulas)
    try:
        chosen = select(data, tuple(units), lambda u: (u.code, u.name)) if units else data
    except LookupError as e:
        raise UnitNotFound(e.args[0]) from e
    peers = _means(data)
    return Explanation(period, tuple(_unit(u, index, formulas, peers, _card_of(u, cards))
                                     for u in chosen))


def for_dossiers(card: Scorecard, d: Dossiers, index: Index) -> UnitExplain:
    """A scorecard's unit explained from its dossier figures (--dossiers: a CSV or the
    portal's trees), its scores standing for the portal's and its peer for the peer: what
    the page's findings and the bulletin's part V say of the largest gain."""
    u = UnitData(card.unit.code, card.unit.name, card.unit.level,
                 {k: v for k, v in d.values.items() if v is not None})
    return _unit(u, index, load_formulas(), {}, card)


def gain_text(ue: UnitExplain, index: Index, lang: Language) -> str | None:
    """The observation of the largest gain the counts allow, as a sentence of its own:
    'Giữ nguyên 184.513 hồ sơ tiếp nhận, xử lý đúng hạn thêm 21.437 hồ sơ thì Tiến độ, kết
    quả giải quyết đạt 18/20 điểm; …'."""
    g = ue.largest_gain()
    if g is None:
        return None
    name = next((x.name(lang) for x in index.groups if x.code == g.group), g.group)
    return takes_text(g, lang, name, alone=True)


def _unit(u: UnitData, index: Index, formulas: Formulas,
          peers: Mapping[tuple[Level, str], Peer], card: Scorecard | None) -> UnitExplain:
    shown = [g for code, g in formulas.groups.items() if code in u.portal or _has_counts(g, u)]
    if card is not None:  # its peers, and its scores where the files have counts but no score
        peers = {**peers, **card_peers(card)}
        u.level = u.level or card.unit.level
        for gs in card.groups:
            if gs.score is not None and any(g.code == gs.group.code for g in shown):
                u.portal.setdefault(gs.group.code, (gs.score, gs.group.max))
    maxima = {g.code: g.max for g in index.groups}
    order = [g.code for g in index.groups]
    groups = [explain_group(g, u, formulas, maxima.get(g.code, Decimal(0)),
                            peers.get((u.level, g.code)) if u.level else None) for g in shown]
    groups.sort(key=lambda x: order.index(x.group) if x.group in order else len(order))
    return UnitExplain(u.code, u.name, u.level, tuple(groups))


def card_peers(card: Scorecard) -> dict[tuple[Level, str], Peer]:
    """What a scorecard compares its unit with, group by group, named as the page names it."""
    key = "peer_national" if card.peer_source is PeerSource.NATIONAL else \
        f"peer_mean_{peers_key(card)}"
    return {(card.unit.level, g.group.code): Peer(g.peer, key, card.peer_n)
            for g in card.groups if g.peer is not None}


def _card_of(u: UnitData, cards: Sequence[Scorecard]) -> Scorecard | None:
    return next((c for c in cards if _card_of_units(c, [u]) is u), None)


def _card_of_units(card: Scorecard, data: Sequence[UnitData]) -> UnitData | None:
    """By code, else by name as units are matched everywhere."""
    by_code = next((u for u in data if u.code and u.code == card.unit.code), None)
    return by_code or next((u for u in data if not u.code and
                            province_key(u.name) == province_key(card.unit.name)), None)


def period_of(paths: Sequence[str | Path], given: Period | None) -> Period:
    """--month, else the YYYY-MM in the files' names; a name that says another period is
    refused (a month's counts never explain another month)."""
    from .pipeline import period_in_name

    named = [(p, period_in_name(str(p))) for p in paths]
    period = given or next((n for _, n in named if n), None)
    if period is None:
        raise ValidationError([msg("explain_no_period")])
    wrong = [msg("explain_period_conflict", file=p, found=n, period=period)
             for p, n in named if n and n != period]
    if wrong:
        raise ValidationError(wrong)
    return period


def _has_counts(g: GroupDef, u: UnitData) -> bool:
    return any(f in u.counts for t in g.terms for f in (*t.numerator, t.denominator) if f) \
        or any(t.metric in u.metrics for t in g.terms)


def _means(data: Sequence[UnitData]) -> dict[tuple[Level, str], Peer]:
    """The mean of the portal's scores per level and group (provinces: only with several)."""
    scores: dict[tuple[Level, str], list[Decimal]] = {}
    zones = {u.level for u in data if u.level is not None and is_special_zone(u.name)}
    for u in data:
        for group, (score, _) in u.portal.items():
            if u.level is not None and score is not None:
                scores.setdefault((u.level, group), []).append(score)
    return {k: Peer((sum(v, Decimal(0)) / len(v)).quantize(Decimal("0.01"), ROUND_HALF_UP),
                    f"peer_mean_{level_key(k[0], k[0] in zones)}", len(v))
            for k, v in scores.items() if len(v) > 1}


# --- in words -------------------------------------------------------------------------------

def formula_text(g: GroupExplain, lang: Language) -> str:
    """'20 × 144.625/184.513' — the formula with the unit's numbers."""
    f = Fmt(lang)
    sep = language(lang).pick(";", ",")
    parts = []
    for t in g.terms:
        d = t.definition
        if t.ratio is not None:
            inner = f"{f.num(d.weight)} × {f.num(t.ratio)}%"
        elif t.denominator:
            num = " + ".join(f.num(n) for n in t.numerators)
            num = f"({num})" if len(t.numerators) > 1 else num
            inner = f"{f.num(d.weight)} × {num}/{f.num(t.denominator)}"
        else:
            parts.append(f.num(t.points))
            continue
        if d.full_at != 1:
            inner = f"min({f.num(d.weight)}{sep} {inner} / {f.num(d.full_at)})"
        parts.append(inner)
    return " + ".join(parts)


def takes_text(g: GroupExplain, lang: Language, group_name: str, formulas: Formulas | None = None,
               alone: bool = False) -> str:
    """What it takes, as `explain` says it after the group's name: 'giữ nguyên 184.513 hồ sơ
    tiếp nhận, nếu xử lý đúng hạn thêm 21.437 hồ sơ thì Tiến độ, kết quả giải quyết đạt 18/20
    điểm; thêm 39.888 hồ sơ thì đạt tối đa 20/20.', a level already reached said first; or,
    `alone`, as a sentence of its own (the page's findings, the bulletin's part V): 'Giữ
    nguyên 184.513 hồ sơ tiếp nhận, xử lý đúng hạn thêm …'."""
    if not g.steps:
        return ""
    words = (formulas or load_formulas()).levers[g.lever or ""]
    pick = language(lang).pick
    f = Fmt(lang)

    def w(key: str, n: Decimal | int) -> str:
        return words[pick(key, _en(key))].format(n=f.num(n))

    clauses: list[str] = []
    first = True
    for s in g.steps:
        if s.already or s.more is None:
            continue
        reach = _reach(s, g, lang, f)
        if first:
            clauses.append(msg("takes_first", act=w("vi", s.more), group=group_name,
                               reach=reach).text(lang))
            first = False
        else:
            clauses.append(msg("takes_more", act=w("more_vi", s.more), reach=reach).text(lang))
    notes = [msg("takes_already", peer=g.peer.name(lang), value=f.num(s.target))
             .text(lang) for s in g.steps if s.already and s.kind == "peer" and g.peer]
    notes += [msg("takes_already_max" if s.kind == "max" else "takes_already_level",
                  value=f.frac(s.target, g.maximum)).text(lang)
              for s in g.steps if s.already and s.kind != "peer"][-1:]
    unreachable = [f.frac(s.target, g.maximum) for s in g.steps if s.more is None]
    if unreachable and g.best is not None and g.held is not None:
        clauses.append(msg("takes_unreachable", all=w("all_vi", g.held),
                           best=f.frac(g.best, g.maximum),
                           levels=pick(" và ", " or ").join(unreachable)).text(lang))
    if not g.held:  # nothing received, nothing due: no count to raise
        text = msg("takes_nothing", none=w("none_vi", 0)).text(lang)
        return capital(text) if alone else text
    held = w("held_vi", g.held)
    if alone:
        sentence = capital(f"{held}, " + "; ".join(notes + clauses))
    else:  # one sentence after the group's name and its colon: no second colon, no capital
        opening = [msg("takes_if", held=held, act=c).text(lang) for c in clauses[:1]]
        sentence = "; ".join(notes + opening + clauses[1:])
    if g.provisional:
        sentence += " " + msg("takes_estimate").text(lang)
    return sentence if sentence.endswith(".") else sentence + "."


def _en(key: str) -> str:
    return "en" if key == "vi" else key.replace("_vi", "_en")


def _reach(s: Step, g: GroupExplain, lang: Language, f: Fmt) -> str:
    if s.kind == "max":
        return msg("takes_reach_max", value=f.frac(s.target, g.maximum)).text(lang)
    if s.kind == "peer" and g.peer:
        return msg("takes_reach_peer", value=f.frac(s.target, g.maximum),
                   peer=g.peer.name(lang)).text(lang)
    return msg("takes_reach", value=f.frac(s.target, g.maximum)).text(lang)


def table(ex: Explanation, index: Index, lang: Language) -> list[str]:
    """What `scorecard explain` prints: per unit, a table of its groups, then what it takes."""
    f = Fmt(lang)
    names = {g.code: g.name(lang) for g in index.groups}
    head = [msg(k).text(lang) for k in ("explain_group", "explain_portal", "explain_recomputed",
                                        "explain_difference", "explain_formula")]
    out: list[str] = []
    for u in ex.units:
        rows = []
        notes = []
        for g in u.groups:
            name = names.get(g.group, g.group)
            label = f"{name} ({msg('explain_estimate').text(lang)})" if g.provisional else name
            diff = g.difference
            rows.append([label, f.frac(g.portal, g.maximum), f.num(g.recomputed),
                         "" if diff is None else ("0" if diff == 0 else f.signed(diff))
                         + (" ≠" if g.disagrees else ""),
                         formula_text(g, lang) if g.recomputed is not None else ""])
            if not g.counted:
                notes.append(f"- {name}: " + msg("explain_no_counts").text(lang))
            elif g.missing:
                notes.append(f"- {name}: " + msg("explain_missing",
                                                  what=_fields(g.missing, lang)).text(lang))
            elif g.disagrees:
                notes.append(f"- {name}: " + msg("explain_disagrees").text(lang))
            elif g.steps:
                notes.append(f"- {name}: {takes_text(g, lang, name)}")
        out.append(msg("explain_head", name=u.name, code=u.code or "—", period=ex.period)
                   .text(lang))
        widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
        out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                for r in (head, *rows)]
        out += [*notes, ""]
    out.append(msg("explain_formula_note").text(lang))
    return out


def _fields(names: Iterable[str], lang: Language) -> str:
    """'số hồ sơ đúng hạn (cột 'Đúng hạn')': each count by its name in the language, then
    the column a dossier file gives it by (a file with 'Giải quyết đúng hạn', another count,
    read 'thiếu số hồ sơ đúng hạn (on_time)' as its column ignored), else its field code;
    never the portal's API name; a metric the portal names by its code alone."""
    words, headers = catalog(lang), vocabulary()["dossier_columns"]

    def one(n: str) -> str:
        if f"count_{n}" not in words:
            return n
        header = next((h for h in headers.get(n, ()) if " " in h or not h.isascii()), None)
        return words["count_header" if header else "count_field"].format(
            what=words[f"count_{n}"], header=header, field=n)

    return ", ".join(one(n) for n in names)


CSV_HEAD = ("period", "code", "name", "level", "group", "portal", "maximum", "recomputed",
            "difference", "disagrees", "estimate", "formula", "held", "peer", "more_to_peer",
            "more_to_90", "more_to_max")


def csv_rows(ex: Explanation, lang: Language) -> list[list[str]]:
    """One row per unit and group, numbers with a point, for machines. A level no count
    change reaches is `unreachable`; blank is "not computed"."""
    from .manifest import _inert

    def num(d: Decimal | None) -> str:
        return "" if d is None else f"{d:f}"

    out = [list(CSV_HEAD)]
    for u in ex.units:
        for g in u.groups:
            steps = {s.kind: ("unreachable" if s.more is None else str(s.more))
                     for s in g.steps}
            out.append([ex.period.slug, _inert(u.code), _inert(u.name),
                        u.level.name.lower() if u.level else "", g.group, num(g.portal),
                        num(g.maximum), num(g.recomputed), num(g.difference),
                        "yes" if g.disagrees else "no", "yes" if g.provisional else "no",
                        _inert(formula_text(g, lang)) if g.recomputed is not None else "",
                        num(g.held) if g.steps else "", num(g.peer.value) if g.peer else "",
                        steps.get("peer", ""), steps.get("ninety", ""), steps.get("max", "")])
    return out
