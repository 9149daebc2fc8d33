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
