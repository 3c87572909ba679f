"""What readers find in a file (ReadItem) and what intake proposes to file (Candidate)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..domain import Cpr, Cvr, DocumentMetadata, Party, redact_cprs


class ItemKind(str, enum.Enum):
    EMAIL = "email"
    APPOINTMENT = "appointment"  # meetings, meeting requests and responses
    CONTACT = "contact"
    TASK = "task"
    NOTE = "note"  # sticky notes, journal entries, posts and other Outlook items
    PDF = "pdf"
    FILE = "file"


@dataclass(slots=True)
class ReadAttachment:
    """A file carried inside a mail, with its bytes."""

    filename: str
    data: bytes
    mime_type: str | None = None
    inline: bool = False  # shown inside the body (content-id, inline disposition, hidden flag)


@dataclass(slots=True)
class ReadItem:
    """The facts one reader found in one file. `text` is for detection only and never kept."""

    kind: ItemKind
    mime_type: str
    item_class: str | None = None  # Outlook message class, e.g. IPM.Note, IPM.Appointment
    subject: str | None = None
    sender: Party | None = None
    recipients: tuple[Party, ...] = ()  # roles RECIPIENT and CC
    sent: datetime | None = None
    received: datetime | None = None
    created: datetime | None = None  # PDF creation date, item creation time
    message_id: str | None = None
    author: str | None = None
    page_count: int | None = None
    encrypted: bool = False
    description: str = ""  # e.g. an appointment's time and place
    text: str = ""
    attachments: list[ReadAttachment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A document proposed for filing: metadata, the file that carries it, and what was found."""

    metadata: DocumentMetadata
    source: Path
    filename: str
    mime_type: str
    size: int
    sha256: str
    kind: ItemKind
    item_class: str | None = None
    message_id: str | None = None
    page_count: int | None = None
    author: str | None = None  # a PDF's author as its metadata says
    encrypted: bool = False
    detected_case_numbers: tuple[str, ...] = ()
    detected_cprs: tuple[Cpr, ...] = ()
    detected_cvrs: tuple[Cvr, ...] = ()
    attachments: tuple["AttachmentCandidate", ...] = ()
    warnings: tuple[str, ...] = ()
    scratch: Path | None = None  # private folder holding unpacked attachments; see release()

    def __repr__(self) -> str:
        # Titles and parties may hold CPR numbers: a repr that reaches a log shows none of them.
        return f"Candidate({redact_cprs(self.filename)!r}, {self.kind.value}, sha256={self.sha256[:12]})"

    def all_warnings(self) -> list[str]:
        """This candidate's warnings followed by those of its attachments, depth first."""
        found = list(self.warnings)
        for attachment in self.attachments:
            found.extend(attachment.candidate.all_warnings())
        return found


@dataclass(slots=True)
class AttachmentCandidate:
    """An attachment proposed as a document of its own; the user may include it or leave it out."""

    candidate: Candidate
    included: bool = True
    left_out_because: str | None = None  # e.g. "inline image", "signature", "empty"
