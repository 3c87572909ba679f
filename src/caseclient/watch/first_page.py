"""The first page of a scanned PDF: rendered for QR codes and previews, or taken off (a cover sheet)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from ..intake.pdf import PDFIUM_LOCK
from .cover_sheet import CoverSheet

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

QR_DPI = 150  # enough for a 70 mm code and for codes printed smaller, and fast (~10 ms a page)
PREVIEW_WIDTH = 600


class PageUnreadable(Exception):
    """The first page could not be rendered (damaged, encrypted, not a PDF)."""


def render_first_page(path: Path, *, dpi: float = QR_DPI, width: int | None = None) -> Image.Image:
    import pypdfium2 as pdfium  # the PDF libraries load on first use: keeps the app's start-up small

    with PDFIUM_LOCK:  # PDFium is not thread-safe; intake reads PDFs with it on other threads
        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            raise PageUnreadable(str(exc)) from None
        try:
            if len(document) == 0:
                raise PageUnreadable("the PDF has no pages")
            page = document[0]
            scale = width / page.get_width() if width else dpi / 72
            return page.render(scale=scale, grayscale=True).to_pil()
        finally:
            document.close()


def read_cover_sheet(path: Path) -> CoverSheet | None:
    """The caseclient cover sheet on the first page, or None when there is none."""
    import zxingcpp

    image = render_first_page(path)
    for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
        sheet = CoverSheet.from_payload(barcode.text)
        if sheet is not None:
            return sheet
    return None


def write_without_first_page(path: Path, target: Path) -> None:
    """Copy the PDF without its first page (the cover sheet, which is not filed)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(str(path))
    if len(reader.pages) < 2:
        raise PageUnreadable("the PDF holds only the cover sheet")
    writer = PdfWriter()
    for page in list(reader.pages)[1:]:
        writer.add_page(page)
    with target.open("wb") as f:
        writer.write(f)


def write_preview(path: Path, target: Path, *, width: int = PREVIEW_WIDTH) -> None:
    """A PNG of the first page, `width` pixels wide, for the inbox view."""
    render_first_page(path, width=width).save(target, format="PNG", optimize=True)
