from __future__ import annotations

import pytest
from conftest import WORKBOOK, to_cp1258

from scorecard.errors import UnsupportedFormat
from scorecard.index import load_index
from scorecard.validate import read

INDEX = load_index()


def read_table(path, sheet=None):
    return read(str(path), INDEX, sheet=sheet)


@pytest.mark.parametrize(
    "content, encoding",
    [
        (b"TEN,CKMB\nB\xe1\xba\xafc Ninh,7.7\n", "utf-8-sig"),
        (b"\xef\xbb\xbfTEN;CKMB\nB\xe1\xba\xafc Ninh;7,7\n", "utf-8-sig"),
        (to_cp1258("TEN;CKMB\nBắc Ninh;7,7\n"), "cp1258"),
        ("TEN\tCKMB\nBắc Ninh\t7,7\n".encode("utf-16"), "utf-16"),  # Excel's "Unicode text"
    ],
)
def test_csv_encodings_and_separators_give_the_same_cells(tmp_path, content, encoding):
    p = tmp_path / "d.csv"
    p.write_bytes(content)
    t = read_table(p)
    assert t.columns == ("TEN", "CKMB")
    assert t.cells[0][0] == "Bắc Ninh"  # NFC, whatever the source encoding
    assert t.cells[0][1] in ("7.7", "7,7")
    assert t.encoding == encoding


def test_nfd_text_is_normalised_to_nfc(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("TEN,CKMB\nHa\u0300 No\u0323\u0302i,1\n", encoding="utf-8")
    assert read_table(p).cells[0][0] == "Hà Nội"


def test_sheet_is_chosen_by_name_and_cells_keep_their_text():
    t = read_table(WORKBOOK, sheet="Sở Ban")
    assert t.source.endswith("[Sở Ban]")
    assert len(t.cells) == 15
    assert t.records()[0]["TEN"] == "Ban Quản lý Khu kinh tế - tỉnh An Giang"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b"TEN,CKMB\n\x00\x01\x02", "a binary file"),
        (b"PK\x03\x04broken", "cannot read the XLSX workbook"),
    ],
)
def test_unreadable_files_say_what_to_do(tmp_path, content, message):
    p = tmp_path / "d.csv"
    p.write_bytes(content)
    with pytest.raises(UnsupportedFormat) as e:
        read_table(p)
    assert message in e.value.text("en")


def test_unknown_sheet_lists_the_sheets():
    with pytest.raises(UnsupportedFormat) as e:
        read_table(WORKBOOK, sheet="Tháng 13")
    assert "không có trang tính 'Tháng 13'; các trang tính là: Điểm năm, Điểm tháng" in str(e.value)
    assert "no sheet named 'Tháng 13'; the sheets are: Điểm năm" in e.value.text("en")


def test_a_sheet_name_is_unescaped_as_xml_says_numeric_references_too():
    import io
    import zipfile

    from scorecard.loaders import _sheet_names

    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as z:
        z.writestr("xl/workbook.xml", '<workbook xmlns:r="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships"><sheets><sheet name="S&#7903; &amp; '
                   'Ng&#xE0;nh &quot;1&quot;" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet/>")
    with zipfile.ZipFile(raw) as z:
        assert _sheet_names(z) == {"xl/worksheets/sheet1.xml": 'Sở & Ngành "1"'}
