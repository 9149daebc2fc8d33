"""The page's box "Điểm cần lưu ý" beside the paragraph (clerk's review 2, items 3, 5 and 10):
the lowest rank is said even of groups a band has named (UBND xã An Minh's two groups under
50% are both 102/102, and the box said only that they were under 50%); a band's sentence
names every group in it (Sở Tài chính's Thanh toán trực tuyến, 6,99/10 = 69,9%, was left
out of the band from 50% to 70% because its rank's sentence had named it); and the weakest
group's share is said once, by the paragraph with its band ('(67,42%, dưới mức 70%)'), not
again in the box.

The expectations are worked by hand from the real An Giang workbook's cells (ranked as
tests/test_watch_reason.py ranks them), never through the package's scoring."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import pytest
from conftest import WORKBOOK, workbook_units
from pdfcheck import pdf_pages, pdf_text
from test_watch_reason import COLUMNS, _by_hand, loaded

from scorecard.cli import cli
from scorecard.content.options import PageOptions
from scorecard.content.page import unit_page
from scorecard.findings import Rules, said_once, unit_findings
from scorecard.narrative import finding_text

MAXIMA = {"CKMB": 18, "TDGQ": 20, "CLGQ": 12, "TTTT": 10, "MDHL": 18, "MDSH": 22}  # QĐ 766
SHEETS = ("Sở Ban", "Xã Phường")
ALERT, NOTICE = "đạt dưới 50% điểm tối đa.", "đạt từ 50% đến dưới 70% điểm tối đa."


@cache
def shares(sheet: str) -> dict[str, dict[str, Decimal]]:
    """Per unit code, each group's share of its maximum in % (unrounded), from the cells."""
    units = workbook_units(sheet)
    return {u["MA_COQUAN"]: {c: Decimal(str(u[c])) * 100 / MAXIMA[c] for c in COLUMNS}
            for u in units}


def printed(pct: Decimal) -> str:
    """'69,9', '20', '39,17': as the page prints a share."""
    return f"{pct.quantize(Decimal('0.01'), ROUND_HALF_UP).normalize():f}".replace(".", ",")


def weakest(pct: dict[str, Decimal]) -> set[str]:
    low = min(pct.values())
    return {c for c, v in pct.items() if v == low} if low != max(pct.values()) else set()


@cache
def boxes(sheet: str) -> dict[str, tuple[str, tuple[str, ...], list[str]]]:
    """Per unit code: its page's paragraph and box, and its narrate --findings list."""
    lo = loaded(sheet)
    out = {}
    for card in lo.everyone:
        page = unit_page(card, PageOptions(lo.index))
        said = [finding_text(f, card, Rules(), "vi")
                for f in said_once(unit_findings(card, lo.everyone, Rules(), lo.index))]
        out[card.unit.code] = (page.narrative, page.findings, said)
    return out


def render(runner, tmp_path, sheet, *args):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(WORKBOOK), "--sheet", sheet, "--month",
                                 "2025-10", *args, "--out", str(out), "--jobs", "1",
                                 "--issued", "2025-10-20"])
    assert result.exit_code == 0, result.output
    return out / "2025-10"


def box_of(pdf) -> list[str]:
    flat = " ".join(pdf_text(pdf).split())
    box = flat.split("Điểm cần lưu ý")[1].split("Nguồn:")[0]
    return [f"• {line.strip()}" for line in box.split("•")[1:]]


def test_the_last_placed_commune_s_box_says_its_groups_are_last(runner, tmp_path):
    """UBND xã An Minh: Công khai 4,37/18 = 24,28% (the weakest: the paragraph's) and Dịch vụ
    công 4,7/12 = 39,17%, both 102/102; Công khai 13,19 below the mean of 17,56."""
    (pdf,) = render(runner, tmp_path, "Xã Phường", "--unit", "H01.188").glob("H01.188_*.pdf")
    assert box_of(pdf) == [
        "• Nhóm chỉ số Dịch vụ công trực tuyến (39,17%) đạt dưới 50% điểm tối đa.",
        "• Các nhóm chỉ số Công khai, minh bạch và Dịch vụ công trực tuyến cùng xếp thứ "
        "102/102, thấp nhất trong 102 xã, phường, đặc khu; Công khai, minh bạch thấp hơn bình "
        "quân (17,56/18 điểm) nhiều nhất: 13,19 điểm."]
    assert "(24,28%, dưới mức 50%)" in " ".join(pdf_text(pdf).split())
    assert pdf_pages(pdf) == 1


def test_the_departments_boxes_say_their_lowest_rank(runner, tmp_path):
    """The four pages the clerk found without their worst rank: Sở Nội vụ (Thanh toán 2/10,
    15/15, 6,95 below 8,95), Sở Y tế (Số hóa 8,95/22, 14/15, the only group below the mean:
    its gap the paragraph's), Sở Nông nghiệp và Môi trường (Số hóa 10,6/22, 13/15, 2,55
    below 13,15; Tiến độ 0,11 below); and Sở Tài chính's band of both its groups in it."""
    out = render(runner, tmp_path, "Sở Ban")
    pdfs = {p.name.split("_")[0]: p for p in out.glob("H01.*.pdf")}
    assert len(pdfs) == 15 and all(pdf_pages(p) == 1 for p in pdfs.values())
    boxes = {code: box_of(pdfs[code]) for code in ("H01.01", "H01.02", "H01.10", "H01.03")}
    names = {code: " ".join(pdf_text(pdfs[code]).split()[:40]) for code in boxes}
    assert "Sở Nội vụ" in names["H01.01"] and boxes["H01.01"] == [
        "• Nhóm chỉ số Thanh toán trực tuyến xếp thứ 15/15, thấp nhất trong 15 sở, ban, ngành, "
        "và thấp hơn bình quân (8,95/10 điểm) nhiều nhất: 6,95 điểm.",
        "• Nhóm chỉ số Số hóa hồ sơ (50,55%) đạt từ 50% đến dưới 70% điểm tối đa."]
    assert "Sở Y tế" in names["H01.10"] and boxes["H01.10"] == [
        "• Nhóm chỉ số Số hóa hồ sơ có thứ hạng thấp nhất trong 6 nhóm chỉ số, xếp thứ 14/15 "
        "sở, ban, ngành."]
    assert "Sở Nông nghiệp" in names["H01.03"] and boxes["H01.03"] == [
        "• Nhóm chỉ số Số hóa hồ sơ xếp thứ 13/15, thứ hạng thấp nhất trong 6 nhóm chỉ số, và "
        "thấp hơn bình quân (13,15/22 điểm) nhiều nhất: 2,55 điểm."]
    # Sở Tài chính: Công khai 0,75/18 = 4,17% (the weakest, the paragraph's), Dịch vụ công
    # 4,48/12 = 37,33%; Thanh toán 6,99/10 = 69,9% and Số hóa 13,26/22 = 60,27%
    assert "Sở Tài chính" in names["H01.02"] and boxes["H01.02"][:2] == [
        "• Nhóm chỉ số Dịch vụ công trực tuyến (37,33%) đạt dưới 50% điểm tối đa.",
        "• Các nhóm chỉ số Thanh toán trực tuyến (69,9%) và Số hóa hồ sơ (60,27%) đạt từ 50% "
        "đến dưới 70% điểm tối đa."]


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_box_says_a_worst_rank_in_the_lower_half(sheet):
    """Every department and commune whose worst group rank, by hand, is in the lower half of
    its level: the box says it, of every group at it (the clerk scanned the 151 pages)."""
    hand = _by_hand(sheet)
    said = 0
    for code, (_, box, _) in boxes(sheet).items():
        worst, n, groups, _ = hand[code]
        if worst <= n / 2:
            continue
        (line,) = [x for x in box if f"xếp thứ {worst}/{n}" in x]
        assert all(COLUMNS[c] in line for c in groups), (code, line)
        said += 1
    assert said >= {"Sở Ban": 7, "Xã Phường": 40}[sheet]


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_band_names_every_group_in_it(sheet):
    """The box and narrate --findings: the sentence of a band names each group in it by hand
    (at its share, to 2 places) but the weakest, which the paragraph and the list's own
    finding say with their band; none other. The box never says the weakest's share again."""
    for code, (paragraph, box, said) in boxes(sheet).items():
        pct = shares(sheet)[code]
        low = weakest(pct)
        for words, band in ((ALERT, lambda v: v < 50), (NOTICE, lambda v: 50 <= v < 70)):
            expected = {c for c, v in pct.items() if band(v) and c not in low}
            for lines in (box, said):
                found = [x for x in lines if x.endswith(words)]
                assert len(found) == (1 if expected else 0), (code, lines)
                for line in found:
                    listed = {c for c in COLUMNS if f"{COLUMNS[c]} (" in line}
                    assert listed == expected, (code, line)
                    assert all(f"{COLUMNS[c]} ({printed(pct[c])}%)" in line for c in expected)
        for c in low:
            assert not any(f"{COLUMNS[c]} ({printed(pct[c])}%)" in x for x in box), (code, box)
            if 0 < pct[c] < 70:
                band = 50 if pct[c] < 50 else 70
                assert f"({printed(pct[c])}%, dưới mức {band}%)" in paragraph, (code, paragraph)
