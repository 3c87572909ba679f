"""The PWS endpoint over the shared case store: `AcadreServiceV7.asmx`, SOAP 1.1 by SOAPAction.

GET `...asmx?wsdl` (and `?wsdl=wsdl1`, `?wsdl=wsdl2`, `?schema=schemaN`, `?disco`) answers the real
contract with this service's address in it (contract.py). POST answers the operations a filing
client needs, each read and written through zeep's model of the same WSDL:

- CaseService7: `SearchCases`, `AdvancedCaseSearch`, `GetCase`, `GetCaseByCaseNumber`
  (year + sequence number), `GetCasesForIdentity` (a CPR/CVR number);
- MainDocumentService7: `GetAllDocuments`, `GetMainDocument`, `CreateMainDocument` (answers only
  the DocumentIdentifier; the file as base64 `XMLBinary`, streamed into the store);
- ConfigurationService7: `GetCaseStatusList`, `GetUserList`, `GetDocumentTypeList`, `GetErrorType`;
- ContactService7: `GetContact` (the parties of a case are contact references).

Acadre has no idempotency: the same CreateMainDocument twice files two documents. Every other
operation of the contract is a SOAP fault (System.NotImplementedException) here.

The ids people see are not the internal ones: a case's `CaseFileIdentifier` (the
`CaseFileReference` of its records) is not its number `CaseFileNumberIdentifier` ("24/1234",
year and sequence number). The acting user goes in the SOAP header
`<SoapHeader xmlns="http://traen.com/Services/AcadreService"><User>initials</User></SoapHeader>`.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import Flask, Response, request, send_file
from lxml import etree

from ..demo import CASEWORKERS, caseworker_uuid
from ..store.cases import CaseStore, NewDocument, StoredCase, StoredDocument, StoredParty
from . import contract, envelope
from .errors import (
    ARGUMENT,
    ARGUMENT_NULL,
    AUTHENTICATION,
    CASE_CLOSED,
    CASE_NOT_FOUND,
    NO_VERSION,
    XML,
    AcadreFault,
    error_type,
    iis_page,
    soap_fault,
)

log = logging.getLogger(__name__)

EXTENSION = "caseclient.acadre"
HEADER_NS = "http://traen.com/Services/AcadreService"  # the PWS SOAP header (PWSSoapHeader.cs)
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
# The PWI REST download of a main document (BorholmsRegionsKommuneIT/acadrepy); the simulator's
# DocumentVersion.VersionURL points there.
# unverified: what VersionURL holds on a real installation.
DOWNLOAD_PATH = "Frontend/api/v11/mainDocument/{id}/Download"
# unverified: how many cases a search answers at most (PWS searches have no paging).
MAX_RESULTS = 1000
# The installation's case statuses (GetCaseStatusList): Literal, Description, IsClosed.
# unverified: the literals; Acadre installations configure their own.
STATUSES = (("B", "Under behandling", False), ("A", "Afsluttet", True))
# The record's document types (GetDocumentTypeList): Literal -> the store's kind.
# unverified: the literals and descriptions; installations configure their own.
DOCUMENT_TYPES = (("I", "Indgående"), ("U", "Udgående"), ("N", "Internt"))
KL_PRINCIPLE = "KL Koder"  # the classification principle of KLE numbers (shared docs/backends.md 7)
FACET_PRINCIPLE = "Handlingsfacetter"  # unverified: the principle name of KLE facets
USER_ID_BASE = 1000  # users' Ids: USER_ID_BASE + their place in CASEWORKERS


@dataclass
class Simulator:
    cases: CaseStore
    accounts: Any  # GetOrganized's IIS sign-in (NTLM), shared: both are IIS sites
    received: list[dict[str, Any]] = field(default_factory=list)  # CreateMainDocument requests, file left out
    calls: list[tuple[str, str | None]] = field(default_factory=list)  # (operation, acting user) in order
    lock: threading.Lock = field(default_factory=threading.Lock)

    contacts: dict[str, StoredParty] = field(default_factory=dict)  # the contacts answered so far, by reference
    _offsets: tuple[int, int] | None = None

    def contact(self, party: StoredParty) -> str:
        reference = _contact_reference(party.kind, party.number)
        self.contacts[reference] = party
        return reference

    def _installation(self) -> tuple[int, int]:
        """This installation's first case and document ids (kept in the store, read once)."""
        if self._offsets is None:
            self._offsets = (
                int(self.cases.setting("acadre.case_offset", lambda: 100000 + uuidlib.uuid4().int % 800 * 1000)),
                int(self.cases.setting("acadre.document_offset", lambda: 500000 + uuidlib.uuid4().int % 400 * 1000)))
        return self._offsets

    @property
    def case_offset(self) -> int:
        return self._installation()[0]

    @property
    def document_offset(self) -> int:
        return self._installation()[1]


def register(app: Flask, cases: CaseStore) -> None:
    contract.folder()  # refuse to start without the contract, in one sentence
    from ..getorganized.signin import Accounts, SignInGate

    simulator = Simulator(cases, Accounts(cases.files.root.parent))
    app.extensions[EXTENSION] = simulator
    app.wsgi_app = SignInGate(app.wsgi_app, simulator.accounts)  # type: ignore[method-assign]

    @app.get("/" + contract.ASMX_PATH)
    def describe() -> Response:
        name = contract.document_name(request.query_string.decode("latin-1"))
        if name is None:
            return Response(iis_page(404), 404, content_type="text/html")
        body = contract.document(name, request.base_url)
        if body is None:
            return Response(iis_page(404), 404, content_type="text/html")
        return Response(body, content_type=XML)

    @app.post("/" + contract.ASMX_PATH)
    def soap() -> Response:
        return _soap(simulator)

    @app.get("/" + DOWNLOAD_PATH.replace("{id}", "<int:document_id>"))
    def download(document_id: int) -> Response:
        document = simulator.cases.document_by_row(document_id - simulator.document_offset)
        if document is None:
            return Response(iis_page(404), 404, content_type="text/html")
        return send_file(simulator.cases.content_path(document), mimetype=document.mime_type,
                         download_name=document.file_name, conditional=False, etag=False)


# --- the SOAP endpoint -----------------------------------------------------------------------------

def _soap(sim: Simulator) -> Response:
    action = (request.headers.get("SOAPAction") or "").strip().strip('"')
    name = action.rsplit("/", 1)[-1]
    operations = contract.operations()
    operation = operations.get(name)
    if operation is None or operation.soapaction != action:
        _drain()
        return _fault_response(soap_fault(
            f"Server did not recognize the value of HTTP Header SOAPAction: {action}.", client=True))
    if "xml" not in (request.content_type or ""):
        _drain()
        return Response(iis_page(415), 415, content_type="text/html")
    upload = None
    if name == "CreateMainDocument":
        upload = sim.cases.files.new_upload()
        request.environ.setdefault("caseclient.uploads", []).append(upload.name)
    try:
        try:
            raw, size = envelope.read(request.stream, request.content_length or 0, upload)
        finally:
            if upload is not None:
                upload.close()
        root = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except (envelope.BadEnvelope, etree.XMLSyntaxError):
        return _fault_response(soap_fault("There is an error in XML document (1, 1).", client=True))
    try:
        values = operation.input.deserialize(root)
    except Exception:  # zeep's parse errors: ASMX answers a request it cannot read like this
        log.warning("the Acadre simulator could not read a %s request", name, exc_info=True)
        return _fault_response(soap_fault("Server was unable to read request. ---> There is an error in "
                                          "XML document.", client=True))
    try:
        user = _acting_user(root)
        with sim.lock:
            sim.calls.append((name, user))
        handler = HANDLERS.get(name)
        if handler is None:
            raise AcadreFault("System_NotImplementedException", f"{name} is not available.")
        answer = handler(sim, values, user=user, upload=upload.name if upload is not None else None,
                         size=size)
    except AcadreFault as fault:
        return _fault_response(soap_fault(fault.message, fault.kind))
    except Exception as error:  # ASMX answers any other exception as a fault without an ErrorCode
        log.exception("the Acadre simulator failed in %s", name)
        return _fault_response(soap_fault(f"{type(error).__name__}: {error}"))
    if isinstance(answer, dict):
        message = operation.output.serialize(**answer)
    else:
        message = operation.output.serialize(answer)
    body = etree.tostring(message.content, xml_declaration=True, encoding="utf-8")
    return Response(body, content_type=XML)


def _drain() -> None:
    stream = request.stream
    while stream.read(1 << 20):
        pass


def _fault_response(body: bytes) -> Response:
    return Response(body, 500, content_type=XML)


def _acting_user(root: etree._Element) -> str | None:
    found = root.find(f"{{{SOAP_NS}}}Header/{{{HEADER_NS}}}SoapHeader/{{{HEADER_NS}}}User")
    return (found.text or "").strip() or None if found is not None else None


# --- users, statuses, types ---------------------------------------------------------------------------

def _users() -> list[dict[str, Any]]:
    # unverified: that a user's Initials are the Windows login (Acadre keeps its own user list).
    return [{"Id": USER_ID_BASE + n, "Initials": w.login, "Name": w.name} for n, w in enumerate(CASEWORKERS)]


def _user_id(caseworker_uuid_value: str | None) -> int | None:
    for n, worker in enumerate(CASEWORKERS):
        if caseworker_uuid(worker.login) == caseworker_uuid_value:
            return USER_ID_BASE + n
    return None


def _check_user(user: str | None) -> None:
    """The acting user named in the SOAP header must be an Acadre user."""
    # unverified: that PWS refuses an acting user it does not know with an AuthenticationException.
    if user is None:
        return
    if not any(u["Initials"].casefold() == user.casefold() for u in _users()):
        raise AcadreFault(AUTHENTICATION, f"The user {user} is not known to Acadre.")


def _status(case: StoredCase) -> str:
    return "A" if case.closed else "B"


# --- rendering ------------------------------------------------------------------------------------------

def _number(case: StoredCase) -> tuple[int, int, str]:
    """(year, sequence number, CaseFileNumberIdentifier) of a case."""
    # unverified: the shown number is the two-digit year, a slash and the sequence number, and
    # the sequence counts per installation (here the store's row id, unique and stable).
    year = int(case.opened[:4])
    return year, case.row_id, f"{year % 100:02d}/{case.row_id}"


def _contact_reference(kind: str, number: str) -> str:
    # unverified: a party's ContactReference is the contact's GUID (GetContact takes a string).
    return str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"acadre-contact:{kind}:{number}"))


def _case_file(sim: Simulator, case: StoredCase, *, custom: bool = True) -> dict[str, Any]:
    year, sequence, number = _number(case)
    categories = []
    if case.kle:
        categories.append({"Principle": KL_PRINCIPLE, "Literal": case.kle})
    if case.facet:
        categories.append({"Principle": FACET_PRINCIPLE, "Literal": case.facet})
    opened = _date(case.opened)
    file: dict[str, Any] = {
        "CaseFileIdentifier": sim.case_offset + case.row_id,
        "Year": year,
        "CaseFileSequenceNumber": sequence,
        "CaseFilePaperStorageIndicator": False,
        "CreationDate": opened,
        "CaseFileTitleText": case.title,
        "TitleUnofficialIndicator": False,
        "CaseFileManagerReference": _user_id(case.caseworker),
        "CaseFileNumberIdentifier": number,
        "CaseFileLatestUpdateDate": _date(case.changed),
        "CaseFileStatusCode": _status(case),
        "CaseFileTypeCode": "EMNESAG",  # unverified: the case type literal
        "Classification": {"Category": categories} if categories else None,
        "Party": [{"ContactReference": sim.contact(p), "CreationDate": opened,
                   "PartyRelationTypeLiteral": "Part", "IsPrimary": p.relation == "primaerpart"}
                  for p in case.parties],
    }
    if case.closed:
        file["ClosedDate"] = _date(case.changed)
    if custom:
        file["CustomFieldCollection"] = {"CustomFields": []}
    return file


def _date(iso: str) -> date:
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).date()
    except ValueError:
        return date.fromisoformat(iso[:10])


def _document_output(sim: Simulator, document: StoredDocument, case_reference: int) -> dict[str, Any]:
    fields = document.fields.get("acadre", {}) if isinstance(document.fields.get("acadre"), dict) else {}
    document_id = sim.document_offset + document.row_id
    registered = _date(document.registered)
    type_code = next((code for code, kind in DOCUMENT_TYPES if kind == document.kind), "I")
    record = {
        "RecordIdentifier": document_id,
        "CaseFileReference": case_reference,
        "RegistrationDate": _date(fields.get("RegistrationDate") or document.registered),
        "DocumentDate": date.fromisoformat(document.letter_date) if document.letter_date else None,
        "DocumentDateUnknownIndicator": bool(fields.get("DocumentDateUnknownIndicator", False)),
        "DescriptionText": document.description or document.title,
        "RecordPaperStorageIndicator": bool(fields.get("RecordPaperStorageIndicator", False)),
        "DocumentTypeCode": type_code,
        "RecordStatusCode": fields.get("RecordStatusCode"),
        "AccessCode": fields.get("AccessCode"),
        "PublicationIndicator": fields.get("PublicationIndicator"),
        "CustomFieldCollection": {"CustomFields": [{"Name": k, "Value": v}
                                                  for k, v in (fields.get("CustomFields") or {}).items()]},
    }
    return {
        "Document": {"DocumentIdentifier": document_id, "DocumentTitleText": document.title,
                     "DocumentCategoryCode": fields.get("DocumentCategoryCode"),
                     "DocumentPaperStorageIndicator": bool(fields.get("DocumentPaperStorageIndicator", False)),
                     "DocumentStatusCode": fields.get("DocumentStatusCode")},
        "DocumentLink": {"DocumentLinkIdentifier": document_id, "RecordReference": document_id,
                         "DocumentReference": document_id, "LinkDate": registered},
        "DocumentVersion": {"DocumentVersionIdentifier": document_id, "DocumentReference": document_id,
                            "DocumentFileReference": document.file_row_id, "VersionNumber": 1,
                            "ActiveIndicator": True,
                            "StorageFormatCode": (document.file_name.rpartition(".")[2].upper()
                                                  if "." in document.file_name else None),
                            "VersionURL": request.host_url + DOWNLOAD_PATH.format(id=document_id)},
        "Record": record,
    }


# --- operations -------------------------------------------------------------------------------------------

def _case_by_reference(sim: Simulator, reference: Any) -> StoredCase:
    try:
        row = int(reference) - sim.case_offset
    except (TypeError, ValueError):
        row = -1
    case = sim.cases.case_by_row(row) if row > 0 else None
    if case is None:
        raise AcadreFault(CASE_NOT_FOUND, f"Case {reference} was not found.")
    return case


def _search(sim: Simulator, *, title: str | None = None, caseworker: int | None = None,
            status: str | None = None, kle: str | None = None) -> list[StoredCase]:
    worker = None
    if caseworker is not None:
        n = int(caseworker) - USER_ID_BASE
        if not 0 <= n < len(CASEWORKERS):
            return []
        worker = caseworker_uuid(CASEWORKERS[n].login)
    # unverified: how PWS matches a title (here: every word occurs, ignoring case).
    found = sim.cases.search(title=title or None, caseworker=worker, kle_prefix=kle or None,
                             include_closed=True, limit=MAX_RESULTS if not status else -1)
    if status:
        found = [c for c in found if _status(c) == status]
    return found[:MAX_RESULTS]


def _search_cases(sim: Simulator, values: Any, **_: Any) -> dict[str, Any]:
    kle = None
    for criterion in values.ClassificationCriterion or []:
        if (criterion.PrincipleLiteral or "").casefold() == KL_PRINCIPLE.casefold():
            # unverified: a KLE literal shorter than a full number matches as a prefix
            kle = (criterion.ClassificationLiteral or "").rstrip("*") or None
    found = _search(sim, title=values.CaseFileTitleText, caseworker=values.CaseFileManagerReference, kle=kle)
    return {"CaseSearchResponse": [{"CaseFileReference": sim.case_offset + c.row_id,
                                    "CaseFileTitleText": c.title, "CaseFileTypeCode": "EMNESAG"} for c in found]}


def _advanced_case_search(sim: Simulator, values: Any, **_: Any) -> dict[str, Any]:
    found = _search(sim, title=values.Title, caseworker=values.ResponsibleUserId, status=values.StatusCode)
    return {"CaseFileType3": [_case_file(sim, c) for c in found]}


def _get_case(sim: Simulator, values: Any, **_: Any) -> dict[str, Any]:
    return _case_file(sim, _case_by_reference(sim, values))


def _get_case_by_case_number(sim: Simulator, values: Any, **_: Any) -> dict[str, Any]:
    case = sim.cases.case_by_row(int(values.CaseSequenceNumber or 0)) if (values.CaseSequenceNumber or 0) > 0 else None
    if case is None or _number(case)[0] != values.CaseYear:
        raise AcadreFault(CASE_NOT_FOUND, f"Case {values.CaseYear}/{values.CaseSequenceNumber} was not found.")
    return {"CaseFile3": _case_file(sim, case)}


def _get_cases_for_identity(sim: Simulator, values: Any, **_: Any) -> dict[str, Any]:
    number = "".join(ch for ch in (values.identityNumber or "") if ch.isdigit())
    if len(number) == 10:
        urn = "urn:dk:cpr:person:" + number
    elif len(number) == 8:
        urn = "urn:dk:cvr:virksomhed:" + number
    else:
        raise AcadreFault(ARGUMENT, "identityNumber is not a CPR or CVR number.")
    found = sim.cases.search(party=urn, include_closed=True, limit=MAX_RESULTS)
    return {"GetCasesForIdentityResult": {"CaseContainer": [
        {"Case": _plain_case_file(sim, c)} for c in found]}}


def _plain_case_file(sim: Simulator, case: StoredCase) -> dict[str, Any]:
    """A case as the older CaseFileType holds it (GetCasesForIdentity): no classification,
    parties, closing date or custom fields."""
    file = _case_file(sim, case, custom=False)
    for name in ("Classification", "Party", "ClosedDate"):
        file.pop(name, None)
    return file


def _get_contact(sim: Simulator, values: Any, **_: Any) -> dict[str, Any]:
    wanted = str(values or "").strip().lower()
    known = sim.contacts.get(wanted)
    everyone = (p for case in sim.cases.search(include_closed=True, limit=-1) for p in case.parties)
    for party in ([known] if known is not None else everyone):
        if _contact_reference(party.kind, party.number) == wanted:
                owner = ({"Person": {
                    "AdvertisementProtectionIndicator": False, "BirthDateUncertaintyIndicator": False,
                    "PersonGenderCode": _gender(party.number), "NameAddressProtectionIndicator": False,
                    "PersonCivilRegistrationIdentifier": party.number}} if party.kind == "cpr"
                         else {"Organization": {"AdvertisementProtectionIndicator": False, "CVRnumberIdentifier": party.number}})
                return {"UniqueIdentifier": int(uuidlib.UUID(wanted)) % 10_000_000, "AdvertisementProtectionIndicator": False,
                        "Role": [{"RoleName": "Part", "RoleOwner": [owner]}]}
    raise AcadreFault("System_Collections_Generic_KeyNotFoundException", f"Contact {wanted} was not found.")


def _gender(cpr: str) -> str:
    return "male" if int(cpr[-1]) % 2 else "female"


def _get_all_documents(sim: Simulator, values: Any, **_: Any) -> dict[str, Any]:
    case = _case_by_reference(sim, values)
    reference = sim.case_offset + case.row_id
    return {"DocumentOutput": [_document_output(sim, d, reference) for d in sim.cases.documents(case.uuid)]}


def _get_main_document(sim: Simulator, values: Any, **_: Any) -> dict[str, Any]:
    document = sim.cases.document_by_row(int(values or 0) - sim.document_offset)
    if document is None:
        raise AcadreFault(NO_VERSION, f"Document {values} was not found.")
    case = sim.cases.case(document.case_uuid)
    return _document_output(sim, document, sim.case_offset + case.row_id if case else 0)


REQUIRED = (("Record", "RegistrationDate"), ("Record", "DocumentDateUnknownIndicator"),
            ("Record", "RecordPaperStorageIndicator"), ("Record", "CaseFileReference"),
            ("Document", "DocumentPaperStorageIndicator"), ("Document", "DocumentTitleText"),
            ("DocumentLink", "LinkDate"))


def _create_main_document(sim: Simulator, values: Any, *, user: str | None, upload: str | None,
                          size: int | None) -> int:
    _check_user(user)
    for part, name in REQUIRED:  # the contract's required fields (shared docs/backends.md 0b)
        holder = getattr(values, part, None)
        if holder is None or getattr(holder, name, None) in (None, ""):
            raise AcadreFault(ARGUMENT_NULL, f"Value cannot be null. Parameter name: {part}.{name}")
    if not values.FileName:
        raise AcadreFault(ARGUMENT_NULL, "Value cannot be null. Parameter name: FileName")
    if upload is None or size is None:
        raise AcadreFault(ARGUMENT_NULL, "Value cannot be null. Parameter name: XMLBinary")
    record, document = values.Record, values.Document
    case = _case_by_reference(sim, record.CaseFileReference)
    if case.closed:
        raise AcadreFault(CASE_CLOSED, f"Case {_number(case)[2]} is closed.")
    kind = next((k for code, k in DOCUMENT_TYPES if code == (record.DocumentTypeCode or "I")), None)
    if kind is None:
        raise AcadreFault(ARGUMENT, f"Unknown DocumentTypeCode {record.DocumentTypeCode}.")
    custom = {f.Name: f.Value for f in ((record.CustomFieldCollection.CustomFields or [])
                                        if record.CustomFieldCollection is not None else []) if f.Name}
    letter = record.DocumentDate or record.RegistrationDate
    fields = {
        "RegistrationDate": record.RegistrationDate.isoformat(),
        "DocumentDateUnknownIndicator": bool(record.DocumentDateUnknownIndicator),
        "RecordPaperStorageIndicator": bool(record.RecordPaperStorageIndicator),
        "DocumentPaperStorageIndicator": bool(document.DocumentPaperStorageIndicator),
        "RecordStatusCode": record.RecordStatusCode, "AccessCode": record.AccessCode,
        "PublicationIndicator": record.PublicationIndicator,
        "DocumentCategoryCode": document.DocumentCategoryCode, "DocumentStatusCode": document.DocumentStatusCode,
        "CustomFields": custom, "User": user,
    }
    sim.received.append({"FileName": values.FileName, "size": size, "fields": fields,
                         "CaseFileReference": record.CaseFileReference})
    stored = sim.cases.add_document(case.uuid, NewDocument(
        upload=upload, title=document.DocumentTitleText, file_name=values.FileName,
        mime_type=mimetypes.guess_type(values.FileName)[0] or "application/octet-stream",
        letter_date=letter.isoformat(), kind=kind, description=record.DescriptionText or "",
        fields={"acadre": fields}))
    return sim.document_offset + stored.row_id


def _get_error_type(sim: Simulator, values: Any, **_: Any) -> str:
    kind = error_type(str(values or ""), contract.error_types())
    if kind is None:
        raise AcadreFault(ARGUMENT, "Unknown error code.")
    return kind


HANDLERS = {
    "SearchCases": _search_cases,
    "AdvancedCaseSearch": _advanced_case_search,
    "GetCase": _get_case,
    "GetCaseByCaseNumber": _get_case_by_case_number,
    "GetCasesForIdentity": _get_cases_for_identity,
    "GetContact": _get_contact,
    "GetAllDocuments": _get_all_documents,
    "GetMainDocument": _get_main_document,
    "CreateMainDocument": _create_main_document,
    "GetErrorType": _get_error_type,
    "GetCaseStatusList": lambda sim, values, **_: {"CaseStatus": [
        {"Literal": code, "Description": text, "IsClosed": closed, "IsExpired": False, "IsTemporary": False}
        for code, text, closed in STATUSES]},
    "GetUserList": lambda sim, values, **_: {"User": _users()},
    "GetDocumentTypeList": lambda sim, values, **_: {"DocumentType": [
        {"Literal": code, "Description": kind} for code, kind in DOCUMENT_TYPES]},
}
