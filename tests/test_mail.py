"""Mail against a real SMTP server: exactly once per recipient, through faults and reruns."""

from __future__ import annotations

import csv
import sqlite3
from contextlib import closing
from email import message_from_bytes, policy

import pytest
from conftest import EXAMPLES
from smtpserver import SMTPServer

from scorecard.cli import cli
from scorecard.mail import Delivery, Mailbox, build_message, message_id
from scorecard.manifest import read_manifest

SENDER = "bang-diem@tinh.gov.vn"
RECIPIENTS = [
    ["code", "to", "cc", "lang"],
    ["H05", "vp@bacninh.gov.vn", "a@bacninh.gov.vn; b@bacninh.gov.vn", ""],
    ["H01", "vp@angiang.gov.vn", "refuse@angiang.gov.vn", "en"],
    ["Hải Phòng", "vp@haiphong.gov.vn", "", ""],
]


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """A manifest of three real units (rendered once for the module)."""
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("render")
    result = CliRunner().invoke(cli, [
        "render", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--out", str(out), "--jobs", "1",
        "--issued", "2025-10-20", "--unit", "H05", "--unit", "H01", "--unit", "H24"])
    assert result.exit_code == 0, result.output
    return out / "2025-10"


@pytest.fixture
def work(tmp_path, month):
    """A private copy of the month, so each test has its own ledger."""
    import shutil

    folder = tmp_path / "2025-10"
    shutil.copytree(month, folder)
    rcpt = tmp_path / "recipients.csv"
    with rcpt.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(RECIPIENTS)
    return folder, rcpt


def mail(runner, folder, rcpt, port, *extra, **invoke):
    return runner.invoke(cli, ["mail", str(folder / "manifest.csv"), "--recipients", str(rcpt),
                               "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--from",
                               SENDER, "--backoff", "0", *map(str, extra)], **invoke)


def expected(folder):
    """(recipient, file) -> the manifest's bytes, for every recipient of every unit."""
    files = {r.code: r.file for r in read_manifest(folder / "manifest.csv")}
    out = {}
    for code, to, cc in (("H05", "vp@bacninh.gov.vn", "a@bacninh.gov.vn;b@bacninh.gov.vn"),
                         ("H01", "vp@angiang.gov.vn", "refuse@angiang.gov.vn"),
                         ("H24", "vp@haiphong.gov.vn", "")):
        for r in [to, *filter(None, cc.split(";"))]:
            out[(r, files[code])] = (folder / files[code]).read_bytes()
    return out


def test_faults_then_reruns_deliver_each_pdf_exactly_once(runner, work):
    folder, rcpt = work
    rows = {r.code: r for r in read_manifest(folder / "manifest.csv")}
    with SMTPServer() as server:
        faults = server.handler.faults
        faults.refuse.add("refuse@angiang.gov.vn")  # 550 for one recipient
        faults.defer_once.add(message_id(rows["H05"], "vi", SENDER))  # 451 at DATA, once
        faults.drop_at_rcpt_once.add("vp@haiphong.gov.vn")  # line dropped before DATA, once
        first = mail(runner, folder, rcpt, server.port)
        assert first.exit_code == 3, first.output
        assert "refuse@angiang.gov.vn: 550 5.1.1" in first.output
        assert "Đã gửi: 5 · đã có từ trước: 0 · lỗi: 1 · tạm hoãn: 0 · chưa rõ: 0" in first.output

        faults.refuse.clear()  # the mailbox is fixed; the server is healthy from now on
        second = mail(runner, folder, rcpt, server.port, "--retry-refused")
        assert second.exit_code == 0, second.output
        assert "Đã gửi: 1 · đã có từ trước: 5 · lỗi: 0" in second.output
        third = mail(runner, folder, rcpt, server.port)
        assert third.exit_code == 0, third.output
        assert "Đã gửi: 0 · đã có từ trước: 6 · lỗi: 0" in third.output

        copies = server.handler.copies()
    want = expected(folder)
    assert set(copies) == set(want)
    for key, data in want.items():
        assert copies[key] == [data], key  # exactly once, with the manifest's bytes


def test_ledger_records_every_recipient_and_status_prints_it(runner, work):
    folder, rcpt = work
    with SMTPServer() as server:
        server.handler.faults.refuse.add("refuse@angiang.gov.vn")
        assert mail(runner, folder, rcpt, server.port).exit_code == 3
    with closing(sqlite3.connect(folder / "mail-ledger.sqlite")) as db:
        rows = db.execute("SELECT unit, recipient, status, reply FROM deliveries ORDER BY 1, 2")
        got = {(u, r): (s, reply) for u, r, s, reply in rows}
    assert got[("H01", "refuse@angiang.gov.vn")][0] == "failed"
    assert got[("H01", "refuse@angiang.gov.vn")][1].startswith("550 5.1.1")
    assert got[("H05", "b@bacninh.gov.vn")][0] == "sent"
    assert got[("H05", "b@bacninh.gov.vn")][1].startswith("250 2.0.0 queued")
    assert len(got) == 6
    status = runner.invoke(cli, ["mail", str(folder / "manifest.csv"), "--status"])
    assert status.exit_code == 0
    line = next(ln for ln in status.output.splitlines() if "refuse@angiang.gov.vn" in ln)
    assert "  lỗi  " in line  # the status, in the run's language


def test_a_changed_pdf_is_refused_not_sent(runner, work):
    folder, rcpt = work
    pdf = folder / "H05_bac-ninh.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% edited by hand\n")
    with SMTPServer() as server:
        result = mail(runner, folder, rcpt, server.port)
        received = server.handler.copies()
    assert result.exit_code == 3
    assert "H05_bac-ninh.pdf đã thay đổi sau khi manifest được ghi" in result.output
    assert not any(f == "H05_bac-ninh.pdf" for _, f in received)
    assert ("vp@haiphong.gov.vn", "H24_hai-phong.pdf") in received


def test_resend_forces_a_second_copy(runner, work):
    folder, rcpt = work
    with SMTPServer() as server:
        assert mail(runner, folder, rcpt, server.port, "--unit", "H24").exit_code == 0
        assert mail(runner, folder, rcpt, server.port, "--unit", "H24").exit_code == 0
        assert mail(runner, folder, rcpt, server.port, "--unit", "H24", "--resend").exit_code == 0
        copies = server.handler.copies()
    assert len(copies[("vp@haiphong.gov.vn", "H24_hai-phong.pdf")]) == 2


@pytest.mark.parametrize(
    "row, message",
    [
        (["H05", "not-an-address", "", ""],
         "cột 'to': 'not-an-address' không phải là địa chỉ thư điện tử"),
        (["H05", "vp@bacninh.gov.vn\r\nBcc: x@evil.example", "", ""],
         "cột 'to': địa chỉ có ký tự xuống dòng"),
        (["H05", "vp@bacninh.gov.vn", "a@b.vn;bad@", ""],
         "cột 'cc': 'bad@' không phải là địa chỉ thư điện tử"),
        (["H05", "vp@bacninh.gov.vn", "", "fr"], "cột 'lang': ngôn ngữ 'fr' không thuộc vi, en"),
    ],
)
def test_bad_recipients_stop_everything_before_sending(runner, work, row, message):
    folder, rcpt = work
    with rcpt.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([RECIPIENTS[0], RECIPIENTS[3], row])
    with SMTPServer() as server:
        result = mail(runner, folder, rcpt, server.port)
        assert server.handler.received == []
    assert result.exit_code == 1
    assert f"Lỗi: Có 1 lỗi:\n  - {rcpt}, dòng 3, {message}" in result.output
    assert not (folder / "mail-ledger.sqlite").exists()


def test_unmatched_rows_and_units_are_reported(runner, work):
    folder, rcpt = work
    with rcpt.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f).writerow(["H99", "x@y.vn", "", ""])
    result = mail(runner, folder, rcpt, 1, "--dry-run", folder.parent / "eml")
    assert "Lưu ý: tệp người nhận, dòng 5: không có đơn vị 'H99' trong dữ liệu" in result.output
    rcpt.write_text("code,to\nH05,vp@bacninh.gov.vn\n", encoding="utf-8")
    result = mail(runner, folder, rcpt, 1, "--dry-run", folder.parent / "eml")
    assert "H01 An Giang: không có người nhận trong tệp người nhận" in result.output


def test_dry_run_writes_eml_and_touches_neither_network_nor_ledger(runner, work):
    folder, rcpt = work
    out = folder.parent / "eml"
    result = mail(runner, folder, rcpt, 1, "--dry-run", out)  # port 1: nothing listens
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "H01_an-giang.en.eml", "H05_bac-ninh.vi.eml", "H24_hai-phong.vi.eml"]
    assert not (folder / "mail-ledger.sqlite").exists()
    msg = message_from_bytes((out / "H01_an-giang.en.eml").read_bytes(), policy=policy.default)
    assert msg["Subject"] == "Public service index scorecard, October 2025 – An Giang"
    assert "Total: 86.74/100" in msg.get_body(("plain",)).get_content()
    assert "Rating: Good" in msg.get_body(("plain",)).get_content()


def test_the_index_is_read_once_per_run_not_once_per_message(runner, work, monkeypatch):
    import scorecard.deliver
    from scorecard.index import load_index

    reads = []
    monkeypatch.setattr(scorecard.deliver, "load_index",
                        lambda path=None: reads.append(path) or load_index(path))
    folder, rcpt = work
    result = mail(runner, folder, rcpt, 1, "--dry-run", folder.parent / "eml")
    assert result.exit_code == 0, result.output
    assert len(list((folder.parent / "eml").iterdir())) == 3
    assert reads == [None]


@pytest.mark.parametrize(("of", "said"), [
    ("117", "Xếp hạng: thứ 37 trong 117 cơ quan, đơn vị của tỉnh (theo Cổng DVCQG)"),
    ("", "Xếp hạng: thứ 37 trong tỉnh (theo Cổng DVCQG)")])
def test_a_sub_unit_s_published_rank_says_what_it_is_in_the_mail(month, of, said):
    row = next(r for r in read_manifest(month / "manifest.csv") if r.code == "H05")
    from dataclasses import replace

    d = Delivery(replace(row, rank="37", rank_of=of, rank_scope="province"), "vi",
                 (Mailbox("vp@bacninh.gov.vn"),), ())
    body = build_message(d, b"%PDF", SENDER).get_body(("plain",)).get_content()
    assert said in body and "toàn quốc" not in body


def test_build_message_is_deterministic_and_carries_the_pdf(month):
    row = next(r for r in read_manifest(month / "manifest.csv") if r.code == "H05")
    pdf = (month / row.file).read_bytes()
    d = Delivery(row, "vi", (Mailbox("vp@bacninh.gov.vn"),), (Mailbox("a@bacninh.gov.vn"),))
    a, b = build_message(d, pdf, SENDER), build_message(d, pdf, SENDER)
    assert a["Message-ID"] == b["Message-ID"] == (
        f"<scorecard.2025-10.H05.vi.{row.content_sha256[:20]}@tinh.gov.vn>")
    # lower-case 'tháng' mid-sentence, the province as a letter names it (issue 17)
    assert a["Subject"] == ("Bảng điểm Chỉ số phục vụ người dân, doanh nghiệp tháng 10/2025 – "
                            "tỉnh Bắc Ninh")
    assert a["To"] == "vp@bacninh.gov.vn" and a["Cc"] == "a@bacninh.gov.vn"
    body = a.get_body(("plain",)).get_content()
    assert "Tổng điểm: 91,52/100" in body and "Xếp hạng: 1/34" in body
    (att,) = list(a.iter_attachments())
    assert att.get_filename() == "H05_bac-ninh.pdf"
    assert att.get_payload(decode=True) == pdf


def test_the_password_comes_only_from_the_environment_and_is_never_shown(runner, work):
    folder, rcpt = work
    help_text = runner.invoke(cli, ["mail", "--help"]).output
    assert "--smtp-password" not in help_text
    with SMTPServer() as server:  # a server without AUTH: the login cannot happen
        result = runner.invoke(cli, [
            "mail", str(folder / "manifest.csv"), "--recipients", str(rcpt), "--smtp-host",
            "127.0.0.1", "--smtp-port", str(server.port), "--from", SENDER, "--smtp-user",
            "clerk", "--allow-plain-auth"], env={"SCORECARD_SMTP_PASSWORD": "s3cret-pass"})
    assert result.exit_code == 1
    assert "Lỗi: máy chủ SMTP 127.0.0.1 không cho đăng nhập (AUTH)" in result.output
    assert "s3cret-pass" not in result.output


def test_options_come_from_the_environment(runner, work):
    folder, rcpt = work
    out = folder.parent / "eml"
    result = runner.invoke(cli, ["mail", str(folder / "manifest.csv")], env={
        "SCORECARD_RECIPIENTS": str(rcpt), "SCORECARD_FROM": SENDER,
        "SCORECARD_DRY_RUN": str(out), "SCORECARD_UNIT": "H05"})
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["H05_bac-ninh.vi.eml"]


def test_a_4xx_for_one_recipient_is_retried_for_that_recipient_only(runner, work):
    folder, rcpt = work
    with SMTPServer() as server:
        server.handler.faults.busy_once.add("b@bacninh.gov.vn")
        result = mail(runner, folder, rcpt, server.port, "--unit", "H05")
        copies = server.handler.copies()
    assert result.exit_code == 0, result.output
    for r in ("vp@bacninh.gov.vn", "a@bacninh.gov.vn", "b@bacninh.gov.vn"):
        assert len(copies[(r, "H05_bac-ninh.pdf")]) == 1


def test_a_server_that_never_answers_times_out_and_is_recorded(runner, work):
    import socket

    folder, rcpt = work
    with socket.socket() as silent:  # accepts connections into its backlog, never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        result = mail(runner, folder, rcpt, port, "--unit", "H24", "--timeout", "0.3",
                      "--retries", "1")
    assert result.exit_code == 3
    assert "vp@haiphong.gov.vn: dừng sau 2 lần thử" in result.output
    assert "Lưu ý" not in result.output  # the other units' recipients are not this run's
    with closing(sqlite3.connect(folder / "mail-ledger.sqlite")) as db:
        # a timeout is deferred (the next run tries again); every SMTP attempt is counted
        assert db.execute("SELECT status, attempts FROM deliveries").fetchall() == [
            ("deferred", 2)]


def test_an_interrupted_send_is_completed_by_the_rerun_with_the_same_message_id(runner, work):
    """A crash between 'sending' and 'delivered' leaves the row 'sending': the rerun sends it,
    under the same Message-ID, so a mail client that did get it files the two as one."""
    from scorecard.ledger import SENDING, Ledger

    folder, rcpt = work
    row = next(r for r in read_manifest(folder / "manifest.csv") if r.code == "H24")
    mid = message_id(row, "vi", SENDER)
    with Ledger(folder / "mail-ledger.sqlite") as ledger:
        ledger.mark(row.month, row.code, ["vp@haiphong.gov.vn"], row.sha256, SENDING, mid)
    with SMTPServer() as server:
        result = mail(runner, folder, rcpt, server.port, "--unit", "H24")
        (rcpts, msg), = server.handler.received
    assert result.exit_code == 0
    assert rcpts == ("vp@haiphong.gov.vn",) and msg["Message-ID"] == mid


def test_a_rerender_with_only_a_new_issue_date_mails_nobody_again(runner, work, month):
    folder, rcpt = work
    with SMTPServer() as server:
        assert mail(runner, folder, rcpt, server.port, "--unit", "H24").exit_code == 0
        rerender = runner.invoke(cli, [
            "render", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--out", str(folder.parent),
            "--jobs", "1", "--issued", "2025-10-21", "--unit", "H24"])
        assert rerender.exit_code == 0, rerender.output
        result = mail(runner, folder, rcpt, server.port, "--unit", "H24")
        copies = server.handler.copies()
    assert result.exit_code == 0
    assert "Đã gửi: 0 · đã có từ trước: 1" in result.output
    assert len(copies[("vp@haiphong.gov.vn", "H24_hai-phong.pdf")]) == 1


def test_new_figures_are_sent_again_and_said_to_be_an_update(runner, work, month):
    folder, rcpt = work
    with SMTPServer() as server:
        assert mail(runner, folder, rcpt, server.port, "--unit", "H24").exit_code == 0
        rerender = runner.invoke(cli, [  # the portal revised the month: a new data date
            "render", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--out", str(folder.parent),
            "--jobs", "1", "--issued", "2025-10-20", "--data-date", "2025-10-25", "--unit",
            "H24"])
        assert rerender.exit_code == 0, rerender.output
        result = mail(runner, folder, rcpt, server.port, "--unit", "H24")
        received = server.handler.received
    assert result.exit_code == 0
    assert ("vp@haiphong.gov.vn đã nhận một bản trước của bảng điểm này; bản có nội dung mới "
            "được gửi") in result.output
    assert len(received) == 2
    assert "bản này thay cho bản đã gửi trước đó" in received[1][1].get_body(
        ("plain",)).get_content()


def test_a_second_run_at_the_same_time_is_refused(runner, work):
    from scorecard.ledger import Ledger

    folder, rcpt = work
    running = Ledger(folder / "mail-ledger.sqlite", exclusive=True)  # cron's run, still sending
    try:
        with SMTPServer() as server:
            result = mail(runner, folder, rcpt, server.port)
            assert server.handler.received == []
    finally:
        running.close()
    assert result.exit_code == 1
    assert "Lỗi: một lần gửi khác đang dùng sổ gửi thư" in result.output
