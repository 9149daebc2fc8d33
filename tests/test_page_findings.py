"""The page of issue 11: no issuer line without --office, no 1/1 ranks, what can still be
won per group, the findings box, and a long predecessor note kept inside its box."""

from __future__ import annotations

import re

from conftest import EXAMPLES, write_csv
from pdfcheck import pdf_pages, pdf_text

from scorecard.cli import cli


def render(runner, tmp_path, *args):
    result = runner.invoke(cli, ["render", *map(str, args), "--out", str(tmp_path / "out"),
                                 "--jobs", "1", "--issued", "2025-10-20"])
    assert result.exit_code == 0, result.output
    return tmp_path / "out"


def test_the_page_has_points_left_and_a_findings_box_and_no_issuer(runner, tmp_path):
    out = render(runner, tmp_path, EXAMPLES / "2025-10_tinh-thanh.csv", "--unit", "An Giang")
    flat = " ".join(pdf_text(out / "2025-10" / "H01_an-giang.pdf").split())
    assert "CỔNG DỊCH VỤ CÔNG QUỐC GIA" not in flat  # the portal is not the issuer
    assert not flat.upper().startswith("VĂN PHÒNG")
    # max − score, by hand: 18−18, 20−18,2, 12−8,09, 10−8,59, 18−18, 22−15,86, 100−86,74
    for row in ["Công khai, minh bạch 18/18 100% 17,44/18 +0,56 0 1/34",
                "Tiến độ, kết quả giải quyết 18,2/20 91% 17,54/20 +0,66 1,8 15/34",
                "Dịch vụ công trực tuyến 8,09/12 67,42% 7,93/12 +0,16 3,91 10/34",
                "Số hóa hồ sơ 15,86/22 72,09% 16,62/22 \u22120,76 6,14 23/34",
                "Tổng điểm 86,74/100 86,74% 85,54/100 +1,2 13,26 13/34"]:
        assert row in flat, row
    assert "BQ 34 tỉnh, thành phố" in flat and "trong tệp" not in flat
    # the box says what the paragraph above it has not: Số hóa's rank (its gap, the only one
    # below the mean, the paragraph has said); the weakest group's band the paragraph says
    # with its share, 8,09/12 = 67,42% (clerk's review 2, item 10: the box said it again)
    box = flat.split("Điểm cần lưu ý")[1].split("Nguồn:")[0]
    assert box.strip() == (
        "• Nhóm chỉ số Số hóa hồ sơ có thứ hạng thấp nhất trong 6 nhóm chỉ số, xếp thứ 23/34 "
        "tỉnh, thành phố.")
    paragraph = flat.split("Nhận xét")[1].split("Điểm cần lưu ý")[0]
    assert ("Dịch vụ công trực tuyến đạt tỷ lệ thấp nhất so với điểm tối đa (67,42%, dưới mức "
            "70%)") in paragraph
    assert "đạt điểm tối đa" in paragraph and "đạt điểm tối đa" not in box
    assert pdf_pages(out / "2025-10" / "H01_an-giang.pdf") == 1


def test_a_file_of_one_unit_ranks_nothing(runner, tmp_path):
    p = write_csv(tmp_path / "one.csv", ["TEN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH",
                                         "month"],
                  [["Bắc Ninh", 18, 19, 8, 9, 18, 18, "2025-10"]])
    out = render(runner, tmp_path, p)
    flat = " ".join(pdf_text(out / "2025-10" / "H05_bac-ninh.pdf").split())
    assert "Công khai, minh bạch 18/18 100% 18/18 ±0 0 —" in flat  # no 'Hạng nhóm 1/1'
    assert re.findall(r"(?<![\d/])1/1(?![\d/])", flat) == ["1/1"]  # only 'Trang 1/1'
    assert "xếp thứ" not in flat.split("Nhận xét")[1]


def test_the_page_s_findings_follow_the_office_s_thresholds(runner, tmp_path):
    rules = tmp_path / "rules.toml"
    rules.write_text("[level]\nalert_below = 70\nnotice_below = 90\n[change]\ndrop = 1\n"
                     "declines = 2\n[watch]\ndepartments = 1\ncommunes = 1\nimprovers = 0\n",
                     "utf-8")
    out = render(runner, tmp_path, EXAMPLES / "2025-10_tinh-thanh.csv", "--unit", "An Giang",
                 "--findings-rules", rules)
    flat = " ".join(pdf_text(out / "2025-10" / "H01_an-giang.pdf").split())
    # the weakest group, 8,09/12 = 67,42%, under the office's 70%: the paragraph says it with
    # its share and closes firmly, as under the alert threshold; the box does not say it again
    assert ("Dịch vụ công trực tuyến đạt tỷ lệ thấp nhất so với điểm tối đa (67,42%, dưới mức "
            "70%), còn có thể tăng thêm 3,91 điểm, cần ưu tiên khắc phục.") in flat
    assert "(67,42%) đạt" not in flat
    # Thanh toán 8,59/10 = 85,9% and Số hóa 15,86/22 = 72,09% both in the office's band from
    # 70% to below 90%, and Số hóa's rank (23/34) said too
    assert ("• Các nhóm chỉ số Thanh toán trực tuyến (85,9%) và Số hóa hồ sơ (72,09%) đạt "
            "từ 70% đến dưới 90% điểm tối đa.") in flat
    assert "Số hóa hồ sơ có thứ hạng thấp nhất trong 6 nhóm chỉ số, xếp thứ 23/34" in flat


def test_the_page_s_dossier_block_with_the_targets(runner, tmp_path):
    out = render(runner, tmp_path, EXAMPLES / "2025-10_tinh-thanh.csv", "--unit", "An Giang",
                 "--dossiers", EXAMPLES / "2025-10_ho-so-an-giang.csv")
    pdf = out / "2025-10" / "H01_an-giang.pdf"
    flat = " ".join(pdf_text(pdf).split())
    # resolved on time 48.690/48.904 = 99,56% (issue 16: wherever resolved dossiers are);
    # 1.213/1.842 = 65,85% < 80%; 21.530/30.114 = 71,49% ≥ 45%; 47.320/52.418 = 90,27% ≥ 50%
    assert ("Hồ sơ và các chỉ tiêu tháng 10/2025 • Tổng số hồ sơ tiếp nhận: 52.418 hồ sơ. "
            "Tỷ lệ hồ sơ đã giải "
            "quyết đúng hạn và trước hạn: 48.690/48.904 hồ sơ, 99,56%. • TTHC trực tuyến "
            "toàn trình: 1.213/1.842 TTHC, 65,85%, chưa đạt chỉ tiêu 80%. • Thanh toán trực "
            "tuyến: 21.530/30.114 hồ sơ, 71,49%, vượt chỉ tiêu 45%. • Hồ sơ trực tuyến: "
            "47.320/52.418 hồ sơ, 90,27%, vượt chỉ tiêu 50%.") in flat
    assert pdf_pages(pdf) == 1
    # the findings box keeps its findings beside the dossier block: An Giang's one the
    # paragraph has not said, Số hóa's rank (the total's points left are the table's)
    box = flat.split("Điểm cần lưu ý")[1].split("Hồ sơ và các chỉ tiêu tháng")[0]
    assert box.count("•") == 1 and "23/34" in box and "Tổng điểm còn có thể" not in box


def test_a_target_without_its_figures_is_listed_not_dropped(runner, tmp_path):
    """A dossier file with no payment columns: the payment target (45%) is said to have no
    figures, in the page's block and in the bulletin's part III, never left out."""
    data = write_csv(tmp_path / "ho-so.csv", ["Mã đơn vị", "Tiếp nhận", "Tổng số TTHC",
                                               "Toàn trình", "Một phần"],
                     [["H01", "52.418", "1.842", "1.213", "402"]])
    out = render(runner, tmp_path, EXAMPLES / "2025-10_tinh-thanh.csv", "--unit", "An Giang",
                 "--dossiers", data)
    flat = " ".join(pdf_text(out / "2025-10" / "H01_an-giang.pdf").split())
    assert "• Thanh toán trực tuyến: chưa có số liệu (mục tiêu 45%)." in flat
    assert "• Hồ sơ trực tuyến: chưa có số liệu (mục tiêu 50%)." in flat
    from docx import Document

    result = runner.invoke(cli, ["bulletin", str(EXAMPLES / "2025-10_tinh-thanh.csv"),
                                 "--unit", "An Giang", "--dossiers", str(data), "--out",
                                 str(tmp_path / "b"), "--issued", "2025-11-05"])
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "b").glob("*/*.docx")
    doc = Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert ("Tỷ lệ hồ sơ thanh toán trực tuyến trên tổng số hồ sơ có nghĩa vụ tài chính chưa có "
            "số liệu, chưa đánh giá được so với chỉ tiêu 45% theo [căn cứ giao chỉ tiêu]."
            ) in texts, texts
    rows = [[c.text for c in r.cells] for t in doc.tables for r in t.rows]
    assert ["Hồ sơ thanh toán trực tuyến trên tổng số hồ sơ có nghĩa vụ tài chính",
            "chưa có số liệu", "45%", "—"] in rows


def test_a_dossier_file_of_another_period_is_refused_or_named(runner, tmp_path):
    """Issue 16: a September dossier file never goes into an October page or bulletin
    without a word — refused (its period said, from its name or its month column), or
    printed with its own period named when --dossiers-period says so."""
    import shutil

    month = EXAMPLES / "2025-10_tinh-thanh.csv"
    sept = tmp_path / "ho-so-an-giang_2025-09.csv"
    shutil.copy(EXAMPLES / "2025-10_ho-so-an-giang.csv", sept)
    args = ["render", str(month), "--unit", "An Giang", "--out", str(tmp_path / "out"),
            "--jobs", "1", "--issued", "2025-11-05", "--dossiers", str(sept)]
    refused = runner.invoke(cli, args)
    assert refused.exit_code == 1
    assert ("số liệu hồ sơ của Tháng 9/2025, khác kỳ báo cáo Tháng 10/2025; hãy dùng tệp của "
            "Tháng 10/2025, hoặc --dossiers-period 2025-09") in refused.output
    assert not (tmp_path / "out" / "2025-10").exists()
    named = runner.invoke(cli, [*args, "--dossiers-period", "2025-09"])
    assert named.exit_code == 0, named.output
    flat = " ".join(pdf_text(tmp_path / "out" / "2025-10" / "H01_an-giang.pdf").split())
    assert "Hồ sơ và các chỉ tiêu tháng 9/2025 (khác kỳ của bảng điểm)" in flat
    # a month column says it too, whatever the name; and the portal's trees by their name
    column = write_csv(tmp_path / "ho-so.csv", ["Mã đơn vị", "Tháng", "Tiếp nhận"],
                       [["H01", "09/2025", "52.418"]])
    from conftest import DATA

    trees = [DATA / "phu-tho_2026-08_dvc-progress-tree.json"]
    for files, found in (([column], "Tháng 9/2025"), (trees, "Tháng 8/2026")):
        result = runner.invoke(cli, ["bulletin", str(month), "--unit", "An Giang", "--out",
                                     str(tmp_path / "b"), *(a for f in files
                                                            for a in ("--dossiers", str(f)))])
        assert result.exit_code == 1 and f"số liệu hồ sơ của {found}" in result.output


def test_the_bulletin_names_the_dossiers_own_period(runner, tmp_path):
    from docx import Document

    sept = write_csv(tmp_path / "ho-so.csv", ["Mã đơn vị", "Tháng", "Tiếp nhận"],
                     [["H01", "2025-09", "52.418"]])
    result = runner.invoke(cli, ["bulletin", str(EXAMPLES / "2025-10_tinh-thanh.csv"),
                                 "--unit", "An Giang", "--dossiers", str(sept), "--out",
                                 str(tmp_path / "b"), "--issued", "2025-11-05",
                                 "--dossiers-period", "2025-09"])
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "b").glob("*/*.docx")
    texts = [p.text for p in Document(str(path)).paragraphs]
    at = texts.index("II. TÌNH HÌNH TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ THÁNG\u00a09/2025")
    assert texts[at + 1] == ("Số liệu hồ sơ trong phần này là của tháng 9/2025, khác kỳ báo "
                             "cáo tháng 10/2025.")
