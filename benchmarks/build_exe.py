"""Build `scorecard` as one executable file (PyInstaller) and check it on the example month.

On demand, never in CI: it makes a throw-away virtual environment, installs PyInstaller and
the project into it (downloads; a few minutes), builds `dist/scorecard` (`scorecard.exe` on
Windows), then with the built program: validates the real An Giang workbook (the workbook
reader runs as the program itself), renders the example month with two workers, and
compares every PDF with the installed command's, byte for byte.

    python benchmarks/build_exe.py [--out DIR]    # DIR keeps the program (default: a temp dir)
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MONTH = ROOT / "examples" / "2025-10_tinh-thanh.csv"
WORKBOOK = ROOT / "tests" / "data" / "portal-export_2025-10-16_an-giang.xlsx"
# data files the program reads at run time: the package's own, the fonts and templates
# mapped into it, reportlab's, babel's locales, python-docx's default template
COLLECT = ("scorecard", "reportlab", "babel", "docx")


def run(*args: object, **kw: object) -> subprocess.CompletedProcess[str]:
    print("$", " ".join(map(str, args)), flush=True)
    return subprocess.run([str(a) for a in args], check=True, text=True, **kw)  # type: ignore[call-overload]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="keep the build here")
    opts = ap.parse_args()
    work = opts.out or Path(tempfile.mkdtemp(prefix="scorecard-exe-"))
    work.mkdir(parents=True, exist_ok=True)
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    started = time.perf_counter()
    run(python, "-m", "pip", "install", "-q", "pyinstaller", str(ROOT))
    package = Path(run(python, "-c", "import scorecard, pathlib; "
                           "print(pathlib.Path(scorecard.__file__).parent)",
                       capture_output=True, cwd=work).stdout.strip())  # not the checkout
    # the fonts and templates setup.cfg maps into the package have no __init__.py:
    # PyInstaller's --collect-data passes them over
    mapped = [x for name in ("fonts", "templates")
              for x in ("--add-data", f"{package / name}{os.pathsep}scorecard/{name}")]
    entry = work / "scorecard_entry.py"
    entry.write_text("from scorecard.console import main\n\nmain()\n", "utf-8")
    run(python, "-m", "PyInstaller", "--onefile", "--noconfirm", "--name", "scorecard",
        "--distpath", work / "dist", "--workpath", work / "build", "--specpath", work,
        "--collect-submodules", "scorecard", "--copy-metadata", "scorecard",
        *(x for name in COLLECT for x in ("--collect-data", name)), *mapped, entry)
    program = work / "dist" / ("scorecard.exe" if os.name == "nt" else "scorecard")
    built = time.perf_counter() - started
    check = run(program, "validate", WORKBOOK, "--month", "2025-10", capture_output=True)
    assert "Tỉnh, thành phố: 34" in check.stdout, check.stdout
    same = ("--issued", "2025-10-20", "--history", ROOT / "examples" / "2025-09_tinh-thanh.csv",
            "--office", "Văn phòng UBND tỉnh An Giang", "--jobs", "2")
    t0 = time.perf_counter()
    run(program, "render", MONTH, "--out", work / "frozen", *same)
    frozen_s = time.perf_counter() - t0
    run(bin_dir / "scorecard", "render", MONTH, "--out", work / "installed", *same)
    a, b = work / "frozen" / "2025-10", work / "installed" / "2025-10"
    pdfs = sorted(p.name for p in a.glob("*.pdf"))
    _, differ, missing = filecmp.cmpfiles(a, b, pdfs, shallow=False)
    print(f"\nbuilt {program} ({program.stat().st_size / 2**20:.0f} MB) in {built:.0f} s")
    print(f"validate of the An Giang workbook: OK; render of 34 units: {frozen_s:.1f} s")
    print(f"PDFs: {len(pdfs)}, byte-identical to the installed command's: "
          f"{len(pdfs) - len(differ) - len(missing)}")
    if differ or missing:
        sys.exit(f"different: {differ} missing: {missing}")


if __name__ == "__main__":
    main()
