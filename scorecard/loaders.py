"""Read a data file (CSV in any of the encodings offices use, or XLSX) into text cells."""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import UnsupportedFormat
from .messages import msg

ENCODINGS = ("utf-8-sig", "cp1258")  # Windows-1258: what Vietnamese Excel saves as "CSV"


@dataclass(frozen=True)
class Table:
    """Raw cells as found. `first_row` is the Excel row number of the frame's first row."""

    frame: pd.DataFrame
    source: str
    format: str  # "csv" | "xlsx"
    first_row: int = 2
    encoding: str | None = None


def read_table(path: str | Path, sheet: str | None = None, format: str | None = None) -> Table:
    """Read CSV or XLSX; detect the format from the content when `format` is None.

    Cells come back as str (CSV, NFC-normalised), or as the workbook's own int/float/str
    (XLSX), with blanks as "" so that validation sees exactly what the user typed.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise UnsupportedFormat(msg("cannot_read", file=p, why=e.strerror or e)) from e
    if not data.strip():
        raise UnsupportedFormat(msg("empty_file", file=p))
    fmt = format or ("xlsx" if data[:2] == b"PK" else "csv")
    if fmt == "xlsx":
        return _read_xlsx(p, data, sheet)
    if sheet:
        raise UnsupportedFormat(msg("sheet_on_csv", file=p, sheet=sheet))
    return _read_csv(p, data)


def _read_csv(p: Path, data: bytes) -> Table:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:1000]:
        raise UnsupportedFormat(msg("utf16", file=p))
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1258 leaves five bytes undefined: nothing decoded
        raise UnsupportedFormat(msg("bad_encoding", file=p))
    text = unicodedata.normalize("NFC", text)
    header = text.lstrip().split("\n", 1)[0]
    sep = ";" if header.count(";") > header.count(",") else ","
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as e:
        raise UnsupportedFormat(msg("bad_csv", file=p, why=e)) from e
    frame.columns = [str(c) for c in frame.columns]
    return Table(frame, str(p), "csv", 2, encoding)


def _read_xlsx(p: Path, data: bytes, sheet: str | None) -> Table:
    import openpyxl  # only when a workbook is read: it costs start-up time

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged zip
        raise UnsupportedFormat(msg("bad_xlsx", file=p, why=e)) from e
    try:
        names = wb.sheetnames
        chosen = sheet if sheet is not None else names[0]
        match = [n for n in names if unicodedata.normalize("NFC", n) == unicodedata.normalize(
            "NFC", chosen)]
        if not match:
            raise UnsupportedFormat(msg("no_sheet", file=p, sheet=chosen, sheets=", ".join(names)))
        rows = [list(r) for r in wb[match[0]].iter_rows(values_only=True)]
    finally:
        wb.close()
    while rows and all(_blank(c) for c in rows[-1]):
        rows.pop()
    if not rows:
        raise UnsupportedFormat(msg("empty_sheet", file=p, sheet=match[0]))
    header = [unicodedata.normalize("NFC", str(c)).strip() if c is not None else ""
              for c in rows[0]]
    body = [["" if c is None else (unicodedata.normalize("NFC", c) if isinstance(c, str) else c)
             for c in r] for r in rows[1:]]
    frame = pd.DataFrame(body, columns=header, dtype=object)
    return Table(frame, f"{p} [{match[0]}]", "xlsx", 2)


def _blank(c: object) -> bool:
    return c is None or (isinstance(c, str) and not c.strip())
