"""Read back what a PDF really contains: text, pages, fonts (through pypdf, not our code)."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader


def pdf_text(path: Path | bytes) -> str:
    import io

    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path)
    return "\n".join(p.extract_text() for p in reader.pages)


def pdf_pages(path: Path | bytes) -> int:
    import io

    return len(PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path).pages)


def pdf_fonts(path: Path) -> dict[str, bool]:
    """BaseFont name -> embedded as a subset (name tagged ABCDEF+ and a font file present)."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            desc = font.get("/FontDescriptor")
            desc = desc.get_object() if desc is not None else {}
            embedded = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[name] = embedded and bool(re.match(r"^/[A-Z]{6}\+", name))
    return fonts
