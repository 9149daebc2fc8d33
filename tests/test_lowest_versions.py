"""constraints/lowest.txt pins each dependency at its lower bound in setup.cfg (issue 15,
item 23): the documented run on the lowest versions checks the bounds users install."""

from __future__ import annotations

import configparser
import re

from conftest import ROOT


def bounds() -> dict[str, str]:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    found = {}
    for line in cfg["options"]["install_requires"].splitlines():
        m = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)(?:\[[^]]*\])?>=([0-9.]+)\s*", line)
        if m:
            found[m[1].lower()] = m[2]
    return found


def test_the_constraints_file_is_the_lower_bounds():
    lines = (ROOT / "constraints" / "lowest.txt").read_text("utf-8").splitlines()
    pinned = dict(line.lower().split("==") for line in lines if line and not line.startswith("#"))
    assert set(pinned) == set(bounds())
    for name, low in bounds().items():
        assert tuple(map(int, pinned[name].split("."))) >= tuple(map(int, low.split(".")))
        assert pinned[name].startswith(low), (name, low, pinned[name])


def test_no_extra_that_does_not_build_and_the_checkers_are_pinned():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    assert "reportlab[accel]" not in cfg["options"]["install_requires"]
    test = cfg["options.extras_require"]["test"]
    assert re.search(r"^ruff==[0-9.]+$", test, re.M) and re.search(r"^mypy==[0-9.]+$", test, re.M)
