"""The bulletin's words (issue 17, SPEC §7 amended, REGISTER §7c): it opens as a báo cáo
opens; parts II–V are prose in the register of seed bulletin 004; targets are cited with
their document or a highlighted blank; 'đạt / vượt / chưa đạt chỉ tiêu'; no parenthesis
inside another anywhere."""

from __future__ import annotations

from conftest import DATA, EXAMPLES, WORKBOOK
from test_bulletin import draft, text_of
from test_words import nested

AG = [EXAMPLES / "2025-10_tinh-thanh.csv", "--unit", "An Giang", "--dossiers",
      EXAMPLES / "2025-10_ho-so-an-giang.csv", "--sub-units", WORKBOOK, "--sub-units-sheet",
      "Sở Ban", "--month", "2025-10", "--data-date", "2025-10-16"]


def paragraphs(doc):
    return [p.text for p in doc.paragraphs if p.text.strip()]


def part(doc, numeral):
    texts = paragraphs(doc)
    start = next(i for i, t in enumerate(texts) if t.startswith(f"{numeral}. "))
    end = next((i for i, t in enumerate(texts[start + 1:], start + 1)
                if t.split(".")[0] in ("I", "II", "III", "IV", "V", "Phụ lục")), len(texts))
    return texts[start + 1:end]


def test_it_opens_as_a_report_opens_with_the_provisional_date(runner, tmp_path):
    _, doc = draft(runner, tmp_path, *AG)
    texts = paragraphs(doc)
    opening = texts[texts.index("Kết quả Chỉ số phục vụ người dân, doanh nghiệp tháng 10/2025")
                    + 1]
    assert opening.startswith("Thực hiện Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng "
                              "Chính phủ")
    assert opening.endswith(", Văn phòng UBND tỉnh An Giang báo cáo kết quả Chỉ số phục vụ "
                            "người dân, doanh nghiệp tháng 10/2025 của tỉnh An Giang, theo số "
                            "liệu tạm tính đến ngày 16/10/2025, như sau:")


def test_a_commune_reports_on_itself(runner, tmp_path):
    _, doc = draft(runner, tmp_path, WORKBOOK, "--sheet", "Xã Phường", "--month", "2025-10",
                   "--unit", "UBND xã Mỹ Hòa Hưng - tỉnh An Giang")
    opening = next(t for t in paragraphs(doc) if t.startswith("Thực hiện"))
    assert opening.endswith(", UBND xã Mỹ Hòa Hưng báo cáo kết quả Chỉ số phục vụ người dân, "
                            "doanh nghiệp tháng 10/2025, theo số liệu tạm tính đến ngày "
                            "16/10/2025, như sau:")  # the workbook: the export of 16 October


def test_part_ii_of_the_seed_bulletin_says_its_counts_in_one_sentence(runner, tmp_path,
                                                                      bulletin_csv):
    _, doc = draft(runner, tmp_path, bulletin_csv, "--unit", "Hà Giang", "--dossiers",
                   DATA / "dossiers" / "ban-tin-thang-11-2023_ho-so.csv")
    sentences = [s for p in part(doc, "II") for s in p.split(". ")]
    # 18.039 of 18.057 resolved on time or early: 99,9%, as seed bulletin 004 prints it
    assert any("18.039" in s and "99,9%" in s for s in sentences), sentences
    assert not any(":" in p for p in part(doc, "II"))  # no label lines
    assert "trong số liệu" not in " ".join(part(doc, "II"))  # said of the dossiers


def test_targets_are_cited_or_left_visibly_for_the_clerk(runner, tmp_path):
    _, doc = draft(runner, tmp_path, *AG)
    said = part(doc, "III")
    assert said[0].endswith("chưa đạt chỉ tiêu 80% theo [căn cứ giao chỉ tiêu].")  # 65,85%
    assert said[1].startswith("Tỷ lệ hồ sơ thanh toán trực tuyến trên tổng số hồ sơ có nghĩa vụ "
                              "tài chính đạt 71,49%, vượt chỉ tiêu 45%")
    assert said[2].endswith("vượt chỉ tiêu 50% theo Nghị quyết số 17/NQ-CP ngày 07/3/2019 của "
                            "Chính phủ.")
    blanks = [r for p in doc.paragraphs for r in p.runs if r.text == "[căn cứ giao chỉ tiêu]"]
    assert len(blanks) == 2 and all(r.font.highlight_color for r in blanks)
    assert "như các báo cáo cấp tỉnh" not in text_of(doc)


def test_no_parenthesis_inside_another_anywhere(runner, tmp_path, bulletin_csv):
    _, doc = draft(runner, tmp_path, *AG, "--cc-list", "Văn phòng Chính phủ (Cục Kiểm soát TTHC)")
    _, seed = draft(runner, tmp_path / "2", bulletin_csv, "--unit", "Hà Giang", "--dossiers",
                    DATA / "dossiers" / "ban-tin-thang-11-2023_ho-so.csv")
    for d in (doc, seed):
        for line in text_of(d).splitlines():
            assert not nested(line), line


def test_part_iv_names_each_unit_with_its_total_class_and_reason(runner, tmp_path):
    _, doc = draft(runner, tmp_path, *AG)
    watch = " ".join(part(doc, "IV"))
    for unit in ("các đơn vị cần quan tâm: 1. Thanh tra tỉnh đạt 30,21 điểm, xếp loại Yếu. Các "
                 "nhóm chỉ số",  # the province's own report: not 'Thanh tra tỉnh An Giang'

                 "Sở Tài chính đạt 63,01 điểm, xếp loại Trung bình. Các nhóm chỉ số",
                 "Sở Tư pháp đạt 73,65 điểm, xếp loại Khá. Các nhóm chỉ số"):
        assert unit in watch
    assert "So với kỳ trước" not in watch and "0 tăng" not in watch  # no earlier period


def test_part_v_is_never_an_empty_heading(runner, tmp_path):
    _, doc = draft(runner, tmp_path, *AG)
    said = part(doc, "V")
    assert [s[:3] for s in said if s[0].isdigit()] == ["1. ", "2. "]
    assert all(s.endswith(".") for s in said)


def test_the_provisional_date_is_said_once_in_the_opening(runner, tmp_path):
    """Part I's paragraph is the page's, which ends '(Số liệu tạm tính đến ngày …)': the
    opening has already said it, so the report says it once (REGISTER §6, p. 1)."""
    _, doc = draft(runner, tmp_path, *AG)
    _, commune = draft(runner, tmp_path / "2", WORKBOOK, "--sheet", "Xã Phường", "--month",
                       "2025-10", "--unit", "UBND xã Mỹ Hòa Hưng - tỉnh An Giang",
                       "--data-date", "16/10/2025")
    for d in (doc, commune):
        said = [t for t in paragraphs(d) if "16/10/2025" in t]
        assert len(said) == 1 and said[0].startswith("Thực hiện Quyết định số 766"), said
        assert text_of(d).count("tạm tính") == 1


def test_a_target_without_its_rate_is_said_in_a_sentence(runner, tmp_path, bulletin_csv):
    """The seed month's file has no payment or channel counts: part III listed them as label
    lines ('…: chưa có số liệu; chỉ tiêu 45% theo …')."""
    _, doc = draft(runner, tmp_path, bulletin_csv, "--unit", "Hà Giang", "--dossiers",
                   DATA / "dossiers" / "ban-tin-thang-11-2023_ho-so.csv")
    said = part(doc, "III")
    assert said[1] == ("Tỷ lệ hồ sơ thanh toán trực tuyến trên tổng số hồ sơ có nghĩa vụ tài "
                       "chính chưa có số liệu, chưa đánh giá được so với chỉ tiêu 45% theo "
                       "[căn cứ giao chỉ tiêu].")
    assert not any(":" in s for s in said)
