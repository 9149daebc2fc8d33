"""Everything from the index (issue 10): a 5-group index (the Decision's own grouping) and a
7-group one render with their own columns, scales and totals; nothing assumes six."""

from __future__ import annotations

import pytest
from conftest import DATA
from pdfcheck import pdf_text

from scorecard.cli import cli

INDEXES = DATA / "indexes"


@pytest.fixture(scope="module", params=["five", "seven"])
def rendered(request, tmp_path_factory):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp(request.param)
    result = CliRunner().invoke(cli, [
        "render", str(INDEXES / f"2025-10_{request.param}-groups.csv"), "--index",
        str(INDEXES / f"{request.param}-groups.toml"), "--out", str(out), "--jobs", "1",
        "--issued", "2025-10-20"])
    assert result.exit_code == 0, result.output
    return request.param, out / "2025-10"


ROWS = {  # Bắc Ninh's summary row, as the index groups its figures (hand-made from the file)
    "five": "1/34 Bắc Ninh 18 19,38 17,39 18 18,75 91,52 Xuất sắc",
    "seven": "1/34 Bắc Ninh 18 19,38 8,08 9,31 18 12 6,75 91,52 Xuất sắc",
}
HEADERS = {
    "five": ["Dịch vụ trực tuyến (22)", "Số hóa (22)"],
    "seven": ["Số hóa (12)", "Tái sử dụng (10)"],
}


def test_the_summary_has_a_column_per_group_and_the_class_last(rendered):
    name, folder = rendered
    flat = " ".join(pdf_text(folder / "summary.pdf").split())
    assert ROWS[name] in flat
    for h in HEADERS[name]:
        assert h in flat


def test_the_page_table_lists_every_group(rendered):
    name, folder = rendered
    flat = " ".join(pdf_text(folder / "H05_bac-ninh.pdf").split())
    if name == "five":
        assert "Cung cấp dịch vụ trực tuyến 17,39/22 79,05%" in flat
    else:
        assert "Tái sử dụng kết quả số hóa 6,75/10 67,5%" in flat
    assert "Tổng điểm 91,52/100 91,52%" in flat


@pytest.mark.parametrize("groups", [5, 6, 7])
def test_the_class_colour_and_the_bold_total_follow_the_group_count(groups):
    """The columns that hold the total (bold) and the class (coloured) move with the index."""
    from decimal import Decimal

    from scorecard.content.objects import Section, SummaryRow
    from scorecard.render.summary import _level_tables

    row = SummaryRow("1/3", "Bắc Ninh", ("1",) * groups, "91,52", Decimal("0.9152"),
                     "Xuất sắc", "#14532d", "")
    section = Section("Tỉnh", ("", "", *("g",) * groups, "", "", "", ""), ("TB",
                      *("1",) * groups, "1"), Decimal("0.5"), (row,), None)
    (deferred,) = _level_tables(section, groups, "vi")
    table = deferred._it()  # made when the layout reaches it
    total, band = 2 + groups, 3 + groups  # no bar column between them
    backgrounds = {(cmd[1][0], cmd[1][1]) for cmd in table._bkgrndcmds if cmd[0] == "BACKGROUND"
                   and cmd[1] == cmd[2]}
    assert (band, 2) in backgrounds  # row 2: under the header and the peer row
    bold = [cmd for cmd in table._cellStyles[2][total:total + 1]]
    assert bold[0].fontname.endswith("Bold")
