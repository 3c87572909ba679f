"""Intake: every mail and file a caseworker drops or names becomes a well-described document candidate.

Qt-free. `propose(path)` reads one file (the reader is chosen by content), `propose_each(paths)`
a batch (folders walked; one bad file never stops it), `release(candidate)` removes the unpacked
attachments once the document is filed. Drops are decoded in `caseclient.intake.drop`.
"""

from .model import AttachmentCandidate, Candidate, ItemKind
from .proposal import Proposed, propose, propose_each, release
from .report import candidate_as_dict, error_as_dict
from .settings import IntakeSettings

__all__ = [
    "AttachmentCandidate", "Candidate", "IntakeSettings", "ItemKind", "Proposed", "candidate_as_dict",
    "error_as_dict", "propose", "propose_each", "release",
]
