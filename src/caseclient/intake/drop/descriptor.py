"""FILEGROUPDESCRIPTOR(W/A): the names (and sizes) of the virtual files Outlook puts on a drag."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

WIDE_RECORD = 592  # FILEDESCRIPTORW
ANSI_RECORD = 332  # FILEDESCRIPTORA
NAME_OFFSET = 72
MAX_PATH = 260
FD_WRITESTIME = 0x20
FD_FILESIZE = 0x40
_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class FileDescriptor:
    name: str
    size: int | None = None  # when the source said (FD_FILESIZE)
    written: datetime | None = None  # when the source said (FD_WRITESTIME)


def parse_file_group_descriptor(data: bytes, *, wide: bool) -> list[FileDescriptor]:
    """The descriptors in a FILEGROUPDESCRIPTOR; a short buffer yields the complete records it has."""
    if len(data) < 4:
        return []
    (count,) = struct.unpack_from("<I", data, 0)
    record = WIDE_RECORD if wide else ANSI_RECORD
    count = min(count, (len(data) - 4) // record)
    found = []
    for index in range(count):
        start = 4 + index * record
        flags, = struct.unpack_from("<I", data, start)
        write_time, = struct.unpack_from("<Q", data, start + 56)
        high, low = struct.unpack_from("<II", data, start + 64)
        raw_name = data[start + NAME_OFFSET: start + record]
        if wide:
            name = raw_name.decode("utf-16-le", "replace").split("\x00", 1)[0]
        else:
            name = raw_name.split(b"\x00", 1)[0].decode("mbcs" if _has_mbcs() else "cp1252", "replace")
        found.append(FileDescriptor(
            name=name,
            size=(high << 32 | low) if flags & FD_FILESIZE else None,
            written=_filetime(write_time) if flags & FD_WRITESTIME else None,
        ))
    return found


def _filetime(value: int) -> datetime | None:
    try:
        return _FILETIME_EPOCH + timedelta(microseconds=value // 10) if value else None
    except OverflowError:
        return None


def _has_mbcs() -> bool:
    """The ANSI code page of this Windows machine is codec 'mbcs'; elsewhere Western (cp1252) is assumed."""
    try:
        "".encode("mbcs")
    except LookupError:
        return False
    return True
