"""What keeps a render fast (issue 22), checked by what it does rather than by timing it:
the timings are benchmarks/run.py's, on demand."""

from __future__ import annotations

import subprocess
import sys

from conftest import EXAMPLES


def test_a_render_with_no_store_file_imports_no_sqlalchemy(tmp_path):
    """The default store not made yet (nothing imported): no tenth of a second for
    SQLAlchemy's import, and still no file made by reading."""
    db = tmp_path / "none" / "scorecard.sqlite"
    code = ("import sys\n"
            "from scorecard.pipeline import Options, load\n"
            f"loaded = load(Options({str(EXAMPLES / '2025-10_tinh-thanh.csv')!r}, "
            f"db={'sqlite:///' + str(db)!r}))\n"
            "print(len(loaded.cards), 'sqlalchemy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["34", "False"]
    assert not db.exists() and not db.parent.exists()
