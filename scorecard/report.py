"""What the monthly bulletin draft says (SPEC §7): the Decree 30 header's words, the sections
with their paragraphs and tables, the annex, the foot — plain objects, like content.py for
the page. The DOCX writer (render/bulletin_docx.py) only lays them out.

Each part appears only when its data is given; missing data is said, never filled with zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .dossiers import RATES, Dossiers, Rate, Target, rates
from .findings import Actions, Rules, unit_findings, watch_list
from .formatting import Fmt
from .issuer import Issuer
from .language import Language, language
from .model import Index, Level, Scorecard
from .narrative import finding_text, render_narrative, watch_counts


@dataclass(frozen=True)
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    bold_last: bool = False
    names: int = 1  # leading columns of words (set left, wide); the figures follow


@dataclass(frozen=True)
class Part:
    """A numbered section (I, II, …): its title, paragraphs, and tables after them."""

    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Bulletin:
    parent_office: str  # ô 1, e.g. UBND TỈNH AN GIANG
    office: str  # ô 2, e.g. VĂN PHÒNG
    number: str  # ô 3, 'Số: …/BC-VP', blanks where only the clerk can fill in
    motto: tuple[str, str]  # Quốc hiệu, Tiêu ngữ
    place_date: str  # ô 4
    kind: str  # BÁO CÁO
    subject: str  # the trích yếu
    parts: tuple[Part, ...]
    recipients_title: str
    recipients: tuple[str, ...]
    signer_title: tuple[str, ...]  # ô 7's lines: 'KT. CHÁNH VĂN PHÒNG', 'PHÓ CHÁNH VĂN PHÒNG'
    signer: str  # the name, or '[Họ và tên]' for the clerk
    annex_title: str = ""  # 'Phụ lục'
    annex_heading: str = ""  # its title, in capitals
    annex_note: str = ""
    annex: Table | None = None
    lang: str = "vi"
    page_word: str = "Trang"
    issued: dt.date = field(default=dt.date(2000, 1, 1))


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")


def bulletin(card: Scorecard, index: Index, *, lang: str, issuer: Issuer, number: str,
             recipients: Sequence[str], issued: dt.date,
             dossiers: Dossiers | None = None, targets: Sequence[Target] = (),
             sub_units: Sequence[Scorecard] = (), rules: Rules | None = None,
             actions: Actions | None = None, templates: str | None = None) -> Bulletin:
    """The report a provincial office issues for one month, drafted from the data."""
    fmt = Fmt(lang)
    w = fmt.words
    rules = rules or Rules()
    parts = [_index_part(card, index, fmt, templates)]
    if dossiers is not None:
        parts.append(_dossier_part(dossiers, fmt))
        part = _target_part(dossiers, targets, card, fmt)
        if part is not None:
            parts.append(part)
    if sub_units:
        parts.append(_watch_part(sub_units, rules, fmt))
    parts.append(_suggestions(card, index, rules, actions or Actions(), fmt))
    titled = tuple(Part(f"{ROMAN[i]}. {p.title.upper()}", p.paragraphs, p.tables)
                   for i, p in enumerate(parts))
    return Bulletin(
        parent_office=issuer.box1, office=issuer.box2,
        number=w["bulletin_number"].format(number=number or "……..", suffix=issuer.suffix),
        motto=(w["bulletin_nation"], w["bulletin_motto"]),
        place_date=_place_date(issuer.place, issued, fmt), kind=w["bulletin_kind"],
        subject=w["bulletin_subject"].format(period=card.period.phrase(lang)),
        parts=titled, recipients_title=w["bulletin_recipients"],
        recipients=(*(f"- {r};" for r in recipients), w["bulletin_archive"]),
        signer_title=issuer.signature, signer=issuer.signer,
        annex_title=w["bulletin_annex"] if sub_units else "",
        annex_heading=_annex_heading(sub_units, card, fmt) if sub_units else "",
        annex_note=w["bulletin_annex_note"].format(suffix=issuer.suffix) if sub_units else "",
        annex=_annex(sub_units, index, fmt) if sub_units else None,
        lang=lang, page_word=w["page"], issued=issued)


def _suggestions(card: Scorecard, index: Index, rules: Rules, actions: Actions,
                 fmt: Fmt) -> Part:
    """Part V: the observations, then for each weak group (under the notice threshold, else
    the weakest) what the units can do — from the actions file, or a visible blank for the
    clerk, never an empty heading."""
    w = fmt.words
    found = unit_findings(card, (), rules, index)
    lines = [finding_text(f, card, rules, fmt.lang) for f in found
             if f.kind in ("weakest", "below_alert", "below_notice", "most_left", "drop",
                           "declines")]
    weak = sorted((g for g in card.reported if (g.pct or 0) < rules.notice_below),
                  key=lambda g: (g.pct or 0))
    if not weak:
        weakest = next((f.groups for f in found if f.kind == "weakest"), ())
        weak = [g for g in card.reported if g.group.code in weakest]
    for g in weak[:3]:
        action = actions.suggest(g.group.code, fmt.lang) or w["suggestion_blank"]
        lines.append(w["suggestion_line"].format(
            group=g.group.name(fmt.lang), pct=fmt.num(g.pct),
            left=fmt.num(g.group.max - (g.score or 0)), action=action))
    if not weak:
        lines.append(w["suggestion_blank"])
    return Part(w["bulletin_suggestions"], tuple(lines))


def _place_date(place: str, day: dt.date, fmt: Fmt) -> str:
    """'An Giang, ngày 05 tháng 11 năm 2025': days under 10 and months 1–2 with a zero."""
    if language(fmt.lang) is not Language.VI:
        return f"{place}, {day:%d %B %Y}" if place else f"{day:%d %B %Y}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


def _index_part(card: Scorecard, index: Index, fmt: Fmt, templates: str | None) -> Part:
    w = fmt.words
    paragraph = render_narrative(card, index, fmt.lang, templates).unescape()
    rows = [(g.group.name(fmt.lang), fmt.frac(g.score, g.group.max) if g.score is not None
             else w["not_reported"], fmt.frac(g.peer, g.group.max), fmt.signed(g.diff),
             fmt.rank(g.rank)) for g in card.groups]
    rows.append((w["total"], fmt.frac(card.total, index.total.max),
                 fmt.frac(card.peer_total, index.total.max),
                 fmt.signed(None if card.total is None or card.peer_total is None
                            else card.total - card.peer_total), fmt.rank(card.rank)))
    head = (w["group"], w["score"], fmt.peer_named(card)[:1].upper() + fmt.peer_named(card)[1:],
            w["difference"], w["rank"])
    return Part(w["bulletin_part_index"], (paragraph,), (Table(head, tuple(rows), True),))


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


def _dossier_part(d: Dossiers, fmt: Fmt) -> Part:
    w = fmt.words
    g = d.get
    r = rates(d)
    received = g("received")
    lines = []
    if received is not None:
        lines.append(w["dossier_received_line"].format(received=count(received, fmt)))
    pending = [g("pending_not_due"), g("pending_overdue")]
    if any(v is not None for v in pending):
        total = sum((v for v in pending if v is not None), Decimal(0))
        lines.append(w["dossier_pending_line"].format(
            total=count(total, fmt), not_due=count(g("pending_not_due"), fmt),
            overdue=count(g("pending_overdue"), fmt)))
    done = [g("done_on_time"), g("done_late")]
    if g("completed") is not None or any(v is not None for v in done):
        lines.append(w["dossier_done_line"].format(
            total=count(g("completed"), fmt), on_time=count(g("done_on_time"), fmt),
            late=count(g("done_late"), fmt)))
    given = [v for v in (*pending, *done) if v is not None]
    split = sum(given, Decimal(0))
    if received is not None and given and split < received:
        lines.append(w["dossier_not_split"].format(n=count(received - split, fmt)))
    if "on_time" in r:
        lines.append(w["dossier_on_time_line"].format(rate=rate_text(r["on_time"],
                                                                       w["dossiers"], fmt)))
    if g("tthc_total") is not None:
        lines.append(w["dossier_tthc_line"].format(
            full=rate_text(r.get("tthc_full"), w["procedures"], fmt),
            partial=rate_text(r.get("tthc_partial"), w["procedures"], fmt)))
    if "online" in r:
        lines.append(w["dossier_online_line"].format(rate=rate_text(r["online"],
                                                                      w["dossiers"], fmt)))
    if "payment" in r:
        lines.append(w["dossier_payment_line"].format(rate=rate_text(r["payment"],
                                                                       w["dossiers"], fmt)))
    if g("avg_days") is not None:
        lines.append(w["dossier_days_line"].format(days=fmt.num(g("avg_days"))))
    return Part(w["bulletin_part_dossiers"], tuple(lines))


def _target_part(d: Dossiers, targets: Sequence[Target], card: Scorecard,
                 fmt: Fmt) -> Part | None:
    w = fmt.words
    r = rates(d)
    lines, rows = [], []
    for t, _, pct in _applicable(targets, r, card):
        name = t.name(fmt.lang)
        side = w["target_above"] if pct >= t.value else w["target_below"]
        lines.append(w["target_line"].format(name=name, rate=fmt.pct(pct), side=side,
                                             target=fmt.pct(t.value), source=t.source(fmt.lang)))
        rows.append((name, fmt.pct(pct), fmt.pct(t.value),
                     w["target_met"] if pct >= t.value else w["target_not_met"]))
    if not lines:
        return None
    head = (w["target_head_name"], w["target_head_result"], w["target_head_target"],
            w["target_head_verdict"])
    return Part(w["bulletin_part_targets"], tuple(lines), (Table(head, tuple(rows)),))


def dossier_lines(d: Dossiers, targets: Sequence[Target], card: Scorecard,
                  fmt: Fmt) -> tuple[str, ...]:
    """The page's compact dossier block: the counts, then each rate against its target."""
    w = fmt.words
    r = rates(d)
    lines = []
    if d.get("received") is not None:
        parts = [w["dossier_received_line"].format(received=count(d.get("received"), fmt))]
        if "on_time" in r:
            parts.append(w["dossier_on_time_line"].format(
                rate=rate_text(r["on_time"], w["dossiers"], fmt)))
        lines.append(" ".join(parts))
    for t, rate, pct in _applicable(targets, r, card):
        side = w["target_above"] if pct >= t.value else w["target_below"]
        unit = w["procedures"] if RATES[t.rate][1] == "tthc_total" else w["dossiers"]
        lines.append(w["dossier_target_line"].format(
            name=t.short(fmt.lang), rate=rate_text(rate, unit, fmt), side=side,
            target=fmt.pct(t.value)))
    return tuple(lines)


def _applicable(targets: Sequence[Target], r: dict[str, Rate], card: Scorecard
                ) -> list[tuple[Target, Rate, Decimal]]:
    """The targets in force for the period whose rate the figures give (and is not 0/0)."""
    return [(t, r[t.rate], pct) for t in targets
            if t.since <= card.period.year and t.rate in r
            and (pct := r[t.rate].percent) is not None]


def _watch_part(units: Sequence[Scorecard], rules: Rules, fmt: Fmt) -> Part:
    w = fmt.words

    def named(c: Scorecard, figure: str) -> str:
        return f"{c.unit.formal or c.unit.name} ({figure})"

    lines = []
    for wl in watch_list(units, rules):
        counts = watch_counts(wl, fmt)
        watched = "; ".join(named(c, fmt.num(c.total)) for c in wl.units)
        lines.append(f"{fmt.level(wl.level)}: {counts}. {w['watch_units']}: {watched}.")
        if wl.improvers:
            better = "; ".join(named(c, fmt.signed(c.change.delta if c.change else None))
                               for c in wl.improvers)
            lines.append(f"{w['watch_improvers']}: {better}.")
    return Part(w["watch_title"], tuple(lines))


def _annex(units: Sequence[Scorecard], index: Index, fmt: Fmt) -> Table:
    """Every sub-unit with its six groups, total, class and rank, level by level."""
    w = fmt.words
    ranked = sorted(units, key=lambda c: (c.unit.level, -(c.total or Decimal(-1)),
                                          c.unit.name))
    portal = any(c.portal_rank for c in units)  # the portal's list of all the sub-units
    rows = tuple((str(i), c.unit.formal or c.unit.name,
                  *(fmt.num(g.score) for g in c.groups), fmt.num(c.total),
                  c.band.name(fmt.lang) if c.band else "—", fmt.rank(c.rank),
                  *([str(c.portal_rank) if c.portal_rank else "—"] if portal else []))
                 for i, c in enumerate(ranked, 1))
    head = (w["annex_no"], w["unit"],
            *(f"{g.short(fmt.lang)} ({fmt.num(g.max)})" for g in index.groups),
            w["total"], w["class"], w["rank_head_file"],
            *([w["rank_head_province"]] if portal else []))
    return Table(head, rows, names=2)


def _annex_heading(units: Sequence[Scorecard], card: Scorecard, fmt: Fmt) -> str:
    """'KẾT QUẢ CHỈ SỐ … CỦA CÁC SỞ, BAN, NGÀNH VÀ UBND CÁC XÃ, PHƯỜNG THÁNG 10/2025'."""
    w = fmt.words
    levels = sorted({c.unit.level for c in units})
    whose = f" {w['and']} ".join(w[f"annex_of_{lv.value}"] for lv in levels)
    return w["annex_heading"].format(whose=whose, period=card.period.phrase(fmt.lang)).upper()


def sub_units_of(cards: Sequence[Scorecard], province: str) -> list[Scorecard]:
    """A province's departments and communes (their codes start with its code)."""
    return [c for c in cards if c.unit.level is not Level.PROVINCE
            and (c.unit.province == province or c.unit.code.startswith(province + "."))]
