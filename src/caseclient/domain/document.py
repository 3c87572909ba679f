"""What is filed: the metadata of a document, the file it carries and the reference it gets."""

from __future__ import annotations

import enum
import hashlib
import mimetypes
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .party import Party


class Direction(str, enum.Enum):
    INCOMING = "incoming"  # Indgående
    OUTGOING = "outgoing"  # Udgående
    INTERNAL = "internal"  # Internt


class FilingRoute(str, enum.Enum):
    """How a document came to be filed (for the user's filing journal)."""

    DROP = "drop"  # dragged or pasted onto a case in the app
    SCAN = "scan"  # a scan folder's routing or the scan inbox
    COMMAND_LINE = "command line"  # caseclient file


class Sensitivity(str, enum.Enum):
    NORMAL = "normal"  # ikke fortrolige
    CONFIDENTIAL = "confidential"  # fortrolige
    SENSITIVE = "sensitive"  # følsomme personoplysninger
    SPECIAL = "special"  # særligt følsomme


@dataclass(frozen=True, slots=True)
class DocumentMetadata:
    title: str
    document_date: date
    direction: Direction = Direction.INCOMING
    document_type: str | None = None  # e.g. "Brev", "Notat", "Ansøgning"; backend mapping decides
    sender: Party | None = None
    recipients: tuple[Party, ...] = ()
    parties: tuple[Party, ...] = ()  # persons and companies the document concerns (CPR/CVR)
    kle: str | None = None  # ignored by backends that classify on the case only
    sensitivity: Sensitivity = Sensitivity.NORMAL
    description: str = ""
    message_id: str | None = None  # Internet Message-ID of an email, for the duplicate guard
    finalize: bool = True  # journalise now (False: leave a draft where the backend has drafts)
    route: FilingRoute | None = None  # how it came to be filed (the journal's "by which route")

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("a document needs a title")


CHUNK = 1024 * 1024


def sha256_of(path: Path) -> tuple[str, int]:
    """The file's sha256 (hex) and size, read in chunks. Raises OSError."""
    digest = hashlib.sha256()
    size = 0
    with Path(path).open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@dataclass(frozen=True, slots=True)
class UploadSource:
    """A file on disk, ready to send: name, type, size and content hash."""

    path: Path
    filename: str
    mime_type: str
    size: int
    sha256: str

    @classmethod
    def from_path(cls, path: Path, filename: str | None = None, mime_type: str | None = None) -> "UploadSource":
        """Hash and measure a regular file. Raises OSError (missing, unreadable) or IsADirectoryError."""
        path = Path(path)
        if path.is_dir():
            raise IsADirectoryError(f"{path} is a folder, not a file")
        sha256, size = sha256_of(path)
        name = filename or path.name
        mime = mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        return cls(path, name, mime, size, sha256)


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """A document as the backend holds it."""

    id: str
    case_id: str | None  # None for a document placed in an inbox
    title: str
    filename: str | None = None
    size: int | None = None
    mime_type: str | None = None
    document_date: date | None = None
    direction: Direction | None = None
    created: datetime | None = None
    already_existed: bool = False  # True when an earlier attempt had already landed
    extra: dict[str, str] = field(default_factory=dict, compare=False)
