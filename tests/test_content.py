"""One content model (issue 16): for the example month, every figure a unit's page states —
each group's score, the peer's, the gap and the rank in the group, the total, the rank, the
class, the change — is stated identically in that unit's bulletin and in the mail that carries
its page. Read from what each document says (content objects), for all 34 provinces."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import EXAMPLES

from scorecard.content.bulletin import bulletin
from scorecard.content.mail import mail_body
from scorecard.content.options import BulletinOptions, PageOptions
from scorecard.content.page import unit_page
from scorecard.issuer import IssuerOptions, resolve
from scorecard.language import Language
from scorecard.manifest import file_name, manifest_row
from scorecard.pipeline import Options, load

MONTH = Options(str(EXAMPLES / "2025-10_tinh-thanh.csv"),
                history=(str(EXAMPLES / "2025-09_tinh-thanh.csv"),))


@pytest.fixture(scope="module")
def month():
    return load(MONTH)


def documents(loaded, card, lang):
    page = unit_page(card, PageOptions(loaded.index, lang, issued=dt.date(2025, 11, 5)))
    words = BulletinOptions(dt.date(2025, 11, 5), IssuerOptions(), lang)
    report = bulletin(card, loaded.index, words, resolve(card.unit, "", IssuerOptions()))
    row = manifest_row(kind="unit", period=card.period, file=file_name(card), data=b"%PDF",
                       content="0" * 64, pages=1, card=card)
    return page, report, mail_body(row, lang, loaded.index)


@pytest.mark.parametrize("lang", list(Language))
def test_page_bulletin_and_mail_state_the_same_figures(month, lang):
    assert len(month.cards) == 34
    for card in month.cards:
        page, report, mail = documents(month, card, lang)
        # the group table: name, score, peer, gap, rank in group — and the total's row
        on_page = [(r.cells[0], r.cells[1], r.cells[3], r.cells[4], r.cells[6])
                   for r in page.rows]
        (table,) = report.parts[0].tables
        assert list(table.rows) == on_page, card.unit.name
        # the paragraph (total, rank, class, change, each group against the peer) is one
        assert report.parts[0].paragraphs == (page.narrative,)
        head = page.headline
        paragraph = page.narrative
        for figure in (head.total.value, head.band[0] if head.band else ""):
            assert figure in paragraph, (card.unit.name, figure)
        position, of = head.rank.value.split("/")  # '1/34'; English prose: '1st of 34'
        assert (f"{position}/{of}" if lang is Language.VI else f"{position}") in paragraph
        assert of in paragraph
        if head.delta is not None and head.delta != 0:
            assert head.delta_text[1:] in paragraph, card.unit.name  # '+3,43': 'tăng 3,43'
        # the mail: total, rank and class, as the page prints them
        assert mail.total == head.total.value + head.total.of
        assert mail.rank == head.rank.value
        assert mail.klass == head.band[0]


def test_the_example_month_s_figures_are_the_real_ones(month):
    """Bắc Ninh, October 2025 (the portal's file): 91,52/100, 1/34, Xuất sắc, +3,43 since
    September's 88,09 — the same in the page, the bulletin and the mail."""
    card = next(c for c in month.cards if c.unit.code == "H05")
    page, report, mail = documents(month, card, Language.VI)
    assert (page.headline.total.value, page.headline.rank.value, page.headline.band[0],
            page.headline.delta_text) == ("91,52", "1/34", "Xuất sắc", "+3,43")
    assert report.parts[0].tables[0].rows[-1] == ("Tổng điểm", "91,52/100", "85,54/100",
                                                   "+5,98", "1/34")
    assert (mail.total, mail.rank, mail.klass) == ("91,52/100", "1/34", "Xuất sắc")
