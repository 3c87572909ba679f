"""The `nova` backend: KMD Nova's REST API (shared docs/backends.md 0b and 4b).

Every request carries `?api-version=` (`2.0-Case` by default, `1.0-Case` on some installations:
a constructor option, or `?api-version=...` on the configured service address) and every JSON body
a `common{transactionId, uuid}` block. Cases are found with `PUT api/Case/GetList` (criteria,
`paging{startRow,numberOfRows}` from row 1 and at most 500 rows, and the output selection
`caseGetOutput`: Nova answers only the fields asked for), documents listed with
`PUT api/Document/GetList` per case, and files read with `PUT api/Document/GetFile`, streamed.

Filing has two phases: `POST api/Document/UploadFile/{transactionId}/{documentUuid}` (the file,
multipart, streamed from disk) and `POST api/Document/Import` (the metadata, naming the case).
The client chooses the document uuid, and it is the idempotency: the uuid and the transaction id
follow from the caller's idempotency key (uuid5), and the case and the phase are written to the
ResumeState before each phase. What Nova does with a second Import of the same uuid, or with an
upload that was never imported, is not known; so a later attempt first looks the uuid up on the
case (Document/GetList) and imports only when it is not there, takes a refused second Import (409)
as "look again", and uploads the file again when Nova no longer has it. A file over 1 MiB is sent
only to a case read first (unknown and closed cases fail before any byte goes out); a smaller one
is filed in the two requests alone, Import refusing an unknown or closed case itself.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO
from urllib.parse import parse_qs, urlsplit, urlunsplit

import requests

from ..domain import (
    CHUNK,
    AuthError,
    BackendError,
    Case,
    Conflict,
    Cpr,
    Cvr,
    Direction,
    DocumentMetadata,
    DocumentRef,
    NotFound,
    NotSupported,
    Party,
    PartyRole,
    RateLimited,
    Sensitivity,
    TooLarge,
    Transient,
    UploadSource,
    ValidationFailed,
    redact_cprs,
)
from .http import DEFAULT_TIMEOUT, NotADocumentService, ServiceHttp
from .multipart import FileField, MultipartBody
from .protocol import Capability, CaseQuery, ProgressCallback, ResumeState
from .values import iso_date, party_in_text, shown_name

log = logging.getLogger(__name__)

DEFAULT_API_VERSION = "2.0-Case"
CASE_LIST = "api/Case/GetList"
DOCUMENT_LIST = "api/Document/GetList"
DOCUMENT_FILE = "api/Document/GetFile"
UPLOAD_FILE = "api/Document/UploadFile/{transaction}/{document}"
IMPORT = "api/Document/Import"

MAX_ROWS = 500  # Case/GetList's numberOfRows is 1-500
CHECK_CASE_ABOVE = 1024 * 1024  # bytes: a bigger file is sent only to a case read first
NAMESPACE = uuid.UUID("8a4b1f7e-5c2d-4e9a-b3f6-0d7c9e1a2b45")

STATE_DOCUMENT = "nova.document_uuid"  # the client-chosen document uuid
STATE_TRANSACTION = "nova.transaction_id"
STATE_CASE = "nova.case_uuid"  # the case the document goes to, written before the upload
STATE_PHASE = "nova.phase"  # uploading -> uploaded -> importing -> imported
UPLOADING, UPLOADED, IMPORTING, IMPORTED = "uploading", "uploaded", "importing", "imported"

SENSITIVITY = {
    Sensitivity.NORMAL: "IkkeFortrolige",
    Sensitivity.CONFIDENTIAL: "Fortrolige",
    Sensitivity.SENSITIVE: "Følsomme",
    Sensitivity.SPECIAL: "SærligFølsomme",
}
DOCUMENT_TYPE = {Direction.INCOMING: "Indgående", Direction.OUTGOING: "Udgående", Direction.INTERNAL: "Internt"}
CLOSED_PROGRESS = frozenset({"afsluttet"})
INACTIVE_CODES = frozenset({"inaktiv", "inactive", "afsluttet", "lukket"})

# Everything the backend reads of a case (Nova answers only the fields asked for).
CASE_OUTPUT: dict[str, Any] = {
    "caseAttributes": {"title": True, "userFriendlyCaseNumber": True, "caseDate": True},
    "state": {"activeCode": True, "progressState": True},
    "caseParty": {"identificationType": True, "identification": True, "participantRole": True, "name": True},
    "caseClassification": {"kleNumber": {"code": True}, "proceedingFacet": {"code": True}},
    "caseworker": {"kspIdentity": {"novaUserId": True, "racfId": True, "fullName": True},
                   "losIdentity": {"novaUnitId": True, "administrativeUnitId": True, "fullName": True}},
}
DOCUMENT_OUTPUT = {"title": True, "sensitivity": True, "documentType": True, "description": True,
                   "approved": True, "documentDate": True, "fileExtension": True}

_KLE = re.compile(r"^\d\d(\.\d\d){0,2}\.?$")
_NUMBER_START = re.compile(r"^(S\d|\d)", re.IGNORECASE)  # `S2024-00012` (or an installation's digits)
_URL = re.compile(r"\S*https?://\S+")
_CPR_LIKE = re.compile(r"\b(\d{6})-?\d{4}\b")


def document_uuid_for(idempotency_key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"document:{idempotency_key}"))


def transaction_id_for(idempotency_key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"transaction:{idempotency_key}"))


class NovaService:
    """A DocumentService over KMD Nova. The session carries the sign-in: a bearer token from
    KMD's Keycloak realm NovaIntegration (`auth.mode = oauth2_client_credentials`, `auth.token_url
    = https://novaauth.kmd.dk/realms/NovaIntegration/protocol/openid-connect/token`, `auth.scope =
    client`)."""

    name = "nova"
    max_upload_bytes: int | None = None

    def __init__(
        self,
        base_url: str,
        session: requests.Session | None = None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        api_version: str | None = None,
        max_upload_bytes: int | None = None,
        security_unit: tuple[int, str] | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        configured = parse_qs(parts.query).get("api-version", [None])[0]  # `...?api-version=1.0-Case`
        base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")).rstrip("/")
        if base.lower().endswith("/api"):  # the API's own root given as the address
            base = base[:-4]
        self.api_version = api_version or configured or DEFAULT_API_VERSION
        self.http = ServiceHttp(base, session, timeout=timeout, service_name="KMD Nova")
        self.max_upload_bytes = max_upload_bytes
        self.security_unit = security_unit  # (administrativeUnitId, fullName) sent with every Import
        self.capabilities = (
            Capability.SEARCH_FULLTEXT | Capability.SEARCH_BY_PARTY | Capability.SEARCH_BY_CASEWORKER
            | Capability.LIST_DOCUMENTS | Capability.READ_CONTENT | Capability.DOC_SENSITIVITY
        )
        self._lock = threading.Lock()
        self._units: set[str] = set()  # caseworker ids seen to be units (losIdentity), not users
        self._users: set[str] = set()  # ... and to be users (kspIdentity)

    # --- cases ---------------------------------------------------------------------------

    def search_cases(self, query: CaseQuery) -> list[Case]:
        if query.limit <= 0:
            return []
        found = self._search(query)
        worker = _uuid_or_none(query.caseworker)
        if not found and worker is not None:
            with self._lock:
                unknown = worker not in self._users and worker not in self._units
                if unknown:  # a uuid no answer has shown yet: it may be a unit's (novaUnitId)
                    self._units.add(worker)
            if unknown:
                found = self._search(query)
                if not found:
                    with self._lock:
                        self._units.discard(worker)
        return found

    def _search(self, query: CaseQuery) -> list[Case]:
        alternatives = self._search_alternatives(query)
        keep_closed = query.include_closed

        def wanted(case: Case, check: Callable[[Case], bool]) -> bool:
            return (keep_closed or not case.closed) and check(case)

        if len(alternatives) == 1:
            criteria, check, exact = alternatives[0]
            if exact and keep_closed:  # the server's rows are the answer: page by startRow
                return [c for c in map(self._case, self._rows(criteria, query.offset, query.limit)) if check(c)]
            found = (case for case in map(self._case, self._rows(criteria, 0, None)) if wanted(case, check))
            return _slice(found, query.offset, query.limit)
        goal = query.offset + query.limit
        merged: dict[str, Case] = {}
        for criteria, check, _exact in alternatives:
            for case in map(self._case, self._rows(criteria, 0, None)):
                if wanted(case, check):
                    merged.setdefault(case.id, case)
                    if len(merged) >= goal:
                        return list(merged.values())[query.offset:goal]
        return list(merged.values())[query.offset:goal]

    def _search_alternatives(self, query: CaseQuery) -> list[tuple[dict[str, Any], Callable[[Case], bool], bool]]:
        """One GetList per way the query may be meant, each with the check its rows must pass
        and whether the server's criteria alone decide (then startRow pages exactly)."""
        base: dict[str, Any] = {}
        checks: list[Callable[[Case], bool]] = []
        attributes: dict[str, str] = {}
        if query.case_number:
            number = query.case_number.strip()
            attributes["userFriendlyCaseNumber"] = number
            checks.append(_number_check(number))
        if query.party:
            base["caseParty"] = _party_criterion(query.party)
        if query.caseworker:
            base["caseworker"] = self._caseworker_criterion(query.caseworker)
        title_words = (query.title or "").split()
        text = (query.text or "").strip()
        party = _party_criterion(found) if (found := party_in_text(text)) else None
        variants: list[tuple[dict[str, Any], list[str], list[Callable[[Case], bool]]]] = []
        if party is not None:
            variants.append(({**base, "caseParty": party}, title_words, []))
        elif text:
            first, _, rest = text.partition(" ")
            if not query.case_number and _NUMBER_START.match(first):
                number = first.rstrip("*") + "*"
                variants.append(({**base, "caseAttributes": {"userFriendlyCaseNumber": number}},
                                 title_words + rest.split(), [_number_check(number)]))
            if _KLE.match(first):
                code = first.rstrip(".*") + "*"
                variants.append(({**base, "caseClassification": {"kleNumber": {"code": code}}},
                                 title_words + rest.split(), [_kle_check(code)]))
            variants.append((dict(base), title_words + text.split(), []))
        else:
            variants.append((dict(base), title_words, []))
        alternatives = []
        for criteria, words, own in variants:
            criteria = dict(criteria)
            wanted_attributes = dict(attributes, **criteria.pop("caseAttributes", {}))
            if words:
                # Nova takes one title text; the longest word narrows, every word is checked here.
                wanted_attributes["title"] = max(words, key=len)
                own = [*own, _title_check(words)]
            if wanted_attributes:
                criteria["caseAttributes"] = wanted_attributes
            all_checks = [*checks, *own]
            # Exact: the server's criteria are the checks themselves, so its rows page by startRow.
            exact = all(getattr(c, "exact", False) for c in all_checks)
            alternatives.append((criteria, _all(all_checks), exact))
        return alternatives

    def _rows(self, criteria: dict[str, Any], start: int, count: int | None) -> Iterator[dict[str, Any]]:
        """Rows start..start+count of a search (all from `start` when count is None), in pages."""
        size = MAX_ROWS if count is None else max(1, min(MAX_ROWS, count))
        row = start + 1  # Nova counts rows from 1
        left = count
        while left is None or left > 0:
            ask = size if left is None else min(size, left)
            cases, _total = self._case_page(criteria, row, ask)
            for case in cases:
                yield case
            if left is not None:
                left -= len(cases)
            row += len(cases)
            # Not `pagingInformation.numberOfRows`: whether it counts the page or every match is
            # not known. A short page is the end.
            if len(cases) < ask:
                return

    def _case_page(self, criteria: dict[str, Any], start_row: int, rows: int,
                   case_uuid: str | None = None) -> tuple[list[dict[str, Any]], int | None]:
        common: dict[str, Any] = {"transactionId": str(uuid.uuid4())}
        if case_uuid:
            common["uuid"] = case_uuid
        body = {"common": common, "paging": {"startRow": start_row, "numberOfRows": rows}, **criteria,
                "caseGetOutput": CASE_OUTPUT}
        answer = self._json("PUT", CASE_LIST, action="searching cases", json=body)
        found = _field(answer, "cases")
        paging = _field(answer, "pagingInformation")
        total = _field(paging, "numberOfRows")
        return ([c for c in found if isinstance(c, dict)] if isinstance(found, list) else [],
                total if isinstance(total, int) and not isinstance(total, bool) else None)

    def get_case(self, case_id: str) -> Case:
        """One case by its uuid: a GetList with `common.uuid` (unverified that Nova narrows a list
        by it; a row with another uuid is not taken for the case)."""
        value = _uuid(case_id, "case")
        rows, _total = self._case_page({}, 1, 1, case_uuid=value)
        row = next((r for r in rows if str(_field(_field(r, "common"), "uuid") or "").lower() == value), None)
        if row is None:
            raise NotFound(f"KMD Nova has no case {value}.")
        return self._case(row)

    def find_case_by_number(self, number: str) -> Case:
        wanted = number.strip()
        if wanted and "*" not in wanted:
            criteria = {"caseAttributes": {"userFriendlyCaseNumber": wanted}}
            for row in self._rows(criteria, 0, 20):
                case = self._case(row)
                if case.number.casefold() == wanted.casefold():
                    return case
        raise NotFound(f"No case in KMD Nova has the number {redact_cprs(wanted)!r}.")

    def _caseworker_criterion(self, value: str) -> dict[str, Any]:
        """A user by novaUserId (a uuid) or RACF id, a unit by novaUnitId or its administrative
        unit id (digits); a uuid seen as a unit's in earlier answers is searched as a unit."""
        value = value.strip()
        try:
            ident = str(uuid.UUID(value))
        except ValueError:
            ident = None
        if ident is not None:
            with self._lock:
                unit = ident in self._units
            return {"losIdentity": {"novaUnitId": ident}} if unit else {"kspIdentity": {"novaUserId": ident}}
        if value.isdigit():
            return {"losIdentity": {"administrativeUnitId": int(value)}}
        return {"kspIdentity": {"racfId": value}}

    def _case(self, row: dict[str, Any]) -> Case:
        attributes = _field(row, "caseAttributes") or {}
        state = _field(row, "state") or {}
        classification = _field(row, "caseClassification") or {}
        worker = _field(row, "caseworker") or {}
        user, unit = _field(worker, "kspIdentity"), _field(worker, "losIdentity")
        caseworker = None
        if isinstance(user, dict):
            caseworker = _field(user, "novaUserId") or _field(user, "racfId")
            if _field(user, "novaUserId"):
                with self._lock:
                    self._users.add(str(caseworker).lower())
        elif isinstance(unit, dict):
            caseworker = _field(unit, "novaUnitId") or _field(unit, "administrativeUnitId")
            if caseworker:
                with self._lock:
                    self._units.add(str(caseworker).lower())
        progress = str(_field(state, "progressState") or "")
        active = str(_field(state, "activeCode") or "")
        return Case(
            id=str(_field(_field(row, "common"), "uuid") or ""),
            number=str(_field(attributes, "userFriendlyCaseNumber") or ""),
            title=str(_field(attributes, "title") or ""),
            status=progress or active or None,
            caseworker=str(caseworker) if caseworker not in (None, "") else None,
            kle=_field(_field(classification, "kleNumber"), "code") or None,
            kle_facet=_field(_field(classification, "proceedingFacet"), "code") or None,
            parties=_parties(row),
            closed=progress.casefold() in CLOSED_PROGRESS or active.casefold() in INACTIVE_CODES,
        )

    # --- documents -----------------------------------------------------------------------

    def list_documents(self, case_id: str) -> list[DocumentRef]:
        value = _uuid(case_id, "case")
        return [self._document_ref(row, value) for row in self._documents(value)]

    def _documents(self, case_uuid: str) -> list[dict[str, Any]]:
        body = {"common": {"transactionId": str(uuid.uuid4())}, "caseUuid": case_uuid, "getOutput": DOCUMENT_OUTPUT}
        try:
            answer = self._json("PUT", DOCUMENT_LIST, action=f"listing the documents of case {case_uuid}", json=body)
        except NotFound as error:
            raise NotFound(f"KMD Nova has no case {case_uuid}.", status=error.status, detail=error.detail) from None
        rows = _field(answer, "documents") if isinstance(answer, dict) else answer
        return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []

    def read_content(self, document_id: str, sink: BinaryIO) -> int:
        value = _uuid(document_id, "document")
        action = f"reading the file of document {value}"
        body = {"common": {"transactionId": str(uuid.uuid4()), "uuid": value}, "checkOutDocument": False}
        response = self._request("PUT", DOCUMENT_FILE, action=action, json=body, stream=True)
        written = 0
        with response:
            try:
                for block in response.iter_content(CHUNK):
                    sink.write(block)
                    written += len(block)
            except requests.RequestException as exc:
                raise self.http.error_for_exception(exc, action=action, idempotent=True) from None
        return written

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
        earlier_phase = state.get(STATE_PHASE)
        document = state.get(STATE_DOCUMENT) or document_uuid_for(idempotency_key)
        transaction = state.get(STATE_TRANSACTION) or transaction_id_for(idempotency_key)
        case = _uuid(case_id, "case")
        if earlier_phase is not None:
            earlier = self._earlier_upload(document, state)
            if earlier is not None:
                return self._landed(earlier, case, source, progress)
        if source.size > CHECK_CASE_ABOVE:
            # A big file waits for the case to be read: an unknown or closed case fails here,
            # before any byte is sent. A small one goes first: Import refuses an unknown case
            # (404) or a closed one (409) itself, and one request fewer is worth more.
            found = self.get_case(case)
            if found.closed:
                raise Conflict(f"Case {found.number or found.id} is closed in KMD Nova, which files nothing on a closed case.")
        if self.max_upload_bytes is not None and source.size > self.max_upload_bytes:
            raise TooLarge(f"{shown_name(source.filename)} is larger than KMD Nova accepts.")
        if state.get(STATE_CASE) != case:
            # Derivable from the key, or harmless to lose: a lost note means one more upload.
            state.put(STATE_DOCUMENT, document, durable=False)
            state.put(STATE_TRANSACTION, transaction, durable=False)
            state.put(STATE_CASE, case, durable=False)
        uploaded = earlier_phase in (UPLOADED, IMPORTING)
        if not uploaded:
            self._upload_file(document, transaction, source, state, progress)
        elif progress:
            progress(source.size, source.size)
        try:
            self._import(document, transaction, case, source, metadata, state)
        except ValidationFailed:
            if not uploaded:
                raise
            # Nova no longer has the earlier attempt's file (or never took it): send it again.
            log.info("KMD Nova refused an import of an earlier upload; the file is sent again")
            self._upload_file(document, transaction, source, state, progress)
            self._import(document, transaction, case, source, metadata, state)
        except Conflict:
            earlier = self._earlier_upload(document, state)
            if earlier is not None:
                return self._landed(earlier, case, source, progress)
            found = self.get_case(case)
            if found.closed:
                raise Conflict(f"Case {found.number or found.id} is closed in KMD Nova, which files nothing on a "
                               "closed case.") from None
            raise
        state.put(STATE_PHASE, IMPORTED, durable=False)
        return DocumentRef(
            id=document, case_id=case, title=_title(metadata), filename=source.filename, size=source.size,
            mime_type=source.mime_type, document_date=metadata.document_date, direction=metadata.direction,
            extra={"transaction_id": transaction},
        )

    def find_upload(self, idempotency_key: str, state: ResumeState) -> DocumentRef | None:
        if not state.get(STATE_CASE):
            return None  # no attempt got as far as sending
        document = state.get(STATE_DOCUMENT) or document_uuid_for(idempotency_key)
        return self._earlier_upload(document, state)

    def upload_to_inbox(
        self,
        source: UploadSource,
        metadata: DocumentMetadata,
        *,
        idempotency_key: str,
        state: ResumeState,
        progress: ProgressCallback | None = None,
    ) -> DocumentRef:
        raise NotSupported("KMD Nova files documents on a case only; it has no inbox for documents without a case.")

    def _earlier_upload(self, document: str, state: ResumeState) -> DocumentRef | None:
        """The document with this uuid on the case an earlier attempt sent it to (Document/GetList)."""
        case_uuid = state.get(STATE_CASE)
        if not case_uuid:
            return None
        for row in self._documents(case_uuid):
            if str(_field(row, "documentUuid") or "").lower() == document:
                state.put(STATE_PHASE, IMPORTED, durable=False)
                return self._document_ref(row, case_uuid, already_existed=True)
        return None

    def _landed(self, earlier: DocumentRef, case: str, source: UploadSource,
                progress: ProgressCallback | None) -> DocumentRef:
        if earlier.case_id != case:
            raise Conflict("An earlier attempt filed this document on another case in KMD Nova; it was not filed twice.")
        if progress:
            progress(source.size, source.size)
        return earlier

    def _upload_file(self, document: str, transaction: str, source: UploadSource, state: ResumeState,
                     progress: ProgressCallback | None) -> None:
        """Phase 1: the file, streamed in a multipart body (part `file`)."""
        state.put(STATE_PHASE, UPLOADING, durable=False)  # an unknown outcome only means sending again
        body = MultipartBody([], [FileField("file", source.path, source.filename, source.mime_type, source.size)],
                             progress=progress)
        action = f"sending {shown_name(source.filename)}"
        try:
            self._request("POST", UPLOAD_FILE.format(transaction=transaction, document=document), action=action,
                          data=body, headers={"Content-Type": body.content_type, "Accept": "*/*"}).close()
        except Conflict:
            # Nova already holds a file (or a document) under this uuid: the import decides.
            log.info("KMD Nova already holds a file for this document; going on to the import")
        if progress and source.size == 0:
            progress(0, 0)
        state.put(STATE_PHASE, UPLOADED, durable=False)

    def _import(self, document: str, transaction: str, case: str, source: UploadSource,
                metadata: DocumentMetadata, state: ResumeState) -> None:
        """Phase 2: the metadata, which puts the uploaded file on the case. Written durably
        before: after this call no attempt may import without looking first."""
        state.put(STATE_PHASE, IMPORTING)
        body = self._import_body(document, transaction, case, metadata)
        self._request("POST", IMPORT, action=f"filing {shown_name(source.filename)}", idempotent=False, json=body).close()

    def _import_body(self, document: str, transaction: str, case: str, metadata: DocumentMetadata) -> dict[str, Any]:
        body: dict[str, Any] = {
            "common": {"transactionId": transaction, "uuid": document},
            "caseUuid": case,
            "title": _title(metadata),
            "sensitivity": SENSITIVITY[metadata.sensitivity],
            "documentDate": f"{metadata.document_date.isoformat()}T00:00:00",
            "documentType": DOCUMENT_TYPE[metadata.direction],
            "approved": metadata.finalize,
            "accessToDocuments": True,
            # unverified: acceptReceived marks an incoming document as received (kvitteret);
            # outgoing and internal documents are not received from anyone.
            "acceptReceived": metadata.direction is Direction.INCOMING,
        }
        if metadata.description.strip():
            body["description"] = metadata.description.strip()
        party = _document_party(metadata)
        if party is not None:
            body["documentParty"] = party
        if self.security_unit is not None:
            body["securityUnit"] = {"losIdentity": {"administrativeUnitId": self.security_unit[0],
                                                    "fullName": self.security_unit[1]}}
        return body

    def _document_ref(self, row: dict[str, Any], case_id: str, *, already_existed: bool = False) -> DocumentRef:
        title = str(_field(row, "title") or "")
        extension = str(_field(row, "fileExtension") or "").lstrip(".")
        kind = str(_field(row, "documentType") or "").casefold()
        direction = next((d for d, name in DOCUMENT_TYPE.items() if name.casefold() == kind), None)
        number = _field(row, "documentNumber")
        return DocumentRef(
            id=str(_field(row, "documentUuid") or ""),
            case_id=case_id,
            title=title,
            filename=f"{title}.{extension}" if extension and title else None,
            document_date=iso_date(_field(row, "documentDate")),
            direction=direction,
            already_existed=already_existed,
            extra={"number": str(number)} if number else {},
        )

    # --- HTTP ------------------------------------------------------------------------------

    def _request(self, method: str, path: str, *, action: str, params: dict[str, str] | None = None,
                 **kwargs: Any) -> requests.Response:
        """One request with `api-version`; a refusal is one sentence of our own with, at most, a
        short hint from Nova's answer (no address, CPR numbers masked)."""
        try:
            return self.http.request(method, path, action=action,
                                     params={**(params or {}), "api-version": self.api_version}, **kwargs)
        except (AuthError, RateLimited, Transient, TooLarge, NotADocumentService):
            raise
        except BackendError as error:
            if error.status is None:
                raise
            hint = _hint(error.detail or "")
            said = f" (KMD Nova said: {hint})" if hint else ""
            where = f"KMD Nova at {self.http.host}"
            if isinstance(error, NotFound):
                raise NotFound(f"{where} found nothing while {action}{said}.", status=error.status,
                               detail=error.detail) from None
            if isinstance(error, Conflict):
                raise Conflict(f"{where} refused {action} as a conflict{said}.", status=error.status,
                               detail=error.detail) from None
            if isinstance(error, ValidationFailed) and type(error) is ValidationFailed:
                raise ValidationFailed(f"{where} refused {action}{said}.", status=error.status,
                                       detail=error.detail) from None
            raise

    def _json(self, method: str, path: str, *, action: str, **kwargs: Any) -> Any:
        with self._request(method, path, action=action, **kwargs) as response:
            return self.http.json(response, action=action)


# --- criteria ----------------------------------------------------------------------------------

def _exact(check: Callable[[Case], bool]) -> Callable[[Case], bool]:
    check.exact = True  # type: ignore[attr-defined]  # the server's own criterion decides as well
    return check


def _number_check(number: str) -> Callable[[Case], bool]:
    """`S2024-00012` must match whole; a trailing `*` makes it a prefix."""
    folded = number.rstrip("*").casefold()
    if number.endswith("*"):
        return _exact(lambda case: case.number.casefold().startswith(folded))
    return _exact(lambda case: case.number.casefold() == folded)


def _kle_check(code: str) -> Callable[[Case], bool]:
    prefix = code.rstrip("*")
    return _exact(lambda case: (case.kle or "").startswith(prefix))


def _title_check(words: list[str]) -> Callable[[Case], bool]:
    folded = [w.casefold() for w in words]
    check = lambda case: all(w in case.title.casefold() for w in folded)  # noqa: E731
    return _exact(check) if len(words) == 1 else check


def _all(checks: list[Callable[[Case], bool]]) -> Callable[[Case], bool]:
    return lambda case: all(check(case) for check in checks)


def _slice(cases: Iterator[Case], offset: int, limit: int) -> list[Case]:
    found: list[Case] = []
    for n, case in enumerate(cases):
        if n >= offset:
            found.append(case)
            if len(found) >= limit:
                break
    return found


def _party_criterion(party: Party) -> dict[str, str]:
    if party.cpr:
        return {"identificationType": "CprNummer", "identification": party.cpr.digits}  # no hyphen
    if party.cvr:
        return {"identificationType": "CvrNummer", "identification": party.cvr.digits}
    raise ValidationFailed("A party search in KMD Nova needs a CPR or CVR number.")


def _document_party(metadata: DocumentMetadata) -> dict[str, str] | None:
    """The first party of the document with a CPR or CVR number, as `documentParty`."""
    for party in (*metadata.parties, metadata.sender, *metadata.recipients):
        if party is not None and (party.cpr or party.cvr):
            return _party_criterion(party)
    return None


# --- reading answers -----------------------------------------------------------------------------

def _field(obj: Any, name: str) -> Any:
    """A property in any casing (ASP.NET writes camelCase; a proxy or version may not)."""
    if not isinstance(obj, dict):
        return None
    if name in obj:
        return obj[name]
    folded = name.casefold()
    return next((v for k, v in obj.items() if isinstance(k, str) and k.casefold() == folded), None)


def _parties(row: dict[str, Any]) -> tuple[Party, ...]:
    found: dict[tuple, Party] = {}
    for party in _field(row, "caseParties") or []:
        if not isinstance(party, dict):
            continue
        kind = str(_field(party, "identificationType") or "")
        ident = str(_field(party, "identification") or "").replace("-", "").strip()
        name = _field(party, "name")
        role = PartyRole.PRIMARY if str(_field(party, "participantRole") or "").casefold().startswith("prim") \
            else PartyRole.INVOLVED
        cpr = cvr = None
        try:
            if kind == "CprNummer":
                cpr = Cpr(ident)
            elif kind == "CvrNummer":
                cvr = Cvr(ident)
        except ValueError:
            pass
        if not (cpr or cvr or name):
            continue
        value = Party(name=str(name) if name else None, cpr=cpr, cvr=cvr, role=role)
        found.setdefault((cpr, cvr) if (cpr or cvr) else (value.name,), value)
    return tuple(found.values())


def _uuid(value: str, what: str) -> str:
    try:
        return str(uuid.UUID(value.strip()))
    except (ValueError, AttributeError):
        raise NotFound(f"KMD Nova has no {what} {redact_cprs(str(value))!r}; its {what} ids are uuids.") from None


def _uuid_or_none(value: str | None) -> str | None:
    try:
        return str(uuid.UUID((value or "").strip()))
    except ValueError:
        return None


def _title(metadata: DocumentMetadata) -> str:
    return " ".join(metadata.title.split())[:250]


def _hint(text: str) -> str:
    """The gist of Nova's explanation: a problem's `detail` or validation `errors`, or an API
    versioning `error.message`; one line, no address, CPR numbers masked, at most 120 characters."""
    try:
        body = json.loads(text)
    except ValueError:
        return ""
    if not isinstance(body, dict):
        return ""
    parts: list[str] = []
    error = body.get("error")
    if isinstance(error, dict) and error.get("message"):
        parts.append(str(error["message"]))
    if body.get("detail"):
        parts.append(str(body["detail"]))
    errors = body.get("errors")
    if isinstance(errors, dict):
        for messages in errors.values():
            parts += [str(m) for m in (messages if isinstance(messages, list) else [messages])]
    hint = " ".join(_URL.sub("", redact_cprs(" ".join(parts))).split())
    hint = _CPR_LIKE.sub(r"\1-xxxx", hint)
    if len(hint) > 120:
        hint = hint[:120].rsplit(" ", 1)[0] + " …"
    return hint.rstrip(".")
