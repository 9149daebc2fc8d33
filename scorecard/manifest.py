"""manifest.csv: what a render wrote, for machines (the mail job, other offices' scripts).

Its own module so that the mail side reads it without importing the renderer.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ScorecardError
from .files import write_atomic
from .messages import msg, printable
from .units import slug

if TYPE_CHECKING:
    from .model import Scorecard
    from .period import Period

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
        return [str(getattr(self, f.name)) for f in fields(self)]  # astuple deep-copied each


def file_name(card: Scorecard, ending: str = ".pdf") -> str:
    """`H01_an-giang.pdf`: ASCII only, nothing from the data that a shell or OS would mind;
    never a hidden file, never `summary.pdf`, never too long for a file system."""
    code = "".join(c for c in card.unit.code if c.isascii() and (c.isalnum() or c == "."))
    name = slug(card.unit.name)[:80].rstrip("-")
    return f"{code.lstrip('.') or 'unit'}_{name}{ending}"


def fingerprint(content: object, *dated: str) -> str:
    """sha256 of what a document says — figures, words, language — not of its bytes, leaving
    out its date fields (`dated`, dotted paths; a page's footer date and signature line by
    default): a render that changes only the issue date keeps it (the mail job keys on it)."""
    data = _plain(content)
    for path in dated or ("footer.issued", "footer.signed"):
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[key]
        node.pop(last)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(obj: object) -> Any:
    """dataclasses.asdict as JSON sees it (tuples as lists), without its deep copy of every
    string and number: a third of a page's fingerprint time."""
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    kind = type(obj)
    if kind not in _FIELDS:
        _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(obj)) if (
            dataclasses.is_dataclass(obj)) else None
    names = _FIELDS[kind]
    return obj if names is None else {n: _plain(getattr(obj, n)) for n in names}


_FIELDS: dict[type, tuple[str, ...] | None] = {}  # a dataclass's field names (None: not one)


def manifest_row(*, kind: str, period: Period, file: str, data: bytes, content: str,
                 pages: int = 0, card: Scorecard | None = None) -> ManifestRow:
    """The one way a row is made: a unit's page or bulletin (`card` gives the unit's fields:
    a department's or commune's published rank is said as `province`), or the summary."""
    rank = card and (card.portal_rank or card.rank)
    return ManifestRow(
        month=period.slug, kind=kind,
        level=card.unit.level.name.lower() if card else "",
        code=card.unit.code if card else "", name=card.unit.name if card else "", file=file,
        sha256=hashlib.sha256(data).hexdigest(), content_sha256=content, bytes=len(data),
        pages=pages, total="" if card is None or card.total is None else f"{card.total:f}",
        rank=str(rank.position) if rank else "",
        rank_of=str(rank.of) if rank and rank.of else "", rank_scope=rank.scope if rank else "",
        klass=card.band.code if card and card.band else "")


def write_manifest(path: Path, rows: Sequence[ManifestRow]) -> None:
    """In one order, whichever command wrote last: the units, the summary, the bulletins.

    UTF-8 with a byte-order mark: without it Excel reads the file in the Windows code page
    and a clerk sees 'Báº¯c Ninh'; machines read it with `utf-8-sig` (Python), pandas, or
    any CSV reader that skips a BOM. Written a row at a time: a national month's whole text
    and its bytes were 6 MB at once, the main process's peak."""
    write_atomic(path, _lines(sorted(rows, key=_order)))


def _lines(rows: Sequence[ManifestRow]) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    yield "\ufeff".encode()
    for cells in chain([FIELDS], ([_inert(printable(c)) for c in r.as_csv()] for r in rows)):
        writer.writerow(cells)
        yield buf.getvalue().encode("utf-8")
        buf.seek(0)
        buf.truncate()


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
