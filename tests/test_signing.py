"""Signed PDFs (SPEC §11, issue 20): render signs every PDF before the manifest hashes it,
refuses a key or certificate that cannot sign before drawing anything, and `verify` and
poppler's `pdfsig` agree on what was signed, by whom, and whether it changed since."""

from __future__ import annotations

import csv
import hashlib
import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from conftest import EXAMPLES
from pdfcheck import pdf_text
from pki import KEY, PASSWORD, PIN, SOFTHSM, TOKEN, Pki, make_pki, make_token, require

from scorecard import signing
from scorecard.cli import cli
from scorecard.errors import SigningError

MONTH = EXAMPLES / "2025-10_tinh-thanh.csv"
AT = "2025-10-20T09:00:00+07:00"
STAMP = "Ký bởi: {name}; Thời gian ký: 20/10/2025 09:00:00 (UTC+07:00)"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(autouse=True)
def fresh_keys():
    """Each test opens its own key (the cache is per process, as in a real run)."""
    signing.signer.cache_clear()
    yield
    signing.signer.cache_clear()


def render(runner, out: Path, *sign: str, unit: str | None = "H05", jobs: int = 1,
           env: dict[str, str] | None = None, lang: str = "vi"):
    args = ["render", str(MONTH), "--out", str(out), "--issued", "2025-10-20",
            "--jobs", str(jobs), "--lang", lang, *(["--unit", unit] if unit else []), *sign]
    return runner.invoke(cli, args, env={"SCORECARD_SIGN_PASSWORD": PASSWORD, **(env or {})})


def p12(person, at: str | None = AT) -> list[str]:
    return ["--sign-p12", str(person.p12), *(["--signing-time", at] if at else [])]


def manifest(folder: Path) -> list[dict[str, str]]:
    with (folder / "manifest.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def pdfsig(path: Path) -> str:
    tool = require("pdfsig", "Debian package poppler-utils: poppler must agree on signatures")
    return subprocess.run([tool, str(path)], capture_output=True, text=True).stdout


# --- a month signed: pdfsig and verify call every file valid; the manifest hashes them ---

def test_a_month_rendered_signed_passes_pdfsig_and_verify_and_keeps_content_sha256(
        runner, tmp_path, pki):
    plain = render(runner, tmp_path / "plain", unit=None, jobs=2)
    signed = render(runner, tmp_path / "signed", *p12(pki.rsa), unit=None, jobs=2)
    assert plain.exit_code == 0 and signed.exit_code == 0, signed.output
    folder = tmp_path / "signed" / "2025-10"
    rows = manifest(folder)
    assert len(rows) == 35 and rows[-1]["kind"] == "summary"
    for row in rows:
        data = (folder / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]  # hashed after signing
        assert int(row["bytes"]) == len(data)
        report = pdfsig(folder / row["file"])
        assert "Signature Validation: Signature is Valid." in report, row["file"]
        assert "Total document signed" in report
        assert "Signer Certificate Common Name: Nguyễn Văn An" in report
        assert "Signature Type: ETSI.CAdES.detached" in report  # PAdES, not adbe.pkcs7
    # what the pages say is the same signed or not: the mail job sends nobody a page twice
    before = {r["file"]: r["content_sha256"] for r in manifest(tmp_path / "plain" / "2025-10")}
    assert {r["file"]: r["content_sha256"] for r in rows} == before
    done = runner.invoke(cli, ["verify", *(str(folder / r["file"]) for r in rows),
                               "--trust", str(pki.root)])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert lines[-1] == "35/35 tệp hợp lệ và tin cậy."
    assert lines[0] == ("H01_an-giang.pdf: ký bởi Nguyễn Văn An, lúc 20/10/2025 09:00:00 "
                        "(UTC+07:00); nguyên vẹn từ khi ký; chứng thư số tin cậy (chứng thư gốc "
                        "CA thử nghiệm Bộ TT&TT)")
    stamp = STAMP.format(name="Nguyễn Văn An")
    assert stamp in pdf_text(folder / "H05_bac-ninh.pdf")
    assert stamp in pdf_text(folder / "summary.pdf")
    assert PASSWORD not in signed.output


def test_the_signer_and_time_are_printed_in_the_footer_in_english_too(runner, tmp_path, pki):
    done = render(runner, tmp_path, *p12(pki.ec), lang="en")
    assert done.exit_code == 0, done.output
    text = pdf_text(tmp_path / "2025-10" / "H05_bac-ninh.pdf")
    assert "Signed by: Trần Thị Bình; Signing time: 20 October 2025 09:00:00 (UTC+07:00)" in text


def test_an_unsigned_page_has_no_signature_line(runner, tmp_path):
    assert render(runner, tmp_path).exit_code == 0
    assert "Ký bởi" not in pdf_text(tmp_path / "2025-10" / "H05_bac-ninh.pdf")


def test_without_signing_time_the_run_signs_at_its_start_in_local_time(runner, tmp_path, pki):
    done = render(runner, tmp_path, *p12(pki.ec, at=None))
    assert done.exit_code == 0, done.output
    path = tmp_path / "2025-10" / "H05_bac-ninh.pdf"
    report = runner.invoke(cli, ["verify", str(path), "--trust", str(pki.root)])
    assert report.exit_code == 0, report.output
    assert "ký bởi Trần Thị Bình, lúc " in report.output


# --- bytes: RSA repeats with a fixed signing time, ECDSA cannot ---

def test_rsa_signed_bytes_repeat_with_a_fixed_signing_time(runner, tmp_path, pki):
    for run in ("a", "b"):
        assert render(runner, tmp_path / run, *p12(pki.rsa)).exit_code == 0
        signing.signer.cache_clear()
    a, b = ((tmp_path / r / "2025-10" / "H05_bac-ninh.pdf").read_bytes() for r in "ab")
    assert a == b


def test_a_signer_that_signed_other_pages_signs_a_page_as_a_fresh_one(runner, tmp_path, pki,
                                                                     monkeypatch):
    # the signed attributes are built once per signer; RSA shows it changes no byte
    assert render(runner, tmp_path, unit="H05").exit_code == 0
    assert render(runner, tmp_path, unit="H01").exit_code == 0
    a, b = ((tmp_path / "2025-10" / f).read_bytes() for f in ("H05_bac-ninh.pdf",
                                                             "H01_an-giang.pdf"))
    monkeypatch.setenv(signing.PASSWORD, PASSWORD)
    spec = signing.SignSpec(signing.dt.datetime.fromisoformat(AT), p12=str(pki.rsa.p12))
    fresh = signing.signer(spec).sign(a)
    signing.signer.cache_clear()
    used = signing.signer(spec)
    other = used.sign(b)
    assert used.sign(a) == fresh
    assert used.sign(b) == other and other != fresh


def test_ecdsa_signed_bytes_differ_but_both_verify(runner, tmp_path, pki):
    for run in ("a", "b"):
        assert render(runner, tmp_path / run, *p12(pki.ec)).exit_code == 0
        signing.signer.cache_clear()
    a, b = (tmp_path / r / "2025-10" / "H05_bac-ninh.pdf" for r in "ab")
    assert a.read_bytes() != b.read_bytes()  # ECDSA is randomised by design
    assert manifest(a.parent)[0]["content_sha256"] == manifest(b.parent)[0]["content_sha256"]
    done = runner.invoke(cli, ["verify", str(a), str(b), "--trust", str(pki.root)])
    assert done.exit_code == 0, done.output


# --- altered after signing: verify and pdfsig both say so ---

def _signed(runner, tmp_path: Path, pki: Pki) -> Path:
    assert render(runner, tmp_path, *p12(pki.rsa)).exit_code == 0
    return tmp_path / "2025-10" / "H05_bac-ninh.pdf"


def test_a_byte_changed_after_signing_is_detected_by_verify_and_pdfsig(runner, tmp_path, pki):
    path = _signed(runner, tmp_path, pki)
    data = bytearray(path.read_bytes())
    at = data.index(b"stream", 1000) + 20  # inside a page's content, well before the signature
    data[at] ^= 0x01
    path.write_bytes(bytes(data))
    done = runner.invoke(cli, ["verify", str(path), "--trust", str(pki.root)])
    assert done.exit_code == 1
    assert done.output.splitlines() == [
        "H05_bac-ninh.pdf: ký bởi Nguyễn Văn An, lúc 20/10/2025 09:00:00 (UTC+07:00); ĐÃ BỊ "
        "THAY ĐỔI sau khi ký; chứng thư số tin cậy (chứng thư gốc CA thử nghiệm Bộ TT&TT)",
        "0/1 tệp hợp lệ và tin cậy."]
    assert "Signature Validation: Digest Mismatch." in pdfsig(path)


def test_bytes_appended_after_signing_are_an_alteration(runner, tmp_path, pki):
    path = _signed(runner, tmp_path, pki)
    path.write_bytes(path.read_bytes() + b"\n% added later\n")
    done = runner.invoke(cli, ["verify", str(path), "--trust", str(pki.root), "--lang", "en"])
    assert done.exit_code == 1
    assert "ALTERED since signing" in done.output
    assert "Total document signed" not in pdfsig(path)


def test_verify_says_untrusted_without_the_right_root(runner, tmp_path, pki):
    path = _signed(runner, tmp_path, pki)
    done = runner.invoke(cli, ["verify", str(path), "--trust", str(pki.other_root)])
    assert done.exit_code == 1
    assert done.output.splitlines()[0].endswith(
        "nguyên vẹn từ khi ký; chứng thư số KHÔNG tin cậy: không dẫn tới chứng thư gốc nào được "
        "tin cậy (--trust)")
    assert "Traceback" not in done.output


def test_verify_names_an_unsigned_and_an_unreadable_file(runner, tmp_path, pki):
    assert render(runner, tmp_path).exit_code == 0
    unsigned = tmp_path / "2025-10" / "H05_bac-ninh.pdf"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really a pdf")
    done = runner.invoke(cli, ["verify", str(unsigned), str(broken), "--trust",
                               str(pki.root), "--lang", "en"])
    assert done.exit_code == 1
    lines = done.output.splitlines()
    assert lines[0] == "H05_bac-ninh.pdf: not signed"
    assert lines[1].startswith("broken.pdf: cannot read the PDF (")
    assert lines[-1] == "0/2 files valid and trusted."


def test_verify_refuses_a_trust_file_that_is_not_a_certificate(runner, tmp_path, pki):
    path = _signed(runner, tmp_path, pki)
    bad = tmp_path / "root.pem"
    bad.write_text("hello")
    done = runner.invoke(cli, ["verify", str(path), "--trust", str(bad)])
    assert done.exit_code == 1
    assert done.output == f"Lỗi: {bad}: không phải chứng thư số (PEM hoặc DER)\n"


# --- refused before anything is drawn: one line, exit 1, nothing written, no secret ---

REFUSALS = {
    "expired": "Lỗi: chứng thư số của Lê Văn Cũ đã hết hạn lúc 31/01/2025 00:00:00 (UTC+00:00), "
               "trước thời điểm ký 20/10/2025 09:00:00 (UTC+07:00)",
    "no_usage": "Lỗi: chứng thư số của Hoàng Văn Mã không dùng để ký (không có mục đích "
                "digitalSignature hay nonRepudiation)",
}


@pytest.mark.parametrize("who", sorted(REFUSALS))
def test_a_certificate_that_cannot_sign_is_refused_before_anything_is_written(
        runner, tmp_path, pki, who):
    done = render(runner, tmp_path, *p12(getattr(pki, who)), unit=None, jobs=2)
    assert done.exit_code == 1
    assert done.output == REFUSALS[who] + "\n"
    assert not (tmp_path / "2025-10").exists()


def test_a_certificate_not_yet_valid_at_the_signing_time_is_refused(runner, tmp_path, pki):
    done = render(runner, tmp_path, *p12(pki.not_yet))
    assert done.exit_code == 1
    assert done.output.startswith("Lỗi: chứng thư số của Phạm Văn Mới chỉ có hiệu lực từ ")
    assert done.output.endswith(", sau thời điểm ký 20/10/2025 09:00:00 (UTC+07:00)\n")
    assert len(done.output.splitlines()) == 1 and not (tmp_path / "2025-10").exists()


def test_the_certificate_is_judged_at_the_signing_time(runner, tmp_path, pki):
    # the expired signer's certificate was valid in January 2025
    done = render(runner, tmp_path, *p12(pki.expired, at="2025-01-20T09:00:00+07:00"))
    assert done.exit_code == 0, done.output


def test_a_wrong_password_is_named_and_never_shown(runner, tmp_path, pki):
    wrong = "sai-mật-khẩu-123"
    done = render(runner, tmp_path, *p12(pki.rsa), env={"SCORECARD_SIGN_PASSWORD": wrong})
    assert done.exit_code == 1
    assert done.output == (f"Lỗi: {pki.rsa.p12}: sai mật khẩu (biến môi trường "
                           "SCORECARD_SIGN_PASSWORD)\n")
    assert wrong not in done.output and not (tmp_path / "2025-10").exists()


def test_a_missing_password_says_where_it_comes_from(runner, tmp_path, pki):
    done = render(runner, tmp_path, *p12(pki.rsa), env={"SCORECARD_SIGN_PASSWORD": ""},
                  lang="en")
    assert done.exit_code == 1
    assert done.output == (f"Error: {pki.rsa.p12} has a password: set the environment "
                           "variable SCORECARD_SIGN_PASSWORD (a password is never taken as an "
                           "option)\n")


def test_a_file_that_is_not_pkcs12_is_named(runner, tmp_path, pki):
    fake = tmp_path / "khoa.p12"
    fake.write_bytes(b"\x30\x03\x02\x01\x03" + b"garbage")
    done = runner.invoke(cli, ["render", str(MONTH), "--out", str(tmp_path), "--unit", "H05",
                               "--sign-p12", str(fake)],
                         env={"SCORECARD_SIGN_PASSWORD": PASSWORD})
    assert done.exit_code == 1
    assert done.output == (f"Lỗi: {fake}: không phải tệp khóa PKCS#12 (.p12, .pfx) hoặc tệp "
                           "đã hỏng\n")


def test_no_secret_in_the_exception_chain(pki, monkeypatch):
    wrong = "bí-mật-sai"
    monkeypatch.setenv(signing.PASSWORD, wrong)
    spec = signing.SignSpec(signing.dt.datetime.now().astimezone(), p12=str(pki.rsa.p12))
    with pytest.raises(SigningError) as caught:
        signing.signer(spec)
    shown = "".join(traceback.format_exception(caught.value))
    assert wrong not in shown and wrong not in repr(spec)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


@pytest.mark.parametrize("args, words", [
    (["--signing-time", "2025-10-20T09:00:00"], "không phải thời điểm ISO 8601 có múi giờ"),
    (["--sign-token", "X"], "--sign-token chỉ dùng khi ký số"),
    (["--sign-pkcs11", str(MONTH), "--sign-token", "X"], "ký số cần đúng một trong"),
])
def test_signing_options_are_checked_together(runner, tmp_path, pki, args, words):
    sign = ["--sign-p12", str(pki.ec.p12)] if "--signing-time" in args else []
    done = render(runner, tmp_path, *sign, *args)
    assert done.exit_code == 2
    assert words in done.output
    assert not (tmp_path / "2025-10").exists()


# --- a USB token: a real PKCS#11 module (SoftHSM2), initialised here; each run in a process
# of its own, as a clerk's is (a token's login belongs to the process) ---

@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Path:
    return make_token(tmp_path_factory.mktemp("softhsm"), pki.ec)


def scorecard(token: Path, *args: str, pin: str = PIN) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOFTHSM2_CONF": str(token), "SCORECARD_SIGN_PIN": pin}
    return subprocess.run([sys.executable, "-m", "scorecard", *args], env=env,
                          capture_output=True, text=True, timeout=300)


def on_token(out: Path, *, token: str = TOKEN, key: str = KEY, unit: str | None = "H05",
             jobs: int = 1) -> list[str]:
    return ["render", str(MONTH), "--out", str(out), "--issued", "2025-10-20", "--jobs",
            str(jobs), *(["--unit", unit] if unit else []), "--sign-pkcs11", str(SOFTHSM),
            "--sign-token", token, "--sign-key", key, "--signing-time", AT]


def test_a_month_signed_with_a_token_passes_pdfsig_and_verify(tmp_path, pki, token):
    done = scorecard(token, *on_token(tmp_path, unit=None, jobs=2))
    assert done.returncode == 0, done.stderr
    assert PIN not in done.stdout + done.stderr
    folder = tmp_path / "2025-10"
    rows = manifest(folder)
    assert len(rows) == 35
    for row in rows:
        assert "Signature Validation: Signature is Valid." in pdfsig(folder / row["file"])
    checked = scorecard(token, "verify", *(str(folder / r["file"]) for r in rows),
                        "--trust", str(pki.root))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "ký bởi Trần Thị Bình" in checked.stdout.splitlines()[0]
    assert STAMP.format(name="Trần Thị Bình") in pdf_text(folder / "summary.pdf")
    for f in folder.iterdir():
        assert PIN.encode() not in f.read_bytes()


def _open_token_from(args: tuple[str, float]) -> str:
    """In a worker process: from the moment `start` on, for a second, open the token's key
    again and again, as each worker of a render does once when it starts."""
    import time

    conf, start = args
    os.environ.update(SOFTHSM2_CONF=conf, SCORECARD_SIGN_PIN=PIN)
    spec = signing.SignSpec(signing.dt.datetime.fromisoformat(AT), pkcs11=str(SOFTHSM),
                            token=TOKEN, key=KEY)
    import pyhanko.sign.pkcs11  # noqa: F401 (loaded before the start: a first call takes a second)
    time.sleep(max(0.0, start - time.time()))
    try:
        while time.time() < start + 1:
            signing._from_token(spec)
    except SigningError as e:
        return e.text("en")
    return "ok"


def test_workers_opening_the_token_at_the_same_moment_all_find_it(token):
    """Processes starting SoftHSM2 together fail to read its token now and then ('no such
    token': softhsm/SoftHSMv2#757): a month signed at --jobs 2 failed in CI on one page.
    Three processes opening it together for a second: most openings failed before the retry."""
    import multiprocessing
    import time

    with multiprocessing.get_context("spawn").Pool(3) as pool:
        start = time.time() + 8  # after the three have started and loaded pyHanko
        assert pool.map(_open_token_from, [(str(token), start)] * 3) == ["ok"] * 3


@pytest.mark.parametrize("case, pin, where, expected", [
    ("wrong PIN", "000000", {},
     f"Lỗi: token '{TOKEN}': sai mã PIN (biến môi trường SCORECARD_SIGN_PIN); lưu ý token tự "
     "khóa sau vài lần nhập sai"),
    ("no PIN", "", {},
     "Lỗi: chưa có mã PIN của token: hãy đặt biến môi trường SCORECARD_SIGN_PIN (mã PIN không "
     "bao giờ nhận qua tùy chọn)"),
    ("missing token", PIN, {"token": "Token khac"},
     f"Lỗi: không thấy token 'Token khac' qua thư viện {SOFTHSM}: token đã cắm chưa, tên "
     "(nhãn) có đúng không?"),
    ("missing key", PIN, {"key": "Khoa khac"},
     f"Lỗi: token '{TOKEN}' không có khóa bí mật tên 'Khoa khac'"),
])
def test_a_token_that_cannot_sign_is_refused_before_anything_is_written(
        tmp_path, token, case, pin, where, expected):
    jobs = 2 if case == "wrong PIN" else 1  # the workers started before the check stop too
    done = scorecard(token, *on_token(tmp_path, unit=None, jobs=jobs, **where), pin=pin)
    assert done.returncode == 1, case
    assert done.stderr == expected + "\n"
    assert done.stdout == ""
    assert not (tmp_path / "2025-10").exists()



def test_a_key_that_is_not_the_certificates_is_refused_before_anything_is_written(
        tmp_path, pki):
    # cryptography will not even write such a PKCS#12 file; a token can hold such a pair
    (tmp_path / "token").mkdir()
    odd = make_token(tmp_path / "token", pki.no_usage, cert_of=pki.ec)
    done = scorecard(odd, *on_token(tmp_path / "out"))
    assert done.returncode == 1
    assert done.stderr == "Lỗi: khóa bí mật không khớp với chứng thư số của Trần Thị Bình\n"
    assert not (tmp_path / "out").exists()


# --- the mail job sends signed files, and nobody twice after a re-signing ---

def test_the_mail_job_sends_the_signed_pdf_and_nobody_twice_after_a_resign(runner, tmp_path,
                                                                            pki):
    from email import message_from_bytes, policy

    from smtpserver import SMTPServer

    rcpt = tmp_path / "recipients.csv"
    rcpt.write_text("code,to\nH05,vp@bacninh.gov.vn\n", encoding="utf-8")
    assert render(runner, tmp_path / "out", *p12(pki.ec)).exit_code == 0
    folder = tmp_path / "out" / "2025-10"
    sent_pdf = (folder / "H05_bac-ninh.pdf").read_bytes()
    args = ["mail", str(folder / "manifest.csv"), "--recipients", str(rcpt), "--from",
            "bang-diem@tinh.gov.vn", "--smtp-host", "127.0.0.1", "--backoff", "0",
            "--ledger", str(tmp_path / "ledger.sqlite")]
    with SMTPServer() as server:
        first = runner.invoke(cli, [*args, "--smtp-port", str(server.port)])
        assert first.exit_code == 0, first.output
        assert len(server.handler.received) == 1
        message = message_from_bytes(server.handler.received[0][1].as_bytes(),
                                     policy=policy.default)
        attached = next(message.iter_attachments())
        assert attached.get_content() == sent_pdf
        # signed again on another day: other bytes, the same page, so nothing is sent
        signing.signer.cache_clear()
        again = render(runner, tmp_path / "out", *p12(pki.ec, at="2025-10-21T08:00:00+07:00"))
        assert again.exit_code == 0
        assert (folder / "H05_bac-ninh.pdf").read_bytes() != sent_pdf
        second = runner.invoke(cli, [*args, "--smtp-port", str(server.port)])
        assert second.exit_code == 0, second.output
        assert len(server.handler.received) == 1
    saved = tmp_path / "received.pdf"
    saved.write_bytes(attached.get_content())
    checked = runner.invoke(cli, ["verify", str(saved), "--trust", str(pki.root)])
    assert checked.exit_code == 0, checked.output


# --- PAdES B-T: a time-stamp authority's token in every signature ---

def test_with_a_tsa_every_signature_carries_its_time_stamp(runner, tmp_path, pki):
    from pki import TsaServer

    with TsaServer(pki) as tsa:
        done = render(runner, tmp_path, *p12(pki.ec), "--tsa", tsa.url, unit=None, jobs=1)
        assert done.exit_code == 0, done.output
        assert tsa.requests >= 35  # one per PDF (and pyHanko's sizing request)
    folder = tmp_path / "2025-10"
    files = [folder / r["file"] for r in manifest(folder)]
    checked = runner.invoke(cli, ["verify", *map(str, files), "--trust", str(pki.root)])
    assert checked.exit_code == 0, checked.output
    first = checked.output.splitlines()[0]
    assert first.startswith("H01_an-giang.pdf: ký bởi Trần Thị Bình, lúc 20/10/2025 09:00:00 "
                            "(UTC+07:00); dấu thời gian của TSA thử nghiệm: ")
    assert first.endswith("; nguyên vẹn từ khi ký; chứng thư số tin cậy (chứng thư gốc CA thử "
                          "nghiệm Bộ TT&TT)")
    for f in files[:3]:
        assert "Signature Validation: Signature is Valid." in pdfsig(f)


def test_an_unreachable_tsa_is_named_before_anything_is_written(runner, tmp_path, pki):
    done = render(runner, tmp_path, *p12(pki.ec), "--tsa", "http://127.0.0.1:1/")
    assert done.exit_code == 1
    assert done.output.startswith("Lỗi: máy chủ cấp dấu thời gian http://127.0.0.1:1/ không "
                                  "trả lời được (")
    assert done.output.endswith("); hãy kiểm tra --tsa và mạng\n")
    assert len(done.output.splitlines()) == 1
    assert not (tmp_path / "2025-10").exists()
