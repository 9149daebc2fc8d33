"""Files written whole or not at all: what every output (PDF, manifest, e-mail, DOCX) uses."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import WriteError
from .messages import msg


def write_atomic(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename: a reader never sees half a file, and a
    failure anywhere (a read-only folder included) is one clear error with nothing left."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600: as any saved file instead
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise WriteError(msg("cannot_write", file=path, why=e.strerror or e)) from e
        raise


def _umask() -> int:
    """The process's umask (read by setting it, the only portable way, and put back)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask
