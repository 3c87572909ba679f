"""DocumentMetadata to JSON and back, for the outbox row that carries it until it is filed.

A queued document needs its parties' CPR numbers to be filed, so the JSON holds them while the
item waits. :func:`scrub_metadata_json` replaces them by their masked form (and masks CPR numbers
in free text) once the item no longer needs them.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..domain import Cpr, Cvr, Direction, DocumentMetadata, FilingRoute, Party, PartyRole, Sensitivity, redact_cprs
from ..redaction import cpr_free_key


def metadata_to_json(metadata: DocumentMetadata) -> str:
    return json.dumps(
        {
            "title": metadata.title,
            "document_date": metadata.document_date.isoformat(),
            "direction": metadata.direction.value,
            "document_type": metadata.document_type,
            "sender": _party_to_dict(metadata.sender) if metadata.sender else None,
            "recipients": [_party_to_dict(p) for p in metadata.recipients],
            "parties": [_party_to_dict(p) for p in metadata.parties],
            "kle": metadata.kle,
            "sensitivity": metadata.sensitivity.value,
            "description": metadata.description,
            "message_id": metadata.message_id,
            "finalize": metadata.finalize,
            "route": metadata.route.value if metadata.route else None,
        },
        ensure_ascii=False,
    )


def metadata_from_json(text: str) -> DocumentMetadata:
    data = json.loads(text)
    sender = data.get("sender")
    return DocumentMetadata(
        title=data["title"],
        document_date=date.fromisoformat(data["document_date"]),
        direction=Direction(data["direction"]),
        document_type=data.get("document_type"),
        sender=_party_from_dict(sender) if sender else None,
        recipients=tuple(_party_from_dict(p) for p in data.get("recipients", ())),
        parties=tuple(_party_from_dict(p) for p in data.get("parties", ())),
        kle=data.get("kle"),
        sensitivity=Sensitivity(data["sensitivity"]),
        description=data.get("description", ""),
        message_id=data.get("message_id"),
        finalize=bool(data.get("finalize", True)),
        route=FilingRoute(data["route"]) if data.get("route") else None,
    )


def scrub_metadata_json(text: str) -> str:
    """The same JSON with every CPR number masked: readable for the outbox list, unusable to file."""
    data = json.loads(text)
    for key in ("title", "description"):
        if data.get(key):
            data[key] = redact_cprs(data[key])
    if data.get("message_id"):
        data["message_id"] = cpr_free_key(data["message_id"])
    for party in [data.get("sender"), *data.get("recipients", ()), *data.get("parties", ())]:
        if party and party.get("cpr"):
            party["cpr_masked"] = Cpr(party.pop("cpr")).masked
    data["scrubbed"] = True
    return json.dumps(data, ensure_ascii=False)


def _party_to_dict(party: Party) -> dict[str, Any]:
    return {
        "name": party.name,
        "cpr": party.cpr.digits if party.cpr else None,
        "cvr": party.cvr.digits if party.cvr else None,
        "email": party.email,
        "role": party.role.value,
    }


def _party_from_dict(data: dict[str, Any]) -> Party:
    if "cpr_masked" in data:
        raise ValueError("this metadata was scrubbed of CPR numbers and can no longer be filed")
    return Party(
        name=data.get("name"),
        cpr=Cpr(data["cpr"]) if data.get("cpr") else None,
        cvr=Cvr(data["cvr"]) if data.get("cvr") else None,
        email=data.get("email"),
        role=PartyRole(data.get("role", PartyRole.INVOLVED.value)),
    )
