"""The `sbsys` backend: SBSYS's Web API, as reached through SBSIP (shared docs/backends.md 0b, 2).

Cases are found with `POST /api/sag/search` (criteria and paging in the body; the answer
`{"Results": [...], "TotalNumberOfResults": n}`), read with `GET /api/sag/{id}`, and their
documents listed with `GET /api/sag/{id}/dokumenter`. A document holds files; a file is read by
its own id (`GET /api/fil/{filId}`). Filing is one multipart `POST /api/dokument/journaliser`: the
file in part `file` and the metadata DTO as a JSON string in part `json`, streamed from disk.

SBSYS has no server-side idempotency, so filing is exactly-once by search-before-create: the DTO
carries the caller's idempotency key as `Eksternid`; before the POST the case id is written to the
ResumeState (durably); any later attempt with a non-empty state first lists the case's documents
for that `Eksternid`, and files again only when no earlier attempt landed.

Status ids and DokumentArt ids differ per installation: both are read from the installation (once
per service) and never hard-coded. Property names are read in any casing (the API's DTOs are not
consistent: `PrimaryPart.CPRnummer` but `Personer[].CprNummer`, `EksternId` back for `Eksternid`).
"""

from __future__ import annotations

from dataclasses import replace

import json
import logging
import mimetypes
import re
import threading
import uuid
from collections.abc import Iterator
from typing import Any, BinaryIO

import requests

from ..domain import (
    CHUNK,
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
    Sensitivity,
    TooLarge,
    Transient,
    UploadSource,
    ValidationFailed,
    redact_cprs,
)
from .http import DEFAULT_TIMEOUT, NotADocumentService, ServiceHttp
from .multipart import FileField, MultipartBody, TextField
from .protocol import Capability, CaseQuery, ProgressCallback, ResumeState
from .values import iso_date, iso_datetime, party_in_text, shown_name

log = logging.getLogger(__name__)

SEARCH = "api/sag/search"
SEARCH_PARAMS = {"InkluderParterIResultat": "true"}  # Odense's flag: persons and companies in the rows
# Two paths are seen for the status list: Odense and Ballerup read sag/sagStatusList, AAK sag/sagsstatus.
STATUS_PATHS = ("api/sag/sagStatusList", "api/sag/sagsstatus")
# unverified: where an installation lists its DokumentArt kinds (no public client reads it).
DOKUMENTART = "api/dokumentart"
JOURNALISER = "api/dokument/journaliser"
# unverified: the draft upload (Magenta's SBSIP integration posts `json` + `files` to .../api/kladde).
KLADDE = "api/kladde"

# unverified: company criteria and the caseworker criterion are named by analogy
# (`AllePersoner{CprNummer}` is seen; `AlleFirmaer{CvrNummer}` and `Behandler{...}` are not).
PERSON_CRITERION = ("AllePersoner", "CprNummer")  # any person on the case, not only the primary one
COMPANY_CRITERION = ("AlleFirmaer", "CvrNummer")
CASEWORKER_CRITERION = "Behandler"

STATE_SENT_TO = "sbsys.sent_to_case"  # the SagID, written before the journaliser POST
STATE_DOCUMENT = "sbsys.document"  # the filed document's Id, once known
STATE_DRAFT_SENT_TO = "sbsys.draft_sent_to_case"
STATE_DRAFTS_BEFORE = "sbsys.drafts_before"  # ids of same-named drafts that were there already
STATE_DRAFT = "sbsys.draft"

MAX_PAGE = 500  # cases asked for in one search request
MAX_NAME, MAX_DESCRIPTION = 200, 255  # SBSYS's Dokument.Navn and Beskrivelse columns
DIRECTION_NAMES = {
    Direction.INCOMING: ("Indgående", "Indgaaende"),
    Direction.OUTGOING: ("Udgående", "Udgaaende"),
    Direction.INTERNAL: ("Internt", "Intern", "Notat"),
}
CLOSED_STATES = frozenset({"afsluttet", "lukket", "henlagt", "arkiveret"})
_NUMBER = re.compile(r"^(?P<kle>\d\d\.\d\d\.\d\d)-(?P<facet>[A-ZÆØÅ]\d\d)\b")
_URL = re.compile(r"https?://\S+")
_CPR_LIKE = re.compile(r"\b(\d{6})-?\d{4}\b")


class SbsysService:
    """A DocumentService over the SBSYS Web API. The session carries the sign-in (a bearer token
    from SBSIP's Keycloak, `auth.mode = oauth2_password` or `oauth2_client_credentials`)."""

    name = "sbsys"
    max_upload_bytes: int | None = None

    def __init__(
        self,
        base_url: str,
        session: requests.Session | None = None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        max_upload_bytes: int | None = None,
        drafts: bool = False,
    ) -> None:
        base = base_url.rstrip("/")
        if base.lower().endswith("/api"):  # the API's own root given as the address
            base = base[:-4]
        self.http = ServiceHttp(base, session, timeout=timeout, service_name="SBSYS")
        self.max_upload_bytes = max_upload_bytes
        self.capabilities = (
            Capability.SEARCH_FULLTEXT | Capability.SEARCH_BY_PARTY | Capability.SEARCH_BY_CASEWORKER
            | Capability.LIST_DOCUMENTS | Capability.READ_CONTENT
        )
        if drafts:  # the installation offers kladde upload: documents may stay drafts
            self.capabilities |= Capability.DRAFTS
        self._lock = threading.Lock()
        self._statuses: list[dict[str, Any]] | None = None
        self._arter: list[dict[str, Any]] | None = None

    # --- cases ---------------------------------------------------------------------------

    def search_cases(self, query: CaseQuery) -> list[Case]:
        if query.limit <= 0:
            return []
        alternatives = self._search_alternatives(query)
        if not query.include_closed:
            open_ids = self._open_status_ids()
            if not open_ids:
                return []
            for criteria, _check in alternatives:
                criteria["SagsStatusIds"] = open_ids
        if len(alternatives) == 1:
            criteria, check = alternatives[0]
            rows = self._rows(criteria, query.offset, query.limit)
            return [case for case in map(self._case, rows) if check(case)][:query.limit]
        wanted = query.offset + query.limit
        found: dict[str, Case] = {}
        for criteria, check in alternatives:
            for row in self._rows(criteria, 0, wanted):
                case = self._case(row)
                if check(case):
                    found.setdefault(case.id, case)
            if len(found) >= wanted:
                break
        return list(found.values())[query.offset:wanted]

    def _search_alternatives(self, query: CaseQuery) -> list[tuple[dict[str, Any], Any]]:
        """One search per way the free text may be meant, each with the query's other criteria,
        and the check each row must pass (a number prefix is also checked here)."""
        base: dict[str, Any] = {}
        checks = []
        if query.case_number:
            number = query.case_number.strip()
            base["NummerInterval"], check = _number_interval(number.rstrip("*"), prefix=number.endswith("*"))
            checks.append(check)
        if query.party:
            base.update(_party_criterion(query.party))
        if query.caseworker:
            base[CASEWORKER_CRITERION] = _caseworker_criterion(query.caseworker)
        text = (query.text or "").strip()
        title = (query.title or "").strip()
        party = _party_criterion(found) if (found := party_in_text(text)) else None
        alternatives: list[tuple[dict[str, Any], list]] = []
        if party is not None:
            alternatives.append(({**base, **party, **_title_criteria(title)}, checks))
        else:
            first, _, rest = text.partition(" ")
            if first[:1].isdigit() and not query.case_number:  # a number prefix, maybe with title words
                interval, check = _number_interval(first.rstrip("*"), prefix=True)
                alternatives.append(({**base, "NummerInterval": interval,
                                      **_title_criteria(" ".join(filter(None, (title, rest))))}, [*checks, check]))
            alternatives.append(({**base, **_title_criteria(" ".join(filter(None, (title, text))))}, checks))
        return [(criteria, _all(checks)) for criteria, checks in alternatives]

    def _rows(self, criteria: dict[str, Any], start: int, count: int) -> Iterator[dict[str, Any]]:
        """Rows start..start+count of a search, in pages of PageNumber/PageSize."""
        size = min(count, MAX_PAGE) if start == 0 else _page_size(start, count)
        page, skip = start // size + 1, start % size
        left = count
        while left > 0:
            rows, total = self._search_page(criteria, page, size)
            for row in rows[skip:skip + left]:
                yield row
                left -= 1
            if len(rows) < size or (total is not None and page * size >= total):
                return
            page, skip = page + 1, 0

    def _search_page(self, criteria: dict[str, Any], page: int, size: int) -> tuple[list[dict[str, Any]], int | None]:
        body = {**criteria, "PageNumber": page, "PageSize": size}
        answer = self._json("POST", SEARCH, action="searching cases", params=SEARCH_PARAMS, json=body)
        if isinstance(answer, list):  # an installation that answers the rows alone
            return [r for r in answer if isinstance(r, dict)], None
        if not isinstance(answer, dict):
            return [], None
        rows = _field(answer, "Results")
        total = _field(answer, "TotalNumberOfResults")
        return ([r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else [],
                total if isinstance(total, int) else None)

    def get_case(self, case_id: str) -> Case:
        return self._case(self._sag(case_id))

    def find_case_by_number(self, number: str) -> Case:
        wanted = number.strip()
        interval, check = _number_interval(wanted, prefix=False)
        for row in self._rows({"NummerInterval": interval}, 0, 20):
            case = self._case(row)
            if check(case):
                return case
        raise NotFound(f"No case in SBSYS has the number {redact_cprs(wanted)!r}.")

    def list_documents(self, case_id: str) -> list[DocumentRef]:
        sag_id = self._sag_id(case_id)
        rows = self._documents(sag_id)
        return [self._document_ref(row, case_id) for row in rows]

    def _documents(self, sag_id: int) -> list[dict[str, Any]]:
        answer = self._json("GET", f"api/sag/{sag_id}/dokumenter", action=f"listing the documents of case {sag_id}")
        rows = _field(answer, "Results") if isinstance(answer, dict) else answer  # not paged; some wrap it
        return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []

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
        if not metadata.finalize and Capability.DRAFTS in self.capabilities:
            return self._upload_draft(case_id, source, metadata, state=state, progress=progress)
        sag = self._sag(case_id)
        sag_id = int(_field(sag, "Id"))
        earlier = self._earlier_upload(idempotency_key, state)
        if earlier is not None:
            if earlier.case_id != str(sag_id):
                raise Conflict("An earlier attempt filed this document on another case in SBSYS; it was not filed twice.")
            if progress:
                progress(source.size, source.size)
            return earlier
        if self._case(sag).closed:
            raise Conflict(f"Case {_field(sag, 'Nummer') or sag_id} is closed in SBSYS, which files nothing on a closed case.")
        self._check_size(source)
        dto = self._dto(sag, sag_id, metadata, idempotency_key)
        # Before anything is sent: a later attempt must look for this one's document first.
        if state.get(STATE_SENT_TO) != str(sag_id):
            state.put(STATE_SENT_TO, str(sag_id))
        answer = self._post_multipart(JOURNALISER, dto, "file", source, progress, action=f"filing {shown_name(source.filename)}")
        document_id = _field(answer, "Id") if isinstance(answer, dict) else None
        if not isinstance(document_id, int):  # an answer without the document: look it up
            found = self._earlier_upload(idempotency_key, state)
            if found is None:
                raise Transient(f"SBSYS accepted {shown_name(source.filename)} but named no document; "
                                "it will be looked for before filing again.")
            return replace(found, already_existed=False)
        state.put(STATE_DOCUMENT, str(document_id), durable=False)  # the list finds it without this
        return self._document_ref(answer, str(sag_id), source=source)

    def find_upload(self, idempotency_key: str, state: ResumeState) -> DocumentRef | None:
        if state.get(STATE_DRAFT_SENT_TO):
            return self._earlier_draft(state)
        return self._earlier_upload(idempotency_key, state)

    def _earlier_upload(self, idempotency_key: str, state: ResumeState) -> DocumentRef | None:
        """The document an earlier attempt with this key filed, found by its `Eksternid`."""
        sent_to = state.get(STATE_SENT_TO)
        if not sent_to:
            return None  # no attempt got as far as sending
        known = state.get(STATE_DOCUMENT)
        if known:
            try:
                row = self._json("GET", f"api/dokument/{int(known)}", action=f"reading document {known}")
            except NotFound:
                row = None
            if isinstance(row, dict) and _eksternid(row) in (idempotency_key, None):
                return self._document_ref(row, str(_field(row, "SagID") or sent_to), already_existed=True)
        for row in self._documents(int(sent_to)):
            if _eksternid(row) == idempotency_key:
                state.put(STATE_DOCUMENT, str(_field(row, "Id")), durable=False)
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
        raise NotSupported("SBSYS files documents on a case only; it has no inbox for documents without a case.")

    def read_content(self, document_id: str, sink: BinaryIO) -> int:
        if not document_id.isdigit():
            raise NotFound(f"SBSYS has no document {redact_cprs(document_id)!r}; its document ids are numbers.")
        row = self._json("GET", f"api/dokument/{document_id}", action=f"reading document {document_id}")
        files = _field(row, "Filer") if isinstance(row, dict) else None
        file_id = _field(files[0], "Id") if isinstance(files, list) and files and isinstance(files[0], dict) else None
        if not isinstance(file_id, int):
            raise NotFound(f"Document {document_id} holds no file in SBSYS.")
        action = f"reading the file of document {document_id}"
        response = self._request("GET", f"api/fil/{file_id}", action=action, stream=True)
        written = 0
        with response:
            try:
                for block in response.iter_content(CHUNK):
                    sink.write(block)
                    written += len(block)
            except requests.RequestException as exc:
                raise self.http.error_for_exception(exc, action=action, idempotent=True) from None
        return written

    # --- the pieces of a filing ------------------------------------------------------------

    def _dto(self, sag: dict[str, Any], sag_id: int, metadata: DocumentMetadata, key: str) -> dict[str, Any]:
        """The journaliser DTO (shared docs/backends.md 0b): the title as DokumentNavn, the
        document date as RegistreringsDato, the direction as the installation's DokumentArt, the
        idempotency key as Eksternid, and the document's party when it is a party of the case."""
        dto: dict[str, Any] = {
            "Eksternid": key,
            "SagID": sag_id,
            "DokumentNavn": metadata.title.strip()[:MAX_NAME],
            "RegistreringsDato": f"{metadata.document_date.isoformat()}T00:00:00",
            # A document with sensitive or confidential content is marked as exempt from access to
            # documents (aktindsigt); the caseworker confirms it in SBSYS.
            "OmfattetAfAktindsigt": metadata.sensitivity is Sensitivity.NORMAL,
        }
        if metadata.description.strip():
            dto["Beskrivelse"] = metadata.description.strip()[:MAX_DESCRIPTION]
        art = self._dokumentart(metadata.direction)
        if art is not None:
            dto["DokumentArt"] = {"Uuid": _field(art, "Uuid"), "Id": _field(art, "Id"), "Navn": _field(art, "Navn")}
        part = _sagspart(sag, metadata)
        if part is not None:
            dto["SagsPart"] = part
        return dto

    def _post_multipart(self, path: str, dto: dict[str, Any], file_part: str, source: UploadSource,
                        progress: ProgressCallback | None, *, action: str) -> Any:
        body = MultipartBody(
            [TextField("json", json.dumps(dto, ensure_ascii=False), "application/json; charset=utf-8")],
            [FileField(file_part, source.path, source.filename, source.mime_type, source.size)],
            progress=progress,
        )
        try:
            response = self._request("POST", path, action=action, idempotent=False, data=body,
                                     headers={"Content-Type": body.content_type, "Accept": "application/json"})
        except Conflict as error:
            raise Conflict(f"SBSYS at {self.http.host} refused {action}: the case is most likely closed, "
                           "and SBSYS changes no closed case.", status=error.status, detail=error.detail) from None
        if progress and source.size == 0:
            progress(0, 0)
        with response:
            try:
                return response.json()
            except ValueError:
                return None

    def _check_size(self, source: UploadSource) -> None:
        if self.max_upload_bytes is not None and source.size > self.max_upload_bytes:
            raise TooLarge(f"{shown_name(source.filename)} is larger than SBSYS accepts.")

    # --- drafts (kladder) --------------------------------------------------------------------

    def _upload_draft(self, case_id: str, source: UploadSource, metadata: DocumentMetadata, *,
                      state: ResumeState, progress: ProgressCallback | None) -> DocumentRef:
        """A draft (kladde) on the case. Drafts carry no external id: an earlier attempt's draft
        is the one with this title and file size that was not there before the first attempt."""
        sag = self._sag(case_id)
        sag_id = int(_field(sag, "Id"))
        earlier = self._earlier_draft(state)
        if earlier is not None:
            if progress:
                progress(source.size, source.size)
            return earlier
        title = metadata.title.strip()[:MAX_NAME]
        if not state.get(STATE_DRAFT_SENT_TO):
            before = [str(_field(d, "Id")) for d in self._drafts(sag_id) if _field(d, "Navn") == title]
            state.put(STATE_DRAFTS_BEFORE, json.dumps({"title": title, "size": source.size, "ids": before}),
                      durable=False)
        self._check_size(source)
        dto: dict[str, Any] = {"SagID": sag_id, "Navn": title}
        if metadata.description.strip():
            dto["Beskrivelse"] = metadata.description.strip()[:MAX_DESCRIPTION]
        part = _sagspart(sag, metadata)
        if part is not None:
            dto["SagsPart"] = part
        state.put(STATE_DRAFT_SENT_TO, str(sag_id))
        answer = self._post_multipart(KLADDE, dto, "files", source, progress,
                                      action=f"storing {shown_name(source.filename)} as a draft")
        draft_id = _field(answer, "Id") if isinstance(answer, dict) else None
        if isinstance(draft_id, int):
            state.put(STATE_DRAFT, str(draft_id), durable=False)
            return self._draft_ref(answer, str(sag_id))
        found = self._earlier_draft(state)
        if found is None:
            raise Transient(f"SBSYS accepted the draft {shown_name(source.filename)} but named none; "
                            "it will be looked for before storing it again.")
        return replace(found, already_existed=False)

    def _drafts(self, sag_id: int) -> list[dict[str, Any]]:
        answer = self._json("GET", f"api/sag/{sag_id}/kladder", action=f"listing the drafts of case {sag_id}")
        return [r for r in answer if isinstance(r, dict)] if isinstance(answer, list) else []

    def _earlier_draft(self, state: ResumeState) -> DocumentRef | None:
        sent_to = state.get(STATE_DRAFT_SENT_TO)
        if not sent_to:
            return None
        before = json.loads(state.get(STATE_DRAFTS_BEFORE) or "{}")
        known = state.get(STATE_DRAFT)
        for row in self._drafts(int(sent_to)):
            row_id = str(_field(row, "Id"))
            files = _field(row, "Filer") or [{}]
            if row_id == known or (
                    row_id not in before.get("ids", []) and _field(row, "Navn") == before.get("title")
                    and _field(files[0], "Size") == before.get("size")):
                state.put(STATE_DRAFT, row_id, durable=False)
                return self._draft_ref(row, sent_to, already_existed=True)
        return None

    def _draft_ref(self, row: dict[str, Any], case_id: str, *, already_existed: bool = False) -> DocumentRef:
        ref = self._document_ref(row, case_id, already_existed=already_existed)
        return replace(ref, extra={"draft": "true"})

    # --- installation lookups (cached per service) -------------------------------------------

    def _status_list(self) -> list[dict[str, Any]]:
        with self._lock:
            if self._statuses is not None:
                return self._statuses
        found: list[dict[str, Any]] | None = None
        web_pages: list[NotADocumentService] = []
        for path in STATUS_PATHS:
            try:
                answer = self._json("GET", path, action="reading the case statuses")
            except NotADocumentService as error:
                web_pages.append(error)
                continue
            except NotFound:
                continue
            found = [s for s in answer if isinstance(s, dict)] if isinstance(answer, list) else []
            break
        if found is None:
            if len(web_pages) == len(STATUS_PATHS):  # a web server, not SBSYS, at the address
                raise web_pages[0]
            raise NotFound("SBSYS lists no case statuses here, so open cases cannot be told from closed ones.")
        with self._lock:
            self._statuses = found
        return found

    def _open_status_ids(self) -> list[int]:
        return [s["Id"] for s in (_folded_keys(s) for s in self._status_list())
                if isinstance(s.get("Id"), int) and not _closed_status(s)]

    def _dokumentart(self, direction: Direction) -> dict[str, Any] | None:
        """The installation's DokumentArt for a direction, looked up by name (ids differ)."""
        with self._lock:
            arter = self._arter
        if arter is None:
            try:
                answer = self._json("GET", DOKUMENTART, action="reading the document kinds")
            except NotFound:
                answer = []
                log.warning("SBSYS lists no document kinds (DokumentArt); documents are filed with its default kind")
            arter = [a for a in answer if isinstance(a, dict)] if isinstance(answer, list) else []
            with self._lock:
                self._arter = arter
        names = {n.casefold() for n in DIRECTION_NAMES[direction]}
        for art in arter:
            if str(_field(art, "Navn") or "").casefold() in names:
                return art
        if arter:
            log.warning("SBSYS has no document kind named %s; the document is filed with its default kind",
                        DIRECTION_NAMES[direction][0])
        return None

    # --- reading ---------------------------------------------------------------------------

    def _sag_id(self, case_id: str) -> int:
        value = case_id.strip()
        if value.isdigit():
            return int(value)
        try:
            uuid.UUID(value)
        except ValueError:
            raise NotFound(f"SBSYS has no case {redact_cprs(value)!r}; its case ids are numbers.") from None
        return int(_field(self._sag(value), "Id"))

    def _sag(self, case_id: str) -> dict[str, Any]:
        value = case_id.strip()
        if not value.isdigit():
            try:
                value = str(uuid.UUID(value))  # SagIdentity works in the path too
            except ValueError:
                raise NotFound(f"SBSYS has no case {redact_cprs(value)!r}; its case ids are numbers.") from None
        try:
            answer = self._json("GET", f"api/sag/{value}", action=f"reading case {value}")
        except NotFound as error:
            raise NotFound(f"SBSYS has no case {value}.", status=error.status, detail=error.detail) from None
        if not isinstance(answer, dict) or not isinstance(_field(answer, "Id"), int):
            raise NotFound(f"SBSYS has no case {value}.")
        return answer

    def _case(self, sag: dict[str, Any]) -> Case:
        number = str(_field(sag, "Nummer") or "")
        sagsnummer = _field(sag, "SagsNummer") or {}
        emne = _field(sagsnummer, "EmneplanNummer") or {}
        facet = _field(sagsnummer, "Facet") or {}
        match = _NUMBER.match(number)
        status = _field(sag, "SagsStatus") or {}
        behandler = _field(sag, "Behandler") or {}
        caseworker = _field(behandler, "LogonId") or _field(behandler, "Id")
        return Case(
            id=str(_field(sag, "Id")),
            number=number,
            title=str(_field(sag, "SagsTitel") or _field(sag, "Titel") or ""),
            status=_field(status, "Navn"),
            caseworker=str(caseworker) if caseworker not in (None, "") else None,
            kle=_field(emne, "Nummer") or (match.group("kle") if match else None),
            kle_facet=_field(facet, "Nummer") or (match.group("facet") if match else None),
            parties=_parties(sag),
            closed=self._closed(status),
        )

    def _closed(self, status: dict[str, Any]) -> bool:
        if not isinstance(status, dict) or not status:
            return False
        if _field(status, "SagsTilstand") or _field(status, "Navn"):
            return _closed_status(_folded_keys(status))
        status_id = _field(status, "Id")
        return any(_field(s, "Id") == status_id and _closed_status(_folded_keys(s)) for s in self._status_list())

    def _document_ref(self, row: dict[str, Any], case_id: str, *, already_existed: bool = False,
                      source: UploadSource | None = None) -> DocumentRef:
        files = _field(row, "Filer")
        first = files[0] if isinstance(files, list) and files and isinstance(files[0], dict) else {}
        filename = _file_name(first) if first else None
        size = _field(first, "Size")
        art = _field(row, "DokumentArt") or {}
        direction = next((d for d, names in DIRECTION_NAMES.items()
                          if str(_field(art, "Navn") or "").casefold() in {n.casefold() for n in names}), None)
        return DocumentRef(
            id=str(_field(row, "Id")),
            case_id=case_id,
            title=str(_field(row, "Navn") or _field(row, "DokumentNavn") or ""),
            filename=filename or (source.filename if source else None),
            size=size if isinstance(size, int) else (source.size if source else None),
            mime_type=(mimetypes.guess_type(filename)[0] if filename else None) or (source.mime_type if source else None),
            document_date=iso_date(_field(row, "DokumentDato") or _field(row, "RegistreringsDato")),
            direction=direction,
            created=iso_datetime(_field(row, "RegistreringsDato")),
            already_existed=already_existed,
        )

    # --- HTTP ------------------------------------------------------------------------------

    def _request(self, method: str, path: str, *, action: str, **kwargs: Any) -> requests.Response:
        """One request; a 400's free-text explanation is kept as a short, redacted hint."""
        try:
            return self.http.request(method, path, action=action, **kwargs)
        except ValidationFailed as error:
            if type(error) is not ValidationFailed or error.status != 400:
                raise
            hint = _hint(error.detail or "")
            said = f" (SBSYS said: {hint})" if hint else ""
            raise ValidationFailed(f"SBSYS at {self.http.host} refused {action}{said}.",
                                   status=400, detail=error.detail) from None

    def _json(self, method: str, path: str, *, action: str, **kwargs: Any) -> Any:
        with self._request(method, path, action=action, **kwargs) as response:
            return self.http.json(response, action=action)


# --- criteria ----------------------------------------------------------------------------------

def _successor(prefix: str) -> str | None:
    """The first text after every text that starts with `prefix`, counting digits and letters
    only (SQL Server's collations order punctuation in ways of their own): `27.24` -> `27.25`,
    `27.29` -> `27.30`, `G09` -> `G10`; None when there is none (`99`)."""
    chars = list(prefix.rstrip(".- "))
    for n in range(len(chars) - 1, -1, -1):
        c = chars[n]
        if c == "9":
            chars[n] = "0"
        elif c.isdigit() or ("A" <= c < "Z"):
            chars[n] = chr(ord(c) + 1)
            return "".join(chars)
        elif c == "Z":
            chars[n] = "A"
        elif c in ".- ":
            continue
        else:
            return None
    return None


def _number_interval(number: str, *, prefix: bool) -> tuple[dict[str, str], Any]:
    """`NummerInterval{From,To}` for a case number (or a prefix of one), and the check a row
    must pass. The upper bound is the prefix's successor: whether SBSYS's `To` is inclusive is
    not known, and no case number is ever that successor itself."""
    # unverified: the interval compares like text from From (inclusive) to To.
    wanted = number.strip().upper()
    interval = {"From": wanted}
    if upper := _successor(wanted):
        interval["To"] = upper
    folded = wanted.casefold()
    if prefix:
        return interval, lambda case: case.number.casefold().startswith(folded)
    return interval, lambda case: case.number.casefold() == folded


def _title_criteria(text: str) -> dict[str, str]:
    """Title words under both names installations use (`SagsTitel` on some, `Titel` on others);
    an installation ignores the one it does not know, as ASP.NET ignores unknown properties."""
    words = " ".join(text.split())
    return {"SagsTitel": words, "Titel": words} if words else {}


def _party_criterion(party: Party) -> dict[str, Any]:
    if party.cpr:
        name, key = PERSON_CRITERION
        return {name: {key: f"{party.cpr.digits[:6]}-{party.cpr.digits[6:]}"}}  # SBSYS keeps the hyphen
    if party.cvr:
        name, key = COMPANY_CRITERION
        return {name: {key: party.cvr.digits}}
    raise ValidationFailed("A party search in SBSYS needs a CPR or CVR number.")


def _caseworker_criterion(value: str) -> dict[str, Any]:
    """The caseworker as SBSYS names users: an integer Id, a Uuid, or a LogonId (initials)."""
    value = value.strip()
    if value.isdigit():
        return {"Id": int(value)}
    try:
        return {"Uuid": str(uuid.UUID(value))}
    except ValueError:
        return {"LogonId": value}


def _all(checks: list) -> Any:
    return lambda case: all(check(case) for check in checks)


def _page_size(start: int, count: int) -> int:
    """A page size that puts `start` at a page boundary in few requests."""
    for size in range(min(MAX_PAGE, start), 0, -1):
        if start % size == 0:
            if -(-count // size) <= 4:
                return size
            break
    return min(MAX_PAGE, max(count, 50))


# --- reading answers -----------------------------------------------------------------------------

def _field(obj: Any, name: str) -> Any:
    """A property in any casing (the API's DTOs differ: `CPRnummer` / `CprNummer`, `ID` / `Id`)."""
    if not isinstance(obj, dict):
        return None
    if name in obj:
        return obj[name]
    folded = name.casefold()
    return next((v for k, v in obj.items() if isinstance(k, str) and k.casefold() == folded), None)


def _folded_keys(obj: dict[str, Any]) -> dict[str, Any]:
    """`Id`, `Navn`, `SagsTilstand` of a status in any casing."""
    return {"Id": _field(obj, "Id"), "Navn": _field(obj, "Navn"), "SagsTilstand": _field(obj, "SagsTilstand")}


def _closed_status(status: dict[str, Any]) -> bool:
    state = str(status.get("SagsTilstand") or "").casefold()
    if state:
        return state in CLOSED_STATES
    return str(status.get("Navn") or "").casefold() in CLOSED_STATES


def _eksternid(row: dict[str, Any]) -> str | None:
    value = _field(row, "EksternId")
    return str(value) if value not in (None, "") else None


def _person(value: Any, name: Any, role: PartyRole) -> Party | None:
    try:
        cpr = Cpr.parse(str(value)) if value else None
    except ValueError:
        cpr = None
    label = str(name) if name else None
    return Party(name=label, cpr=cpr, role=role) if (cpr or label) else None


def _company(value: Any, name: Any, role: PartyRole) -> Party | None:
    try:
        cvr = Cvr.parse(str(value)) if value else None
    except ValueError:
        cvr = None
    label = str(name) if name else None
    return Party(name=label, cvr=cvr, role=role) if (cvr or label) else None


def _parties(sag: dict[str, Any]) -> tuple[Party, ...]:
    found: list[Party] = []
    primary = _field(sag, "PrimaryPart")
    if isinstance(primary, dict):
        if _field(primary, "CVRnummer") or str(_field(primary, "PartType") or "").casefold() == "firma":
            party = _company(_field(primary, "CVRnummer"), _field(primary, "Navn"), PartyRole.PRIMARY)
        else:
            party = _person(_field(primary, "CPRnummer"), _field(primary, "Navn"), PartyRole.PRIMARY)
        if party:
            found.append(party)
    for person in _field(sag, "Personer") or []:
        if isinstance(person, dict):
            found.append(_person(_field(person, "CprNummer"), _field(person, "Navn"), PartyRole.INVOLVED))
    for company in _field(sag, "Firmaer") or []:
        if isinstance(company, dict):
            found.append(_company(_field(company, "CvrNummer"), _field(company, "Navn"), PartyRole.INVOLVED))
    unique: dict[tuple, Party] = {}
    for party in filter(None, found):
        unique.setdefault((party.cpr, party.cvr) if (party.cpr or party.cvr) else (party.name,), party)
    return tuple(unique.values())


def _sagspart(sag: dict[str, Any], metadata: DocumentMetadata) -> dict[str, Any] | None:
    """The document's party as a PartDto, when one of its parties is a party of the case
    (SBSYS relates a document to a case party; others are not sent)."""
    wanted = [p for p in (*metadata.parties, metadata.sender, *metadata.recipients) if p and (p.cpr or p.cvr)]
    if not wanted:
        return None
    primary = _field(sag, "PrimaryPart")
    candidates: list[tuple[str, Any, Any, Any]] = []  # (kind, number, part id, name)
    if isinstance(primary, dict):
        candidates.append(("cvr" if _field(primary, "CVRnummer") else "cpr",
                           _field(primary, "CVRnummer") or _field(primary, "CPRnummer"),
                           _field(primary, "PartId"), _field(primary, "Navn")))
    candidates += [("cpr", _field(p, "CprNummer"), _field(p, "Id"), _field(p, "Navn"))
                   for p in _field(sag, "Personer") or [] if isinstance(p, dict)]
    candidates += [("cvr", _field(c, "CvrNummer"), _field(c, "Id"), _field(c, "Navn"))
                   for c in _field(sag, "Firmaer") or [] if isinstance(c, dict)]
    for party in wanted:
        for kind, number, part_id, name in candidates:
            digits = str(number or "").replace("-", "")
            if (kind == "cpr" and party.cpr and digits == party.cpr.digits) or \
                    (kind == "cvr" and party.cvr and digits == party.cvr.digits):
                body: dict[str, Any] = {"PartType": "Person" if kind == "cpr" else "Firma"}
                if isinstance(part_id, int):
                    body["PartId"] = part_id
                if kind == "cpr":
                    body["CPRnummer"] = f"{digits[:6]}-{digits[6:]}"
                else:
                    body["CVRnummer"] = digits
                if name:
                    body["Navn"] = name
                return body
    return None


def _file_name(file: dict[str, Any]) -> str | None:
    """`Navn` + `.` + `Filendelse` (SBSYS keeps the extension apart, with or without its dot)."""
    name = str(_field(file, "Navn") or "")
    extension = str(_field(file, "Filendelse") or "").lstrip(".")
    if not name:
        return None
    if extension and not name.casefold().endswith("." + extension.casefold()):
        return f"{name}.{extension}"
    return name


def _hint(text: str) -> str:
    """The start of SBSYS's explanation of a 400: one line, no address, CPR numbers masked."""
    if not text or text.lstrip().startswith("<"):
        return ""
    hint = " ".join(_URL.sub("", redact_cprs(text)).split())
    hint = _CPR_LIKE.sub(r"\1-xxxx", hint)
    if len(hint) > 80:
        hint = hint[:80].rsplit(" ", 1)[0] + " ..."
    return hint.rstrip(".")
