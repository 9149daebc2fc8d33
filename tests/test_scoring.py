"""Scoring against hand-computed figures (worked out in the comments, not by the code)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from conftest import WORKBOOK, write_csv

from scorecard import load_index, load_registry, score_month, validate_file
from scorecard.model import PeerSource, Rank
from scorecard.period import Period

HEADER = ["TEN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH"]


def month(tmp_path, name, rows, period, sep=","):
    path = write_csv(tmp_path / name, HEADER, rows, sep=sep)
    return validate_file(str(path), load_index(), load_registry(), period=Period.parse(period))


@pytest.fixture
def cards(tmp_path):
    data = month(tmp_path, "m.csv", [
        ["An Giang", 10, 15, 6, 5, 9, 11],     # total 56
        ["Bắc Ninh", 12, 15, 6, 5, 9, 9],      # total 56: ties with An Giang
        ["Cà Mau", 8, 10, 3, 2, "", 4],        # satisfaction not reported: no total
        ["Hà Nội", 18, 20, 12, 10, 18, 22],    # total 100
    ], "2025-10")
    prev = month(tmp_path, "p.csv", [
        ["An Giang", 9, 14, 6, 5, 8, 8],       # total 50
        ["Bắc Ninh", 12, 15, 6, 5, "", 9],     # a group missing last month
        ["Hà Nội", 18, 20, 12, 10, 18, 22],
    ], "2025-09")
    older = month(tmp_path, "o.csv", [["An Giang", 9, 14, 6, 5, 8, 7]], "2025-08")  # 49
    result = score_month(data, load_index(), load_registry(), history=[prev, older])
    return {c.unit.name: c for c in result}


def test_peer_average_is_the_mean_of_units_that_reported_and_labelled_so(cards):
    ag = cards["An Giang"]
    assert ag.peer_source is PeerSource.FILE_MEAN
    # CKMB (10+12+8+18)/4 = 12; CLGQ (6+6+3+12)/4 = 6.75; MDHL (9+9+18)/3 = 12 (Cà Mau absent)
    assert [g.peer for g in ag.groups] == [D(12), D(15), D("6.75"), D("5.5"), D(12), D("11.5")]
    assert ag.peer_total == D("70.67")  # (56+56+100)/3 = 70.666…


def test_ranks_tie_and_missing_totals_have_none(cards):
    assert cards["Hà Nội"].rank == Rank(1, 3)
    assert cards["An Giang"].rank == cards["Bắc Ninh"].rank == Rank(2, 3)
    assert cards["Cà Mau"].total is None and cards["Cà Mau"].rank is None
    assert cards["Cà Mau"].band is None
    ckmb = {n: c.groups[0].rank for n, c in cards.items()}
    assert ckmb == {"Hà Nội": Rank(1, 4), "Bắc Ninh": Rank(2, 4), "An Giang": Rank(3, 4),
                    "Cà Mau": Rank(4, 4)}
    assert cards["Cà Mau"].groups[4].rank is None


def test_difference_percent_and_class(cards):
    ag = cards["An Giang"].groups[0]
    assert ag.diff == D(-2)
    assert round(ag.pct, 2) == D("55.56")  # 10/18
    assert cards["Hà Nội"].band.vi == "Xuất sắc"
    assert cards["An Giang"].band.vi == "Trung bình"  # 56: 50 ≤ t < 70


def test_weakest_is_judged_by_share_of_maximum_not_points(cards):
    # Cà Mau: MDSH 4/22 = 18.2% is weaker than TTTT 2/10 = 20% despite more points
    assert cards["Cà Mau"].weakest().group.code == "MDSH"
    assert cards["Hà Nội"].strongest().pct == 100


def test_change_since_last_month_and_trend(cards):
    ag = cards["An Giang"].change
    assert (ag.previous, ag.delta) == (D(50), D(6))
    assert [p.total for p in cards["An Giang"].trend] == [D(49), D(50), D(56)]
    # Bắc Ninh's previous month lacked a group: not comparable, not a false change
    bn = cards["Bắc Ninh"].change
    assert bn.previous_period == Period("month", 2025, 9) and bn.delta is None


def test_change_needs_the_immediately_preceding_month(tmp_path):
    data = month(tmp_path, "m.csv", [["An Giang", 10, 15, 6, 5, 9, 11]], "2025-10")
    aug = month(tmp_path, "a.csv", [["An Giang", 9, 14, 6, 5, 8, 8]], "2025-08")
    card = score_month(data, load_index(), load_registry(), history=[aug])[0]
    assert card.change is None  # no September: no change, said "chưa có số liệu kỳ trước"
    assert [p.period.n for p in card.trend] == [8, 10]


def test_trend_crosses_the_2025_merger_through_the_predecessor(tmp_path):
    july = month(tmp_path, "j.csv", [["Hải Phòng", 10, 15, 6, 5, 9, 11]], "2025-07")
    june = month(tmp_path, "6.csv", [["Hải Dương", 5, 5, 5, 5, 5, 5],
                                     ["Hải Phòng", 9, 14, 6, 5, 8, 8]], "2025-06")
    card = score_month(july, load_index(), load_registry(), history=[june])[0]
    assert card.unit.code == "H24"
    assert (card.change.previous, card.change.delta, card.change.via) == (D(50), D(6),
                                                                           "Hải Phòng")


def test_national_row_is_the_peer_for_provinces(tmp_path):
    data = month(tmp_path, "n.csv", [["Hà Giang", "7,7", "16,1", "0,9", "2,8", "", "3,5"],
                                     ["Cả nước", "10,8", "14,8", "3,9", "5,6", "", "10,2"]],
                 "2023-11", sep=";")
    card = score_month(data, load_index(), load_registry())[0]
    assert card.peer_source is PeerSource.NATIONAL
    assert [g.diff for g in card.groups if g.diff is not None] == [
        D("-3.1"), D("1.3"), D("-3.0"), D("-2.8"), D("-6.7")]


def test_published_ranks_province_of_34_and_departments_ranked_in_their_level():
    index, reg = load_index(), load_registry()
    oct_ = Period("month", 2025, 10)
    prov = score_month(validate_file(str(WORKBOOK), index, reg, sheet="Điểm tháng",
                                     period=oct_), index, reg)
    assert next(c for c in prov if c.unit.code == "H05").rank == Rank(1, 34, "published")
    dept = score_month(validate_file(str(WORKBOOK), index, reg, sheet="Sở Ban", period=oct_),
                       index, reg)
    phu_quoc = next(c for c in dept if c.unit.code == "H01.16")
    assert phu_quoc.rank == Rank(6, 15)  # 87,05 is the 6th total of the 15 departments
    assert phu_quoc.portal_rank == Rank(86, None, "province")  # one sheet: of 117 unknown
    assert phu_quoc.unit.province == "H01"


def test_portal_national_figure_is_not_the_mean_of_the_provinces(runner, tmp_path):
    """shared/data/real/README.md: the 2026 year-to-date rows average 61.55, while the portal's
    national figure is 56.56 (CKMB 8.79, TDGQ 15.58, MDHL 10.49, MDSH 8.6; CLGQ and TTTT are
    published combined, so they stay blank here)."""
    from conftest import YEAR_CSV

    from scorecard.cli import cli

    args = ["narrate", str(YEAR_CSV), "--month", "2026", "--unit", "Đồng Tháp"]
    mean = runner.invoke(cli, args).output
    assert "so với bình quân 34 tỉnh, thành phố (61,55 điểm)" in mean
    nat = write_csv(tmp_path / "ca-nuoc.csv", [*HEADER, "TONG_SCORE"],
                    [["Cả nước", "8.79", "15.58", "", "", "10.49", "8.6", "56.56"]])
    text = runner.invoke(cli, [*args, "--national", str(nat)]).output
    assert "68,32/100 điểm" in text and "so với mặt bằng chung cả nước (56,56 điểm)" in text
    # 11.45 - 8.79 = 2.66; 14.45 - 10.49 = 3.96
    assert "Công khai, minh bạch 11,45/18 điểm (cả nước 8,79; +2,66)" in text
    assert "Mức độ hài lòng 14,45/18 (10,49; +3,96)" in text
    # no national figure to compare the two separately (the national file gives neither)
    assert "Dịch vụ công trực tuyến đạt 8,83/12 điểm và Thanh toán trực tuyến đạt 6,22/10" in text


def test_history_month_may_come_from_the_file_name(tmp_path):
    from scorecard import load
    from scorecard.pipeline import Options

    cur = write_csv(tmp_path / "thang.csv", HEADER, [["An Giang", 10, 15, 6, 5, 9, 11]])
    prev = write_csv(tmp_path / "bao-cao_2025-09.csv", HEADER, [["An Giang", 9, 14, 6, 5, 8, 8]])
    card = load(Options(str(cur), period=Period.parse("2025-10"), history=(str(prev),))).cards[0]
    assert (card.change.previous, card.change.delta) == (D(50), D(6))


def test_xlsx_numbers_are_rounded_to_two_decimals(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Tháng 10"
    ws.append(["Tên đơn vị", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH", "Tổng điểm"])
    ws.append(["Bắc Ninh", 18, 19.380000000000003, 8.08, 9.31, 18.0, 18.749999999, 91.52])
    ws.append(["Cả nước", 10.8, 14.8, 3.9, 5.6, 12.1, 10.2, None])
    wb.save(tmp_path / "t.xlsx")
    data = validate_file(str(tmp_path / "t.xlsx"), load_index(), load_registry(),
                         sheet="Tháng 10", period=Period.parse("2025-10"))
    row = data.rows[0]
    assert [row.scores[g] for g in HEADER[1:]] == [D(18), D("19.38"), D("8.08"), D("9.31"), D(18),
                                                   D("18.75")]
    assert data.national.scores["CKMB"] == D("10.8")


@pytest.mark.parametrize("text, label_vi, label_en, slug", [
    ("2025-10", "Tháng 10/2025", "October 2025", "2025-10"),
    ("10/2025", "Tháng 10/2025", "October 2025", "2025-10"),
    ("2025-Q3", "Quý III/2025", "Q3 2025", "2025-Q3"),
    ("2025", "Năm 2025", "2025", "2025"),
])
def test_periods(text, label_vi, label_en, slug):
    p = Period.parse(text)
    assert (p.label("vi"), p.label("en"), p.slug) == (label_vi, label_en, slug)


def test_previous_period():
    assert Period.parse("2025-01").previous() == Period.parse("2024-12")
    assert Period.parse("2025-Q1").previous() == Period.parse("2024-Q4")


def test_a_national_file_may_be_a_single_unnamed_row(runner, tmp_path):
    from conftest import YEAR_CSV

    from scorecard.cli import cli

    nat = write_csv(tmp_path / "national.csv", ["CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH",
                                                "TONG_SCORE"],
                    [["8.79", "15.58", "", "", "10.49", "8.6", "56.56"]])
    result = runner.invoke(cli, ["narrate", str(YEAR_CSV), "--month", "2026", "--unit", "H20",
                                 "--national", str(nat)])
    assert result.exit_code == 0, result.output
    assert "so với mặt bằng chung cả nước (56,56 điểm)" in result.output
    two = write_csv(tmp_path / "two.csv", HEADER, [["An Giang", 1, 1, 1, 1, 1, 1],
                                                   ["Hà Nội", 1, 1, 1, 1, 1, 1]])
    result = runner.invoke(cli, ["narrate", str(YEAR_CSV), "--month", "2026", "--unit", "H20",
                                 "--national", str(two)])
    assert result.exit_code == 1
    assert "không tìm thấy số liệu cả nước" in result.output
