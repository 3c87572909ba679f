"""Content sniffing and PDF dates: what a file holds, whatever its name says."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from caseclient.intake.pdf import parse_pdf_date
from caseclient.intake.sniff import FileKind, sniff


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("name, content, kind, mime", [
    ("scan.bin", b"%PDF-1.7\n...", FileKind.PDF, "application/pdf"),
    ("junk-first.dat", b"\x00garbage\n%PDF-1.4", FileKind.PDF, "application/pdf"),
    ("mail.txt", b"Received: from x\r\nFrom: a@b.dk\r\nSubject: Hej\r\n\r\nbody", FileKind.EML, "message/rfc822"),
    ("mbox.dat", b"From - Tue Nov 14 10:00:00 2023\r\nX-Mozilla-Status: 0001\r\nFrom: a@b.dk\r\n\r\n", FileKind.EML,
     "message/rfc822"),
    ("notes.txt", b"Subject: not a mail, just text\nwith a colon line", FileKind.OTHER, "text/plain"),
    ("foto.pdf", b"\xff\xd8\xff\xe0\x00\x10JFIF", FileKind.OTHER, "image/jpeg"),
    ("logo", b"\x89PNG\r\n\x1a\n\x00\x00", FileKind.OTHER, "image/png"),
    ("brev.docx", _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), FileKind.OTHER,
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("ark", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), FileKind.OTHER,
     "application/vnd.oasis.opendocument.spreadsheet"),
    ("pakke.zip", _zip({"a.txt": b"a"}), FileKind.OTHER, "application/zip"),
    ("side.pdf", b"<!DOCTYPE html><html><body>Login</body></html>", FileKind.OTHER, "text/html"),
    ("utf16.txt", "\ufeffHej æøå".encode("utf-16"), FileKind.OTHER, "text/plain"),
    ("data.unknownext", bytes(range(256)), FileKind.OTHER, "application/octet-stream"),
    ("brev.rtf", b"{\\rtf1\\ansi hej}", FileKind.OTHER, "application/rtf"),
])
def test_sniff(tmp_path: Path, name: str, content: bytes, kind: FileKind, mime: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    found = sniff(path)
    assert (found.kind, found.mime_type) == (kind, mime)


@pytest.mark.parametrize("value, expected", [
    ("D:20161231184323+01'00'", datetime(2016, 12, 31, 18, 43, 23, tzinfo=timezone(timedelta(hours=1)))),
    ("D:20230623063933Z", datetime(2023, 6, 23, 6, 39, 33, tzinfo=timezone.utc)),
    ("D:20100802090958-05'00'", datetime(2010, 8, 2, 9, 9, 58, tzinfo=timezone(-timedelta(hours=5)))),
    ("D:20220415113826", datetime(2022, 4, 15, 11, 38, 26)),
    ("D:2022", datetime(2022, 1, 1)),
    ("20220415", datetime(2022, 4, 15)),
    ("D:20221345000000", None),
    ("yesterday", None),
    (None, None),
])
def test_pdf_dates(value: str | None, expected: datetime | None) -> None:
    assert parse_pdf_date(value) == expected
