"""The floor: the same kind of page (table + bar chart + paragraph; Noto Sans regular for
text and bold for the heading, as every real page has both), drawn
straight with reportlab N times in one process, with no data loading, validation, templates
or manifest. `scorecard render` is measured against this (see run.py).

    python benchmarks/floor.py N OUTDIR
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from reportlab import rl_config
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

FONTS = Path(__file__).resolve().parent.parent / "fonts"
GROUPS = ["Công khai, minh bạch", "Tiến độ, kết quả giải quyết", "Dịch vụ công trực tuyến",
          "Thanh toán trực tuyến", "Mức độ hài lòng", "Số hóa hồ sơ"]
TEXT = ("Tháng 10/2025, chỉ số Công khai, minh bạch đạt 7,7/18 điểm, thấp hơn mặt bằng chung cả "
        "nước (10,8/18 điểm) 3,1 điểm; chỉ số Tiến độ, kết quả giải quyết đạt 16,1/20 điểm, cao "
        "hơn mặt bằng chung cả nước (14,8/20 điểm) 1,3 điểm. ") * 4


def page(i: int) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, invariant=1)
    style = ParagraphStyle("b", fontName="NotoSans", fontSize=9.5, leading=13.5)
    bold = ParagraphStyle("h", fontName="NotoSans-Bold", fontSize=16, leading=20)
    rows = [["Nhóm chỉ số", "Điểm", "% tối đa", "Bình quân", "Chênh lệch", "Hạng"]]
    rows += [[g, f"{(i + k) % 18},{k}/18", "42,78%", "10,8/18", "-3,1", f"{k + 1}/34"]
             for k, g in enumerate(GROUPS)]
    table = Table(rows)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "NotoSans", 8.5),
                               ("GRID", (0, 0), (-1, -1), 0.3, "#999999")]))
    d = Drawing(480, 170, initialFontName="NotoSans")
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 110, 20, 350, 140
    chart.data = [[(i * 7 + k * 13) % 100 for k in range(6)], [50 + k for k in range(6)]]
    chart.categoryAxis.categoryNames = GROUPS
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = "NotoSans"
    chart.categoryAxis.labels.boxAnchor = "e"
    d.add(chart)
    doc.build([Paragraph(f"Đơn vị số {i}", bold), table, d, Paragraph(TEXT, style)])
    return buf.getvalue()


def main() -> None:
    n, out = int(sys.argv[1]), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    rl_config.invariant = 1
    pdfmetrics.registerFont(TTFont("NotoSans", str(FONTS / "NotoSans-Regular.ttf")))
    pdfmetrics.registerFont(TTFont("NotoSans-Bold", str(FONTS / "NotoSans-Bold.ttf")))
    for i in range(n):
        (out / f"floor-{i:05d}.pdf").write_bytes(page(i))


if __name__ == "__main__":
    main()
