"""Find the packaged data folders, installed or run from a checkout."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from .language import Language

_HERE = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    """`templates`, `fonts` or `data` as a real folder.

    setup.cfg maps the top-level templates/ and fonts/ into the installed package
    (scorecard/templates, scorecard/fonts); in a bare checkout they sit beside it.
    """
    for candidate in (_HERE / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the scorecard installation lacks its {name}/ folder; reinstall it")


@cache
def vocabulary() -> dict[str, dict[str, list[str]]]:
    """data/words.toml: the words that recognise headers, footers, levels in offices' files."""
    return tomllib.loads((resource_dir("data") / "words.toml").read_text("utf-8"))


@cache
def words(file: str, lang: Language) -> dict[str, str]:
    """One language's table of a bilingual data file (labels.toml, messages.toml)."""
    raw = tomllib.loads((resource_dir("data") / file).read_text("utf-8"))
    table: dict[str, str] = raw[lang]
    return table
