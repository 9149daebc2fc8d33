"""The blocks every document is made of, built once: the group lines (the page's table and the
bulletin's), the peer's names, the rank, the findings chosen, the units to watch, the dossier
figures and the targets, the period and the data's date. A composer (page, summary, bulletin,
mail) picks and arranges them; no document words a figure its own way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from ..dossiers import RATES, Dossiers, Rate, Target, rates
from ..findings import (
    Rules,
    beside_the_paragraph,
    said_once,
    unit_findings,
    watch_list,
    worst_against_peers,
)
from ..formatting import Fmt, capital, peers_key
from ..model import GroupScore, Index, Level, PeerSource, Revision, Scorecard
from ..narrative import finding_text, formal_name, join_words, render_narrative
from ..period import Period
from ..units import full_name
from .objects import Footer

PAGE_FINDINGS = 4  # the page's box: alerts and notices first, then what can still be won
BULLETIN_FINDINGS = ("weakest", "below_alert", "below_notice", "most_left", "drop", "declines")


@dataclass(frozen=True)
class GroupLine:
    """One group (or the total) with every figure a document may print of it, as printed."""

    name: str
    short: str
    score: str  # '7,7/18', or the words for not reported
    pct: str
    peer: str
    diff: str
    left: str
    rank: str
    missing: bool = False


def group_lines(card: Scorecard, fmt: Fmt) -> tuple[GroupLine, ...]:
    """The index's groups, in its order."""
    return tuple(_line(g, fmt) for g in card.groups)


def combined_lines(card: Scorecard, fmt: Fmt) -> tuple[GroupLine, ...]:
    """The Decision's combined groups, where the national figure exists only as their sum."""
    return tuple(_line(g, fmt) for g in card.combined)


def total_line(card: Scorecard, index: Index, fmt: Fmt) -> GroupLine:
    top = index.total.max
    word = fmt.words["total"]
    return GroupLine(
        word, word, fmt.frac(card.total, top),
        fmt.pct(None if card.total is None else card.total * 100 / top),
        fmt.frac(card.peer_total, top),
        fmt.signed(None if card.total is None or card.peer_total is None
                   else card.total - card.peer_total),
        "" if card.total is None else fmt.num(top - card.total), fmt.rank(card.rank))


def _line(g: GroupScore, fmt: Fmt) -> GroupLine:
    name, short = g.group.name(fmt.lang), g.group.short(fmt.lang)
    if g.score is None:
        return GroupLine(name, short, fmt.words["not_reported"], "",
                         fmt.frac(g.peer, g.group.max), "—", "—", "—", missing=True)
    return GroupLine(name, short, fmt.frac(g.score, g.group.max), fmt.pct(g.pct),
                     fmt.frac(g.peer, g.group.max), fmt.signed(g.diff),
                     fmt.num(g.group.max - g.score), fmt.rank(g.rank))


def paragraph(card: Scorecard, index: Index, fmt: Fmt, templates: str | None,
              rules: Rules | None = None) -> str:
    """The narrative as a document prints it: without its closing '(Số liệu tạm tính đến
    ngày …)', which the document says once where a reader looks for it (the page under its
    title and in its footer, the bulletin in its opening); `narrate` keeps it. `rules`: the
    office's thresholds, which the weakest group's band follows ('dưới mức 70%')."""
    return render_narrative(replace(card, provisional=False), index, fmt.lang,
                            templates, rules).unescape()


def zones_among(cards: Sequence[Scorecard], level: Level) -> bool:
    """Whether the units of a level count a đặc khu (they are then 'xã, phường, đặc khu')."""
    return any(c.peer_zones for c in cards if c.unit.level is level)


def peer_heading(card: Scorecard, fmt: Fmt) -> str:
    """The peer as a column's or a row's heading: 'Bình quân 34 tỉnh, thành phố', 'Mean of
    34 provinces' (on one line of the summary: not 'The mean of the 34 provinces and
    cities')."""
    if card.peer_source is PeerSource.NATIONAL:
        return fmt.words["peer_head_national"]
    return fmt.words[f"peer_head_{peers_key(card)}"].format(n=card.peer_n)


def portal_rank(card: Scorecard, fmt: Fmt) -> str:
    """A department's or commune's place in the portal's list of the province's sub-units,
    said as what it is (never 'toàn quốc'); '' for a unit without one."""
    return fmt.portal_rank(card.portal_rank) if card.portal_rank else ""


def title_name(card: Scorecard, fmt: Fmt) -> str:
    """The unit as the paragraph names it, as a title: 'Tỉnh An Giang', 'Thành phố Huế',
    'UBND xã Mỹ Hòa Hưng', 'Sở Tài chính', 'An Giang Province'."""
    name = formal_name(card, fmt.lang)
    return capital(name)


def page_name(card: Scorecard, fmt: Fmt) -> str:
    """The unit as its page's title names it: a province as the paragraph does ('Tỉnh An
    Giang'); a department or commune by its full name as a letter writes it, the portal's
    dash gone ('Sở Tài chính tỉnh An Giang', 'UBND xã An Minh, tỉnh An Giang'), the province
    said once ('Thanh tra tỉnh An Giang')."""
    if card.unit.level is Level.PROVINCE:
        return title_name(card, fmt)
    return full_name(card.unit)  # the mail names it so too (content.mail.addressed)


def sub_unit_name(card: Scorecard) -> str:
    """A department or commune without the repeated '- tỉnh …' ('UBND xã …')."""
    return card.unit.formal or card.unit.name


def footer(card: Scorecard, index: Index, fmt: Fmt, issued: dt.date | None,
           signed: tuple[str, dt.datetime] | None = None) -> Footer:
    """The source (the portal; the Decision is the method, not the source of the figures),
    the data's date (marked provisional), the issue date: the same on every PDF; on a signed
    PDF, the signature's line (the signature field itself is invisible)."""
    w = fmt.words
    line = "" if signed is None else w["signed"].format(name=signed[0],
                                                        at=fmt.moment(signed[1]))
    return Footer(w["source_line"].format(method=index.source(fmt.lang)), w["issued"],
                  fmt.date(issued or dt.date.today()), w["page"], line, data_as_of(card, fmt))


def data_as_of(card: Scorecard, fmt: Fmt) -> str:
    """'Số liệu tạm tính đến ngày 16/10/2025.' / 'Số liệu đến ngày 31/10/2025.'"""
    key = "data_as_of_provisional" if card.provisional else "data_as_of"
    return fmt.words[key].format(date=fmt.date(card.data_date))


def gain(card: Scorecard, d: Dossiers | None, index: Index, fmt: Fmt) -> str | None:
    """What the dossier figures say it takes to win the most points (scorecard explain,
    SPEC §12): the observation of the page's findings and the bulletin's part V. Without
    dossier figures, explain (its formulas and their data file) is not loaded at all."""
    if d is None:
        return None
    from ..explain import for_dossiers, gain_text

    return gain_text(for_dossiers(card, d, index), index, fmt.lang)


def findings(card: Scorecard, index: Index, rules: Rules, fmt: Fmt, *,
             kinds: Sequence[str] = (), most: int | None = None,
             beside_paragraph: bool = False) -> tuple[str, ...]:
    """The unit's findings as lines, most important first, each group named once: those of
    `kinds` (when none are named, all but the gap to the peer, which the headline says, and
    the total's points left, which the table's total row says), at most `most`; with
    `beside_paragraph`, none the paragraph above has said."""
    found = unit_findings(card, (), rules, index)
    if beside_paragraph:
        found = beside_the_paragraph(found)
    chosen = [f for f in said_once(found)
              if (f.kind in kinds if kinds else f.kind not in ("gap_mean", "total_left"))]
    return tuple(finding_text(f, card, rules, fmt.lang) for f in chosen[:most])


def revisions(card: Scorecard, fmt: Fmt) -> tuple[str, ...]:
    """'Số liệu tháng 9/2025 đã được Cổng điều chỉnh ngày 15/10/2025: 82,08 → 82,31 điểm.':
    the portal's revisions of the periods the page shows, from the store (SPEC §9)."""
    return tuple(fmt.words["revised"].format(period=r.period.phrase(fmt.lang),
                                             date=fmt.date(r.date), changes=_revised(r, fmt))
                 for r in card.revisions if not r.update)


def _revised(r: Revision, fmt: Fmt) -> str:
    """'từ 82,08 lên 82,31 điểm' (the bundled font has no arrow to print '82,08 → 82,31')."""
    old, new = r.previous, r.total
    key = "revised_other" if old is None or new is None else (
        "revised_up" if new > old else "revised_down" if new < old else "revised_same")
    return fmt.words[key].format(old=fmt.num(old), new=fmt.num(new))


def revision_notes(cards: Sequence[Scorecard], fmt: Fmt) -> tuple[str, ...]:
    """The summary's: one sentence per revised period and date, naming each unit."""
    grouped: dict[tuple[Period, dt.date], list[str]] = {}
    for c in cards:
        for r in c.revisions:
            if not r.update:
                grouped.setdefault((r.period, r.date), []).append(
                    f"{c.unit.name} {_revised(r, fmt)}")
    return tuple(fmt.words["revised"].format(period=p.phrase(fmt.lang), date=fmt.date(d),
                                             changes="; ".join(units))
                 for (p, d), units in sorted(grouped.items()))


def year_ago(card: Scorecard, fmt: Fmt) -> str:
    """Against the same period a year before, when the store holds it."""
    c = card.year_ago
    if c is None or c.delta is None:
        return ""
    q = c.delta.quantize(Decimal("0.01"), ROUND_HALF_UP)
    key = "year_ago_up" if q > 0 else "year_ago_down" if q < 0 else "year_ago_same"
    return fmt.words[key].format(period=c.previous_period.phrase(fmt.lang),
                                 total=fmt.num(c.previous), delta=fmt.num(abs(q)))


@dataclass(frozen=True)
class Watched:
    """One unit to watch, as printed: its rank, total, class, change and why it is listed."""

    rank: str
    name: str
    total: str
    band: str
    change: str  # '−10', '+2,5', or '' when not comparable
    why: str  # 'Giảm 3,2 điểm so với tháng 9/2025', 'Thấp nhất ở nhóm chỉ số …'


@dataclass(frozen=True)
class WatchLevel:
    """One level's units to watch (a province's departments, its communes)."""

    level: str
    moves: str  # how the level moved since the earlier period, or that there is none
    lead: str  # which units are listed, and in what order
    units: tuple[Watched, ...]
    improvers: str  # 'Các đơn vị cải thiện nổi bật: …', or ''


def watch(cards: Sequence[Scorecard], rules: Rules, index: Index,
          fmt: Fmt) -> tuple[WatchLevel, ...]:
    """For a province's office: per level, the units to watch, each with its total, class,
    rank and why it is listed, and the notable improvers; with no earlier period, it says so
    (never '0 tăng · 0 giảm · 102 không so sánh được')."""
    w = fmt.words

    def one(c: Scorecard) -> Watched:
        delta = c.change.delta if c.change else None
        why = watch_reason(c, rules, index, fmt)
        return Watched(fmt.rank(c.rank), sub_unit_name(c), fmt.num(c.total),
                       c.band.name(fmt.lang) if c.band else w["not_reported"],
                       "" if delta is None else fmt.signed(delta), capital(why))

    out = []
    for wl in watch_list(cards, rules):
        n = sum(1 for c in cards if c.unit.level is wl.level)
        title = fmt.level(wl.level, zones_among(cards, wl.level))
        level = title.lower()
        before = next((c.change.previous_period for c in cards
                       if c.unit.level is wl.level and c.change), None)
        if before is None or wl.not_comparable == n:
            moves = w["watch_no_previous"].format(n=n, level=level)
            lead = w["watch_lead_lowest"].format(k=len(wl.units), n=n, level=level)
        else:
            moves = w["watch_moves"].format(period=before.phrase(fmt.lang), n=n, level=level,
                                            up=wl.up, down=wl.down, same=wl.unchanged)
            if wl.not_comparable:
                moves += " " + w["watch_not_comparable"].format(nc=wl.not_comparable)
            lead = w["watch_lead_drops"].format(drop=fmt.num(rules.drop))
        improvers = ", ".join(w["watch_improver"].format(
            unit=sub_unit_name(c), delta=fmt.num(c.change.delta if c.change else None))
            for c in wl.improvers)
        out.append(WatchLevel(
            f"{title} ({n})", moves, lead, tuple(map(one, wl.units)),
            w["watch_improvers_sentence"].format(units=improvers) if improvers else ""))
    return tuple(out)


def watch_reason(c: Scorecard, rules: Rules, index: Index, fmt: Fmt) -> str:
    """Why a unit is listed, as part IV of the bulletin says it: a fall since the earlier
    period, else a group that scored 0 ('nhóm chỉ số … đạt 0 điểm'), else where it
    stands lowest against its level ('nhóm chỉ số Số hóa hồ sơ xếp thứ 100/102, thấp hơn
    bình quân 2,36 điểm'; 'thấp nhất ở …' only when it is last of them)."""
    w = fmt.words
    delta = c.change.delta if c.change else None
    if delta is not None and -delta >= rules.drop and c.change:
        return w["watch_why_drop"].format(delta=fmt.num(-delta),
                                          period=c.change.previous_period.phrase(fmt.lang))
    names = {g.group.code: g.group.name(fmt.lang) for g in c.groups}
    zero = [g.group.code for g in c.reported if g.score == 0]
    if zero:
        return w["watch_why_zero" if len(zero) == 1 else "watch_why_zeros"].format(
            groups=join_words([names[z] for z in zero], fmt))
    worst = worst_against_peers(c)
    if worst is None:  # no other unit of its level: its own weakest group, said as such
        low = next((f for f in unit_findings(c, (), rules, index) if f.kind == "weakest"), None)
        if low is None:
            return ""
        return w["watch_why_own" if len(low.groups) == 1 else "watch_why_owns"].format(
            groups=join_words([names[g] for g in low.groups], fmt),
            pct=fmt.num(low.figures["pct"]))
    one = len(worst.groups) == 1
    last = worst.figures["rank"] == worst.figures["of"]
    key = ("watch_why_last" if last else "watch_why_rank") + ("" if one else "s")
    why = w[key].format(groups=join_words([names[g] for g in worst.groups], fmt),
                        rank=fmt.ordinal(int(worst.figures["rank"])),
                        of=fmt.num(worst.figures["of"]))
    gaps = [worst.figures.get(g) for g in worst.groups]
    if all(d is not None and d < 0 for d in gaps):  # the gap only where it is below the peer
        peer = w[f"peer_word_{c.peer_source.value}"]
        why += w["watch_why_gap" if one else "watch_why_gaps"].format(
            peer=peer, gap=fmt.num(-gaps[0]) if gaps[0] is not None else "",
            gaps=join_words([fmt.num(-d) for d in gaps if d is not None], fmt))
    return why


def count(n: Decimal | None, fmt: Fmt) -> str:
    """A count as bulletins print it: 19.933; under 10 with a leading zero (09)."""
    if n is None:
        return fmt.words["not_reported"]
    return f"{int(n):02d}" if 0 <= n < 10 else fmt.num(n)


def rate_text(r: Rate | None, unit: str, fmt: Fmt) -> str:
    """'18.039/18.057 hồ sơ, 99,9%'; 'không phát sinh' for nothing to count."""
    if r is None:
        return fmt.words["not_reported"]
    if r.percent is None:
        return fmt.words["not_arising"]
    small = f" ({fmt.words['small_sample']})" if r.small else ""
    return f"{count(r.numerator, fmt)}/{count(r.denominator, fmt)} {unit}, " \
           f"{fmt.pct(r.percent)}{small}"


@dataclass(frozen=True)
class TargetLine:
    """A Government target against its rate, as printed."""

    name: str
    short: str
    rate: str  # '31,04%', or 'chưa có số liệu' / 'không phát sinh'
    rate_counted: str  # '1.234/3.976 TTHC, 31,04%'
    target: str  # '80%'
    verdict: str  # 'vượt chỉ tiêu', 'đạt chỉ tiêu', 'chưa đạt chỉ tiêu'; '' with no rate
    source: str


def targets(d: Dossiers, targets: Sequence[Target], card: Scorecard,
            fmt: Fmt) -> tuple[TargetLine, ...]:
    """Every target in force for the period, against its rate; one whose rate the figures do
    not give is listed as 'chưa có số liệu' (0/0 as 'không phát sinh'), never left out."""
    r = rates(d)
    out = []
    for t in targets:
        if t.since > card.period.year:
            continue
        rate = r.get(t.rate)
        pct = None if rate is None else rate.percent
        unit = fmt.words["procedures" if RATES[t.rate][1] == "tthc_total" else "dossiers"]
        counted = rate_text(rate, unit, fmt)
        out.append(TargetLine(t.name(fmt.lang), t.short(fmt.lang),
                              counted if pct is None else fmt.pct(pct), counted,
                              fmt.pct(t.value), "" if pct is None else _verdict(pct, t.value, fmt),
                              t.source(fmt.lang)))
    return tuple(out)


def dossier_period(card: Scorecard, own: Period | None, fmt: Fmt) -> tuple[str, str]:
    """The dossier figures' period in a title ('tháng 10/2025'), and a line saying it is not
    the report's when --dossiers-period named another ('' when it is the same)."""
    period = own or card.period
    other = "" if period == card.period else fmt.words["dossier_other_period"].format(
        period=period.phrase(fmt.lang), report=card.period.phrase(fmt.lang))
    return period.phrase(fmt.lang), other


def _verdict(pct: Decimal, target: Decimal, fmt: Fmt) -> str:
    """'vượt chỉ tiêu', 'đạt chỉ tiêu' (equal as printed), 'chưa đạt chỉ tiêu'."""
    if fmt.num(pct) == fmt.num(target):
        return fmt.words["target_met"]
    return fmt.words["target_above" if pct > target else "target_below"]


def dossier_prose(d: Dossiers, card: Scorecard, fmt: Fmt, period: str) -> tuple[str, ...]:
    """Part II in the register of seed bulletin 004: one sentence of the counts (received,
    resolved with the on-time rate, being resolved), the remainder the splits leave said of
    the dossiers, then the procedures and the online rates, each with its figures.

    Args:
        period: the dossier figures' own period, as a sentence says it ('tháng 10/2025').
    """
    w = fmt.words
    g = d.get
    r = rates(d)
    counts = _counts_sentence(d, r, card, fmt, period)
    lines = [counts] if counts else []
    given = [v for v in (g("pending_not_due"), g("pending_overdue"), g("done_on_time"),
                         g("done_late")) if v is not None]
    received = g("received")
    if received is not None and given and sum(given, Decimal(0)) < received:
        lines.append(w["dossier_not_split"].format(
            n=count(received - sum(given, Decimal(0)), fmt)))
    if "done_on_time" in r and r["done_on_time"].small:
        lines.append(w["small_sample_sentence"])
    if "on_time" in r:
        lines.append(w["dossier_on_time_sentence"].format(rate=_rate_words(r["on_time"], fmt)))
    if g("tthc_total") is not None:
        lines.append(_procedures(d, r, fmt))
    online = [w[k].format(rate=_rate_words(r[rate], fmt))
              for rate, k in (("online", "dossier_online_clause"),
                              ("payment", "dossier_payment_clause")) if rate in r]
    if online:
        lines.append(capital("; ".join(online)) + ".")
    if g("avg_days") is not None:
        lines.append(w["dossier_days_line"].format(days=fmt.num(g("avg_days"))))
    return tuple(lines)


def _counts_sentence(d: Dossiers, r: dict[str, Rate], card: Scorecard, fmt: Fmt,
                     period: str) -> str:
    """'Trong tháng 11/2023, trên địa bàn tỉnh Hà Giang đã tiếp nhận 19.933 hồ sơ TTHC; trong
    đó đã giải quyết 18.057 hồ sơ (18.039 hồ sơ trả đúng hạn và trước hạn, đạt tỷ lệ 99,9%;
    18 hồ sơ quá hạn), đang giải quyết 1.497 hồ sơ (…).' — whatever of it the figures give."""
    w = fmt.words
    g = d.get
    said = []
    received = g("received")
    if received is not None:
        said.append(w["dossier_received"].format(n=count(received, fmt)))
    done = [g("done_on_time"), g("done_late")]
    if g("completed") is not None or any(v is not None for v in done):
        on_time = r.get("done_on_time")
        rate = w["dossier_rate"].format(pct=fmt.pct(on_time.percent)) \
            if on_time and on_time.percent is not None else ""
        key = "dossier_done" if any(v is not None for v in done) else "dossier_done_total"
        said.append(w[key].format(total=count(g("completed"), fmt),
                                  on_time=count(g("done_on_time"), fmt), rate=rate,
                                  late=count(g("done_late"), fmt)))
    pending = [g("pending_not_due"), g("pending_overdue")]
    if any(v is not None for v in pending):
        total = sum((v for v in pending if v is not None), Decimal(0))
        said.append(w["dossier_pending"].format(total=count(total, fmt),
                                               not_due=count(g("pending_not_due"), fmt),
                                               overdue=count(g("pending_overdue"), fmt)))
    if not said:
        return ""
    where = w[f"dossier_where_{card.unit.level.value}"].format(unit=formal_name(card, fmt.lang))
    head, *rest = said
    body = f"{head}; {w['dossier_of_which']} {', '.join(rest)}" if rest and received \
        is not None else "; ".join(said)
    return w["dossier_sentence"].format(period=period, where=where, body=body)


def _rate_words(r: Rate, fmt: Fmt) -> str:
    """'đạt 90,27% (47.320/52.418 hồ sơ)', or 'không phát sinh'."""
    if r.percent is None:
        return fmt.words["not_arising"]
    return fmt.words["rate_words"].format(pct=fmt.pct(r.percent), num=count(r.numerator, fmt),
                                          den=count(r.denominator, fmt))


def _procedures(d: Dossiers, r: dict[str, Rate], fmt: Fmt) -> str:
    """The procedures offered online: fully, partly, and 'hình thức khác' (the rest)."""
    w = fmt.words
    total = d.get("tthc_total") or Decimal(0)
    full, partial = d.get("tthc_full"), d.get("tthc_partial")
    parts = []
    if full is not None and "tthc_full" in r:
        parts.append(w["tthc_full_clause"].format(n=count(full, fmt), total=count(total, fmt),
                                                  rate=_rate_pct(r["tthc_full"], fmt)))
    if partial is not None and "tthc_partial" in r:
        parts.append(w["tthc_partial_clause"].format(n=count(partial, fmt),
                                                     rate=_rate_pct(r["tthc_partial"], fmt)))
    if full is not None and partial is not None:
        parts.append(w["tthc_other_clause"].format(n=count(total - full - partial, fmt)))
    return w["tthc_sentence"].format(total=count(total, fmt), body="; ".join(parts))


def _rate_pct(r: Rate, fmt: Fmt) -> str:
    return fmt.words["not_arising"] if r.percent is None else fmt.pct(r.percent)


def dossier_summary(d: Dossiers, fmt: Fmt) -> str:
    """The page's compact line: dossiers received, and the on-time rate."""
    w = fmt.words
    r = rates(d)
    if d.get("received") is None:
        return ""
    parts = [w["dossier_received_line"].format(received=count(d.get("received"), fmt))]
    if "on_time" in r:
        parts.append(w["dossier_on_time_line"].format(rate=rate_text(r["on_time"],
                                                                       w["dossiers"], fmt)))
    if "done_on_time" in r:
        parts.append(w["dossier_done_rate_line"].format(
            rate=rate_text(r["done_on_time"], w["dossiers"], fmt)))
    return " ".join(parts)
