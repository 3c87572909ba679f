"""Office files: title, author and creation date from the document's own properties, and encryption.

- OOXML (.docx, .xlsx, .pptx ...): docProps/core.xml (dc:title, dc:creator, dcterms:created).
- OpenDocument (.odt, .ods ...): meta.xml; an encrypted one says so in META-INF/manifest.xml.
- Legacy Office (.doc, .xls, .ppt) and other compound files: the SummaryInformation property set,
  whose 8-bit strings are in the code page it names (olefile reads it; the code page is checked
  against the strings as for Outlook items).
- A password-protected OOXML file is a compound file holding EncryptionInfo and EncryptedPackage;
  a protected .doc sets fEncrypted in its FIB, a .xls starts its workbook with a FILEPASS record, a
  .ppt carries an EncryptedSummary stream. Such a file is flagged like an encrypted PDF.

A property that cannot be read costs the proposal that fact only: the file is still filed as it is.
"""

from __future__ import annotations

import logging
import re
import struct
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from xml.etree import ElementTree

import olefile

from .files import shown
from .model import ReadItem
from .title import metadata_title

log = logging.getLogger(__name__)

OLE_TYPE = "application/x-ole-storage"
_OOXML_PREFIX = "application/vnd.openxmlformats-officedocument."
_ODF_PREFIX = "application/vnd.oasis.opendocument."
_LEGACY_TYPES = {"application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint",
                 "application/vnd.visio", "application/vnd.ms-project", OLE_TYPE}
_MAX_XML = 1_000_000  # a properties part larger than this is not read
_CORE_PART = "docProps/core.xml"
_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
}
_W3CDTF = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_FIB_ENCRYPTED = 0x0100  # fEncrypted in the FIB's flags (MS-DOC 2.5.2)
_XLS_FILEPASS = 0x002F
_XLS_RECORDS_SEARCHED = 50  # FILEPASS follows BOF at once; a few records of slack


@dataclass(slots=True)
class OfficeFacts:
    title: str | None = None
    author: str | None = None
    created: datetime | None = None
    encrypted: bool = False
    notes: list[str] = field(default_factory=list)


def is_office(mime_type: str) -> bool:
    return mime_type.startswith((_OOXML_PREFIX, _ODF_PREFIX)) or mime_type in _LEGACY_TYPES


def add_office_facts(read: ReadItem, path: Path) -> None:
    """Title, author, creation date and encryption of an Office file, into what was read of it."""
    try:
        facts = office_facts(path, read.mime_type)
    except Exception as exc:  # noqa: BLE001 - damaged properties: the file is still filed as it is
        log.info("office properties unreadable in %s: %s", shown(path), type(exc).__name__)
        return
    read.subject = facts.title
    read.author = facts.author
    read.created = facts.created
    if facts.encrypted:
        read.encrypted = True
        read.warnings.append(f"{shown(path)} is protected by a password: its text, title and author could not "
                             "be read.")


def office_facts(path: Path, mime_type: str) -> OfficeFacts:
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"PK"):
        return _zip_facts(path)
    if head == olefile.MAGIC:
        return _compound_facts(path)
    return OfficeFacts()


# -- zip packages ---------------------------------------------------------------------------------

def _zip_facts(path: Path) -> OfficeFacts:
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if _CORE_PART in names:
            return _core_properties(_xml(archive, _CORE_PART))
        if "meta.xml" in names or "META-INF/manifest.xml" in names:
            facts = _odf_meta(_xml(archive, "meta.xml")) if "meta.xml" in names else OfficeFacts()
            if "META-INF/manifest.xml" in names:
                manifest = _xml(archive, "META-INF/manifest.xml")
                facts.encrypted = any(e.tag.endswith("}encryption-data") for e in manifest.iter())
            return facts
    return OfficeFacts()


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    if archive.getinfo(name).file_size > _MAX_XML:
        raise ValueError(f"{name} is too large")
    return ElementTree.fromstring(archive.read(name))  # expat refuses entity expansion bombs


def _core_properties(root: ElementTree.Element) -> OfficeFacts:
    def text(tag: str) -> str | None:
        found = root.find(tag, _NS)
        return found.text.strip() if found is not None and found.text and found.text.strip() else None

    return OfficeFacts(
        title=metadata_title(text("dc:title")),
        author=_clean(text("dc:creator")) or _clean(text("cp:lastModifiedBy")),
        created=parse_w3cdtf(text("dcterms:created")) or parse_w3cdtf(text("dcterms:modified")),
    )


def _odf_meta(root: ElementTree.Element) -> OfficeFacts:
    def text(tag: str) -> str | None:
        found = root.find(f".//{tag}", _NS)
        return found.text.strip() if found is not None and found.text and found.text.strip() else None

    return OfficeFacts(
        title=metadata_title(text("dc:title")),
        author=_clean(text("meta:initial-creator")) or _clean(text("dc:creator")),
        created=parse_w3cdtf(text("meta:creation-date")) or parse_w3cdtf(text("dc:date")),
    )


def parse_w3cdtf(value: str | None) -> datetime | None:
    """2008-01-04T11:51:36Z (and its shorter forms) as a datetime; naive when it names no zone."""
    match = _W3CDTF.match(value or "")
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        when = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
        if zone:
            when = when.replace(tzinfo=timezone.utc if zone == "Z" else datetime.strptime(
                zone.replace(":", ""), "%z").tzinfo)
    except ValueError:
        return None
    return when if when.year >= 1980 else None  # Office writes 1601 and 1899 for "never"


# -- compound files (legacy Office, encrypted OOXML) ----------------------------------------------

def _compound_facts(path: Path) -> OfficeFacts:
    with olefile.OleFileIO(str(path)) as ole:
        if ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage"):
            return OfficeFacts(encrypted=True)
        facts = _summary_information(ole) if ole.exists("\x05SummaryInformation") else OfficeFacts()
        facts.encrypted = _legacy_encrypted(ole)
        if facts.encrypted:  # the properties of a protected file may be a decoy ("Encrypted" ...)
            facts.title = None
        return facts


def _summary_information(ole: olefile.OleFileIO) -> OfficeFacts:
    from .codepages import choose_encoding

    meta = ole.get_metadata()
    raw = {"title": meta.title, "author": meta.author or meta.last_saved_by}
    code_page = meta.codepage if isinstance(meta.codepage, int) else None
    if code_page is not None and code_page < 0:
        code_page &= 0xFFFF  # written as a signed 16-bit number: 65001 reads as -535
    strings = [v for v in raw.values() if isinstance(v, bytes)]
    codec = "utf-16-le" if code_page == 1200 else choose_encoding(strings, [code_page])
    decoded = {k: (v.decode(codec, "replace") if isinstance(v, bytes) else v) for k, v in raw.items()}
    created = meta.create_time or meta.last_saved_time
    if isinstance(created, datetime):
        created = created.replace(tzinfo=timezone.utc) if created.year >= 1980 else None  # FILETIME is UTC
    else:
        created = None
    return OfficeFacts(title=metadata_title(decoded["title"]), author=_clean(decoded["author"]), created=created)


def _legacy_encrypted(ole: olefile.OleFileIO) -> bool:
    if ole.exists("EncryptedSummary"):  # PowerPoint 2002+ encryption
        return True
    if ole.exists("WordDocument"):
        with ole.openstream("WordDocument") as stream:
            fib = stream.read(12)
        return len(fib) >= 12 and bool(struct.unpack_from("<H", fib, 10)[0] & _FIB_ENCRYPTED)
    for name in ("Workbook", "Book"):
        if ole.exists(name):
            with ole.openstream(name) as stream:
                data = stream.read(4096)
            offset = 0
            for _ in range(_XLS_RECORDS_SEARCHED):
                if offset + 4 > len(data):
                    break
                record, length = struct.unpack_from("<HH", data, offset)
                if record == _XLS_FILEPASS:
                    return True
                offset += 4 + length
            return False
    return False


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.replace("\x00", "").split())
    return text or None
