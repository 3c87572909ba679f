"""PDF files: metadata, page count, encryption, the text of the first pages, and the files they carry.

Read with PDFium (pypdfium2, already a dependency for scan folders) rather than pypdf: it opens a
PDF and extracts a page's text 10-100 times faster (0.3 ms vs 110 ms to open a 117-page report,
1-10 ms vs 20-80 ms a page), which is what makes a 100-file folder or a mail with 20 attachments a
sub-second proposal. PDFium is not thread-safe: every call holds PDFIUM_LOCK, which other PDFium
users in caseclient must share.

PDFium repairs what it can (a broken cross-reference table, junk after the end): such a PDF is read
with a warning, the same on its own as inside a mail. A PDF cut short is refused: a repaired read of
it would file a document with parts missing.
"""

from __future__ import annotations

import logging
import mmap
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePath
from typing import TYPE_CHECKING


from ..domain import InputError
from .files import shown
from .model import ItemKind, ReadAttachment, ReadItem
from .title import metadata_title

if TYPE_CHECKING:
    import pypdfium2 as pdfium

log = logging.getLogger(__name__)

PDFIUM_LOCK = threading.RLock()
_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
_END_MARKER_WINDOW = 2048  # %%EOF must appear this close to the end (readers allow some trailing bytes)
_FORMTYPE_XFA_FULL = 2  # a dynamic XFA form: its pages are drawn from the XFA, not the PDF's page content
_ANNOT_SCAN_PAGES = 500  # pages searched for attachment annotations when the file's bytes name one
_MAX_EMBEDDED = 100  # embedded files offered per PDF
_PDF_DATE = re.compile(r"^D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?\s*(Z|[+-]\d{2}'?\d{0,2}'?)?")
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_XREF_AT = re.compile(rb"\s*(xref|\d+\s+\d+\s+obj)")
# A later revision or its trailer: after the last %%EOF it means the file was cut short, not padded.
_PDF_STRUCTURE = re.compile(rb"\d+\s+\d+\s+obj|endobj|xref|trailer|startxref")


def read_pdf(path: Path, *, text_pages: int) -> ReadItem:
    damage = _damage(path)
    import pypdfium2 as pdfium  # loaded on the first PDF: keeps the app's start-up small

    read = ReadItem(kind=ItemKind.PDF, mime_type="application/pdf")
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == _PASSWORD_ERROR:
                read.encrypted = True
                read.warnings.append(
                    f"{shown(path)} is protected by a password: its text, title and page count could not be read."
                )
                return read
            log.info("pdf open failed for %s: %s", shown(path), exc)
            raise InputError(f"{shown(path)} could not be read: the PDF is damaged or incomplete.") from exc
        if damage:
            read.warnings.append(f"{shown(path)} is damaged ({damage}); it was read by repairing it and is filed "
                                 "as it is: check that it opens.")
        try:
            read.page_count = len(document)
            info = document.get_metadata_dict(skip_empty=True)
            read.subject = metadata_title(info.get("Title"))
            read.author = _text(info.get("Author"))
            read.created = parse_pdf_date(info.get("CreationDate")) or parse_pdf_date(info.get("ModDate"))
            pages = min(text_pages, read.page_count)
            annotated: list[_AnnotatedFile] = []
            read.text = _first_pages_text(document, pages, path, read.warnings, annotated)
            if document.get_formtype() == _FORMTYPE_XFA_FULL:
                read.warnings.append(
                    f"{shown(path)} is a dynamic XFA form: what was filled in is not in its page text (the page "
                    "may only ask for Adobe Reader). Open it in Adobe Reader to see the data.")
            read.attachments = _embedded_files(document, path, pages, annotated, read.warnings)
        finally:
            document.close()
    return read


def parse_pdf_date(value: str | None) -> datetime | None:
    """A PDF date string (D:YYYYMMDDHHmmSSOHH'mm') as a datetime; naive when it names no zone."""
    match = _PDF_DATE.match(value or "")
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        when = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                        int(second or 0))
    except ValueError:
        return None
    if zone == "Z":
        return when.replace(tzinfo=timezone.utc)
    if zone:
        digits = zone[1:].replace("'", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        if offset >= timedelta(hours=24):
            return when
        return when.replace(tzinfo=timezone(offset if zone[0] == "+" else -offset))
    return when


def _damage(path: Path) -> str | None:
    """What is wrong with a PDF's frame that PDFium repairs, or None. Raises InputError for a PDF cut
    short (an interrupted download or copy): its last revision lacks its final %%EOF marker."""
    incomplete = InputError(f"{shown(path)} could not be read: the PDF is damaged or incomplete.")
    with path.open("rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - _END_MARKER_WINDOW))
        tail = f.read()
        end = tail.rfind(b"%%EOF")
        if end >= 0 and _PDF_STRUCTURE.search(tail, end + 5):  # a later revision lost its end
            raise incomplete
        if end < 0:
            if size == 0:
                raise incomplete
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as whole:
                end = whole.rfind(b"%%EOF")
                if end < 0 or _PDF_STRUCTURE.search(whole, end + 5):
                    raise incomplete
                return f"{size - end - 5} bytes of other data follow its end"
        found = list(_STARTXREF.finditer(tail))
        offset = int(found[-1].group(1)) if found else size
        if offset < size:
            f.seek(offset)
            if _XREF_AT.match(f.read(64)):
                return None
    return "its cross-reference table is broken"


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).replace("\x00", "").split())
    return text or None


def _embedded_files(document: pdfium.PdfDocument, path: Path, pages_read: int, annotated: list[_AnnotatedFile],
                    warnings: list[str]) -> list[ReadAttachment]:
    """The files a PDF carries: its EmbeddedFiles name tree, then its FileAttachment annotations:
    those on the pages read for text (`annotated`), and on the other pages when the file's bytes name
    such an annotation (one inside a compressed object stream does not show in the bytes)."""
    import pypdfium2 as pdfium

    found: list[ReadAttachment] = []
    for index in range(min(document.count_attachments(), _MAX_EMBEDDED)):
        attachment = document.get_attachment(index)
        name = _attachment_name(attachment, len(found))
        try:
            found.append(ReadAttachment(name, bytes(attachment.get_data())))
        except pdfium.PdfiumError:
            warnings.append(f"The embedded file {shown(name)} of {shown(path)} could not be read.")
    if len(document) > pages_read and _names_file_annotation(path):
        for number in range(pages_read, min(len(document), _ANNOT_SCAN_PAGES)):
            if len(found) + len(annotated) >= _MAX_EMBEDDED:
                break
            page = document[number]
            try:
                annotated.extend(_file_annotations(document, page, number))
            finally:
                page.close()
    unread = []
    for file in annotated[: max(0, _MAX_EMBEDDED - len(found))]:
        if file.data is None:  # PDFium looks for the stream under the name's own key only
            unread.append(file)
        else:
            found.append(ReadAttachment(file.name, file.data))
    if unread:
        found.extend(_annotation_files_with_pypdf(path, unread, warnings))
    return found


@dataclass(frozen=True, slots=True)
class _AnnotatedFile:
    page: int
    position: int  # among the page's annotations
    name: str
    data: bytes | None  # None: PDFium could not open its stream


def _file_annotations(document: pdfium.PdfDocument, page: pdfium.PdfPage, number: int) -> list[_AnnotatedFile]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    found = []
    for position in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annotation = pdfium_c.FPDFPage_GetAnnot(page, position)
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annotation) != pdfium_c.FPDF_ANNOT_FILEATTACHMENT:
                continue
            raw = pdfium_c.FPDFAnnot_GetFileAttachment(annotation)
            if not raw:
                continue
            attachment = pdfium.PdfAttachment(raw, document)
            name = _attachment_name(attachment, position)
            try:
                data: bytes | None = bytes(attachment.get_data())
            except pdfium.PdfiumError:
                data = None
            found.append(_AnnotatedFile(number, position, name, data))
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annotation)
    return found


def _attachment_name(attachment: pdfium.PdfAttachment, index: int) -> str:
    try:
        name = attachment.get_name()
    except Exception:  # noqa: BLE001 - a name PDFium cannot decode is no reason to lose the file
        name = ""
    name = PurePath(name.replace("\\", "/")).name.strip() if name else ""
    return name or f"embedded file {index + 1}"


def _names_file_annotation(path: Path) -> bool:
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as whole:
        return whole.find(b"/FileAttachment") >= 0


def _annotation_files_with_pypdf(path: Path, unread: list[_AnnotatedFile],
                                 warnings: list[str]) -> list[ReadAttachment]:
    """The files PDFium found but could not open: their stream sits under another key of /EF."""
    from pypdf import PdfReader

    found = []
    try:
        reader = PdfReader(path, strict=False)
    except Exception:  # noqa: BLE001 - pypdf raises many kinds on a file PDFium has read
        reader = None
    for file in unread:
        number, position, name, data = file.page, file.position, file.name, None
        try:
            if reader is not None:
                annotation = reader.pages[number]["/Annots"][position].get_object()
                files = annotation["/FS"].get_object()["/EF"].get_object()
                key = next(k for k in ("/UF", "/F", "/DOS", "/Mac", "/Unix") if k in files)
                data = files[key].get_object().get_data()
        except Exception:  # noqa: BLE001
            log.info("attached file %d on page %d of %s unreadable", position, number + 1, shown(path))
        if data is None:
            warnings.append(f"The embedded file {shown(name)} of {shown(path)} could not be read.")
        else:
            found.append(ReadAttachment(name, data))
    return found


def _first_pages_text(document: pdfium.PdfDocument, pages: int, path: Path, warnings: list[str],
                      annotated: list[_AnnotatedFile]) -> str:
    """The text of the first `pages` pages; the files attached to them by annotations go to `annotated`
    (each page is loaded once)."""
    import pypdfium2 as pdfium

    texts = []
    for number in range(pages):
        try:
            page = document[number]
            try:
                text_page = page.get_textpage()
                try:
                    texts.append(text_page.get_text_range())
                finally:
                    text_page.close()
                annotated.extend(_file_annotations(document, page, number))
            finally:
                page.close()
        except pdfium.PdfiumError as exc:
            log.info("pdf text unreadable on page %d of %s: %s", number + 1, shown(path), exc)
            warnings.append(f"The text of page {number + 1} of {shown(path)} could not be read.")
    return "\n".join(texts)
