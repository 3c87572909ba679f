"""What the user can tune about proposals: own addresses, case-number shapes, time zone, scratch."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .documents import AttachmentFiling

# The demo organisation's case numbers: KLE subject, action facet, serial, two-digit year,
# e.g. 27.24.00-G01-1-24.
DEMO_CASE_NUMBER = r"\b\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d+-\d{2}\b"

# A case number in a subject tag such as "[27.24.00-G01-1-24]" or "[Sag: 2024-0042]": one token
# of at least four characters holding a digit, optionally after a sag/case label.
SUBJECT_TAG = (
    r"\[\s*(?:(?:sag|sagsnr|sagsnummer|case|casenr|case no)\.?\s*[:#]?\s*)?"
    r"(?=[^\]]{4})([0-9A-Za-zÆØÅæøå][\w.\-/]*\d[\w.\-/]*)\s*\]"
)


@dataclass(frozen=True, slots=True)
class IntakeSettings:
    own_addresses: frozenset[str] = frozenset()  # the user's mail addresses: their mails are outgoing
    internal_domains: frozenset[str] = frozenset()  # sender and all recipients here: internal
    case_number_patterns: tuple[str, ...] = (DEMO_CASE_NUMBER,)  # group 1 if any, else the match
    subject_tag_pattern: str | None = SUBJECT_TAG
    timezone: str = "Europe/Copenhagen"  # document dates are calendar dates in this zone
    include_inline_images: bool = False  # signature logos and pictures shown in the body
    scratch_dir: Path | None = None  # where attachments are unpacked; default: data dir / intake
    pdf_text_pages: int = 3  # pages of a PDF searched for CPR/CVR/case numbers
    max_text_chars: int = 200_000  # text searched per document
    max_depth: int = 3  # mails in mails in mails ... deeper ones stay plain files
    attachments: AttachmentFiling = AttachmentFiling.SEPARATE  # a mail's attachments: filed beside it, or not

    def __post_init__(self) -> None:
        object.__setattr__(self, "own_addresses", frozenset(a.strip().lower() for a in self.own_addresses))
        object.__setattr__(self, "internal_domains", frozenset(d.strip().lower() for d in self.internal_domains))

    def is_own(self, address: str | None) -> bool:
        return bool(address) and address.strip().lower() in self.own_addresses

    def is_internal(self, address: str | None) -> bool:
        if not address or "@" not in address:
            return False
        return address.rsplit("@", 1)[1].strip().lower() in self.internal_domains
