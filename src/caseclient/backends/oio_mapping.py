"""OIO REST JSON (LoRa 1.10.0) to and from the domain: Sag → Case, Dokument → DocumentRef,
DocumentMetadata + UploadSource → a Dokument to import, and the journalpost that links it.

Reading tolerates LoRa's habits: missing keys mean false/empty, every value list is filtered to
the one valid now, and journalpost keys come back renamed (`reltypespec`, `journaldokumentattr`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Mapping

from ..domain import (
    Case,
    Cpr,
    Cvr,
    Direction,
    DocumentMetadata,
    DocumentRef,
    Party,
    PartyRole,
    UploadSource,
    is_kle_facet,
    is_kle_number,
)

CPR_URN = "urn:dk:cpr:person:"
CVR_URN = "urn:dk:cvr:virksomhed:"
MAIL_URN = "urn:mailto:"
KLE_SUBJECT_URN = "urn:dk:kle:emne:"
CLOSED = "Afsluttet"
FILE_FIELD = "fil1"
STORE_PREFIX = "store:"
IMPORTED = "Importeret"  # livscykluskode of an object a PUT created (an overwrite gives Rettet)
DELETED = "Slettet"  # livscykluskode of a deleted object: LoRa still includes it in a list answer
PARTY_RELATIONS = ("primaerpart", "sekundaerpart")  # the Sag relations that hold parties
ATTACHED_DOCUMENT = "vedlagtdokument"

DOCUMENT_TYPES = {
    Direction.INCOMING: "Indgående",
    Direction.OUTGOING: "Udgående",
    Direction.INTERNAL: "Internt",
}
_DIRECTIONS = {text.casefold(): direction for direction, text in DOCUMENT_TYPES.items()}


# --- reading -------------------------------------------------------------------------------


def results(body: Any) -> list[Any]:
    """The hits of a search or list answer: `{"results": [[...]]}`; `[[]]` or `[]` is none."""
    found = body.get("results") if isinstance(body, dict) else None
    if not found:
        return []
    return [hit for page in found if isinstance(page, list) for hit in page]


def single_object(body: Any, uuid: str) -> dict[str, Any] | None:
    """The object of a read answer `{"<uuid>": [{"id": ..., "registreringer": [...]}]}`."""
    if not isinstance(body, dict):
        return None
    found = body.get(uuid) or body.get(uuid.lower()) or results(body)
    return found[0] if isinstance(found, list) and found and isinstance(found[0], dict) else None


def registration(obj: dict[str, Any]) -> dict[str, Any]:
    """The newest registration of an object (LoRa lists them oldest first)."""
    registrations = obj.get("registreringer") or [{}]
    return registrations[-1]


def deleted_object(uuid: str) -> dict[str, Any]:
    """What is known of an object the service answered 410 for."""
    return {"id": uuid, "registreringer": [{"livscykluskode": DELETED}]}


def is_deleted(obj: dict[str, Any]) -> bool:
    """Whether a listed object is one LoRa has deleted (a list answer still includes it)."""
    return registration(obj).get("livscykluskode") == DELETED


def _valid_now(values: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The values whose `virkning` covers now (all of them when none carries a usable one)."""
    values = [v for v in values or [] if isinstance(v, dict)]
    now = datetime.now(timezone.utc)
    valid = [v for v in values if _covers(v.get("virkning"), now)]
    return valid if valid else values


def _covers(virkning: Any, now: datetime) -> bool:
    if not isinstance(virkning, dict):
        return True
    start, end = parse_time(virkning.get("from")), parse_time(virkning.get("to"))
    return (start is None or start <= now) and (end is None or now < end)


def parse_time(text: Any) -> datetime | None:
    """LoRa's `"2024-01-01 00:00:00+00"` (or a plain date) as an aware datetime; None for infinity."""
    if not isinstance(text, str) or text.strip("-").lower() == "infinity":
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def parse_date(text: Any) -> date | None:
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def attributes(reg: dict[str, Any], group: str) -> dict[str, Any]:
    found = _valid_now((reg.get("attributter") or {}).get(group))
    return found[-1] if found else {}


def state(reg: dict[str, Any], group: str, name: str) -> str | None:
    found = _valid_now((reg.get("tilstande") or {}).get(group))
    return found[-1].get(name) if found else None


def relations(reg: dict[str, Any], name: str) -> list[dict[str, Any]]:
    values = _valid_now((reg.get("relationer") or {}).get(name))
    return sorted(values, key=lambda v: v.get("indeks") if isinstance(v.get("indeks"), int) else 0)


def _reference(entry: dict[str, Any]) -> str | None:
    return entry.get("uuid") or entry.get("urn") or None


def party_from_urn(urn: str, role: PartyRole) -> Party | None:
    """A party from `urn:dk:cpr:person:…`, `urn:dk:cvr:virksomhed:…` or `urn:mailto:…`."""
    try:
        if urn.startswith(CPR_URN):
            return Party(cpr=Cpr(urn[len(CPR_URN):]), role=role)
        if urn.startswith(CVR_URN):
            return Party(cvr=Cvr(urn[len(CVR_URN):]), role=role)
    except ValueError:
        return None
    if urn.startswith(MAIL_URN) and "@" in urn:
        return Party(email=urn[len(MAIL_URN):], role=role)
    return None


def party_urn(party: Party) -> str | None:
    if party.cpr:
        return CPR_URN + party.cpr.digits
    if party.cvr:
        return CVR_URN + party.cvr.digits
    if party.email:
        return MAIL_URN + party.email
    return None


def _urn_tail(entry: dict[str, Any] | None) -> str | None:
    urn = (entry or {}).get("urn")
    return urn.rsplit(":", 1)[-1] if isinstance(urn, str) and ":" in urn else None


def subject_class_id(obj: dict[str, Any]) -> str | None:
    """The klassifikation/klasse uuid a Sag's `primaerklasse` points at (None for a urn)."""
    subject = next(iter(relations(registration(obj), "primaerklasse")), None)
    return subject.get("uuid") if subject else None


def class_number(obj: dict[str, Any]) -> str | None:
    """A Klasse's user key: the KLE number or facet code for KLE classes."""
    return attributes(registration(obj), "klasseegenskaber").get("brugervendtnoegle") or None


def case_from_oio(obj: dict[str, Any], class_numbers: Mapping[str, str | None]) -> Case:
    """A Case; `class_numbers` maps Klasse uuids to their KLE numbers (primaerklasse may also be
    a `urn:dk:kle:emne:<number>`)."""
    reg = registration(obj)
    props = attributes(reg, "sagegenskaber")
    status = state(reg, "sagfremdrift", "fremdrift")
    subject = next(iter(relations(reg, "primaerklasse")), None)
    kle = class_numbers.get(subject["uuid"]) if subject and subject.get("uuid") else _urn_tail(subject)
    facet = _urn_tail(next(iter(relations(reg, "handlingsklasse")), None))
    caseworker = next(iter(relations(reg, "primaerbehandler")), None)
    parties = [
        party_from_urn(entry.get("urn") or "", role)
        for name, role in zip(PARTY_RELATIONS, (PartyRole.PRIMARY, PartyRole.INVOLVED))
        for entry in relations(reg, name)
    ]
    return Case(
        id=obj.get("id") or "",
        number=props.get("sagsnummer") or "",
        title=props.get("titel") or "",
        status=status,
        caseworker=_reference(caseworker) if caseworker else None,
        kle=kle if kle and is_kle_number(kle) else None,
        kle_facet=facet if facet and is_kle_facet(facet) else None,
        parties=tuple(p for p in parties if p is not None),
        closed=status == CLOSED,
        created=_opened(reg),
        changed=_iso(parse_time((reg.get("fratidspunkt") or {}).get("tidsstempeldatotid"))),
    )


def _opened(reg: dict[str, Any]) -> str | None:
    """The start of the earliest period the case's properties are valid from: when it was opened."""
    values = (reg.get("attributter") or {}).get("sagegenskaber") or []
    starts = [parse_time((v.get("virkning") or {}).get("from")) for v in values if isinstance(v, dict)]
    return _iso(min((s for s in starts if s is not None), default=None))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True, slots=True)
class FilePart:
    """The first file of a Dokument: where its bytes are and what they are called."""

    content_path: str  # the part's `indhold` without "store:"
    filename: str | None
    mime_type: str | None


def file_part(obj: dict[str, Any]) -> FilePart | None:
    """The first part with stored bytes; None when the document holds no file (yet)."""
    for variant in registration(obj).get("varianter") or []:
        for part in variant.get("dele") or []:
            props = next(iter(_valid_now(part.get("egenskaber"))[-1:]), {})
            content = props.get("indhold") or ""
            if content.startswith(STORE_PREFIX):
                name = part.get("deltekst") or props.get("lokation") or None
                return FilePart(content[len(STORE_PREFIX):], name, props.get("mimetype") or None)
    return None


def integration_data(props: dict[str, Any]) -> dict[str, Any]:
    """caseclient's own fields, kept as JSON in `integrationsdata`; {} when absent or foreign."""
    try:
        data = json.loads(props.get("integrationsdata") or "{}")
    except ValueError:
        return {}
    found = data.get("caseclient") if isinstance(data, dict) else None
    return found if isinstance(found, dict) else {}


def document_ref_from_oio(obj: dict[str, Any], case_id: str | None, *, title: str | None = None,
                          already_existed: bool = False) -> DocumentRef:
    reg = registration(obj)
    props = attributes(reg, "dokumentegenskaber")
    ours = integration_data(props)
    part = file_part(obj)
    size = ours.get("size")
    created = parse_time(((reg.get("fratidspunkt") or {}).get("tidsstempeldatotid")))
    return DocumentRef(
        id=obj.get("id") or "",
        case_id=case_id,
        title=props.get("titel") or title or "",
        filename=part.filename if part else None,
        size=size if isinstance(size, int) else None,
        mime_type=part.mime_type if part else None,
        document_date=parse_date(props.get("brevdato")),
        direction=_DIRECTIONS.get(str(props.get("dokumenttype") or "").casefold()),
        created=created,
        already_existed=already_existed,
        extra={k: str(ours[k]) for k in ("sha256", "message_id", "sensitivity", "document_type") if ours.get(k)},
    )


@dataclass(frozen=True, slots=True)
class Journalpost:
    document_id: str
    title: str


def attached_documents(reg: dict[str, Any]) -> list[Journalpost]:
    """A case's journalposts that attach a document (notes left out), read back or as written."""
    found = []
    for entry in relations(reg, "journalpost"):
        kind = entry.get("journalpostkode") or entry.get("reltypespec") or ATTACHED_DOCUMENT
        attrs = entry.get("journaldokument") or entry.get("journaldokumentattr") or {}
        if kind == ATTACHED_DOCUMENT and entry.get("uuid"):
            found.append(Journalpost(entry["uuid"], (attrs or {}).get("dokumenttitel") or ""))
    return found


# --- writing -------------------------------------------------------------------------------


def virkning(today: date) -> dict[str, str]:
    return {"from": today.isoformat(), "to": "infinity"}


def document_body(
    metadata: DocumentMetadata, source: UploadSource, *, idempotency_key: str, inbox: bool,
    today: date, kle_class_id: str | None = None,
) -> dict[str, Any]:
    """A Dokument with its file referenced as `field:fil1`, ready for a multipart PUT. Its KLE
    subject points at the Klasse `kle_class_id` when the service has one, else at a urn."""
    v = virkning(today)
    ours = {
        "idempotency_key": idempotency_key,
        "placement": "inbox" if inbox else "case",
        "filename": source.filename,
        "size": source.size,
        "sha256": source.sha256,
        "sensitivity": metadata.sensitivity.value,
        "document_type": metadata.document_type,
        "message_id": metadata.message_id,
        "kle": metadata.kle,
        "sender": _contact(metadata.sender),
        "recipients": [_contact(p) for p in metadata.recipients],
    }
    props = {
        "brugervendtnoegle": metadata.title[:250],
        "titel": metadata.title,
        "beskrivelse": metadata.description,
        "brevdato": metadata.document_date.isoformat(),
        "dokumenttype": DOCUMENT_TYPES[metadata.direction],
        "integrationsdata": json.dumps({"caseclient": {k: x for k, x in ours.items() if x not in (None, [])}},
                                       ensure_ascii=False),
        "virkning": v,
    }
    relations_out: dict[str, list[dict[str, Any]]] = {}
    parties = [*metadata.parties, *([metadata.sender] if metadata.sender else []), *metadata.recipients]
    urns = dict.fromkeys(u for u in map(party_urn, parties) if u)
    if urns:
        relations_out["parter"] = [{"urn": urn, "objekttype": _object_type(urn), "virkning": v} for urn in urns]
    if metadata.kle:
        target = {"uuid": kle_class_id} if kle_class_id else {"urn": KLE_SUBJECT_URN + metadata.kle}
        relations_out["primaerklasse"] = [{**target, "objekttype": "Klasse", "virkning": v}]
    progress = "Underudarbejdelse" if not metadata.finalize else (
        "Modtaget" if metadata.direction is Direction.INCOMING else "Endeligt")
    return {
        "note": "caseclient",
        "attributter": {"dokumentegenskaber": [props]},
        "tilstande": {"dokumentfremdrift": [{"fremdrift": progress, "virkning": v}]},
        "relationer": relations_out,
        "varianter": [{
            "varianttekst": "original",
            "egenskaber": [{"arkivering": True, "delvisscannet": False, "offentliggoerelse": False,
                            "produktion": False, "virkning": v}],
            "dele": [{
                "deltekst": source.filename,
                "egenskaber": [{"indeks": 1, "indhold": f"field:{FILE_FIELD}", "lokation": source.filename,
                                "mimetype": source.mime_type, "virkning": v}],
            }],
        }],
    }


def _contact(party: Party | None) -> dict[str, str] | None:
    """Name, mail and role of a sender or recipient; CPR/CVR go in `parter` only."""
    if party is None:
        return None
    return {k: x for k, x in (("name", party.name), ("email", party.email), ("role", party.role.value)) if x}


def _object_type(urn: str) -> str:
    if urn.startswith(CPR_URN):
        return "Person"
    return "Virksomhed" if urn.startswith(CVR_URN) else "Kontakt"


def journalpost_patch(document_id: str, title: str, today: date) -> dict[str, Any]:
    """Append one `vedlagtdokument` journalpost (no `indeks`, so the others are kept)."""
    return {
        "note": "Journaliseret",
        "relationer": {"journalpost": [{
            "uuid": document_id,
            "objekttype": "Dokument",
            "journalpostkode": ATTACHED_DOCUMENT,
            "journaldokument": {"dokumenttitel": title,
                                "offentlighedundtaget": {"alternativtitel": "", "hjemmel": ""}},
            "virkning": virkning(today),
        }]},
    }
