"""What a file holds, told from its first bytes rather than its name."""

from __future__ import annotations

import enum
import mimetypes
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import olefile

HEAD_BYTES = 8192

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF-"

# Header names that open real RFC 822 messages (saved mails, Thunderbird drops).
_MAIL_HEADERS = {
    "from", "to", "cc", "subject", "date", "message-id", "received", "return-path", "mime-version",
    "delivered-to", "reply-to", "sender", "content-type", "x-mozilla-status", "user-agent",
    "in-reply-to", "references", "thread-topic", "x-mailer", "dkim-signature", "authentication-results",
}
_HEADER_LINE = re.compile(rb"^([!-9;-~]+):[ \t]?")

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"\x1f\x8b", "application/gzip"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"{\\rtf", "application/rtf"),
    (b"0\x82", "application/pkcs7-signature"),  # DER, as in smime.p7s
    (b"\x78\x9f\x3e\x22", "application/vnd.ms-tnef"),  # TNEF: winmail.dat
)

_OOXML_FOLDERS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


# Top-level names in a compound file that only Outlook items have (MS-OXMSG).
_MAPI_ENTRIES = ("__properties_version1.0", "__nameid_version1.0", "__substg1.0_", "__recip_version1.0",
                 "__attach_version1.0")


class FileKind(str, enum.Enum):
    MSG = "msg"  # Outlook item (OLE compound file with MAPI properties)
    EML = "eml"  # RFC 822 message
    PDF = "pdf"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: FileKind
    mime_type: str
    label: str  # how a person names the content: "an Outlook item", "HTML", "a PNG image"


def sniff(path: Path) -> Sniffed:
    """Tell a file's kind from its content. Raises OSError when it cannot be read."""
    with path.open("rb") as f:
        head = f.read(HEAD_BYTES)
    return sniff_bytes(head, path)


def sniff_bytes(head: bytes, path: Path) -> Sniffed:
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(path)
    if PDF_MAGIC in head[:1024]:
        return Sniffed(FileKind.PDF, "application/pdf", "a PDF")
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path)
    for magic, mime in _SIGNATURES:
        if head.startswith(magic):
            return Sniffed(FileKind.OTHER, mime, _label(mime))
    if head[4:8] == b"ftyp" or (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        mime = "image/webp" if head.startswith(b"RIFF") else _by_name(path, "video/mp4")
        return Sniffed(FileKind.OTHER, mime, _label(mime))
    if looks_like_mail(head):
        return Sniffed(FileKind.EML, "message/rfc822", "a mail message")
    text = _as_text(head)
    if text is not None:
        start = text.lstrip("\ufeff \t\r\n")[:200].lower()
        if start.startswith(("<!doctype html", "<html", "<head", "<body")):
            return Sniffed(FileKind.OTHER, "text/html", "HTML")
        if start.startswith("<?xml"):
            return Sniffed(FileKind.OTHER, _by_name(path, "application/xml"), "XML")
        return Sniffed(FileKind.OTHER, _by_name(path, "text/plain", text_only=True), "text")
    mime = _by_name(path, "application/octet-stream")
    return Sniffed(FileKind.OTHER, mime, _label(mime))


def looks_like_mail(head: bytes) -> bool:
    """True when the bytes open with RFC 822 header lines, at least two of them well-known mail headers."""
    lines = head.lstrip(b"\r\n").splitlines()
    if not lines:
        return False
    if lines[0].startswith(b"From "):  # mbox separator line
        lines = lines[1:]
    known = 0
    for line in lines[:60]:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):
            continue  # folded continuation
        match = _HEADER_LINE.match(line)
        if not match:
            return False
        known += match.group(1).decode("ascii").lower() in _MAIL_HEADERS
    return known >= 2


def expected_kind(name: str) -> FileKind | None:
    """The kind a file's extension promises, for the few kinds intake reads."""
    suffix = Path(name).suffix.lower()
    return {".msg": FileKind.MSG, ".eml": FileKind.EML, ".pdf": FileKind.PDF}.get(suffix)


def _sniff_ole(path: Path) -> Sniffed:
    """An OLE compound file is an Outlook item when it carries MAPI properties; else Word, Excel ...

    A compound file named .msg is taken as an Outlook item without opening it twice: the reader
    says so when it is not one.
    """
    if expected_kind(path.name) is FileKind.MSG or is_outlook_compound(path):
        return Sniffed(FileKind.MSG, "application/vnd.ms-outlook", "an Outlook item")
    mime = _legacy_office_type(path) or _by_name(path, "application/x-ole-storage")
    return Sniffed(FileKind.OTHER, mime, _label(mime))


# The stream that makes a compound file a Word, Excel or PowerPoint 97-2003 file (MS-DOC, MS-XLS, MS-PPT).
_LEGACY_OFFICE_STREAMS = (("WordDocument", "application/msword"), ("Workbook", "application/vnd.ms-excel"),
                          ("Book", "application/vnd.ms-excel"), ("PowerPoint Document", "application/vnd.ms-powerpoint"))


def _legacy_office_type(path: Path) -> str | None:
    """Word, Excel or PowerPoint as the compound file's streams say, whatever its name; None otherwise
    (an encrypted OOXML file, other compound files, or one that cannot be read)."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            return next((mime for stream, mime in _LEGACY_OFFICE_STREAMS if ole.exists(stream)), None)
    except (OSError, ValueError, IndexError, KeyError):
        return None


def is_outlook_compound(path: Path) -> bool | None:
    """Whether a compound file holds MAPI properties (an Outlook item); None when it cannot be read."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            return any(entry[0].startswith(_MAPI_ENTRIES) for entry in ole.listdir(streams=True, storages=True))
    except (OSError, ValueError, IndexError, KeyError):
        return None


def _sniff_zip(path: Path) -> Sniffed:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                mime = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mime.startswith("application/vnd.oasis.opendocument"):
                    return Sniffed(FileKind.OTHER, mime, "an OpenDocument file")
    except (OSError, zipfile.BadZipFile, ValueError, RuntimeError, NotImplementedError):
        names = []
    for folder, mime in _OOXML_FOLDERS.items():
        if any(n.startswith(folder) for n in names):
            return Sniffed(FileKind.OTHER, mime, "an Office document")
    return Sniffed(FileKind.OTHER, "application/zip", "a ZIP archive")


def _as_text(head: bytes) -> str | None:
    """The head as text when it is UTF-8 (or UTF-16 with a byte-order mark) without control bytes."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head[: len(head) // 2 * 2].decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4 and exc.reason == "unexpected end of data":  # cut in a character
            return head[: exc.start].decode("utf-8")
        return None


def _by_name(path: Path, fallback: str, *, text_only: bool = False) -> str:
    guessed = mimetypes.guess_type(path.name)[0]
    if guessed and (not text_only or guessed.startswith("text/") or guessed.endswith(("xml", "json", "csv"))):
        return guessed
    return fallback


def _label(mime: str) -> str:
    if mime.startswith("image/"):
        return f"a {mime.split('/', 1)[1].upper()} image"
    return {
        "application/msword": "a Word document",
        "application/vnd.ms-excel": "an Excel workbook",
        "application/vnd.ms-powerpoint": "a PowerPoint presentation",
        "application/zip": "a ZIP archive",
        "application/rtf": "an RTF document",
        "application/pkcs7-signature": "a digital signature",
        "application/vnd.ms-tnef": "a winmail.dat (TNEF) mail",
    }.get(mime, f"data of type {mime}")
