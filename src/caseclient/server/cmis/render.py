"""The browser binding's JSON shapes (the transcripts in ../shared/reference/cmis-browser-binding/):
every property `{id, localName, queryName, value, type, displayName, cardinality}`, date-times as
milliseconds since 1970 (UTC), an object `{"properties": {...}}` (with `allowableActions` when
asked), children `{"objects": [{"object": {...}}], "hasMoreItems", "numItems"}` and query results
`{"results": [{...}], "hasMoreItems", "numItems"}`.

The case model is the simulator's own (no municipality's CMIS case model is public): a case is a
folder of type `esdh:sag` named by its case number in the folder `/Sager`, with the properties
below; a document is an `esdh:dokument` (a cmis:document with a letter date and a direction) or a
plain `cmis:document` in its case's folder, its title in `cmis:description`.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ..demo import CASEWORKERS
from ..store.cases import StoredCase, StoredDocument

CASE_TYPE = "esdh:sag"
CASES_FOLDER = "Sager"
DIALECT = "cmis"  # the key of the dialect's own fields of a stored document

# property id -> (type, display name, cardinality) of the simulator's case type, beyond cmis:folder's.
# unverified: the whole model (type and property names, the party values as bare CPR/CVR digits).
CASE_PROPERTIES = {
    "esdh:sagsnummer": ("string", "Sagsnummer", "single"),
    "esdh:titel": ("string", "Sagstitel", "single"),
    "esdh:kle": ("string", "KLE-nummer", "single"),
    "esdh:facet": ("string", "Handlingsfacet", "single"),
    "esdh:sagsbehandler": ("string", "Sagsbehandler", "single"),
    "esdh:status": ("string", "Status", "single"),
    "esdh:parter": ("string", "Parter (CPR/CVR)", "multi"),
}
_DISPLAY = {
    "cmis:objectId": ("id", "Object Id"), "cmis:baseTypeId": ("id", "Base-Type-Id"),
    "cmis:objectTypeId": ("id", "Type-Id"), "cmis:name": ("string", "Name"),
    "cmis:description": ("string", "Description"), "cmis:createdBy": ("string", "Created By"),
    "cmis:creationDate": ("datetime", "Creation Date"), "cmis:lastModifiedBy": ("string", "Modified By"),
    "cmis:lastModificationDate": ("datetime", "Modification Date"), "cmis:changeToken": ("string", "Change Token"),
    "cmis:parentId": ("id", "Parent Id"), "cmis:path": ("string", "Path"),
    "cmis:allowedChildObjectTypeIds": ("id", "Allowed Child Types"),
    "cmis:secondaryObjectTypeIds": ("id", "Secondary Type Ids"),
    "cmis:isImmutable": ("boolean", "Immutable"), "cmis:isLatestVersion": ("boolean", "Is Latest Version"),
    "cmis:isMajorVersion": ("boolean", "Is Major Version"),
    "cmis:isLatestMajorVersion": ("boolean", "Is Latest Major Version"),
    "cmis:versionLabel": ("string", "Version Label"), "cmis:versionSeriesId": ("id", "Version Series Id"),
    "cmis:isVersionSeriesCheckedOut": ("boolean", "Checked Out"),
    "cmis:versionSeriesCheckedOutBy": ("string", "Checked Out By"),
    "cmis:versionSeriesCheckedOutId": ("id", "Checked Out Id"), "cmis:checkinComment": ("string", "Checkin Comment"),
    "cmis:contentStreamLength": ("integer", "Content Length"),
    "cmis:contentStreamMimeType": ("string", "Mime Type"), "cmis:contentStreamFileName": ("string", "File Name"),
    "cmis:contentStreamId": ("id", "Stream Id"), "cmis:isPrivateWorkingCopy": ("boolean", "Is PWC"),
}
MULTI = frozenset({"cmis:allowedChildObjectTypeIds", "cmis:secondaryObjectTypeIds"})
DOCUMENT_SETTABLE = frozenset({"cmis:name", "cmis:objectTypeId", "cmis:description", "cmis:secondaryObjectTypeIds"})
# The simulator's document type (unverified, like the case model): a cmis:document with the letter
# date (a datetime) and the direction (Indgående, Udgående, Internt, as the store keeps them).
DOCUMENT_TYPE = "esdh:dokument"
DOCUMENT_PROPERTIES = {
    "esdh:dokumentdato": ("datetime", "Dokumentdato", "single"),
    "esdh:retning": ("string", "Retning", "single"),
}
DIRECTIONS = ("Indgående", "Udgående", "Internt")
SYSTEM_USER = "admin"

_FOLDER_ACTIONS = {"canGetProperties": True, "canGetChildren": True, "canCreateDocument": True,
                   "canCreateFolder": True, "canGetFolderParent": True, "canGetObjectParents": True,
                   "canGetDescendants": True, "canGetFolderTree": True, "canDeleteObject": False,
                   "canUpdateProperties": True, "canGetContentStream": False, "canSetContentStream": False}
_DOCUMENT_ACTIONS = {"canGetProperties": True, "canGetContentStream": True, "canSetContentStream": True,
                     "canDeleteObject": True, "canUpdateProperties": True, "canGetObjectParents": True,
                     "canGetAllVersions": True, "canCreateDocument": False, "canGetChildren": False,
                     "canCheckOut": False, "canCheckIn": False}


def millis(iso: str) -> int | None:
    """An ISO time of the store as the browser binding writes date-times: milliseconds, UTC."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


def prop(pid: str, value: Any, kind: str | None = None, display: str | None = None,
         cardinality: str | None = None) -> dict[str, Any]:
    known = _DISPLAY.get(pid, ("string", pid))
    multi = cardinality or ("multi" if pid in MULTI else "single")
    return {"id": pid, "localName": pid, "queryName": pid, "value": value, "type": kind or known[0],
            "displayName": display or known[1], "cardinality": multi}


def login_of(caseworker_uuid: str | None) -> str | None:
    return next((w.login for w in CASEWORKERS if w.uuid == caseworker_uuid), None)


def folder_values(object_id: str, name: str, parent: str | None, path: str, created: int | None,
                  type_id: str = "cmis:folder") -> dict[str, Any]:
    return {
        "cmis:objectId": object_id, "cmis:baseTypeId": "cmis:folder", "cmis:objectTypeId": type_id,
        "cmis:name": name, "cmis:description": None, "cmis:createdBy": SYSTEM_USER, "cmis:creationDate": created,
        "cmis:lastModifiedBy": SYSTEM_USER, "cmis:lastModificationDate": created,
        "cmis:changeToken": str(created or 0), "cmis:parentId": parent, "cmis:path": path,
        "cmis:allowedChildObjectTypeIds": None, "cmis:secondaryObjectTypeIds": [],
    }


def case_values(case: StoredCase, parent: str) -> dict[str, Any]:
    values = folder_values(case.uuid, case.number, parent, f"/{CASES_FOLDER}/{case.number}", millis(case.opened),
                           CASE_TYPE)
    values["cmis:lastModificationDate"] = millis(case.changed)
    values["cmis:changeToken"] = str(values["cmis:lastModificationDate"] or 0)
    values.update({
        "esdh:sagsnummer": case.number, "esdh:titel": case.title, "esdh:kle": case.kle, "esdh:facet": case.facet,
        "esdh:sagsbehandler": login_of(case.caseworker), "esdh:status": case.status or None,
        "esdh:parter": [p.number for p in case.parties],
    })
    return values


def document_name(stored: StoredDocument) -> str:
    return str((stored.fields.get(DIALECT) or {}).get("name") or stored.file_name)


def document_values(stored: StoredDocument, size: int) -> dict[str, Any]:
    own = stored.fields.get(DIALECT) or {}
    created = millis(stored.registered)
    values = {
        "cmis:objectId": own.get("objectId") or stored.uuid, "cmis:baseTypeId": "cmis:document",
        "cmis:objectTypeId": own.get("type") or DOCUMENT_TYPE, "cmis:name": document_name(stored),
        "cmis:description": stored.title or None, "cmis:createdBy": own.get("createdBy") or SYSTEM_USER,
        "cmis:creationDate": created, "cmis:lastModifiedBy": own.get("createdBy") or SYSTEM_USER,
        "cmis:lastModificationDate": own.get("modified") or created,
        "cmis:changeToken": str(own.get("modified") or created or 0),
        "cmis:secondaryObjectTypeIds": [], "cmis:isImmutable": False, "cmis:isLatestVersion": True,
        "cmis:isMajorVersion": True, "cmis:isLatestMajorVersion": True, "cmis:versionLabel": "1.0",
        "cmis:versionSeriesId": own.get("objectId") or stored.uuid, "cmis:isVersionSeriesCheckedOut": False,
        "cmis:versionSeriesCheckedOutBy": None, "cmis:versionSeriesCheckedOutId": None,
        "cmis:checkinComment": None, "cmis:isPrivateWorkingCopy": False,
        "cmis:contentStreamLength": size, "cmis:contentStreamMimeType": stored.mime_type,
        "cmis:contentStreamFileName": own.get("fileName") or stored.file_name, "cmis:contentStreamId": None,
    }
    if values["cmis:objectTypeId"] == DOCUMENT_TYPE:
        values["esdh:dokumentdato"] = millis(f"{stored.letter_date}T00:00:00+00:00") if stored.letter_date else None
        values["esdh:retning"] = stored.kind if stored.kind in DIRECTIONS else None
    return values


def properties(values: dict[str, Any], wanted: list[str] | None = None) -> dict[str, Any]:
    """`{"<id>": {id, localName, queryName, value, type, displayName, cardinality}}` for the values
    (all of them, or the `wanted` ids of a query's select list)."""
    found = {}
    for pid, value in values.items():
        if wanted is not None and pid not in wanted:
            continue
        kind, display, cardinality = CASE_PROPERTIES.get(pid) or DOCUMENT_PROPERTIES.get(pid) or (None, None, None)
        found[pid] = prop(pid, value, kind, display, cardinality)
    return found


def as_object(values: dict[str, Any], *, succinct: bool = False, actions: bool = False,
              wanted: list[str] | None = None) -> dict[str, Any]:
    shown = {k: v for k, v in values.items() if wanted is None or k in wanted}
    body: dict[str, Any] = {}
    if actions:
        body["allowableActions"] = dict(_DOCUMENT_ACTIONS if values.get("cmis:baseTypeId") == "cmis:document"
                                        else _FOLDER_ACTIONS)
    if succinct:
        body["succinctProperties"] = shown
    else:
        body["properties"] = properties(shown)
    return body
