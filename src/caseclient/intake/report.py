"""A candidate as plain data (JSON-ready) for `caseclient inspect` and logs.

CPR numbers are masked everywhere in it, also inside titles, names and descriptions: the output
may end up in a plain file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..domain import InputError, Party, redact_cprs
from .files import shown
from .model import Candidate


def party_as_dict(party: Party) -> dict[str, Any]:
    return {
        "name": _masked(party.name),
        "email": _masked(party.email),
        "cpr": party.cpr.masked if party.cpr else None,
        "cvr": str(party.cvr) if party.cvr else None,
        "role": party.role.value,
    }


def candidate_as_dict(candidate: Candidate) -> dict[str, Any]:
    metadata = candidate.metadata
    return {
        "file": shown(candidate.filename),
        "kind": candidate.kind.value,
        "item_class": candidate.item_class,
        "title": redact_cprs(metadata.title),
        "date": metadata.document_date.isoformat(),
        "direction": metadata.direction.value,
        "sender": party_as_dict(metadata.sender) if metadata.sender else None,
        "recipients": [party_as_dict(p) for p in metadata.recipients],
        "parties": [party_as_dict(p) for p in metadata.parties],
        "description": redact_cprs(metadata.description),
        "message_id": candidate.message_id,
        "mime_type": candidate.mime_type,
        "size": candidate.size,
        "sha256": candidate.sha256,
        "page_count": candidate.page_count,
        "author": _masked(candidate.author),
        "encrypted": candidate.encrypted,
        "detected_case_numbers": list(candidate.detected_case_numbers),
        "detected_cprs": [c.masked for c in candidate.detected_cprs],
        "detected_cvrs": [str(c) for c in candidate.detected_cvrs],
        "attachments": [
            {"included": a.included, "left_out_because": a.left_out_because, **candidate_as_dict(a.candidate)}
            for a in candidate.attachments
        ],
        "warnings": [redact_cprs(w) for w in candidate.warnings],
    }


def error_as_dict(path: Path, error: InputError) -> dict[str, Any]:
    return {"file": shown(path), "error": redact_cprs(error.message), "code": error.code}


def _masked(text: str | None) -> str | None:
    return redact_cprs(text) if text else text
