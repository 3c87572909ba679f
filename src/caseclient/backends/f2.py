"""The `f2` backend: cBrain F2's REST API, F2-REST v13 (shared docs/backends.md 0b, 4a).

F2 is hypermedia: the one fixed address is the service index, `GET /F2Rest/ServiceIndex`
(`Accept: application/json`), which names every other address by link relation
(`http://cbrain.com/casefile/rel/...`). This backend builds no address of its own: it fills in the
index's URL templates (`case-by-id`, `case-by-case-number`, `document-by-id`, which redirect to the
item) and follows the items' links (`down` from a case to its matters, `create-matter`,
`create-document`, `content`).

Cases are found with `case-search-filter` (caseNumber, title, cprNumber) or, for free text, a CVR
number or a caseworker, with the OpenSearch full-text search (`case-search`, an Atom feed). Each
hit is read whole (its keyword codes, responsible user and state are not in the search answers),
and every criterion is checked again here.

Filing makes a matter (akt) on the case and the document inside it, both through
Post-Once-Exactly (POE): an empty POST to the `create-matter` link answers a POE address in
`Location` (201, or 303 as the docs' prose has it: both are taken); the payload POSTed there
answers 201 + `Location` the first time and 303 + the same `Location` when the server already has
it. The ResumeState holds the matter's POE address, then the matter's `Location`, then the
document's POE address, each written before the POST it guards, then the document's `Location`:
a retry re-POSTs to the same POE address and never makes a second matter or document. F2 is the
one system here with server-side exactly-once (Capability.SERVER_IDEMPOTENT).

F2's quirks honoured: date-times are server-local without a zone (`2026-12-03T00:00:00`); list
fields in a form take colon indexes (`Receivers:0.Name`); a document's `Title` is at most 255
characters (longer ones are cut, with a warning in the log); the file type comes only from the
file name's extension (a name without one gets the extension of its MIME type). The
`upload-validation` pre-check runs before the first POST; `Invalid` is ValidationFailed.
"""

from __future__ import annotations

from dataclasses import replace

import logging
import mimetypes
import re
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, BinaryIO
from urllib.parse import quote, urlsplit

import requests

from ..domain import (
    CHUNK,
    BackendError,
    Case,
    Conflict,
    Cpr,
    Cvr,
    Direction,
    DocumentMetadata,
    DocumentRef,
    Locked,
    NotFound,
    NotSupported,
    Party,
    PartyRole,
    Sensitivity,
    Transient,
    UploadSource,
    ValidationFailed,
    redact_cprs,
)
from .http import DEFAULT_TIMEOUT, ServiceHttp
from .multipart import FileField, MultipartBody, TextField
from .protocol import Capability, CaseQuery, ProgressCallback, ResumeState
from .values import iso_date, iso_datetime, shown_name

log = logging.getLogger(__name__)

SERVICE_INDEX = "F2Rest/ServiceIndex"
REL = "http://cbrain.com/casefile/rel/"
JSON_ACCEPT = {"Accept": "application/json"}

STATE_MATTER_POE = "f2.matter_poe"  # the matter's POE address, written before its payload POST
STATE_MATTER = "f2.matter"  # the created matter's Location
STATE_DOCUMENT_POE = "f2.document_poe"  # the document's POE address, written before its POST
STATE_DOCUMENT = "f2.document"  # the created document's Location

MAX_TITLE = 255
FULL_TEXT_PAGE = 200
DIRECTIONS = {Direction.INCOMING: "Inbound", Direction.OUTGOING: "Outbound", Direction.INTERNAL: "Internal"}
CLOSED_STATES = frozenset({"closed", "afsluttet", "lukket", "archived", "arkiveret"})
_KLE = re.compile(r"^\d\d\.\d\d\.\d\d$")
_ATOM = "{http://www.w3.org/2005/Atom}"


class F2Service:
    """A DocumentService over F2-REST. The session carries the sign-in: a bearer token from the
    token endpoint the service index names (`auth.mode = oauth2_password`, the client by Basic
    auth, or `oauth2_client_credentials`)."""

    name = "f2"
    max_upload_bytes: int | None = None  # F2 publishes no limit; upload-validation is asked

    def __init__(
        self,
        base_url: str,
        session: requests.Session | None = None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        base = base_url.rstrip("/")
        for tail in ("/F2Rest/ServiceIndex", "/F2Rest"):
            if base.lower().endswith(tail.lower()):
                base = base[: -len(tail)]
                break
        self.http = ServiceHttp(base, session, timeout=timeout, service_name="F2")
        self.capabilities = (
            Capability.SEARCH_FULLTEXT | Capability.SEARCH_BY_PARTY | Capability.SEARCH_BY_CASEWORKER
            | Capability.LIST_DOCUMENTS | Capability.READ_CONTENT | Capability.SERVER_IDEMPOTENT
            | Capability.DOC_RECIPIENTS | Capability.DOC_SENSITIVITY | Capability.DOC_KLE
        )
        self._lock = threading.Lock()
        self._links: dict[str, str] | None = None
        self._search_template: str | None = None
        self._open_cases: dict[str, dict[str, Any]] = {}  # case id -> its number and links, once read open

    # --- discovery ---------------------------------------------------------------------------

    def _index(self) -> dict[str, str]:
        with self._lock:
            if self._links is not None:
                return self._links
        answer = self._json("GET", self.http.url(SERVICE_INDEX), action="reading F2's service index")
        links = _links(answer)
        if not links:
            raise Transient(f"F2 at {self.http.host} answered its service index without links; "
                            "the address may not be an F2 REST service.")
        with self._lock:
            self._links = links
        return links

    def _rel(self, name: str, **values: str) -> str:
        href = self._index().get((REL + name).casefold())
        if not href:
            raise NotSupported(f"F2 at {self.http.host} offers no '{name}' in its service index.")
        return _fill(href, values)

    # --- cases -------------------------------------------------------------------------------

    def search_cases(self, query: CaseQuery) -> list[Case]:
        if query.limit <= 0:
            return []
        checks = _checks(query)
        wanted = query.offset + query.limit
        found: list[Case] = []
        seen: set[str] = set()
        for href in self._candidates(query):
            case = self._case(self._json("GET", href, action="reading a case"))
            if case.id in seen or not all(check(case) for check in checks):
                continue
            seen.add(case.id)
            found.append(case)
            if len(found) >= wanted:
                break
        return found[query.offset:wanted]

    def _candidates(self, query: CaseQuery) -> Iterator[str]:
        """The addresses of the cases that may match, in F2's order."""
        terms = [t for t in ((query.text or "").strip(),
                             query.party.cvr.digits if query.party and query.party.cvr else "",
                             (query.caseworker or "").strip()) if t]
        if terms:
            yield from self._full_text(" ".join(terms))
            return
        params: dict[str, str] = {}
        if query.case_number:
            params["caseNumber"] = query.case_number.strip()
        if query.title and query.title.strip():
            params["title"] = " ".join(query.title.split())
        if query.party and query.party.cpr:
            params["cprNumber"] = query.party.cpr.digits
        rows = self._json("GET", self._rel("case-search-filter"), action="searching cases", params=params)
        for row in rows if isinstance(rows, list) else []:
            href = _field(row, "alternate")
            if isinstance(href, str) and href:
                yield href
            elif _field(row, "Id") is not None:
                yield self._rel("case-by-id", id=str(_field(row, "Id")))

    def _full_text(self, terms: str) -> Iterator[str]:
        """OpenSearch: the description document's template, then Atom pages of hits."""
        with self._lock:
            template = self._search_template
        if template is None:
            with self._request("GET", self._rel("case-search"), action="reading F2's search description") as answer:
                template = _opensearch_template(answer.content)
            if not template:
                raise Transient(f"F2 at {self.http.host} describes its full-text search without a template.")
            with self._lock:
                self._search_template = template
        start = 1
        while True:
            href = _fill(template, {"searchTerms": terms, "count": str(FULL_TEXT_PAGE), "startIndex": str(start)})
            with self._request("GET", href, action="searching cases", headers={"Accept": "application/atom+xml"}) as answer:
                entries = _atom_links(answer.content)
            yield from entries
            if len(entries) < FULL_TEXT_PAGE:
                return
            start += len(entries)

    def get_case(self, case_id: str) -> Case:
        value = case_id.strip()
        if not value.isdigit():
            raise NotFound(f"F2 has no case {redact_cprs(value)!r}; its case ids are numbers.")
        return self._case(self._case_json(value))

    def _case_json(self, case_id: str) -> dict[str, Any]:
        try:
            answer = self._json("GET", self._rel("case-by-id", id=case_id), action=f"reading case {case_id}")
        except NotFound as error:
            raise NotFound(f"F2 has no case {case_id}.", status=error.status, detail=error.detail) from None
        if not isinstance(answer, dict) or _field(answer, "Id") is None:
            raise NotFound(f"F2 has no case {case_id}.")
        return answer

    def find_case_by_number(self, number: str) -> Case:
        wanted = number.strip()
        shown = redact_cprs(wanted)
        try:
            answer = self._json("GET", self._rel("case-by-case-number", caseNumber=wanted),
                                action=f"looking up case {shown}")
        except NotFound as error:
            raise NotFound(f"F2 has no case numbered {shown}.", status=error.status, detail=error.detail) from None
        if not isinstance(answer, dict) or _field(answer, "Id") is None:
            raise NotFound(f"F2 has no case numbered {shown}.")
        return self._case(answer)

    # --- documents -----------------------------------------------------------------------------

    def list_documents(self, case_id: str) -> list[DocumentRef]:
        case = self._case_json(case_id.strip()) if case_id.strip().isdigit() else None
        if case is None:
            raise NotFound(f"F2 has no case {redact_cprs(case_id)!r}; its case ids are numbers.")
        down = _link(case, "down")
        if not down:
            return []
        matters = self._json("GET", down, action=f"listing the matters of case {case_id}")
        refs: list[DocumentRef] = []
        for matter in matters if isinstance(matters, list) else []:
            if isinstance(matter, dict):
                refs += [self._document_ref(d, matter, str(_field(case, "Id"))) for d in self._documents_of(matter)]
        return refs

    def _documents_of(self, matter: dict[str, Any]) -> list[dict[str, Any]]:
        documents = _field(matter, "Documents")
        if documents is None and (down := _link(matter, "down")):
            documents = self._json("GET", down, action="listing the documents of a matter")
        return [d for d in documents if isinstance(d, dict)] if isinstance(documents, list) else []

    def read_content(self, document_id: str, sink: BinaryIO) -> int:
        if not document_id.strip().isdigit():
            raise NotFound(f"F2 has no document {redact_cprs(document_id)!r}; its document ids are numbers.")
        document = self._json("GET", self._rel("document-by-id", id=document_id.strip()),
                              action=f"reading document {document_id}")
        content = _link(document, "content")
        if not content:
            raise NotFound(f"Document {document_id} has no content in F2.")
        action = f"reading the file of document {document_id}"
        written = 0
        with self._request("GET", content, action=action, stream=True, headers={"Accept": "*/*"}) as response:
            try:
                for block in response.iter_content(CHUNK):
                    sink.write(block)
                    written += len(block)
            except requests.RequestException as exc:
                raise self.http.error_for_exception(exc, action=action, idempotent=True) from None
        return written

    # --- filing --------------------------------------------------------------------------------

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
        if not case_id.strip().isdigit():
            raise NotFound(f"F2 has no case {redact_cprs(case_id)!r}; its case ids are numbers.")
        earlier = self._filed(state)
        if earlier is not None:
            if progress:
                progress(source.size, source.size)
            return earlier
        filename = _file_name(source)
        with self._lock:
            case = self._open_cases.get(case_id.strip())
        if case is None:
            case = self._case_json(case_id.strip())
            if self._case(case).closed:
                raise Conflict(f"Case {_field(case, 'CaseNumber') or case_id} is closed in F2, "
                               "which files nothing on a closed case.")
            with self._lock:  # its links stay; F2 itself refuses a matter once the case is closed
                self._open_cases[case_id.strip()] = {"Id": _field(case, "Id"), "CaseNumber": _field(case, "CaseNumber"),
                                                     "Links": _field(case, "Links")}
        if not state.get(STATE_MATTER_POE):  # nothing sent yet: ask F2 first whether it takes the file
            self._validate(filename, source.size)
        matter = self._matter(case, metadata, state)
        return self._document(matter, str(_field(case, "Id")), source, filename, metadata, state, progress)

    def _validate(self, filename: str, size: int) -> None:
        try:
            href = self._rel("upload-validation")
        except NotSupported:
            return  # an installation without the pre-check
        answer = self._json("GET", href, action=f"checking {shown_name(filename)}",
                            params={"filename": filename, "size": str(size)})
        result = str(_field(answer, "Result") or _field(answer, "ValidationResult") or _field(answer, "Status") or "")
        messages = _field(answer, "Messages") or []
        said = " ".join(" ".join(str(m).split()) for m in messages if m) if isinstance(messages, list) else ""
        said = redact_cprs(said)[:200].rstrip(".")
        if result.casefold() == "invalid":
            raise ValidationFailed(f"F2 does not take {shown_name(filename)}" + (f" ({said})." if said else "."))
        if result.casefold() == "validwithwarnings" and said:
            log.warning("F2 takes %s with a warning: %s", shown_name(filename), said)

    def _matter(self, case: dict[str, Any], metadata: DocumentMetadata, state: ResumeState) -> dict[str, Any] | str:
        """The matter this upload files into: its JSON, or its address when only that is known."""
        known = state.get(STATE_MATTER)
        if known:
            return known
        for _attempt in range(2):
            poe = state.get(STATE_MATTER_POE)
            if not poe:
                create = _link(case, "create-matter")
                if not create:
                    raise NotSupported(f"F2 offers no way to add a matter to case {_field(case, 'CaseNumber')}.")
                poe = self._new_poe(create, action="starting a matter")
                state.put(STATE_MATTER_POE, poe)  # before the payload goes to it
            status, location, body = self._post_once(poe, action="adding a matter", data=_matter_form(metadata))
            if status == 404:  # the POE resource was reclaimed before this attempt came back
                log.warning("F2 reclaimed the matter's Post-Once-Exactly address before it was used again; "
                            "a new one is asked for (an earlier attempt's matter, if any, stays empty)")
                state.put(STATE_MATTER_POE, "")
                continue
            state.put(STATE_MATTER, location, durable=False)  # the matter's POE address answers it again
            return body if isinstance(body, dict) and _link(body, "create-document") else location
        raise Transient("F2 reclaimed the matter's Post-Once-Exactly address twice; try again later.")

    def _document(self, matter: dict[str, Any] | str, case_id: str, source: UploadSource, filename: str,
                  metadata: DocumentMetadata, state: ResumeState, progress: ProgressCallback | None) -> DocumentRef:
        title = _title(metadata.title)
        for _attempt in range(2):
            poe = state.get(STATE_DOCUMENT_POE)
            if not poe:
                if isinstance(matter, str):
                    matter = self._json("GET", matter, action="reading the new matter")
                if held := self._documents_of(matter):  # a matter of this upload holds only its document
                    return self._landed(held[0], matter, case_id, state)
                create = _link(matter, "create-document")
                if not create:
                    raise NotSupported("F2 offers no way to add a document to the new matter.")
                poe = self._new_poe(create, action=f"starting to file {shown_name(filename)}")
                state.put(STATE_DOCUMENT_POE, poe)  # before the file goes to it
            fields = [TextField("Title", title)]
            if metadata.description.strip():
                fields.append(TextField("Description", metadata.description.strip()))
            body = MultipartBody(fields, [FileField("File", source.path, filename, source.mime_type, source.size)],
                                 progress=progress)
            status, location, answer = self._post_once(
                poe, action=f"filing {shown_name(filename)}", data=body, headers={"Content-Type": body.content_type})
            if status == 404:
                log.warning("F2 reclaimed the document's Post-Once-Exactly address before it was used again")
                state.put(STATE_DOCUMENT_POE, "")
                matter = state.get(STATE_MATTER) or matter
                continue
            state.put(STATE_DOCUMENT, location, durable=False)  # the POE address finds it again
            if progress:
                progress(source.size, source.size)
            if status == 201 and isinstance(answer, dict) and _field(answer, "Id") is not None:
                return self._document_ref(answer, {"Type": DIRECTIONS[metadata.direction],
                                                   "LetterDate": _local(metadata.document_date)}, case_id)
            document = self._json("GET", location, action="reading the filed document")
            return replace(self._document_ref(document, None, case_id), already_existed=status == 303)
        raise Transient("F2 reclaimed the document's Post-Once-Exactly address twice; try again later.")

    def _landed(self, document: dict[str, Any], matter: dict[str, Any], case_id: str, state: ResumeState) -> DocumentRef:
        location = _link(document, "self")
        if location:
            state.put(STATE_DOCUMENT, location, durable=False)
        ref = self._document_ref(document, matter, case_id)
        return replace(ref, already_existed=True)

    def find_upload(self, idempotency_key: str, state: ResumeState) -> DocumentRef | None:
        found = self._filed(state)
        if found is not None or not state.get(STATE_DOCUMENT_POE):
            return found
        # The document's POST went out and its answer was lost: the matter holds it if it landed.
        matter_at = state.get(STATE_MATTER)
        if not matter_at:
            return None
        try:
            matter = self._json("GET", matter_at, action="reading the matter of an earlier attempt")
        except NotFound:
            return None
        held = self._documents_of(matter)
        if not held:
            return None
        up = _link(matter, "up") or ""
        case_id = str(_field(matter, "CaseId") or up.rstrip("/").rsplit("/", 1)[-1])
        return self._landed(held[0], matter, case_id, state)

    def _filed(self, state: ResumeState) -> DocumentRef | None:
        location = state.get(STATE_DOCUMENT)
        if not location:
            return None
        try:
            document = self._json("GET", location, action="reading a document filed earlier")
        except NotFound:
            return None
        matter = None
        if (matter_at := state.get(STATE_MATTER)):
            try:
                matter = self._json("GET", matter_at, action="reading the matter of a document filed earlier")
            except NotFound:
                matter = None
        up = _link(matter, "up") if matter else None
        case_id = str(_field(matter, "CaseId") or (up or "").rstrip("/").rsplit("/", 1)[-1] or "") or None
        return replace(self._document_ref(document, matter, case_id or ""), already_existed=True)

    def upload_to_inbox(
        self,
        source: UploadSource,
        metadata: DocumentMetadata,
        *,
        idempotency_key: str,
        state: ResumeState,
        progress: ProgressCallback | None = None,
    ) -> DocumentRef:
        raise NotSupported("F2 files documents in matters on a case; caseclient has no inbox for it.")

    # --- Post-Once-Exactly -------------------------------------------------------------------

    def _new_poe(self, href: str, *, action: str) -> str:
        """The empty POST that answers a POE address (201 in the docs' example, 303 in their prose).
        Repeating it only makes another unused POE resource, so it is safe to retry."""
        response = self._request("POST", href, action=action, data=b"", allow_redirects=False,
                                 headers={"Content-Type": "application/x-www-form-urlencoded", **JSON_ACCEPT},
                                 accept=(200, 201, 202, 303))
        with response:
            location = response.headers.get("Location")
        if not location:
            raise Transient(f"F2 at {self.http.host} answered {action} without an address to post to.")
        return _absolute(location, href)

    def _post_once(self, poe: str, *, action: str, data: Any,
                   headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
        """The payload POST to a POE address: (201, Location, body) the first time, (303, Location,
        None) when F2 already has it, (404, "", None) when the POE resource was reclaimed. Sending it
        again is what POE is for, so a lost answer is a Transient error, not an unknown outcome."""
        try:
            response = self._request("POST", poe, action=action, data=data, allow_redirects=False,
                                     headers={**JSON_ACCEPT, **(headers or {})}, accept=(200, 201, 303))
        except NotFound:
            return 404, "", None
        with response:
            location = response.headers.get("Location")
            body = None
            if response.status_code != 303:
                try:
                    body = response.json()
                except ValueError:
                    body = None
        if not location:
            raise Transient(f"F2 at {self.http.host} answered {action} without the address of what it made.")
        return (303 if response.status_code == 303 else 201), _absolute(location, poe), body

    # --- reading answers ---------------------------------------------------------------------

    def _case(self, case: dict[str, Any]) -> Case:
        responsible = _field(case, "Responsible")
        if isinstance(responsible, dict):
            caseworker = _field(responsible, "UserName") or _field(responsible, "Name")
        else:
            caseworker = responsible
        codes = _field(case, "KeywordCodes")
        if isinstance(codes, str):
            codes = [c.strip() for c in codes.split(",")]
        kle = next((c for c in codes or [] if isinstance(c, str) and _KLE.match(c)), None)
        status = _field(case, "Status")
        return Case(
            id=str(_field(case, "Id")),
            number=str(_field(case, "CaseNumber") or ""),
            title=str(_field(case, "Title") or ""),
            status=str(status) if status else None,
            caseworker=str(caseworker) if caseworker else None,
            kle=kle,
            parties=_parties(case),
            closed=str(status or "").casefold() in CLOSED_STATES or _field(case, "IsClosed") is True,
        )

    def _document_ref(self, document: dict[str, Any], matter: dict[str, Any] | None, case_id: str) -> DocumentRef:
        filename = _field(document, "FileName")
        kind = str(_field(matter, "Type") or "") if matter else ""
        size = _field(document, "Size")
        return DocumentRef(
            id=str(_field(document, "Id")),
            case_id=case_id,
            title=str(_field(document, "Title") or ""),
            filename=str(filename) if filename else None,
            size=size if isinstance(size, int) else None,
            mime_type=_field(document, "ContentType") or (mimetypes.guess_type(str(filename))[0] if filename else None),
            document_date=iso_date(_field(matter, "LetterDate") if matter else None),
            direction=next((d for d, name in DIRECTIONS.items() if name.casefold() == kind.casefold()), None),
            created=iso_datetime(_field(document, "Created")),
        )

    # --- HTTP ----------------------------------------------------------------------------------

    def _request(self, method: str, url: str, *, action: str, accept: tuple[int, ...] = (), allow_redirects: bool = True,
                 headers: dict[str, str] | None = None, idempotent: bool = True, **kwargs: Any) -> requests.Response:
        """One request to an address F2 named; a failure or a status outside 2xx (and `accept`)
        becomes a domain error in one sentence, with F2's reason where it names one."""
        try:
            response = self.http.session.request(method, url, timeout=self.http.timeout, allow_redirects=allow_redirects,
                                                 headers={**JSON_ACCEPT, **(headers or {})}, **kwargs)
        except requests.RequestException as exc:
            raise self.http.error_for_exception(exc, action=action, idempotent=idempotent) from None
        if response.status_code in accept or 200 <= response.status_code < 300:
            return response
        error = self._error(response, action)
        response.close()
        raise error

    def _error(self, response: requests.Response, action: str) -> BackendError:
        error = self.http.error_for_response(response, action=action)
        try:
            body = response.json()
        except (ValueError, requests.RequestException):
            body = None
        reason = str(_field(body, "ReasonCode") or "") if isinstance(body, dict) else ""
        kw = {"status": error.status, "detail": error.detail}
        if reason in ("DossierCaseClosed", "CaseClosed"):
            return Conflict(f"F2 at {self.http.host} refused {action}: the case is closed.", **kw)
        if reason in ("Locked", "LockedByAnotherUser") or response.status_code == 423:
            return Locked(f"F2 at {self.http.host} refused {action}: it is open for editing by someone else; "
                          "it is tried again later.", **kw)
        if reason == "DossierBadCPR":
            return ValidationFailed(f"F2 at {self.http.host} refused {action}: a CPR number is not valid.", **kw)
        if reason == "DossierNoWriteAccess":
            return type(error)(f"F2 at {self.http.host} refused {action}: the user may not change the case.", **kw)
        return error

    def _json(self, method: str, url: str, *, action: str, **kwargs: Any) -> Any:
        with self._request(method, url, action=action, **kwargs) as response:
            return self.http.json(response, action=action)


def oauth2_token_url(service_url: str, session: requests.Session) -> str:
    """The token endpoint F2's service index names (rel `oauth2-token`): how caseclient's OAuth2
    sign-in finds it when `auth.token_url` is not set."""
    base = service_url.rstrip("/")
    for tail in ("/F2Rest/ServiceIndex", "/F2Rest"):
        if base.lower().endswith(tail.lower()):
            base = base[: -len(tail)]
    host = urlsplit(base).netloc
    try:
        response = session.get(f"{base}/{SERVICE_INDEX}", headers=JSON_ACCEPT)
        response.raise_for_status()
        href = _links(response.json()).get((REL + "oauth2-token").casefold())
    except (requests.RequestException, ValueError) as exc:
        raise Transient(f"F2 at {host} could not be asked for its sign-in address ({type(exc).__name__}).") from None
    if not href:
        raise Transient(f"F2 at {host} names no OAuth2 token endpoint in its service index.")
    return _absolute(href, base + "/")


# --- the wire ---------------------------------------------------------------------------------------

def _field(obj: Any, name: str) -> Any:
    """A property in any casing."""
    if not isinstance(obj, dict):
        return None
    if name in obj:
        return obj[name]
    folded = name.casefold()
    return next((v for k, v in obj.items() if isinstance(k, str) and k.casefold() == folded), None)


def _links(answer: Any) -> dict[str, str]:
    """rel (casefolded) -> href, from the service index's `{rel: {href, title}}` or a `Links` list."""
    found: dict[str, str] = {}
    if isinstance(answer, dict) and not isinstance(_field(answer, "Links"), list):
        for rel, value in answer.items():
            href = _field(value, "href") if isinstance(value, dict) else value
            if isinstance(rel, str) and isinstance(href, str):
                found[rel.casefold()] = href
        return found
    items = _field(answer, "Links") if isinstance(answer, dict) else answer
    for item in items if isinstance(items, list) else []:
        rel, href = _field(item, "rel"), _field(item, "href")
        if isinstance(rel, str) and isinstance(href, str):
            found.setdefault(rel.casefold(), href)
    return found


def _link(item: Any, rel: str) -> str | None:
    links = _links({"Links": _field(item, "Links") or []})
    return links.get(rel.casefold()) or links.get((REL + rel).casefold())


def _fill(template: str, values: dict[str, str]) -> str:
    """A URL template's `{name}` / `{name?}` places filled in, the values URL-encoded; an
    optional place without a value is left empty."""
    def one(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[-1].rstrip("?")
        if name in values:
            return quote(values[name], safe="")
        if match.group(1).endswith("?"):
            return ""
        raise NotSupported(f"F2's address template wants a value for {name}, which caseclient does not have.")
    return re.sub(r"\{([^}]+)\}", one, template)


def _absolute(location: str, base: str) -> str:
    from urllib.parse import urljoin
    return urljoin(base, location)


def _opensearch_template(content: bytes) -> str | None:
    try:
        root = ET.fromstring(content)
    except ET.ParseError:
        return None
    urls = [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "Url" and e.get("template")]
    atom = [e for e in urls if "atom" in (e.get("type") or "")]
    chosen = (atom or urls)[:1]
    return chosen[0].get("template") if chosen else None


def _atom_links(content: bytes) -> list[str]:
    try:
        root = ET.fromstring(content)
    except ET.ParseError:
        raise Transient("F2 answered a full-text search with something that is not an Atom feed.") from None
    found = []
    for entry in root.iter(f"{_ATOM}entry"):
        href = next((link.get("href") for link in entry.iter(f"{_ATOM}link")
                     if link.get("rel", "alternate") == "alternate" and link.get("href")), None)
        href = href or (entry.findtext(f"{_ATOM}id") or "").strip()
        if href.startswith("http"):
            found.append(href)
    return found


def _checks(query: CaseQuery) -> list[Callable[[Case], bool]]:
    """Every criterion checked on the cases read (F2's searches are looser than the query)."""
    checks: list[Callable[[Case], bool]] = []
    if not query.include_closed:
        checks.append(lambda case: not case.closed)
    if query.case_number:
        wanted = query.case_number.strip().casefold()
        if wanted.endswith("*"):
            checks.append(lambda case: case.number.casefold().startswith(wanted[:-1]))
        else:
            checks.append(lambda case: case.number.casefold() == wanted)
    for word in (query.title or "").split():
        checks.append(lambda case, w=word.casefold(): w in case.title.casefold())
    if query.party and (query.party.cpr or query.party.cvr):
        party = query.party
        checks.append(lambda case: any((p.cpr == party.cpr) if party.cpr else (p.cvr == party.cvr) for p in case.parties))
    if query.caseworker:
        worker = query.caseworker.strip().casefold()
        checks.append(lambda case: (case.caseworker or "").casefold() == worker)
    return checks


def _parties(case: dict[str, Any]) -> tuple[Party, ...]:
    found: dict[tuple, Party] = {}
    primary = _field(case, "CprNumber")
    items = [{"CprNumber": primary, "Role": "Primary"}] if primary else []
    items += [p for p in _field(case, "InvolvedParties") or [] if isinstance(p, dict)]
    for item in items:
        name = _field(item, "Name")
        cpr = cvr = None
        try:
            cpr = Cpr.parse(str(_field(item, "CprNumber"))) if _field(item, "CprNumber") else None
            cvr = Cvr.parse(str(_field(item, "CvrNumber"))) if _field(item, "CvrNumber") else None
        except ValueError:
            pass
        if not (cpr or cvr or name):
            continue
        role = PartyRole.PRIMARY if str(_field(item, "Role") or "").casefold() == "primary" else PartyRole.INVOLVED
        found.setdefault((cpr, cvr) if (cpr or cvr) else (name,), Party(name=name, cpr=cpr, cvr=cvr, role=role))
    return tuple(found.values())


def _local(day: date) -> str:
    """A date as F2 takes date-times: server-local, no zone, midnight for a date alone."""
    return f"{day.isoformat()}T00:00:00"


def _matter_form(metadata: DocumentMetadata) -> dict[str, str]:
    """The matter's fields (Table 27) as a form, list fields with colon indexes."""
    form = {"Title": _title(metadata.title), "Type": DIRECTIONS[metadata.direction],
            "LetterDate": _local(metadata.document_date)}
    cpr = next((p.cpr for p in (*metadata.parties, metadata.sender) if p and p.cpr), None)
    if cpr:
        form["CprNumber"] = cpr.digits
    if metadata.sensitivity is not Sensitivity.NORMAL:
        form["AccessLevel"] = "Involved"  # only those involved see a confidential or sensitive matter
    receivers = [p for p in metadata.recipients if p.name or p.email]
    for n, party in enumerate(receivers):
        if party.name:
            form[f"Receivers:{n}.Name"] = party.name
        if party.email:
            form[f"Receivers:{n}.EMail"] = party.email
    if metadata.kle and _KLE.match(metadata.kle):
        form["KeywordCodes:0"] = metadata.kle
    return form


def _title(title: str) -> str:
    text = " ".join(title.split())
    if len(text) > MAX_TITLE:
        log.warning("F2 takes titles of at most %d characters; a title of %d characters was cut", MAX_TITLE, len(text))
        text = text[:MAX_TITLE].rstrip()
    return text


def _file_name(source: UploadSource) -> str:
    """The file name F2 reads the type from: its extension, or the MIME type's when it has none."""
    name = source.filename
    if "." in name.strip(".")[1:]:
        return name
    extension = mimetypes.guess_extension(source.mime_type or "") or ".bin"
    return f"{name}{extension}"
