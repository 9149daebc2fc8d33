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
from ..findings import Rules, unit_findings, watch_list
from ..formatting import Fmt, capital, level_key
from ..issuer import Issuer, within
from ..language import Language, language
from ..model import GroupScore, Index, Level, Scorecard
from ..narrative import finding_text, formal_name
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
    parts = [_index_part(card, index, fmt, opts.templates, opts.rules)]
    if dossiers is not None:
        period, other = blocks.dossier_period(card, opts.dossiers_period, fmt)
        parts.append(Part(_dated(w["bulletin_part_dossiers"], period, fmt),
                          (*([other] if other else []),
                           *blocks.dossier_prose(dossiers, card, fmt, period))))
        part = _target_part(dossiers, opts, card, fmt)
        if part is not None:
            parts.append(part)
    # a sub-unit is named as its province names it, in Vietnamese in either language (its
    # name is the data's: 'Thanh tra tỉnh An Giang' lost 'An Giang' only in Vietnamese)
    province = formal_name(card, Language.VI)
    if sub_units:
        parts.append(_watch_part(sub_units, opts.rules, index, fmt, province))
    parts.append(_suggestions(card, index, opts, fmt, dossiers, issuer.itself))
    titled = tuple(Part(f"{ROMAN[i]}. {p.title.upper()}", p.paragraphs, p.tables)
                   for i, p in enumerate(parts))
    return Bulletin(
        parent_office=issuer.box1, office=issuer.box2,
        number=w["bulletin_number"].format(number=opts.number or "……..", suffix=issuer.suffix),
        motto=(w["bulletin_nation"], w["bulletin_motto"]),
        place_date=_place_date(issuer.place, opts.issued, fmt), kind=w["bulletin_kind"],
        subject=w["bulletin_subject"].format(period=card.period.phrase(fmt.lang)),
        opening=_opening(card, issuer, fmt), parts=titled,
        recipients_title=w["bulletin_recipients"],
        recipients=(*(f"- {r};" for r in opts.recipients), w["bulletin_archive"]),
        signer_title=issuer.signature, signer=issuer.signer,
        annex_title=w["bulletin_annex"] if sub_units else "",
        annex_heading=_annex_heading(sub_units, card, fmt) if sub_units else "",
        annex_note=w["bulletin_annex_note"].format(suffix=issuer.suffix) if sub_units else "",
        annex=_annex(sub_units, index, fmt, province) if sub_units else (),
        lang=fmt.lang, page_word=w["page"], issued=opts.issued)


def _suggestions(card: Scorecard, index: Index, opts: BulletinOptions, fmt: Fmt,
                 dossiers: Dossiers | None = None, own: bool = False) -> Part:
    """Part V: the observations on the total (and, where the dossier figures allow, the
    dossiers it takes to win the most points), then for each weak group (_weak_groups: the
    most severe first) all it stands at in one sentence — so no fact is said twice — and what
    can be done: from the actions file, or a visible blank for the clerk, never an empty
    heading. `own`: the unit reports on itself (the actions' own wording)."""
    w = fmt.words
    rules, actions = opts.rules, opts.actions
    found = unit_findings(card, (), rules, index)
    gain = blocks.gain(card, dossiers, index, fmt)
    lines = [finding_text(f, card, rules, fmt.lang) for f in found
             if f.kind in ("drop", "declines")]
    lines += [gain] if gain else []
    named = {c for f in found if f.kind in ("weakest", "most_left", "lowest_rank",
                                            "largest_gap") for c in f.groups}
    said = {c for f in found if f.kind in ("weakest", "most_left") for c in f.groups}
    weak = _weak_groups(card, named, said, rules)
    for n, g in enumerate(weak, 1):
        action = actions.suggest(g.group.code, fmt.lang, own) or w["suggestion_blank"]
        lines.append(f"{n}. {_group_state(g, card, fmt)} {action}")
    if not weak:  # no group to advise on: what the figures do say, then the clerk's blank
        above = all(g.diff is not None and g.diff > 0 for g in card.groups)
        lines.append(w["suggestion_all_above"].format(n=len(card.groups),
                                                      peer=fmt.peer_named(card)) + " "
                     + w["suggestion_blank"] if above else w["suggestion_blank"])
    return Part(w["bulletin_suggestions"], tuple(lines))


SUGGESTED = 3  # groups advised on, unless more are last among the peers or under half


def _weak_groups(card: Scorecard, named: set[str], said: set[str],
                 rules: Rules) -> list[GroupScore]:
    """The groups part V advises on, most severe first: those under the notice threshold or
    named by the findings (the weakest, most points left, lowest rank, largest gap), less any
    where the unit is above the peer's mean and in the top quarter of its peers (Phú Quốc's
    Dịch vụ công trực tuyến, 2/102: not weak, whatever its share of the maximum). In order:
    last among the peers, then under the alert threshold (50%), then the lower rank and the
    larger gap below the mean, then the lower share of the maximum. Three of them, but a
    group last or under the alert threshold is never left out (Thanh tra tỉnh: five groups
    15/15; its Dịch vụ công trực tuyến at 33,33% was the fourth and went unsaid), nor one
    the paragraph of part I tells the unit to work on (`said`: the weakest share, the most
    points left — Phú Quốc's Số hóa hồ sơ, 101/102, "cần tập trung cải thiện")."""
    def place(g: GroupScore) -> tuple[int, int] | None:  # (rank, of), among 2 or more
        return (g.rank.position, g.rank.of) if g.rank and g.rank.of and g.rank.of > 1 \
            else None

    def last(g: GroupScore) -> bool:
        return (p := place(g)) is not None and p[0] == p[1]

    def under(g: GroupScore) -> bool:
        return (g.pct or 0) < rules.alert_below

    def strong(g: GroupScore) -> bool:  # above the mean and in the top quarter
        return (p := place(g)) is not None and g.diff is not None and g.diff > 0 \
            and p[0] * 4 <= p[1]

    def down(g: GroupScore) -> Decimal:  # how far down its peers it stands, 0..1
        return Decimal(p[0]) / p[1] if (p := place(g)) else Decimal(0)

    weak = [g for g in card.reported
            if ((g.pct or 0) < rules.notice_below or g.group.code in named) and not strong(g)]
    weak.sort(key=lambda g: (not last(g), not under(g), -down(g),
                             g.diff if g.diff is not None else Decimal(0), g.pct or 0))
    return [g for i, g in enumerate(weak)
            if i < SUGGESTED or last(g) or under(g) or g.group.code in said]


def _group_state(g: GroupScore, card: Scorecard, fmt: Fmt) -> str:
    """'Nhóm chỉ số Số hóa hồ sơ đạt 15,86/22 điểm (72,09% điểm tối đa), thấp hơn bình quân
    34 tỉnh, thành phố 0,76 điểm, xếp thứ 23/34 tỉnh, thành phố; còn có thể tăng thêm 6,14
    điểm.' — a group at 0 said as 'đạt 0/18 điểm' (a score: 'chưa có điểm' reads as not
    reported)."""
    w = fmt.words
    zero = not g.score
    state = w["suggestion_zero" if zero else "suggestion_score"].format(
        score=fmt.frac(g.score, g.group.max), pct=fmt.num(g.pct))
    diff = g.diff
    side = "" if not diff else w["suggestion_below" if diff < 0 else "suggestion_above"].format(
        peer=fmt.peer_named(card), gap=fmt.num(abs(diff)))
    rank = w["suggestion_rank"].format(  # 'xếp thứ 23/34 tỉnh, thành phố'; 'ranked 23rd of 34'
        rank=fmt.rank(g.rank), level=fmt.level_of(card).lower(),
        ordinal=fmt.ordinal(g.rank.position), of=g.rank.of) \
        if g.rank and g.rank.of and g.rank.of > 1 else ""
    left = w["suggestion_left_zero" if zero else "suggestion_left"].format(
        left=fmt.num(g.group.max - (g.score or 0)))
    return w["suggestion_line"].format(group=g.group.name(fmt.lang), state=state, peer=side,
                                       rank=rank, left=left)


def _dated(title: str, period: str, fmt: Fmt) -> str:
    """A part's title with its period, 'Tình hình … tháng 10/2025', 'Dossiers … in October
    2025', the period's words joined by no-break spaces: a heading that wraps never leaves
    'THÁNG' at the end of one line and '10/2025' on the next."""
    return fmt.words["bulletin_part_period"].format(title=title,
                                                    period=period.replace(" ", "\u00a0"))


def _opening(card: Scorecard, issuer: Issuer, fmt: Fmt) -> str:
    """As a báo cáo opens: the Decision it carries out, who reports, on what, and — when the
    figures are provisional — to which date."""
    w = fmt.words
    unit = formal_name(card, fmt.lang)
    whose = "" if issuer.itself else w["opening_of"].format(unit=unit)
    provisional = w["opening_provisional"].format(date=fmt.date(card.data_date)) \
        if card.provisional else ""
    return w["bulletin_opening"].format(office=issuer.name, period=card.period.phrase(fmt.lang),
                                        whose=whose, provisional=provisional)


def _place_date(place: str, day: dt.date, fmt: Fmt) -> str:
    """'An Giang, ngày 05 tháng 11 năm 2025': days under 10 and months 1–2 with a zero."""
    if fmt.lang is not Language.VI:
        return f"{place}, {day:%d %B %Y}" if place else f"{day:%d %B %Y}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    text = f"ngày {day.day:02d} tháng {month} năm {day.year}"
    return f"{place}, {text}" if place else capital(text)


def _index_part(card: Scorecard, index: Index, fmt: Fmt, templates: str | None,
                rules: Rules) -> Part:
    """Part I: the paragraph, and the groups against the peer (the page's own figures). The
    paragraph is the page's, told that the figures are final: the opening has already said
    to which date they are provisional, and a report says it once; the weakest group's band
    by the office's thresholds (--findings-rules), as on its page."""
    w = fmt.words
    paragraph = blocks.paragraph(card, index, fmt, templates, rules)
    lines = [*blocks.group_lines(card, fmt), blocks.total_line(card, index, fmt)]
    rows = tuple((g.name, g.score, g.peer, g.diff, g.rank) for g in lines)
    head = (w["group"], w["score"], blocks.peer_heading(card, fmt), w["difference"], w["rank"])
    store = " ".join(x for x in (*blocks.revisions(card, fmt), blocks.year_ago(card, fmt)) if x)
    return Part(w["bulletin_part_index"], (paragraph, *([store] if store else [])),
                (Table(head, rows, True, unit=w["table_unit_points"]),))


def _target_part(d: Dossiers, opts: BulletinOptions, card: Scorecard, fmt: Fmt) -> Part | None:
    """Part III: each rate against its target, 'đạt / vượt / chưa đạt chỉ tiêu', cited with
    the document that sets it — or a highlighted '[căn cứ giao chỉ tiêu]' where the targets
    file has no verified source."""
    w = fmt.words
    lines, rows = [], []
    for t in blocks.targets(d, opts.targets, card, fmt):
        source = t.source or w["target_source_blank"]
        if not t.verdict:  # no rate to judge: listed as 'chưa có số liệu', never dropped
            lines.append(capital(w["target_no_rate_line"].format(
                name=t.name, rate=t.rate, target=t.target, source=source)))
            rows.append((capital(t.name), t.rate, t.target, "—"))
            continue
        lines.append(capital(w["target_line"].format(name=t.name, rate=t.rate,
                                                      verdict=t.verdict, target=t.target,
                                                      source=source)))
        rows.append((capital(t.name), t.rate, t.target, capital(t.verdict)))
    if not lines:
        return None
    head = (w["target_head_name"], w["target_head_result"], w["target_head_target"],
            w["target_head_verdict"])
    period, other = blocks.dossier_period(card, opts.dossiers_period, fmt)
    return Part(_dated(w["bulletin_part_targets"], period, fmt),
                (*([other] if other else []), *lines), (Table(head, tuple(rows)),))


def _sub_name(c: Scorecard, province: str) -> str:
    """A department or commune as its province's own report names it, in part IV and the
    annex alike: 'Thanh tra tỉnh', not 'Thanh tra tỉnh An Giang' (the province is the
    report's own); 'Sở Tài chính', 'UBND xã An Minh'."""
    return within(blocks.sub_unit_name(c), province)


def _watch_part(units: Sequence[Scorecard], rules: Rules, index: Index, fmt: Fmt,
                province: str) -> Part:
    """Part IV: per level, how the units moved (only when an earlier period was given), then
    the units to watch, one numbered sentence each with its total, class and why it is
    listed — a fall since the earlier period, else its weakest group (ten communes in one
    sentence joined by ';' ran to 230 words) — and the notable improvers."""
    w = fmt.words

    def name(c: Scorecard) -> str:
        return _sub_name(c, province)

    lines = []
    for wl in watch_list(units, rules):
        n = sum(1 for c in units if c.unit.level is wl.level)
        level = fmt.level(wl.level, blocks.zones_among(units, wl.level)).lower()
        before = next((c.change.previous_period for c in wl.units if c.change), None)
        if before is not None and wl.not_comparable < n:
            lines.append(w["watch_moves"].format(
                period=before.phrase(fmt.lang), n=n, level=level, up=wl.up, down=wl.down,
                same=wl.unchanged))
        lines.append(w["watch_sentence"].format(n=n, level=level))
        lines += [_watched(i, c, name(c), rules, index, fmt) for i, c in enumerate(wl.units, 1)]
        if wl.improvers:
            better = ", ".join(w["watch_improver"].format(
                unit=name(c),
                delta=fmt.num(c.change.delta if c.change else None)) for c in wl.improvers)
            lines.append(w["watch_improvers_sentence"].format(units=better))
    return Part(w["watch_title"], tuple(lines))


def _watched(no: int, c: Scorecard, name: str, rules: Rules, index: Index, fmt: Fmt) -> str:
    """'2. Sở Tài chính đạt 63,01 điểm, xếp loại Trung bình. Các nhóm chỉ số Công khai, minh
    bạch; Dịch vụ công trực tuyến và … cùng xếp thứ 14/15, …' — the reason a sentence of its
    own, as in the summary's table: joined by a comma, the groups' ';' (a name such as 'Công
    khai, minh bạch' holds a comma) stood inside the weaker mark."""
    w = fmt.words
    why = blocks.watch_reason(c, rules, index, fmt)
    band = c.band.name(fmt.lang) if c.band else w["not_reported"]
    standing = w["watched"].format(no=no, unit=name, total=fmt.num(c.total), band=band)
    return f"{standing} {capital(why)}." if why else standing


def _annex(units: Sequence[Scorecard], index: Index, fmt: Fmt, province: str
           ) -> tuple[Part, ...]:
    """Every sub-unit with its six groups, total, class and rank, level by level: each level
    a block of its own, its STT from 1 and its rank among that level only — with two levels,
    under a sub-heading ('I. Sở, ban, ngành (15)', 'II. Xã, phường, đặc khu (102)'); one
    table had run 'Hạng' 1/15 … 15/15 then 1/102 … 102/102 and STT 1–117."""
    w = fmt.words
    portal = any(c.portal_rank for c in units)  # the portal's list of all the sub-units
    head = (w["annex_no"], w["unit"],
            *(f"{g.abbr(fmt.lang)} ({fmt.num(g.max)})" for g in index.groups),
            w["total"], w["class"], w["rank_head_file"],
            *([w["rank_head_province"]] if portal else []))
    levels = sorted({c.unit.level for c in units})
    out = []
    for k, level in enumerate(levels):
        ranked = sorted((c for c in units if c.unit.level is level),
                        key=lambda c: (-(c.total or Decimal(-1)), c.unit.name))
        rows = tuple((str(i), _sub_name(c, province), *(fmt.num(g.score) for g in c.groups),
                      fmt.num(c.total), c.band.name(fmt.lang) if c.band else "—",
                      fmt.rank(c.rank),
                      *([str(c.portal_rank) if c.portal_rank else "—"] if portal else []))
                     for i, c in enumerate(ranked, 1))
        title = f"{ROMAN[k]}. {fmt.level(level, blocks.zones_among(units, level))} " \
            f"({len(ranked)})" if len(levels) > 1 else ""
        out.append(Part(title, tables=(Table(head, rows, names=2),)))
    return tuple(out)


def _annex_heading(units: Sequence[Scorecard], card: Scorecard, fmt: Fmt) -> str:
    """'KẾT QUẢ CHỈ SỐ … CỦA CÁC SỞ, BAN, NGÀNH VÀ UBND CÁC XÃ, PHƯỜNG THÁNG 10/2025'."""
    w = fmt.words
    levels = sorted({c.unit.level for c in units})
    whose = f" {w['and']} ".join(
        w[f"annex_of_{level_key(lv, blocks.zones_among(units, lv))}"] for lv in levels)
    return w["annex_heading"].format(whose=whose, period=card.period.phrase(fmt.lang)).upper()


def sub_units_of(cards: Sequence[Scorecard], province: str) -> list[Scorecard]:
    """A province's departments and communes (their codes start with its code)."""
    return [c for c in cards if c.unit.level is not Level.PROVINCE
            and (c.unit.province == province or c.unit.code.startswith(province + "."))]
