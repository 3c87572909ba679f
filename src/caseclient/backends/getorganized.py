"""The `getorganized` backend: Netcompany GetOrganized's `/_goapi` Web API, with SharePoint's REST
API for listing a case's documents and for big files (facts in shared docs/backends.md, 0b and 1).

Finding cases: a case number prefix through FindCases' wildcard (its XML answer checked for
`ServiceStatus Success`), everything else through FindByCaseProperties (title words and a KLE
prefix `Contains`, the party's CPR in `ows_CCMContactData_CPR`, the caseworker in `ows_CaseOwner`),
its rows of deleted cases (`"ItemExists": false`) dropped; each hit is read with Cases/Metadata,
whose lookup values `"<id>;#<label>"` give their labels (the ids differ per installation and are
never assumed), and checked against the whole query, so a loose server match never shows.

Filing exactly once, without idempotency on the server: the file gets a name that follows from the
idempotency key, `<title> (<8 hex of the key's hash>)<ext>`, kept in the ResumeState before
anything is sent, and is always sent with `Overwrite: false`, so a second attempt is refused
instead of filing twice (and nobody else's document of the same name is ever replaced). A refusal,
or any doubt, is answered by looking the name up in the case's library (its `FileLeafRef`). Files
up to 10 MiB go inside the JSON of AddToDocumentLibrary, streamed from disk with a precomputed
Content-Length; bigger ones through SharePoint's chunked upload (contextinfo, Files/add, then
startUpload/continueUpload/finishUpload with the upload id and confirmed offset in the
ResumeState), after which GO numbers the file (its DocID) a moment later. The metadata is set last
with Documents/Metadata, where `ows_Dato` must be month first (MM-DD-YYYY).

The byte encoding inside the JSON (measured in the report of this change; see BYTE_ENCODING): an
int array is what every client seen in the wild sends to AddToDocumentLibrary (verified on real
installations); base64 is 2.7 times smaller but only inferred (Json.NET reads a byte[] from
either). Both are streamed, so the client's memory stays a few blocks either way.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

import requests

from ..domain import (
    CHUNK,
    BackendError,
    Case,
    Cpr,
    Cvr,
    Direction,
    DocumentMetadata,
    DocumentRef,
    InputError,
    NotFound,
    NotSupported,
    Party,
    PartyRole,
    Transient,
    UploadSource,
    ValidationFailed,
    redact_cprs,
)
from .http import DEFAULT_TIMEOUT, NotADocumentService, ServiceHttp
from .protocol import Capability, CaseQuery, ProgressCallback, ResumeState
from .values import shown_name

GOAPI = "_goapi"
LIBRARY = "Dokumenter"
SINGLE_UPLOAD_THRESHOLD = 10 * 1024 * 1024  # bigger files go through SharePoint's chunked upload (oomtm)
CHUNK_SIZE = 10 * 1024 * 1024  # per startUpload/continueUpload/finishUpload request
BYTE_ENCODING = "int_array"  # "int_array" (verified in the wild) or "base64" (smaller, inferred)
INDEXING_WAIT = 60.0  # seconds to wait for GO to number a file uploaded through SharePoint
FIND_CASES_PAGE = 500
NAME_LIMIT = 100  # characters of a file name (SharePoint allows 128; room for the folder path)
OPEN_STATUS = "Åben"
CLOSED_STATUSES = {"afsluttet", "arkiveret", "lukket"}
KORRESPONDANCE = {Direction.INCOMING: "Indgående", Direction.OUTGOING: "Udgående", Direction.INTERNAL: "Intern"}
DIRECTIONS = {v.casefold(): k for k, v in KORRESPONDANCE.items()} | {"internt": Direction.INTERNAL}
_CASE_ID = re.compile(r"^[A-ZÆØÅ]{2,6}-\d{4}-\d{6,}$", re.IGNORECASE)
_SUB_CASE_ID = re.compile(r"^[A-ZÆØÅ]{2,6}-\d{4}-\d{6,}-\d{3}$", re.IGNORECASE)
_CASE_ID_PREFIX = re.compile(r"^[A-ZÆØÅ]{2,6}-[\d-]*\*?$", re.IGNORECASE)
_KLE_PREFIX = re.compile(r"^\d\d(\.\d{1,2}){0,2}\*?$")
_KLE_IN_LABEL = re.compile(r"^\d\d(\.\d\d){0,2}")
_FORBIDDEN = re.compile(r'[<>:"/\\|?*#%\x00-\x1f]')
_ATTRIBUTE_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
_IIS_UNAVAILABLE = b"HTTP Error 503"

# ResumeState keys
S_NAME = "go.file_name"
S_CASE = "go.case_id"
S_CASE_URL = "go.case_url"
S_TITLE = "go.title"
S_SIZE = "go.size"
S_METADATA = "go.metadata_xml"
S_CHUNKED = "go.chunked"
S_UPLOAD_ID = "go.upload_id"
S_OFFSET = "go.upload_offset"  # bytes SharePoint confirmed for S_UPLOAD_ID
S_FINISHED = "go.upload_finished"
S_DOC_ID = "go.doc_id"
S_METADATA_SET = "go.metadata_set"


def file_name_for(source: UploadSource, metadata: DocumentMetadata, idempotency_key: str) -> str:
    """The name a filing with this key gets in the case's library, on every attempt:
    `<title> (<8 hex>)<ext>`, without the characters SharePoint refuses, at most NAME_LIMIT long."""
    stem, dot, ext = source.filename.rpartition(".")
    ext = _clean(ext)[:10] if dot and stem else ""
    base = _clean(metadata.title) or _clean(stem if dot else source.filename) or "Dokument"
    tag = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:8]
    suffix = f" ({tag})" + (f".{ext}" if ext else "")
    return base[:NAME_LIMIT - len(suffix)].rstrip(" .") + suffix


def _clean(text: str) -> str:
    return " ".join(_FORBIDDEN.sub("_", text).split()).strip(" .")


def _attribute(value: str) -> str:
    return "".join(_ATTRIBUTE_ESCAPES.get(ch, ch) for ch in value)


def metadata_row(fields: dict[str, str]) -> str:
    """A `<z:row>` with every value XML-attribute-escaped; empty values left out (GO refuses an
    empty attribute)."""
    parts = [f'{name}="{_attribute(value)}"' for name, value in fields.items() if value]
    return '<z:row xmlns:z="#RowsetSchema" ' + " ".join(parts) + " />"


def _label(value: str) -> str:
    """The label of a lookup value `"<listItemId>;#<label>"` (the id is the installation's)."""
    return value.split(";#", 1)[1] if ";#" in value else value


def _sp_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class GetOrganizedService:
    """A DocumentService over GetOrganized. The session carries the sign-in (NTLM, normally)."""

    name = "getorganized"
    capabilities = (
        Capability.SEARCH_FULLTEXT | Capability.SEARCH_BY_PARTY | Capability.SEARCH_BY_CASEWORKER
        | Capability.LIST_DOCUMENTS | Capability.READ_CONTENT | Capability.NAME_CONFLICT
        | Capability.CHUNKED_UPLOAD | Capability.DOC_RECIPIENTS
    )
    max_upload_bytes: int | None = None

    def __init__(
        self,
        base_url: str,
        session: requests.Session | None = None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        ui_base_url: str | None = None,
        single_upload_threshold: int = SINGLE_UPLOAD_THRESHOLD,
        chunk_size: int = CHUNK_SIZE,
        byte_encoding: str = BYTE_ENCODING,
        indexing_wait: float = INDEXING_WAIT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if byte_encoding not in ("int_array", "base64"):
            raise ValueError(f"unknown byte encoding {byte_encoding!r}")
        self.http = ServiceHttp(base_url, session, timeout=timeout, service_name="GetOrganized")
        self.ui_base_url = ui_base_url.rstrip("/") if ui_base_url else None
        self.single_upload_threshold = single_upload_threshold
        self.chunk_size = chunk_size
        self.byte_encoding = byte_encoding
        self.indexing_wait = indexing_wait
        self._clock = clock
        self._sleep = sleep
        self._case_urls: dict[str, str] = {}

    # --- cases ---------------------------------------------------------------------------

    def search_cases(self, query: CaseQuery) -> list[Case]:
        if query.limit <= 0:
            return []
        wanted = query.offset + query.limit
        plan = _Plan.of(query)
        found: list[Case] = []
        seen: set[str] = set()
        for case_id in self._candidates(plan, wanted):
            if case_id in seen or _SUB_CASE_ID.match(case_id):
                continue  # a sub-case reads as its base case through Cases/Metadata (0b)
            seen.add(case_id)
            try:
                case = self.get_case(case_id)
            except NotFound:
                continue  # deleted since the search
            if plan.admits(case):
                found.append(case)
                if len(found) >= wanted:
                    break
        return found[query.offset:wanted]

    def _candidates(self, plan: "_Plan", wanted: int) -> Iterator[str]:
        if plan.number_prefix is not None or not plan.conditions:
            yield from self._find_cases((plan.number_prefix or "") + "*")
        else:
            yield from self._find_by_properties(plan.conditions, wanted)

    def _find_by_properties(self, conditions: list[dict[str, str]], wanted: int) -> Iterator[str]:
        """CaseIDs FindByCaseProperties gives, without its rows of deleted cases; asked again for
        more rows while the answer was full (it has no paging)."""
        count = max(25, wanted + 10)
        given: set[str] = set()
        while True:
            body = {"FieldProperties": conditions, "CaseTypePrefixes": [], "LogicalOperator": "AND",
                    "ExcludeDeletedCases": True, "ReturnCasesNumber": count}
            answer = self._post_json(f"{GOAPI}/Cases/FindByCaseProperties", body, action="searching cases")
            rows = answer.get("CasesInfo") if isinstance(answer, dict) else None
            if not isinstance(rows, list):
                raise Transient("GetOrganized answered a case search without its list of cases.")
            for row in rows:
                if not isinstance(row, dict) or row.get("ItemExists") is False:
                    continue
                case_id = str(row.get("CaseID") or "")
                if case_id and case_id not in given:
                    given.add(case_id)
                    yield case_id
            if len(rows) < count or count >= 100_000:
                return
            count *= 2

    def _find_cases(self, pattern: str) -> Iterator[str]:
        start = 0
        while True:
            body = {"CaseIdFilter": pattern, "IncludeRegularCases": True, "IncludeOrphanedCases": False,
                    "StartItemIndex": start, "ItemCount": FIND_CASES_PAGE, "CustomProperties": ""}
            answer = self._post_json(f"{GOAPI}/Cases/FindCases", body, action="searching case numbers")
            cases = _results_xml(answer)
            yield from cases
            if len(cases) < FIND_CASES_PAGE:
                return
            start += FIND_CASES_PAGE

    def get_case(self, case_id: str) -> Case:
        case_id = case_id.strip()
        row = self._case_row(case_id)
        found = row.get("ows_CaseID", "")
        if found.casefold() != case_id.casefold():
            raise NotFound(f"GetOrganized has no case {redact_cprs(case_id)!r} of its own (a sub-case is "
                           "reached through its base case).")
        url = row.get("ows_CaseUrl", "").strip("/")
        if url:
            self._case_urls[found] = url
        return self._case(row)

    def _case_row(self, case_id: str) -> dict[str, str]:
        if not case_id or "/" in case_id or "?" in case_id:
            raise NotFound(f"GetOrganized has no case {redact_cprs(case_id)!r}.")
        answer = self._get_json(f"{GOAPI}/Cases/Metadata/{case_id}/False", action="reading a case")
        return _row(answer.get("Metadata") if isinstance(answer, dict) else None)

    def _case(self, row: dict[str, str]) -> Case:
        kle_label = _label(row.get("ows_KLENummer", ""))
        kle = _KLE_IN_LABEL.match(kle_label)
        facet = _label(row.get("ows_Facet", "")).split(" ", 1)[0] or None
        status = row.get("ows_CaseStatus") or None
        url = row.get("ows_CaseUrl", "").strip("/")
        return Case(
            id=row.get("ows_CaseID", ""), number=row.get("ows_CaseID", ""), title=row.get("ows_Title", ""),
            status=status, caseworker=_label(row.get("ows_CaseOwner", "")) or None,
            kle=kle.group(0) if kle else None, kle_facet=facet, parties=_parties(row.get("ows_CCMContactData", "")),
            closed=(status or "").casefold() in CLOSED_STATUSES,
            web_url=f"{self.ui_base_url}/{url}" if self.ui_base_url and url else None,
        )

    def find_case_by_number(self, number: str) -> Case:
        wanted = number.strip()
        if _CASE_ID.match(wanted):
            try:
                return self.get_case(wanted)
            except NotADocumentService:
                raise
            except NotFound:
                pass
        raise NotFound(f"No case has the number {redact_cprs(wanted)!r}.")

    def _case_url(self, case_id: str) -> str:
        """The case's SharePoint web, `cases/<site>/<CaseID>` (ows_CaseUrl), read once."""
        url = self._case_urls.get(case_id)
        if url is None:
            found = self.get_case(case_id).id
            url = self._case_urls.get(found)
            if url is None:
                raise Transient("GetOrganized named no web address for the case.")
            self._case_urls[case_id] = url
        return url

    # --- documents -----------------------------------------------------------------------

    def list_documents(self, case_id: str) -> list[DocumentRef]:
        case_url = self._case_url(case_id)
        answer = self._get_json(
            f"{case_url}/_api/web/GetFolderByServerRelativePath(DecodedUrl=@p)/Files",
            params={"@p": _sp_literal(f"/{case_url}/{LIBRARY}"), "$expand": "ListItemAllFields",
                    "$select": "*,ListItemAllFields/*"},
            headers={"Accept": "application/json"}, action="listing the case's documents")
        documents = []
        for entry in _odata_list(answer):
            item = entry.get("ListItemAllFields") or {}
            doc_id = _doc_id(item.get("DocID"))
            if doc_id is None:
                continue  # not numbered by GO yet (just uploaded through SharePoint)
            documents.append(DocumentRef(
                id=doc_id, case_id=case_id, title=str(item.get("Title") or entry.get("Name") or ""),
                filename=entry.get("Name"), size=_int(entry.get("Length")),
                document_date=_date(item.get("Dato")),
                direction=DIRECTIONS.get(str(item.get("Korrespondance") or "").casefold()),
                created=_time(entry.get("TimeCreated")),
            ))
        return documents

    def read_content(self, document_id: str, sink: BinaryIO) -> int:
        """DocumentBytes, or, when GO answers a big file with 200 and IIS' 503 page (a known
        quirk), the file at its SharePoint address, streamed."""
        number = _doc_id(document_id)
        if number is None:
            raise NotFound(f"GetOrganized has no document {redact_cprs(document_id)!r}.")
        action = f"reading the file of document {number}"
        response = self.http.request("GET", f"{GOAPI}/Documents/DocumentBytes/{number}", action=action, stream=True)
        with response:
            blocks = response.iter_content(CHUNK)
            try:
                first = next(blocks, b"")
                if "html" in response.headers.get("Content-Type", "").lower() and _IIS_UNAVAILABLE in first[:4096]:
                    response.close()
                    return self._read_from_sharepoint(number, sink)
                sink.write(first)
                written = len(first)
                for block in blocks:
                    sink.write(block)
                    written += len(block)
            except requests.RequestException as exc:
                raise self.http.error_for_exception(exc, action=action, idempotent=True) from None
        return written

    def _read_from_sharepoint(self, number: str, sink: BinaryIO) -> int:
        row = _row(self._get_json(f"{GOAPI}/Documents/MetadataWithSystemFields/{number}",
                                  action=f"finding the file of document {number}").get("Metadata"))
        address = urlsplit(row.get("ows_EncodedAbsUrl", ""))
        if not address.path:
            raise Transient(f"GetOrganized named no address for the file of document {number}.")
        # Only the path is taken: the sign-in goes to the service's own host, never elsewhere.
        path = address.path + (f"?{address.query}" if address.query else "")
        action = f"reading the file of document {number}"
        written = 0
        with self.http.request("GET", path, action=action, stream=True) as response:
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
        earlier = state.get(S_NAME) is not None
        name = state.get(S_NAME) or file_name_for(source, metadata, idempotency_key)
        case_url = self._case_url(case_id)  # an unknown case fails here, before any byte is sent
        chunked = state.get(S_CHUNKED) == "1" or (not earlier and source.size > self.single_upload_threshold)
        if not earlier:
            # Derivable from the key and the document: kept without a flush of their own ...
            state.put(S_NAME, name, durable=False)
            state.put(S_CASE, case_id, durable=False)
            state.put(S_CASE_URL, case_url, durable=False)
            state.put(S_TITLE, metadata.title, durable=False)
            state.put(S_SIZE, str(source.size), durable=False)
            state.put(S_CHUNKED, "1" if chunked else "0", durable=False)
            # ... flushed with this one, before the first request that can file anything.
            state.put(S_METADATA, self._metadata_xml(metadata), durable=True)
        doc_id = state.get(S_DOC_ID)
        existed = doc_id is not None
        if doc_id is None and earlier:
            doc_id = self._landed(case_url, name, source.size, chunked, state)
            existed = doc_id is not None
        if doc_id is None:
            if chunked:
                doc_id, existed = self._upload_chunked(case_url, name, source, state, progress)
            else:
                doc_id, existed = self._upload_single(case_id, case_url, name, source, metadata, progress)
            state.put(S_DOC_ID, doc_id, durable=False)
        elif progress:
            progress(source.size, source.size)
        self._finish_metadata(doc_id, state)
        return DocumentRef(
            id=doc_id, case_id=case_id, title=metadata.title, filename=name, size=source.size,
            mime_type=source.mime_type, document_date=metadata.document_date, direction=metadata.direction,
            already_existed=existed)

    def find_upload(self, idempotency_key: str, state: ResumeState) -> DocumentRef | None:
        name, case_url, case_id = state.get(S_NAME), state.get(S_CASE_URL), state.get(S_CASE)
        if not name or not case_url or not case_id:
            return None  # nothing was sent
        doc_id = state.get(S_DOC_ID) or self._landed(case_url, name, _int(state.get(S_SIZE)),
                                                   state.get(S_CHUNKED) == "1", state)
        if doc_id is None:
            return None
        state.put(S_DOC_ID, doc_id, durable=False)
        self._finish_metadata(doc_id, state)
        return DocumentRef(id=doc_id, case_id=case_id, title=state.get(S_TITLE) or name, filename=name,
                           size=_int(state.get(S_SIZE)), already_existed=True)

    def upload_to_inbox(
        self,
        source: UploadSource,
        metadata: DocumentMetadata,
        *,
        idempotency_key: str,
        state: ResumeState,
        progress: ProgressCallback | None = None,
    ) -> DocumentRef:
        raise NotSupported("GetOrganized files documents on a case only; it has no inbox for documents without one.")

    def _landed(self, case_url: str, name: str, size: int | None, chunked: bool, state: ResumeState) -> str | None:
        """The DocID of the file an earlier attempt put in the case's library under this name,
        or None when there is none (or, through SharePoint, only an unfinished one)."""
        found = self._file(case_url, name)
        if found is None:
            return None
        if chunked and state.get(S_FINISHED) != "1" and (size is None or _int(found.get("Length")) != size):
            return None  # the placeholder of an upload that has not finished
        return self._wait_for_doc_id(case_url, name)

    def _finish_metadata(self, doc_id: str, state: ResumeState) -> None:
        """Documents/Metadata with the title, the month-first date, the direction and recipients
        (idempotent: setting the same values again changes nothing)."""
        if state.get(S_METADATA_SET) == "1":
            return
        xml = state.get(S_METADATA)
        if xml:
            self.http.request("POST", f"{GOAPI}/Documents/Metadata", data={"DocId": doc_id, "MetadataXml": xml},
                              action="setting the document's metadata").close()
        state.put(S_METADATA_SET, "1", durable=False)

    @staticmethod
    def _metadata_xml(metadata: DocumentMetadata, *, with_date: bool = True) -> str:
        fields = {"ows_Title": metadata.title}
        if with_date:
            fields["ows_Dato"] = f"{metadata.document_date:%m-%d-%Y}"  # month first on Documents/Metadata
        fields["ows_Korrespondance"] = KORRESPONDANCE[metadata.direction]
        fields["ows_Modtagere"] = "; ".join(p.label for p in metadata.recipients)
        return metadata_row(fields)

    # the small path: the file inside AddToDocumentLibrary's JSON

    def _upload_single(self, case_id: str, case_url: str, name: str, source: UploadSource,
                       metadata: DocumentMetadata, progress: ProgressCallback | None) -> tuple[str, bool]:
        head = {"CaseId": case_id, "ListName": LIBRARY, "FolderPath": "", "FileName": name,
                # the date goes with Documents/Metadata, whose format is known
                "Metadata": self._metadata_xml(metadata, with_date=False), "Overwrite": False}
        body = JsonFileBody(head, "bytes", source.path, source.size, self.byte_encoding, progress=progress)
        action = f"filing {shown_name(source.filename)}"
        try:
            response = self.http.request("POST", f"{GOAPI}/Documents/AddToDocumentLibrary", data=body,
                                         headers={"Content-Type": "application/json"}, action=action,
                                         idempotent=False)
        except BackendError as error:
            if error.status in (400, 409, 500):
                # A file of this name is there already (GO refuses it with an SPException): our
                # own earlier attempt, since the name carries the key. Otherwise: the error.
                try:
                    doc_id = self._landed(case_url, name, source.size, False, _NO_STATE)
                except BackendError:
                    doc_id = None
                if doc_id is not None:
                    return doc_id, True
            raise
        with response:
            answer = self.http.json(response, action=action)
        doc_id = _doc_id(answer.get("DocId") if isinstance(answer, dict) else None)
        if doc_id is None:
            raise Transient(f"GetOrganized filed {shown_name(source.filename)} but named no document id.")
        return doc_id, False

    # the big path: SharePoint's chunked upload into the case's library

    def _upload_chunked(self, case_url: str, name: str, source: UploadSource, state: ResumeState,
                        progress: ProgressCallback | None) -> tuple[str, bool]:
        digest = self._form_digest(case_url)
        folder = f"/{case_url}/{LIBRARY}"
        path = f"{folder}/{name}"
        if state.get(S_UPLOAD_ID) is None:
            try:
                self._sp_post(case_url, "web/GetFolderByServerRelativePath(DecodedUrl=@p)/Files/add(url=@f,overwrite=false)",
                              {"@p": _sp_literal(folder), "@f": _sp_literal(name)}, digest, b"",
                              action=f"creating {shown_name(source.filename)} in the case's library")
            except BackendError as error:
                if error.status not in (400, 409, 500) or self._file(case_url, name) is None:
                    raise
                # an earlier attempt's file (ours, by its name), whose upload is not done
        if state.get(S_FINISHED) != "1":
            self._send_chunks(case_url, path, source, state, digest, progress)
        elif progress:
            progress(source.size, source.size)
        return self._wait_for_doc_id(case_url, name), False

    def _send_chunks(self, case_url: str, path: str, source: UploadSource, state: ResumeState, digest: str,
                     progress: ProgressCallback | None) -> None:
        upload_id = state.get(S_UPLOAD_ID)
        offset = _int(state.get(S_OFFSET)) or 0
        if upload_id and offset:
            try:
                self._chunks_from(case_url, path, source, state, digest, upload_id, offset, progress)
                return
            except ValidationFailed:
                pass  # SharePoint holds something else than we confirmed (a lost answer): start over
            except NotFound:
                if self._file_size(case_url, path.rsplit("/", 1)[-1]) == source.size:
                    state.put(S_FINISHED, "1", durable=False)  # the finish landed, its answer did not
                    return
        if upload_id:
            self._cancel(case_url, path, digest, upload_id)
        upload_id = str(uuid.uuid4())
        state.put(S_UPLOAD_ID, upload_id, durable=False)
        state.put(S_OFFSET, "0", durable=False)
        self._chunks_from(case_url, path, source, state, digest, upload_id, 0, progress)

    def _chunks_from(self, case_url: str, path: str, source: UploadSource, state: ResumeState, digest: str,
                     upload_id: str, offset: int, progress: ProgressCallback | None) -> None:
        action = f"uploading {shown_name(source.filename)}"
        target = {"@u": _sp_literal(path)}
        base = "web/GetFileByServerRelativePath(DecodedUrl=@u)"
        first = offset == 0
        while True:
            length = min(self.chunk_size, source.size - offset)
            last = offset + length >= source.size and not first
            if first:
                call = f"{base}/startUpload(uploadId=guid'{upload_id}')"
            elif last:
                call = f"{base}/finishUpload(uploadId=guid'{upload_id}',fileOffset={offset})"
            else:
                call = f"{base}/continueUpload(uploadId=guid'{upload_id}',fileOffset={offset})"
            body = FileSlice(source.path, offset, length, source.size, progress=progress)
            answer = self._sp_post(case_url, call, target, digest, body, action=action)
            if last:
                state.put(S_FINISHED, "1", durable=False)
                return
            confirmed = _int(answer.get("value") if "value" in answer else
                             next(iter((answer.get("d") or {}).values()), None))
            if confirmed != offset + length:
                raise Transient(f"SharePoint confirmed an unexpected part of {shown_name(source.filename)}; "
                                "the upload starts over on the next attempt.")
            offset += length
            first = False
            state.put(S_OFFSET, str(offset), durable=False)

    def _cancel(self, case_url: str, path: str, digest: str, upload_id: str) -> None:
        try:
            self._sp_post(case_url, f"web/GetFileByServerRelativePath(DecodedUrl=@u)/cancelUpload(uploadId=guid'{upload_id}')",
                          {"@u": _sp_literal(path)}, digest, b"", action="ending an unfinished upload")
        except BackendError:
            pass  # gone already

    def _form_digest(self, case_url: str) -> str:
        response = self.http.request("POST", f"{case_url}/_api/contextinfo", headers={"Accept": "application/json"},
                                     action="asking SharePoint for a form digest")
        with response:
            answer = self.http.json(response, action="asking SharePoint for a form digest")
        info = answer.get("d", {}).get("GetContextWebInformation", answer) if isinstance(answer, dict) else {}
        value = info.get("FormDigestValue") if isinstance(info, dict) else None
        if not isinstance(value, str) or not value:
            raise Transient("SharePoint gave no form digest for the case's web.")
        return value

    def _sp_post(self, case_url: str, call: str, params: dict[str, str], digest: str, body: Any, *,
                 action: str) -> dict[str, Any]:
        response = self.http.request(
            "POST", f"{case_url}/_api/{call}", params=params, data=body, action=action, idempotent=False,
            headers={"X-RequestDigest": digest, "Accept": "application/json", "X-FORMS_BASED_AUTH_ACCEPTED": "f",
                     "Content-Type": "application/octet-stream"})
        with response:
            if not response.content:
                return {}
            answer = self.http.json(response, action=action)
        return answer if isinstance(answer, dict) else {}

    def _file(self, case_url: str, name: str) -> dict[str, Any] | None:
        """SharePoint's properties of the file in the case's library, or None."""
        try:
            answer = self._get_json(f"{case_url}/_api/web/GetFileByServerRelativePath(DecodedUrl=@u)",
                                    params={"@u": _sp_literal(f"/{case_url}/{LIBRARY}/{name}")},
                                    headers={"Accept": "application/json"}, action="looking for an earlier attempt")
        except NotFound:
            return None
        return answer.get("d", answer) if isinstance(answer, dict) else None

    def _file_size(self, case_url: str, name: str) -> int | None:
        found = self._file(case_url, name)
        return _int(found.get("Length")) if found else None

    def _wait_for_doc_id(self, case_url: str, name: str) -> str:
        """The DocID GO gives the file, waiting (bounded) while GO indexes a file that came
        through SharePoint."""
        deadline = self._clock() + self.indexing_wait
        pause = 0.05
        while True:
            try:
                item = self._get_json(
                    f"{case_url}/_api/web/GetFileByServerRelativePath(DecodedUrl=@u)/ListItemAllFields",
                    params={"@u": _sp_literal(f"/{case_url}/{LIBRARY}/{name}")},
                    headers={"Accept": "application/json"}, action="finding the filed document's number")
            except NotFound:
                raise Transient("The filed document vanished from the case's library before GetOrganized "
                                "numbered it; try again.") from None
            doc_id = _doc_id((item.get("d", item) if isinstance(item, dict) else {}).get("DocID"))
            if doc_id is not None:
                return doc_id
            if self._clock() >= deadline:
                raise Transient("GetOrganized has not numbered the filed document yet; it is kept, and "
                                "the next attempt picks it up.")
            self._sleep(pause)
            pause = min(pause * 2, 2.0)

    # --- HTTP helpers --------------------------------------------------------------------

    def _get_json(self, path: str, *, action: str, params: Any = None, headers: dict[str, str] | None = None) -> Any:
        response = self.http.request("GET", path, params=params, headers=headers, action=action)
        with response:
            return self.http.json(response, action=action)

    def _post_json(self, path: str, body: dict[str, Any], *, action: str) -> Any:
        response = self.http.request("POST", path, json=body, action=action)
        with response:
            return self.http.json(response, action=action)


class _Plan:
    """How a CaseQuery is asked of GO, and the check every answer must pass."""

    def __init__(self, query: CaseQuery) -> None:
        self.query = query
        self.number_prefix: str | None = None  # FindCases
        self.number_exact: str | None = None
        self.kle_prefix: str | None = None
        self.words: list[str] = (query.title or "").split()
        self.party: Party | None = query.party
        for value, is_number in (((query.case_number or "").strip(), True), ((query.text or "").strip(), False)):
            if not value:
                continue
            if not is_number and (party := _party_in(value)):
                self.party = self.party or party
            elif _KLE_PREFIX.match(value):
                self.kle_prefix = value.rstrip("*")  # "27.24": GO case ids start with letters
            elif _CASE_ID_PREFIX.match(value) or is_number:
                if value.endswith("*") or not is_number:
                    self.number_prefix = value.rstrip("*")
                else:
                    self.number_exact = value
            else:
                self.words += value.split()
        self.conditions = self._conditions()

    @classmethod
    def of(cls, query: CaseQuery) -> "_Plan":
        return cls(query)

    def _conditions(self) -> list[dict[str, str]]:
        found = []

        def add(name: str, value: str, comparison: str) -> None:
            found.append({"InternalName": name, "Value": value, "ComparisonType": comparison,
                          "DataType": "Text", "IsMultiValue": "False"})

        if self.number_exact:
            add("ows_CaseID", self.number_exact, "Equal")
        for word in self.words:
            add("ows_Title", word, "Contains")
        if self.kle_prefix:
            add("ows_KLENummer", self.kle_prefix, "Contains")
        if self.party and self.party.cpr:
            add("ows_CCMContactData_CPR", self.party.cpr.digits, "Equal")
        elif self.party and self.party.cvr:
            add("ows_CCMContactData", self.party.cvr.digits, "Contains")
        if self.query.caseworker:
            add("ows_CaseOwner", self.query.caseworker.strip(), "Equal")
        if not self.query.include_closed:
            add("ows_CaseStatus", OPEN_STATUS, "Equal")
        return found

    def admits(self, case: Case) -> bool:
        """The whole query, checked on the case as GO describes it."""
        q = self.query
        if not q.include_closed and case.closed:
            return False
        if self.number_prefix is not None and not case.number.casefold().startswith(self.number_prefix.casefold()):
            return False
        if self.number_exact and case.number.casefold() != self.number_exact.casefold():
            return False
        if any(word.casefold() not in case.title.casefold() for word in self.words):
            return False
        if self.kle_prefix and not (case.kle or "").startswith(self.kle_prefix):
            return False
        if q.caseworker and (case.caseworker or "").casefold() != q.caseworker.strip().casefold():
            return False
        if self.party and not any((self.party.cpr and p.cpr == self.party.cpr) or (self.party.cvr and p.cvr == self.party.cvr)
                                  for p in case.parties):
            return False
        return True


def _party_in(text: str) -> Party | None:
    compact = text.replace(" ", "")
    try:
        return Party(cpr=Cpr.parse(compact))
    except ValueError:
        pass
    if re.fullmatch(r"\d{8}", compact):
        try:
            return Party(cvr=Cvr.parse(compact))
        except ValueError:
            return None
    return None


class _NoState:
    """A ResumeState that knows nothing (a lookup outside an upload's own state)."""

    def get(self, key: str) -> str | None:
        return None

    def put(self, key: str, value: str, *, durable: bool = True) -> None:
        pass


_NO_STATE = _NoState()


# --- request bodies streamed from disk ------------------------------------------------------------

_DIGIT_COUNT = bytes(1 if b < 10 else 2 if b < 100 else 3 for b in range(256))
_INT_TEXT = [str(b).encode() for b in range(256)]


class JsonFileBody:
    """A JSON object whose last member is the file, produced on demand with a known length:
    requests sends a Content-Length and takes the body block by block, so neither the file nor
    its JSON form is ever whole in memory. `int_array` writes `[137,80,...]` (its length needs
    one pass over the file first), `base64` a string."""

    def __init__(self, members: dict[str, Any], file_member: str, path: Path, size: int, encoding: str, *,
                 progress: ProgressCallback | None = None, block_size: int | None = None) -> None:
        import json

        self.path = path
        self.size = size
        self.encoding = encoding
        self.progress = progress
        # bytes.join holds a buffer view (~80 bytes) per item: int array blocks stay small
        block_size = block_size or (64 * 1024 if encoding == "int_array" else 768 * 1024)
        self.block_size = block_size - block_size % 3  # base64 blocks join without padding
        head = json.dumps(members, ensure_ascii=False)[:-1]
        self.head = (head + (", " if members else "") + json.dumps(file_member) + ": ").encode("utf-8")
        self.tail = b"]}" if encoding == "int_array" else b'"}'
        self.head += b"[" if encoding == "int_array" else b'"'
        self._length = len(self.head) + self._encoded_length() + len(self.tail)

    def _encoded_length(self) -> int:
        if self.encoding == "base64":
            return 4 * ((self.size + 2) // 3)
        digits = 0
        for block in self._blocks():
            counted = block.translate(_DIGIT_COUNT)
            digits += len(block) + counted.count(2) + 2 * counted.count(3)
        return digits + max(0, self.size - 1)

    def __len__(self) -> int:
        return self._length

    def _blocks(self) -> Iterator[bytes]:
        try:
            file = open(self.path, "rb", buffering=0)  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"Cannot read {self.path.name}: {exc.strerror or exc}.") from None
        with file:
            left = self.size
            while left:
                block = file.read(min(left, self.block_size))
                if not block:
                    raise InputError(f"{self.path.name} changed while it was being sent (it shrank); file it again.")
                left -= len(block)
                yield block
            if file.read(1):
                raise InputError(f"{self.path.name} changed while it was being sent (it grew); file it again.")

    def __iter__(self) -> Iterator[bytes]:
        yield self.head
        sent = 0
        for block in self._blocks():
            if self.encoding == "base64":
                yield base64.b64encode(block)
            else:
                if sent:
                    yield b","
                yield b",".join(map(_INT_TEXT.__getitem__, block))
            sent += len(block)
            if self.progress:
                self.progress(sent, self.size)
        yield self.tail


class FileSlice:
    """Bytes [start, start+length) of a file as a request body with a length, read in blocks."""

    def __init__(self, path: Path, start: int, length: int, total: int, *,
                 progress: ProgressCallback | None = None) -> None:
        self.path, self.start, self.length, self.total, self.progress = path, start, length, total, progress

    def __len__(self) -> int:
        return self.length

    def __iter__(self) -> Iterator[bytes]:
        try:
            file = open(self.path, "rb", buffering=0)  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"Cannot read {self.path.name}: {exc.strerror or exc}.") from None
        with file:
            file.seek(self.start)
            left = self.length
            while left:
                block = file.read(min(left, CHUNK))
                if not block:
                    raise InputError(f"{self.path.name} changed while it was being sent (it shrank); file it again.")
                left -= len(block)
                yield block
                if self.progress:
                    self.progress(self.start + self.length - left, self.total)


# --- reading GO's answers ----------------------------------------------------------------------

def _row(text: Any) -> dict[str, str]:
    """The attributes of GO's `<z:row .../>`."""
    if not isinstance(text, str) or not text.strip():
        raise Transient("GetOrganized answered without the metadata it was asked for.")
    try:
        return dict(ET.fromstring(text).attrib)
    except ET.ParseError:
        raise Transient("GetOrganized answered with metadata that is not XML.") from None


def _results_xml(answer: Any) -> list[str]:
    """FindCases' CaseIDs; its first element must say the service succeeded."""
    text = answer.get("ResultsXml") if isinstance(answer, dict) else None
    if not isinstance(text, str):
        raise Transient("GetOrganized answered a case number search without its results.")
    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        raise Transient("GetOrganized answered a case number search with results that are not XML.") from None
    status = root.find("ServiceStatus")
    if status is None or status.get("Status") != "Success":
        said = redact_cprs(" ".join((status.get("Message") or "").split())[:200]) if status is not None else ""
        raise ValidationFailed("GetOrganized could not search case numbers" + (f": {said.rstrip('.')}." if said else "."))
    return [c.get("CaseID", "") for c in root.findall("Case") if c.get("CaseID")]


def _parties(contact_data: str) -> tuple[Party, ...]:
    """`name;#ID;#CPR;#CVR;#PNumber`, one group per contact."""
    if not contact_data:
        return ()
    values = contact_data.split(";#")
    parties = []
    for start in range(0, len(values) - 4, 5):
        name, _id, cpr, cvr, _pnumber = values[start:start + 5]
        role = PartyRole.PRIMARY if not parties else PartyRole.INVOLVED
        party_cpr = party_cvr = None
        try:
            party_cpr = Cpr.parse(cpr) if cpr.strip() else None
        except ValueError:
            pass
        try:
            party_cvr = Cvr.parse(cvr) if cvr.strip() else None
        except ValueError:
            pass
        if name.strip() or party_cpr or party_cvr:
            parties.append(Party(name=name.strip() or None, cpr=party_cpr, cvr=party_cvr, role=role))
    return tuple(parties)


def _odata_list(answer: Any) -> list[dict[str, Any]]:
    if isinstance(answer, dict):
        items = answer.get("value")
        if items is None and isinstance(answer.get("d"), dict):
            items = answer["d"].get("results")
        if isinstance(items, list):
            return [i for i in items if isinstance(i, dict)]
    raise Transient("SharePoint answered the document listing without its list of files.")


def _doc_id(value: Any) -> str | None:
    try:
        number = int(float(str(value)))
    except (TypeError, ValueError):
        return None
    return str(number) if number > 0 else None


def _int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
