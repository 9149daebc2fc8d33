"""The bulletin's layout and its issuer (issue 17, SPEC §7 amended): the document's default
style, headings kept with what follows, the Tiêu ngữ rule, the annex's title and its six
groups on one line each, and the defaults of each kind of issuer — ô 1 and ô 2, the number's
suffix, the signature block with its second line, the place."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES, WORKBOOK
from docx.oxml.ns import qn
from docx.shared import Pt
from test_bulletin import draft

from scorecard.issuer import IssuerOptions, initials, resolve, signature_lines
from scorecard.model import Level, Unit

AG = [EXAMPLES / "2025-10_tinh-thanh.csv", "--unit", "An Giang"]


def header(doc):
    left, right = doc.tables[0].rows[0].cells
    return [p.text for p in left.paragraphs], [p.text for p in right.paragraphs]


def signature(doc):
    return [p.text for p in doc.tables[-2 if len(doc.sections) > 1 else -1].rows[0].cells[1]
            .paragraphs]


def test_the_document_s_defaults_are_the_body_s(runner, tmp_path):
    _, doc = draft(runner, tmp_path, *AG)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts"))
    assert {fonts.get(qn(k)) for k in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {
        "Times New Roman"}
    assert fonts.get(qn("w:asciiTheme")) is None  # the theme's Calibri no longer wins
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == "28"  # 14 pt
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    assert spacing.get(qn("w:after")) == "0"


@pytest.mark.parametrize("lang, code", [("vi", "vi-VN"), ("en", "en-US")])
def test_the_document_s_language_is_the_report_s(runner, tmp_path, lang, code):
    """python-docx's template says en-US: Word underlined every Vietnamese word as
    misspelt (a test failed before)."""
    _, doc = draft(runner, tmp_path, *AG, "--lang", lang)
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert rpr.find(qn("w:lang")).get(qn("w:val")) == code


def test_headings_keep_with_the_next_paragraph(runner, tmp_path):
    _, doc = draft(runner, tmp_path, *AG, "--dossiers", EXAMPLES / "2025-10_ho-so-an-giang.csv")
    headings = [p for p in doc.paragraphs if p.text[:3] in ("I. ", "II.", "III", "IV.", "V. ")
                or p.text in ("BÁO CÁO",)]
    assert len(headings) >= 4
    assert all(p.paragraph_format.keep_with_next for p in headings)


def test_the_motto_s_rule_is_as_long_as_its_line_and_below_its_descenders(runner, tmp_path):
    _, doc = draft(runner, tmp_path, *AG)
    right = doc.tables[0].rows[0].cells[1]
    rule = right.paragraphs[2]
    assert rule.text == "" and "w:pBdr" in rule._p.xml
    f = rule.paragraph_format
    width = right.width.cm - 2 * 0.19 - f.left_indent.cm - f.right_indent.cm  # cell margins
    # 'Độc lập - Tự do - Hạnh phúc' set in Liberation Serif Bold 14 pt (Times New Roman's
    # metrics) measures 6,05 cm; the rule was 5,6 cm, fixed whatever the line
    assert abs(width - 6.05) < 0.1
    assert f.space_before >= Pt(3)
    # ô 2's rule too stands clear of the letters above it (in LibreOffice it touched 'PHÒNG')
    left = doc.tables[0].rows[0].cells[0]
    (under,) = [p for p in left.paragraphs if "w:pBdr" in p._p.xml]
    assert under.paragraph_format.space_before >= Pt(3)


def test_the_annex_titled_in_capitals_with_the_six_groups(runner, tmp_path):
    _, doc = draft(runner, tmp_path, *AG, "--sub-units", WORKBOOK, "--sub-units-sheet",
                   "Sở Ban", "--month", "2025-10")
    texts = [p.text for p in doc.paragraphs]
    title = texts[texts.index("Phụ lục") + 1]
    assert title == ("KẾT QUẢ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP CỦA CÁC SỞ, BAN, NGÀNH "
                     "THÁNG 10/2025")
    p = doc.paragraphs[texts.index(title)]
    assert all(r.bold for r in p.runs)
    annex = doc.tables[-1]
    assert [c.text for c in annex.rows[0].cells] == [
        "STT", "Đơn vị", "Công khai (18)", "Tiến độ (20)", "DVC trực tuyến (12)",
        "Thanh toán (10)", "Hài lòng (18)", "Số hóa (22)", "Tổng điểm", "Xếp loại",
        "Hạng", "Thứ tự\n(Cổng DVCQG)"]
    rank = annex.rows[1].cells[-1]
    assert rank._tc.tcPr.find(qn("w:noWrap")) is not None  # a rank never wraps
    assert doc.sections[-1].page_width > doc.sections[-1].page_height  # landscape


def test_a_commune_s_report_is_its_people_s_committee_s(runner, tmp_path):
    _, doc = draft(runner, tmp_path, WORKBOOK, "--sheet", "Xã Phường", "--month", "2025-10",
                   "--unit", "UBND xã Mỹ Hòa Hưng - tỉnh An Giang")
    left, right = header(doc)
    # no parent body: ô 2 on the first line, level with the Quốc hiệu, broken as Decree 30's
    # samples break it
    assert left[0] == "ỦY BAN NHÂN DÂN\nXÃ MỸ HÒA HƯNG"
    assert left[-1] == "Số: ……../BC-UBND"
    assert right[-1] == "Mỹ Hòa Hưng, ngày 05 tháng 11 năm 2025"
    assert signature(doc) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "", "", "", "[Họ và tên]"]


def test_the_office_decides_the_suffix(runner, tmp_path):
    _, doc = draft(runner, tmp_path, WORKBOOK, "--sheet", "Xã Phường", "--month", "2025-10",
                   "--unit", "UBND xã An Minh - tỉnh An Giang", "--office", "UBND xã An Minh")
    left, right = header(doc)
    assert left[-1] == "Số: ……../BC-UBND" and right[-1].startswith("An Minh, ngày 05")
    _, doc = draft(runner, tmp_path / "2", *AG, "--office", "UBND tỉnh An Giang",
                   "--signer", "Nguyễn Văn A")
    left, _ = header(doc)
    assert left[0] == "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG" and left[-1] == "Số: ……../BC-UBND"
    assert signature(doc) == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                              "", "", "", "", "Nguyễn Văn A"]


def test_a_department_s_report_and_its_abbreviation(runner, tmp_path):
    _, doc = draft(runner, tmp_path, WORKBOOK, "--sheet", "Sở Ban", "--month", "2025-10",
                   "--unit", "Sở Tài chính")
    left, right = header(doc)
    assert left[:2] == ["UBND TỈNH AN GIANG", "SỞ TÀI CHÍNH"] and left[-1] == "Số: ……../BC-STC"
    assert right[-1].startswith("An Giang, ngày")
    assert signature(doc)[0] == "GIÁM ĐỐC"
    _, doc = draft(runner, tmp_path / "2", WORKBOOK, "--sheet", "Sở Ban", "--month", "2025-10",
                   "--unit", "Sở Tài chính", "--office-abbr", "stc", "--signer-title",
                   "KT. GIÁM ĐỐC")
    assert header(doc)[0][-1] == "Số: ……../BC-STC"
    assert signature(doc)[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]


@pytest.mark.parametrize("given, lines", [
    (["KT. CHÁNH VĂN PHÒNG"], ("KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG")),
    (["kt. giám đốc"], ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")),
    (["TM. ỦY BAN NHÂN DÂN"], ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")),
    (["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"],
     ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")),
    (["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"],
     ("KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG")),
    (["CHÁNH VĂN PHÒNG"], ("CHÁNH VĂN PHÒNG",)),
])
def test_a_kt_or_tm_title_is_followed_by_its_second_line(given, lines):
    assert signature_lines(given, "CHỦ TỊCH") == lines


def test_the_issuer_of_each_kind():
    province = Unit("H01", "An Giang", Level.PROVINCE, formal="tỉnh An Giang")
    vp = resolve(province, "tỉnh An Giang", IssuerOptions(office="Văn phòng UBND tỉnh An Giang"))
    assert (vp.box1, vp.box2, vp.suffix, vp.name, vp.place) == (
        "UBND TỈNH AN GIANG", "VĂN PHÒNG", "BC-VP", "Văn phòng UBND tỉnh An Giang", "An Giang")
    hue = Unit("H57", "Huế", Level.PROVINCE, formal="thành phố Huế")
    ubnd = resolve(hue, "thành phố Huế", IssuerOptions(kind="ubnd-tinh"))
    assert (ubnd.box1, ubnd.box2, ubnd.place) == ("", "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HUẾ", "Huế")
    special = Unit("H01.99", "Đặc khu Phú Quốc - tỉnh An Giang", Level.COMMUNE, "H01",
                   "UBND đặc khu Phú Quốc")
    assert resolve(special, "tỉnh An Giang", IssuerOptions()).place == "Phú Quốc"
    assert initials("Sở Giáo dục và Đào tạo") == "SGDĐT"


def part(doc, title):
    texts = [p.text for p in doc.paragraphs]
    start = next(i for i, t in enumerate(texts) if t.endswith(title))
    end = next((i for i, t in enumerate(texts[start + 1:], start + 1)
                if t[:3].rstrip(". ") in ("I", "II", "III", "IV", "V", "VI")), len(texts))
    return [p for p in doc.paragraphs[start + 1:end] if p.text.strip()]


def test_part_v_suggests_for_each_weak_group(runner, tmp_path):
    _, doc = draft(runner, tmp_path, *AG)
    said = [p.text for p in part(doc, "NHẬN XÉT, ĐỀ XUẤT")]
    # 8,09/12 = 67,42%, under the 70% of data/findings.toml; 12 − 8,09 = 3,91; the mean of
    # the 34 is 7,93 (+0,16); 10th of 34 in the group: after Số hóa hồ sơ, 23/34 and under the
    # mean (the lower rank first)
    assert ("2. Nhóm chỉ số Dịch vụ công trực tuyến đạt 8,09/12 điểm (67,42% điểm tối đa), cao "
            "hơn bình quân 34 tỉnh, thành phố 0,16 điểm, xếp thứ 10/34 tỉnh, thành phố; còn có "
            "thể tăng thêm 3,91 điểm. Đề nghị các cơ quan, đơn vị đẩy mạnh hướng dẫn người dân, "
            "doanh nghiệp nộp hồ sơ trực tuyến") in " ".join(said)


def test_an_office_s_own_actions_and_a_visible_blank(runner, tmp_path):
    actions = tmp_path / "actions.toml"
    actions.write_text('[groups.CKMB]\nvi = "Đề nghị công khai thêm."\nen = "More."\n', "utf-8")
    _, doc = draft(runner, tmp_path, *AG, "--actions", actions)
    (_, last) = [p for p in part(doc, "NHẬN XÉT, ĐỀ XUẤT") if "[Đề xuất" in p.text]
    assert last.text.startswith("2. Nhóm chỉ số Dịch vụ công trực tuyến đạt 8,09/12 điểm")
    assert last.text.endswith("; còn có thể tăng thêm 3,91 điểm. [Đề xuất: …]")
    assert [r.text for r in last.runs if r.font.highlight_color] == ["[Đề xuất: …]"]


def test_a_bad_actions_file_is_named_and_nothing_is_written(runner, tmp_path):
    from scorecard.cli import cli

    actions = tmp_path / "actions.toml"
    actions.write_text("[groups]\nCKMB = 3\n", "utf-8")
    result = runner.invoke(cli, ["bulletin", *map(str, AG), "--actions", str(actions),
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{actions}: không dùng được tệp đề xuất" in result.output
    assert not (tmp_path / "out").exists()


def test_the_signature_block_is_never_split_over_two_pages(runner, tmp_path):
    _, doc = draft(runner, tmp_path, *AG)
    assert doc.tables[-1].rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_the_signature_block_keeps_with_the_lines_above_it(runner, tmp_path):
    """The foot (Nơi nhận and the signature) is kept on the page of the paragraph before it."""
    _, doc = draft(runner, tmp_path, WORKBOOK, "--sheet", "Xã Phường", "--month", "2025-10",
                   "--unit", "UBND xã Chợ Mới - tỉnh An Giang", "--data-date", "2025-10-16")
    body = doc.element.body
    foot = doc.tables[-1]._tbl
    before = [el for el in body.iterchildren() if el.tag == qn("w:p")
              and el.getparent() is body and body.index(el) < body.index(foot)][-2:]
    assert [el.pPr is not None and el.pPr.keepNext is not None for el in before] == [True, True]
    # the last line of part V, not a blank: Chợ Mới is above the mean and in the top quarter
    # of the 102 in every group (by hand: 19/102 its lowest place), so no group is weak
    assert before[0].xpath("string(.)") == ("Cả 6 nhóm chỉ số đều cao hơn bình quân 102 xã, "
                                            "phường, đặc khu. [Đề xuất: …]")


@pytest.mark.skipif(__import__("shutil").which("soffice") is None,
                    reason="LibreOffice is for eyes here, not a dependency")
def test_a_short_commune_report_never_leaves_the_signature_alone_on_a_page(runner, tmp_path):
    """UBND xã Chợ Mới's report, as LibreOffice lays it out: part V filled page 1 to its
    last line and the signature block stood alone at the top of page 2 (REGISTER §6)."""
    import subprocess

    from pypdf import PdfReader

    path, _ = draft(runner, tmp_path, WORKBOOK, "--sheet", "Xã Phường", "--month", "2025-10",
                    "--unit", "UBND xã Chợ Mới - tỉnh An Giang", "--data-date", "2025-10-16")
    # a profile of its own: a LibreOffice already running (another test, the clerk's) would
    # otherwise take the job and write nothing here
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    pages = [p.extract_text() for p in PdfReader(tmp_path / path.with_suffix(".pdf").name).pages]
    (page,) = [p for p in pages if "Nơi nhận" in p]
    above = page.split("Nơi nhận")[0].split("\n")
    assert any(len(line) > 40 for line in above), above  # body text above it on its page


@pytest.mark.parametrize("unit, office, box2, suffix, head", [
    # the real Sở Ban sheet: an inspectorate is 'THANH TRA TỈNH' with 'TTr' (not 'TTTAG'),
    ("Thanh tra tỉnh An Giang", None, "THANH TRA TỈNH", "BC-TTr", "CHÁNH THANH TRA"),
    # a Ban its initials without the province's ('BQLKKTPQ', not '…TAG'),
    ("Ban Quản lý Khu kinh tế Phú Quốc - tỉnh An Giang", None,
     "BAN QUẢN LÝ KHU KINH TẾ PHÚ QUỐC", "BC-BQLKKTPQ", "TRƯỞNG BAN"),
    ("Sở Giáo dục và Đào tạo - tỉnh An Giang", None, "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "BC-SGDĐT",
     "GIÁM ĐỐC"),
    # and an --office that names its province keeps ô 2 and the number as the Sở's own
    ("Sở Tài chính - tỉnh An Giang", "Sở Tài chính tỉnh An Giang", "SỞ TÀI CHÍNH", "BC-STC",
     "GIÁM ĐỐC"),
])
def test_a_department_that_is_not_a_so_has_its_usual_box_and_abbreviation(
        runner, tmp_path, unit, office, box2, suffix, head):
    _, doc = draft(runner, tmp_path, WORKBOOK, "--sheet", "Sở Ban", "--month", "2025-10",
                   "--unit", unit, *(["--office", office] if office else []))
    left, _ = header(doc)
    assert (left[0], left[1], left[-1]) == ("UBND TỈNH AN GIANG", box2, f"Số: ……../{suffix}")
    assert signature(doc)[0] == head
    assert any(p.text.startswith("Thực hiện") and f", {office or unit.split(' - ')[0]} báo cáo"
               in p.text for p in doc.paragraphs)  # the sentence keeps the full name


def test_part_v_says_each_group_once_with_all_it_stands_at(runner, tmp_path):
    """Part V repeated part I and itself: An Giang's Số hóa hồ sơ in three paragraphs (its
    rank, its gap, its suggestion), Thanh tra's empty groups as 'đạt 0% điểm tối đa'. Now
    one item per group: score, share, gap, rank, points left, and what can be done."""
    _, doc = draft(runner, tmp_path, *AG, "--history", EXAMPLES / "2025-09_tinh-thanh.csv")
    said = [p.text for p in part(doc, "NHẬN XÉT, ĐỀ XUẤT")]
    for group in ("Dịch vụ công trực tuyến", "Số hóa hồ sơ"):
        assert len([s for s in said if group in s]) == 1, said
    assert ("1. Nhóm chỉ số Số hóa hồ sơ đạt 15,86/22 điểm (72,09% điểm tối đa), thấp hơn bình "
            "quân 34 tỉnh, thành phố 0,76 điểm, xếp thứ 23/34 tỉnh, thành phố; còn có thể tăng "
            "thêm 6,14 điểm. Đề nghị các cơ quan, đơn vị tập trung số hóa hồ sơ") in said[-2]
    _, doc = draft(runner, tmp_path / "2", WORKBOOK, "--sheet", "Sở Ban", "--month", "2025-10",
                   "--unit", "Thanh tra tỉnh An Giang")
    said = [p.text for p in part(doc, "NHẬN XÉT, ĐỀ XUẤT")]
    # 0/18 and 0/22 against the means of the 15 departments, 14,43 and 13,15; 15th of 15
    # a real 0 said as a score: 'chưa có điểm' reads as not reported (clerk's review 2, #6)
    assert said[0].startswith("1. Nhóm chỉ số Công khai, minh bạch đạt 0/18 điểm, thấp hơn bình "
                              "quân 15 sở, ban, ngành 14,43 điểm, xếp thứ 15/15 sở, ban, ngành; "
                              "có thể đạt tối đa 18 điểm. Thời gian tới, tập trung rà soát")
    assert said[2].startswith("3. Nhóm chỉ số Số hóa hồ sơ đạt 0/22 điểm,")  # after Tiến độ
    assert not any("đạt 0%" in s or "Đề nghị các cơ quan" in s for s in said)  # its own report


def numbered(said):
    """Part V's items: '1. Nhóm chỉ số Tiến độ, kết quả giải quyết đạt …' -> the group."""
    return [s.split("Nhóm chỉ số ", 1)[1].split(" đạt ")[0]
            for s in said if s[:1].isdigit()]


def test_part_v_advises_on_the_last_placed_groups_not_on_a_second_place(runner, tmp_path):
    """UBND đặc khu Phú Quốc's own report (the Xã Phường sheet, 102 units) was advised on
    Dịch vụ công trực tuyến, where it is 2/102 and above the mean (68%: under 70%, the
    first three by share of the maximum), and left out Mức độ hài lòng, 102/102. By hand
    from the sheet: TDGQ 16,51 (mean 19,58, −3,07, 102/102), MDHL 17,5 (17,99, −0,49,
    102/102), TTTT 5,28 (8,34, −3,06, 101/102), MDSH 17,17 (19,89, −2,72, 101/102), CLGQ
    8,16 (8,03, +0,13, 2/102), CKMB 18/18. Both last places first, then the lower rank and
    the larger gap: Thanh toán (−3,06) before Số hóa (−2,72), the fourth, kept over the
    three because part I's paragraph tells the unit to work on it (most points left, 4,83).
    A test failed before."""
    _, doc = draft(runner, tmp_path, WORKBOOK, "--sheet", "Xã Phường", "--month", "2025-10",
                   "--unit", "H01.201")
    said = [p.text for p in part(doc, "NHẬN XÉT, ĐỀ XUẤT")]
    assert numbered(said) == ["Tiến độ, kết quả giải quyết", "Mức độ hài lòng",
                              "Thanh toán trực tuyến", "Số hóa hồ sơ"]
    assert said[1].startswith(
        "2. Nhóm chỉ số Mức độ hài lòng đạt 17,5/18 điểm (97,22% điểm tối đa), thấp hơn bình "
        "quân 102 xã, phường, đặc khu 0,49 điểm, xếp thứ 102/102 xã, phường, đặc khu; còn có "
        "thể tăng thêm 0,5 điểm. Thời gian tới,")
    assert not any("Dịch vụ công trực tuyến" in s for s in said)


def test_part_v_never_leaves_out_a_group_last_or_under_half(runner, tmp_path):
    """Thanh tra tỉnh (the Sở Ban sheet, 15 units) is 15/15 in five groups; four are under
    50% (CKMB 0, MDSH 0, TDGQ 3,16/20 = 15,8%, CLGQ 4/12 = 33,33%). Three were kept by share
    of the maximum and Dịch vụ công trực tuyến, 4/12 under a mean of 9,07 (−5,07), which its
    own page flags, went unsaid. Now all five, by the gap below the mean: CKMB −14,43, TDGQ
    −13,52, MDSH −13,15, CLGQ −5,07, then MDHL 13,05/18 (72,5%, −4,26), last but over 50%.
    TTTT 10/10 (1/15) is not named. A test failed before."""
    _, doc = draft(runner, tmp_path, WORKBOOK, "--sheet", "Sở Ban", "--month", "2025-10",
                   "--unit", "Thanh tra tỉnh An Giang")
    said = [p.text for p in part(doc, "NHẬN XÉT, ĐỀ XUẤT")]
    assert numbered(said) == ["Công khai, minh bạch", "Tiến độ, kết quả giải quyết",
                              "Số hóa hồ sơ", "Dịch vụ công trực tuyến", "Mức độ hài lòng"]
    assert said[3].startswith(
        "4. Nhóm chỉ số Dịch vụ công trực tuyến đạt 4/12 điểm (33,33% điểm tối đa), thấp hơn "
        "bình quân 15 sở, ban, ngành 5,07 điểm, xếp thứ 15/15 sở, ban, ngành; còn có thể tăng "
        "thêm 8 điểm. Thời gian tới,")


def test_the_group_table_says_its_unit(runner, tmp_path):
    """REGISTER §6 p. 1: the group table had no 'Đơn vị tính: điểm'."""
    _, doc = draft(runner, tmp_path, *AG)
    body = doc.element.body
    table = doc.tables[1]._tbl  # the header's table first
    before = table.getprevious()
    assert before.xpath("string(.)") == "Đơn vị tính: điểm"
    assert before.pPr.jc.get(qn("w:val")) == "right" and before.pPr.keepNext is not None
    assert body.index(before) == body.index(table) - 1
