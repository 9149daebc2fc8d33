"""One unit's page: what it says, composed from the shared blocks (render/pdf.py draws it)."""

from __future__ import annotations

from decimal import Decimal

from ..dossiers import Dossiers, for_unit
from ..formatting import Fmt
from ..language import language
from ..model import Index, Scorecard
from . import blocks
from .objects import Band, Bar, Bars, Figure, Headline, Row, Trend, UnitPage
from .options import PageOptions


def unit_page(card: Scorecard, opts: PageOptions) -> UnitPage:
    """Everything one unit's page says."""
    index = opts.index
    fmt = Fmt(language(opts.lang))
    w = fmt.words
    d = for_unit(opts.dossiers, card.unit.code, card.unit.name) if opts.dossiers else None
    dossiers = _dossiers(card, d, opts, fmt) if d is not None else ()
    gain = blocks.gain(card, d, index, fmt)  # where the counts allow, the last finding:
    most = 1 if gain else blocks.PAGE_FINDINGS  # three lines long: one finding beside it
    return UnitPage(
        lang=fmt.lang,
        doc_title=f"{card.unit.name} — {card.period.label(fmt.lang)}",
        office=opts.office_line(),
        title=w["title"],
        unit=blocks.page_name(card, fmt),
        period_line=_period_line(card, fmt),
        headline=_headline(card, index, fmt),
        head=(w["group"], w["score"], w["pct_of_max"],
              two_lines(fmt.peer_short(card)), w["difference"], w["left"],
              w["group_rank"]),
        rows=_rows(card, index, fmt),
        bars=_bars(card, fmt),
        trend=_trend(card, index, fmt) if len(card.trend) >= 2 else None,
        remarks_title=w["remarks"],
        narrative=blocks.paragraph(card, index, fmt, opts.templates, opts.rules),
        footer=blocks.footer(card, index, fmt, opts.issued, opts.signed),
        findings_title=w["findings_title"],
        findings=(*_findings(card, opts, fmt, most=most), *((gain,) if gain else ())),
        dossier_title=_dossier_title(card, opts, fmt) if dossiers else "",
        dossiers=dossiers,
    )


def two_lines(heading: str) -> str:
    """A column's heading on two lines: after its comma ('BQ 34 tỉnh,\nthành phố'), else at
    the space nearest its middle ('Mean of 34\nprovinces'), so it keeps to its column."""
    if ", " in heading:
        return heading.replace(", ", ",\n", 1)
    spaces = [i for i, ch in enumerate(heading) if ch == " "]
    if not spaces:
        return heading
    at = min(spaces, key=lambda i: abs(i - len(heading) / 2))
    return f"{heading[:at]}\n{heading[at + 1:]}"


def _findings(card: Scorecard, opts: PageOptions, fmt: Fmt, most: int) -> tuple[str, ...]:
    """The box: the portal's revisions and the same period last year first (from the
    store), then the findings the paragraph has not said, at most `most` lines but room for
    one finding at least."""
    extra = tuple(x for x in (*blocks.revisions(card, fmt), blocks.year_ago(card, fmt)) if x)
    return (*extra, *blocks.findings(card, opts.index, opts.rules, fmt,
                                     most=max(1, most - len(extra)), beside_paragraph=True))


def _dossiers(card: Scorecard, d: Dossiers, opts: PageOptions, fmt: Fmt) -> tuple[str, ...]:
    """The page's compact dossier block: the counts, then each rate against its target."""
    w = fmt.words
    head = blocks.dossier_summary(d, fmt)
    lines = [head] if head else []
    for t in blocks.targets(d, opts.targets, card, fmt):
        if not t.verdict:  # no rate to judge: not given, or nothing to count
            lines.append(w["dossier_target_no_rate"].format(name=t.short, rate=t.rate,
                                                            target=t.target))
            continue
        lines.append(w["dossier_target_line"].format(
            name=t.short, rate=t.rate_counted,
            verdict=t.verdict, target=t.target))
    return tuple(lines)


def _dossier_title(card: Scorecard, opts: PageOptions, fmt: Fmt) -> str:
    """'Hồ sơ và các chỉ tiêu tháng 10/2025': the block says its own period, and that it is
    not the page's when --dossiers-period named another."""
    period, other = blocks.dossier_period(card, opts.dossiers_period, fmt)
    title = f"{fmt.words['dossier_title']} {period}"
    return f"{title} ({fmt.words['dossier_other_short']})" if other else title


def _period_line(card: Scorecard, fmt: Fmt) -> str:
    """'Tháng 10/2025 (số liệu tạm tính đến ngày 16/10/2025)': the period as a clerk prints
    it (the title says the unit and its level; the portal's code means nothing to a reader)."""
    period = card.period.label(fmt.lang)
    if not card.provisional:
        return period
    return fmt.words["period_provisional"].format(period=period, date=fmt.date(card.data_date))


def _headline(card: Scorecard, index: Index, fmt: Fmt) -> Headline:
    w = fmt.words
    if card.total is None:
        total = Figure("—", "", w["not_reported"])
    else:
        total = Figure(fmt.num(card.total), f"/{fmt.num(index.total.max)}",
                       f"{fmt.peer_short(card)}: {fmt.num(card.peer_total)}")
    rank = Figure(fmt.rank(card.rank), sub=blocks.portal_rank(card, fmt))
    delta = card.change.delta if card.change else None
    words = w["no_previous"] if card.change is None else w["not_comparable"]  # never a bare '—'
    return Headline((w["total"], w["class"], w["rank"], w["change"]), total,
                    (card.band.name(fmt.lang), card.band.color) if card.band else None, rank,
                    delta, words if delta is None else fmt.signed(delta),
                    _change_sub(card, fmt))


def _change_sub(card: Scorecard, fmt: Fmt) -> str:
    c = card.change
    if c is None or c.delta is None:  # the box says it in words; the period below them
        return "" if c is None else c.previous_period.label(fmt.lang)
    via = f" ({fmt.words['via']} {c.via})" if c.via else ""
    return f"{c.previous_period.short(fmt.lang)}: {fmt.num(c.previous)}{via}"


def _rows(card: Scorecard, index: Index, fmt: Fmt) -> tuple[Row, ...]:
    """The groups, the combined groups (by their short names), then the total."""
    lines = [*blocks.group_lines(card, fmt),
             *(replace_name(g, g.short) for g in blocks.combined_lines(card, fmt)),
             blocks.total_line(card, index, fmt)]
    return tuple(Row((g.name, g.score, g.pct, g.peer, g.diff, g.left, g.rank), g.missing)
                 for g in lines)


def replace_name(line: blocks.GroupLine, name: str) -> blocks.GroupLine:
    from dataclasses import replace

    return replace(line, name=name)


def _bars(card: Scorecard, fmt: Fmt) -> Bars:
    """The chart's figures with the table's decimals; its legend names the unit and the peer
    as the page does."""
    bars = []
    for g in card.groups:
        peer = None if g.peer is None else g.peer * 100 / g.group.max
        bars.append(Bar(g.group.name(fmt.lang), g.pct, fmt.num(g.pct, ""), peer,
                        fmt.num(peer, "")))
    return Bars(fmt.words["chart_title"], tuple((v, f"{fmt.num(v)}%") for v in range(0, 101, 20)),
                tuple(bars), (blocks.title_name(card, fmt), fmt.peer_short(card)),
                fmt.words["not_reported"])


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
                 tuple((p.period.short(fmt.lang), p.total, fmt.num(p.total)) for p in card.trend))
