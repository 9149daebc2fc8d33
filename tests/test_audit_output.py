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
    return runner.invoke(cli, ["render", str(MONTH), "--out", str(out), "--jobs", "1",
                               "--issued", "2025-10-20", *extra], **invoke)


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
