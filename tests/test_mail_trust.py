"""Mail an office can trust (issue 9): each defect found by the hostile run, against a real
SMTP server on 127.0.0.1 where one is involved."""

from __future__ import annotations

import csv
import hashlib
import os
import socket
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import ROOT
from smtpserver import SMTPServer
from test_mail import RECIPIENTS, SENDER, mail, month, work  # noqa: F401  (fixtures)

from scorecard.cli import cli
from scorecard.mail import Delivery, Mailbox, build_message, message_id, plan, read_recipients
from scorecard.manifest import read_manifest


def write_recipients(path: Path, *rows: list[str]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([RECIPIENTS[0], *rows])
    return path


def edit_manifest(folder: Path, code: str, **fields: str) -> None:
    path = folder / "manifest.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    for r in rows[1:]:
        if r[head.index("code")] == code:
            for k, v in fields.items():
                r[head.index(k)] = v
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def ledger_rows(folder: Path) -> dict[tuple[str, str], tuple[str, int]]:
    with closing(sqlite3.connect(folder / "mail-ledger.sqlite")) as db:
        return {(u, r): (s, a) for u, r, s, a in db.execute(
            "SELECT unit, recipient, status, attempts FROM deliveries")}


# 1. recipients cannot be swapped --------------------------------------------------------

def test_a_display_name_holding_an_address_is_refused_not_split(runner, work):  # noqa: F811
    folder, rcpt = work
    write_recipients(rcpt, ["H05", '"x@y.vn, Bcc: evil@attacker.example" <vp@bacninh.vn>', "",
                            ""])
    with SMTPServer() as server:
        result = mail(runner, folder, rcpt, server.port, "--unit", "H05")
        assert server.handler.received == []
    assert result.exit_code == 1
    assert ("dòng 2, cột 'to': '\"x@y.vn, Bcc: evil@attacker.example\" <vp@bacninh.vn>' không "
            "phải là địa chỉ thư điện tử") in result.output


def test_a_quoted_display_name_may_hold_commas(tmp_path):
    rcpt = write_recipients(tmp_path / "r.csv", [
        "H05", '"Văn phòng, UBND tỉnh" <vp@bacninh.vn>; a@bacninh.vn', "", ""])
    (r,) = read_recipients(rcpt)
    assert r.to == (Mailbox("vp@bacninh.vn", "Văn phòng, UBND tỉnh"), Mailbox("a@bacninh.vn"))


@pytest.mark.parametrize("cell", ['vp@bacninh.vn"', "<vp@bacninh.vn", "a@b@c.vn",
                                  "vp@bacninh.vn\x00", "Bcc: evil@x.vn", "vp@-bad-.vn",
                                  "vp@localhost", "vp..x@bacninh.vn"])
def test_anything_ambiguous_is_refused(tmp_path, cell):
    from scorecard.errors import ScorecardError

    rcpt = write_recipients(tmp_path / "r.csv", ["H05", cell, "", ""])
    with pytest.raises(ScorecardError):
        read_recipients(rcpt)


# 2. only the manifest's own PDFs are attached ---------------------------------------------

@pytest.mark.parametrize("name", ["/etc/passwd", "../../x.pdf", "sub/H05.pdf", ".hidden.pdf",
                                  "H05_bac-ninh.pdf\r\nBcc: x@evil.example"])
def test_a_manifest_row_outside_its_folder_is_refused_before_sending(runner, work, name):  # noqa: F811
    folder, rcpt = work
    edit_manifest(folder, "H05", file=name)
    with SMTPServer() as server:
        result = mail(runner, folder, rcpt, server.port)
        assert server.handler.received == []
    assert result.exit_code == 1
    assert "Lỗi:" in result.output and "Traceback" not in result.output


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_a_link_or_a_non_pdf_with_a_matching_hash_is_not_attached(runner, work):  # noqa: F811
    folder, rcpt = work
    secret = folder.parent / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4 not the scorecard")
    (folder / "H05_link.pdf").symlink_to(secret)
    edit_manifest(folder, "H05", file="H05_link.pdf",
                  sha256=hashlib.sha256(secret.read_bytes()).hexdigest())
    (folder / "H01_text.pdf").write_bytes(b"root:x:0:0")
    edit_manifest(folder, "H01", file="H01_text.pdf",
                  sha256=hashlib.sha256(b"root:x:0:0").hexdigest())
    with SMTPServer() as server:
        result = mail(runner, folder, rcpt, server.port)
        sent = {f for _, f in server.handler.copies()}
    assert result.exit_code == 3
    assert sent == {"H24_hai-phong.pdf"}
    assert "H05_link.pdf không phải là tệp thường" in result.output
    assert "H01_text.pdf không phải là tệp PDF" in result.output


# 3. a refused DATA command does not poison the session ------------------------------------

def test_a_refused_data_command_is_reset_and_the_run_goes_on(runner, work):  # noqa: F811
    folder, rcpt = work
    with SMTPServer() as server:
        server.handler.faults.refuse_data_command = 1
        result = mail(runner, folder, rcpt, server.port)
        copies = server.handler.copies()
        commands = server.handler.commands
    assert "RSET" in commands[:3]  # right after the refusal, before the retry
    assert "503" not in result.output
    assert result.exit_code == 0, result.output
    assert len(copies) == 6


# 4. the body went out but no final reply came: unknown, not resent ------------------------

def test_a_drop_after_the_body_is_unknown_and_not_resent(runner, work):  # noqa: F811
    folder, rcpt = work
    row = next(r for r in read_manifest(folder / "manifest.csv") if r.code == "H24")
    mid = message_id(row, "vi", SENDER)
    with SMTPServer() as server:
        server.handler.faults.drop_once.add(mid)
        first = mail(runner, folder, rcpt, server.port, "--unit", "H24")
        assert len(server.handler.received) == 1  # the server has it; no second copy
        second = mail(runner, folder, rcpt, server.port, "--unit", "H24")
        assert len(server.handler.received) == 1
        third = mail(runner, folder, rcpt, server.port, "--unit", "H24", "--resend-unknown")
        received = server.handler.received
    assert first.exit_code == second.exit_code == 3
    assert "chưa rõ: H24 Hải Phòng → vp@haiphong.gov.vn" in first.output
    assert "--resend-unknown" in second.output
    assert third.exit_code == 0, third.output
    assert [str(m["Message-ID"]) for _, m in received] == [mid, mid]


def test_a_stall_after_the_body_is_unknown(runner, work):  # noqa: F811
    folder, rcpt = work
    row = next(r for r in read_manifest(folder / "manifest.csv") if r.code == "H24")
    with SMTPServer() as server:
        server.handler.faults.stall_once.add(message_id(row, "vi", SENDER))
        result = mail(runner, folder, rcpt, server.port, "--unit", "H24", "--data-timeout",
                      "0.5")
        copies = server.handler.copies()
    assert result.exit_code == 3
    assert ledger_rows(folder)[("H24", "vp@haiphong.gov.vn")] == ("unknown", 1)
    assert len(copies[("vp@haiphong.gov.vn", "H24_hai-phong.pdf")]) == 1


# 5. addresses the server cannot take stop the run before the first message ----------------

def test_a_non_ascii_local_part_needs_smtputf8_and_is_said_before_sending(runner, work):  # noqa: F811
    folder, rcpt = work
    write_recipients(rcpt, RECIPIENTS[1], ["H24", "nguyễn@haiphong.gov.vn", "", ""])
    with SMTPServer(enable_SMTPUTF8=False) as server:
        result = mail(runner, folder, rcpt, server.port)
        assert server.handler.received == []
    assert result.exit_code == 1
    assert (f"{rcpt}, dòng 3: địa chỉ 'nguyễn@haiphong.gov.vn' có ký tự tiếng Việt trước dấu @"
            in result.output)
    with SMTPServer(enable_SMTPUTF8=True) as server:
        result = mail(runner, folder, rcpt, server.port)
        assert result.exit_code == 0, result.output
        assert ("nguyễn@haiphong.gov.vn",) in [r for r, _ in server.handler.received]


def test_an_idn_domain_is_sent_as_punycode(runner, work):  # noqa: F811
    folder, rcpt = work
    write_recipients(rcpt, ["H24", "vp@hảiphòng.vn", "", ""])
    with SMTPServer() as server:
        result = mail(runner, folder, rcpt, server.port, "--unit", "H24")
        (rcpts, msg), = server.handler.received
    assert result.exit_code == 0, result.output
    assert rcpts == ("vp@" + "hảiphòng".encode("idna").decode() + ".vn",)
    assert msg["To"] == rcpts[0]


# 6. a server that cannot be used stops the run -------------------------------------------

def test_a_server_that_is_down_stops_the_run_with_exit_4(runner, work):  # noqa: F811
    folder, rcpt = work
    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = mail(runner, folder, rcpt, port, "--retries", "3")
    assert result.exit_code == 4
    assert "Dừng: không dùng được máy chủ SMTP 127.0.0.1 sau 3 lần liên tiếp" in result.output
    rows = ledger_rows(folder)
    assert {u for u, _ in rows} == {"H01"}  # the first unit only: the run stopped there
    assert {s for s, _ in rows.values()} == {"deferred"}
    assert {a for _, a in rows.values()} == {3}  # three connection attempts, then stop


# 7. login security --------------------------------------------------------------------

def test_no_password_in_clear_and_a_utf8_password_works(runner, work):  # noqa: F811
    folder, rcpt = work
    args = ["--unit", "H24", "--smtp-user", "văn-thư"]
    with SMTPServer(auth=True) as server:
        env = {"SCORECARD_SMTP_PASSWORD": "mật-khẩu-đúng"}
        refused = runner.invoke(cli, ["mail", str(folder / "manifest.csv"), "--recipients",
                                      str(rcpt), "--smtp-host", "127.0.0.1", "--smtp-port",
                                      str(server.port), "--from", SENDER, *args], env=env)
        assert server.handler.logins == []
        allowed = runner.invoke(cli, ["mail", str(folder / "manifest.csv"), "--recipients",
                                      str(rcpt), "--smtp-host", "127.0.0.1", "--smtp-port",
                                      str(server.port), "--from", SENDER, *args,
                                      "--allow-plain-auth"], env=env)
        wrong = runner.invoke(cli, ["mail", str(folder / "manifest.csv"), "--recipients",
                                    str(rcpt), "--smtp-host", "127.0.0.1", "--smtp-port",
                                    str(server.port), "--from", SENDER, *args,
                                    "--allow-plain-auth", "--resend"],
                              env={"SCORECARD_SMTP_PASSWORD": "sai"})
        logins = server.handler.logins
    assert refused.exit_code == 1
    assert "không gửi mật khẩu qua kết nối chưa mã hóa" in refused.output
    assert allowed.exit_code == 0, allowed.output
    assert logins[0] == ("văn-thư", "mật-khẩu-đúng")
    assert wrong.exit_code == 4
    assert "từ chối đăng nhập 'văn-thư' (535)" in wrong.output
    assert "sai" not in wrong.output.replace("sau", "")


# 8. damaged inputs of the mail job: a message, never a traceback --------------------------

@pytest.mark.parametrize("content", [b"this is not a database" * 100,
                                     b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_damaged_ledger_is_a_clear_error(runner, work, content):  # noqa: F811
    folder, rcpt = work
    (folder / "mail-ledger.sqlite").write_bytes(content)
    result = mail(runner, folder, rcpt, 1)
    assert result.exit_code == 1
    assert "bị hỏng (file is not a database); tệp được giữ nguyên" in result.output
    assert (folder / "mail-ledger.sqlite").read_bytes() == content
    status = runner.invoke(cli, ["mail", str(folder / "manifest.csv"), "--status"])
    assert status.exit_code == 1 and "Traceback" not in status.output


def test_a_foreign_sqlite_file_is_not_taken_for_a_ledger(runner, work):  # noqa: F811
    folder, rcpt = work
    with closing(sqlite3.connect(folder / "mail-ledger.sqlite")) as db:
        db.execute("CREATE TABLE invoices (id INTEGER)")
        db.commit()
    result = mail(runner, folder, rcpt, 1)
    assert result.exit_code == 1
    assert "không phải sổ gửi thư của scorecard" in result.output


@pytest.mark.parametrize("field, value", [("total", "chín mươi"), ("month", "2025-13"),
                                          ("sha256", "abc"), ("level", "xã")])
def test_a_bad_manifest_field_is_refused_before_sending(runner, work, field, value):  # noqa: F811
    folder, rcpt = work
    edit_manifest(folder, "H24", **{field: value})
    with SMTPServer() as server:
        result = mail(runner, folder, rcpt, server.port)
        assert server.handler.received == []
    assert result.exit_code == 1
    assert "manifest.csv, dòng" in result.output


def test_a_ledger_in_a_missing_folder_is_a_clear_error(runner, work):  # noqa: F811
    folder, rcpt = work
    (folder / "a-file").write_text("not a folder")
    result = mail(runner, folder, rcpt, 1, "--ledger", folder / "a-file" / "ledger.sqlite")
    assert result.exit_code == 1
    assert "Lỗi: không dùng được sổ gửi thư" in result.output


# 9. the plan step indexes once -------------------------------------------------------------

def test_plan_matches_by_code_and_by_name_written_any_way(month):  # noqa: F811
    from scorecard.mail import Recipient

    rows = read_manifest(month / "manifest.csv")
    recipients = [Recipient(2, "", "UBND tỉnh bắc ninh", (Mailbox("a@x.vn"),), (), None),
                  Recipient(3, "000.00.00.H24", "", (Mailbox("b@x.vn"),), (), "en")]
    deliveries, notes = plan(rows, recipients, "vi")
    got = {(d.unit.code, d.lang): d.recipients for d in deliveries}
    assert got == {("H05", "vi"): ("a@x.vn",), ("H24", "en"): ("b@x.vn",)}
    assert [n.text("en") for n in notes] == ["H01 An Giang: no recipients in the recipients "
                                             "file; its PDF is not sent"]


# 10. message quality --------------------------------------------------------------------

def test_the_message_has_its_headers_and_the_exact_body(month):  # noqa: F811
    row = next(r for r in read_manifest(month / "manifest.csv") if r.code == "H05")
    d = Delivery(row, "vi", (Mailbox("vp@bacninh.gov.vn"),), ())
    m = build_message(d, b"%PDF-", SENDER, office="Văn phòng UBND tỉnh An Giang")
    assert m["From"] == "Văn phòng UBND tỉnh An Giang <bang-diem@tinh.gov.vn>"
    assert m["Auto-Submitted"] == "auto-generated"
    assert m["Content-Language"] == "vi"  # issue 17
    assert m["Date"] is not None and m["Date"].datetime is not None
    assert m.get_body(("plain",)).get_content() == (
        "Kính gửi: UBND tỉnh Bắc Ninh.\n\n"
        "Văn phòng UBND tỉnh An Giang gửi kèm theo đây bảng điểm Chỉ số phục vụ người dân, "
        "doanh nghiệp tháng 10/2025 của tỉnh Bắc Ninh.\n\n"
        "- Tổng điểm: 91,52/100\n"
        "- Xếp hạng: 1/34\n"
        "- Xếp loại: Xuất sắc\n\n"
        "Tệp đính kèm: H05_bac-ninh.pdf\n\n"
        "Trân trọng./\n\n"
        "Thư này được gửi tự động từ hệ thống tổng hợp bảng điểm; vui lòng không trả lời thư "
        "này.\n")
    en = build_message(replace(d, lang="en"), b"%PDF-", SENDER).get_body(("plain",))
    assert "- Total: 91.52/100\n- Rank: 1/34\n- Rating: Excellent\n" in en.get_content()


def test_a_line_break_in_a_unit_name_stays_on_one_line(month):  # noqa: F811
    row = next(r for r in read_manifest(month / "manifest.csv") if r.code == "H05")
    d = Delivery(replace(row, name="Bắc\r\nNinh\nBcc: x@evil.example"), "vi",
                 (Mailbox("vp@bacninh.gov.vn"),), ())
    m = build_message(d, b"%PDF-", SENDER)
    assert "\n" not in m["Subject"]
    # a province is named from the registry ('tỉnh Bắc Ninh'), never from the row's name
    assert "\nBcc:" not in m.get_body(("plain",)).get_content()
    assert m["Bcc"] is None


def test_an_update_says_so(month):  # noqa: F811
    row = next(r for r in read_manifest(month / "manifest.csv") if r.code == "H05")
    d = Delivery(row, "vi", (Mailbox("vp@bacninh.gov.vn"),), ())
    body = build_message(d, b"%PDF-", SENDER, update=True).get_body(("plain",)).get_content()
    assert "bản này thay cho bản đã gửi trước đó" in body


# 11. portability ------------------------------------------------------------------------

def test_every_module_imports_without_posix_only_modules():
    """As on Windows: fcntl, termios, pwd, grp and resource cannot be imported."""
    blocker = (
        "import sys, importlib.abc\n"
        "class Block(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name.split('.')[0] in {'fcntl', 'termios', 'pwd', 'grp', 'resource'}:\n"
        "            raise ImportError(f'{name} is POSIX-only')\n"
        "sys.meta_path.insert(0, Block())\n"
        "for m in list(sys.modules):\n"
        "    if m.split('.')[0] in {'fcntl', 'termios', 'pwd', 'grp', 'resource'}:\n"
        "        del sys.modules[m]\n"
        "import scorecard.cli, scorecard.deliver, scorecard.ledger, scorecard.batch\n"
        "from scorecard.ledger import Ledger\n"
        "import tempfile, pathlib\n"
        "with tempfile.TemporaryDirectory() as t:\n"
        "    with Ledger(pathlib.Path(t) / 'l.sqlite', exclusive=True):\n"
        "        pass\n"
        "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", blocker], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_status_closes_its_connection(runner, work):  # noqa: F811
    """Python 3.13 warns of an SQLite connection left open; the test run makes that an error."""
    folder, rcpt = work
    with SMTPServer() as server:
        assert mail(runner, folder, rcpt, server.port, "--unit", "H24").exit_code == 0
    import gc
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        status = runner.invoke(cli, ["mail", str(folder / "manifest.csv"), "--status"])
        gc.collect()
    assert status.exit_code == 0
    line = next(ln for ln in status.output.splitlines() if "vp@haiphong.gov.vn" in ln)
    assert "  đã gửi  " in line


def test_class_names_come_from_the_index_the_month_was_rendered_with(month, tmp_path):  # noqa: F811
    """The manifest carries the band's code; its name is the index file's, not the packaged."""
    from scorecard.index import load_index

    src = (ROOT / "scorecard" / "data" / "index.toml").read_text("utf-8")
    other = tmp_path / "index.toml"
    other.write_text(src.replace('vi = "Xuất sắc"', 'vi = "Loại A"'), "utf-8")
    row = next(r for r in read_manifest(month / "manifest.csv") if r.code == "H05")
    assert row.klass == "excellent"
    d = Delivery(row, "vi", (Mailbox("vp@bacninh.gov.vn"),), ())
    body = build_message(d, b"%PDF-", SENDER, index=load_index(other)).get_body(("plain",))
    assert "- Xếp loại: Loại A\n" in body.get_content()


def test_a_hard_bounce_is_not_retried_by_every_run(runner, work):  # noqa: F811
    folder, rcpt = work
    with SMTPServer() as server:
        server.handler.faults.refuse.add("refuse@angiang.gov.vn")
        assert mail(runner, folder, rcpt, server.port, "--unit", "H01").exit_code == 3
        server.handler.faults.refuse.clear()
        again = mail(runner, folder, rcpt, server.port, "--unit", "H01")
        assert [r for r, _ in server.handler.received] == [("vp@angiang.gov.vn",)]
        retried = mail(runner, folder, rcpt, server.port, "--unit", "H01", "--retry-refused")
        received = [r for r, _ in server.handler.received]
    assert again.exit_code == 3
    assert "bị từ chối: H01 An Giang → refuse@angiang.gov.vn" in again.output
    assert "--retry-refused" in again.output
    assert retried.exit_code == 0, retried.output
    assert received == [("vp@angiang.gov.vn",), ("refuse@angiang.gov.vn",)]
    status = runner.invoke(cli, ["mail", str(folder / "manifest.csv"), "--status"])
    line = next(ln for ln in status.output.splitlines() if "refuse@angiang.gov.vn" in ln)
    assert "  đã gửi  " in line


def test_a_server_that_is_down_when_smtputf8_is_asked_stops_with_exit_4(runner, work):  # noqa: F811
    folder, rcpt = work
    write_recipients(rcpt, ["H24", "nguyễn@haiphong.gov.vn", "", ""])
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = mail(runner, folder, rcpt, port)
    assert result.exit_code == 4, result.output
    assert "Dừng: không dùng được máy chủ SMTP 127.0.0.1 sau 3 lần liên tiếp" in result.output


def test_a_bulletin_draft_in_the_manifest_is_never_mailed(runner, work):  # noqa: F811
    folder, rcpt = work
    result = runner.invoke(cli, ["bulletin", str(ROOT / "examples" / "2025-10_tinh-thanh.csv"),
                                 "--unit", "H24", "--out", str(folder.parent), "--issued",
                                 "2025-10-20"])
    assert result.exit_code == 0, result.output
    assert "bulletin" in (folder / "manifest.csv").read_text("utf-8")
    with SMTPServer() as server:
        sent = mail(runner, folder, rcpt, server.port, "--unit", "H24")
        files = {f for _, f in server.handler.copies()}
    assert sent.exit_code == 0, sent.output
    assert files == {"H24_hai-phong.pdf"}
