"""The paragraph a clerk pastes into a bulletin: figures verbatim, vi-VN formats."""

from __future__ import annotations

from decimal import Decimal

from conftest import EXAMPLES, write_csv

from scorecard.cli import cli
from scorecard.formatting import Fmt


def narrate(runner, *args):
    result = runner.invoke(cli, ["narrate", *map(str, args)])
    assert result.exit_code == 0, result.output
    return result.output


def test_november_2023_bulletin_figures_verbatim(runner, bulletin_csv):
    text = narrate(runner, bulletin_csv, "--unit", "Hà Giang")
    # shared/data/bulletins.md: the province's group scores and the national figures
    for clause in [
        "Trong tháng 11/2023, Chỉ số phục vụ người dân, doanh nghiệp của tỉnh Hà Giang",
        "Có 1/5 nhóm chỉ số cao hơn mặt bằng chung cả nước: Tiến độ, kết quả giải quyết "
        "16,1/20 điểm (cả nước 14,8; +1,3).",
        "Có 4/5 nhóm chỉ số thấp hơn: Công khai, minh bạch 7,7/18 điểm (cả nước 10,8; −3,1); "
        "Dịch vụ công trực tuyến 0,9/12 (3,9; −3); Thanh toán trực tuyến 2,8/10 (5,6; −2,8); "
        "Số hóa hồ sơ 3,5/22 (10,2; −6,7).",
        "chưa có tổng điểm do nhóm chỉ số Mức độ hài lòng chưa có số liệu",
    ]:
        assert clause in text
    # weakest by share of maximum: online services 0.9/12 = 7.5% (not digitisation's 3.5 pts),
    # under half its maximum
    assert ("nhóm chỉ số Dịch vụ công trực tuyến đạt tỷ lệ thấp nhất so với điểm tối đa (7,5%, "
            "dưới mức 50%)" in text)
    assert "xếp hạng" not in text  # no total, no rank


def test_english_uses_english_words_and_numbers(runner, bulletin_csv):
    text = narrate(runner, bulletin_csv, "--unit", "Ha Giang", "--lang", "en")
    assert ("In November 2023, on the National Public Service Portal, Hà Giang Province has no "
            "total, as Satisfaction was not reported") in text
    assert "Public disclosure and transparency 7.7/18, 3.1 under 10.8/18" in text
    assert "the national average" in text


def test_rank_class_and_change_with_history(runner):
    text = narrate(runner, EXAMPLES / "2025-10_tinh-thanh.csv", "--history",
                   EXAMPLES / "2025-09_tinh-thanh.csv", "--unit", "H05")
    # 91.52 in October, 88.09 in the illustrative September: +3.43; 91.52 − 85.54 = 5.98
    assert text.startswith("Trong tháng 10/2025, Chỉ số phục vụ người dân, doanh nghiệp của tỉnh"
                           " Bắc Ninh trên Cổng Dịch vụ công quốc gia đạt 91,52/100 điểm, xếp "
                           "loại Xuất sắc, xếp thứ 1/34 tỉnh, "
                           "thành phố; cao hơn 5,98 điểm so với bình quân 34 tỉnh, thành phố "
                           "(85,54 điểm) và tăng 3,43 điểm so với tháng 9/2025 (88,09 điểm).")
    assert "cả nước" not in text  # a mean of the file is never called national


def test_department_rank_is_of_its_level_in_the_file_and_never_nationwide(runner):
    text = narrate(runner, EXAMPLES / "2025-10_so-ban-an-giang.csv", "--unit", "H01.16")
    assert "xếp thứ 6/15 sở, ban, ngành (thứ 86 trong tỉnh theo Cổng DVCQG)" in text
    assert "toàn quốc" not in text
    assert "bình quân 15 sở, ban, ngành" in text


def test_user_templates_override_the_packaged_ones(runner, tmp_path, bulletin_csv):
    (tmp_path / "narrative.vi.j2").write_text("{{ card.unit.name }}: {{ f.frac(card.groups[0]"
                                              ".score, card.groups[0].group.max) }}")
    text = narrate(runner, bulletin_csv, "--unit", "Hà Giang", "--templates", tmp_path)
    assert text == "Hà Giang: 7,7/18\n"


def test_a_broken_user_template_is_a_clear_error(runner, tmp_path, bulletin_csv):
    (tmp_path / "narrative.vi.j2").write_text("{{ card.nothing_here }}")
    result = runner.invoke(cli, ["narrate", str(bulletin_csv), "--unit", "Hà Giang",
                                 "--templates", str(tmp_path)])
    assert result.exit_code == 1
    assert "narrative.vi.j2" in result.output and "nothing_here" in result.output


def test_markup_in_names_is_escaped_for_the_pdf_and_plain_for_the_clerk(runner, tmp_path):
    from scorecard import load
    from scorecard.narrative import render_narrative
    from scorecard.pipeline import Options

    path = write_csv(tmp_path / "d.csv", ["MA_COQUAN", "TEN", "LOAI_COQUAN", "CKMB", "TDGQ",
                                          "CLGQ", "TTTT", "MDHL", "MDSH", "month"],
                     [["H01.99", "Sở <b>A & B</b>", "2", 1, 1, 1, 1, 1, 1, "2025-10"]])
    loaded = load(Options(str(path)))
    markup = render_narrative(loaded.cards[0], loaded.index)
    assert "Sở &lt;b&gt;A &amp; B&lt;/b&gt;" in markup
    assert "Sở <b>A & B</b>" in narrate(runner, path, "--unit", "H01.99")


def test_number_formats():
    vi, en = Fmt("vi"), Fmt("en")
    assert vi.num(Decimal("7.7")) == "7,7" and en.num(Decimal("7.7")) == "7.7"
    assert vi.num(19933) == "19.933" and en.num(19933) == "19,933"
    assert vi.pct(Decimal("39.56")) == "39,56%"
    assert vi.num(Decimal("42.777")) == "42,78"  # computed figures: 2 decimals, half up
    assert vi.num(Decimal("18.00")) == "18" and vi.num(None) == "—"
    assert vi.signed(Decimal("-3.1")) == "\u22123,1" and vi.signed(Decimal("1.005")) == "+1,01"


def test_a_quarter_keeps_its_roman_numeral_inside_a_sentence(runner, tmp_path):
    """'so với quý II/2024', not 'quý ii/2024' (jinja's lower once lowered it whole)."""
    header = ["TEN", "CKMB", "TDGQ", "CLGQ", "TTTT", "MDHL", "MDSH", "month"]
    q2 = write_csv(tmp_path / "q2.csv", header, [["Bắc Ninh", 15, 15, 10, 10, 15, 15, "2024-Q2"]])
    q3 = write_csv(tmp_path / "q3.csv", header, [["Bắc Ninh", 16, 15, 10, 10, 15, 15, "2024-Q3"]])
    text = narrate(runner, q3, "--history", q2, "--unit", "Bắc Ninh")
    assert "tăng 1 điểm so với quý II/2024 (80 điểm)." in text
