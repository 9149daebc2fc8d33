"""Files written whole or not at all: what every output (PDF, manifest, e-mail, DOCX) uses."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import WriteError
from .messages import msg

LOCK = ".scorecard.lock"  # held while a command writes the folder
_APPS = {".csv": "app_csv", ".pdf": "app_pdf", ".docx": "app_docx"}


def write_atomic(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Temp file in the same folder, fsync, rename: a reader never sees half a file, and a
    failure anywhere (a read-only folder included) is one clear error with nothing left.
    `data` may come in parts (a national month's manifest: never all of it in memory)."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600: as any saved file instead
        with os.fdopen(fd, "wb") as f:
            for part in [data] if isinstance(data, bytes) else data:
                f.write(part)
            f.flush()
            os.fsync(f.fileno())
        replace(tmp, path)
    except BaseException as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError):  # (replace's own refusal is a WriteError already)
            raise write_error(path, e) from e
        raise


def replace(src: str | Path, dst: Path) -> None:
    """os.replace, whose refusal names the file that could not be replaced and what to close."""
    try:
        os.replace(src, dst)
    except PermissionError as e:
        raise write_error(dst, e, in_use=True) from e


def write_error(path: Path, e: OSError, in_use: bool = False) -> WriteError:
    """The file named; when the system refuses to replace or move it (on Windows, a file
    another program holds open), what to close."""
    if isinstance(e, PermissionError) and in_use:
        app = _APPS.get(path.suffix.lower(), "app_other")
        return WriteError(msg("file_in_use", file=path, app=msg(app)))
    return WriteError(msg("cannot_write", file=path, why=e.strerror or e))


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """One command at a time writes a month's folder (render, bulletin): a second one is
    refused up front instead of deleting the first one's temporary files. A lock file
    beside the outputs, through filelock, on Windows as on Linux; the folder is made first
    when it is not there."""
    from filelock import FileLock, Timeout

    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise write_error(folder, e) from e
    lock = FileLock(str(folder / LOCK), timeout=0)
    try:
        lock.acquire()
    except Timeout as e:
        raise WriteError(msg("folder_busy", folder=folder)) from e
    except OSError as e:
        raise WriteError(msg("cannot_write", file=folder / LOCK, why=e.strerror or e)) from e
    try:
        yield
    finally:
        lock.release()


def _umask() -> int:
    """The process's umask (read by setting it, the only portable way, and put back)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask
