"""The `acadre` backend: Formpipe Acadre's PWS, SOAP 1.1 at `AcadreServiceV7.asmx` (shared
docs/backends.md 0b, 4c), through a client zeep builds from the service's own WSDL (`?wsdl`).

zeep writes and reads every envelope; the HTTP goes through the session (its sign-in, NTLM or
Negotiate, and TLS settings), so each failure becomes one domain error here. The acting user goes
in PWS's SOAP header (`<SoapHeader xmlns="http://traen.com/Services/AcadreService"><User>`).

Cases: `AdvancedCaseSearch` (title, responsible user) answers whole cases; a CPR/CVR number is
searched with `GetCasesForIdentity`; an exact number ("24/1234", year and sequence) with
`GetCaseByCaseNumber`; a case is read with `GetCase` and its parties with `GetContact`. The id
of a case is its internal `CaseFileIdentifier` (a record's `CaseFileReference`), never the number
people see. Number prefixes and KLE groups are matched here on the rows the search answered (PWS
searches take neither). Documents: `GetAllDocuments`, `GetMainDocument`, content from the active
version's `VersionURL`.

Filing is `CreateMainDocument` with every field the contract requires (`Record.RegistrationDate`,
`DocumentDateUnknownIndicator`, `RecordPaperStorageIndicator`, `Document.DocumentPaperStorageIndicator`,
`DocumentLink.LinkDate`) and the file as base64 `XMLBinary`. zeep builds the envelope around a
marker; the file's base64 is streamed from disk in its place, so a 256 MiB file never sits in
memory (the envelope is sent with its Content-Length). Acadre has no idempotency: the record
carries the idempotency key in a custom field (KEY_FIELD); before the create the case id goes
durably into the ResumeState, and any later attempt first looks for a record with that key.

Faults name their kind through `ErrorListEnum`: a fault's ErrorCode is turned into the enum with
`GetErrorType` (once per code), and the enum into the error taxonomy (ERRORS).
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
import threading
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any, BinaryIO

import requests
from lxml import etree

from ..domain import (
    AuthError,
    BackendError,
    Case,
    Conflict,
    Cpr,
    Cvr,
    Direction,
    Duplicate,
    DocumentMetadata,
    DocumentRef,
    InputError,
    Locked,
    NotFound,
    NotSupported,
    Party,
    PartyRole,
    TooLarge,
    Transient,
    UploadSource,
    ValidationFailed,
    redact_cprs,
)
from .http import DEFAULT_TIMEOUT, ServiceHttp
from .protocol import Capability, CaseQuery, ProgressCallback, ResumeState
from .values import party_in_text, shown_name

log = logging.getLogger(__name__)

ASMX_PATH = "Acadre.CM.PublicServices/SoapAuth/AcadreServiceV7.asmx"
SERVICE = "AcadreServiceV7"
HEADER_NS = "http://traen.com/Services/AcadreService"  # PWSSoapHeader.cs (Syddjurs' client)
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
# unverified: the record custom field that carries the idempotency key. PWS offers
# Record.CustomFieldCollection; the installation must define a document custom field of this name.
KEY_FIELD = "CaseclientKey"
KL_PRINCIPLE = "kl koder"
DIRECTION_NAMES = {
    Direction.INCOMING: ("indgående", "indgaaende", "i"),
    Direction.OUTGOING: ("udgående", "udgaaende", "u"),
    Direction.INTERNAL: ("internt", "intern", "notat", "n"),
}
STATE_SENT_TO = "acadre.sent_to_case"  # the CaseFileReference, written before CreateMainDocument
STATE_DOCUMENT = "acadre.document"  # the DocumentIdentifier, once known
# A smaller file goes straight to CreateMainDocument, which refuses an unknown or closed case itself
# (CaseNotFoundException, CaseClosedException); a bigger one is sent only to a case read first.
PRECHECK_BYTES = 1 << 20
BLOCK = 3 * 256 * 1024  # file bytes per base64 block (a multiple of 3: blocks encode on their own)
_KLE = re.compile(r"^\d\d\.\d\d\.\d\d$")
_FACET = re.compile(r"^[A-ZÆØÅ]\d\d$")
_NUMBER = re.compile(r"^(\d{2}|\d{4})/(\d+)$")

NOT_FOUND = {"Acadre_CM_Model_CaseNotFoundException", "Acadre_CM_Model_MultiCases_MultiCaseNotFoundException",
             "Acadre_CM_Model_Documents_NoDocumentVersionFoundException",
             "Acadre_CM_Model_Documents_NoActiveDocumentVersionException",
             "System_Collections_Generic_KeyNotFoundException"}
LOCKED = {"Acadre_CM_Model_Documents_DocumentIsLockedException", "Acadre_CM_Model_Documents_DocumentIsCheckedOutException",
          "Acadre_CM_Model_Memos_MemoFileIsLockedException", "Acadre_CM_Model_Memos_MemoFileIsCheckedOutException"}
AUTH = {"Acadre_CM_Framework_Security_AcadreSecurityException",
        "Acadre_CM_Framework_Security_Authentication_AuthenticationException",
        "Acadre_CM_Framework_Security_NoCreatePermissionException",
        "Acadre_CM_Framework_Security_NoGeneralPermissionException",
        "Acadre_CM_Framework_Security_NoPublishingPermissionException",
        "Acadre_CM_Framework_Security_NoReadPermissionException",
        "Acadre_CM_Framework_Security_NotAuthorizedToAccessCodeException",
        "Acadre_CM_Framework_Security_NotAuthorizedToSaveException",
        "Acadre_CM_Framework_Security_SecurityInfoNotFoundException",
        "System_UnauthorizedAccessException", "System_Security_SecurityException"}
TRANSIENT = {"System_TimeoutException", "System_OutOfMemoryException", "System_OperationCanceledException",
             "Acadre_CM_Framework_Utility_IntegrationException"}
CLOSED = "Acadre_CM_Framework_Security_CaseClosedException"
DUPLICATE = "System_Data_DuplicateNameException"


class AcadreService:
    """A DocumentService over Acadre's PWS. The session carries the Windows sign-in
    (`auth.mode = ntlm` or `negotiate`); `acting_user` (initials) goes in the SOAP header."""

    name = "acadre"

    def __init__(
        self,
        base_url: str,
        session: requests.Session | None = None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        acting_user: str | None = None,
        key_field: str = KEY_FIELD,
        max_upload_bytes: int | None = None,
    ) -> None:
        base = base_url.rstrip("/")
        if not base.lower().endswith(".asmx"):  # the site's address: the PWS endpoint under it
            base = f"{base}/{ASMX_PATH}"
        self.http = ServiceHttp(base, session, timeout=timeout, service_name="Acadre")
        self.address = self.http.base_url
        self.acting_user = (acting_user or "").strip() or None
        self.key_field = key_field
        self.max_upload_bytes = max_upload_bytes
        self.capabilities = (Capability.SEARCH_FULLTEXT | Capability.SEARCH_BY_PARTY
                             | Capability.SEARCH_BY_CASEWORKER | Capability.LIST_DOCUMENTS
                             | Capability.READ_CONTENT)
        self._lock = threading.Lock()
        self._client: Any = None
        self._lists: dict[str, list[Any]] = {}
        self._error_types: dict[str, str] = {}

    # --- cases ---------------------------------------------------------------------------

    def search_cases(self, query: CaseQuery) -> list[Case]:
        if query.limit <= 0:
            return []
        text = (query.text or "").strip()
        title_words = (query.title or "").split()
        number_checks = []
        if query.case_number:
            wanted = query.case_number.strip().casefold()
            if wanted.endswith("*"):
                prefix = wanted.rstrip("*")
                number_checks.append(lambda c: c.number.casefold().startswith(prefix))
            else:
                number_checks.append(lambda c: c.number.casefold() == wanted)
        party = query.party or (party_in_text(text) if text else None)
        if text and party is None:
            first, _, rest = text.partition(" ")
            if first[:1].isdigit():  # a number or KLE prefix, maybe followed by title words
                folded = first.casefold().rstrip("*")
                number_checks.append(lambda c: c.number.casefold().startswith(folded)
                                     or (c.kle or "").startswith(folded))
                title_words += rest.split()
            else:
                title_words += text.split()
        if party is not None:
            rows = self._cases_for_identity(party)
        else:
            user_id = None
            if query.caseworker:
                user_id = self._user_id(query.caseworker)
                if user_id is None:
                    return []
            request: dict[str, Any] = {"Title": " ".join(title_words) or None}
            if user_id is not None:
                request["ResponsibleUserId"] = user_id
            rows = self._call("CaseService7", "AdvancedCaseSearch", action="searching cases", **request) or []
        found: list[Case] = []
        seen: set[str] = set()
        for row in rows:
            case = self._case(row)
            if case.id in seen:
                continue
            if not query.include_closed and case.closed:
                continue
            if any(not check(case) for check in number_checks):
                continue
            if any(w.casefold() not in case.title.casefold() for w in title_words):
                continue
            if query.caseworker and party is not None and case.caseworker != self._initials(query.caseworker):
                continue
            seen.add(case.id)
            found.append(case)
        return found[query.offset:query.offset + query.limit]

    def _cases_for_identity(self, party: Party) -> list[Any]:
        number = party.cpr.digits if party.cpr else party.cvr.digits if party.cvr else None
        if not number:
            raise ValidationFailed("A party search in Acadre needs a CPR or CVR number.")
        answer = self._call("CaseService7", "GetCasesForIdentity", action="searching cases by party",
                            identityNumber=number, withMemoAndDocument=False)
        containers = answer if isinstance(answer, list) else (getattr(answer, "CaseContainer", None) or [])
        return [c.Case for c in containers if getattr(c, "Case", None) is not None]

    def get_case(self, case_id: str) -> Case:
        row = self._get_case(case_id)
        return replace(self._case(row), parties=self._parties(row))

    def _get_case(self, case_id: str) -> Any:
        reference = _reference(case_id, "case")
        try:
            return self._call("CaseService7", "GetCase", reference, action=f"reading case {reference}")
        except NotFound as error:
            raise NotFound(f"Acadre has no case {reference}.", status=error.status, detail=error.detail) from None

    def find_case_by_number(self, number: str) -> Case:
        wanted = number.strip()
        match = _NUMBER.match(wanted)
        if match is None:
            raise NotFound(f"No case in Acadre has the number {redact_cprs(wanted)!r} "
                           "(Acadre numbers are a year and a sequence number, such as 24/1234).")
        year, sequence = int(match.group(1)), int(match.group(2))
        if year < 100:
            year += 2000  # unverified: GetCaseByCaseNumber takes the four-digit year
        try:
            answer = self._call("CaseService7", "GetCaseByCaseNumber", action=f"looking up case {wanted}",
                                CaseYear=year, CaseSequenceNumber=sequence)
        except NotFound:
            answer = None
        if answer is None:
            raise NotFound(f"No case in Acadre has the number {redact_cprs(wanted)!r}.")
        return self._case(answer)

    def list_documents(self, case_id: str) -> list[DocumentRef]:
        reference = _reference(case_id, "case")
        return [self._document_ref(row, str(reference)) for row in self._documents(reference)]

    def _documents(self, reference: int) -> list[Any]:
        try:
            return self._call("MainDocumentService7", "GetAllDocuments", reference,
                              action=f"listing the documents of case {reference}") or []
        except NotFound as error:
            raise NotFound(f"Acadre has no case {reference}.", status=error.status, detail=error.detail) from None

    # --- filing --------------------------------------------------------------------------

    def upload_document(
        self,
        case_id: str,
        source: UploadSource,
        metadata: DocumentMetadata,
        *,
        idempotency_key: str,
        state: ResumeState,
        progress: ProgressCallback | None = None,
    ) -> DocumentRef:
        if not idempotency_key:
            raise ValueError("an upload needs an idempotency key")
        reference = str(_reference(case_id, "case"))
        earlier = self._earlier_upload(idempotency_key, state)
        if earlier is not None:
            if earlier.case_id != reference:
                raise Conflict("An earlier attempt filed this document on another case in Acadre; it was not filed twice.")
            if progress:
                progress(source.size, source.size)
            return earlier
        if source.size > PRECHECK_BYTES:  # not sent to a case that would refuse it after the upload
            case = self._case(self._get_case(reference))
            if case.closed:
                raise Conflict(f"Case {case.number} is closed in Acadre, which files nothing on a closed case.")
        if self.max_upload_bytes is not None and source.size > self.max_upload_bytes:
            raise TooLarge(f"{shown_name(source.filename)} is larger than Acadre accepts "
                           f"({self.max_upload_bytes // (1024 * 1024)} MiB).")
        today = date.today()
        record: dict[str, Any] = {
            "CaseFileReference": int(reference),
            "RegistrationDate": today,
            "DocumentDate": metadata.document_date,
            "DocumentDateUnknownIndicator": metadata.document_date is None,
            "DescriptionText": metadata.description or metadata.title,
            "RecordPaperStorageIndicator": False,
            "CustomFieldCollection": {"CustomFields": [{"Name": self.key_field, "Value": idempotency_key}]},
        }
        if (code := self._document_type(metadata.direction)) is not None:
            record["DocumentTypeCode"] = code
        document = {"DocumentTitleText": metadata.title, "DocumentPaperStorageIndicator": False}
        # Before anything is sent: a later attempt must look for this one's record first.
        if state.get(STATE_SENT_TO) != reference:
            state.put(STATE_SENT_TO, reference)
        answer = self._create(source, progress, Document=document, DocumentLink={"LinkDate": today},
                              Record=record, FileName=source.filename)
        if answer is None:
            found = self._earlier_upload(idempotency_key, state)
            if found is None:
                raise Transient(f"Acadre accepted {shown_name(source.filename)} but named no document; "
                                "it will be looked for before filing again.")
            return replace(found, already_existed=False)
        state.put(STATE_DOCUMENT, str(answer), durable=False)  # the list finds it without this
        return DocumentRef(id=str(answer), case_id=reference, title=metadata.title, filename=source.filename,
                           size=source.size, mime_type=source.mime_type, document_date=metadata.document_date,
                           direction=metadata.direction)

    def find_upload(self, idempotency_key: str, state: ResumeState) -> DocumentRef | None:
        return self._earlier_upload(idempotency_key, state)

    def _earlier_upload(self, idempotency_key: str, state: ResumeState) -> DocumentRef | None:
        """The document an earlier attempt with this key filed, found by the key's custom field."""
        sent_to = state.get(STATE_SENT_TO)
        if not sent_to:
            return None  # no attempt got as far as sending
        known = state.get(STATE_DOCUMENT)
        if known:
            try:
                row = self._call("MainDocumentService7", "GetMainDocument", int(known),
                                 action=f"reading document {known}")
            except NotFound:
                row = None
            if row is not None and self._key_of(row) in (idempotency_key, None):
                return self._document_ref(row, sent_to, already_existed=True)
        for row in self._documents(int(sent_to)):
            if self._key_of(row) == idempotency_key:
                state.put(STATE_DOCUMENT, str(row.Document.DocumentIdentifier), durable=False)
                return self._document_ref(row, sent_to, already_existed=True)
        return None

    def upload_to_inbox(
        self,
        source: UploadSource,
        metadata: DocumentMetadata,
        *,
        idempotency_key: str,
        state: ResumeState,
        progress: ProgressCallback | None = None,
    ) -> DocumentRef:
        raise NotSupported("Acadre files documents on a case only; it has no inbox for documents without a case.")

    def read_content(self, document_id: str, sink: BinaryIO) -> int:
        reference = _reference(document_id, "document")
        row = self._call("MainDocumentService7", "GetMainDocument", reference, action=f"reading document {reference}")
        version = getattr(row, "DocumentVersion", None)
        url = getattr(version, "VersionURL", None) if version is not None else None
        if not url:
            raise NotFound(f"Acadre shows no file for document {reference}.")
        action = f"downloading document {reference}"
        try:
            response = self.http.session.get(url, stream=True, timeout=self.http.timeout)
        except requests.RequestException as exc:
            raise self.http.error_for_exception(exc, action=action, idempotent=True) from None
        with response:
            if response.status_code >= 300:
                raise self.http.error_for_response(response, action=action)
            count = 0
            try:
                for block in response.iter_content(1 << 20):
                    sink.write(block)
                    count += len(block)
            except requests.RequestException as exc:
                raise self.http.error_for_exception(exc, action=action, idempotent=True) from None
        return count

    # --- lookups -------------------------------------------------------------------------

    def _list(self, port: str, operation: str, action: str) -> list[Any]:
        with self._lock:
            cached = self._lists.get(operation)
        if cached is None:
            cached = list(self._call(port, operation, action=action) or [])
            with self._lock:
                self._lists[operation] = cached
        return cached

    def _closed_statuses(self) -> set[str]:
        return {str(s.Literal) for s in self._list("ConfigurationService7", "GetCaseStatusList",
                                                    "reading the case statuses") if s.IsClosed}

    def _status_text(self, literal: str | None) -> str | None:
        for status in self._list("ConfigurationService7", "GetCaseStatusList", "reading the case statuses"):
            if status.Literal == literal:
                return status.Description or literal
        return literal

    def _users(self) -> list[Any]:
        return self._list("ConfigurationService7", "GetUserList", "reading the users")

    def _user_id(self, caseworker: str) -> int | None:
        value = caseworker.strip()
        if value.isdigit():
            return int(value)
        folded = value.casefold()
        return next((int(u.Id) for u in self._users() if (u.Initials or "").casefold() == folded), None)

    def _initials(self, caseworker: str) -> str | None:
        user_id = self._user_id(caseworker)
        return next((u.Initials for u in self._users() if u.Id == user_id), None)

    def _document_type(self, direction: Direction) -> str | None:
        """The installation's DocumentTypeCode for a direction, looked up by its description."""
        names = DIRECTION_NAMES[direction]
        for kind in self._list("ConfigurationService7", "GetDocumentTypeList", "reading the document types"):
            if (kind.Description or "").casefold() in names or (kind.Literal or "").casefold() in names[-1:]:
                return kind.Literal
        return None

    # --- reading answers -----------------------------------------------------------------------

    def _case(self, row: Any) -> Case:
        kle = facet = None
        classification = getattr(row, "Classification", None)
        for category in (getattr(classification, "Category", None) or []) if classification is not None else []:
            literal = (category.Literal or "").strip()
            if (category.Principle or "").casefold() == KL_PRINCIPLE or _KLE.match(literal):
                if _KLE.match(literal):
                    kle = kle or literal
            if _FACET.match(literal):
                facet = facet or literal
        status = getattr(row, "CaseFileStatusCode", None)
        manager = getattr(row, "CaseFileManagerReference", None)
        caseworker = next((u.Initials for u in self._users() if manager is not None and u.Id == manager), None)
        return Case(
            id=str(row.CaseFileIdentifier),
            number=str(row.CaseFileNumberIdentifier or f"{row.Year % 100:02d}/{row.CaseFileSequenceNumber}"),
            title=str(row.CaseFileTitleText or ""),
            status=self._status_text(status),
            caseworker=caseworker or (str(manager) if manager is not None else None),
            kle=kle,
            kle_facet=facet,
            closed=status in self._closed_statuses() or getattr(row, "ClosedDate", None) is not None,
        )

    def _parties(self, row: Any) -> tuple[Party, ...]:
        found: list[Party] = []
        for party in getattr(row, "Party", None) or []:
            reference = getattr(party, "ContactReference", None)
            if not reference:
                continue
            try:
                contact = self._call("ContactService7", "GetContact", reference, action="reading a party of the case")
            except NotFound:
                continue
            role = PartyRole.PRIMARY if party.IsPrimary else PartyRole.INVOLVED
            for contact_role in getattr(contact, "Role", None) or []:
                for owner in contact_role.RoleOwner or []:
                    person = getattr(owner, "Person", None)
                    organization = getattr(owner, "Organization", None)
                    try:
                        if person is not None and person.PersonCivilRegistrationIdentifier:
                            found.append(Party(cpr=Cpr.parse(person.PersonCivilRegistrationIdentifier), role=role))
                        elif organization is not None and organization.CVRnumberIdentifier:
                            found.append(Party(cvr=Cvr.parse(organization.CVRnumberIdentifier), role=role))
                    except ValueError:
                        continue
        return tuple(dict.fromkeys(found))

    def _key_of(self, row: Any) -> str | None:
        record = getattr(row, "Record", None)
        collection = getattr(record, "CustomFieldCollection", None) if record is not None else None
        for custom in (getattr(collection, "CustomFields", None) or []) if collection is not None else []:
            if (custom.Name or "").casefold() == self.key_field.casefold():
                return custom.Value or None
        return None

    def _document_ref(self, row: Any, case_id: str, *, already_existed: bool = False) -> DocumentRef:
        document, record = row.Document, getattr(row, "Record", None)
        version = getattr(row, "DocumentVersion", None)
        storage = (getattr(version, "StorageFormatCode", None) or "") if version is not None else ""
        type_code = (getattr(record, "DocumentTypeCode", None) or "").casefold() if record is not None else ""
        direction = next((d for d, names in DIRECTION_NAMES.items() if type_code in names), None)
        for kind in self._lists.get("GetDocumentTypeList", []):
            if (kind.Literal or "").casefold() == type_code:
                described = (kind.Description or "").casefold()
                direction = next((d for d, names in DIRECTION_NAMES.items() if described in names), direction)
        title = str(document.DocumentTitleText or "")
        return DocumentRef(
            id=str(document.DocumentIdentifier),
            case_id=str(getattr(record, "CaseFileReference", None) or case_id),
            title=title,
            mime_type=mimetypes.guess_type(f"x.{storage.lower()}")[0] if storage else None,
            document_date=getattr(record, "DocumentDate", None) if record is not None else None,
            direction=direction,
            already_existed=already_existed,
        )

    # --- SOAP ------------------------------------------------------------------------------

    def _zeep(self) -> Any:
        """zeep's client for the service's own WSDL, loaded once (through the session)."""
        with self._lock:
            if self._client is not None:
                return self._client
        import zeep

        transport = _transport(self)
        try:
            client = zeep.Client(f"{self.address}?wsdl", transport=transport,
                                 settings=zeep.Settings(strict=False, xml_huge_tree=False))
        except BackendError:
            raise
        except (zeep.exceptions.Error, etree.LxmlError, ValueError) as exc:
            raise Transient(f"Acadre at {self.http.host} answered with a WSDL caseclient cannot read; "
                            "it may be misconfigured or behind a proxy page.", detail=type(exc).__name__) from None
        with self._lock:
            self._client = self._client or client
            return self._client

    def _operation(self, port: str, name: str) -> tuple[Any, Any]:
        client = self._zeep()
        try:
            service = client.bind(SERVICE, port)
            return client, service._binding._operations[name]
        except (KeyError, ValueError, AttributeError):
            raise NotSupported(f"This Acadre's WSDL has no {port}.{name}; caseclient needs PWS version 7.") from None

    def _envelope(self, port: str, name: str, *args: Any, **kwargs: Any) -> tuple[Any, bytes]:
        client, operation = self._operation(port, name)
        headers = []
        if self.acting_user:
            header = etree.Element(f"{{{HEADER_NS}}}SoapHeader", nsmap={None: HEADER_NS})
            etree.SubElement(header, f"{{{HEADER_NS}}}User").text = self.acting_user
            headers.append(header)
        message = client.create_message(client.bind(SERVICE, port), name, *args, _soapheaders=headers, **kwargs)
        return operation, etree.tostring(message, xml_declaration=True, encoding="utf-8")

    def _call(self, port: str, name: str, *args: Any, action: str, **kwargs: Any) -> Any:
        operation, body = self._envelope(port, name, *args, **kwargs)
        return self._send(operation, body, action=action, idempotent=True)

    def _create(self, source: UploadSource, progress: ProgressCallback | None, **kwargs: Any) -> Any:
        marker = b"caseclient:" + uuid.uuid4().bytes  # its base64 occurs once in the envelope
        operation, body = self._envelope("MainDocumentService7", "CreateMainDocument", XMLBinary=marker, **kwargs)
        head, found, tail = body.partition(base64.b64encode(marker))
        if not found or found in tail:
            raise Transient("caseclient could not place the file in Acadre's CreateMainDocument envelope.")
        return self._send(operation, _Envelope(head, source, tail, progress), idempotent=False,
                          action=f"filing {shown_name(source.filename)}")

    def _send(self, operation: Any, body: Any, *, action: str, idempotent: bool) -> Any:
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{operation.soapaction}"'}
        try:
            response = self.http.session.post(self.address, data=body, headers=headers, timeout=self.http.timeout)
        except requests.RequestException as exc:
            raise self.http.error_for_exception(exc, action=action, idempotent=idempotent) from None
        with response:
            try:
                content = response.content
            except requests.RequestException as exc:
                raise self.http.error_for_exception(exc, action=action, idempotent=idempotent) from None
            fault = _fault(content) if response.status_code == 500 or b"Fault" in content[:2048] else None
            if fault is not None:
                raise self._fault_error(*fault, action=action, status=response.status_code)
            if response.status_code >= 300:
                raise self.http.error_for_response(response, action=action)
            try:
                document = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
                return operation.process_reply(document)
            except Exception as exc:  # zeep raises its own and lxml's errors for an unreadable answer
                raise Transient(f"Acadre at {self.http.host} answered {action} with something that is not "
                                "a SOAP answer; it may be misconfigured or behind a proxy page.",
                                status=response.status_code, detail=type(exc).__name__) from None

    def _fault_error(self, code: str, text: str, error_code: str | None, *, action: str, status: int) -> BackendError:
        kind = self._error_type(error_code) if error_code else None
        detail = redact_cprs(f"{kind or code}: {text}"[:300])
        kw = {"status": status, "detail": detail}
        where = f"Acadre at {self.http.host}"
        if kind in NOT_FOUND:
            return NotFound(f"{where} found nothing while {action}.", **kw)
        if kind == CLOSED:
            return Conflict(f"{where} refused {action}: the case is closed.", **kw)
        if kind in LOCKED:
            return Locked(f"{where} refused {action}: the document is locked or checked out.", **kw)
        if kind in AUTH:
            return AuthError(f"{where} refused access while {action}; check the login and the acting user's rights.", **kw)
        if kind == DUPLICATE:
            return Duplicate(f"{where} refused {action}: the name is already in use.", **kw)
        if kind in TRANSIENT or (kind is None and code.endswith("Server")):
            return Transient(f"{where} failed while {action} (a server fault); try again later.", **kw)
        if kind is None or kind.startswith(("System_Argument", "System_Format", "System_Xml", "System_InvalidCast",
                                            "System_Data_Constraint", "System_NotSupported")) or "Model" in kind:
            return ValidationFailed(f"{where} refused {action} as invalid.", **kw)
        return Transient(f"{where} failed while {action} ({kind}); try again later.", **kw)

    def _error_type(self, code: str) -> str | None:
        """The ErrorListEnum value of a fault's ErrorCode, asked of GetErrorType once per code."""
        with self._lock:
            if code in self._error_types:
                return self._error_types[code]
        try:
            kind = self._call("ConfigurationService7", "GetErrorType", code, action="reading the kind of an error")
        except BackendError:
            kind = None
        kind = str(kind) if kind else code.replace(".", "_")
        with self._lock:
            self._error_types[code] = kind
        return kind


def _transport(service: AcadreService) -> Any:
    """zeep's document loading through the service's session and error mapping. ASMX writes the
    address it was reached at into its WSDL; behind a proxy that is an inside name, so every
    `?wsdl`/`?schema=` link of the endpoint is read from the configured address instead."""
    from zeep.transports import Transport

    class _Transport(Transport):
        def load(self, url: str) -> bytes:
            path, _, query = url.partition("?")
            if path.lower().endswith(".asmx") and query:
                url = f"{service.address}?{query}"
            action = "reading its WSDL"
            try:
                response = service.http.session.get(url, timeout=service.http.timeout)
            except requests.RequestException as exc:
                raise service.http.error_for_exception(exc, action=action, idempotent=True) from None
            with response:
                if response.status_code >= 300:
                    raise service.http.error_for_response(response, action=action)
                return response.content

    return _Transport(session=service.http.session, timeout=service.http.timeout[1])


class _Envelope:
    """The CreateMainDocument envelope with the file's base64 streamed from disk in the middle:
    iterable, with a length (requests sends it with a Content-Length)."""

    def __init__(self, head: bytes, source: UploadSource, tail: bytes, progress: ProgressCallback | None) -> None:
        self.head, self.source, self.tail, self.progress = head, source, tail, progress
        self.encoded = 4 * ((source.size + 2) // 3)

    def __len__(self) -> int:
        return len(self.head) + self.encoded + len(self.tail)

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        name = shown_name(self.source.filename)
        try:
            file = open(self.source.path, "rb", buffering=0)  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"Cannot read {name}: {exc.strerror or exc}.") from None
        sent = 0
        with file:
            left = self.source.size
            while left:
                block = file.read(min(left, BLOCK))
                if not block:
                    raise InputError(f"{name} changed while it was being sent (it shrank); file it again.")
                left -= len(block)
                yield base64.b64encode(block)
                sent += len(block)
                if self.progress:
                    self.progress(sent, self.source.size)
            if file.read(1):
                raise InputError(f"{name} changed while it was being sent (it grew); file it again.")
        if self.progress and not self.source.size:
            self.progress(0, 0)
        yield self.tail


def _reference(value: str, what: str) -> int:
    text = value.strip()
    if not text.isdigit():
        raise NotFound(f"Acadre has no {what} {redact_cprs(text)!r}; its {what} ids are numbers.")
    return int(text)


def _fault(content: bytes) -> tuple[str, str, str | None] | None:
    """(faultcode, faultstring, ErrorCode) of a SOAP 1.1 fault, or None."""
    try:
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return None
    fault = root.find(f"{{{SOAP_NS}}}Body/{{{SOAP_NS}}}Fault")
    if fault is None:
        return None
    code = (fault.findtext("faultcode") or "").strip()
    text = " ".join((fault.findtext("faultstring") or "").split())
    error_code = None
    detail = fault.find("detail")
    if detail is not None:
        for element in detail.iter():
            if isinstance(element.tag, str) and etree.QName(element).localname == "ErrorCode" and element.text:
                error_code = element.text.strip()
                break
    return code, text, error_code
