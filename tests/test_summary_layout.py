"""The summary as a clerk prints it (issue 17, REGISTER §4): figures that line up on their
decimal commas, no empty change column without an earlier period, no bars that all look
alike, the class under its header, and the office's own row framed so that grey-scale
printing keeps it marked."""

from __future__ import annotations

from conftest import EXAMPLES, WORKBOOK
from pdfcheck import pdf_text
from reportlab.pdfbase.pdfmetrics import stringWidth

from scorecard.render.charts import Bar
from scorecard.render.fonts import REGULAR, register_fonts
from scorecard.render.summary import _level_tables, aligned


def render(runner, tmp_path, *args):
    from scorecard.cli import cli

    result = runner.invoke(cli, ["render", *map(str, args), "--out", str(tmp_path),
                                 "--jobs", "1", "--issued", "2025-11-05"])
    assert result.exit_code == 0, result.output
    return tmp_path / "2025-10" / "summary.pdf"


def test_figures_line_up_on_their_decimal_commas():
    register_fonts()
    figures = ["18", "17,89", "17,3", "8,1", "93,21", "+4,66", "\u22121,2"]
    # the part right of where the comma is (or would be) is as wide in every figure
    tails = {round(stringWidth(aligned(f, "vi"), REGULAR, 7.5)
                   - stringWidth(f.split(",")[0], REGULAR, 7.5), 3) for f in figures}
    assert len(tails) == 1
    assert aligned("93", "en") == "93\u2008\u2007\u2007" and aligned("92.9", "en") == "92.9\u2007"
    assert aligned("Xuất sắc", "vi") == "Xuất sắc" and aligned("—", "vi") == "—"


def test_no_change_column_without_an_earlier_period(runner, tmp_path):
    text = pdf_text(render(runner, tmp_path / "a", WORKBOOK, "--sheet", "Xã Phường", "--month",
                           "2025-10"))
    assert "So với kỳ trước" not in text.split("Xã, phường, đặc khu (102)")[1]
    text = pdf_text(render(runner, tmp_path / "b", EXAMPLES / "2025-10_tinh-thanh.csv",
                           "--history", EXAMPLES / "2025-09_tinh-thanh.csv"))
    assert "So với kỳ" in text and "+4,66" in text  # An Giang: 86,74 − 82,08


def test_no_bars_and_the_own_row_framed():
    from scorecard.content.options import PageOptions
    from scorecard.content.summary import summary_page
    from scorecard.pipeline import Options, load

    loaded = load(Options(str(EXAMPLES / "2025-10_tinh-thanh.csv")))
    summary = summary_page(loaded.cards,
                           PageOptions(loaded.index, office="Văn phòng UBND tỉnh An Giang"))
    (section,) = summary.sections
    (deferred,) = _level_tables(section, 6, "vi")
    table = deferred._it()  # made when the layout reaches it
    assert not any(isinstance(cell, Bar) for row in table._cellvalues for cell in row)
    own = 2 + [r.name for r in section.rows].index("An Giang")  # under the header and peer
    assert ("BOX", (0, own), (-1, own)) in [cmd[:3] for cmd in table._linecmds]
