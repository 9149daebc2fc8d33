"""The clerk's second review of the bulletin (reports/clerk-review-2.md, items 1, 2, 7, 8,
13, 14, 15): the README's example against the store the Quick start fills, the warning
render gives for figures dated after the report, part IV a sentence per unit, the English
part III and V, and the annex's and part III's layout."""

from __future__ import annotations

import re
import shlex

from conftest import EXAMPLES, ROOT, WORKBOOK
from test_bulletin import draft
from test_bulletin_words import paragraphs, part

from scorecard.cli import cli

README = ROOT.joinpath("README.md").read_text("utf-8")


def readme_bulletin() -> list[str]:
    """The arguments of the README's own `scorecard bulletin` example."""
    section = README.split("### `scorecard bulletin DATA --unit U`")[1]
    command = re.findall(r"```sh\n(.*?)```", section, re.S)[0].replace("\\\n", " ")
    words = shlex.split(command)
    assert words[:2] == ["scorecard", "bulletin"]
    return [str(ROOT / w) if (ROOT / w).is_file() else w for w in words[2:]]


def test_the_readme_s_bulletin_compares_with_the_revised_september(runner, tmp_path):
    """The README's example passed --history with September's first figures while the Quick
    start had stored the portal's revision: the bulletin said 'tăng 4,66 điểm … (82,08
    điểm)' where the page said +4,43 against 82,31. By hand: 86,74 − 82,31 = 4,43. Its
    figures are to 16/10/2025 (examples/README.md): the opening says they are provisional."""
    imported = runner.invoke(cli, ["import", *map(str, sorted(EXAMPLES.glob(
        "2025-0*_tinh-thanh*.csv")))])
    assert imported.exit_code == 0, imported.output
    _, doc = draft(runner, tmp_path, *readme_bulletin())
    (first, revised) = part(doc, "I")[:2]
    assert "tăng 4,43 điểm so với tháng 9/2025 (82,31 điểm)" in first
    assert revised == ("Số liệu tháng 9/2025 đã được Cổng điều chỉnh ngày 15/10/2025: từ "
                       "82,08 lên 82,31 điểm.")
    (opening,) = [t for t in paragraphs(doc) if t.startswith("Thực hiện Quyết định")]
    assert "của tỉnh An Giang, theo số liệu tạm tính đến ngày 16/10/2025, như sau:" in opening


def test_bulletin_warns_of_figures_dated_after_the_report_as_render_does(runner, tmp_path):
    """A report dated 20/10 of a file with no data date presented October as final and said
    nothing; render of the same file warned. Now the same note."""
    args = ["bulletin", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--unit", "An Giang",
            "--issued", "2025-10-20", "--out", str(tmp_path)]
    said = runner.invoke(cli, args).output
    assert ("Lưu ý: số liệu ghi đến ngày 31/10/2025, sau ngày lập 20/10/2025; nếu tệp được tải "
            "từ Cổng trong kỳ, hãy cho --data-date là ngày tải") in said
    said = runner.invoke(cli, [*args, "--lang", "en"]).output
    assert "Note: the data are dated 31 October 2025, after the issue date 20 October 2025" \
        in said
    said = runner.invoke(cli, [*args, "--data-date", "2025-10-16"]).output
    assert "Lưu ý" not in said


SUBS = ["--sub-units", WORKBOOK, "--sub-units-sheet", "Sở Ban", "--sub-units-sheet",
        "Xã Phường", "--month", "2025-10"]


def annex_names(doc, no="STT"):
    return [r.cells[1].text for t in doc.tables if t.rows[0].cells[0].text == no
            for r in t.rows[1:]]


def test_part_iv_says_each_unit_in_a_numbered_sentence_of_its_own(runner, tmp_path):
    """Part IV listed ten communes in one sentence of about 230 words joined by ';'. Now a
    lead per level and one numbered sentence per unit, every figure kept (by hand from the
    workbook's Xã Phường sheet: An Minh 73,59, CKMB 4,37 and CLGQ 4,7, the lowest of 102,
    against the means 17,56 and 8,03: 13,19 and 3,33 below; Ô Lâm 89,36)."""
    _, doc = draft(runner, tmp_path, EXAMPLES / "2025-10_tinh-thanh.csv", "--unit", "An Giang",
                   *SUBS)
    watch = part(doc, "II")  # no dossiers: the watch list is part II
    assert watch[0] == "Trong 15 sở, ban, ngành, các đơn vị cần quan tâm:"
    assert watch[1] == ("1. Thanh tra tỉnh đạt 30,21 điểm, xếp loại Yếu. Các nhóm chỉ số Công "
                        "khai, minh bạch và Số hóa hồ sơ đạt 0 điểm.")
    assert watch[4] == "Trong 102 xã, phường, đặc khu, các đơn vị cần quan tâm:"
    assert watch[5] == (
        "1. UBND xã An Minh đạt 73,59 điểm, xếp loại Khá. Thấp nhất ở các nhóm chỉ số Công "
        "khai, minh bạch và Dịch vụ công trực tuyến (cùng xếp thứ 102/102), thấp hơn bình quân "
        "lần lượt 13,19 và 3,33 điểm.")
    assert watch[14].startswith("10. UBND xã Ô Lâm đạt 89,36 điểm")
    assert len(watch) == 2 + 3 + 10
    units = [t for t in watch if t[0].isdigit()]
    # two sentences: where it stands, then why it is listed (a comma between them put the
    # groups' ';' inside the weaker mark: 'xếp loại Trung bình, các nhóm chỉ số Công khai,
    # minh bạch; Dịch vụ công …', clerk's review 3)
    assert all(t.endswith(".") and t[:-1].count(". ") == 2 for t in units)
    assert max(len(t.split()) for t in units) < 50


def test_a_sub_unit_is_named_one_way_in_part_iv_and_the_annex(runner, tmp_path):
    """Part IV said 'Thanh tra tỉnh', the annex 'Thanh tra tỉnh An Giang'. Both now name it
    as the province's own report names its sub-units ('Sở Tài chính', not 'Sở Tài chính -
    tỉnh An Giang'): 'Thanh tra tỉnh'."""
    _, doc = draft(runner, tmp_path, EXAMPLES / "2025-10_tinh-thanh.csv", "--unit", "An Giang",
                   *SUBS)
    names = annex_names(doc)
    watched = [t.split(". ", 1)[1].split(" đạt ")[0] for t in part(doc, "II")
               if t[0].isdigit()]
    assert "Thanh tra tỉnh" in names and "Thanh tra tỉnh An Giang" not in names
    assert set(watched) <= set(names) and len(watched) == 13


AG_EN = [EXAMPLES / "2025-10_tinh-thanh.csv", "--unit", "An Giang", "--dossiers",
         EXAMPLES / "2025-10_ho-so-an-giang.csv", "--month", "2025-10", "--lang", "en"]


def test_the_english_parts_iii_and_v_read_as_english(runner, tmp_path):
    """Part III's sentences began in lower case ('procedures offered fully online: 65.85%,
    …'); part V wrote 'ranked 23/34' where part I writes 'ranked 13th of 34'; the headings
    read '… RESOLVED OCTOBER 2025'. An Giang's Số hóa hồ sơ is 23rd of 34 and its Dịch vụ
    công trực tuyến 10th (the example month's column by hand); 1.213/1.842 = 65,85%."""
    _, doc = draft(runner, tmp_path, *AG_EN)
    texts = paragraphs(doc)
    assert "II. DOSSIERS RECEIVED AND RESOLVED IN OCTOBER\u00a02025" in texts
    assert "III. THE GOVERNMENT'S TARGETS IN OCTOBER\u00a02025" in texts
    targets = part(doc, "III")
    assert targets[0].startswith("Procedures offered fully online: 65.85%, below the target "
                                 "of 80%")
    assert all(t[0].isupper() for t in targets)
    advice = part(doc, "IV")  # no sub-units: the suggestions are part IV
    assert "0.76 points below the mean of the 34 provinces and cities, ranked 23rd of 34; " \
        in advice[0]
    assert ", ranked 10th of 34; " in advice[1]
    assert not any(re.search(r"\d+/34\b", t) for t in advice)


def test_a_part_s_period_never_wraps_apart(runner, tmp_path):
    """Part III's heading broke 'THÁNG' / '10/2025' over two lines in LibreOffice: the
    period's words are joined by no-break spaces."""
    _, doc = draft(runner, tmp_path, *AG_EN[:-2])
    titles = [t for t in paragraphs(doc) if t.startswith(("II. ", "III. "))]
    assert [t.rsplit(" ", 1)[-1] for t in titles] == ["THÁNG\u00a010/2025"] * 2


def annex_grid(doc, no):
    from docx.oxml.ns import qn

    (table, *_) = [t for t in doc.tables if t.rows[0].cells[0].text == no]
    return [int(g.get(qn("w:w"))) / 1440 * 2.54 for g in table._tbl.tblGrid.findall(
        qn("w:gridCol"))], table


def test_an_annex_block_s_heading_keeps_its_header_and_first_rows(runner, tmp_path):
    """Block II's heading, a header row five lines tall ('Thứ tự trong tỉnh (Cổng DVCQG)' in
    a narrow column) and one row stood at the foot of page 4, the other 101 rows on page 5;
    a page break before every block then left half a page empty (clerk's review 3). Now the
    heading, the header and the first five rows are kept together, wherever they fall."""
    _, doc = draft(runner, tmp_path, EXAMPLES / "2025-10_tinh-thanh.csv", "--unit", "An Giang",
                   *SUBS)
    for title, no in (("I. Sở, ban, ngành (15)", 15), ("II. Xã, phường, đặc khu (102)", 102)):
        (heading,) = [p for p in doc.paragraphs if p.text == title]
        assert heading.paragraph_format.keep_with_next
        assert not heading.paragraph_format.page_break_before
        (table,) = [t for t in doc.tables if t.rows[0].cells[0].text == "STT"
                    and len(t.rows) == 1 + no]
        kept = [all(p.paragraph_format.keep_with_next for c in r.cells for p in c.paragraphs)
                for r in table.rows]
        assert kept[:6] == [True] * 6 and not any(kept[6:])  # the header and rows 1-5
    _, table = annex_grid(doc, "STT")
    assert table.rows[0].cells[-1].text == "Thứ tự\n(Cổng DVCQG)"


def test_the_english_annex_s_unit_names_fit_their_column(runner, tmp_path):
    """'Ban Quản lý Khu / kinh tế', 'Thanh tra tỉnh An / Giang' wrapped: the Unit column was
    narrow beside 'Satisfaction' and 'Digitisation'. The longest name, 'Ban Quản lý Khu kinh
    tế Phú Quốc', is 6,03 cm in Times 12 (reportlab's Times-Roman metrics), plus the cell's
    margins of 0,19 cm each side; the group headers are abbreviated as the Vietnamese are."""
    _, doc = draft(runner, tmp_path, EXAMPLES / "2025-10_tinh-thanh.csv", "--unit", "An Giang",
                   *SUBS, "--lang", "en")
    widths, table = annex_grid(doc, "No.")
    assert widths[1] >= 6.03 + 2 * 0.19
    assert [c.text for c in table.rows[0].cells][2:8] == [
        "Discl. (18)", "Progr. (20)", "Online serv. (12)", "Paym. (10)", "Satisf. (18)",
        "Digit. (22)"]


def test_a_history_file_the_store_holds_newer_figures_of_is_said(runner, tmp_path):
    """--history wins over the store; with September's first figures (An Giang 82,08) while
    the store holds the portal's revision of 15/10/2025 (82,31), the bulletin, the page and
    narrate compared with 82,08 without a word (clerk's review 3, #1: 86,74 − 82,08 = 4,66
    against the store's own 4,43). Now each says so once, on the console, with what to do;
    without --history, nothing."""
    db = f"sqlite:///{tmp_path / 'store.sqlite'}"
    months = sorted(EXAMPLES.glob("2025-0*_tinh-thanh*.csv"))
    assert runner.invoke(cli, ["import", *map(str, months), "--db", db]).exit_code == 0
    said = ("2025-09_tinh-thanh.csv: số liệu Tháng 9/2025 trong tệp đã được thay bằng số liệu "
            "ngày 15/10/2025 trong kho (như An Giang: 82,08 → 82,31 điểm; số đơn vị: 1), nhưng "
            "--history được dùng trước kho: thay đổi so với Tháng 9/2025 tính theo số liệu cũ. "
            "Bỏ --history để so sánh theo số liệu mới")
    month = str(EXAMPLES / "2025-10_tinh-thanh.csv")
    for extra, note in (([], False), (["--history", str(EXAMPLES / "2025-09_tinh-thanh.csv")],
                                      True)):
        out = runner.invoke(cli, ["narrate", month, "--unit", "An Giang", "--db", db, *extra])
        assert out.exit_code == 0, out.output
        assert (said in " ".join(out.output.split())) is note
        assert ("tăng 4,66 điểm" if note else "tăng 4,43 điểm") in out.output
    out = runner.invoke(cli, ["bulletin", month, "--unit", "An Giang", "--db", db, "--history",
                              str(EXAMPLES / "2025-09_tinh-thanh.csv"), "--out",
                              str(tmp_path / "b"), "--issued", "2025-11-05"])
    assert out.exit_code == 0 and said in " ".join(out.output.split()), out.output
    out = runner.invoke(cli, ["render", month, "--unit", "An Giang", "--db", db, "--history",
                              str(EXAMPLES / "2025-09_tinh-thanh.csv"), "--out",
                              str(tmp_path / "r"), "--jobs", "1", "--issued", "2025-11-05"])
    assert out.exit_code == 0 and said in " ".join(out.output.split()), out.output


def test_an_english_draft_names_a_sub_unit_as_the_vietnamese_one_does(runner, tmp_path):
    """Clerk's review 3, #6: the Vietnamese draft said 'Thanh tra tỉnh' in part IV and the
    annex, the English one 'Thanh tra tỉnh An Giang' (a unit's name is the data's, in
    Vietnamese in both; only the province the report is about is left out)."""
    texts = {}
    for lang in ("vi", "en"):
        _, doc = draft(runner, tmp_path / lang, EXAMPLES / "2025-10_tinh-thanh.csv", "--unit",
                       "An Giang", *SUBS, "--lang", lang)
        texts[lang] = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        texts[lang] += [p.text for p in doc.paragraphs]
    for lang in ("vi", "en"):
        assert "Thanh tra tỉnh" in texts[lang]  # the annex's cell
        assert not any("Thanh tra tỉnh An Giang" in t for t in texts[lang]), lang
    assert any(t.startswith("1. Thanh tra tỉnh: 30.21 points") for t in texts["en"])
