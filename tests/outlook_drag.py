"""What classic Outlook puts on a drag, built by hand for the drop tests, and a fake Outlook."""

from __future__ import annotations

import struct
from pathlib import Path

from caseclient.intake.drop import windows_format

WIDE_RECORD, ANSI_RECORD = 592, 332

# Format lists as gathered in drag-and-drop.md (Qt's names on Windows).
CLASSIC_OUTLOOK_MAIL_FORMATS = [windows_format(n) for n in (
    "RenPrivateSourceFolder", "RenPrivateMessages", "RenPrivateLatestMessages", "RenPrivateItem",
    "FileGroupDescriptor", "FileGroupDescriptorW", "FileNameW", "FileContents", "Object Descriptor", "Csv",
)] + ["text/plain"]
OUTLOOK_ATTACHMENT_FORMATS = [windows_format(n) for n in ("FileGroupDescriptorW", "FileContents")]
NEW_OUTLOOK_FORMATS = ["chromium/x-web-custom-data", "text/plain", "text/html"]
THUNDERBIRD_FORMATS = ["text/x-moz-message", "text/x-moz-url", "text/uri-list", "application/x-moz-file"]
MAC_OUTLOOK_FORMATS = ["application/x-qt-mime-type-name;value=\"com.apple.NSFilePromiseItemMetaData\"",
                       "application/x-qt-mime-type-name;value=\"com.apple.pasteboard.promised-file-url\""]


def file_group_descriptor(entries: list[tuple[str, int | None]], *, wide: bool = True) -> bytes:
    """FILEGROUPDESCRIPTOR(W|A) bytes: count, then one record per (name, size or None)."""
    record = WIDE_RECORD if wide else ANSI_RECORD
    out = bytearray(struct.pack("<I", len(entries)))
    for name, size in entries:
        entry = bytearray(record)
        flags = 0x40 if size is not None else 0
        struct.pack_into("<I", entry, 0, flags | 0x20)
        struct.pack_into("<Q", entry, 56, 133_000_000_000_000_000)  # a FILETIME in 2022
        struct.pack_into("<II", entry, 64, (size or 0) >> 32, (size or 0) & 0xFFFFFFFF)
        encoded = name.encode("utf-16-le") if wide else name.encode("cp1252")
        entry[72:72 + len(encoded)] = encoded
        out += entry
    return bytes(out)


class FakeMailItem:
    def __init__(self, subject: str, content: bytes) -> None:
        self.Subject = subject
        self.content = content
        self.saved_as: list[tuple[str, int]] = []

    def SaveAs(self, path: str, kind: int) -> None:  # noqa: N802 - Outlook's name
        self.saved_as.append((path, kind))
        Path(path).write_bytes(self.content)


class FakeSelection:
    def __init__(self, items: list[FakeMailItem]) -> None:
        self.items = items
        self.Count = len(items)

    def Item(self, number: int) -> FakeMailItem:  # noqa: N802 - 1-based, as in Outlook
        return self.items[number - 1]


class FakeOutlook:
    """Outlook.Application as far as the drop path uses it: ActiveExplorer().Selection."""

    def __init__(self, items: list[FakeMailItem]) -> None:
        self.selection = FakeSelection(items)

    def ActiveExplorer(self) -> "FakeOutlook":  # noqa: N802
        return self

    @property
    def Selection(self) -> FakeSelection:  # noqa: N802
        return self.selection
