"""Office files: title, author and creation date from the document's own properties, and encryption.

- OOXML (.docx, .xlsx, .pptx ...): docProps/core.xml (dc:title, dc:creator, dcterms:created).
- OpenDocument (.odt, .ods ...): meta.xml; an encrypted one says so in META-INF/manifest.xml.
- Legacy Office (.doc, .xls, .ppt) and other compound files: the SummaryInformation property set,
  whose 8-bit strings are in the code page it names (read here with every offset checked; the code
  page is checked against the strings as for Outlook items).
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
from datetime import datetime, timedelta, timezone
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
_SUMMARY = "\x05SummaryInformation"
_MAX_PROPERTY_SET = 1 << 20  # a SummaryInformation stream larger than this is not read
_PID_CODEPAGE, _PID_TITLE, _PID_AUTHOR, _PID_LAST_AUTHOR, _PID_CREATED, _PID_SAVED = 1, 2, 4, 8, 12, 13
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=timezone.utc)
_FILETIME_MAX = 2_650_467_743_990_000_000  # 9999-12-31 in FILETIME ticks
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
        facts = _summary_information(ole) if ole.exists(_SUMMARY) else OfficeFacts()
        facts.encrypted = _legacy_encrypted(ole, path)
        if facts.encrypted:  # the properties of a protected file may be a decoy ("Encrypted" ...)
            facts.title = None
        return facts


def _summary_information(ole: olefile.OleFileIO) -> OfficeFacts:
    """Title, author and creation time from the SummaryInformation property set (MS-OLEPS), read by
    hand with every offset and count checked: olefile's own reader records one defect per claimed
    property, and a damaged count claims billions."""
    from .codepages import choose_encoding

    if ole.get_size(_SUMMARY) > _MAX_PROPERTY_SET:
        return OfficeFacts()
    with ole.openstream(_SUMMARY) as stream:
        values = parse_property_set(stream.read(_MAX_PROPERTY_SET))
    code_page = values.get(_PID_CODEPAGE)
    code_page = code_page & 0xFFFF if isinstance(code_page, int) else None  # stored as a signed 16-bit number
    raw = {"title": values.get(_PID_TITLE), "author": values.get(_PID_AUTHOR) or values.get(_PID_LAST_AUTHOR)}
    strings = [v for v in raw.values() if isinstance(v, bytes)]
    codec = "utf-16-le" if code_page == 1200 else choose_encoding(strings, [code_page])
    decoded = {k: (v.decode(codec, "replace") if isinstance(v, bytes) else v) for k, v in raw.items()}
    created = values.get(_PID_CREATED) or values.get(_PID_SAVED)
    return OfficeFacts(title=metadata_title(decoded["title"]), author=_clean(decoded["author"]),
                       created=created if isinstance(created, datetime) else None)


def parse_property_set(data: bytes) -> dict[int, object]:
    """The first section of a property set stream: property id -> int (VT_I2, VT_I4), bytes (VT_LPSTR,
    in the set's code page), str (VT_LPWSTR) or datetime (VT_FILETIME, UTC). Malformed parts are left out."""
    found: dict[int, object] = {}
    if len(data) < 48 or data[:2] != b"\xfe\xff":
        return found
    (section,) = struct.unpack_from("<I", data, 44)
    if section + 8 > len(data):
        return found
    size, count = struct.unpack_from("<II", data, section)
    end = min(len(data), section + size)
    count = min(count, max(0, (end - section - 8) // 8))
    for index in range(count):
        pid, offset = struct.unpack_from("<II", data, section + 8 + index * 8)
        at = section + offset
        if at + 4 > end:
            continue
        (kind,) = struct.unpack_from("<H", data, at)
        value: object = None
        if kind == 0x0002 and at + 6 <= end:  # VT_I2
            (value,) = struct.unpack_from("<h", data, at + 4)
        elif kind == 0x0003 and at + 8 <= end:  # VT_I4
            (value,) = struct.unpack_from("<i", data, at + 4)
        elif kind == 0x001E and at + 8 <= end:  # VT_LPSTR: byte count with the terminating NUL
            (length,) = struct.unpack_from("<I", data, at + 4)
            value = data[at + 8: min(end, at + 8 + length)].split(b"\x00", 1)[0]
        elif kind == 0x001F and at + 8 <= end:  # VT_LPWSTR: character count with the terminating NUL
            (length,) = struct.unpack_from("<I", data, at + 4)
            value = data[at + 8: min(end, at + 8 + 2 * length)].decode("utf-16-le", "replace").split("\x00", 1)[0]
        elif kind == 0x0040 and at + 12 <= end:  # VT_FILETIME: 100 ns steps since 1601, UTC
            (ticks,) = struct.unpack_from("<Q", data, at + 4)
            when = _FILETIME_EPOCH + timedelta(microseconds=ticks // 10) if ticks < _FILETIME_MAX else None
            value = when if when is not None and when.year >= 1980 else None  # 0 and 1601 mean "never"
        if value is not None:
            found.setdefault(pid, value)
    return found


def _stream_head(ole: olefile.OleFileIO, path: Path, name: str, length: int) -> bytes:
    """The first bytes of a stream without loading it whole (a .doc's WordDocument stream is most of
    the file): its first sector, read from the file, when it lives in the regular sectors."""
    entry = ole.direntries[ole._find(name)]
    if entry.size < ole.minisectorcutoff:
        with ole.openstream(name) as stream:
            return stream.read(length)
    with path.open("rb") as f:
        f.seek((entry.isectStart + 1) * ole.sectorsize)
        return f.read(min(length, ole.sectorsize, entry.size))


def _legacy_encrypted(ole: olefile.OleFileIO, path: Path) -> bool:
    if ole.exists("EncryptedSummary"):  # PowerPoint 2002+ encryption
        return True
    if ole.exists("WordDocument"):
        fib = _stream_head(ole, path, "WordDocument", 12)
        return len(fib) >= 12 and bool(struct.unpack_from("<H", fib, 10)[0] & _FIB_ENCRYPTED)
    for name in ("Workbook", "Book"):
        if ole.exists(name):
            data = _stream_head(ole, path, name, 4096)  # FILEPASS follows the BOF record at once
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
