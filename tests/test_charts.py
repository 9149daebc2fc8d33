"""The page's charts as a clerk prints them (issue 17): words at 7.5 pt or more in black or
dark grey, class bands apart in grey-scale, group names broken after their comma, the
table's decimals, a true minus sign, and a legend that names the unit."""

from __future__ import annotations

from functools import cache
from itertools import pairwise

from conftest import EXAMPLES, WORKBOOK
from pdfcheck import pdf_text
from reportlab.pdfgen.canvas import Canvas

from scorecard.content.options import PageOptions
from scorecard.content.page import unit_page
from scorecard.period import Period
from scorecard.pipeline import Options, load
from scorecard.render.charts import BarChart, TrendChart, band_fills, label_lines, luminance
from scorecard.render.pdf import unit_pdf


@cache
def page(unit: str, history: bool = False):
    opts = Options(str(WORKBOOK), period=Period.parse("2025-10"), units=(unit,)) if not history \
        else Options(str(EXAMPLES / "2025-10_tinh-thanh.csv"), units=(unit,),
                     history=(str(EXAMPLES / "2025-09_tinh-thanh.csv"),))
    loaded = load(opts)
    return unit_page(loaded.cards[0], PageOptions(loaded.index))


def drawn_texts(chart, tmp_path):
    chart.drawOn(Canvas(str(tmp_path / "c.pdf")), 0, 0)
    return chart._texts


def test_every_word_of_the_charts_is_7_5_pt_or_more_and_dark(tmp_path):
    p = page("Huế", history=True)
    texts = drawn_texts(BarChart(p.bars, 300, 170), tmp_path)
    texts += drawn_texts(TrendChart(p.trend, 220, 170), tmp_path)
    assert len(texts) > 30
    small = [(s, size) for _, _, s, size, _, _ in texts if size < 7.5]
    pale = [(s, luminance(c)) for _, _, s, _, _, c in texts if luminance(c) > 0.3]
    assert small == [] and pale == []


def test_the_class_bands_differ_in_grey_scale():
    # the five classes of the index, highest first, and the three Huế's trend crosses
    every = ["#14532d", "#2f7d4f", "#6b9bd1", "#e0a526", "#c0392b"]
    for hexes in (every, every[:3], every[2:]):
        greys = [luminance(c) for c in band_fills(hexes)]
        assert all(a - b >= 0.06 for a, b in pairwise(greys)), greys
    p = page("Huế", history=True)
    assert [b.name for b in p.trend.bands] == ["Xuất sắc", "Tốt", "Khá"]


def test_group_names_break_after_their_comma_not_mid_phrase():
    assert label_lines("Tiến độ, kết quả giải quyết", 80) == ["Tiến độ,", "kết quả giải quyết"]
    assert label_lines("Công khai, minh bạch", 200) == ["Công khai, minh bạch"]
    bars = page("An Giang").bars
    assert all(len(lines) == 1 for lines in BarChart(bars, 500, 170).labels)  # full width
    assert BarChart(bars, 298, 170).labels == [  # beside the trend
        ["Công khai, minh bạch"], ["Tiến độ,", "kết quả giải quyết"],
        ["Dịch vụ công trực tuyến"], ["Thanh toán trực tuyến"], ["Mức độ hài lòng"],
        ["Số hóa hồ sơ"]]


def test_the_chart_has_the_table_s_decimals():
    p = page("An Giang")
    table = [row.cells[2] for row in p.rows[:6]]  # '% tối đa'
    assert table == ["100%", "91%", "67,42%", "85,9%", "100%", "72,09%"]
    assert [b.unit_text + "%" for b in p.bars.bars] == table
    # the peer as % of the maximum, by hand: 17,44/18, 17,54/20, 7,93/12, 8,28/10, 17,73/18,
    # 16,62/22 — from the workbook's averages before rounding, so 96,89 (17,44 gives 96,89)
    assert [b.peer_text for b in p.bars.bars][:2] == ["96,89", "87,7"]


def test_negative_differences_carry_a_true_minus_sign(tmp_path):
    p = page("An Giang")
    assert p.rows[5].cells[4] == "\u22120,76"  # Số hóa hồ sơ: 15,86 − 16,62
    path = tmp_path / "ag.pdf"
    path.write_bytes(unit_pdf(p).data)
    text = pdf_text(path)
    assert "\u22120,76" in text and "-0,76" not in text


def test_the_legend_and_the_table_name_the_unit_and_the_peer_one_way():
    p = page("An Giang")
    assert p.bars.legend == ("Tỉnh An Giang", "BQ 34 tỉnh, thành phố")
    assert p.head[3] == "BQ 34 tỉnh,\nthành phố"
    assert p.headline.total.sub == "BQ 34 tỉnh, thành phố: 85,54"
    assert page("Huế", history=True).bars.legend[0] == "Thành phố Huế"


def test_the_headline_boxes_words_are_7_5_pt_or_more(tmp_path):
    """A department's rank box carries the portal's rank on two lines ('thứ 117 trong tỉnh /
    (theo Cổng DVCQG)'): drawn at 6.5 pt, under the page's least (a test failed before)."""
    from scorecard.render.charts import HeadlineBoxes
    from scorecard.render.fonts import register_fonts

    register_fonts()
    lo = load(Options(str(WORKBOOK), sheet="Sở Ban", period=Period.parse("2025-10"),
                      units=("H01.08",)))
    hl = unit_page(lo.cards[0], PageOptions(lo.index)).headline
    texts = drawn_texts(HeadlineBoxes(hl, 500, 62), tmp_path)
    assert any("DVCQG" in s for _, _, s, _, _, _ in texts)
    assert [(s, size) for _, _, s, size, _, _ in texts if size < 7.5] == []
