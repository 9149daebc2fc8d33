"""A plain `pip install .` ships every module: setup.cfg lists the packages by hand, and an
editable install (what developers run) hides a missing one."""

from __future__ import annotations

import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_folder_of_modules_is_a_listed_package():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    listed = set(cfg["options"]["packages"].split())
    folders = {".".join(p.parent.relative_to(ROOT).parts)
               for p in (ROOT / "scorecard").rglob("*.py")}
    assert folders - listed == set()
