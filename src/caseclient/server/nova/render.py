"""The store's cases and documents as KMD Nova API objects (shared docs/backends.md 0b and 4b).

A case: `common{uuid}`, `caseAttributes{title,userFriendlyCaseNumber,caseDate}`,
`state{activeCode,progressState}`, `caseParties[]{index,identificationType,identification,
participantRole,name}`, `caseClassification{kleNumber{code,name},proceedingFacet{code,name}}`,
`sensitivity{sensitivity}`, `caseworker{kspIdentity{novaUserId,racfId,fullName}}` or
`caseworker{losIdentity{novaUnitId,administrativeUnitId,fullName,userKey}}`,
`responsibleDepartment` and `securityUnit` (both `losIdentity`), `numberOfDocuments`,
`numberOfJournalNotes`. A document (Document/GetList): `documentUuid, documentNumber, title,
sensitivity, documentType, description, approved, documentDate, fileExtension,
documentCategoryName, documentCategoryUuid, caseworker`. Names are camelCase, as ASP.NET Core
writes them.

Only what the request's output selection (`caseGetOutput`, `getOutput`) asks for is answered.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from dataclasses import dataclass
from typing import Any

from ..demo import CASEWORKERS, SURNAMES, COMPANIES
from ..kle import FACETS
from ..store.cases import CLOSED, StoredCase, StoredDocument, StoredParty

DIALECT = "nova"  # the key of this dialect's own fields of a stored document
NOVA_NAMESPACE = uuidlib.UUID("5d0c6a3e-7b7e-4a57-9f59-2f6b1e7c4a10")
_DEMO_NUMBER = re.compile(r"-(?P<year>\d\d)$")

# unverified: how demo cases get Nova case numbers. Nova numbers cases `S<year>-<serial>`
# (`S2022-12345`, AAK's docstrings); the simulator takes the year from the store's case number
# (`27.24.00-G01-1-24` -> 2024) and the serial from the case's row id, five digits or more.
NUMBER_FORMAT = "S{year}-{serial:05d}"
_NOVA_NUMBER = re.compile(r"^S(?P<year>\d{4})-(?P<serial>\d{5,})$", re.IGNORECASE)

# unverified: the document number's form (AAK reads `documentNumber` but shows none).
DOCUMENT_NUMBER_FORMAT = "D{year}-{serial:05d}"

# unverified: `state.activeCode`. AAK's add_case says a case "will be created as 'Active'"; the
# simulator answers "Aktiv" for an open case and "Inaktiv" for a closed one (progressState
# Afsluttet, the same six progress states as OIO's fremdrift: AAK's NovaCase literal).
ACTIVE, INACTIVE = "Aktiv", "Inaktiv"

# Administrative units (LOS). "Borgerservice" 818485 is the unit AAK files with; the others, and
# which KLE main groups each unit holds, are the simulator's own (unverified).
@dataclass(frozen=True)
class Unit:
    administrative_id: int
    name: str
    user_key: str

    @property
    def nova_id(self) -> str:
        return str(uuidlib.uuid5(NOVA_NAMESPACE, f"unit:{self.administrative_id}"))


UNITS = (
    Unit(818485, "Borgerservice", "BORGERSERVICE"),
    Unit(818512, "Teknik og Miljø", "TEKNIKMILJOE"),
    Unit(818533, "Børn og Unge", "BOERNUNGE"),
    Unit(818547, "Sociale Forhold og Beskæftigelse", "SOCIALBESKAEFT"),
)
_UNIT_OF_MAIN_GROUP = {"01": 1, "02": 1, "03": 1, "05": 1, "09": 1, "17": 2, "28": 2, "27": 3, "32": 3}

# unverified: which cases have a unit (losIdentity) as caseworker instead of a person. Nova allows
# both (0b); the store keeps a person on every demo case, so every 7th case by row id shows its
# responsible unit as caseworker instead.
UNIT_CASEWORKER_EVERY = 7

# unverified: a RACF id is KMD's mainframe user id; the simulator uses the demo login in capitals.
_USERS = {w.uuid: w for w in CASEWORKERS}

SENSITIVITIES = ("IkkeFortrolige", "Fortrolige", "Følsomme", "SærligFølsomme")
# AAK's Document literal: the document types Nova takes.
DOCUMENT_TYPES = ("Indgående", "Udgående", "Internt", "Dagsordenpunkt", "Dagsorden", "Referat", "Andet",
                  "GisKort", "NovaDagsordenspunkt")
IDENTIFICATION_TYPES = ("CprNummer", "CvrNummer", "Frit", "PNummer", "EsrNummer", "BfeNummer")


def racf_id(login: str) -> str:
    return login.upper()


def year_of(case: StoredCase) -> int:
    match = _DEMO_NUMBER.search(case.number)
    if match:
        return 2000 + int(match.group("year"))
    return int(case.opened[:4]) if case.opened[:4].isdigit() else 2000


def case_number(case: StoredCase) -> str:
    return NUMBER_FORMAT.format(year=year_of(case), serial=case.row_id)


def parse_case_number(number: str) -> tuple[int, int] | None:
    """(year, row id) of a Nova case number this simulator gives out, or None."""
    match = _NOVA_NUMBER.match(number.strip())
    return (int(match.group("year")), int(match.group("serial"))) if match else None


def unit_of(case: StoredCase) -> Unit:
    return UNITS[_UNIT_OF_MAIN_GROUP.get((case.kle or "")[:2], 0)]


def unit_by(nova_id: str | None = None, administrative_id: Any = None) -> Unit | None:
    for unit in UNITS:
        if (nova_id and unit.nova_id == str(nova_id).lower()) or \
                (administrative_id not in (None, "") and str(unit.administrative_id) == str(administrative_id)):
            return unit
    return None


def has_unit_caseworker(case: StoredCase) -> bool:
    return case.row_id % UNIT_CASEWORKER_EVERY == 0


def los_identity(unit: Unit) -> dict[str, Any]:
    return {"novaUnitId": unit.nova_id, "administrativeUnitId": unit.administrative_id,
            "fullName": unit.name, "userKey": unit.user_key}


def ksp_identity(worker_uuid: str) -> dict[str, Any]:
    worker = _USERS.get(worker_uuid)
    return {"novaUserId": worker_uuid, "racfId": racf_id(worker.login) if worker else None,
            "fullName": worker.name if worker else None}


def caseworker(case: StoredCase) -> dict[str, Any] | None:
    if has_unit_caseworker(case):
        return {"losIdentity": los_identity(unit_of(case))}
    if case.caseworker:
        return {"kspIdentity": ksp_identity(case.caseworker)}
    return None


def user_by_racf(racf: str) -> str | None:
    """The caseworker uuid of a RACF id (any casing: unverified)."""
    return next((w.uuid for w in CASEWORKERS if racf_id(w.login) == racf.strip().upper()), None)


def _party_name(party: StoredParty) -> str:
    digits = int(party.number)
    if party.kind == "cvr":
        return COMPANIES[digits % len(COMPANIES)]
    first = ("Anna", "Mette", "Jens", "Peter", "Karen", "Lars", "Hanne", "Søren", "Ida", "Mikkel")
    return f"{first[digits % len(first)]} {SURNAMES[(digits // 7) % len(SURNAMES)]}"


def case_party(party: StoredParty, index: int) -> dict[str, Any]:
    # unverified: CPR numbers without the hyphen (AAK searches with "0123456789").
    return {"index": str(uuidlib.uuid5(NOVA_NAMESPACE, f"party:{party.urn}:{index}")),
            "identificationType": "CprNummer" if party.kind == "cpr" else "CvrNummer",
            "identification": party.number,
            "participantRole": "Primær" if party.relation == "primaerpart" else "Sekundær",
            "name": _party_name(party)}


def case_date(case: StoredCase) -> str:
    return case.opened[:19] if len(case.opened) >= 19 else case.opened


def full_case(case: StoredCase, document_count: int | None) -> dict[str, Any]:
    """Every field of a case as Nova answers it (before the output selection)."""
    unit = unit_of(case)
    body: dict[str, Any] = {
        "common": {"uuid": case.uuid},
        "caseAttributes": {"title": case.title, "userFriendlyCaseNumber": case_number(case),
                           "caseDate": case_date(case)},
        "state": {"activeCode": INACTIVE if case.status == CLOSED else ACTIVE, "progressState": case.status},
        "numberOfSecondaryParties": sum(1 for p in case.parties if p.relation != "primaerpart"),
        "caseParties": [case_party(p, n) for n, p in enumerate(case.parties)],
        "caseClassification": {
            "kleNumber": {"code": case.kle, "name": case.kle_title} if case.kle else None,
            "proceedingFacet": {"code": case.facet, "name": FACETS.get(case.facet or "", "")} if case.facet else None,
        },
        "sensitivity": {"sensitivity": "Følsomme" if any(p.kind == "cpr" for p in case.parties) else "IkkeFortrolige"},
        "caseworker": caseworker(case),
        "responsibleDepartment": {"losIdentity": los_identity(unit)},
        "securityUnit": {"losIdentity": los_identity(unit)},
        "numberOfJournalNotes": 0,
    }
    if document_count is not None:
        body["numberOfDocuments"] = document_count
    return body


# -- documents ----------------------------------------------------------------------------------

def nova_fields(document: StoredDocument) -> dict[str, Any]:
    own = document.fields.get(DIALECT)
    return own if isinstance(own, dict) else {}


def document_uuid(document: StoredDocument) -> str:
    """The uuid Nova knows the document by: the one its importer chose, or (demo documents) the
    store's own."""
    return nova_fields(document).get("documentUuid") or document.uuid


def document_number(document: StoredDocument) -> str:
    year = int(document.registered[:4]) if document.registered[:4].isdigit() else 2000
    return DOCUMENT_NUMBER_FORMAT.format(year=year, serial=document.row_id)


def file_extension(name: str) -> str | None:
    """unverified: `fileExtension` without its dot (AAK reads it, shows no value)."""
    stem, dot, extension = name.rpartition(".")
    return extension if dot and stem and extension and " " not in extension else None


def full_document(document: StoredDocument, case: StoredCase | None) -> dict[str, Any]:
    own = nova_fields(document)
    kind = own.get("documentType") or (document.kind if document.kind in DOCUMENT_TYPES else "Andet")
    date = document.letter_date or document.registered[:10]
    worker = own.get("caseworker") or (caseworker(case) if case else None)
    return {
        "documentUuid": document_uuid(document),
        "documentNumber": document_number(document),
        "title": document.title,
        "sensitivity": own.get("sensitivity") or "IkkeFortrolige",
        "documentType": kind,
        "description": own["description"] if "description" in own else (document.description or None),
        "approved": bool(own.get("approved", True)),
        "documentDate": f"{date}T00:00:00" if len(date) == 10 else date,
        "fileExtension": file_extension(document.file_name),
        "documentCategoryName": own.get("documentCategoryName"),
        "documentCategoryUuid": own.get("documentCategoryUuid"),
        "caseworker": worker,
        "acceptReceived": bool(own.get("acceptReceived", False)),
        "documentParty": own.get("documentParty"),
    }


# Fields of a document that are answered whatever getOutput says (AAK reads them unasked).
ALWAYS = ("documentUuid", "documentNumber")
# getOutput names that select more than one field.
DOCUMENT_GROUPS = {"documentcategory": ("documentCategoryName", "documentCategoryUuid")}
# caseGetOutput names that differ from the answer's: `caseParty` selects `caseParties`.
CASE_SELECTED_BY = {"caseParties": "caseParty"}


def _lookup(selection: Any, name: str) -> Any:
    if not isinstance(selection, dict):
        return None
    if name in selection:
        return selection[name]
    folded = name.casefold()
    return next((v for k, v in selection.items() if isinstance(k, str) and k.casefold() == folded), None)


def select(full: dict[str, Any], selection: Any, renamed: dict[str, str] | None = None) -> dict[str, Any]:
    """The fields of `full` that `selection` asks for: `true` takes a field whole, an object
    takes the fields it names (also in each object of a list); fields not asked for are absent.
    unverified: an empty object left after selecting is left out too."""
    out: dict[str, Any] = {}
    for key, value in full.items():
        wanted = _lookup(selection, (renamed or {}).get(key, key))
        if wanted is True:
            out[key] = value
        elif isinstance(wanted, dict) and value is not None:
            if isinstance(value, dict):
                picked = select(value, wanted)
                if picked:
                    out[key] = picked
            elif isinstance(value, list):
                out[key] = [select(v, wanted) if isinstance(v, dict) else v for v in value]
    return out


def select_document(full: dict[str, Any], selection: Any) -> dict[str, Any]:
    out = {key: full[key] for key in ALWAYS}
    for key, value in full.items():
        if key in out:
            continue
        group = next((g for g, names in DOCUMENT_GROUPS.items() if key in names), None)
        if _lookup(selection, key) is True or (group and _lookup(selection, group) is True):
            out[key] = value
    return out
