"""The README's recipe for a scheduled month (issue 15, item 22): Task Scheduler starts in
System32 and cron in the home folder, so every path is absolute, the output goes to a log,
and the exit codes it tells the office to alert on are the ones the program uses."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import ROOT

from scorecard.console import INTERRUPTED
from scorecard.helptext import help_words

SECTION = ROOT.joinpath("README.md").read_text("utf-8").split(
    "## Running it every month")[1].split("\n## ")[0]


def block(language: str) -> str:
    return re.findall(rf"```{language}\n(.*?)```", SECTION, re.S)[0]


def test_every_path_of_the_recipes_is_absolute():
    windows, linux = block("powershell"), block("sh")
    assert "$root  = 'C:\\BangDiem'" in windows
    for line in windows.splitlines():  # every file is under $root
        assert not re.search(r"""["'](?!\$root|C:\\)[\w.-]+\\""", line), line
    assert "--out \"$root\\out\"" in windows and "*>> $log" in windows
    for token in re.findall(r"""["']?[\w$./-]*/[\w$./-]+""", linux):
        assert token.lstrip("\"'").startswith(("/", "$", "+")), token
    assert "--out /srv/bang-diem/out" in linux
    cron = block("text").strip()
    fields = cron.split()
    assert len(fields[:5]) == 5 and fields[5].startswith("/srv/") and ">> /srv/" in cron
    assert "/ST 07:30" in block("bat") and "-File C:\\BangDiem\\" in block("bat")


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
def test_the_linux_script_is_valid_shell():
    done = subprocess.run(["sh", "-n"], input=block("sh"), text=True, capture_output=True)
    assert done.returncode == 0, done.stderr


def test_the_exit_codes_to_alert_on_are_the_programs():
    table = {int(m) for m in re.findall(r"^\| (\d+) \|", SECTION, re.M)}
    said = " ".join(str(v.get("exit", "")) for v in help_words()["en"]["commands"].values())
    said += " " + help_words()["en"]["exit"]
    used = {int(c) for c in re.findall(r"\b(\d)\b [a-z]", said)} | {INTERRUPTED}
    assert table == used == {0, 1, 2, 3, 4, 130}
