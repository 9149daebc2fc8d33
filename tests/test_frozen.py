"""A one-file executable (PyInstaller) reads workbooks (issue 15, item 18): its
sys.executable is the program itself, which has no `-c`, so the reader is started as the
program with one argument that the entry point answers before anything else.

The real build is benchmarks/build_exe.py (on demand: it downloads PyInstaller)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from conftest import WORKBOOK

from scorecard import loaders
from scorecard.console import main


@pytest.fixture
def frozen(tmp_path, monkeypatch) -> Path:
    """sys.executable as a one-file build has it: a program that runs the `scorecard`
    command (with sys.frozen set, as PyInstaller's boot loader sets it)."""
    program = tmp_path / "scorecard-frozen"
    program.write_text(f"#!{sys.executable}\nimport sys\nsys.frozen = True\n"
                       "from scorecard.console import main\nmain()\n", "utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    return program


@pytest.mark.skipif(os.name == "nt", reason="the stand-in program is a script with a #! line")
def test_a_frozen_program_reads_a_workbook_through_itself(frozen):
    assert loaders.reader_command() == [str(frozen), loaders.READER]
    book = loaders.read_book(WORKBOOK)
    assert [g.name for g in book.grids][:2] == ["Điểm năm", "Điểm tháng"]
    month = next(g for g in book.grids if g.name == "Điểm tháng")
    assert any("An Giang" in str(c) for row in month.rows for c in row)


def test_the_entry_point_answers_the_reader_argument(monkeypatch, capsysbinary):
    """What console.main does with the argument: read the workbook on stdin, answer with the
    pickled sheets (as the parent expects), never start the command line."""
    import io
    import pickle

    monkeypatch.setattr(sys, "argv", ["scorecard", loaders.READER])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(WORKBOOK.read_bytes())))
    if os.name == "posix":  # the reader limits its address space: not this test's process
        import resource

        monkeypatch.setattr(resource, "setrlimit", lambda *a: None)
    main()
    kind, sheets = pickle.loads(capsysbinary.readouterr().out)
    assert kind == "ok" and len(sheets) >= 2
