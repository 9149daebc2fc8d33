"""manifest.csv: what a render wrote, for machines (the mail job, other offices' scripts).

Its own module so that the mail side reads it without importing the renderer.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from pathlib import Path

from .errors import ScorecardError
from .files import write_atomic
from .messages import msg, printable

MANIFEST = "manifest.csv"
FIELDS = ("month", "kind", "level", "code", "name", "file", "sha256", "content_sha256", "bytes",
          "pages", "total", "rank", "rank_of", "rank_scope", "class")
KINDS = ("unit", "summary", "bulletin")
SCOPES = ("file", "published", "province")


@dataclass(frozen=True)
class ManifestRow:
    """One file. `rank` is an integer, `rank_of` the N it is out of (blank when unknown),
    `klass` the band's code from the index file (language-neutral), `total` a plain decimal."""

    month: str
    kind: str
    level: str
    code: str
    name: str
    file: str
    sha256: str
    content_sha256: str
    bytes: int
    pages: int
    total: str
    rank: str
    rank_of: str
    rank_scope: str
    klass: str

    def as_csv(self) -> list[str]:
        return [str(v) for v in astuple(self)]


def write_manifest(path: Path, rows: Sequence[ManifestRow]) -> None:
    """In one order, whichever command wrote last: the units, the summary, the bulletins.

    UTF-8 with a byte-order mark: without it Excel reads the file in the Windows code page
    and a clerk sees 'Báº¯c Ninh'; machines read it with `utf-8-sig` (Python), pandas, or
    any CSV reader that skips a BOM."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows([_inert(printable(c)) for c in r.as_csv()]
                     for r in sorted(rows, key=_order))
    write_atomic(path, buf.getvalue().encode("utf-8-sig"))


def _order(r: ManifestRow) -> tuple[int, str, str, str]:
    return KINDS.index(r.kind), r.level, r.code, r.name


def _inert(cell: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ as a formula: a unit named
    '=HYPERLINK(…)' must stay text when the clerk opens the manifest in Excel."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


class ManifestResaved(ScorecardError):
    "The manifest was opened and saved again by a spreadsheet: its cells cannot be trusted"


def read_manifest(path: Path) -> list[ManifestRow]:
    """The rows of a manifest.csv, as written by write_manifest (with or without its BOM).

    A copy saved again by Excel — in the Windows code page, or with ';' between cells as a
    Vietnamese Excel writes — is named as such: Excel also turns `2025-10` into a date and
    `86.74` into `86,74`, so it is never read as if it were the manifest."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ManifestResaved(msg("manifest_resaved", file=path,
                                  why=msg("resaved_code_page"))) from e
    first = text.split("\n", 1)[0].strip()
    for sep in (";", "\t"):
        if tuple(c.strip('"') for c in first.split(sep)) == FIELDS:
            raise ManifestResaved(msg("manifest_resaved", file=path,
                                      why=msg("resaved_separator", sep=repr(sep))))
    with io.StringIO(text, newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if tuple(header or ()) != FIELDS:
            raise ScorecardError(msg("not_manifest", file=path, columns=",".join(FIELDS)))
        rows = []
        for r in reader:
            if not r:
                continue
            if len(r) != len(FIELDS):
                raise ValueError(f"{len(r)} cells instead of {len(FIELDS)}")
            cells: list[object] = list(r)
            cells[8], cells[9] = int(r[8]), int(r[9])
            rows.append(ManifestRow(*cells))  # type: ignore[arg-type]
        return rows


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()
