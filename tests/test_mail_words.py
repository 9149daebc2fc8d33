"""The mail body as the clerk reads it (issue 17, REGISTER §7d): the data date and 'tạm tính'
in the sentence that sends the page, a contact line (--contact), the sender as the subject of
that sentence, and a subject that reaches the reader with every space: on the real An Giang
workbook (its 15 departments and 102 communes) and the example month's 34 provinces."""

from __future__ import annotations

import csv
import re
from email import message_from_bytes, policy

import pytest
from conftest import EXAMPLES, ROOT, WORKBOOK

from scorecard.cli import cli
from scorecard.mail import Delivery, Mailbox, build_message
from scorecard.manifest import read_manifest

SENDER = "bang-diem@angiang.gov.vn"
OFFICE = "Văn phòng UBND tỉnh An Giang"
CONTACT = "Phòng Kiểm soát TTHC, Văn phòng UBND tỉnh, ĐT: 0296 3852 123"


@pytest.fixture(scope="module")
def departments(tmp_path_factory):
    """The real Sở Ban sheet rendered as a province office renders it (snapshot of 16/10)."""
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("render")
    result = CliRunner().invoke(cli, [
        "render", str(WORKBOOK), "--sheet", "Sở Ban", "--month", "2025-10", "--data-date",
        "2025-10-16", "--out", str(out), "--jobs", "1", "--issued", "2025-10-20"])
    assert result.exit_code == 0, result.output
    folder = out / "2025-10"
    with (folder / "recipients.csv").open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["code", "to", "lang"], ["H01.08", "tt@angiang.gov.vn", ""],
                                 ["H01.02", "stc@angiang.gov.vn", "en"]])
    return folder


def dry_run(runner, folder, tmp_path, *extra):
    out = tmp_path / "eml"
    result = runner.invoke(cli, ["mail", str(folder / "manifest.csv"), "--recipients",
                                 str(folder / "recipients.csv"), "--from", SENDER, "--office",
                                 OFFICE, "--dry-run", str(out), *extra])
    return result, {p.name.split("_")[0]: message_from_bytes(p.read_bytes(), policy=policy.default)
                    for p in sorted(out.glob("*.eml"))}


def body(message):
    return message.get_body(("plain",)).get_content()


def test_the_body_says_the_data_date_and_that_the_figures_are_provisional(runner, departments,
                                                                          tmp_path):
    result, sent = dry_run(runner, departments, tmp_path, "--data-date", "16/10/2025")
    assert result.exit_code == 0, result.output
    assert body(sent["H01.08"]).startswith(
        "Kính gửi: Thanh tra tỉnh An Giang.\n\n"
        "Văn phòng UBND tỉnh An Giang gửi kèm theo đây bảng điểm Chỉ số phục vụ người dân, "
        "doanh nghiệp tháng 10/2025 của Thanh tra tỉnh An Giang (số liệu tạm tính đến ngày "
        "16/10/2025).\n\n- Tổng điểm: 30,21/100\n")
    assert "(provisional figures as of 16 October 2025)." in body(sent["H01.02"])
    # an export taken after the period's end is final: its date, without 'tạm tính'
    _, sent = dry_run(runner, departments, tmp_path / "2", "--data-date", "2025-11-05")
    assert "tháng 10/2025 của Thanh tra tỉnh An Giang (số liệu đến ngày 05/11/2025)." in body(
        sent["H01.08"])
    assert "tạm tính" not in body(sent["H01.08"])
    _, sent = dry_run(runner, departments, tmp_path / "3")
    assert "số liệu" not in body(sent["H01.08"])  # not given: no date the mail cannot know


def test_the_data_date_comes_from_the_same_variable_as_render_s(runner, departments, tmp_path):
    out = tmp_path / "eml"
    result = runner.invoke(cli, ["mail", str(departments / "manifest.csv"), "--recipients",
                                 str(departments / "recipients.csv"), "--from", SENDER,
                                 "--dry-run", str(out)], env={"SCORECARD_DATA_DATE": "2025-10-16"})
    assert result.exit_code == 0, result.output
    (vi,) = out.glob("H01.08_*.eml")
    text = body(message_from_bytes(vi.read_bytes(), policy=policy.default))
    assert "Xin gửi kèm theo đây bảng điểm" in text  # no --office: no sender to name
    assert "(số liệu tạm tính đến ngày 16/10/2025)." in text


def test_a_data_date_before_the_period_is_refused_before_anything_is_written(
        runner, departments, tmp_path):
    result, sent = dry_run(runner, departments, tmp_path, "--data-date", "2025-09-30")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "ngày số liệu 2025-09-30 trước khi Tháng 10/2025 bắt đầu" in result.output
    assert sent == {}


def test_the_contact_line_comes_before_the_closing(runner, departments, tmp_path):
    result, sent = dry_run(runner, departments, tmp_path, "--contact", f"  {CONTACT}.  ")
    assert result.exit_code == 0, result.output
    assert body(sent["H01.08"]).endswith(
        "Tệp đính kèm: H01.08_thanh-tra-tinh-an-giang.pdf\n\n"
        f"Mọi thông tin cần trao đổi, đề nghị liên hệ: {CONTACT}.\n\n"
        "Trân trọng./\n\n"
        "Thư này được gửi tự động từ hệ thống tổng hợp bảng điểm; vui lòng không trả lời thư "
        "này, xin liên hệ theo thông tin trên.\n")
    assert f"For any question, please contact: {CONTACT}.\n\nKind regards,\n{OFFICE}\n" in body(
        sent["H01.02"])
    bad, sent = dry_run(runner, departments, tmp_path / "2", "--contact", "ĐT:\x0b0296")
    assert bad.exit_code == 2 and sent == {}


def test_an_english_message_gives_the_english_contact_line(runner, departments, tmp_path):
    """The clerk's review: an English message printed the Vietnamese --contact ('Phòng Kiểm
    soát TTHC …') under 'For any question, please contact:'. --contact-en is said in English
    messages, --contact in Vietnamese ones; without it, --contact in both, as before; a
    control character in it is refused (exit 2), nothing written."""
    contact_en = "Administrative Procedures Control Division, tel. +84 296 3852 123"
    result, sent = dry_run(runner, departments, tmp_path, "--contact", CONTACT,
                           "--contact-en", contact_en)
    assert result.exit_code == 0, result.output
    assert f"For any question, please contact: {contact_en}.\n" in body(sent["H01.02"])
    assert CONTACT not in body(sent["H01.02"])
    assert f"Mọi thông tin cần trao đổi, đề nghị liên hệ: {CONTACT}.\n" in body(sent["H01.08"])
    assert contact_en not in body(sent["H01.08"])
    bad, sent = dry_run(runner, departments, tmp_path / "2", "--contact-en", "tel.\x0b0296")
    assert bad.exit_code == 2 and sent == {}


def test_no_contact_no_contact_line(runner, departments, tmp_path):
    _, sent = dry_run(runner, departments, tmp_path)
    assert "liên hệ" not in body(sent["H01.08"])
    assert body(sent["H01.08"]).endswith("vui lòng không trả lời thư này.\n")


def subjects_of(folder, lang):
    for row in read_manifest(folder / "manifest.csv"):
        if row.kind == "unit":
            d = Delivery(row, lang, (Mailbox("vp@angiang.gov.vn"),), ())
            m = build_message(d, b"%PDF-", SENDER, office=OFFICE)
            raw = bytes(m)
            yield str(m["Subject"]), raw, message_from_bytes(raw, policy=policy.default)


@pytest.fixture(scope="module")
def everyone(tmp_path_factory):
    """Every unit of the real workbook's two sub-unit sheets and the example month."""
    from click.testing import CliRunner

    folders = []
    for args in (["--sheet", "Sở Ban"], ["--sheet", "Xã Phường"], []):
        out = tmp_path_factory.mktemp("all")
        data = WORKBOOK if args else EXAMPLES / "2025-10_tinh-thanh.csv"
        result = CliRunner().invoke(cli, ["render", str(data), *args, "--month", "2025-10",
                                          "--out", str(out), "--issued", "2025-10-20"])
        assert result.exit_code == 0, result.output
        folders.append(out / "2025-10")
    return folders


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_subject_reaches_the_reader_with_its_spaces(everyone, lang):
    """Python folded 'tháng 10/2025 – Ban Quản lý Khu kinh tế' between two encoded words and
    the reader got 'BanQuản lý': read back from the bytes, each subject is the one written,
    every encoded word at most 75 characters and every line at most 78."""
    n = 0
    for folder in everyone:
        for written, raw, read in subjects_of(folder, lang):
            n += 1
            assert read["Subject"] == written and "  " not in written
            assert " - " not in written  # one dash, not the portal's 'Sở Nội vụ - tỉnh An Giang'
            head = raw.split(b"\n\n")[0].decode("ascii")
            lines = head[head.index("Subject:"):].split("\n")
            subject = [lines[0], *[x for x in lines[1:] if x[:1] == " "]]
            assert all(len(x) <= 78 for x in subject), subject
            assert all(len(w) <= 75 for x in subject for w in x.split() if w.startswith("=?"))
            assert read["From"].addresses[0].display_name == OFFICE
    assert n == 34 + 15 + 102


def test_a_province_s_letter_greets_its_people_s_committee(everyone):
    """'Kính gửi: tỉnh Bắc Ninh.' addressed a territory: a letter greets a body."""
    rows = {r.code: r for r in read_manifest(everyone[2] / "manifest.csv")}
    for code, body_name, place in (("H57", "UBND thành phố Huế", "thành phố Huế"),
                                   ("H05", "UBND tỉnh Bắc Ninh", "tỉnh Bắc Ninh")):
        d = Delivery(rows[code], "vi", (Mailbox("vp@x.gov.vn"),), ())
        text = body(build_message(d, b"%PDF-", SENDER, office=OFFICE))
        assert text.startswith(f"Kính gửi: {body_name}.\n\nVăn phòng UBND tỉnh An Giang gửi kèm "
                               "theo đây bảng điểm Chỉ số phục vụ người dân, doanh nghiệp tháng "
                               f"10/2025 của {place}.\n")


def test_an_update_says_so_in_its_subject(everyone):
    """A replacement is told in the body; the inbox shows the subject: it says so too."""
    row = next(r for r in read_manifest(everyone[2] / "manifest.csv") if r.code == "H01")
    d = Delivery(row, "vi", (Mailbox("vp@x.gov.vn"),), ())
    assert build_message(d, b"%PDF-", SENDER, update=True)["Subject"] == (
        "Bảng điểm Chỉ số phục vụ người dân, doanh nghiệp tháng 10/2025 – tỉnh An Giang "
        "(bản cập nhật)")
    assert build_message(d, b"%PDF-", SENDER)["Subject"].endswith("– tỉnh An Giang")


def page_title(pdf):
    """The unit as its page's title names it: the line under 'BẢNG ĐIỂM …'."""
    from pdfcheck import pdf_text

    lines = [x.strip() for x in pdf_text(pdf).splitlines()]
    return lines[next(i for i, x in enumerate(lines) if x.startswith("BẢNG ĐIỂM")) + 1]


@pytest.mark.parametrize("code, title", [
    ("H01.188", "UBND xã An Minh, tỉnh An Giang"),
    ("H01.104", "UBND xã Mỹ Hòa Hưng, tỉnh An Giang"),
    ("H01.02", "Sở Tài chính tỉnh An Giang"),
    ("H01.08", "Thanh tra tỉnh An Giang")])
def test_the_mail_names_a_sub_unit_as_its_page_s_title_does(everyone, code, title):
    """'Kính gửi: UBND xã An Minh tỉnh An Giang.' lost the comma of the page it attached
    ('UBND xã An Minh, tỉnh An Giang'); a department has none ('Sở Tài chính tỉnh An Giang')."""
    rows = {r.code: (folder, r) for folder in everyone[:2]
            for r in read_manifest(folder / "manifest.csv")}
    folder, row = rows[code]
    assert page_title(folder / row.file) == title
    vi = build_message(Delivery(row, "vi", (Mailbox("vp@x.gov.vn"),), ()), b"%PDF-", SENDER,
                       office=OFFICE)
    assert body(vi).startswith(f"Kính gửi: {title}.\n\nVăn phòng UBND tỉnh An Giang gửi kèm "
                               "theo đây bảng điểm Chỉ số phục vụ người dân, doanh nghiệp "
                               f"tháng 10/2025 của {title}.\n")
    assert vi["Subject"] == ("Bảng điểm Chỉ số phục vụ người dân, doanh nghiệp tháng 10/2025 "
                             f"– {title}")
    en = build_message(Delivery(row, "en", (Mailbox("vp@x.gov.vn"),), ()), b"%PDF-", SENDER)
    assert f"scorecard (Decision 766/QĐ-TTg) of {title} for October 2025.\n" in body(en)
    assert en["Subject"] == f"Public service index scorecard, October 2025 – {title}"
    for m in (vi, en):  # and the subject, RFC 2047-encoded, reads back the same
        assert message_from_bytes(bytes(m), policy=policy.default)["Subject"] == m["Subject"]


OFFICE_EN = "Office of the An Giang Provincial People's Committee"


def test_an_english_message_is_signed_and_sent_by_the_office_s_english_name(runner, departments,
                                                                             tmp_path):
    """'Kind regards,\\nVăn phòng UBND tỉnh An Giang' under an English page that says 'OFFICE
    OF THE AN GIANG PROVINCIAL PEOPLE'S COMMITTEE': --office-en, as render's, in English."""
    result, sent = dry_run(runner, departments, tmp_path, "--office-en", OFFICE_EN)
    assert result.exit_code == 0, result.output
    en, vi = sent["H01.02"], sent["H01.08"]
    assert body(en).endswith(f"Kind regards,\n{OFFICE_EN}\n\nThis message was sent "
                             "automatically by the scorecard system; please do not reply to it.\n")
    assert en["From"] == f"{OFFICE_EN} <{SENDER}>"
    assert en["From"].addresses[0].display_name == OFFICE_EN
    assert vi["From"].addresses[0].display_name == OFFICE  # Vietnamese messages keep --office
    assert body(vi).startswith("Kính gửi: Thanh tra tỉnh An Giang.\n\nVăn phòng UBND tỉnh An "
                               "Giang gửi kèm")
    assert OFFICE_EN not in body(vi)
    # from the environment, as the other options
    out = tmp_path / "env"
    result = runner.invoke(cli, ["mail", str(departments / "manifest.csv"), "--recipients",
                                 str(departments / "recipients.csv"), "--from", SENDER,
                                 "--dry-run", str(out)],
                           env={"SCORECARD_OFFICE": OFFICE, "SCORECARD_OFFICE_EN": OFFICE_EN})
    assert result.exit_code == 0, result.output
    (en_file,) = out.glob("H01.02_*.eml")
    read = message_from_bytes(en_file.read_bytes(), policy=policy.default)
    assert read["From"].addresses[0].display_name == OFFICE_EN
    # without it, as before: the one name in both languages
    _, sent = dry_run(runner, departments, tmp_path / "none")
    assert sent["H01.02"]["From"].addresses[0].display_name == OFFICE
    assert body(sent["H01.02"]).endswith(f"Kind regards,\n{OFFICE}\n\nThis message was sent "
                                         "automatically by the scorecard system; please do not "
                                         "reply to it.\n")


@pytest.mark.parametrize("value", ["Office\x0bof the Committee", "Office\r\nBcc: x@evil.example",
                                   "Office\x07"])
@pytest.mark.parametrize("where", ["option", "environment"])
def test_a_control_character_in_office_en_is_refused_and_nothing_written(runner, departments,
                                                                        tmp_path, value, where):
    out = tmp_path / "eml"
    args = ["mail", str(departments / "manifest.csv"), "--recipients",
            str(departments / "recipients.csv"), "--from", SENDER, "--dry-run", str(out)]
    if where == "option":
        result = runner.invoke(cli, [*args, "--office-en", value])
    else:
        result = runner.invoke(cli, args, env={"SCORECARD_OFFICE_EN": value})
    assert result.exit_code == 2, result.output
    assert "Lỗi: Giá trị không hợp lệ cho '--office-en': có ký tự điều khiển \\" in (
        result.output)
    assert not out.exists()


def test_office_en_cannot_add_a_header_when_called_as_a_library(departments):
    """The CLI refuses a control character; build_message, called directly, keeps the name on
    one line of the From header whatever it holds."""
    row = next(r for r in read_manifest(departments / "manifest.csv") if r.code == "H01.02")
    d = Delivery(row, "en", (Mailbox("stc@angiang.gov.vn"),), ())
    m = build_message(d, b"%PDF-", SENDER, office=OFFICE,
                      office_en="Office\r\nBcc: x@evil.example\r\n\r\nhi")
    raw = bytes(m)
    read = message_from_bytes(raw, policy=policy.default)
    assert read["Bcc"] is None and b"\nBcc:" not in raw
    assert read["From"].addresses[0].display_name == "Office Bcc: x@evil.example hi"
    assert read["From"].addresses[0].addr_spec == SENDER
    assert body(read).endswith("Kind regards,\nOffice Bcc: x@evil.example hi\n\nThis message "
                               "was sent automatically by the scorecard system; please do not "
                               "reply to it.\n")


def test_the_notes_name_units_as_their_pages_do(runner, everyone, tmp_path):
    """Clerk's review 2, #16: the notes said the portal's 'UBND Xã Nhơn Hội - tỉnh An Giang'
    where the page and the mail say 'UBND xã Nhơn Hội, tỉnh An Giang'. (The units are
    chosen as a clerk types them.)"""
    folder = everyone[1]
    recipients = tmp_path / "nguoi-nhan.csv"
    recipients.write_text("code,to\nH01.188,anminh@angiang.gov.vn\n", "utf-8")
    result = runner.invoke(cli, [
        "mail", str(folder / "manifest.csv"), "--recipients", str(recipients), "--from", SENDER,
        "--dry-run", str(tmp_path / "eml"), "--data-date", "2025-10-16",
        "--unit", "An Minh", "--unit", "Nhơn Hội", "--unit", "Kiên Hải"])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("Lưu ý")]
    assert notes == [
        "Lưu ý: H01.109 UBND xã Nhơn Hội, tỉnh An Giang: không có người nhận trong tệp người "
        "nhận; PDF của đơn vị này không được gửi",
        "Lưu ý: H01.200 UBND đặc khu Kiên Hải, tỉnh An Giang: không có người nhận trong tệp "
        "người nhận; PDF của đơn vị này không được gửi"]


@pytest.mark.parametrize(("lang", "note"), [
    ("vi", "Lưu ý: không có --data-date nên thư không ghi ngày của số liệu, kể cả khi trang "
           "gửi kèm ghi 'số liệu tạm tính đến ngày …'; hãy cho --data-date (hoặc "
           "SCORECARD_DATA_DATE) như khi render"),
    ("en", "Note: without --data-date the messages do not say the figures' date, even where "
           "the attached page says they are provisional ('provisional figures as of …'); give "
           "--data-date (or SCORECARD_DATA_DATE) as render was given it")])
def test_a_run_without_the_data_date_says_what_its_messages_leave_out(runner, everyone, tmp_path,
                                                                    lang, note):
    """Clerk's review 2, #12: render took 16/10/2025 from the workbook's name and An Minh's
    page says 'số liệu tạm tính đến ngày 16/10/2025'; the manifest (SPEC §4's columns) does
    not carry it, so a mail run without --data-date sent 'tháng 10/2025 của UBND xã An Minh,
    tỉnh An Giang.' and said nothing."""
    folder = everyone[1]
    recipients = tmp_path / "nguoi-nhan.csv"
    recipients.write_text("code,to\nH01.188,anminh@angiang.gov.vn\n", "utf-8")
    args = ["mail", str(folder / "manifest.csv"), "--recipients", str(recipients), "--from",
            SENDER, "--unit", "H01.188", "--lang", lang]
    result = runner.invoke(cli, [*args, "--dry-run", str(tmp_path / "1")])
    assert result.exit_code == 0, result.output
    assert note in result.output.splitlines()
    (eml,) = (tmp_path / "1").glob("*.eml")
    assert "16/10/2025" not in body(message_from_bytes(eml.read_bytes(), policy=policy.default))
    dated = runner.invoke(cli, [*args, "--dry-run", str(tmp_path / "2"), "--data-date",
                                "2025-10-16"])
    assert dated.exit_code == 0, dated.output
    assert "--data-date" not in dated.output


def test_the_readme_mails_with_the_data_date_its_render_was_given():
    """The Quick start renders the example month '--data-date 2025-10-16' (its pages say
    'tạm tính'); the README's mail commands for that folder gave none (review 2, #12)."""
    readme = ROOT.joinpath("README.md").read_text("utf-8")
    (given,) = set(re.findall(r"scorecard render examples/2025-10_tinh-thanh\.csv --data-date "
                              r"(\S+)", readme))
    mails = [b for b in re.findall(r"```sh\n(.*?)```", readme, re.S)
             if "scorecard mail out/2025-10/manifest.csv" in b]
    assert len(mails) == 2
    for b in mails:
        assert f"--data-date {given}" in b, b
