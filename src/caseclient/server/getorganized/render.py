"""GetOrganized's metadata: `<z:row .../>` rows of `ows_` attributes, for cases and documents,
and the reading of the rows clients send."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone
from typing import Any

from ..store.cases import StoredCase, StoredDocument
from . import ids
from .errors import GoError, exception, web_api_error

ROW_NAMESPACE = "#RowsetSchema"
DIALECT = "getorganized"  # the key of GO's own fields in a stored document's dialect fields
KINDS_TO_GO = {"Indgående": "Indgående", "Udgående": "Udgående", "Internt": "Intern", "Intern": "Intern"}
KINDS_FROM_GO = {"Indgående": "Indgående", "Udgående": "Udgående", "Intern": "Internt"}
_ATTRIBUTE_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;",
                      "\r": "&#13;", "\t": "&#9;"}


def attribute(value: str) -> str:
    return "".join(_ATTRIBUTE_ESCAPES.get(ch, ch) for ch in value)


def z_row(fields: dict[str, str]) -> str:
    parts = [f'{name}="{attribute(value)}"' for name, value in fields.items() if value is not None]
    return f'<z:row xmlns:z="{ROW_NAMESPACE}" ' + " ".join(parts) + " />"


def sharepoint_time(iso: str) -> str:
    """`2022-03-18 00:00:00`, as GO reads dates back."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def iso_time(iso: str) -> str:
    """`2022-03-18T10:00:00Z`, as SharePoint REST writes times."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# -- cases ------------------------------------------------------------------------------------

def contact_data(installation: ids.Installation, case: StoredCase) -> tuple[str, str]:
    """`ows_CCMContactData` (`name;#ID;#CPR;#CVR;#PNumber` per party, primary party first) and
    `ows_CCMContactData_CPR` (the first person's CPR number).
    # unverified: how several parties are joined (here: their groups one after another, ';#'
    # between); the store knows no party names, so the name is empty.
    """
    parties = sorted(case.parties, key=lambda p: p.relation != "primaerpart")
    groups = []
    for party in parties:
        cpr = party.number if party.kind == "cpr" else ""
        cvr = party.number if party.kind == "cvr" else ""
        groups.append(f";#{installation.lookup_id('contact', party.number)};#{cpr};#{cvr};#")
    first_cpr = next((p.number for p in parties if p.kind == "cpr"), "")
    return ";#".join(groups), first_cpr


def case_fields(installation: ids.Installation, case: StoredCase) -> dict[str, str]:
    """The case's `ows_` fields in the lookup form of this installation."""
    fields = {
        "ows_CaseID": ids.case_id_of(case),
        "ows_CCMVisualId": ids.case_id_of(case),
        "ows_Title": case.title,
        "ows_CaseStatus": ids.CLOSED if case.closed else ids.OPEN,
        "ows_CaseUrl": ids.case_url(case),
        "ows_Restricted": "1;#",
    }
    if case.kle:
        label = f"{case.kle} {case.kle_title}".strip()
        fields["ows_KLENummer"] = f"{installation.lookup_id('kle', case.kle)};#{label}"
    if case.facet:
        fields["ows_Facet"] = f"{installation.lookup_id('facet', case.facet)};#{case.facet}"
    login = ids.login_of(case.caseworker)
    if login:
        fields["ows_CaseOwner"] = f"{installation.user_id(login)};#{login}"
    contacts, cpr = contact_data(installation, case)
    if contacts:
        fields["ows_CCMContactData"] = contacts
        fields["ows_CCMContactData_CPR"] = cpr
    fields["ows_Created"] = sharepoint_time(case.opened)
    fields["ows_Modified"] = sharepoint_time(case.changed)
    return fields


# -- documents --------------------------------------------------------------------------------

def go_fields(document: StoredDocument) -> dict[str, Any]:
    value = document.fields.get(DIALECT)
    return value if isinstance(value, dict) else {}


def korrespondance(document: StoredDocument) -> str:
    go = go_fields(document)
    if "korrespondance" in go:  # as GO was told (possibly nothing)
        return str(go["korrespondance"] or "")
    return KINDS_TO_GO.get(document.kind, "")


def document_fields(installation: ids.Installation, case: StoredCase, document: StoredDocument,
                    *, system: bool = False, absolute_base: str = "") -> dict[str, str]:
    go = go_fields(document)
    fields: dict[str, str] = {
        "ows_Title": document.title,
        "ows_Korrespondance": korrespondance(document),
        "ows_Dato": f"{document.letter_date} 00:00:00" if document.letter_date else "",
        "ows_CaseID": ids.case_id_of(case),
        "ows_CCMVisualId": ids.case_id_of(case),
        "ows_DocID": str(document.row_id),
        "ows_Finalized": "1" if go.get("finalized") else "0",
        "ows_CaseRecordNumber": str(go.get("case_record") or 0),
        "ows_Modtagere": "",
        "ows_Part": "",
        "ows_CCMMustBeOnPostList": "0",
    }
    login = ids.login_of(case.caseworker)
    if login:
        fields["ows_CaseOwner"] = f"{installation.user_id(login)};#{login}"
    for name, value in (go.get("ows") or {}).items():
        fields[name] = str(value)
    if system:
        path = file_path(case, document)
        item = str(list_item_id(document))
        fields["ows_FileLeafRef"] = f"{item};#{file_name(document)}"
        fields["ows_FileRef"] = f"{item};#{path.lstrip('/')}"
        fields["ows_File_x0020_Size"] = f"{item};#{document.size}"
        fields["ows_File_x0020_Type"] = file_name(document).rsplit(".", 1)[-1] if "." in file_name(document) else ""
        fields["ows__UIVersionString"] = "1.0"
        fields["ows_EncodedAbsUrl"] = absolute_base.rstrip("/") + encode_path(path)
    return fields


def file_name(document: StoredDocument) -> str:
    return document.file_name or f"{document.row_id}.bin"


def folder_of(document: StoredDocument) -> str:
    return str(go_fields(document).get("folder") or "")


def file_path(case: StoredCase, document: StoredDocument) -> str:
    folder = folder_of(document)
    return ids.library_path(case) + (f"/{folder}" if folder else "") + "/" + file_name(document)


def list_item_id(document: StoredDocument) -> int:
    """The document's id in its case's library (SharePoint's item id, not the DocID)."""
    return int(go_fields(document).get("item_id") or document.row_id)


def encode_path(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/()'!*,;=:@-._~")


# -- what clients send ------------------------------------------------------------------------

def read_row(text: str) -> dict[str, str]:
    """The attributes of a `<z:row xmlns:z="#RowsetSchema" .../>` (either quote style)."""
    if not text or not text.strip():
        return {}
    try:
        element = ET.fromstring(text)
    except ET.ParseError:
        raise exception("Metadata is not a valid z:row: data at the root level is invalid.",
                        "System.Xml.XmlException") from None
    if element.tag != "{#RowsetSchema}row":
        raise exception("Metadata must be a z:row element.", "System.Xml.XmlException")
    return {name: value for name, value in element.attrib.items()}


_US_DATE = re.compile(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4})(?:\s.*)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")


def parse_go_date(text: str) -> str:
    """`ows_Dato` as GO's Documents endpoints read it: month first (MM-DD-YYYY), or ISO.
    # unverified: that GO parses with en-US rules (DateTime.Parse); a day-first date with a day
    # above 12 then fails as a .NET FormatException (500), and one with a day up to 12 is read
    # with day and month swapped, silently.
    """
    text = text.strip()
    found = _ISO_DATE.match(text)
    try:
        if found:
            return date(int(found.group(1)), int(found.group(2)), int(found.group(3))).isoformat()
        found = _US_DATE.match(text)
        if found:
            return date(int(found.group(3)), int(found.group(1)), int(found.group(2))).isoformat()
    except ValueError:
        pass
    raise exception("String was not recognized as a valid DateTime.", "System.FormatException")


def document_changes(row: dict[str, str]) -> dict[str, Any]:
    """What a metadata row changes: title, letter date, kind, and GO's other fields."""
    changes: dict[str, Any] = {"ows": {}}
    for name, value in row.items():
        if not name.startswith("ows_"):
            continue
        if name == "ows_Title":
            changes["title"] = value
        elif name == "ows_Dato":
            changes["letter_date"] = parse_go_date(value) if value else None
        elif name == "ows_Korrespondance":
            if value and value not in KINDS_FROM_GO:
                raise web_api_error(400, f"The value '{value}' is not a choice of the field Korrespondance.")
            changes["korrespondance"] = value
        elif name in ("ows_DocID", "ows_CaseID", "ows_FileLeafRef", "ows_FileRef", "ows_EncodedAbsUrl"):
            continue  # read-only
        else:
            changes["ows"][name] = value
    return changes


def not_found(what: str) -> GoError:
    return web_api_error(404, what)
