"""'Nhiều nhất' / 'furthest below' only where several groups are below the peer, and the box
under the page's paragraph does not say again the gap of the only group below it (clerk's
review B, REGISTER §1 #9): An Giang's box said 'Nhóm chỉ số Số hóa hồ sơ … thấp hơn bình quân
(16,62/22 điểm) nhiều nhất: 0,76 điểm.' under a paragraph that had just said 'Riêng nhóm chỉ
số Số hóa hồ sơ đạt 15,86/22 điểm, thấp hơn bình quân 0,76 điểm (16,62/22 điểm)' — its only
group below the mean of the 34.

Expectations worked by hand from the example month and the real An Giang workbook; the check
over every unit takes the means and gaps from the files' own cells."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import pytest
from conftest import EXAMPLES
from test_rank_ties import COLUMNS, FILES, _rows, lines_of

from scorecard.cli import cli
from scorecard.content.options import PageOptions
from scorecard.content.page import unit_page
from scorecard.period import Period
from scorecard.pipeline import Options, load

MONTH = EXAMPLES / "2025-10_tinh-thanh.csv"


def test_an_giang_s_box_does_not_repeat_its_only_gap():
    lo = load(Options(str(MONTH), period=Period.parse("2025-10")))
    (card,) = [c for c in lo.everyone if c.unit.code == "H01"]
    page = unit_page(card, PageOptions(lo.index))
    assert "Riêng nhóm chỉ số Số hóa hồ sơ đạt 15,86/22 điểm, thấp hơn bình quân 0,76 điểm " \
           "(16,62/22 điểm)." in page.narrative
    # Số hóa hồ sơ 15,86 is 23/34 (its lowest group rank) and the only group under the mean
    assert page.findings[0] == ("Nhóm chỉ số Số hóa hồ sơ có thứ hạng thấp nhất trong 6 nhóm "
                                "chỉ số, xếp thứ 23/34 tỉnh, thành phố.")
    assert not any("nhiều nhất" in f or "0,76" in f for f in page.findings), page.findings


@pytest.mark.parametrize("lang, line", [
    ("vi", "- Nhóm chỉ số Số hóa hồ sơ xếp thứ 23/34, thứ hạng thấp nhất trong 6 nhóm chỉ số, "
           "và thấp hơn bình quân 0,76 điểm (16,62/22 điểm)."),
    ("en", "- Digitisation of records ranks 23rd of 34, its lowest rank among the 6 groups, and is "
           "0.76 points below the mean (16.62/22)."),
])
def test_narrate_says_the_only_gap_without_a_superlative(runner, lang, line):
    result = runner.invoke(cli, ["narrate", str(MONTH), "--unit", "An Giang", "--findings",
                                 "--lang", lang])
    assert result.exit_code == 0, result.output
    assert line in result.output.splitlines(), result.output


@cache
def below_by_hand(which: str) -> dict[str, dict[str, Decimal]]:
    """Per unit code: the groups below the mean of its file (to 2 places), with the gap."""
    units = _rows(which)
    mean = {c: (sum(Decimal(str(u[c])) for u in units) / len(units)).quantize(
        Decimal("0.01"), ROUND_HALF_UP) for c in COLUMNS}
    out = {}
    for u in units:
        code = u["MA_COQUAN"].split(".")[-1] if u["MA_COQUAN"].startswith("000.") else \
            u["MA_COQUAN"]
        gaps = {c: Decimal(str(u[c])) - mean[c] for c in COLUMNS}
        out[code] = {c: g for c, g in gaps.items() if g < 0}
    return out


@pytest.mark.parametrize("which", list(FILES))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_most_below_only_where_several_are_below(which, lang):
    """Every unit of the three sheets and the example month, its findings list and its page's
    box: 'nhiều nhất' / 'furthest below' only when two groups or more are below the mean, and
    then of the group with the largest gap."""
    word = "nhiều nhất" if lang == "vi" else "furthest below"
    i = 0 if lang == "vi" else 1
    hand = below_by_hand(which)
    for card, lines in lines_of(which, lang):
        below = hand[card.unit.code]
        for line in lines:
            if word not in line:
                continue
            assert len(below) >= 2, (card.unit.name, line)
            largest = min(below.values())
            said = line.split(word)[0]
            assert any(COLUMNS[c][i] in said for c, g in below.items() if g == largest), line


def test_narrate_s_english_findings_say_what_is_short_and_whose_rank(runner):
    """Clerk's review 3: 'Online public services is the weakest against its maximum (67.42%,
    under 70%), 3.91 points below it' (below what: the mean is another figure) and 'ranks
    23rd of 34, the lowest of the 6 groups' (read as the lowest group, not its lowest rank).
    An Giang: 8,09/12 = 67,42%, 12 − 8,09 = 3,91."""
    result = runner.invoke(cli, ["narrate", str(MONTH), "--unit", "An Giang", "--findings",
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert ("- Online public services is the weakest against its maximum (67.42%, under 70%), "
            "3.91 points short of it.") in result.output.splitlines()
    assert "ranks 23rd of 34, its lowest rank among the 6 groups" in result.output
