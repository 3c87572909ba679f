"""PDF files (pypdf): metadata, page count, encryption and the text of the first pages."""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..domain import InputError
from .files import shown
from .model import ItemKind, ReadItem

log = logging.getLogger(__name__)

# Titles that word processors and scanners write without asking the user.
_GENERATED_TITLE = re.compile(
    r"^(untitled|microsoft (word|excel|powerpoint) - .*|.*\.(docx?|xlsx?|pptx?|odt|rtf|txt|pdf|tiff?|jpe?g|png)"
    r"|scan[\s_-]*\d*|document\d*|dokument\d*|\s*)$",
    re.IGNORECASE,
)


def read_pdf(path: Path, *, text_pages: int) -> ReadItem:
    try:
        reader = PdfReader(path, strict=False)
    except (PyPdfError, OSError, ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        log.info("pdf open failed for %s: %s", shown(path), type(exc).__name__)
        raise InputError(f"{shown(path)} could not be read: the PDF is damaged or incomplete.") from exc
    read = ReadItem(kind=ItemKind.PDF, mime_type="application/pdf")
    if reader.is_encrypted and not _opens_without_password(reader):
        read.encrypted = True
        read.warnings.append(
            f"{shown(path)} is protected by a password: its text, title and page count could not be read."
        )
        return read
    info = _metadata(reader, path, read.warnings)
    title = _text(info.get("/Title"))
    read.subject = title if title and not _GENERATED_TITLE.match(title) else None
    read.author = _text(info.get("/Author"))
    read.created = _date(info, "creation_date") or _date(info, "modification_date")
    try:
        read.page_count = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError) as exc:
        log.info("pdf page tree unreadable in %s: %s", shown(path), type(exc).__name__)
        raise InputError(f"{shown(path)} could not be read: the PDF's page list is damaged.") from exc
    read.text = _first_pages_text(reader, min(text_pages, read.page_count), path, read.warnings)
    return read


def _opens_without_password(reader: PdfReader) -> bool:
    """PDFs with only an owner (permissions) password open with the empty user password."""
    try:
        return bool(reader.decrypt(""))
    except (PyPdfError, ValueError, NotImplementedError, KeyError, TypeError) as exc:
        log.info("pdf decryption failed: %s", type(exc).__name__)
        return False


def _metadata(reader: PdfReader, path: Path, warnings: list[str]) -> Any:
    try:
        return reader.metadata or {}
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.info("pdf metadata unreadable in %s: %s", shown(path), type(exc).__name__)
        warnings.append(f"The title and dates inside {shown(path)} could not be read.")
        return {}


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).replace("\x00", "").split())
    return text or None


def _date(info: Any, attribute: str) -> datetime | None:
    try:
        value = getattr(info, attribute, None)
    except (ValueError, TypeError, AttributeError, OverflowError):  # malformed D:... strings
        return None
    return value if isinstance(value, datetime) else None


def _first_pages_text(reader: PdfReader, pages: int, path: Path, warnings: list[str]) -> str:
    texts = []
    for number in range(pages):
        try:
            texts.append(reader.pages[number].extract_text() or "")
        except Exception as exc:  # text extraction meets every kind of broken content stream
            log.info("pdf text unreadable on page %d of %s: %s", number + 1, shown(path), type(exc).__name__)
            warnings.append(f"The text of page {number + 1} of {shown(path)} could not be read.")
    return "\n".join(texts)
