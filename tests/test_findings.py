"""Findings as data (issue 11, first part): hand-computed cases from the real exports and
small files, and the list `narrate --findings` prints."""

from __future__ import annotations

import statistics
from decimal import ROUND_HALF_UP
from decimal import Decimal as D

import pytest
from conftest import EXAMPLES, WORKBOOK, write_csv

from scorecard.cli import cli
from scorecard.findings import Rules, load_rules, unit_findings, watch_list
from scorecard.pipeline import Options, load

GROUPS = ("CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH")


def by_kind(findings):
    return {f.kind: f for f in findings}


def test_ties_at_zero_are_named_together_with_the_points_left():
    """Thanh tra tỉnh An Giang, October 2025: Công khai 0/18 and Số hóa 0/22."""
    loaded = load(Options(str(WORKBOOK), sheet="Sở Ban", units=("H01.08",), period=_october()))
    (card,) = loaded.cards
    f = by_kind(unit_findings(card, loaded.everyone, Rules(), loaded.index))
    assert f["weakest"].groups == ("CKMB", "MDSH")
    # 18 + 22 left; both under half the maximum, which the weakest finding says itself
    assert f["weakest"].figures == {"pct": D(0), "left": D(40), "threshold": D(50)}
    assert f["strongest"].groups == ("TTTT",)  # 10/10
    assert f["most_left"].groups == ("MDSH",) and f["most_left"].figures["left"] == D(22)
    assert f["total_left"].figures["left"] == D("69.79")  # 100 − 30,21
    # below half: 0/18, 3,16/20 = 15,8%, 4/12 = 33,33%, 0/22; satisfaction 13,05/18 = 72,5%
    # (Công khai and Số hóa, the weakest, are said there: one fact per finding)
    assert f["below_alert"].groups == ("TDGQ", "CLGQ")
    assert f["below_alert"].figures["TDGQ"] == D("15.8")
    assert "below_notice" not in f


def test_ties_at_the_top_and_the_standing_among_the_34():
    """An Giang, October 2025: Công khai and Hài lòng both 18/18; 86,74 against the others."""
    loaded = load(Options(str(WORKBOOK), sheet="Điểm tháng", units=("H01",),
                          period=_october()))
    (card,) = loaded.cards
    f = by_kind(unit_findings(card, loaded.everyone, Rules(), loaded.index))
    assert f["strongest"].groups == ("CKMB", "MDHL")
    assert f["weakest"].groups == ("CLGQ",) and f["weakest"].figures["left"] == D("3.91")
    totals = sorted(float(c.total) for c in loaded.everyone)
    assert len(totals) == 34
    # independent of pandas: the median of 34 is the mean of the 17th and 18th; the 75th
    # percentile interpolates between the 25th and 26th (position 0.75 × 33 = 24.75)
    median = (totals[16] + totals[17]) / 2
    p75 = totals[24] + 0.75 * (totals[25] - totals[24])
    standing = f["standing"].figures
    half_up = D("0.01")
    assert standing["median"] == D(repr(median)).quantize(half_up, ROUND_HALF_UP)
    assert standing["p75"] == D(repr(p75)).quantize(half_up, ROUND_HALF_UP)
    assert standing["percentile"] == D("61.76")  # 21 of 34 are below 86,74 (rank 13)
    assert f["gap_mean"].figures == {"gap": D("1.20"), "peer": D("85.54")}
    assert statistics.median(totals) == median


def test_a_drop_and_three_declines_in_a_row(tmp_path):
    months = {"2025-07": 80, "2025-08": 79, "2025-09": 78.4, "2025-10": 77.8}
    files = []
    for m, total in months.items():
        rest = round(total - 60, 2)
        files.append(write_csv(tmp_path / f"{m}.csv", ["TEN", *GROUPS, "month"], [
            ["Bắc Ninh", 15, 15, 10, 10, 10, rest, m], ["Hà Nội", 18, 18, 10, 10, 10, 20, m]]))
    loaded = load(Options(str(files[-1]), units=("Bắc Ninh",), history=tuple(map(str,
                                                                                  files[:-1]))))
    (card,) = loaded.cards
    f = by_kind(unit_findings(card, loaded.everyone, Rules(), loaded.index))
    assert f["drop"].figures == {"delta": D("-0.6"), "previous": D("78.4")}
    assert f["declines"].figures == {"periods": D(3), "from": D(80), "to": D("77.8")}
    rules = Rules(drop=D("0.7"), declines=4)  # an office's own thresholds
    f = by_kind(unit_findings(card, loaded.everyone, rules, loaded.index))
    assert "drop" not in f and "declines" not in f  # 0,6 < 0,7; four falls need five periods


def test_missing_is_never_zero(tmp_path):
    p = write_csv(tmp_path / "m.csv", ["TEN", *GROUPS, "month"], [
        ["Bắc Ninh", 15, 15, 10, 10, "", 20, "2025-10"],
        ["Hà Nội", 18, 18, 10, 10, 12, 20, "2025-10"]])
    loaded = load(Options(str(p), units=("Bắc Ninh",)))
    (card,) = loaded.cards
    f = by_kind(unit_findings(card, loaded.everyone, Rules(), loaded.index))
    assert all("MDHL" not in x.groups for x in f.values())
    assert "total_left" not in f and "gap_mean" not in f and "standing" not in f


def test_the_watch_list_puts_the_largest_drops_first_then_the_weakest(tmp_path):
    rows_sep, rows_oct = [], []
    for i, (before, after) in enumerate([(80, 70), (60, 59.8), (75, 74), (50, 55), (90, 95),
                                         (65, 65), (40, 41)]):
        code = f"H01.{20 + i}"
        for rows, total in ((rows_sep, before), (rows_oct, after)):
            parts = [round(total * m / 100, 2) for m in (18, 20, 12, 10, 18)]
            rows.append([code, f"Sở Số {i}", 2, *parts, round(total - sum(parts), 2)])
    header = ["MA_COQUAN", "TEN", "LOAI_COQUAN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH"]
    sep = write_csv(tmp_path / "so-2025-09.csv", header, rows_sep)
    oct_ = write_csv(tmp_path / "so-2025-10.csv", header, rows_oct)
    loaded = load(Options(str(oct_), period=_october(), history=(str(sep),)))
    (watch,) = watch_list(loaded.cards, Rules())
    # drops of 0,5 or more first (−10, −1), then the lowest totals (41, 55, 59,8 …), three
    assert [c.unit.code for c in watch.units] == ["H01.20", "H01.22", "H01.26"]
    assert [c.unit.code for c in watch.improvers] == ["H01.23", "H01.24"]  # +5, +5 by name
    assert (watch.up, watch.down, watch.unchanged, watch.not_comparable) == (3, 3, 1, 0)


def test_narrate_findings_prints_the_list(runner):
    result = runner.invoke(cli, ["narrate", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--unit",
                                 "An Giang", "--findings"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Tỉnh An Giang — Tháng 10/2025"
    assert ("- Các nhóm chỉ số Công khai, minh bạch và Mức độ hài lòng đạt điểm tối đa."
            in result.output)
    assert "- Tổng điểm còn có thể tăng thêm 13,26 điểm." in result.output
    assert ("- Tổng điểm cao hơn 1,2 điểm so với bình quân 34 tỉnh, thành phố (85,54 điểm)."
            in result.output)
    assert "trong tệp" not in result.output and "trung bình" not in result.output


def test_the_thresholds_come_from_a_file(runner, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text("[level]\nalert_below = 70\nnotice_below = 90\n[change]\ndrop = 1\n"
                     "declines = 2\n[watch]\ndepartments = 1\ncommunes = 1\nimprovers = 0\n",
                     "utf-8")
    assert load_rules(rules).alert_below == D(70)
    result = runner.invoke(cli, ["narrate", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--unit",
                                 "An Giang", "--findings", "--findings-rules", str(rules)])
    assert result.exit_code == 0, result.output
    # 8,09/12 = 67,42%, the weakest group, is under this office's 70%: said with it
    assert ("- Nhóm chỉ số Dịch vụ công trực tuyến đạt tỷ lệ thấp nhất so với điểm tối đa "
            "(67,42%, dưới mức 70%), còn có thể tăng thêm 3,91 điểm.") in result.output
    # Thanh toán 8,59/10 = 85,9% and Số hóa 15,86/22 = 72,09% are from 70% to below 90%:
    # the band names both (it named Thanh toán alone, Số hóa being said where it stands,
    # 23/34: clerk's review 2, item 5), and Số hóa's rank is said as well
    assert ("- Các nhóm chỉ số Thanh toán trực tuyến (85,9%) và Số hóa hồ sơ (72,09%) đạt "
            "từ 70% đến dưới 90% điểm tối đa.") in result.output
    assert "- Nhóm chỉ số Số hóa hồ sơ xếp thứ 23/34" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text("[level]\n", "utf-8")
    result = runner.invoke(cli, ["narrate", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--unit",
                                 "An Giang", "--findings", "--findings-rules", str(bad)])
    assert result.exit_code == 1
    assert "không dùng được tệp ngưỡng nhận xét" in result.output


def _october():
    from scorecard.period import Period

    return Period("month", 2025, 10)


@pytest.fixture(autouse=True)
def _rules_shipped_match_the_defaults():
    assert load_rules() == Rules()
