"""Issue 15, the items about written output: each defect of the outside audit, with its
reproducer built here."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import EXAMPLES

from scorecard.cli import cli

MONTH = EXAMPLES / "2025-10_tinh-thanh.csv"


def render(runner, out: Path, *extra: str, **invoke):
    issued = [] if "--issued" in extra else ["--issued", "2025-10-20"]  # given once
    return runner.invoke(cli, ["render", str(MONTH), "--out", str(out), "--jobs", "1",
                               *issued, *extra], **invoke)


# 19. output files follow the umask ---------------------------------------------------------

@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_output_files_follow_the_umask(runner, tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        result = render(runner, tmp_path, "--unit", "H24")
        eml = runner.invoke(cli, ["mail", str(tmp_path / "2025-10" / "manifest.csv"),
                                  "--recipients", str(write_recipients(tmp_path)), "--from",
                                  "a@tinh.gov.vn", "--dry-run", str(tmp_path / "eml")])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert eml.exit_code == 0, eml.output
    files = [tmp_path / "2025-10" / "H24_hai-phong.pdf", tmp_path / "2025-10" / "manifest.csv",
             tmp_path / "eml" / "H24_hai-phong.vi.eml"]
    assert {f.name: oct(stat.S_IMODE(f.stat().st_mode)) for f in files} == {
        f.name: oct(mode) for f in files}


def write_recipients(folder: Path) -> Path:
    p = folder / "recipients.csv"
    p.write_text("code,to\nH24,vp@haiphong.gov.vn\n", encoding="utf-8")
    return p


# 20. manifest.csv: Excel reads it as UTF-8, machines still parse it, a re-save is named -----

@pytest.fixture(scope="module")
def month(tmp_path_factory):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("render")
    result = render(CliRunner(), out, "--unit", "H05", "--unit", "H24")
    assert result.exit_code == 0, result.output
    return out / "2025-10"


def test_the_manifest_has_a_bom_for_excel_and_machines_parse_it(month):
    import csv

    import pandas as pd

    from scorecard.manifest import FIELDS, read_manifest

    data = (month / "manifest.csv").read_bytes()
    assert data[:3] == b"\xef\xbb\xbf"  # what makes Excel read UTF-8 instead of the code page
    assert data[3:].decode("utf-8").startswith("month,kind,level,code,name,file,")
    with (month / "manifest.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == FIELDS
    assert [(r["code"], r["name"]) for r in rows[:2]] == [("H05", "Bắc Ninh"), ("H24", "Hải Phòng")]
    frame = pd.read_csv(month / "manifest.csv", dtype=str, keep_default_na=False)
    assert tuple(frame.columns) == FIELDS
    assert list(frame["name"][:2]) == ["Bắc Ninh", "Hải Phòng"]
    assert [r.name for r in read_manifest(month / "manifest.csv")][:2] == ["Bắc Ninh",
                                                                         "Hải Phòng"]


def excel_resave(manifest: Path, sep: str, encoding: str) -> None:
    """What Excel writes on 'Save' of the manifest: its code page (or UTF-8 for 'CSV UTF-8'),
    ';' between cells in a Vietnamese locale, 2025-10 as a date, decimal commas."""
    import csv

    from conftest import to_cp1258

    with manifest.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    for r in rows[1:]:
        r[0] = "Oct-25"
        if sep == ";":
            r[10] = r[10].replace(".", ",")
    lines = "\r\n".join(sep.join(r) for r in rows) + "\r\n"
    if encoding == "cp1258":
        data = to_cp1258(lines)
    elif encoding == "utf-8-sig":
        data = lines.encode("utf-8-sig")
    else:
        data = lines.encode(encoding, errors="replace")
    manifest.write_bytes(data)


@pytest.mark.parametrize("sep, encoding, why", [
    (";", "cp1258", "lưu bằng bảng mã Windows, không phải UTF-8"),
    (",", "cp1252", "lưu bằng bảng mã Windows, không phải UTF-8"),
    (";", "utf-8-sig", "các ô cách nhau bằng ';'"),
])
def test_an_excel_resave_is_named_and_render_writes_the_manifest_anew(runner, tmp_path, month,
                                                                      sep, encoding, why):
    import shutil

    folder = tmp_path / "2025-10"
    shutil.copytree(month, folder)
    manifest = folder / "manifest.csv"
    excel_resave(manifest, sep, encoding)
    rcpt = write_recipients(tmp_path)
    sent = runner.invoke(cli, ["mail", str(manifest), "--recipients", str(rcpt), "--from",
                               "a@tinh.gov.vn", "--dry-run", str(tmp_path / "eml")])
    assert sent.exit_code == 1, sent.output
    assert f"{manifest} đã được mở và lưu lại bằng Excel hoặc chương trình bảng tính ({why})" \
        in sent.output
    assert "hãy chạy lại scorecard render" in sent.output
    assert "codec" not in sent.output
    again = render(runner, tmp_path, "--unit", "H24")
    assert again.exit_code == 0, again.output
    assert (f"Lưu ý: {manifest} đã được mở và lưu lại bằng Excel nên không dùng được; manifest "
            "được ghi lại từ đầu") in again.output
    from scorecard.manifest import read_manifest

    assert [r.file for r in read_manifest(manifest)] == ["H24_hai-phong.pdf"]


# 21. a file held open (Windows): named, what to close, the previous manifest kept ----------

def refuse_replace(monkeypatch, refused) -> None:
    """Windows refuses to replace or move a file another program holds open; simulated by
    refusing os.replace when `refused(src, dst)` says so."""
    real = os.replace

    def replace(src, dst, *args, **kw):
        if refused(Path(src).name, Path(dst).name):
            raise PermissionError(13, "The process cannot access the file because it is "
                                      "being used by another process")
        return real(src, dst, *args, **kw)

    monkeypatch.setattr(os, "replace", replace)


def copy_month(tmp_path: Path, month: Path) -> tuple[Path, dict[str, bytes]]:
    import shutil

    folder = tmp_path / "2025-10"
    shutil.copytree(month, folder)
    return folder, {p.name: p.read_bytes() for p in folder.iterdir()}


def test_a_manifest_open_in_excel_stops_the_run_up_front_naming_it(runner, tmp_path, month,
                                                                   monkeypatch):
    folder, before = copy_month(tmp_path, month)
    refuse_replace(monkeypatch, lambda src, dst: "manifest.csv" in (src, dst))
    result = render(runner, tmp_path, "--unit", "H24", "--issued", "2025-11-01")
    assert result.exit_code == 1, result.output
    assert (f"Lỗi: không ghi đè được {folder / 'manifest.csv'}: tệp đang mở trong một chương "
            "trình khác (hoặc chỉ được đọc); hãy đóng tệp trong Excel rồi chạy lại") \
        in result.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing written


def test_when_the_new_manifest_cannot_be_written_the_previous_is_kept(runner, tmp_path, month,
                                                                      monkeypatch):
    folder, before = copy_month(tmp_path, month)
    refuse_replace(monkeypatch, lambda src, dst: dst == "manifest.csv" and src.startswith(
        ".manifest.csv.") and "previous" not in src)
    result = render(runner, tmp_path, "--unit", "H24")
    assert result.exit_code == 1, result.output
    assert f"không ghi đè được {folder / 'manifest.csv'}" in result.output
    assert "hãy đóng tệp trong Excel rồi chạy lại" in result.output
    assert f"manifest cũ {folder / 'manifest.csv'} được giữ nguyên" in result.output
    assert (folder / "manifest.csv").read_bytes() == before["manifest.csv"]
    assert not list(folder.glob(".*.tmp"))


def test_a_pdf_open_in_a_reader_is_named_with_what_to_close(runner, tmp_path, month,
                                                            monkeypatch):
    folder, before = copy_month(tmp_path, month)
    refuse_replace(monkeypatch, lambda src, dst: dst == "H24_hai-phong.pdf")
    result = render(runner, tmp_path, "--unit", "H24", "--issued", "2025-11-01")
    assert result.exit_code == 1, result.output
    assert (f"không ghi đè được {folder / 'H24_hai-phong.pdf'}: tệp đang mở trong một chương "
            "trình khác (hoặc chỉ được đọc); hãy đóng tệp trong trình đọc PDF rồi chạy lại") \
        in result.output
    assert (folder / "H24_hai-phong.pdf").read_bytes() == before["H24_hai-phong.pdf"]


# 14. two renders of one month at once: the second is refused up front ----------------------

def test_a_second_render_of_the_same_month_is_refused_up_front(runner, tmp_path, month):
    from filelock import FileLock

    folder, before = copy_month(tmp_path, month)
    first = FileLock(str(folder / ".scorecard.lock"))  # a render of this month, still drawing
    first.acquire()
    its_temp = folder / ".H05_bac-ninh.pdf.abc123.tmp"  # one of its PDFs, half written
    its_temp.write_bytes(b"%PDF-1.4 half")
    try:
        second = render(runner, tmp_path, "--unit", "H24")
    finally:
        first.release()
    assert second.exit_code == 1, second.output
    assert (f"Lỗi: một lệnh scorecard khác đang ghi vào {folder}; hãy chờ lệnh đó xong rồi "
            "chạy lại") in second.output
    assert its_temp.read_bytes() == b"%PDF-1.4 half"  # the first run's files untouched
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p != its_temp} == before
    assert render(runner, tmp_path, "--unit", "H24").exit_code == 0  # once it is done


def test_a_bulletin_while_a_render_writes_the_month_is_refused_up_front(runner, tmp_path,
                                                                       month):
    """A bulletin adds its row to the month's manifest: written while a render of the month
    runs, the render's manifest (written last) would drop it, and the render sweeps the
    folder's temporary files, the bulletin's half-written one among them."""
    from filelock import FileLock

    folder, before = copy_month(tmp_path, month)
    first = FileLock(str(folder / ".scorecard.lock"))  # a render of this month, still drawing
    first.acquire()
    args = ["bulletin", str(MONTH), "--unit", "H05", "--out", str(tmp_path), "--issued",
            "2025-11-05"]
    try:
        second = runner.invoke(cli, args)
    finally:
        first.release()
    assert second.exit_code == 1, second.output
    assert (f"Lỗi: một lệnh scorecard khác đang ghi vào {folder}; hãy chờ lệnh đó xong rồi "
            "chạy lại") in second.output
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    again = runner.invoke(cli, args)
    assert again.exit_code == 0, again.output
    assert "H05_bac-ninh_ban-tin.docx" in (folder / "manifest.csv").read_text("utf-8-sig")


# 12. --jobs is capped at the cores and the units ------------------------------------------

def test_jobs_is_capped_at_the_cores_and_the_units_and_says_so(runner, tmp_path, monkeypatch):
    import scorecard.batch

    asked = []
    real = scorecard.batch.ProcessPoolExecutor

    def pool(max_workers, **kw):  # never start what was asked before looking at it
        asked.append(max_workers)
        return real(max_workers=min(max_workers, 2), **kw)

    monkeypatch.setattr(scorecard.batch, "ProcessPoolExecutor", pool)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    result = runner.invoke(cli, ["render", str(MONTH), "--out", str(tmp_path), "--jobs",
                                 "100000", "--issued", "2025-10-20", "--unit", "H05", "--unit",
                                 "H24", "--unit", "H01", "--unit", "H49"])
    assert result.exit_code == 0, result.output
    want = min(4, cores)
    assert asked == ([want] if want > 1 else [])
    assert (f"Lưu ý: --jobs 100000: dùng {want} tiến trình (máy có {cores} lõi CPU; số đơn vị "
            "đã chọn: 4)") in result.output
    whole = runner.invoke(cli, ["render", str(MONTH), "--out", str(tmp_path), "--jobs",
                                "100000", "--issued", "2025-10-20"])
    assert whole.exit_code == 0, whole.output
    assert asked[-1:] == ([cores] if cores > 1 else asked[-1:])
    assert f"Lưu ý: --jobs 100000: dùng {cores} tiến trình (máy có {cores} lõi CPU" \
        in whole.output
    default = runner.invoke(cli, ["render", str(MONTH), "--out", str(tmp_path), "--issued",
                                  "2025-10-20", "--unit", "H05"])
    assert default.exit_code == 0 and "--jobs" not in default.output  # nothing asked, nothing said


# 13. a name's escape sequences never reach the terminal or the manifest -------------------

OSC = "\x1b]0;HACKED\x07\x1b[2J"  # sets the terminal's title, then clears the screen


def departments_with_escapes(tmp_path: Path) -> Path:
    p = tmp_path / "so-ban-nganh.csv"
    p.write_text("month,MA_COQUAN,TEN,LOAI_COQUAN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH\n"
                 f"2025-10,STP,Sở Tư pháp{OSC},2,18,19,8,9,18,18\n"
                 "2025-10,SYT,Sở Y tế,2,17,18,7,8,17,17\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("extra", [[], ["--findings"]])
def test_narrate_shows_a_names_control_characters_escaped(runner, tmp_path, extra):
    data = departments_with_escapes(tmp_path)
    result = runner.invoke(cli, ["narrate", str(data), "--unit", "STP", *extra])
    assert result.exit_code == 0, result.output
    assert not any(c in result.output for c in "\x1b\x07")
    assert "Sở Tư pháp\\x1b]0;HACKED\\x07" in result.output  # as validate shows it
    if not extra:
        assert result.output.startswith("Trong tháng 10/2025, Chỉ số phục vụ người dân, doanh "
                                        "nghiệp của Sở Tư pháp\\x1b]0;HACKED\\x07")


def test_the_manifest_holds_no_control_character_and_mail_takes_it(runner, tmp_path):
    import unicodedata

    data = departments_with_escapes(tmp_path)
    result = runner.invoke(cli, ["render", str(data), "--out", str(tmp_path / "out"), "--jobs",
                                 "1", "--issued", "2025-10-20"])
    assert result.exit_code == 0, result.output
    manifest = tmp_path / "out" / "2025-10" / "manifest.csv"
    text = manifest.read_text(encoding="utf-8-sig")
    assert not [c for c in text if unicodedata.category(c) == "Cc" and c != "\n"]
    assert ",Sở Tư pháp\\x1b]0;HACKED\\x07\\x1b[2J," in text
    rcpt = tmp_path / "r.csv"
    rcpt.write_text("code,to\nSTP,vp@stp.gov.vn\nSYT,vp@syt.gov.vn\n", encoding="utf-8")
    sent = runner.invoke(cli, ["mail", str(manifest), "--recipients", str(rcpt), "--from",
                               "a@tinh.gov.vn", "--dry-run", str(tmp_path / "eml")])
    assert sent.exit_code == 0, sent.output


# 16. characters the font cannot draw are named; an early Ctrl-C is one line, exit 130 -------

@pytest.mark.parametrize("jobs", ["1", "2"])  # at 2 a worker looks, with the summary
def test_a_character_the_font_cannot_draw_is_named_with_its_unit(runner, tmp_path, jobs):
    import shutil
    import subprocess

    data = tmp_path / "so-ban-nganh.csv"
    data.write_text("month,MA_COQUAN,TEN,LOAI_COQUAN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH\n"
                    "2025-10,STP,Sở Tư pháp 😀,2,18,19,8,9,18,18\n"
                    "2025-10,SYT,Sở Y tế 中,2,17,18,7,8,17,17\n"
                    "2025-10,SCT,Sở Công Thương,2,16,18,7,8,17,17\n"
                    "2025-10,SNV,Sở Nội vụ,2,15,18,7,8,17,17\n", encoding="utf-8")
    result = runner.invoke(cli, ["render", str(data), "--out", str(tmp_path / "out"), "--jobs",
                                 jobs, "--issued", "2025-10-20", "--office", "Văn phòng ☃"])
    assert result.exit_code == 0, result.output
    notes = [ln for ln in result.output.splitlines() if "phông chữ không vẽ được" in ln]
    assert notes == [
        "Lưu ý: STP Sở Tư pháp 😀: phông chữ không vẽ được '😀' (U+1F600); các ký tự đó không "
        "có trên trang PDF (hãy sửa tên trong tệp dữ liệu)",
        "Lưu ý: SYT Sở Y tế 中: phông chữ không vẽ được '中' (U+4E2D); các ký tự đó không có "
        "trên trang PDF (hãy sửa tên trong tệp dữ liệu)",
        "Lưu ý: --office: phông chữ không vẽ được '☃' (U+2603); các ký tự đó không có trên "
        "trang PDF (hãy sửa tên trong tệp dữ liệu)"]
    if shutil.which("pdftotext"):  # the warning is true: the page lacks the character
        page = subprocess.run(["pdftotext", str(tmp_path / "out" / "2025-10" /
                                                "STP_so-tu-phap.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "Sở Tư pháp" in page and "😀" not in page


def _python_catches_sigint(pid: int) -> None:
    """Wait until the interpreter has put its Ctrl-C handler in place: before that (a loaded
    machine can take more than 0.2 s to start Python) the kernel's default ends any program
    with -2, before a line of it has run."""
    import time

    status = Path(f"/proc/{pid}/status")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            caught = next(line for line in status.read_text().splitlines()
                          if line.startswith("SigCgt:"))
        except (OSError, StopIteration):  # not Linux, or the process is gone: nothing to wait for
            return
        if int(caught.split()[1], 16) & (1 << 1):  # bit 1: SIGINT (signal 2)
            return
        time.sleep(0.005)


def _assert_complete(manifest: Path, units: int = 34) -> None:
    """A manifest that exists lists every unit and the summary, each file there with its hash."""
    import csv
    import hashlib

    with manifest.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sum(r["kind"] == "unit" for r in rows) == units
    assert sum(r["kind"] == "summary" for r in rows) == 1
    for row in rows:
        data = (manifest.parent / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["file"]


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="sends Ctrl-C to a process group")
@pytest.mark.parametrize("delay", [0.2, 0.5, 1.0, 2.0])
def test_ctrl_c_at_any_moment_is_one_line_and_exit_130(tmp_path, delay):
    """As a terminal does: SIGINT to the whole group (the workers too), while the libraries
    load, while the data is read, while the workers start and while they draw: 1,000 units,
    so that the run lasts a few seconds (34 took half a second and ended before most)."""
    import signal
    import subprocess
    import sys
    import time

    month = tmp_path / "so-ban.csv"
    month.write_text("month,MA_COQUAN,TEN,LOAI_COQUAN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH\n" + "".join(
        f"2025-10,S{i:03d},Sở thứ {i},2,{9 + i % 9},{10 + i % 10},6,5,{9 + i % 9},{11 + i % 11}\n"
        for i in range(1000)), encoding="utf-8")
    args = [sys.executable, "-m", "scorecard", "render", str(month), "--out",
            str(tmp_path / "out"), "--jobs", "2"]
    lines = {"vi": "Đã dừng (Ctrl-C): không có tệp nào bị ghi dở; chạy lại lệnh khi cần.",
             "en": "Stopped (Ctrl-C): no file was left half-written; run the command again "
                   "when needed."}
    for lang in ("vi", "en"):
        proc = subprocess.Popen([*args, "--lang", lang], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
        _python_catches_sigint(proc.pid)
        time.sleep(delay)
        if proc.poll() is not None:  # a fast machine finished first: nothing to interrupt
            proc.communicate()
            continue
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        done = out.decode().splitlines()[-1:] and out.decode().splitlines()[-1].startswith(
            ("Đã tạo 1.000 PDF + summary.pdf", "Wrote 1,000 PDFs + summary.pdf"))
        if proc.returncode in (0, -2) and done and not err:  # the run had finished and
            # written its last line: the Ctrl-C met the interpreter closing down, after the
            # last line of Python (0) or once Python's handler was gone (-2). Its files are
            # then all there and true.
            for manifest in (tmp_path / "out").rglob("manifest.csv"):
                _assert_complete(manifest, 1000)
            continue
        assert proc.returncode == 130, err.decode()
        assert err.decode().splitlines() == [lines[lang]]
        assert not list((tmp_path / "out").rglob("*.tmp"))
        for manifest in (tmp_path / "out").rglob("manifest.csv"):
            _assert_complete(manifest, 1000)  # written before the Ctrl-C: whole and true
