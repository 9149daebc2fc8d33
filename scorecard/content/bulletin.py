"""What the monthly bulletin draft says (SPEC §7): the Decree 30 header's words, the parts with
their paragraphs and tables, the annex, the foot — composed from the same blocks as the page
(render/bulletin_docx.py lays it out).

Each part appears only when its data is given; missing data is said, never filled with zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from ..dossiers import Dossiers
from ..findings import unit_findings
from ..formatting import Fmt
from ..issuer import Issuer
from ..language import Language, language
from ..model import Index, Level, Scorecard
from ..narrative import render_narrative
from . import blocks
from .objects import Bulletin, Part, Table
from .options import BulletinOptions

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")


def bulletin(card: Scorecard, index: Index, opts: BulletinOptions, issuer: Issuer, *,
             dossiers: Dossiers | None = None, sub_units: Sequence[Scorecard] = ()) -> Bulletin:
    """The report a provincial office issues for one period, drafted from the data.

    Args:
        issuer: who issues it (issuer.resolve: the boxes, the number, the signature).
        dossiers: the unit's dossier figures (part II, and the targets of part III).
        sub_units: the province's departments and communes (part IV and the annex).
    """
    fmt = Fmt(language(opts.lang))
    w = fmt.words
    parts = [_index_part(card, index, fmt, opts.templates)]
    if dossiers is not None:
        period, other = blocks.dossier_period(card, opts.dossiers_period, fmt)
        parts.append(Part(f"{w['bulletin_part_dossiers']} {period}",
                          (*([other] if other else []), *blocks.dossier_lines(dossiers, fmt))))
        part = _target_part(dossiers, opts, card, fmt)
        if part is not None:
            parts.append(part)
    if sub_units:
        parts.append(_watch_part(sub_units, opts, fmt))
    parts.append(_suggestions(card, index, opts, fmt, dossiers))
    titled = tuple(Part(f"{ROMAN[i]}. {p.title.upper()}", p.paragraphs, p.tables)
                   for i, p in enumerate(parts))
    return Bulletin(
        parent_office=issuer.box1, office=issuer.box2,
        number=w["bulletin_number"].format(number=opts.number or "……..", suffix=issuer.suffix),
        motto=(w["bulletin_nation"], w["bulletin_motto"]),
        place_date=_place_date(issuer.place, opts.issued, fmt), kind=w["bulletin_kind"],
        subject=w["bulletin_subject"].format(period=card.period.phrase(fmt.lang)),
        parts=titled, recipients_title=w["bulletin_recipients"],
        recipients=(*(f"- {r};" for r in opts.recipients), w["bulletin_archive"]),
        signer_title=issuer.signature, signer=issuer.signer,
        annex_title=w["bulletin_annex"] if sub_units else "",
        annex_heading=_annex_heading(sub_units, card, fmt) if sub_units else "",
        annex_note=w["bulletin_annex_note"].format(suffix=issuer.suffix) if sub_units else "",
        annex=_annex(sub_units, index, fmt) if sub_units else None,
        lang=fmt.lang, page_word=w["page"], issued=opts.issued)


def _suggestions(card: Scorecard, index: Index, opts: BulletinOptions, fmt: Fmt,
                 dossiers: Dossiers | None = None) -> Part:
    """Part V: the observations, then for each weak group (under the notice threshold, else
    the weakest) what the units can do — from the actions file, or a visible blank for the
    clerk, never an empty heading. Where the dossier figures allow, the dossiers it takes to
    win the most points stand for the group with the most points left."""
    w = fmt.words
    rules = opts.rules
    gain = blocks.gain(card, dossiers, index, fmt)
    kinds = tuple(k for k in blocks.BULLETIN_FINDINGS if not (gain and k == "most_left"))
    lines = [*blocks.findings(card, index, rules, fmt, kinds=kinds), *((gain,) if gain else ())]
    weak = sorted((g for g in card.reported if (g.pct or 0) < rules.notice_below),
                  key=lambda g: (g.pct or 0))
    if not weak:
        weakest = next((f.groups for f in unit_findings(card, (), rules, index)
                        if f.kind == "weakest"), ())
        weak = [g for g in card.reported if g.group.code in weakest]
    for g in weak[:3]:
        action = opts.actions.suggest(g.group.code, fmt.lang) or w["suggestion_blank"]
        lines.append(w["suggestion_line"].format(
            group=g.group.name(fmt.lang), pct=fmt.num(g.pct),
            left=fmt.num(g.group.max - (g.score or 0)), action=action))
    if not weak:
        lines.append(w["suggestion_blank"])
    return Part(w["bulletin_suggestions"], tuple(lines))


def _place_date(place: str, day: dt.date, fmt: Fmt) -> str:
    """'An Giang, ngày 05 tháng 11 năm 2025': days under 10 and months 1–2 with a zero."""
    if fmt.lang is not Language.VI:
        return f"{place}, {day:%d %B %Y}" if place else f"{day:%d %B %Y}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else text[:1].upper() + text[1:]


def _index_part(card: Scorecard, index: Index, fmt: Fmt, templates: str | None) -> Part:
    """Part I: the paragraph, and the groups against the peer (the page's own figures)."""
    w = fmt.words
    paragraph = render_narrative(card, index, fmt.lang, templates).unescape()
    lines = [*blocks.group_lines(card, fmt), blocks.total_line(card, index, fmt)]
    rows = tuple((g.name, g.score, g.peer, g.diff, g.rank) for g in lines)
    head = (w["group"], w["score"], blocks.peer_heading(card, fmt), w["difference"], w["rank"])
    store = " ".join(x for x in (*blocks.revisions(card, fmt), blocks.year_ago(card, fmt)) if x)
    return Part(w["bulletin_part_index"], (paragraph, *([store] if store else [])),
                (Table(head, rows, True),))


def _target_part(d: Dossiers, opts: BulletinOptions, card: Scorecard, fmt: Fmt) -> Part | None:
    w = fmt.words
    lines, rows = [], []
    for t in blocks.targets(d, opts.targets, card, fmt):
        if t.met is None:
            lines.append(w["target_no_rate_line"].format(name=t.name, rate=t.rate,
                                                         target=t.target, source=t.source))
            rows.append((t.name, t.rate, t.target, "—"))
            continue
        side = w["target_above"] if t.met else w["target_below"]
        lines.append(w["target_line"].format(name=t.name, rate=t.rate, side=side,
                                             target=t.target, source=t.source))
        rows.append((t.name, t.rate, t.target, w["target_met"] if t.met else w["target_not_met"]))
    if not lines:
        return None
    head = (w["target_head_name"], w["target_head_result"], w["target_head_target"],
            w["target_head_verdict"])
    period, other = blocks.dossier_period(card, opts.dossiers_period, fmt)
    return Part(f"{w['bulletin_part_targets']} {period}",
                (*([other] if other else []), *lines), (Table(head, tuple(rows)),))


def _watch_part(units: Sequence[Scorecard], opts: BulletinOptions, fmt: Fmt) -> Part:
    w = fmt.words
    lines = []
    for wl in blocks.watch(units, opts.rules, fmt):
        watched = "; ".join(f"{u.name} ({u.total})" for u in wl.units)
        lines.append(f"{wl.level}: {wl.counts}. {w['watch_units']}: {watched}.")
        if wl.improvers:
            better = "; ".join(f"{u.name} ({u.change})" for u in wl.improvers)
            lines.append(f"{w['watch_improvers']}: {better}.")
    return Part(w["watch_title"], tuple(lines))


def _annex(units: Sequence[Scorecard], index: Index, fmt: Fmt) -> Table:
    """Every sub-unit with its six groups, total, class and rank, level by level."""
    w = fmt.words
    ranked = sorted(units, key=lambda c: (c.unit.level, -(c.total or Decimal(-1)),
                                          c.unit.name))
    portal = any(c.portal_rank for c in units)  # the portal's list of all the sub-units
    rows = tuple((str(i), blocks.sub_unit_name(c), *(fmt.num(g.score) for g in c.groups),
                  fmt.num(c.total), c.band.name(fmt.lang) if c.band else "—", fmt.rank(c.rank),
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
