"""A drop as plain data: the formats a drag offered, the bytes of those intake reads, and its files.

The Qt adapter (caseclient.services.drop_mime) fills this inside dropEvent, while the dragged
data is still alive; everything after that is Qt-free and testable without a display.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# How Qt names a Windows clipboard format it has no MIME type for.
WINDOWS_MIME = 'application/x-qt-windows-mime;value="{}"'

FILE_GROUP_DESCRIPTOR_W = "FileGroupDescriptorW"
FILE_GROUP_DESCRIPTOR = "FileGroupDescriptor"  # ANSI; RTF mails' attachments carry only this one
FILE_CONTENTS = "FileContents"
OUTLOOK_MARKERS = ("RenPrivateMessages", "RenPrivateItem", "RenPrivateSourceFolder", "RenPrivateLatestMessages")
THUNDERBIRD_MARKERS = ("text/x-moz-message", "text/x-moz-url")
CHROMIUM_CUSTOM = ("chromium/x-web-custom-data", "Chromium Web Custom MIME Data Format")
FILE_PROMISE_MARKERS = ("promise", "NSFilePromise")  # Finder/macOS file promises (Outlook for Mac)


def windows_format(name: str) -> str:
    return WINDOWS_MIME.format(name)


def file_contents_format(index: int) -> str:
    """The name Qt passes through to IDataObject::GetData with lindex = index."""
    return f"{windows_format(FILE_CONTENTS)};index={index}"


def read_eagerly(format_name: str) -> bool:
    """Whether the adapter copies a format's bytes out of the drag (small, and needed to decode)."""
    return format_name in (windows_format(FILE_GROUP_DESCRIPTOR_W), windows_format(FILE_GROUP_DESCRIPTOR),
                           FILE_GROUP_DESCRIPTOR_W, FILE_GROUP_DESCRIPTOR)


@dataclass(frozen=True, slots=True)
class DropDescription:
    offered: tuple[str, ...] = ()  # every format name the drag offered, in its order
    data: dict[str, bytes] = field(default_factory=dict)  # bytes of the formats intake reads
    files: tuple[Path, ...] = ()  # local files and folders (text/uri-list file:// URLs)
    links: tuple[str, ...] = ()  # URLs that are not local files

    def windows(self, name: str) -> bytes | None:
        """A Windows format's bytes, whether Qt named it by its Windows name or the bare name."""
        return self.data.get(windows_format(name), self.data.get(name))

    def offers(self, *markers: str) -> bool:
        """True when any offered format name contains one of the markers (case-insensitive)."""
        lowered = [m.lower() for m in markers]
        return any(m in f.lower() for f in self.offered for m in lowered)
