"""A rank shared by several groups is said of all of them, in one sentence (clerk's review
A.6): Mỹ Hòa Hưng's Tiến độ, kết quả giải quyết and Thanh toán trực tuyến are both 83/102 and
had two bullets each calling its group 'thứ hạng thấp nhất trong 6 nhóm chỉ số'; Sở Tài
chính's Công khai, minh bạch was 'the lowest of the 6 groups' at 14/15 though Dịch vụ công trực
tuyến and Thanh toán trực tuyến are 14/15 too.

Expectations worked by hand from the real An Giang workbook and the example month; the check
over every unit ranks the files' own cells here, not through the package's scoring."""

from __future__ import annotations

import csv
from functools import cache

import pytest
from conftest import EXAMPLES, WORKBOOK, workbook_units

from scorecard.cli import cli
from scorecard.content.options import PageOptions
from scorecard.content.page import unit_page
from scorecard.findings import Rules, said_once, unit_findings
from scorecard.narrative import finding_text
from scorecard.period import Period
from scorecard.pipeline import Options, load

COLUMNS = {"CKMB": ("Công khai, minh bạch", "Public disclosure and transparency"),
           "TDGQ": ("Tiến độ, kết quả giải quyết", "Resolution progress and results"),
           "CLGQ": ("Dịch vụ công trực tuyến", "Online public services"),
           "TTTT": ("Thanh toán trực tuyến", "Online payment"),
           "MDHL": ("Mức độ hài lòng", "Satisfaction"),
           "MDSH": ("Số hóa hồ sơ", "Digitisation of records")}
MONTH = EXAMPLES / "2025-10_tinh-thanh.csv"
VERBS = {"vi": (" cùng ", " xếp thứ", " có thứ hạng"),
         "en": (" is the lowest-ranked", " ranks", " each rank", " share the lowest")}
FILES = {"provinces": (WORKBOOK, "Điểm tháng"), "departments": (WORKBOOK, "Sở Ban"),
         "communes": (WORKBOOK, "Xã Phường"), "month": (MONTH, None)}


def _rows(which: str) -> list[dict]:
    path, sheet = FILES[which]
    if sheet is None:
        with open(path, encoding="utf-8") as f:
            return list(csv.DictReader(f))
    return workbook_units(sheet, path)


@cache
def worst_by_hand(which: str) -> dict[str, tuple[int, int, set[str]]]:
    """Per unit code: its worst group rank (competition ranking), of how many, and the groups
    at it."""
    units = _rows(which)
    out = {}
    for u in units:
        rank = {c: 1 + sum(float(o[c]) > float(u[c]) for o in units) for c in COLUMNS}
        worst = max(rank.values())
        code = u["MA_COQUAN"].split(".")[-1] if u["MA_COQUAN"].startswith("000.") else \
            u["MA_COQUAN"]  # Lạng Sơn's '000.00.00.H37' is H37
        out[code] = (worst, len(units), {c for c in COLUMNS if rank[c] == worst})
    return out


@cache
def loaded(which: str):
    path, sheet = FILES[which]
    return load(Options(str(path), sheet=sheet, period=Period.parse("2025-10")))


def lines_of(which: str, lang: str):
    """Every unit's findings as narrate --findings lists them, and its page's box."""
    lo = loaded(which)
    for card in lo.everyone:
        listed = [finding_text(f, card, Rules(), lang)
                  for f in said_once(unit_findings(card, lo.everyone, Rules(), lo.index))]
        box = unit_page(card, PageOptions(lo.index, lang=lang)).findings
        yield card, [*listed, *box]


def test_mỹ_hòa_hưng_s_tie_is_one_sentence(runner):
    result = runner.invoke(cli, ["narrate", str(WORKBOOK), "--sheet", "Xã Phường", "--month",
                                 "2025-10", "--unit", "H01.104", "--findings"])
    assert result.exit_code == 0, result.output
    lines = [x for x in result.output.splitlines() if x.startswith("- ")]
    # Tiến độ 19,38 and Thanh toán 8,31 are both 83/102; Tiến độ is 0,2 below 19,58, Thanh
    # toán 0,03 below 8,34
    assert ("- Các nhóm chỉ số Tiến độ, kết quả giải quyết và Thanh toán trực tuyến cùng xếp "
            "thứ 83/102, thứ hạng thấp nhất trong 6 nhóm chỉ số; Tiến độ, kết quả giải quyết "
            "thấp hơn bình quân (19,58/20 điểm) nhiều nhất: 0,2 điểm.") in lines
    assert sum("thứ hạng thấp nhất" in x for x in lines) == 1, lines


def test_sở_tài_chính_names_its_three_groups_at_14_of_15(runner):
    result = runner.invoke(cli, ["narrate", str(WORKBOOK), "--sheet", "Sở Ban", "--month",
                                 "2025-10", "--unit", "Sở Tài chính", "--findings", "--lang",
                                 "en"])
    assert result.exit_code == 0, result.output
    # Công khai 0,75 (mean 14,43), Dịch vụ công 4,48 and Thanh toán 6,99: all 14/15
    assert ("- Public disclosure and transparency, Online public services and Online payment "
            "each rank 14th of 15, the unit's lowest rank among the 6 groups; Public disclosure "
            "and transparency is furthest below the mean (14.43/18): 13.68 points."
            ) in result.output.splitlines()


@pytest.mark.parametrize("which", list(FILES))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_lowest_rank_is_said_of_every_group_sharing_it(which, lang):
    """Every unit of the three sheets and the example month, in its findings list and its
    page's box: a line that says a group's rank is the lowest of its groups, or the lowest of
    the level, names every group at the unit's worst rank and no other, and 'the lowest of
    the level' only when that rank is n/n."""
    claims = ("thứ hạng thấp nhất trong", "xếp thứ") if lang == "vi" else (
        "lowest of the", "rank")
    i = 0 if lang == "vi" else 1
    hand = worst_by_hand(which)
    for card, lines in lines_of(which, lang):
        worst, n, groups = hand[card.unit.code]
        for line in lines:
            if not any(c in line for c in claims) or "Tổng điểm" in line or "total" in line:
                continue
            # the groups the rank is said of: the subject, before its verb
            head = line[:min(line.find(m) % (len(line) + 1) for m in VERBS[lang])]
            named = {c for c in COLUMNS if COLUMNS[c][i] in head}
            assert named == groups, (card.unit.name, line)
            last = f"{worst}/{n}, thấp nhất trong" in line if lang == "vi" else "last" in line
            assert last == (worst == n), (card.unit.name, line)
