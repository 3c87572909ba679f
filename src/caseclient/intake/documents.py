"""What is filed for a candidate: the document itself, then (when attachments are filed separately)
each chosen attachment as a document of its own beside it, each with the media type intake detected.

The desktop's drop, `caseclient file` and `caseclient watch` file through this one plan, so that a
mail's attachments are filed the same way wherever the mail comes in.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..domain import DocumentMetadata
from .model import Candidate


class AttachmentFiling(str, enum.Enum):
    """How a mail's attachments are filed (setting intake.attachments, `--attachments`)."""

    SEPARATE = "separate"  # each attachment intake includes is filed too, as a document beside the mail
    WITH_MAIL = "with-mail"  # only the mail is filed; its attachments stay inside it

    @classmethod
    def parse(cls, value: str) -> "AttachmentFiling":
        return cls(value.strip().lower())


@dataclass(frozen=True, slots=True)
class ToFile:
    """One document to file: the file, the name and media type it is filed under, its metadata."""

    path: Path
    filename: str
    mime_type: str
    metadata: DocumentMetadata


def documents_to_file(candidate: Candidate, metadata: DocumentMetadata | None = None, *,
                      attachments: Iterable[int] | AttachmentFiling = AttachmentFiling.SEPARATE) -> list[ToFile]:
    """The candidate with `metadata` (as the user confirmed it; default: as proposed), then its
    attachments: those at the given positions (the user's choice), or, for AttachmentFiling.SEPARATE,
    those intake includes (not inline images, signatures or empty parts), each with its own proposal.
    The files live in the candidate's scratch folder: release the candidate once they are queued."""
    if isinstance(attachments, AttachmentFiling):
        chosen = [position for position, attached in enumerate(candidate.attachments)
                  if attached.included and attachments is AttachmentFiling.SEPARATE]
    else:
        chosen = list(attachments)
    found = [ToFile(candidate.source, candidate.filename, candidate.mime_type, metadata or candidate.metadata)]
    for position in chosen:
        attached = candidate.attachments[position].candidate
        found.append(ToFile(attached.source, attached.filename, attached.mime_type, attached.metadata))
    return found
