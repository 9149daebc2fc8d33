"""Why a unit is watched (the summary's 'Lý do cần lưu ý', the bulletin's part IV): where it
stands lowest against the units of its level, with its rank and its gap to their mean — not
its own weakest group by share of the maximum, which was printed as 'Thấp nhất ở nhóm chỉ số
Dịch vụ công trực tuyến với 8,13/12 điểm' for UBND phường Rạch Giá, 4/102 in that group and
above the mean (clerk's review A.1). 'Thấp nhất' / 'last' only for a unit last in the group.

The expectations are worked by hand from the real An Giang workbook; the check over every unit
ranks the sheet's own cells here, not through the package's scoring."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import pytest
from conftest import WORKBOOK, workbook_units
from test_bulletin import draft
from test_bulletin_words import part

from scorecard.content.blocks import watch_reason
from scorecard.content.options import PageOptions
from scorecard.content.summary import summary_page
from scorecard.findings import Rules
from scorecard.formatting import Fmt
from scorecard.period import Period
from scorecard.pipeline import Options, load

COLUMNS = {"CKMB": "Công khai, minh bạch", "TDGQ": "Tiến độ, kết quả giải quyết",
           "CLGQ": "Dịch vụ công trực tuyến", "TTTT": "Thanh toán trực tuyến",
           "MDHL": "Mức độ hài lòng", "MDSH": "Số hóa hồ sơ"}


@cache
def loaded(sheet: str):
    return load(Options(str(WORKBOOK), sheet=sheet, period=Period.parse("2025-10")))


def rows_of(sheet: str, lang: str = "vi") -> dict[str, str]:
    (block,) = summary_page(loaded(sheet).everyone,
                            PageOptions(loaded(sheet).index, lang=lang)).watch
    return {r[1]: r[-1] for r in block.rows}


def test_the_reason_is_where_the_commune_stands_lowest_among_the_102():
    why = rows_of("Xã Phường")
    # Rạch Giá: Dịch vụ công 8,13 is 4/102; Số hóa 17,53 is 100/102, mean 19,89
    assert why["UBND phường Rạch Giá"] == \
        "Nhóm chỉ số Số hóa hồ sơ xếp thứ 100/102, thấp hơn bình quân 2,36 điểm"
    # Bình Mỹ: Công khai 13,96 is 98/102, mean 17,56
    assert why["UBND xã Bình Mỹ"] == \
        "Nhóm chỉ số Công khai, minh bạch xếp thứ 98/102, thấp hơn bình quân 3,6 điểm"
    # Thổ Châu: last in Số hóa, 16,31 against 19,89
    assert why["UBND đặc khu Thổ Châu"] == \
        "Thấp nhất ở nhóm chỉ số Số hóa hồ sơ (xếp thứ 102/102), thấp hơn bình quân 3,58 điểm"
    # Kiên Hải is last in Thanh toán (5,02 against 8,34); Phú Quốc is 101/102 there, and last
    # in Tiến độ (16,51 against 19,58) and Hài lòng (17,5 against 17,99): named together,
    # the largest gap first
    assert why["UBND đặc khu Kiên Hải"] == ("Thấp nhất ở nhóm chỉ số Thanh toán trực tuyến "
                                           "(xếp thứ 102/102), thấp hơn bình quân 3,32 điểm")
    assert why["UBND đặc khu Phú Quốc"] == (
        "Thấp nhất ở các nhóm chỉ số Tiến độ, kết quả giải quyết và Mức độ hài lòng (cùng xếp "
        "thứ 102/102), thấp hơn bình quân lần lượt 3,07 và 0,49 điểm")
    # Ô Lâm: 101/102 in Tiến độ (17,09) and Hài lòng (17,7), not last
    assert why["UBND xã Ô Lâm"] == (
        "Các nhóm chỉ số Tiến độ, kết quả giải quyết và Mức độ hài lòng cùng xếp thứ 101/102, "
        "thấp hơn bình quân lần lượt 2,49 và 0,29 điểm")
    assert not any("Dịch vụ công trực tuyến với" in r for r in why.values())


def test_the_english_reason_says_the_same():
    why = rows_of("Xã Phường", "en")
    (rach_gia,) = [v for k, v in why.items() if "Rạch Giá" in k]
    assert rach_gia == "Digitisation of records ranks 100th of 102, 2.36 points below the mean"
    (tho_chau,) = [v for k, v in why.items() if "Thổ Châu" in k]
    assert tho_chau == "Last in Digitisation of records (102nd of 102), 3.58 points below the mean"


def test_a_department_s_tied_groups_are_named_together():
    why = rows_of("Sở Ban")
    # Sở Tài chính 14/15 in Công khai (0,75; mean 14,43), Dịch vụ công (4,48; 9,07) and
    # Thanh toán (6,99; 8,95)
    assert why["Sở Tài chính"] == (
        "Các nhóm chỉ số Công khai, minh bạch; Dịch vụ công trực tuyến và Thanh toán trực "
        "tuyến cùng xếp thứ 14/15, thấp hơn bình quân lần lượt 13,68; 4,59 và 1,96 điểm")
    # Thanh tra scored 0 in two groups (the sheet's cells are 0, not blank): that is said
    # first, as a score — 'chưa có điểm' read as not reported (clerk's review 2, item 6)
    assert why["Thanh tra tỉnh An Giang"] == \
        "Các nhóm chỉ số Công khai, minh bạch và Số hóa hồ sơ đạt 0 điểm"
    (thanh_tra,) = [v for k, v in rows_of("Sở Ban", "en").items() if "Thanh tra" in k]
    assert thanh_tra == ("Scored 0 in Public disclosure and transparency and Digitisation of "
                         "records")


def test_the_bulletin_s_part_iv_gives_the_same_reason(runner, tmp_path):
    _, doc = draft(runner, tmp_path, "examples/2025-10_tinh-thanh.csv", "--unit", "An Giang",
                   "--sub-units", WORKBOOK, "--sub-units-sheet", "Xã Phường", "--month",
                   "2025-10")
    text = " ".join(part(doc, "II"))
    assert ("UBND phường Rạch Giá đạt 87,74 điểm, xếp loại Tốt. Nhóm chỉ số Số hóa hồ sơ xếp "
            "thứ 100/102, thấp hơn bình quân 2,36 điểm") in text
    assert "thấp nhất ở nhóm chỉ số Dịch vụ công" not in text


def _by_hand(sheet: str) -> dict[str, tuple[int, int, list[str], dict[str, Decimal]]]:
    """Per unit code: its worst group rank among the sheet's units (competition ranking),
    of how many, the groups at it, and each group's gap to the mean shown (to 2 places)."""
    units = workbook_units(sheet)
    n = len(units)
    mean = {c: (sum(Decimal(u[c]) for u in units) / n).quantize(Decimal("0.01"), ROUND_HALF_UP)
            for c in COLUMNS}
    out = {}
    for u in units:
        rank = {c: 1 + sum(Decimal(o[c]) > Decimal(u[c]) for o in units) for c in COLUMNS}
        worst = max(rank.values())
        out[u["MA_COQUAN"]] = (worst, n, [c for c in COLUMNS if rank[c] == worst],
                               {c: Decimal(u[c]) - mean[c] for c in COLUMNS})
    return out


@pytest.mark.parametrize("sheet", ["Xã Phường", "Sở Ban"])
def test_every_unit_s_reason_is_true_of_the_sheet(sheet):
    """Every unit of both sheets, watched or not: the groups named are those at its worst
    rank, the rank is said, 'thấp nhất' only when it is n/n, and the largest gap is given."""
    hand = _by_hand(sheet)
    lo = loaded(sheet)
    fmt = Fmt("vi")
    for card in lo.everyone:
        why = watch_reason(card, Rules(), lo.index, fmt)
        worst, n, groups, gap = hand[card.unit.code]
        if "đạt 0 điểm" in why:
            assert any(g.score == 0 for g in card.groups), why
            continue
        named = [c for c in COLUMNS if COLUMNS[c] in why]
        assert sorted(named) == sorted(groups), (card.unit.name, why)
        assert f"{worst}/{n}" in why, (card.unit.name, why)
        assert ("thấp nhất" in why) == (worst == n), (card.unit.name, why)
        largest = min(gap[c] for c in groups)
        if all(gap[c] < 0 for c in groups):
            assert fmt.num(-largest) in why and "thấp hơn bình quân" in why, why
        else:
            assert "thấp hơn" not in why, why
