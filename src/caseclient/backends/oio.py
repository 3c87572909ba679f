"""The `oio` backend: the OIO REST dialect of LoRa 1.10.0 (see shared docs/oio-rest.md).

Exactly-once filing: the document's uuid is derived from the caller's idempotency key (uuid5) and
kept in the ResumeState before anything is sent. The Dokument is imported with an idempotent
`PUT /dokument/dokument/{uuid}` (skipped when an earlier attempt already stored it with its file),
and the journalpost is appended to the Sag only after `GET /sag/sag?journalpost={uuid}` shows it
is not there yet. A first attempt (an empty ResumeState) does not look for an earlier Dokument
before the PUT, and when the read-back says the PUT created it (`livscykluskode` Importeret, not
Rettet) no case can hold it yet, so the journalpost search is skipped too: four requests instead
of six. A document is never on its case twice, and never on it without its file.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterator
from datetime import date, datetime, timezone
from typing import Any, BinaryIO

import requests

from ..domain import (
    CHUNK,
    Case,
    Conflict,
    DocumentMetadata,
    DocumentRef,
    NotFound,
    Party,
    TooLarge,
    Transient,
    UploadSource,
    ValidationFailed,
    redact_cprs,
)
from . import oio_mapping as oio
from .http import DEFAULT_TIMEOUT, NotADocumentService, ServiceHttp
from .multipart import FileField, MultipartBody, TextField
from .protocol import Capability, CaseQuery, ProgressCallback, ResumeState
from .values import party_in_text, shown_name

SAG = "sag/sag"
DOKUMENT = "dokument/dokument"
CLASS = "klassifikation/klasse"
DOCUMENT_UUID_NAMESPACE = uuid.UUID("6f0e8f7c-3b0a-5d55-9a43-2c1a4e0c7a11")
STATE_DOCUMENT_UUID = "oio.document_uuid"
LIST_BATCH = 50
MAX_PAGE = 1000  # cases in one list=true page: fewer pages, fewer skips past earlier hits (a sync of 100,000)


def document_uuid_for(idempotency_key: str) -> str:
    """The Dokument uuid an upload with this key uses, on every attempt."""
    return str(uuid.uuid5(DOCUMENT_UUID_NAMESPACE, idempotency_key))


class OioService:
    """A DocumentService over OIO REST. The session carries auth and client certificates."""

    name = "oio"
    capabilities = (
        Capability.SEARCH_FULLTEXT | Capability.SEARCH_BY_PARTY | Capability.SEARCH_BY_CASEWORKER
        | Capability.LIST_DOCUMENTS | Capability.READ_CONTENT | Capability.INBOX_WITH_PARTIES
        | Capability.SERVER_IDEMPOTENT | Capability.DOC_RECIPIENTS | Capability.DOC_KLE
    )
    max_upload_bytes: int | None = None

    def __init__(
        self,
        base_url: str,
        session: requests.Session | None = None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        max_upload_bytes: int | None = None,
    ) -> None:
        self.http = ServiceHttp(base_url, session, timeout=timeout)
        self.max_upload_bytes = max_upload_bytes
        self._class_numbers: dict[str, str | None] = {}  # Klasse uuid -> KLE number

    # --- cases ---------------------------------------------------------------------------

    def search_cases(self, query: CaseQuery) -> list[Case]:
        if query.limit <= 0:
            return []
        alternatives = self._search_alternatives(query)
        if len(alternatives) == 1 and query.include_closed:
            # Nothing is left out here, so the service's offset is the query's: no earlier page is read again.
            found_here = self._matching_cases(alternatives[0], query, page_size=min(query.limit, MAX_PAGE), first=query.offset)
            return list(itertools.islice(found_here, query.limit))
        wanted = query.offset + query.limit
        found: dict[str, Case] = {}
        for params in alternatives:
            for case in self._matching_cases(params, query, page_size=min(wanted, MAX_PAGE)):
                found.setdefault(case.id, case)
                if len(found) >= wanted:
                    break
            if len(found) >= wanted:
                break
        return list(found.values())[query.offset:wanted]

    def _search_alternatives(self, query: CaseQuery) -> list[list[tuple[str, str]]]:
        """One OIO search per way the free text may be meant, each with the query's other filters
        (repeated arguments must all match)."""
        base: list[tuple[str, str]] = []
        if query.case_number:
            base.append(("sagsnummer", _number_pattern(query.case_number)))
        if query.caseworker:
            base.append(("primaerbehandler", _object_reference(query.caseworker, "caseworker")))
        text = (query.text or "").strip()
        title = " ".join(filter(None, (query.title, text))).strip()
        alternatives = []
        if found := party_in_text(text):
            alternatives.append([*base, *_title_filter(query.title)])
        else:
            if text and len(text.split()) == 1 and not query.case_number:
                alternatives.append([*base, ("sagsnummer", text.rstrip("*%") + "%"), *_title_filter(query.title)])
            alternatives.append([*base, *_title_filter(title)])
        party = query.party or found
        if party:
            # LoRa takes only uuids in vilkaarligrel: a CPR or CVR urn is asked for per relation.
            urn = _party_urn(party)
            return [[*params, (relation, urn)] for params in alternatives for relation in oio.PARTY_RELATIONS]
        return [params or [("brugervendtnoegle", "%")] for params in alternatives]

    def _matching_cases(
        self, params: list[tuple[str, str]], query: CaseQuery, *, page_size: int, first: int = 0
    ) -> Iterator[Case]:
        """Full cases of one search from hit `first` on, page by page, with the closed ones left out
        unless asked for."""
        while True:
            page = self._get_json(
                SAG, action="searching cases",
                params=[*params, ("list", "true"), ("maximalantalresultater", str(page_size)),
                        ("foersteresultat", str(first))],
            )
            hits = [h for h in oio.results(page) if isinstance(h, dict)]
            for case in self._cases(hits):
                if query.include_closed or not case.closed:
                    yield case
            if len(hits) < page_size:
                return
            first += page_size

    def _cases(self, objects: list[dict[str, Any]]) -> list[Case]:
        """Cases from Sag objects, their KLE subject classes looked up (once per service)."""
        unknown = {oio.subject_class_id(obj) for obj in objects} - self._class_numbers.keys() - {None}
        if unknown:
            try:
                page = self._get_json(CLASS, action="looking up KLE classes", params=[("uuid", u) for u in unknown])
            except NotFound:  # a deleted class fails the whole list: leave those cases without KLE
                page = {}
            found = {hit.get("id"): oio.class_number(hit) for hit in oio.results(page) if isinstance(hit, dict)}
            self._class_numbers.update({u: found.get(u) for u in unknown})
        return [oio.case_from_oio(obj, self._class_numbers) for obj in objects]

    def _class_id(self, number: str) -> str | None:
        """The uuid of the Klasse for a KLE number (its brugervendtnoegle), None when there is none."""
        known = [class_id for class_id, known in self._class_numbers.items() if known == number]
        if known:
            return known[0]
        page = self._get_json(CLASS, action="looking up a KLE class", params={"brugervendtnoegle": number})
        found = next((hit for hit in oio.results(page) if isinstance(hit, str)), None)
        if found:
            self._class_numbers[found] = number
        return found

    def get_case(self, case_id: str) -> Case:
        return self._cases([self._read(SAG, case_id, what="case")])[0]

    def find_case_by_number(self, number: str) -> Case:
        wanted = number.strip()
        page = self._get_json(SAG, action="looking up a case number", params={"sagsnummer": wanted, "list": "true"})
        exact = [hit for hit in oio.results(page) if isinstance(hit, dict)
                 and oio.attributes(oio.registration(hit), "sagegenskaber").get("sagsnummer", "").casefold()
                 == wanted.casefold()]
        if exact:
            return self._cases(exact[:1])[0]
        raise NotFound(f"No case has the number {redact_cprs(wanted)!r}.")

    def list_documents(self, case_id: str) -> list[DocumentRef]:
        posts = oio.attached_documents(oio.registration(self._read(SAG, case_id, what="case")))
        ids = list(dict.fromkeys(p.document_id for p in posts))
        documents: dict[str, dict[str, Any]] = {}
        for start in range(0, len(ids), LIST_BATCH):
            documents.update(self._documents(ids[start:start + LIST_BATCH]))
        # A journalpost to a deleted Dokument is no filed document (nor a duplicate); one to a
        # Dokument the service never had is shown by its journalpost title (LoRa has no
        # referential integrity).
        return [
            oio.document_ref_from_oio(documents[p.document_id], case_id, title=p.title)
            if p.document_id in documents else DocumentRef(id=p.document_id, case_id=case_id, title=p.title)
            for p in posts if p.document_id not in documents or not oio.is_deleted(documents[p.document_id])
        ]

    def _documents(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The Dokumenter with these ids that the service knows, deleted ones included. LoRa lists a
        deleted Dokument (livscykluskode Slettet) but fails the whole list with 410 when the first
        uuid is one; then the rest are listed without it."""
        found: dict[str, dict[str, Any]] = {}
        while ids:
            try:
                page = self._get_json(DOKUMENT, action="listing the case's documents",
                                      params=[("uuid", i) for i in ids])
            except NotFound as error:
                if error.status != 410:
                    raise
                found[ids[0]] = oio.deleted_object(ids[0])
                ids = ids[1:]
                continue
            found.update((hit["id"], hit) for hit in oio.results(page) if isinstance(hit, dict) and "id" in hit)
            break
        return found

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
        first_attempt = state.get(STATE_DOCUMENT_UUID) is None
        document_id = self._document_id(idempotency_key, state)
        self.get_case(case_id)  # an unknown case fails here, before any byte is sent
        stored, existed = self._store_document(document_id, source, metadata, idempotency_key, inbox=False,
                                               progress=progress, first_attempt=first_attempt)
        created_now = not existed and oio.registration(stored).get("livscykluskode") == oio.IMPORTED
        holders = [] if created_now else self._cases_holding(document_id)
        if holders and case_id not in holders:
            raise Conflict("An earlier attempt filed this document on another case; it was not filed twice.")
        if case_id not in holders:
            self.http.request(
                "PATCH", f"{SAG}/{case_id}", json=oio.journalpost_patch(document_id, metadata.title, _today()),
                action=f"putting {shown_name(source.filename)} on the case", idempotent=False,
            ).close()
        return oio.document_ref_from_oio(stored, case_id, already_existed=case_id in holders)

    def upload_to_inbox(
        self,
        source: UploadSource,
        metadata: DocumentMetadata,
        *,
        idempotency_key: str,
        state: ResumeState,
        progress: ProgressCallback | None = None,
    ) -> DocumentRef:
        if not any(p.cpr or p.cvr for p in metadata.parties):
            raise ValidationFailed("A document placed without a case needs at least one party with a CPR or CVR number.")
        document_id = self._document_id(idempotency_key, state)  # callers repeat with a fresh state: look
        stored, existed = self._store_document(document_id, source, metadata, idempotency_key, inbox=True,
                                               progress=progress, first_attempt=False)
        return oio.document_ref_from_oio(stored, None, already_existed=existed)

    def find_upload(self, idempotency_key: str, state: ResumeState) -> DocumentRef | None:
        document_id = state.get(STATE_DOCUMENT_UUID) or document_uuid_for(idempotency_key)
        existing = self._read_document(document_id)
        if not _complete(existing):
            return None
        holders = self._cases_holding(document_id)
        if holders:
            return oio.document_ref_from_oio(existing, holders[0], already_existed=True)
        if oio.integration_data(oio.attributes(oio.registration(existing), "dokumentegenskaber")).get("placement") == "inbox":
            return oio.document_ref_from_oio(existing, None, already_existed=True)
        return None  # stored, but the journalpost never landed: not filed

    def read_content(self, document_id: str, sink: BinaryIO) -> int:
        part = oio.file_part(self._read(DOKUMENT, document_id, what="document"))
        if part is None:
            raise NotFound(f"Document {document_id} holds no file.")
        action = f"reading the file of document {document_id}"
        try:
            response = self.http.request("GET", f"{DOKUMENT}/{part.content_path}", action=action, stream=True)
        except Transient as error:  # LoRa answers 500 for a content path it does not have
            if error.status != 500:
                raise
            raise NotFound(f"The file of document {document_id} is missing on the document service.",
                           status=500, detail=error.detail) from None
        written = 0
        with response:
            try:
                for block in response.iter_content(CHUNK):
                    sink.write(block)
                    written += len(block)
            except requests.RequestException as exc:
                raise self.http.error_for_exception(exc, action=action, idempotent=True) from None
        return written

    # --- the pieces of a filing -------------------------------------------------------------

    def _document_id(self, idempotency_key: str, state: ResumeState) -> str:
        """The uuid this upload uses, written to the ResumeState before any risky call."""
        if not idempotency_key:
            raise ValueError("an upload needs an idempotency key")
        document_id = state.get(STATE_DOCUMENT_UUID)
        if not document_id:
            document_id = document_uuid_for(idempotency_key)
            # Not durable: the uuid follows from the key, and an attempt that lost this note in a
            # power cut re-sends its PUT, whose read-back (Rettet) makes it look before appending.
            state.put(STATE_DOCUMENT_UUID, document_id, durable=False)
        return document_id

    def _store_document(
        self, document_id: str, source: UploadSource, metadata: DocumentMetadata, idempotency_key: str, *,
        inbox: bool, progress: ProgressCallback | None, first_attempt: bool,
    ) -> tuple[dict[str, Any], bool]:
        """The Dokument with its file on the server, and whether an earlier attempt had stored it."""
        existing = None if first_attempt else self._read_document(document_id)
        if existing is not None and _complete(existing):
            if progress:
                progress(source.size, source.size)
            return existing, True
        if self.max_upload_bytes is not None and source.size > self.max_upload_bytes:
            raise TooLarge(f"{shown_name(source.filename)} is larger than the document service accepts.")
        self._put_document(document_id, source, metadata, idempotency_key, inbox=inbox, progress=progress)
        stored = self._read_document(document_id)
        if stored is None or not _complete(stored):
            raise ValidationFailed(f"The document service did not keep the file of {shown_name(source.filename)}.")
        return stored, False

    def _put_document(
        self, document_id: str, source: UploadSource, metadata: DocumentMetadata, idempotency_key: str, *,
        inbox: bool, progress: ProgressCallback | None,
    ) -> None:
        """Import the Dokument and its file in one streamed multipart PUT (idempotent)."""
        body = oio.document_body(metadata, source, idempotency_key=idempotency_key, inbox=inbox, today=_today(),
                                 kle_class_id=self._class_id(metadata.kle) if metadata.kle else None)
        multipart = MultipartBody(
            [TextField("json", json.dumps(body, ensure_ascii=False))],
            [FileField(oio.FILE_FIELD, source.path, source.filename, source.mime_type, source.size)],
            progress=progress,
        )
        self.http.request(
            "PUT", f"{DOKUMENT}/{document_id}", data=multipart, headers={"Content-Type": multipart.content_type},
            action=f"sending {shown_name(source.filename)}", idempotent=True,
        ).close()
        if progress and source.size == 0:
            progress(0, 0)

    def _read_document(self, document_id: str) -> dict[str, Any] | None:
        try:
            return self._read(DOKUMENT, document_id, what="document")
        except NotFound:
            return None

    def _cases_holding(self, document_id: str) -> list[str]:
        """The cases with a journalpost to this document (asked before every append)."""
        page = self._get_json(SAG, action="checking where the document is filed", params={"journalpost": document_id})
        return [hit if isinstance(hit, str) else hit.get("id", "") for hit in oio.results(page)]

    def _read(self, path: str, object_id: str, *, what: str) -> dict[str, Any]:
        try:
            uuid.UUID(object_id)
        except ValueError:
            raise NotFound(f"{what.capitalize()} id {redact_cprs(object_id)!r} is not an OIO uuid.") from None
        try:
            body = self._get_json(f"{path}/{object_id}", action=f"reading {what} {object_id}")
        except NotADocumentService:
            raise  # a web server at the address, not a missing object
        except NotFound as error:
            raise NotFound(f"The document service has no {what} {object_id}.", status=error.status) from None
        found = oio.single_object(body, object_id)
        if found is None:
            raise NotFound(f"The document service has no {what} {object_id}.")
        return found

    def _get_json(self, path: str, *, action: str, params: Any = None) -> Any:
        with self.http.request("GET", path, params=params, action=action) as response:
            return self.http.json(response, action=action)


def _complete(document: dict[str, Any] | None) -> bool:
    return document is not None and oio.file_part(document) is not None


def _today() -> date:
    return datetime.now(timezone.utc).date()


def _number_pattern(number: str) -> str:
    """An exact case number, or a prefix when it ends in '*'."""
    number = number.strip()
    return number[:-1] + "%" if number.endswith("*") else number


def _title_filter(text: str | None) -> list[tuple[str, str]]:
    """Title words in the order given, anything between them: `titel=%word1%word2%`."""
    words = (text or "").split()
    return [("titel", "%" + "%".join(words) + "%")] if words else []


def _party_urn(party: Party) -> str:
    urn = oio.party_urn(party)
    if urn is None or urn.startswith(oio.MAIL_URN):
        raise ValidationFailed("A party search needs a CPR or CVR number.")
    return urn


def _object_reference(value: str, what: str) -> str:
    """An OIO relation target: a uuid or a urn (a login or a name matches nothing in OIO)."""
    value = value.strip()
    try:
        return str(uuid.UUID(value))
    except ValueError:
        if value.startswith("urn:"):
            return value
    raise ValidationFailed(f"Searching by {what} needs its OIO id (a uuid or urn), not {redact_cprs(value)!r}.")


