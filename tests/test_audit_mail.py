"""Issue 15, the mail items: each defect of the outside audit, with the reproducer built here
and a real SMTP server (aiosmtpd on 127.0.0.1) wherever one is involved."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES
from smtpserver import SMTPServer
from test_mail import RECIPIENTS, SENDER, mail, month, work  # noqa: F401  (fixtures)

from scorecard.cli import cli
from scorecard.mail import read_recipients

# the characters str.splitlines() takes for a line end, besides CR and LF
HIDDEN_BREAKS = ["\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]


# 1. a hidden line break adds no recipient and splits no row -------------------------------

@pytest.mark.parametrize("brk", HIDDEN_BREAKS, ids=[f"U+{ord(c):04X}" for c in HIDDEN_BREAKS])
def test_a_hidden_line_break_in_a_recipients_cell_adds_no_recipient(runner, work, brk):  # noqa: F811
    folder, rcpt = work
    rcpt.write_text(f"code,to\nH05,vp@bacninh.example.vn{brk}H01,evil@attacker.example\n",
                    encoding="utf-8")
    with SMTPServer() as server:
        result = mail(runner, folder, rcpt, server.port)
        assert server.handler.received == []
    assert result.exit_code == 1, result.output
    assert f"{rcpt}, dòng 2, cột 'to': địa chỉ có ký tự điều khiển" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("brk", HIDDEN_BREAKS, ids=[f"U+{ord(c):04X}" for c in HIDDEN_BREAKS])
def test_a_hidden_line_break_at_the_end_of_a_recipients_cell_is_kept_and_refused(tmp_path, brk):
    from scorecard.errors import ValidationError

    rcpt = tmp_path / "r.csv"
    rcpt.write_text(f"code,to\nH05,vp@bacninh.example.vn{brk}\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="dòng 2, cột 'to': địa chỉ có ký tự điều khiển"):
        read_recipients(rcpt)


@pytest.mark.parametrize("brk", HIDDEN_BREAKS, ids=[f"U+{ord(c):04X}" for c in HIDDEN_BREAKS])
def test_a_word_line_break_in_a_name_neither_splits_the_row_nor_stops_the_file(runner, tmp_path,
                                                                              brk):
    text = (EXAMPLES / "2025-10_tinh-thanh.csv").read_text(encoding="utf-8")
    assert "UBND tỉnh Quảng Ninh," in text
    data = tmp_path / "thang-10.csv"
    data.write_text(text.replace("UBND tỉnh Quảng Ninh,", f"UBND tỉnh Quảng{brk}Ninh,"),
                    encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(data)])
    assert result.exit_code == 0, result.output
    assert "Tỉnh, thành phố: 34" in result.output
    shown = repr(brk)[1:-1]
    assert (f"Cảnh báo: dòng 3: tên 'Quảng Ninh' có ký tự không thuộc chữ Việt "
            f"({shown})") in result.output
    assert brk not in result.output  # shown escaped, never sent to the terminal raw


# 2. AUTH LOGIN (and CRAM-MD5) against a server that offers no PLAIN ------------------------

@pytest.mark.parametrize("mechanism, seen", [
    ("LOGIN", ("văn-thư", "mật-khẩu-đúng")),
    ("CRAM-MD5", ("văn-thư", "<CRAM-MD5 ok>")),
])
def test_a_server_without_plain_takes_the_login(runner, work, mechanism, seen):  # noqa: F811
    folder, rcpt = work
    with SMTPServer(auth=True, mechanisms=(mechanism,)) as server:
        result = mail(runner, folder, rcpt, server.port, "--unit", "H24", "--smtp-user",
                      "văn-thư", "--allow-plain-auth",
                      env={"SCORECARD_SMTP_PASSWORD": "mật-khẩu-đúng"})
        logins = server.handler.logins
        received = server.handler.copies()
    assert result.exit_code == 0, result.output
    assert logins == [seen]
    assert list(received) == [("vp@haiphong.gov.vn", "H24_hai-phong.pdf")]


@pytest.mark.parametrize("mechanism", ["LOGIN", "CRAM-MD5"])
def test_a_wrong_password_over_login_is_refused_with_exit_4(runner, work, mechanism):  # noqa: F811
    folder, rcpt = work
    with SMTPServer(auth=True, mechanisms=(mechanism,)) as server:
        result = mail(runner, folder, rcpt, server.port, "--unit", "H24", "--smtp-user",
                      "văn-thư", "--allow-plain-auth", env={"SCORECARD_SMTP_PASSWORD": "sai-rồi"})
        assert server.handler.received == []
    assert result.exit_code == 4
    assert "từ chối đăng nhập 'văn-thư' (535)" in result.output
    assert "sai-rồi" not in result.output


# 3. a half-damaged ledger: named, exit 1, never overwritten --------------------------------

def half_damaged_ledger(path: Path) -> bytes:
    """A real ledger of 300 rows whose B-tree pages past the second are damaged: SQLite opens
    it and reads its schema, and says 'database disk image is malformed' at the first query."""
    from scorecard.ledger import Ledger

    with Ledger(path) as ledger:
        for i in range(300):
            ledger.mark("2025-10", f"H{i:03d}", [f"vp{i}@x.vn"], "a" * 64, "sent", "<m@x>", "250")
    data = bytearray(path.read_bytes())
    for page in range(3, len(data) // 4096):
        data[page * 4096:page * 4096 + 8] = b"\x55" * 8
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_half_damaged_ledger_is_named_and_left_as_it_is(runner, work):  # noqa: F811
    import sqlite3

    folder, rcpt = work
    ledger = folder / "mail-ledger.sqlite"
    damaged = half_damaged_ledger(ledger)
    with pytest.raises(sqlite3.DatabaseError, match="malformed"):  # the reproducer holds
        sqlite3.connect(ledger).execute("SELECT * FROM deliveries").fetchall()
    with SMTPServer() as server:
        sent = mail(runner, folder, rcpt, server.port)
        assert server.handler.received == []
    status = runner.invoke(cli, ["mail", str(folder / "manifest.csv"), "--status"])
    for result in (sent, status):
        assert result.exit_code == 1, result.output
        assert result.output.startswith(f"Lỗi: sổ gửi thư {ledger} bị hỏng (")
        assert "tệp được giữ nguyên, không ghi đè" in result.output
        assert "Traceback" not in result.output
    assert ledger.read_bytes() == damaged


# 4. a unit row attaches a PDF only ---------------------------------------------------------

def test_a_unit_row_pointing_at_the_bulletin_docx_is_not_mailed(runner, work):  # noqa: F811
    import hashlib

    from test_mail_trust import edit_manifest

    folder, rcpt = work
    made = runner.invoke(cli, ["bulletin", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--unit",
                               "H24", "--out", str(folder.parent), "--issued", "2025-10-20"])
    assert made.exit_code == 0, made.output
    docx = folder / "H24_hai-phong_ban-tin.docx"
    edit_manifest(folder, "H24", file=docx.name,
                  sha256=hashlib.sha256(docx.read_bytes()).hexdigest())
    with SMTPServer() as server:
        result = mail(runner, folder, rcpt, server.port, "--unit", "H24")
        received = server.handler.received
    assert received == []
    assert result.exit_code == 3, result.output
    assert "H24_hai-phong_ban-tin.docx không phải là tệp PDF; không gửi" in result.output


# 5. one mailbox, one copy and one ledger row ------------------------------------------------

def test_an_address_is_one_recipient_by_its_domain_in_any_case_and_its_local_part_as_written(
        runner, work):  # noqa: F811
    from test_mail_trust import ledger_rows, write_recipients

    folder, rcpt = work
    write_recipients(rcpt, ["H24", "VP@haiphong.gov.vn", "vp@HaiPhong.gov.vn; vp@haiphong.gov.vn",
                            ""])
    with SMTPServer() as server:
        server.handler.faults.refuse.add("VP@haiphong.gov.vn")  # a server that keeps case
        result = mail(runner, folder, rcpt, server.port, "--unit", "H24")
        copies = server.handler.copies()
        (rcpts, _), = server.handler.received
    assert result.exit_code == 3, result.output
    assert rcpts == ("vp@haiphong.gov.vn",)  # once, though written twice
    assert copies == {("vp@haiphong.gov.vn", "H24_hai-phong.pdf"): [
        (folder / "H24_hai-phong.pdf").read_bytes()]}
    assert ledger_rows(folder) == {("H24", "VP@haiphong.gov.vn"): ("failed", 1),
                                   ("H24", "vp@haiphong.gov.vn"): ("sent", 1)}


# 6. a ledger of an older version, keyed on the PDF's bytes -----------------------------------

OLD_SCHEMA = """
CREATE TABLE deliveries (month TEXT NOT NULL, unit TEXT NOT NULL, recipient TEXT NOT NULL,
    sha256 TEXT NOT NULL, status TEXT NOT NULL, message_id TEXT NOT NULL,
    reply TEXT NOT NULL DEFAULT '', attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL, code INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (month, unit, recipient, sha256));
CREATE TABLE attempts (month TEXT NOT NULL, unit TEXT NOT NULL, recipient TEXT NOT NULL,
    sha256 TEXT NOT NULL, at TEXT NOT NULL, status TEXT NOT NULL, reply TEXT NOT NULL);
PRAGMA user_version=2;
"""


def old_ledger(folder: Path, *recipients: tuple[str, str]) -> None:
    """What the version before content_sha256 left: every (unit, address) sent, keyed on the
    PDF's sha256, the address lowered."""
    import sqlite3
    from contextlib import closing

    from scorecard.manifest import read_manifest

    files = {r.code: r for r in read_manifest(folder / "manifest.csv") if r.kind == "unit"}
    with closing(sqlite3.connect(folder / "mail-ledger.sqlite")) as db:
        db.executescript(OLD_SCHEMA)
        for code, address in recipients:
            u = files[code]
            db.execute("INSERT INTO deliveries VALUES (?, ?, ?, ?, 'sent', ?, '250 ok', 1, "
                       "'2025-10-20T01:00:00+00:00', 250)",
                       (u.month, code, address.lower(), u.sha256,
                        f"<scorecard.{u.month}.{code}.vi.{u.sha256[:20]}@tinh.gov.vn>"))
        db.commit()


def test_an_older_ledger_keyed_on_the_pdf_re_mails_nobody_whose_page_is_unchanged(
        runner, work):  # noqa: F811
    from test_mail_trust import ledger_rows, write_recipients

    folder, rcpt = work
    write_recipients(rcpt, ["H24", "VP@haiphong.gov.vn", "", ""], ["H05", "vp@bacninh.gov.vn", "",
                                                                    ""])
    old_ledger(folder, ("H24", "VP@haiphong.gov.vn"), ("H05", "vp@bacninh.gov.vn"))
    with SMTPServer() as server:
        result = mail(runner, folder, rcpt, server.port)
        assert server.handler.received == []
    assert result.exit_code == 0, result.output
    assert "Đã gửi: 0 · đã có từ trước: 2" in result.output
    # the rows now carry today's key: the address as written, the page's content hash
    assert ledger_rows(folder) == {("H24", "VP@haiphong.gov.vn"): ("sent", 1),
                                   ("H05", "vp@bacninh.gov.vn"): ("sent", 1)}


def test_an_older_ledger_after_a_re_render_says_so_and_needs_resend(runner, work):  # noqa: F811
    from test_mail_trust import write_recipients

    folder, rcpt = work
    write_recipients(rcpt, ["H24", "vp@haiphong.gov.vn", "", ""])
    old_ledger(folder, ("H24", "vp@haiphong.gov.vn"))
    rerender = runner.invoke(cli, ["render", str(EXAMPLES / "2025-10_tinh-thanh.csv"), "--out",
                                   str(folder.parent), "--jobs", "1", "--issued", "2025-10-21",
                                   "--unit", "H24"])
    assert rerender.exit_code == 0, rerender.output
    with SMTPServer() as server:
        refused = mail(runner, folder, rcpt, server.port, "--unit", "H24")
        assert server.handler.received == []
        resent = mail(runner, folder, rcpt, server.port, "--unit", "H24", "--resend")
        assert len(server.handler.received) == 1
        again = mail(runner, folder, rcpt, server.port, "--unit", "H24")
        assert len(server.handler.received) == 1
    assert refused.exit_code == 1, refused.output
    assert "do phiên bản cũ của scorecard ghi theo byte của tệp PDF" in refused.output
    assert "H24 vp@haiphong.gov.vn. Không gửi gì." in refused.output
    assert "--resend" in refused.output
    assert resent.exit_code == 0, resent.output
    assert again.exit_code == 0 and "Đã gửi: 0 · đã có từ trước: 1" in again.output


# 7. every word in the user's language; --status reads only; --dry-run exits as a run would --

def test_an_unknown_delivery_is_said_in_vietnamese_now_and_on_the_next_run(runner, work):  # noqa: F811
    from scorecard.mail import message_id
    from scorecard.manifest import read_manifest

    folder, rcpt = work
    row = next(r for r in read_manifest(folder / "manifest.csv") if r.code == "H24")
    with SMTPServer() as server:
        server.handler.faults.drop_once.add(message_id(row, "vi", SENDER))
        first = mail(runner, folder, rcpt, server.port, "--unit", "H24")
        second = mail(runner, folder, rcpt, server.port, "--unit", "H24")
    assert first.exit_code == second.exit_code == 3
    assert ("chưa rõ: H24 Hải Phòng → vp@haiphong.gov.vn: thư đã gửi đi nhưng không nhận được "
            "trả lời cuối của máy chủ (SMTPServerDisconnected") in first.output
    assert ("chưa rõ: H24 Hải Phòng → vp@haiphong.gov.vn: lần trước thư đã được gửi đi nhưng "
            "máy chủ không trả lời (SMTPServerDisconnected") in second.output
    for result in (first, second):
        assert "the message went out" not in result.output


def test_status_is_in_the_users_language_with_version_and_local_time(runner, work,  # noqa: F811
                                                                     monkeypatch):
    import time

    folder, rcpt = work
    old_ledger(folder, ("H24", "vp@haiphong.gov.vn"))
    ledger = folder / "mail-ledger.sqlite"
    before = ledger.read_bytes()
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    try:
        vi = runner.invoke(cli, ["mail", str(folder / "manifest.csv"), "--status"])
        en = runner.invoke(cli, ["mail", str(folder / "manifest.csv"), "--status", "--lang",
                                 "en"])
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    from scorecard.manifest import read_manifest

    sha = next(r.sha256 for r in read_manifest(folder / "manifest.csv") if r.code == "H24")
    assert vi.exit_code == en.exit_code == 0, vi.output
    head, row = vi.output.splitlines()
    assert head.split() == ["kỳ", "đơn", "vị", "người", "nhận", "trạng", "thái", "số", "lần",
                            "cập", "nhật", "phiên", "bản", "trả", "lời"]
    # 01:00 UTC is 08:00 in Hà Nội; the version is the start of the key's hash
    assert row.split() == ["2025-10", "H24", "vp@haiphong.gov.vn", "đã", "gửi", "1",
                           "2025-10-20", "08:00", sha[:12], "250", "ok"]
    assert en.output.splitlines()[0].split() == ["month", "unit", "recipient", "status", "tries",
                                                 "updated", "version", "reply"]
    assert "sent" in en.output.splitlines()[1].split()
    # read-only: no migration, no journal files, the bytes as they were
    assert ledger.read_bytes() == before
    assert sorted(p.name for p in folder.glob("mail-ledger*")) == ["mail-ledger.sqlite"]


def test_dry_run_exits_3_when_a_message_cannot_be_built(runner, work):  # noqa: F811
    folder, rcpt = work
    pdf = folder / "H05_bac-ninh.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% edited\n")
    result = mail(runner, folder, rcpt, 1, "--dry-run", folder.parent / "eml")
    assert result.exit_code == 3, result.output
    assert "lỗi: H05 Bắc Ninh → vp@bacninh.gov.vn: H05_bac-ninh.pdf đã thay đổi" in result.output
    assert sorted(p.name for p in (folder.parent / "eml").iterdir()) == [
        "H01_an-giang.en.eml", "H24_hai-phong.vi.eml"]


@pytest.mark.parametrize("column", ["bcc", "BCC", "to2", "Ghi chú"])
def test_a_column_nobody_reads_is_refused_not_ignored(runner, work, column):  # noqa: F811
    folder, rcpt = work
    rcpt.write_text(f"code,to,{column}\nH24,vp@haiphong.gov.vn,boss@haiphong.gov.vn\n",
                    encoding="utf-8")
    with SMTPServer() as server:
        result = mail(runner, folder, rcpt, server.port)
        assert server.handler.received == []
    assert result.exit_code == 1, result.output
    assert (f"{rcpt}, dòng 1 (tiêu đề): tệp người nhận không có cột {column}: chỉ đọc các cột "
            "code (hoặc name), to, cc, lang; không có bcc") in result.output
