"""The fonts' subsets, made once per process and shared by every page (render/fonts.py):
each page still carries its fonts whole enough to draw and to copy its text from, and its
bytes do not depend on which pages the process drew before."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import EXAMPLES, write_csv
from pdfcheck import pdf_fonts, pdf_text
from pypdf import PdfReader

from scorecard.cli import cli
from scorecard.render.fonts import SHARED

ISSUED = ["--issued", "2025-10-20", "--jobs", "1"]
# a name with letters of the shared subset (ĐẮỸ) and signs outside it ('&', '@', 'Ç')
ODD = "Sở Đắk Lắk & Mỹ Tho @Ç"


def render(runner, out, data, *args):
    result = runner.invoke(cli, ["render", str(data), "--out", str(out), *ISSUED, *args])
    assert result.exit_code == 0, result.output
    return out / "2025-10"


def font_files(path) -> dict[str, bytes]:
    """BaseFont -> the embedded font program's (decoded) bytes."""
    out = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            program = font["/FontDescriptor"].get_object()["/FontFile2"].get_object()
            out[str(font["/BaseFont"])] = program.get_data()
    return out


@pytest.fixture
def odd_month(tmp_path):
    return write_csv(tmp_path / "so.csv",
                     ["month", "MA_COQUAN", "TEN", "LOAI_COQUAN", "CKMB", "TDGQ", "CLGQ", "TTTT",
                      "MDHL", "MDSH"],
                     [["2025-10", "STP", "Sở Tư pháp", 2, 18, 19, 8, 9, 18, 18],
                      ["2025-10", "SXD", ODD, 2, 17, 18, 7, 8, 17, 17],
                      ["2025-10", "SCT", "Sở Công Thương", 2, 16, 18, 7, 8, 17, 17]])


def test_pages_share_one_subset_and_a_name_s_other_signs_get_their_own(runner, tmp_path,
                                                                        odd_month):
    folder = render(runner, tmp_path / "out", odd_month)
    plain, odd = folder / "STP_so-tu-phap.pdf", next(folder.glob("SXD_*.pdf"))
    a, b = font_files(plain), font_files(odd)
    for font in ("/AAAAAA+NotoSans-Regular", "/AAAAAA+NotoSans-Bold"):
        assert a[font] == b[font]  # the same subset, byte for byte
    assert "/AAAAAB+NotoSans-Bold" in b and "/AAAAAB+NotoSans-Bold" not in a
    # a subset keeps the font's own names, not its designer, URLs and licence's description
    program = a["/AAAAAA+NotoSans-Regular"]
    assert "NotoSans-Regular".encode("utf-16-be") in program
    assert "SIL Open Font License".encode("utf-16-be") not in program
    assert all(pdf_fonts(odd).values()) and all(pdf_fonts(plain).values())
    assert ODD in pdf_text(odd)  # every letter copied back out, the page's own signs too
    assert "Sở Tư pháp" in pdf_text(plain)


def test_a_page_s_bytes_do_not_depend_on_what_the_process_drew_before(runner, tmp_path,
                                                                      odd_month):
    month = render(runner, tmp_path / "month", odd_month)
    alone = render(runner, tmp_path / "alone", odd_month, "--unit", "SXD")
    first = render(runner, tmp_path / "first", odd_month, "--unit", "SXD", "--unit", "STP")
    name = next(month.glob("SXD_*.pdf")).name
    assert (alone / name).read_bytes() == (month / name).read_bytes() == (
        first / name).read_bytes()


def test_shared_letters_are_the_vietnamese_alphabet_once_each():
    assert len(SHARED) == len(set(SHARED))
    for word in ("Ủy ban nhân dân", "ĐẮK LẮK", "Quảng Ngãi", "Bà Rịa – Vũng Tàu", "Thừa Thiên Huế",
                 "Ỷ Ỵ ỹ ữ ự ở"):
        assert set(word) <= set(SHARED), word


@pytest.mark.skipif(shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
                    reason="needs pdffonts and pdftotext (poppler-utils)")
def test_poppler_sees_embedded_fonts_and_the_vietnamese_text(runner, tmp_path):
    folder = render(runner, tmp_path / "out", EXAMPLES / "2025-10_tinh-thanh.csv", "--unit",
                    "H05")
    page = folder / "H05_bac-ninh.pdf"
    fonts = subprocess.run(["pdffonts", str(page)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5:-3] == ["yes", "yes"] for line in fonts), fonts
    text = subprocess.run(["pdftotext", str(page), "-"], capture_output=True, text=True,
                          check=True).stdout
    for s in ("BẢNG ĐIỂM CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP", "Bắc Ninh",
              "Tiến độ, kết quả giải quyết", "Xuất sắc"):
        assert s in text, s


def test_text_of_shared_letters_is_encoded_as_reportlab_encodes_it():
    """The quick path for text wholly of the shared subset gives reportlab's own codes."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from scorecard.render.fonts import BOLD, register_fonts

    class Doc:
        pass

    register_fonts()
    font = pdfmetrics.getFont(BOLD)
    for text in (SHARED, "Bắc Ninh 91,52/100 −0,76", "", ODD, "a\u00a0b", "Ç" + SHARED):
        quick, slow = Doc(), Doc()
        got = font.splitString(text, quick)
        font.splitString("", slow)  # the same seeded start, then reportlab's loop
        assert got == TTFont.splitString(font, text, slow), text


def test_the_to_unicode_map_says_what_reportlab_s_says_in_ranges():
    """Every code maps to the same character as in reportlab's one-line-a-code map; runs of
    consecutive characters as one bfrange, at most 100 entries to a block."""
    import re

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import makeToUnicodeCMap

    from scorecard.render.fonts import REGULAR, register_fonts, to_unicode

    def codes(cmap: str) -> dict[int, int]:
        out = {}
        for block in re.findall(r"beginbfrange\n(.*?)\nendbfrange", cmap, re.S):
            for lo, hi, u in re.findall(r"<(\w\w)> <(\w\w)> <(\w{4})>", block):
                for k in range(int(lo, 16), int(hi, 16) + 1):
                    out[k] = int(u, 16) + k - int(lo, 16)
        for block in re.findall(r"beginbfchar\n(.*?)\nendbfchar", cmap, re.S):
            out.update((int(c, 16), int(u, 16)) for c, u in re.findall(r"<(\w\w)> <(\w{4})>",
                                                                      block))
        return out

    register_fonts()
    shared = pdfmetrics.getFont(REGULAR)._seed.subsets[0]
    for subset in (shared, [0, 65], [0, 0x1EA1, 0x1EA0, 66, 67, 68, 40]):
        ours = to_unicode("AAAAAA+NotoSans-Regular", subset)
        assert codes(ours) == codes(makeToUnicodeCMap("AAAAAA+NotoSans-Regular", subset))
        assert codes(ours) == dict(enumerate(subset))
        assert all(int(n) <= 100 for n in re.findall(r"(\d+) beginbf", ours))
    assert "beginbfrange" in to_unicode("x", shared)  # 0-9, A-Z, a-z
