"""PDFs made for the scan folder tests: text letters, cover sheets in front, and "scans" (every
page rendered to an image, as a multifunction printer delivers them, without a text layer)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter


def text_pdf(target: Path, *pages: str) -> Path:
    pdf = FPDF(format="A4")
    for text in pages:
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.multi_cell(0, 6, text)
    pdf.output(str(target))
    return target


def joined(target: Path, *parts: Path) -> Path:
    writer = PdfWriter()
    for part in parts:
        writer.append(str(part))
    with target.open("wb") as f:
        writer.write(f)
    return target


def scanned(source: Path, target: Path, *, dpi: int = 150) -> Path:
    """Every page of `source` as a grey image, no text: what a scanner makes of paper."""
    document = pdfium.PdfDocument(str(source))
    pdf = FPDF(format="A4", unit="mm")
    try:
        for page in document:
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            pdf.add_page()
            pdf.image(buffer, x=0, y=0, w=210, h=297)
    finally:
        document.close()
    pdf.output(str(target))
    return target


def page_count(path: Path) -> int:
    return len(PdfReader(str(path)).pages)


def first_page_text(path: Path) -> str:
    return PdfReader(str(path)).pages[0].extract_text() or ""
