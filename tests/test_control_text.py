"""A control character never crashes the bulletin's DOCX (issue 15, item 10): refused in an
option (exit 2, nothing written), dropped from a name read from a file (which `validate`
warns of), refused in a targets file (tests/test_option_files.py)."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES
from docx import Document

from scorecard.cli import cli

MONTH = EXAMPLES / "2025-10_tinh-thanh.csv"


@pytest.mark.parametrize("option", ["--office", "--parent-office", "--place", "--number",
                                    "--signer-title", "--signer", "--cc-list"])
def test_a_control_character_in_an_option_is_refused_and_nothing_written(runner, tmp_path,
                                                                          option):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["bulletin", str(MONTH), "--unit", "H05", "--out", str(out),
                                 option, "Văn phòng\x0bUBND"])
    assert result.exit_code == 2
    assert result.output.endswith(
        f"Lỗi: Giá trị không hợp lệ cho '{option}': có ký tự điều khiển \\x0b (không in được, "
        "thường do dán từ nơi khác); hãy gõ lại giá trị này\n")
    assert not out.exists()


def test_the_same_from_the_environment_and_on_render(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["render", str(MONTH), "--unit", "H05", "--out", str(out),
                                 "--lang", "en"], env={"SCORECARD_OFFICE": "Văn phòng\x07"})
    assert result.exit_code == 2
    assert "Error: Invalid value for '--office': holds the control character \\x07" in (
        result.output)
    assert not out.exists()


def test_a_control_character_in_a_units_name_is_dropped_from_the_docx(runner, tmp_path):
    """A department's name from the --sub-units file goes into the annex as the file has it."""
    subs = tmp_path / "so-ban.csv"
    subs.write_text((EXAMPLES / "2025-10_so-ban-an-giang.csv").read_text("utf-8").replace(
        "Sở Văn hóa và Thể thao", "Sở Văn hóa\x07 và Thể thao"), "utf-8")
    warned = runner.invoke(cli, ["validate", str(subs)])
    assert warned.exit_code == 0
    assert "có ký tự không thuộc chữ Việt (\\x07)" in warned.output
    result = runner.invoke(cli, ["bulletin", str(MONTH), "--unit", "An Giang", "--sub-units",
                                 str(subs), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    doc = Document(str(tmp_path / "out" / "2025-10" / "H01_an-giang_ban-tin.docx"))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Sở Văn hóa và Thể thao" in cells
    assert not any("\x07" in c for c in cells)
