"""Read a data file as it comes — CSV/TSV text, XLSX, XLS, ODS or the portal's JSON — into grids
of cells, exactly as the user typed them (text stays text, blanks stay blank).

Which sheet and which row is the header is decided later (layout.py): a loader only reads.
Every way a reader can fail ends here as one UnsupportedFormat naming the file.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import pickle
import re
import subprocess
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from .errors import UnsupportedFormat
from .messages import Msg, msg

MAX_ROWS = 200_000  # a commune sheet of the whole country is 3,300 rows
MAX_COLUMNS = 512
MAX_XML_BYTES = 512 * 2**20  # what a sheet may inflate to before it is a zip bomb
CHILD_MEMORY = 4 * 2**30  # the reader's address space
CHILD_SECONDS = 120
SEPARATORS = (",", ";", "\t")
_LINE_END = re.compile(r"\r\n|\r|\n")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # an OOXML file with a password
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d{1,7})"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="[A-Z]*\d*:?([A-Z]{1,3})(\d{1,7})"')
_FORMULA_NO_VALUE = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3}\d{1,7})"[^>]*>\s*<(?:\w+:)?f\b(?:[^>]*/>|[^>]*>[^<]*'
    rb'</(?:\w+:)?f>)\s*</(?:\w+:)?c>')


@dataclass(frozen=True)
class Grid:
    """One sheet's cells, row by row (row 0 is the file's first row)."""

    name: str | None  # None for a CSV
    rows: list[list[Any]]
    hidden: bool = False
    chart: bool = False


@dataclass(frozen=True)
class Book:
    """What a file holds: one grid (CSV) or a workbook's sheets, in their order."""

    path: Path
    format: str  # "csv" | "xlsx" | "xls" | "ods" | "json"
    grids: tuple[Grid, ...]
    encoding: str | None = None
    json: Any = None  # the parsed document, for the JSON readers (portal.py)
    notes: tuple[Msg, ...] = field(default=())


def read_book(path: str | Path) -> Book:
    """Read any supported file; the format comes from the content, not the file name."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise UnsupportedFormat(msg("cannot_read", file=p, why=e.strerror or e)) from e
    if not data.strip():
        raise UnsupportedFormat(msg("empty_file", file=p))
    fmt = sniff(data)
    if fmt == "encrypted":
        raise UnsupportedFormat(msg("encrypted", file=p))
    if fmt == "zip":
        raise UnsupportedFormat(msg("not_a_workbook", file=p))
    if fmt in ("xlsx", "xls", "ods"):
        return Book(p, fmt, tuple(_read_workbook(p, data, fmt)))
    text, encoding = decode(p, data)
    if fmt == "json" or text.lstrip()[:1] in ("{", "["):
        try:
            doc = json.loads(text, parse_float=str, parse_int=str)
        except (json.JSONDecodeError, RecursionError) as e:
            where = f"{e.lineno}:{e.colno}" if isinstance(e, json.JSONDecodeError) else "?"
            raise UnsupportedFormat(msg("bad_json", file=p, where=where)) from e
        return Book(p, "json", (), encoding, doc)
    return Book(p, "csv", (Grid(None, _csv_rows(text)),), encoding)


def sniff(data: bytes) -> str:
    """xlsx, ods, xls, encrypted (a password-protected OOXML), zip, json or csv."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                if "[Content_Types].xml" in names:
                    return "xlsx"
                if "mimetype" in names and z.read("mimetype").startswith(
                        b"application/vnd.oasis.opendocument.spreadsheet"):
                    return "ods"
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
            return "xlsx"  # a damaged workbook: let the reader say so
        return "zip"
    if data[:8] == _OLE2:
        return "encrypted" if _ENCRYPTED in data else "xls"
    return "json" if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[") else "csv"


def decode(p: Path, data: bytes) -> tuple[str, str]:
    """UTF-8 (± BOM), UTF-16 with a BOM (Excel's 'Unicode text'), else Windows-1258; NFC."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return unicodedata.normalize("NFC", data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as e:
            raise UnsupportedFormat(msg("bad_encoding", file=p)) from e
    if b"\x00" in data[:4096]:
        raise UnsupportedFormat(msg("binary", file=p))
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8-sig")), "utf-8-sig"
    except UnicodeDecodeError as e:
        if _looks_utf8(data, e):
            line = data[:e.start].count(b"\n") + 1
            key = "utf8_cut" if e.start >= len(data) - 3 else "utf8_broken"
            raise UnsupportedFormat(msg(key, file=p, line=line)) from e
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258")), "cp1258"
    except UnicodeDecodeError as e:  # cp1258 leaves five bytes undefined
        raise UnsupportedFormat(msg("bad_encoding", file=p)) from e


def _looks_utf8(data: bytes, e: UnicodeDecodeError) -> bool:
    """A file that is UTF-8 up to a damaged spot: Windows-1258 would turn it into mojibake."""
    valid = len(re.findall(rb"[\xc2-\xf4][\x80-\xbf]{1,3}", data[:e.start]))
    return e.start >= len(data) - 3 or valid >= 3


def _csv_rows(text: str) -> list[list[str]]:
    # rows end at CR/LF only: str.splitlines() also splits at VT, FF, U+001C-U+001E, U+0085,
    # U+2028 and U+2029, so a hidden one in a cell made a new row (a recipient, a unit)
    lines = _LINE_END.split(text)
    skip = 0
    if lines and re.fullmatch(r"sep=.", lines[0].strip()):  # Excel's "sep=," first line
        sep, skip = lines[0].strip()[4], 1
    else:
        sep = max(SEPARATORS, key=lambda s: _consistency(lines, s))
    body = "\n".join(lines[skip:])
    try:
        reader = csv.reader(io.StringIO(body), delimiter=sep)
        rows = [[_trim(c) for c in r] for r in reader]
    except csv.Error as e:
        raise UnsupportedFormat(msg("bad_csv", file="", why=e)) from e
    return rows  # Excel hides the sep= line too: its rows are numbered from the header


def _trim(cell: str) -> str:
    """Spaces, tabs and line ends around a cell go; a control or separator character stays,
    for the checks to refuse (an address) or to clean and warn about (a name)."""
    start, end = 0, len(cell)
    while start < end and _blank(cell[start]):
        start += 1
    while end > start and _blank(cell[end - 1]):
        end -= 1
    return cell[start:end]


def _blank(ch: str) -> bool:
    return ch in "\t\r\n" or unicodedata.category(ch) == "Zs"


def _consistency(lines: list[str], sep: str) -> tuple[int, int]:
    """How many of the first lines share the largest count of `sep`, then that count: the
    separator of a ';' file with decimal commas is the one every line has as often."""
    counts = [ln.count(sep) for ln in lines[:25] if ln.strip()]
    top = max(counts, default=0)
    return (sum(c == top for c in counts), top) if top else (0, 0)


def _read_workbook(p: Path, data: bytes, fmt: str) -> list[Grid]:
    """Every sheet, with its visibility, read in a child process.

    The reader (calamine, in Rust) aborts the whole process when a damaged file makes it
    allocate beyond memory — no exception to catch — so it runs where an abort costs only
    itself, with its address space bounded; whatever happens there comes back as one clear
    error naming the file.
    """
    formulas = _check_xlsx(p, data) if fmt == "xlsx" else {}
    package_root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [package_root, *filter(None, [os.environ.get("PYTHONPATH")])]), "RUST_BACKTRACE": "0"}
    try:
        done = subprocess.run([sys.executable, "-c", "from scorecard.loaders import _child; "
                               "_child()"], input=data, capture_output=True, env=env,
                              timeout=CHILD_SECONDS, check=False)
    except subprocess.TimeoutExpired as e:
        raise UnsupportedFormat(msg("bad_workbook", file=p, kind=fmt.upper(),
                                    why=f"> {CHILD_SECONDS} s")) from e
    answer: tuple[Any, ...]
    try:
        answer = pickle.loads(done.stdout) if done.returncode == 0 else ("died", done.returncode)
    except (pickle.UnpicklingError, EOFError, ValueError) as e:
        answer = ("error", _short(e))
    kind, *rest = answer
    if kind == "password":
        raise UnsupportedFormat(msg("encrypted", file=p))
    if kind == "too_big":
        name, rows, columns = rest
        raise UnsupportedFormat(msg("too_big", file=p, sheet=name, rows=rows, columns=columns,
                                    max_rows=MAX_ROWS, max_columns=MAX_COLUMNS))
    if kind != "ok":
        why = rest[0] if kind == "error" else msg("reader_died")
        raise UnsupportedFormat(msg("bad_workbook", file=p, kind=fmt.upper(), why=why))
    sheets = cast(list[tuple[str, list[list[Any]], bool, bool]], rest[0])
    grids = [Grid(name, rows, hidden, chart) for name, rows, hidden, chart in sheets]
    for g in grids:
        if g.name in formulas and not g.chart:
            raise UnsupportedFormat(msg("formula_no_value", file=p, sheet=g.name,
                                        cells=", ".join(formulas[g.name][:5])))
    return grids


def _child() -> None:
    """The reader's process: workbook bytes on stdin, pickled sheets (or what failed) out."""
    if os.name == "posix":  # an allocation past this fails at once instead of swapping
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))
    from python_calamine import (
        CalamineWorkbook,
        PasswordError,
        SheetTypeEnum,
        SheetVisibleEnum,
    )

    answer: tuple[Any, ...]
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
        grids: list[tuple[str, list[list[Any]], bool, bool]] = []
        for meta in wb.sheets_metadata:
            hidden = meta.visible != SheetVisibleEnum.Visible
            if meta.typ != SheetTypeEnum.WorkSheet:
                grids.append((meta.name, [], hidden, True))
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            if sheet.height > MAX_ROWS or sheet.width > MAX_COLUMNS:
                raise _TooBig(meta.name, sheet.height, sheet.width)
            rows = [[_cell(c) for c in r] for r in sheet.to_python(skip_empty_area=False)]
            grids.append((meta.name, rows, hidden, False))
        answer = ("ok", grids)
    except PasswordError:
        answer = ("password",)
    except _TooBig as e:
        answer = ("too_big", *e.args)
    except BaseException as e:  # calamine's own kinds, and a Rust panic is a BaseException
        if isinstance(e, KeyboardInterrupt | SystemExit):
            raise
        answer = ("error", _short(e))
    sys.stdout.buffer.write(pickle.dumps(answer))


class _TooBig(Exception):
    pass


def _check_xlsx(p: Path, data: bytes) -> dict[str, list[str]]:
    """Before the reader allocates a sheet: refuse a sheet that claims more cells than any
    office keeps (a 5 KB file can declare A1:XFD1048576) or inflates without end, and find
    formulas whose value was never saved (a blank there would read as "not reported")."""
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        sheets = _sheet_names(z)
        found: dict[str, list[str]] = {}
        for info in z.infolist():
            if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
                continue
            name = sheets.get(info.filename, info.filename)
            xml = _inflate(z, info, p)
            rows, cols = 0, 0
            for m in (*_DIMENSION.finditer(xml[:4096]), *_CELL_REF.finditer(xml)):
                cols, rows = max(cols, _col(m[1])), max(rows, int(m[2]))
            if rows > MAX_ROWS or cols > MAX_COLUMNS:
                raise UnsupportedFormat(msg("too_big", file=p, sheet=name, rows=rows,
                                            columns=cols, max_rows=MAX_ROWS,
                                            max_columns=MAX_COLUMNS))
            empty = [m[1].decode() for m in _FORMULA_NO_VALUE.finditer(xml)]
            if empty:
                found[name] = empty
        return found
    except UnsupportedFormat:
        raise
    except Exception as e:  # a damaged zip: the reader below would fail the same way
        raise UnsupportedFormat(msg("bad_workbook", file=p, kind="XLSX", why=_short(e))) from e


def _inflate(z: zipfile.ZipFile, info: zipfile.ZipInfo, p: Path) -> bytes:
    with z.open(info) as f:
        xml = f.read(MAX_XML_BYTES + 1)
    if len(xml) > MAX_XML_BYTES:
        raise UnsupportedFormat(msg("too_big_bytes", file=p, sheet=info.filename))
    return xml


def _sheet_names(z: zipfile.ZipFile) -> dict[str, str]:
    """xl/worksheets/sheetN.xml -> the sheet's name, through workbook.xml and its rels."""
    try:
        book = z.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = z.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except KeyError:
        return {}
    targets = {m[1]: m[2] for m in re.finditer(
        r'<Relationship\b[^>]*?\bId="([^"]+)"[^>]*?\bTarget="([^"]+)"', rels)}
    targets.update({m[2]: m[1] for m in re.finditer(
        r'<Relationship\b[^>]*?\bTarget="([^"]+)"[^>]*?\bId="([^"]+)"', rels)})
    out = {}
    for m in re.finditer(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]+)"', book):
        target = targets.get(m[2], "")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        out[path] = html.unescape(m[1])  # the XML entities, and &#…; too
    return out


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _cell(c: Any) -> Any:
    if isinstance(c, str):
        return unicodedata.normalize("NFC", c).strip()
    return c


def _short(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text[:160]
