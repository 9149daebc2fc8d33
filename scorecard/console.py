"""The `scorecard` command's entry point: Ctrl-C at any moment is one line and exit 130.

Kept apart from cli.py, and the package's __init__ imports nothing heavy, so that a Ctrl-C
while the libraries load (it printed a traceback from inside them) is caught here too.
"""

from __future__ import annotations

import os
import sys

INTERRUPTED = 130  # 128 + SIGINT: what a shell reports for a command stopped by Ctrl-C


def main() -> None:
    """Load the CLI and run it; cli.py turns a Ctrl-C during a command into the same line.

    A one-file executable is also its own helper processes: the render's workers (Windows
    starts them as the program: multiprocessing.freeze_support) and the workbook reader.
    """
    try:
        import multiprocessing

        multiprocessing.freeze_support()
        if sys.argv[1:] == ["--scorecard-workbook-reader"]:  # loaders.READER
            from .loaders import _child

            _child()
            return
        from .cli import cli

        cli(prog_name="scorecard")
    except KeyboardInterrupt:  # while the libraries load, or in click's code around a command
        interrupted()


def interrupted() -> None:
    """Say, in the run's language, that the run was stopped; exit 130. Every command writes
    through temporary files, so nothing is left half-written."""
    try:
        from .language import help_language, language  # not click's: it may be half-loaded
        from .messages import msg

        text = msg("interrupted").text(language(help_language(sys.argv[1:], os.environ)))
        print(text, file=sys.stderr, flush=True)
    except BaseException:  # a second Ctrl-C, or a half-loaded module: stop all the same
        pass
    # Not sys.exit: the work is unwound already (temp files gone, the pool shut down), and a
    # Ctrl-C that reached the interpreter while it finalises (default handler back) killed it
    # with -2 instead of 130.
    sys.stdout.flush()
    os._exit(INTERRUPTED)
