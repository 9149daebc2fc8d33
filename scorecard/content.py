"""What a page says, apart from how it is drawn: every string and figure of a unit's page and
of the summary, as plain frozen objects. The PDF renderer lays these out; a DOCX or a web
page is a sibling that reads the same objects. No reportlab here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from .dossiers import Dossiers, Target, for_unit
from .findings import Rules
from .formatting import Fmt
from .model import GroupScore, Index, Level, Scorecard
from .narrative import formal_name, render_narrative, watch_counts


@dataclass(frozen=True)
class Figure:
    """One headline box: the value, what it is out of, and a line under it."""

    value: str
    of: str = ""
    sub: str = ""


@dataclass(frozen=True)
class Headline:
    labels: tuple[str, str, str, str]
    total: Figure
    band: tuple[str, str] | None  # the class's word and colour
    rank: Figure
    delta: Decimal | None
    delta_text: str
    delta_sub: str


@dataclass(frozen=True)
class Row:
    cells: tuple[str, ...]
    missing: bool = False  # the group was not reported: its score cells say so, muted


@dataclass(frozen=True)
class Bar:
    """One group of the bar chart: unit and peer as % of the group's maximum."""

    label: str
    unit: Decimal | None
    unit_text: str
    peer: Decimal | None
    peer_text: str


@dataclass(frozen=True)
class Bars:
    title: str
    ticks: tuple[tuple[int, str], ...]  # (% of maximum, label)
    bars: tuple[Bar, ...]
    legend: tuple[str, str]
    not_reported: str


@dataclass(frozen=True)
class Band:
    """A class band the trend crosses: from `low` to `high` on the total's scale."""

    name: str
    low: Decimal
    high: Decimal
    color: str


@dataclass(frozen=True)
class Trend:
    title: str
    low: Decimal  # the scale runs from low to `top`
    top: Decimal
    ticks: tuple[tuple[Decimal, str], ...]
    bands: tuple[Band, ...]
    points: tuple[tuple[str, Decimal, str], ...]  # (period, total, total as printed)


@dataclass(frozen=True)
class Footer:
    """Source and data date left; the issue date and 'page x/N' right. `issued` is the only
    field that may change between two renders of the same figures."""

    left: str
    issued_word: str
    issued: str
    page_word: str
    signed: str = ""  # 'Ký bởi: …; Thời gian ký: …' on a signed PDF


@dataclass(frozen=True)
class UnitPage:
    lang: str
    doc_title: str
    office: str
    title: str
    unit: str
    period_line: str
    headline: Headline
    head: tuple[str, ...]
    rows: tuple[Row, ...]  # the groups, the combined groups, then the total
    bars: Bars
    trend: Trend | None
    remarks_title: str
    narrative: str
    footer: Footer
    findings_title: str = ""
    findings: tuple[str, ...] = ()  # the most important findings, as lines
    dossier_title: str = ""
    dossiers: tuple[str, ...] = ()  # counts and rates against the targets, when given


@dataclass(frozen=True)
class SummaryRow:
    rank: str
    name: str
    scores: tuple[str, ...]
    total: str
    bar: Decimal | None  # the total as a share of the maximum (0..1)
    band_word: str
    band_color: str | None
    change: str
    highlight: bool = False  # the issuing office's own unit


@dataclass(frozen=True)
class WatchBlock:
    """For a province's office: one level's units to watch, and how the level moved."""

    title: str
    counts: str
    units: tuple[str, ...]  # "Name — 70 (−10)"
    improvers: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    """One level of the summary: its units ranked, under the peer row."""

    title: str
    head: tuple[str, ...]  # rank, unit, then per group 'short\n(max)', total, '', class, change
    peer: tuple[str, ...]  # label, group averages, total average
    peer_bar: Decimal | None
    rows: tuple[SummaryRow, ...]
    note: str | None


@dataclass(frozen=True)
class SummaryPage:
    lang: str
    doc_title: str
    office: str
    title: str
    period: str
    sections: tuple[Section, ...]
    groups: int  # how many group columns: the table's shape comes from the index
    footer: Footer
    watch_title: str = ""
    watch: tuple[WatchBlock, ...] = ()
    watch_labels: tuple[str, str] = ("", "")


Paged = TypeVar("Paged", UnitPage, SummaryPage)


@dataclass(frozen=True)
class PageOptions:
    """What is the same for every page of a run."""

    index: Index
    lang: str = "vi"
    office: str | None = None
    issued: dt.date | None = None
    templates: str | None = None
    highlight: str | None = None  # a unit's code, marked in the summary
    rules: Rules | None = None  # the thresholds of the findings (data/findings.toml)
    dossiers: Mapping[str, Dossiers] | None = None  # --dossiers, by unit code or name
    targets: tuple[Target, ...] = ()
    signed: tuple[str, dt.datetime] | None = None  # the signer's name and the signing time

    def page(self, card: Scorecard) -> UnitPage:
        page = self._stamped(unit_page(card, self.index, self.lang, self.office, self.issued,
                                       self.templates, self.rules))
        d = for_unit(self.dossiers, card.unit.code, card.unit.name) if self.dossiers else None
        if d is None:
            return page
        from .report import dossier_lines

        return dataclasses.replace(page, findings=page.findings[:2],  # room for the dossiers
                                   dossier_title=Fmt(self.lang).words["dossier_title"],
                                   dossiers=dossier_lines(d, self.targets, card, Fmt(self.lang)))

    def summary(self, cards: Sequence[Scorecard]) -> SummaryPage:
        return self._stamped(summary_page(cards, self.index, self.lang, self.office,
                                          self.issued, self.highlight, self.rules))

    def _stamped(self, page: Paged) -> Paged:
        """The signature's line in the footer, drawn with the page (the signature field
        itself is invisible); like the issue date, left out of the fingerprint."""
        if self.signed is None:
            return page
        fmt = Fmt(self.lang)
        name, at = self.signed
        line = fmt.words["signed"].format(name=name, at=fmt.moment(at))
        return dataclasses.replace(page, footer=dataclasses.replace(page.footer, signed=line))


def unit_page(card: Scorecard, index: Index, lang: str, office: str | None,
              issued: dt.date | None, templates: str | Path | None = None,
              rules: Rules | None = None) -> UnitPage:
    """Everything one unit's page says."""
    fmt = Fmt(lang)
    w = fmt.words
    return UnitPage(
        lang=lang,
        doc_title=f"{card.unit.name} — {card.period.label(lang)}",
        office=(office or "").upper(),  # without --office, no issuer: never the portal
        title=w["title"],
        unit=card.unit.name if card.unit.level is Level.PROVINCE else (
            card.unit.formal or card.unit.name),  # 'UBND xã …', without '- tỉnh …'
        period_line=_period_line(card, fmt),
        headline=_headline(card, index, fmt),
        head=(w["group"], w["score"], w["pct_of_max"],
              fmt.peer_short(card).replace(", ", ",\n", 1), w["difference"], w["left"],
              w["group_rank"]),
        rows=_rows(card, index, fmt),
        bars=_bars(card, fmt),
        trend=_trend(card, index, fmt) if len(card.trend) >= 2 else None,
        remarks_title=w["remarks"],
        narrative=render_narrative(card, index, lang, templates).unescape(),
        footer=footer(card, index, fmt, issued),
        findings_title=w["findings_title"],
        findings=_findings(card, index, lang, rules or Rules()),
    )


def summary_page(cards: Sequence[Scorecard], index: Index, lang: str, office: str | None,
                 issued: dt.date | None, highlight: str | None = None,
                 rules: Rules | None = None) -> SummaryPage:
    """Every unit of the run, ranked level by level; a province's own departments and
    communes open with the units to watch."""
    fmt = Fmt(lang)
    w = fmt.words
    period = cards[0].period
    by_level: dict[Level, list[Scorecard]] = {}
    for c in cards:
        by_level.setdefault(c.unit.level, []).append(c)
    code = highlight or default_highlight(office, cards)
    sections = tuple(_section(sorted(by_level[level], key=_order), index, fmt, code)
                     for level in sorted(by_level))
    return SummaryPage(lang, f"{w['summary_title']} — {period.label(lang)}",
                       (office or "").upper(), w["summary_title"], period.label(lang),
                       sections, len(index.groups), footer(cards[0], index, fmt, issued),
                       w["watch_title"], _watch(cards, rules or Rules(), fmt),
                       (w["watch_units"], w["watch_improvers"]))


def default_highlight(office: str | None, cards: Sequence[Scorecard]) -> str | None:
    """The unit --office names, if it is one of the run's ('Văn phòng UBND tỉnh An Giang'
    -> An Giang): the office's own row is marked in the summary."""
    from .units import fold, province_key

    if not office:
        return None
    said = f" {fold(office)}"
    hits = [c for c in cards if c.unit.level is Level.PROVINCE
            and said.endswith(" " + province_key(c.unit.name))]
    return max(hits, key=lambda c: len(c.unit.name)).unit.code if hits else None


def _watch(cards: Sequence[Scorecard], rules: Rules, fmt: Fmt) -> tuple[WatchBlock, ...]:
    from .findings import watch_list

    out = []
    for wl in watch_list(cards, rules):
        def line(c: Scorecard) -> str:
            delta = c.change.delta if c.change else None
            change = "" if delta is None else f" ({fmt.signed(delta)})"
            return f"{c.unit.formal or c.unit.name} — {fmt.num(c.total)}{change}"

        out.append(WatchBlock(fmt.level(wl.level), watch_counts(wl, fmt),
                              tuple(map(line, wl.units)), tuple(map(line, wl.improvers))))
    return tuple(out)


def fingerprint(content: object, *dated: str) -> str:
    """sha256 of what a document says — figures, words, language — not of its bytes, leaving
    out its date fields (`dated`, dotted paths; a page's footer date and signature line by
    default): a render
    that changes only the issue date keeps it (the mail job keys on it)."""
    data = dataclasses.asdict(content)  # type: ignore[call-overload]
    for path in dated or ("footer.issued", "footer.signed"):
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[key]
        node.pop(last)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def footer(card: Scorecard, index: Index, fmt: Fmt, issued: dt.date | None) -> Footer:
    """Source, the data's date (marked provisional), the issue date: the same on every PDF."""
    w = fmt.words
    provisional = f" ({w['provisional']})" if card.provisional else ""
    return Footer(f"{w['source']}: {index.source(fmt.lang)} · {w['data_date']} "
                  f"{fmt.date(card.data_date)}{provisional}", w["issued"],
                  fmt.date(issued or dt.date.today()), w["page"])


def _period_line(card: Scorecard, fmt: Fmt) -> str:
    parts = [card.period.label(fmt.lang), fmt.level(card.unit.level)]
    if card.unit.code:
        parts.append(card.unit.code)
    if card.provisional:
        parts.append(fmt.words["provisional"])
    return " · ".join(parts)


def _headline(card: Scorecard, index: Index, fmt: Fmt) -> Headline:
    w = fmt.words
    if card.total is None:
        total = Figure("—", "", w["not_reported"])
    else:
        total = Figure(fmt.num(card.total), f"/{fmt.num(index.total.max)}",
                       f"{fmt.peer_short(card)}: {fmt.num(card.peer_total)}")
    rank = Figure(fmt.rank(card.rank),
                  sub=fmt.portal_rank(card.portal_rank) if card.portal_rank else "")
    delta = card.change.delta if card.change else None
    return Headline((w["total"], w["class"], w["rank"], w["change"]), total,
                    (card.band.name(fmt.lang), card.band.color) if card.band else None, rank,
                    delta, fmt.signed(delta), _change_sub(card, fmt))


def _change_sub(card: Scorecard, fmt: Fmt) -> str:
    c = card.change
    if c is None:
        return ""
    if c.delta is None:
        return f"{c.previous_period.short()}: {fmt.words['not_comparable']}"
    via = f" ({fmt.words['via']} {c.via})" if c.via else ""
    return f"{c.previous_period.short()}: {fmt.num(c.previous)}{via}"


def _rows(card: Scorecard, index: Index, fmt: Fmt) -> tuple[Row, ...]:
    rows = [_group_row(g, g.group.name(fmt.lang), fmt) for g in card.groups]
    rows += [_group_row(g, g.group.short(fmt.lang), fmt) for g in card.combined]
    rows.append(Row((
        fmt.words["total"],
        fmt.frac(card.total, index.total.max),
        fmt.pct(None if card.total is None else card.total * 100 / index.total.max),
        fmt.frac(card.peer_total, index.total.max),
        fmt.signed(None if card.total is None or card.peer_total is None
                   else card.total - card.peer_total),
        "" if card.total is None else fmt.num(index.total.max - card.total),
        fmt.rank(card.rank),
    )))
    return tuple(rows)


def _group_row(g: GroupScore, name: str, fmt: Fmt) -> Row:
    if g.score is None:
        return Row((name, fmt.words["not_reported"], "", fmt.frac(g.peer, g.group.max), "—",
                    "—", "—"), missing=True)
    return Row((name, fmt.frac(g.score, g.group.max), fmt.pct(g.pct),
                fmt.frac(g.peer, g.group.max), fmt.signed(g.diff),
                fmt.num(g.group.max - g.score), fmt.rank(g.rank)))


def _findings(card: Scorecard, index: Index, lang: str, rules: Rules,
              most: int = 4) -> tuple[str, ...]:
    """The page's box: alerts and notices first, then what can still be won; at most four."""
    from .findings import unit_findings
    from .narrative import finding_text

    chosen = [f for f in unit_findings(card, (), rules, index) if f.kind != "gap_mean"]
    return tuple(finding_text(f, card, rules, lang) for f in chosen[:most])


def _bars(card: Scorecard, fmt: Fmt) -> Bars:
    """The chart's figures with the table's decimals; its legend names the unit and the peer
    as the page does."""
    bars = []
    for g in card.groups:
        peer = None if g.peer is None else g.peer * 100 / g.group.max
        bars.append(Bar(g.group.name(fmt.lang), g.pct, fmt.num(g.pct, ""), peer,
                        fmt.num(peer, "")))
    return Bars(fmt.words["chart_title"], tuple((v, f"{fmt.num(v)}%") for v in range(0, 101, 20)),
                tuple(bars), (title_name(card, fmt.lang), fmt.peer_short(card)),
                fmt.words["not_reported"])


def title_name(card: Scorecard, lang: str) -> str:
    """The unit as the paragraph names it, as a title: 'Tỉnh An Giang', 'Thành phố Huế',
    'UBND xã Mỹ Hòa Hưng', 'Sở Tài chính', 'An Giang Province'."""
    name = formal_name(card, lang)
    return name[:1].upper() + name[1:]


def _trend(card: Scorecard, index: Index, fmt: Fmt) -> Trend:
    top = index.total.max
    values = [p.total for p in card.trend]
    low = Decimal(int(max(Decimal(0), min(values) - 5) // 5 * 5))
    bands = []
    upper = top
    for band in index.bands:  # highest first
        lo = max(band.min, low)
        if lo < upper:
            bands.append(Band(band.name(fmt.lang), lo, upper, band.color))
        upper = min(upper, band.min)
        if upper <= low:
            break
    step = 5 if top - low <= 30 else 10
    ticks = tuple((Decimal(v), fmt.num(v)) for v in range(int(low), int(top) + 1, step))
    return Trend(fmt.words["trend_title"], low, top, ticks, tuple(bands),
                 tuple((p.period.short(), p.total, fmt.num(p.total)) for p in card.trend))


def _order(c: Scorecard) -> tuple[int, float, str]:
    rank = c.rank.position if c.rank else 10**9
    return rank, -float(c.total) if c.total is not None else 0.0, c.unit.name


def _change_cell(c: Scorecard, fmt: Fmt) -> str:
    """'+2,79', 'không so sánh được', and '†' where it crosses the 2025 merger."""
    if c.change is None:
        return ""
    if c.change.delta is None:
        return fmt.words["not_comparable"]
    return fmt.signed(c.change.delta) + (" †" if c.change.via else "")


def _section(cards: list[Scorecard], index: Index, fmt: Fmt,
             highlight: str | None = None) -> Section:
    w = fmt.words
    first = cards[0]
    scopes = {c.rank.published for c in cards if c.rank}  # whose ranks the column holds
    rank_head = w["rank"] if len(scopes) > 1 else w[
        "rank_head_published" if scopes == {True} else "rank_head_file"]
    head = (rank_head, w["unit"],
            *(f"{g.short(fmt.lang)}\n({fmt.num(g.max)})"
                                    for g in index.groups),
            w["total"], "", w["class"], w["change"])
    named = fmt.peer_named(first)
    peer = (named[:1].upper() + named[1:], *(fmt.num(g.peer) for g in first.groups),
            fmt.num(first.peer_total))
    rows = []
    for c in cards:
        rank = fmt.rank(c.rank)
        name = c.unit.name if c.unit.level is Level.PROVINCE else c.unit.formal or c.unit.name
        rows.append(SummaryRow(
            rank, name, tuple(fmt.num(g.score) for g in c.groups), fmt.num(c.total),
            None if c.total is None else c.total / index.total.max,
            c.band.name(fmt.lang) if c.band else "—", c.band.color if c.band else None,
            _change_cell(c, fmt), bool(highlight) and c.unit.code == highlight))
    note = w["merger_note"] if any(c.change and c.change.via for c in cards) else None
    return Section(f"{fmt.level(first.unit.level)} ({len(cards)})", head, peer,
                   None if first.peer_total is None else first.peer_total / index.total.max,
                   tuple(rows), note)
