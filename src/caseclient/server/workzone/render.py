"""The store's cases, parties and documents as WorkZone OData entities (File, Contact,
FileContact, Record, Document).

Facts (shared docs/backends.md 0b and 3, KMD's OData4 samples and CSDL): a case is a `File` with
`ID` (internal, a string) and `UserKey`/`FileNo` (the number people see, e.g. `2021/41-765`);
code fields come as `X_Value` with `X_Summary` beside them; parties are `FileContact`
(`NameKey_Value` the contact, `AddressKey_Value`, `CustomLabel_Value`), contacts are found by
`NameType_Value` + `NameCode`; a document's metadata is a `Record` (`Title`, `LetterDate` an
Edm.Date, `Officer_Value`, `FileKey_Value` its case, `ExternalDocId` its Document, `RecordNo`);
its bytes a `Document` media entity whose `FileName` has MaxLength 96.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..demo import CASEWORKERS, COMPANIES, SURNAMES
from ..store.cases import CLOSED, StoredCase, StoredDocument, StoredParty

DIALECT = "workzone"  # the key of this dialect's own fields of a stored document

# unverified: how a municipality's demo case maps to a WorkZone file number. WorkZone numbers
# files per installation (`2021/41-765` in KMD's material: year / group - serial); the simulator
# makes `<year opened>/<KLE main group>-<the store's case id>`, and keeps the KLE subject in
# `Classification_Value` (with its title in `Classification_Summary`), so a search for "27.24"
# reaches cases through their classification, not their number. The CSDL also has a
# `FileClassification` collection; which of the two a municipality's KLE lives in is not known.
def file_number(case: StoredCase) -> str:
    group = case.kle[:2] if case.kle else "00"
    return f"{case.opened[:4]}/{group}-{case.row_id}"


# unverified: the case state codes. WorkZone's file states are configurable code lists; "B"
# (under behandling) and "A" (afsluttet) are the simulator's.
OPEN_STATE = ("B", "Under behandling")
CLOSED_STATE = ("A", "Afsluttet")

# unverified: the contact types (`NameType_Value`) of persons and companies and how NameCode
# holds their numbers: CPR as ten digits without the hyphen, CVR as eight digits. KMD's sample
# looks contacts up by `NameType_Value` + `NameCode` and creates one with type "F".
NAME_TYPES = {"cpr": ("CPR", "Person (CPR)"), "cvr": ("CVR", "Virksomhed (CVR)")}
PARTY_LABELS = {"primaerpart": ("Sagspart", "Sagspart"), "sekundaerpart": ("Part", "Anden part")}

# Record types (`RecordType_Value`): "I" is in KMD's sample. unverified: "U" and "N" for
# outgoing and internal (installations configure the list in Configurator).
RECORD_TYPES = {"I": ("Indgående", "Indgående"), "U": ("Udgående", "Udgående"), "N": ("Internt", "Notat")}
KIND_TO_RECORD_TYPE = {kind: code for code, (kind, _label) in RECORD_TYPES.items()}

FILE_PROPERTIES = {
    "ID", "UserKey", "Summary", "FileNo", "Title", "FileClass_Value", "FileClass_Summary",
    "Classification_Value", "Classification_Summary", "State_Value", "State_Summary",
    "Officer_Value", "Officer_Summary", "Created", "Updated", "Text",
}
CONTACT_PROPERTIES = {"ID", "Summary", "NameType_Value", "NameType_Summary", "NameCode", "Name1", "Name2",
                      "AddressKey_Value"}
FILE_CONTACT_PROPERTIES = {"ID", "FileKey_Value", "NameKey_Value", "NameKey_Summary", "AddressKey_Value",
                           "CustomLabel_Value", "CustomLabel_Summary"}
RECORD_PROPERTIES = {
    "ID", "UserKey", "Summary", "Title", "FileKey_Value", "ExternalDocId", "RecordNo", "RecordNoExt",
    "LetterDate", "RecordType_Value", "RecordType_Summary", "State_Value", "State_Summary",
    "RecordGrp_Value", "RecordGrp_Summary", "Officer_Value", "Officer_Summary", "Created", "FileName",
    "Extension", "MimeType", "DocLength", "AccessCode", "Resume", "MessageId", "LetterNumber",
}
# What a Record create may set (a subset of the CSDL's properties; the rest are the server's).
RECORD_WRITABLE = {
    "Title", "FileKey_Value", "ExternalDocId", "RecordNoExt", "LetterDate", "RecordType_Value",
    "State_Value", "RecordGrp_Value", "Officer_Value", "AccessCode", "Resume", "MessageId", "LetterNumber",
    "Document@odata.bind", "File@odata.bind",
}
DOCUMENT_PROPERTIES = {"ID", "FileName", "Extension", "Size", "State", "Updated"}
MAX_FILE_NAME = 96  # Document.FileName MaxLength in the CSDL


def officer(caseworker_uuid: str | None) -> tuple[str, str] | None:
    """(Officer_Value, Officer_Summary) of a caseworker uuid.
    unverified: the employee code is the login in upper case (`SYSADM` style)."""
    for worker in CASEWORKERS:
        if worker.uuid == caseworker_uuid:
            return worker.login.upper(), worker.name
    return None


def caseworker_of(officer_value: str) -> str | None:
    for worker in CASEWORKERS:
        if worker.login.casefold() == officer_value.casefold():
            return worker.uuid
    return None


def _pick(options: tuple[str, ...], value: str, salt: str) -> str:
    digest = hashlib.sha256(f"{salt}:{value}".encode()).digest()
    return options[digest[0] % len(options)]


def party_name(party: StoredParty) -> str:
    """The store keeps no party names: a fictitious one, the same every time."""
    if party.kind == "cvr":
        return _pick(COMPANIES, party.number, "firma")
    first = _pick(("Anna", "Mette", "Jens", "Peter", "Karen", "Lars", "Hanne", "Søren"), party.number, "fornavn")
    return f"{first} {_pick(SURNAMES, party.number, 'efternavn')}"


def file_entity(case: StoredCase) -> dict[str, Any]:
    number = file_number(case)
    state = CLOSED_STATE if case.status == CLOSED else OPEN_STATE
    worker = officer(case.caseworker)
    return {
        "ID": str(case.row_id),
        "UserKey": number,
        "Summary": f"{number} {case.title}",
        "FileNo": number,
        "Title": case.title,
        "FileClass_Value": "00",
        "FileClass_Summary": "Sag",
        "Classification_Value": case.kle,
        "Classification_Summary": f"{case.kle} {case.kle_title}" if case.kle else None,
        "State_Value": state[0],
        "State_Summary": state[1],
        "Officer_Value": worker[0] if worker else None,
        "Officer_Summary": worker[1] if worker else None,
        "Created": case.opened[:10],
        "Updated": _offset(case.changed),
        "Text": case.description,
    }


def contact_entity(contact_id: str, party: StoredParty) -> dict[str, Any]:
    name = party_name(party)
    name_type = NAME_TYPES[party.kind]
    return {"ID": contact_id, "Summary": name, "NameType_Value": name_type[0],
            "NameType_Summary": name_type[1], "NameCode": party.number, "Name1": name, "Name2": None,
            "AddressKey_Value": f"{contact_id}-1"}


def file_contact_entity(case: StoredCase, contact_id: str, party: StoredParty) -> dict[str, Any]:
    label = PARTY_LABELS.get(party.relation, PARTY_LABELS["sekundaerpart"])
    return {"ID": f"{case.row_id}-{contact_id}", "FileKey_Value": str(case.row_id), "NameKey_Value": contact_id,
            "NameKey_Summary": party_name(party), "AddressKey_Value": f"{contact_id}-1",
            "CustomLabel_Value": label[0], "CustomLabel_Summary": label[1]}


def workzone_fields(document: StoredDocument) -> dict[str, Any]:
    own = document.fields.get(DIALECT)
    return own if isinstance(own, dict) else {}


def record_entity(document: StoredDocument, case: StoredCase | None, record_no: int | None) -> dict[str, Any]:
    own = workzone_fields(document)
    code = own.get("RecordType_Value") or KIND_TO_RECORD_TYPE.get(document.kind, "N")
    file_no = file_number(case) if case else None
    stem, dot, extension = document.file_name.rpartition(".")
    worker = officer(case.caseworker) if case else None
    officer_value = own.get("Officer_Value") or (worker[0] if worker else None)
    return {
        "ID": str(document.row_id),
        "UserKey": f"{file_no}-{record_no}" if file_no and record_no else None,
        "Summary": document.title,
        "Title": document.title,
        "FileKey_Value": str(case.row_id) if case else None,
        "ExternalDocId": own.get("ExternalDocId") or str(document.file_row_id),
        "RecordNo": str(record_no) if record_no else None,
        "RecordNoExt": own.get("RecordNoExt"),
        "LetterDate": document.letter_date or None,
        "RecordType_Value": code,
        "RecordType_Summary": RECORD_TYPES.get(code, (None, code))[1],
        "State_Value": own.get("State_Value") or "ARK",
        "State_Summary": "Arkiveret" if (own.get("State_Value") or "ARK") == "ARK" else own.get("State_Value"),
        "RecordGrp_Value": own.get("RecordGrp_Value"),
        "RecordGrp_Summary": own.get("RecordGrp_Value"),
        "Officer_Value": officer_value,
        "Officer_Summary": next((w.name for w in CASEWORKERS if officer_value and w.login.upper() == officer_value.upper()), None),
        "Created": document.registered[:10],
        "FileName": document.file_name,
        "Extension": extension.lower() if dot and stem else None,
        "MimeType": document.mime_type,
        "DocLength": str(document.size),  # an Edm.String in the CSDL
        "AccessCode": own.get("AccessCode"),
        "Resume": own.get("Resume") or (document.description if document.description != document.title else None),
        "MessageId": own.get("MessageId"),
        "LetterNumber": own.get("LetterNumber"),
    }


def _offset(value: str) -> str | None:
    """A stored UTC time as an Edm.DateTimeOffset."""
    if not value:
        return None
    text = value.replace(" ", "T")
    if text.endswith("Z") or "+" in text[10:]:
        return text
    return text + "Z"
