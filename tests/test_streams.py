"""Every command's output is UTF-8 into a file or a pipe, whatever the code page of the
stream (issue 15, item 17): with cp1258 or cp437, as a redirected stream on Windows has
them, `render … > log` wrote every PDF and then died on its last line (exit 1, so `render &&
mail` never mailed), and errors came out as `L\\u1ed7i`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES

from scorecard.helptext import safe_output

MONTH = str(EXAMPLES / "2025-10_tinh-thanh.csv")


def run(args: list[str], encoding: str, tmp_path: Path, to_file: bool = False):
    """`python -m scorecard …` with PYTHONIOENCODING=encoding, stdout to a pipe or a file."""
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    env.pop("SCORECARD_LANG", None)
    log = tmp_path / "log.txt"
    with log.open("wb") as out:
        done = subprocess.run([sys.executable, "-m", "scorecard", *args], env=env,
                              stdout=out if to_file else subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=120)
    stdout = log.read_bytes() if to_file else done.stdout
    return done.returncode, stdout.decode("utf-8"), done.stderr.decode("utf-8")


@pytest.mark.parametrize("encoding", ["cp1258", "cp437"])
def test_render_into_a_log_file_ends_with_its_last_line(tmp_path, encoding):
    code, out, err = run(["render", MONTH, "--unit", "H05", "--out", str(tmp_path / "out"),
                          "--office", "Văn phòng UBND tỉnh Bắc Ninh", "--jobs", "1"],
                         encoding, tmp_path, to_file=True)
    assert (code, err) == (0, "")
    assert out.startswith("Đã tạo 1 PDF và manifest.csv trong ")


@pytest.mark.parametrize("encoding", ["cp1258", "cp437"])
def test_every_command_speaks_utf8_into_a_pipe(tmp_path, encoding):
    code, out, _ = run(["validate", MONTH], encoding, tmp_path)
    assert code == 0
    assert "Kỳ: Tháng 10/2025 (2025-10)\nTỉnh, thành phố: 34\n" in out
    code, out, _ = run(["narrate", MONTH, "--unit", "Bắc Ninh"], encoding, tmp_path)
    assert code == 0
    assert out.startswith("Trong tháng 10/2025, Chỉ số phục vụ người dân, doanh nghiệp của tỉnh "
                          "Bắc Ninh trên Cổng Dịch vụ công quốc gia đạt 91,52/100 điểm")
    code, out, _ = run(["bulletin", MONTH, "--unit", "H05", "--out", str(tmp_path / "out")],
                       encoding, tmp_path)
    assert code == 0
    assert out.startswith("Đã tạo bản dự thảo báo cáo ")
    code, _, err = run(["mail", str(tmp_path / "out" / "2025-10" / "manifest.csv"),
                        "--status"], encoding, tmp_path)
    assert code == 1
    assert err.startswith("Lỗi: chưa có sổ gửi")
    code, out, _ = run(["render", "--help"], encoding, tmp_path)
    assert code == 0
    assert out.startswith("Cách dùng: scorecard render [OPTIONS] [DATA]\n\n  Ghi PDF của từng")


@pytest.mark.parametrize("encoding", ["cp1258", "cp437"])
def test_errors_are_words_not_escapes(tmp_path, encoding):
    bad = tmp_path / "thang-10.csv"
    bad.write_text("TEN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH,month\nBắc Ninh,mười,1,1,1,1,1,2025-10\n",
                   "utf-8")
    code, out, err = run(["validate", str(bad)], encoding, tmp_path)
    assert (code, out) == (1, "")
    assert err.startswith("Lỗi: Có 1 lỗi:\n")
    assert "cột 'CKMB': 'mười' không phải là số" in err
    code, _, err = run(["render", MONTH, "--jobs", "không"], encoding, tmp_path)
    assert code == 2
    assert err.endswith("Lỗi: Giá trị không hợp lệ cho '--jobs': 'không' không phải là số "
                        "hợp lệ (integer range).\n")


class Terminal(io.BytesIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_keeps_its_encoding_and_shows_what_it_lacks_as_a_question_mark(monkeypatch):
    screen, pipe = Terminal(), io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(screen, encoding="cp437"))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(pipe, encoding="cp1258"))
    safe_output()
    print("Lỗi: Bắc Ninh", file=sys.stdout, flush=True)
    print("Lỗi: Bắc Ninh", file=sys.stderr, flush=True)
    assert screen.getvalue() == "L?i: B?c Ninh\n".encode("cp437")
    assert pipe.getvalue() == "Lỗi: Bắc Ninh\n".encode()
