"""Rebuild the reproducer files in this folder (run once; the files are committed).

Each file is one defect found by the hostile-input run of issue 8, made small from the real
snapshot workbook (../portal-export_2025-10_bao-cao-766.xlsx). reader-aborts.xls is kept as
benchmarks/fuzz.py found it (bytes of ../an-giang_libreoffice.xls flipped): calamine asks
for 100 GB and aborts the process that reads it.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
SOURCE = HERE.parent / "portal-export_2025-10_bao-cao-766.xlsx"
SHEET = "xl/worksheets/sheet1.xml"


def rewrite(name: str, change, extra: dict[str, bytes] | None = None) -> None:
    """Copy the workbook with its sheet XML (and workbook parts) changed."""
    src = zipfile.ZipFile(SOURCE)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.namelist():
            out.writestr(item, change(item, src.read(item)))
        for item, data in (extra or {}).items():
            out.writestr(item, data)
    (HERE / name).write_bytes(buf.getvalue())


def sheet_only(fn):
    return lambda item, data: fn(data) if item == SHEET else data


def main() -> None:
    # damaged sheet XML: cut in the middle of a row
    rewrite("damaged-sheet-xml.xlsx", sheet_only(lambda d: d[: len(d) // 2]))
    # a cell typed as a number holding text
    rewrite("number-cell-with-text.xlsx", sheet_only(
        lambda d: re.sub(rb'<c r="H2"([^>]*?)(?: t="\w+")?>.*?</c>',
                         rb'<c r="H2"\1 t="n"><v>abc</v></c>', d, count=1, flags=re.S)))
    # declares (and uses) A1:XFD1048576: calamine would allocate half a terabyte
    rewrite("declared-range-bomb.xlsx", sheet_only(lambda d: re.sub(
        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', d).replace(
        b"</sheetData>",
        b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        b"</sheetData>")))
    # a formula whose value was never computed (saved by a generator, not by Excel)
    rewrite("formula-without-value.xlsx", sheet_only(
        lambda d: re.sub(rb'<c r="N2"([^>]*?)(?: t="\w+")?>.*?</c>',
                         rb'<c r="N2"\1><f>SUM(H2:M2)</f></c>', d, count=1, flags=re.S)))
    # the first sheet hidden: a stale copy nobody sees, with other figures
    import openpyxl

    wb = openpyxl.load_workbook(SOURCE)
    visible = wb.active
    stale = wb.copy_worksheet(visible)
    stale.title = "Cũ"
    stale.sheet_state = "hidden"
    stale["H2"] = "1"
    wb.move_sheet(stale, offset=-1)
    wb.active = 1
    wb.save(HERE / "hidden-first-sheet.xlsx")
    # a chart sheet first (openpyxl's Chartsheet has no rows: it used to crash)
    from openpyxl.chart import BarChart, Reference

    wb = openpyxl.load_workbook(SOURCE)
    chart = BarChart()
    chart.add_data(Reference(wb.active, min_col=14, min_row=1, max_row=35), titles_from_data=True)
    cs = wb.create_chartsheet("Biểu đồ", 0)
    cs.add_chart(chart)
    wb.save(HERE / "chart-sheet.xlsx")
    # a password-protected workbook is an OLE2 file with an EncryptedPackage stream
    (HERE / "password-protected.xlsx").write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "EncryptedPackage".encode(
            "utf-16-le") + b"\x00" * 512)
    # text files
    (HERE / "terminal-escape.csv").write_bytes(
        "TEN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH\n"
        "Bắc Ninh,\x1b]0;HACKED\x07\x1b[2J,19,8,9,18,18\n".encode())
    (HERE / "latin1-code-page.csv").write_bytes(
        "MA_COQUAN,TEN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH\n"
        "H01.13,Ban Quản lý Khu kinh tế,18,19,8,9,18,18\n".encode("cp1258", "replace")
        .replace(b"?", b"\xa3"))  # what a Latin-1 editor leaves of the marks
    (HERE / "utf8-cut-mid-character.csv").write_bytes(
        "TEN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH\nBắc Ninh,18,19,8,9,18,18\nHà Nội,1,1,1,1,1,Đ"
        .encode()[:-1])
    (HERE / "excel-sep-line.csv").write_bytes(
        b"sep=;\r\nTEN;CKMB;TDGQ;CLGQ;TTTT;MDHL;MDSH;month\r\nB\xe1\xba\xafc Ninh;18;19,38;8,08;"
        b"9,31;18;18,75;2025-10-01 00:00:00\r\n")
    (HERE / "trailing-comma.csv").write_bytes(
        b"MA_COQUAN,TEN,CKMB,TDGQ,CLGQ,TTTT,MDHL,MDSH,month\n"
        b"H01.13,S\xe1\xbb\x9f T\xc3\xa0i ch\xc3\xadnh,18,19,8,9,18,18,2025-10,\n"
        b"H01.14,S\xe1\xbb\x9f Y t\xe1\xba\xbf,17,19,8,9,18,18,2025-10,\n")


if __name__ == "__main__":
    main()
