"""Read a data file as it comes — CSV/TSV text, XLSX, XLS, ODS or the portal's JSON — into grids
of cells, exactly as the user typed them (text stays text, blanks stay blank).

Which sheet and which row is the header is decided later (layout.py): a loader only reads.
Every way a reader can fail ends here as one UnsupportedFormat naming the file.
"""

from __future__ import annotations

import csv
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
from typing import IO, Any, cast
from xml.etree import ElementTree

from .errors import UnsupportedFormat
from .messages import Msg, msg

MAX_ROWS = 200_000  # a commune sheet of the whole country is 3,300 rows
MAX_COLUMNS = 512
MAX_UNPACKED = 50 * 2**20  # a zipped workbook, unpacked: the national month's is a few MB
CHILD_MEMORY = 4 * 2**30  # the reader's address space
CHILD_SECONDS = 120
SEPARATORS = (",", ";", "\t")
_LINE_END = re.compile(r"\r\n|\r|\n")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # an OOXML file with a password


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
    formulas = _check_zip(p, data, fmt) if fmt in ("xlsx", "ods") else {}
    package_root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [package_root, *filter(None, [os.environ.get("PYTHONPATH")])]), "RUST_BACKTRACE": "0"}
    try:
        done = subprocess.run(reader_command(), input=data, capture_output=True, env=env,
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
                                        cells=", ".join(formulas[g.name][:5]) + (
                                            ", …" if len(formulas[g.name]) > 5 else "")))
    return grids


READER = "--scorecard-workbook-reader"  # the one argument that makes the command the reader


def reader_command() -> list[str]:
    """How to start the reader: Python with a line of code; or, in a one-file executable
    (PyInstaller), where sys.executable is the program itself and has no `-c`, the program
    with READER, which console.main answers before anything else."""
    if getattr(sys, "frozen", False):
        return [sys.executable, READER]
    return [sys.executable, "-c", "from scorecard.loaders import _child; _child()"]


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


def _check_zip(p: Path, data: bytes, fmt: str) -> dict[str, list[str]]:
    """Before the reader allocates anything: refuse a workbook that unpacks beyond what any
    month needs (a 514 KB file can unpack to 500 MB), or whose sheet claims more cells than
    any office keeps (a 5 KB file can declare A1:XFD1048576); and find the formula cells
    whose value was never saved, which the reader would give as blanks ("not reported").

    zipfile never inflates a part beyond its declared size, so the sum of those sizes bounds
    what is read here; the sheets go through an XML parser as a stream, row by row.
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        if sum(info.file_size for info in z.infolist()) > MAX_UNPACKED:
            raise UnsupportedFormat(msg("too_big_bytes", file=p, limit=MAX_UNPACKED // 2**20))
        if fmt != "xlsx":
            return {}
        found: dict[str, list[str]] = {}
        for path, name in _sheet_names(z).items():
            with z.open(path) as part:
                empty = _scan_sheet(part, p, name)
            if empty:
                found[name] = empty
        return found
    except UnsupportedFormat:
        raise
    except Exception as e:  # a damaged zip or XML: the reader below would fail the same way
        raise UnsupportedFormat(msg("bad_workbook", file=p, kind=fmt.upper(), why=_short(e))) from e


def _scan_sheet(part: IO[bytes], p: Path, name: str) -> list[str]:
    """A sheet's extent (its declared dimension and every cell) against the limits, and its
    formula cells with no saved value, by reference (`N2`)."""
    rows = columns = 0
    empty: list[str] = []
    for _, el in ElementTree.iterparse(part):
        tag = _local(el.tag)
        if tag == "row":
            el.clear()  # the row's cells are done: keep memory flat
        elif tag in ("c", "dimension"):
            ref = (el.get("r") if tag == "c" else el.get("ref", "").rpartition(":")[2]) or ""
            row, column = _cell_ref(ref)
            rows, columns = max(rows, row), max(columns, column)
            if rows > MAX_ROWS or columns > MAX_COLUMNS:
                raise UnsupportedFormat(msg("too_big", file=p, sheet=name, rows=rows,
                                            columns=columns, max_rows=MAX_ROWS,
                                            max_columns=MAX_COLUMNS))
            if tag == "c" and _never_computed(el):
                empty.append(ref)
    return empty


def _never_computed(cell: ElementTree.Element) -> bool:
    """A formula with no value (`<v/>`, `<v></v>` or none), as a generator that never
    calculates writes it; a formula whose result is the empty string (t="str") has one."""
    children = {_local(child.tag): child for child in cell}
    if "f" not in children or cell.get("t") in ("str", "inlineStr"):
        return False
    value = children.get("v")
    return value is None or not (value.text or "").strip()


def _sheet_names(z: zipfile.ZipFile) -> dict[str, str]:
    """xl/worksheets/sheetN.xml -> the sheet's name, through workbook.xml and its rels
    (a chart sheet is named too: it has no cells to check)."""
    try:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except KeyError:
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter()
               if _local(r.tag) == "Relationship"}
    out = {}
    for sheet in book.iter():
        if _local(sheet.tag) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.startswith("{") and
                    _local(k) == "id"), None)
        target = targets.get(rid, "")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        if path in z.NameToInfo:
            out[path] = sheet.get("name", path)
    return out


def _local(tag: str) -> str:
    """An XML name without its namespace: `x:c` and `c` are the same cell."""
    return tag.rpartition("}")[2]


def _cell_ref(ref: str) -> tuple[int, int]:
    """'XFD1048576' -> (1048576, 16384); anything else (0, 0)."""
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters):]
    if not (letters.isascii() and letters.isalpha() and digits):
        return 0, 0
    column = 0
    for ch in letters.upper():
        column = column * 26 + ord(ch) - 64
    return int(digits), column


def _cell(c: Any) -> Any:
    if isinstance(c, str):
        return unicodedata.normalize("NFC", c).strip()
    return c


def _short(e: BaseException) -> str:
    text = " ".join(str(e).split()) or type(e).__name__
    return text[:160]
