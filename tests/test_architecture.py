"""The walls between the parts (issue 10): read from the package's own imports, so that a
shortcut across them fails here rather than in a slow start-up or a renderer in the mail job."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "scorecard"
MAIL_WING = ("mail", "ledger", "deliver", "manifest", "files")


def imports() -> dict[str, set[str]]:
    """module ('render.pdf') -> the modules it imports ('scorecard.content', 'reportlab')."""
    out: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        package = name.split(".")[:-1] if not name.endswith("__init__") else name.split(".")[:-1]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = ["scorecard", *package[:len(package) - node.level + 1]]
                    mod = ".".join([*base, *([node.module] if node.module else [])])
                    found.add(mod)
                    found |= {f"{mod}.{a.name}" for a in node.names}
                else:
                    found.add(node.module or "")
        out[name] = found
    return out


def _hits(found: set[str], *prefixes: str) -> set[str]:
    return {m for m in found if any(m == p or m.startswith(p + ".") for p in prefixes)}


@pytest.mark.parametrize("module", MAIL_WING)
def test_the_mail_wing_imports_neither_the_renderer_nor_the_batch(module):
    assert not _hits(imports()[module], "scorecard.render", "scorecard.batch", "reportlab")


def test_the_renderer_reads_content_not_inputs_or_templates():
    for name, found in imports().items():
        if name.startswith("render."):
            assert not _hits(found, "scorecard.narrative", "scorecard.loaders",
                             "scorecard.validate", "scorecard.layout", "jinja2"), name


def test_the_core_imports_neither_click_nor_reportlab_and_nothing_imports_the_cli():
    for name, found in imports().items():
        if name not in ("cli", "helptext", "console", "__main__"):  # the click shell, help, entry
            assert not _hits(found, "click", "scorecard.cli", "scorecard.helptext"), name
        if not name.startswith("render.") and name != "batch":
            assert not _hits(found, "reportlab"), name


def test_importing_the_mail_side_loads_no_renderer_and_no_pandas():
    code = ("import sys, scorecard.deliver, scorecard.mail, scorecard.ledger\n"
            "print(sorted(m for m in ('reportlab', 'pandas', 'scorecard.batch') "
            "if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_the_cli_starts_without_pandas_or_reportlab():
    code = ("import sys, scorecard.cli\n"
            "print(sorted(m for m in ('reportlab', 'pandas') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


GROUND = ("errors", "messages", "resources", "language")  # issue 16: the ground floor
COMPOSERS = ("content.page", "content.summary", "content.bulletin", "content.mail",
             "content.blocks")


def _package(found: set[str]) -> set[str]:
    """What of the package a module imports, as module names ('messages', 'content.page')."""
    return {m.removeprefix("scorecard.") for m in found if m.startswith("scorecard.")}


@pytest.mark.parametrize("module", GROUND)
def test_the_ground_floor_imports_nothing_else_of_the_package(module):
    above = {m for m in _package(imports()[module]) if m.split(".")[0] not in GROUND}
    assert above == set(), module


def test_the_page_and_the_bulletin_are_composed_apart():
    found = imports()
    assert not _hits(found["content.page"], "scorecard.content.bulletin")
    assert not _hits(found["content.bulletin"], "scorecard.content.page")


def test_batch_and_bulletins_do_not_import_each_other():
    found = imports()
    assert not _hits(found["batch"], "scorecard.bulletins")
    assert not _hits(found["bulletins"], "scorecard.batch")


def test_renderers_read_content_objects_only():
    """No loader, validator or composer: a renderer lays out what content.objects holds."""
    for name, found in imports().items():
        if name.startswith("render."):
            assert not _hits(found, "scorecard.loaders", "scorecard.validate",
                             "scorecard.layout", "scorecard.portal", "scorecard.pipeline",
                             "scorecard.narrative", "scorecard.findings", "scorecard.scoring",
                             *(f"scorecard.{c}" for c in COMPOSERS)), name
            content = {m for m in _package(found) if m.startswith("content")}
            assert content <= {"content", "content.objects"} | {
                f"content.objects.{n}" for n in dir(__import__("scorecard.content.objects",
                                                               fromlist=["_"]))}, name


def test_the_content_objects_import_nothing_but_the_language():
    assert _package(imports()["content.objects"]) <= {"language", "language.Language"}


def test_the_web_page_and_the_cli_use_only_the_library_s_public_names():
    """The shells (the web page, the CLI) read the library by its public names: a private one
    (`_name`) may change under them without notice (the web once read pipeline's private
    period_in_name)."""
    private = {m for shell in ("cli", *[n for n in imports() if n.startswith("web.")])
               for m in imports()[shell]
               if m.startswith("scorecard.") and m.rsplit(".", 1)[-1].startswith("_")
               and not m.endswith("__init__")}
    assert not private
