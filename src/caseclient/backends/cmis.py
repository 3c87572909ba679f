"""The `cmis` backend: any repository that speaks the CMIS 1.1 browser binding (JSON), such as
Alfresco and Nuxeo (shared docs/backends.md 0b and 5; the OASIS spec; OpenCMIS's constants).

Discovery: `GET {browser binding}` answers the repositories (`{"<id>": {repositoryUrl,
rootFolderUrl, rootFolderId, cmisVersionSupported, capabilities, ...}}`). service.url may be the
browser binding's address itself (Alfresco's `.../api/-default-/public/cmis/versions/1.1/browser`,
Nuxeo's `/nuxeo/json/cmis`), a repository's address under it, or a server's root, from which the
usual places are tried. Every other address comes from the repository info.

Cases are folders (CaseMapping, from the `service.cmis_*` settings): either the subfolders of one folder
(`service.cmis_case_folder`, default `/Sager`), each named by its case number, or the folders of a type
found by a query on a property that holds the number (`service.cmis_case_number_property`). A case's
title, KLE number, caseworker, status and parties are properties of its folder
(`service.cmis_case_properties`). Searching is `POST {repositoryUrl}` with
`cmisaction=query&statement=SELECT * FROM <case type> WHERE ...` (`maxItems`, `skipCount`).

Filing is `createDocument` into the case folder (`POST {rootFolderUrl}?objectId=<folder>`,
multipart: `propertyId[n]`/`propertyValue[n]` for `cmis:name`, `cmis:objectTypeId`, the title
as `cmis:description`, and where DocumentMapping (`service.cmis_document_properties`) names them
the letter date (milliseconds since 1970, as the browser binding writes date-times) and the
direction; `versioningState=none`, the streamed file part `content`). CMIS has no
exactly-once of its own: the document's `cmis:name` is made from the idempotency key (the file's
name with a tag of the key), so an attempt that is repeated meets `nameConstraintViolation` (409;
Alfresco says `contentAlreadyExists`), and `find_upload` looks the name up in the case folder by
path. A file over one chunk goes in pieces where the repository offers `appendContent` (CMIS 1.1
with `capabilityContentStreamUpdatability = anytime`): the first with createDocument, the rest
appended; the document's `cmis:contentStreamLength` says how much landed, so a retry appends from
there. The ResumeState holds the name, the folder and the size before the first request goes out.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Any, BinaryIO, Iterator
from urllib.parse import quote, urlsplit, urlunsplit

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
    Duplicate,
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
from .http import DEFAULT_TIMEOUT, ServiceHttp
from .multipart import FileField, MultipartBody, TextField
from .protocol import Capability, CaseQuery, ProgressCallback, ResumeState
from .values import iso_datetime, party_in_text, shown_name

log = logging.getLogger(__name__)

STATE_NAME = "cmis.name"  # the document's cmis:name, written before the first request of an attempt
STATE_FOLDER = "cmis.folder"  # {"id", "path"} of the case folder it goes into
STATE_SIZE = "cmis.size"  # the file's size: a document of that length is complete
STATE_OBJECT = "cmis.object"  # the filed document's objectId

# Where browser bindings usually live, tried in order when service.url is a server's root (the
# root itself is not asked: a binding is never served there). The generic place goes first.
BROWSER_PATHS = (
    "/cmis/browser",  # OpenCMIS servlets deployed as `cmis`, caseclient's simulator
    "/alfresco/api/-default-/public/cmis/versions/1.1/browser",  # Alfresco 4.2+
    "/nuxeo/json/cmis",  # Nuxeo
    "/inmemory/browser",  # the Apache Chemistry reference server
)
APPEND_CHUNK = 64 * 1024 * 1024
PAGE = 500
MAX_NAME_STEM = 100
CLOSED_STATES = ("afsluttet", "lukket", "closed", "arkiveret", "archived")
DUPLICATE_NAME = ("contentAlreadyExists", "nameConstraintViolation")
_ILLEGAL_NAME = re.compile(r'[/\\*"<>?:|\x00-\x1f]')
_CASE_FIELDS = ("title", "kle", "caseworker", "status", "parties")
_KLE = re.compile(r"^\d\d\.\d\d\.\d\d$")
DIRECTIONS = {Direction.INCOMING: "Indgående", Direction.OUTGOING: "Udgående", Direction.INTERNAL: "Internt"}


@dataclass(frozen=True, slots=True)
class CaseMapping:
    """How cases are found in the repository (the `service.cmis_*` settings)."""

    folder: str = "/Sager"  # by path: the folder whose subfolders are the cases, named by number
    number_property: str = ""  # by query: the property holding the case number ("" = by path)
    case_type: str = "esdh:sag"  # the folder type queried for cases
    properties: dict[str, str] = field(default_factory=lambda: {
        "title": "esdh:titel", "kle": "esdh:kle", "caseworker": "esdh:sagsbehandler",
        "status": "esdh:status", "parties": "esdh:parter"})

    @classmethod
    def parse(cls, *, folder: str, number_property: str, case_type: str, properties: str) -> "CaseMapping":
        """From the settings' text; ValueError with one sentence for a mapping that cannot work."""
        found: dict[str, str] = {}
        for item in filter(None, (part.strip() for part in properties.replace(";", ",").split(","))):
            key, sep, value = item.partition("=")
            key = key.strip().lower()
            if not sep or key not in _CASE_FIELDS:
                raise ValueError(f"The setting service.cmis_case_properties has '{item}'; it takes "
                                 f"{', '.join(k + '=<property>' for k in _CASE_FIELDS)}.")
            found[key] = value.strip()
        for value in (number_property, case_type, *found.values()):
            if value and not re.fullmatch(r"[A-Za-z_][\w:.\-]*", value):
                raise ValueError(f"'{value}' in the cmis settings is not a CMIS property or type id.")
        if not case_type.strip():
            raise ValueError("The setting service.cmis_case_type is empty; it names the folder type of cases.")
        if not number_property.strip() and not folder.strip().strip("/"):
            raise ValueError("Either service.cmis_case_folder or service.cmis_case_number_property must say where cases are.")
        return cls(folder="/" + folder.strip().strip("/"), number_property=number_property.strip(),
                   case_type=case_type.strip(), properties=found)

    @property
    def by_path(self) -> bool:
        return not self.number_property

    @property
    def number(self) -> str:
        return self.number_property or "cmis:name"

    def property(self, name: str) -> str:
        return self.properties.get(name, "")


@dataclass(frozen=True, slots=True)
class DocumentMapping:
    """The type a document is created as, and which of its properties hold the letter date and
    the direction (the `service.cmis_document_properties` setting); "" leaves a property out."""

    type: str = "esdh:dokument"
    date: str = "esdh:dokumentdato"
    direction: str = "esdh:retning"

    @classmethod
    def parse(cls, text: str) -> "DocumentMapping":
        found: dict[str, str] = {}
        for item in filter(None, (part.strip() for part in text.replace(";", ",").split(","))):
            key, sep, value = item.partition("=")
            key = key.strip().lower()
            if not sep or key not in ("type", "date", "direction"):
                raise ValueError(f"The setting service.cmis_document_properties has '{item}'; it takes "
                                 "type=<document type>, date=<property>, direction=<property>.")
            if value.strip() and not re.fullmatch(r"[A-Za-z_][\w:.\-]*", value.strip()):
                raise ValueError(f"'{value.strip()}' in service.cmis_document_properties is not a CMIS id.")
            found[key] = value.strip()
        return cls(type=found.get("type") or "cmis:document", date=found.get("date", ""),
                   direction=found.get("direction", ""))


@dataclass
class _Repository:
    url: str  # repositoryUrl
    root_url: str  # rootFolderUrl
    version: str
    appendable: bool


class CmisService:
    """A DocumentService over a CMIS 1.1 browser binding. The session carries the sign-in (CMIS
    repositories take HTTP Basic, `auth.mode = basic`; some a bearer token)."""

    name = "cmis"
    max_upload_bytes: int | None = None
    append_chunk_bytes = APPEND_CHUNK

    def __init__(
        self,
        base_url: str,
        session: requests.Session | None = None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        mapping: CaseMapping | None = None,
        documents: DocumentMapping | None = None,
    ) -> None:
        self.http = ServiceHttp(base_url, session, timeout=timeout, service_name="the CMIS repository")
        self.mapping = mapping or CaseMapping()
        self.documents = documents or DocumentMapping()
        self.capabilities = (
            Capability.SEARCH_FULLTEXT | Capability.LIST_DOCUMENTS | Capability.READ_CONTENT
            | Capability.NAME_CONFLICT | Capability.CHUNKED_UPLOAD | Capability.RESUMABLE_UPLOAD
        )
        if self.mapping.property("parties"):
            self.capabilities |= Capability.SEARCH_BY_PARTY
        if self.mapping.property("caseworker"):
            self.capabilities |= Capability.SEARCH_BY_CASEWORKER
        self._lock = threading.Lock()
        self._repository: _Repository | None = None
        self._cases_folder: str | None = None
        self._open_cases: dict[str, dict[str, Any]] = {}  # case id -> its folder's id, path and number
        self._append_refused = False

    # --- discovery ---------------------------------------------------------------------------

    def _repo(self) -> _Repository:
        with self._lock:
            if self._repository is not None:
                return self._repository
        base = self.http.base_url
        parts = urlsplit(base)
        infos = self._service_document(base) if parts.path.strip("/") else None
        if infos is None:
            for path in BROWSER_PATHS:
                infos = self._service_document(urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + path, "", "")))
                if infos is not None:
                    break
        if not infos:
            raise NotFound(f"No CMIS browser binding answers at {self.http.host}; set service.url to its address "
                           "(for Alfresco .../alfresco/api/-default-/public/cmis/versions/1.1/browser).")
        chosen = next((i for i in infos if self._same_place(str(i.get("repositoryUrl", "")), base)), infos[0])
        repository = _Repository(
            url=self._rebased(str(chosen.get("repositoryUrl") or "")),
            root_url=self._rebased(str(chosen.get("rootFolderUrl") or "")),
            version=str(chosen.get("cmisVersionSupported") or ""),
            appendable=(str(chosen.get("cmisVersionSupported") or "") >= "1.1" and str(
                (chosen.get("capabilities") or {}).get("capabilityContentStreamUpdatability") or "") == "anytime"),
        )
        if not repository.url or not repository.root_url:
            raise Transient(f"The CMIS repository at {self.http.host} names no repository or root folder address.")
        with self._lock:
            self._repository = repository
        return repository

    def _service_document(self, url: str) -> list[dict[str, Any]] | None:
        """The repository infos at `url`, or None when nothing CMIS answers there (404, not JSON)."""
        action = "looking for the CMIS repository"
        try:
            response = self.http.session.get(url, timeout=self.http.timeout, headers={"Accept": "application/json"})
        except requests.RequestException as exc:
            raise self.http.error_for_exception(exc, action=action, idempotent=True) from None
        with response:
            if response.status_code in (404, 405):
                return None
            if response.status_code >= 300:
                raise self._error(response, action)
            try:
                body = response.json()
            except ValueError:
                return None
        if not isinstance(body, dict):
            return None
        infos = [v for v in body.values() if isinstance(v, dict) and v.get("repositoryId")]
        if not infos and body.get("repositoryId"):
            infos = [body]
        return infos or None

    def _same_place(self, url: str, base: str) -> bool:
        return bool(url) and urlsplit(url).path.rstrip("/") == urlsplit(base).path.rstrip("/")

    def _rebased(self, url: str) -> str:
        """An address the repository names, on the scheme and host caseclient was configured with
        (a repository behind a proxy often names its own internal host)."""
        if not url:
            return ""
        ours, theirs = urlsplit(self.http.base_url), urlsplit(url)
        return urlunsplit((ours.scheme, ours.netloc, theirs.path, theirs.query, ""))

    def _cases_folder_id(self) -> str:
        with self._lock:
            if self._cases_folder is not None:
                return self._cases_folder
        folder = self._by_path(self.mapping.folder, action="finding the folder of cases")
        if folder is None or _prop(folder, "cmis:baseTypeId") != "cmis:folder":
            raise NotFound(f"The CMIS repository at {self.http.host} has no folder {self.mapping.folder} "
                           "(the setting service.cmis_case_folder).")
        with self._lock:
            self._cases_folder = str(_prop(folder, "cmis:objectId"))
        return self._cases_folder

    # --- cases -------------------------------------------------------------------------------

    def search_cases(self, query: CaseQuery) -> list[Case]:
        if query.limit <= 0:
            return []
        m = self.mapping
        where: list[str] = []
        if m.by_path:
            where.append(f"IN_FOLDER({_literal(self._cases_folder_id())})")
        if query.case_number and query.case_number.strip():
            number = query.case_number.strip()
            if number.endswith("*"):
                where.append(f"{m.number} LIKE {_literal(_like(number[:-1]) + '%')}")
            else:
                where.append(f"{m.number} = {_literal(number)}")
        if m.property("title"):
            where += [f"{m.property('title')} LIKE {_literal('%' + _like(w) + '%')}" for w in (query.title or "").split()]
        if query.party and (query.party.cpr or query.party.cvr):
            if not m.property("parties"):
                raise NotSupported("The CMIS case mapping names no property of parties (service.cmis_case_properties).")
            digits = query.party.cpr.digits if query.party.cpr else query.party.cvr.digits
            where.append(f"{_literal(digits)} = ANY {m.property('parties')}")
        if query.caseworker and query.caseworker.strip():
            if not m.property("caseworker"):
                raise NotSupported("The CMIS case mapping names no property of the caseworker (service.cmis_case_properties).")
            where.append(f"{m.property('caseworker')} = {_literal(query.caseworker.strip())}")
        for word in (query.text or "").split():
            where.append(self._free_text(word))
        if not query.include_closed and m.property("status"):
            closed = sorted({v for s in CLOSED_STATES for v in (s, s.capitalize(), s.upper())})
            where.append(f"({m.property('status')} IS NULL OR {m.property('status')} NOT IN "
                         f"({', '.join(_literal(s) for s in closed)}))")
        statement = f"SELECT * FROM {m.case_type}"
        if where:
            statement += " WHERE " + " AND ".join(where)
        statement += f" ORDER BY {m.number} ASC"
        found: list[Case] = []
        skip = query.offset
        while len(found) < query.limit:
            page = min(PAGE, query.limit - len(found))
            answer = self._post_form(self._repo().url, {
                "cmisaction": "query", "statement": statement, "searchAllVersions": "false",
                "includeAllowableActions": "false", "maxItems": str(page), "skipCount": str(skip), "succinct": "true",
            }, action="searching cases")
            results = [r for r in (answer.get("results") or []) if isinstance(r, dict)] if isinstance(answer, dict) else []
            found += [self._case(_properties(r)) for r in results]
            skip += len(results)
            if not results or not answer.get("hasMoreItems"):
                break
        if not query.include_closed:
            found = [c for c in found if not c.closed]
        return found[:query.limit]

    def _free_text(self, word: str) -> str:
        """One word of free text: the start of a case number or KLE number, a word of the title,
        the caseworker, or a whole CPR/CVR number of a party."""
        m = self.mapping
        options = [f"{m.number} LIKE {_literal(_like(word) + '%')}"]
        if m.property("title"):
            options.append(f"{m.property('title')} LIKE {_literal('%' + _like(word) + '%')}")
        if m.property("kle"):
            options.append(f"{m.property('kle')} LIKE {_literal(_like(word) + '%')}")
        if m.property("caseworker"):
            options.append(f"{m.property('caseworker')} = {_literal(word)}")
        party = party_in_text(word)
        if party and m.property("parties"):
            digits = party.cpr.digits if party.cpr else party.cvr.digits
            options.append(f"{_literal(digits)} = ANY {m.property('parties')}")
        return "(" + " OR ".join(options) + ")"

    def get_case(self, case_id: str) -> Case:
        return self._case(self._case_folder(case_id))

    def _case_folder(self, case_id: str) -> dict[str, Any]:
        wanted = case_id.strip()
        shown = redact_cprs(wanted)
        if not wanted:
            raise NotFound("The CMIS repository has no case without an id.")
        try:
            folder = self._object(wanted, action=f"reading case {shown}")
        except NotFound as error:
            raise NotFound(f"The CMIS repository at {self.http.host} has no case {shown}.",
                           status=error.status, detail=error.detail) from None
        if not self._is_case(folder):
            raise NotFound(f"The CMIS object {shown} is not a case folder.")
        return folder

    def _is_case(self, folder: dict[str, Any]) -> bool:
        if _prop(folder, "cmis:baseTypeId") != "cmis:folder":
            return False
        if self.mapping.by_path:
            return str(_prop(folder, "cmis:parentId") or "") == self._cases_folder_id()
        return _prop(folder, "cmis:objectTypeId") == self.mapping.case_type or bool(_prop(folder, self.mapping.number))

    def find_case_by_number(self, number: str) -> Case:
        wanted = number.strip()
        shown = redact_cprs(wanted)
        if self.mapping.by_path:
            folder = None
            if wanted and not _ILLEGAL_NAME.search(wanted):
                folder = self._by_path(f"{self.mapping.folder}/{wanted}", action=f"looking up case {shown}")
            if folder is None or not self._is_case(folder):
                raise NotFound(f"The CMIS repository at {self.http.host} has no case numbered {shown}.")
            return self._case(folder)
        found = self.search_cases(CaseQuery(case_number=wanted.replace("*", ""), include_closed=True, limit=2))
        exact = [c for c in found if c.number == wanted]
        if not exact:
            raise NotFound(f"The CMIS repository at {self.http.host} has no case numbered {shown}.")
        return exact[0]

    def _case(self, props: dict[str, Any]) -> Case:
        m = self.mapping
        status = _text(props.get(m.property("status"))) if m.property("status") else None
        kle = _text(props.get(m.property("kle"))) if m.property("kle") else None
        title = (_text(props.get(m.property("title"))) if m.property("title") else None) \
            or _text(props.get("cmis:description")) or _text(props.get("cmis:name")) or ""
        return Case(
            id=str(props.get("cmis:objectId") or ""),
            number=_text(props.get(m.number)) or _text(props.get("cmis:name")) or "",
            title=title,
            status=status,
            caseworker=_text(props.get(m.property("caseworker"))) if m.property("caseworker") else None,
            kle=kle if kle and _KLE.match(kle) else None,
            parties=_parties(props.get(m.property("parties"))) if m.property("parties") else (),
            closed=(status or "").casefold() in CLOSED_STATES,
        )

    # --- documents -----------------------------------------------------------------------------

    def list_documents(self, case_id: str) -> list[DocumentRef]:
        folder = self._case_folder(case_id)
        folder_id = str(_prop(folder, "cmis:objectId"))
        refs: list[DocumentRef] = []
        skip = 0
        while True:
            answer = self._get_json(self._repo().root_url, params={
                "objectId": folder_id, "cmisselector": "children", "maxItems": str(PAGE), "skipCount": str(skip),
                "succinct": "true", "includeAllowableActions": "false"}, action=f"listing the documents of case {folder_id}")
            items = answer.get("objects") if isinstance(answer, dict) else None
            objects = [i.get("object") for i in items or [] if isinstance(i, dict) and isinstance(i.get("object"), dict)]
            for item in objects:
                props = _properties(item)
                if props.get("cmis:baseTypeId") == "cmis:document":
                    refs.append(self._document_ref(props, folder_id))
            skip += len(objects)
            if not objects or not answer.get("hasMoreItems"):
                return refs

    def read_content(self, document_id: str, sink: BinaryIO) -> int:
        action = f"reading the file of document {redact_cprs(document_id.strip())}"
        written = 0
        response = self._request("GET", self._repo().root_url, action=action, stream=True,
                                 params={"objectId": document_id.strip(), "cmisselector": "content"})
        with response:
            try:
                for block in response.iter_content(CHUNK):
                    sink.write(block)
                    written += len(block)
            except requests.RequestException as exc:
                raise self.http.error_for_exception(exc, action=action, idempotent=True) from None
        return written

    def _document_ref(self, props: dict[str, Any], case_id: str | None) -> DocumentRef:
        size = props.get("cmis:contentStreamLength")
        name = _text(props.get("cmis:name"))
        return DocumentRef(
            id=str(props.get("cmis:objectId") or ""),
            case_id=case_id,
            title=_text(props.get("cmis:description")) or name or "",
            filename=_text(props.get("cmis:contentStreamFileName")) or name,
            size=int(size) if isinstance(size, (int, float)) else None,
            mime_type=_text(props.get("cmis:contentStreamMimeType")),
            created=_moment(props.get("cmis:creationDate")),
            document_date=_day(props.get(self.documents.date)) if self.documents.date else None,
            direction=next((d for d, word in DIRECTIONS.items()
                            if self.documents.direction and _text(props.get(self.documents.direction)) == word), None),
            extra={"cmis:name": name} if name else {},
        )

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
        name = document_name(idempotency_key, source.filename)
        earlier_name = state.get(STATE_NAME)
        if earlier_name:  # an earlier attempt sent something: into the folder it chose then
            folder = json.loads(state.get(STATE_FOLDER) or "{}")
            name = earlier_name
            existing = self._by_path(f"{folder.get('path')}/{name}", action=f"looking for {shown_name(source.filename)}")
        else:
            folder = self._folder_for_filing(case_id)
            existing = None
            # The name goes last and durable: its flush carries the two before it, and its presence
            # says all three are written.
            state.put(STATE_FOLDER, json.dumps(folder), durable=False)
            state.put(STATE_SIZE, str(source.size), durable=False)
            state.put(STATE_NAME, name)
        title = " ".join(metadata.title.split()) or source.filename
        if existing is None:
            existing, created = self._create(folder, name, title, source, progress, metadata)
            if created and _size(existing) == source.size:
                return self._done(existing, folder, state, already=False)
        if _size(existing) == source.size:
            if progress:
                progress(source.size, source.size)
            return self._done(existing, folder, state, already=True)
        return self._append_rest(existing, folder, title, source, state, progress, metadata)

    def _folder_for_filing(self, case_id: str) -> dict[str, str]:
        with self._lock:
            known = self._open_cases.get(case_id.strip())
        if known is not None:
            return known
        folder = self._case_folder(case_id)
        case = self._case(folder)
        if case.closed:
            raise Conflict(f"Case {case.number or case.id} is closed in the CMIS repository, "
                           "which files nothing on a closed case.")
        path = _text(_prop(folder, "cmis:path"))
        if not path:
            path = f"{self.mapping.folder}/{_text(_prop(folder, 'cmis:name'))}"
        known = {"id": str(_prop(folder, "cmis:objectId")), "path": path, "number": case.number}
        with self._lock:  # the repository itself refuses a closed case's folder later on
            self._open_cases[case_id.strip()] = known
        return known

    def _create(self, folder: dict[str, str], name: str, title: str, source: UploadSource,
                progress: ProgressCallback | None, metadata: DocumentMetadata) -> tuple[dict[str, Any], bool]:
        """createDocument with the whole file, or its first chunk where appendContent is offered:
        (the document's properties, True), or (the existing one's, False) when the name is taken."""
        repo = self._repo()
        first = source.size
        if source.size > self.append_chunk_bytes and repo.appendable and not self._append_refused:
            first = self.append_chunk_bytes
        properties = [("cmis:name", name), ("cmis:objectTypeId", self.documents.type), ("cmis:description", title)]
        if self.documents.date:  # a datetime goes as milliseconds since 1970 (UTC) in the browser binding
            moment = datetime(metadata.document_date.year, metadata.document_date.month, metadata.document_date.day,
                              tzinfo=timezone.utc)
            properties.append((self.documents.date, str(int(moment.timestamp() * 1000))))
        if self.documents.direction:
            properties.append((self.documents.direction, DIRECTIONS[metadata.direction]))
        fields = [TextField("cmisaction", "createDocument")]
        for n, (pid, value) in enumerate(properties):
            fields += [TextField(f"propertyId[{n}]", pid), TextField(f"propertyValue[{n}]", value)]
        fields += [TextField("versioningState", "none"), TextField("succinct", "true")]
        body = _SliceBody(fields, [_Slice("content", source.path, source.filename, source.mime_type, first, 0,
                                          source.size)], progress=_scaled(progress, 0, source.size))
        action = f"filing {shown_name(source.filename)}"
        try:
            answer = self._post(repo.root_url, body, params={"objectId": folder["id"]}, action=action)
        except Conflict as error:
            if getattr(error, "cmis_exception", "") in DUPLICATE_NAME:
                found = self._by_path(f"{folder['path']}/{name}", action=f"looking for {shown_name(source.filename)}")
                if found is not None:
                    return found, False
                raise Conflict(f"The CMIS repository at {self.http.host} refused the name of "
                               f"{shown_name(source.filename)}.", status=error.status, detail=error.detail) from None
            raise
        props = _properties(answer)
        if not props.get("cmis:objectId"):
            raise Transient(f"The CMIS repository at {self.http.host} answered {action} without the new object's id.")
        if props.get("cmis:contentStreamLength") is None:
            props["cmis:contentStreamLength"] = first
        return props, True

    def _append_rest(self, document: dict[str, Any], folder: dict[str, str], title: str, source: UploadSource,
                     state: ResumeState, progress: ProgressCallback | None, metadata: DocumentMetadata) -> DocumentRef:
        """appendContent from what the repository holds to the end of the file."""
        object_id = str(document.get("cmis:objectId"))
        held = _size(document) or 0
        if held > source.size:
            raise Conflict(f"The CMIS repository holds more of {shown_name(source.filename)} than the file has; "
                           "it was changed since, so it is not filed again.")
        action = f"filing {shown_name(source.filename)}"
        repo = self._repo()
        while held < source.size:
            size = min(self.append_chunk_bytes, source.size - held)
            last = held + size >= source.size
            body = _SliceBody([TextField("cmisaction", "appendContent"), TextField("isLastChunk", str(last).lower()),
                               TextField("succinct", "true")],
                              [_Slice("content", source.path, source.filename, source.mime_type, size, held,
                                      source.size)], progress=_scaled(progress, held, source.size))
            try:
                answer = self._post(repo.root_url, body, params={"objectId": object_id}, action=action,
                                    idempotent=False)
            except NotSupported:
                if held > self.append_chunk_bytes or self._append_refused:
                    raise
                return self._refile_whole(object_id, folder, title, source, state, progress, metadata)
            props = _properties(answer)
            reported = props.get("cmis:contentStreamLength")
            held = int(reported) if isinstance(reported, (int, float)) and reported > held else held + size
            document = {**document, **props, "cmis:contentStreamLength": held}
        return self._done(document, folder, state, already=False)

    def _refile_whole(self, object_id: str, folder: dict[str, str], title: str, source: UploadSource,
                      state: ResumeState, progress: ProgressCallback | None, metadata: DocumentMetadata) -> DocumentRef:
        """The repository refused appendContent although it offers it: the first chunk's document
        is deleted and the whole file sent in one createDocument."""
        log.warning("The CMIS repository refused appendContent; the file is sent in one request")
        self._append_refused = True
        self._post(self._repo().root_url, {"cmisaction": "delete", "allVersions": "true"},
                   params={"objectId": object_id}, action="removing an unfinished document")
        document, _created = self._create(folder, state.get(STATE_NAME) or "", title, source, progress, metadata)
        return self._done(document, folder, state, already=False)

    def _done(self, props: dict[str, Any], folder: dict[str, str], state: ResumeState, *, already: bool) -> DocumentRef:
        state.put(STATE_OBJECT, str(props.get("cmis:objectId")), durable=False)  # the name finds it again
        return replace(self._document_ref(props, folder.get("id")), already_existed=already)

    def find_upload(self, idempotency_key: str, state: ResumeState) -> DocumentRef | None:
        name = state.get(STATE_NAME)
        if not name:
            return None
        folder = json.loads(state.get(STATE_FOLDER) or "{}")
        found = self._by_path(f"{folder.get('path')}/{name}", action="looking for an earlier attempt's document")
        if found is None or str(_size(found)) != (state.get(STATE_SIZE) or ""):
            return None  # never landed, or not all of it
        return replace(self._document_ref(found, folder.get("id")), already_existed=True)

    def upload_to_inbox(
        self,
        source: UploadSource,
        metadata: DocumentMetadata,
        *,
        idempotency_key: str,
        state: ResumeState,
        progress: ProgressCallback | None = None,
    ) -> DocumentRef:
        raise NotSupported("A CMIS repository files documents in case folders; caseclient has no inbox for it.")

    # --- requests ------------------------------------------------------------------------------

    def _object(self, object_id: str, *, action: str) -> dict[str, Any]:
        return _properties(self._get_json(self._repo().root_url, params={
            "objectId": object_id, "cmisselector": "object", "succinct": "true",
            "includeAllowableActions": "false"}, action=action))

    def _by_path(self, path: str, *, action: str) -> dict[str, Any] | None:
        """getObjectByPath: the object's properties, or None when nothing is there."""
        segments = [s for s in path.split("/") if s]
        url = self._repo().root_url.rstrip("/") + "/" + "/".join(quote(s, safe="") for s in segments)
        try:
            return _properties(self._get_json(url, params={"cmisselector": "object", "succinct": "true"}, action=action))
        except NotFound:
            return None

    def _get_json(self, url: str, *, params: dict[str, str], action: str) -> Any:
        with self._request("GET", url, params=params, action=action) as response:
            return self.http.json(response, action=action)

    def _post_form(self, url: str, form: dict[str, str], *, action: str) -> Any:
        with self._request("POST", url, data=form, action=action) as response:
            return self.http.json(response, action=action)

    def _post(self, url: str, body: Any, *, params: dict[str, str], action: str, idempotent: bool = False) -> Any:
        headers = {"Content-Type": body.content_type} if isinstance(body, MultipartBody) else None
        with self._request("POST", url, data=body, params=params, headers=headers, action=action,
                           idempotent=idempotent) as response:
            if not response.content.strip():
                return {}
            return self.http.json(response, action=action)

    def _request(self, method: str, url: str, *, action: str, idempotent: bool = True,
                 headers: dict[str, str] | None = None, **kwargs: Any) -> requests.Response:
        try:
            response = self.http.session.request(method, url, timeout=self.http.timeout,
                                                 headers={"Accept": "application/json", **(headers or {})}, **kwargs)
        except requests.RequestException as exc:
            raise self.http.error_for_exception(exc, action=action, idempotent=idempotent) from None
        except InputError:
            raise
        if response.status_code < 300:
            return response
        error = self._error(response, action)
        response.close()
        raise error

    def _error(self, response: requests.Response, action: str) -> BackendError:
        """The domain error for a refusal, by the CMIS exception name where the body has one."""
        error = self.http.error_for_response(response, action=action)
        try:
            body = response.json()
        except (ValueError, requests.RequestException):
            body = None
        exception = str(body.get("exception") or "") if isinstance(body, dict) else ""
        if not exception:
            return error
        chosen = self._by_exception(exception, body, response, action, error)
        chosen.cmis_exception = exception  # type: ignore[attr-defined]
        return chosen

    def _by_exception(self, exception: str, body: dict[str, Any], response: requests.Response, action: str,
                      error: BackendError) -> BackendError:
        message = " ".join(str(body.get("message") or "").split())[:200]
        said = f": {redact_cprs(message).rstrip('.!')}." if message else "."
        where = f"The CMIS repository at {self.http.host}"
        kw = {"status": error.status, "detail": error.detail}
        if exception == "objectNotFound":
            return NotFound(f"{where} found nothing while {action}{said}", **kw)
        if exception in ("permissionDenied", "unauthorized"):
            return AuthError(f"{where} refused access while {action} (HTTP {response.status_code}); check the login.", **kw)
        if exception == "contentAlreadyExists":
            return Duplicate(f"{where} already has a document of that name ({action}).", **kw)
        if exception in ("constraint", "nameConstraintViolation", "updateConflict", "versioning"):
            return Conflict(f"{where} refused {action} ({exception}){said}", **kw)
        if exception in ("invalidArgument", "filterNotValid", "streamNotSupported"):
            return ValidationFailed(f"{where} refused {action} ({exception}){said}", **kw)
        if exception == "notSupported":
            return NotSupported(f"{where} does not support {action}{said}", **kw)
        if exception in ("runtime", "storage") and response.status_code >= 500:
            return error
        return error


# --- names ------------------------------------------------------------------------------------------

def document_name(idempotency_key: str, filename: str) -> str:
    """The document's `cmis:name`: the file's name with a tag of the idempotency key, so the same
    key always gives the same name and two keys never do. Characters no repository takes in a
    name (Alfresco's `/ \\ * " < > ? : |`) become `_`."""
    tag = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:10]
    stem, dot, extension = filename.rpartition(".")
    if not dot or not stem or len(extension) > 10 or " " in extension:
        stem, extension = filename, ""
    stem = " ".join(_ILLEGAL_NAME.sub("_", stem).split()).rstrip(".")[:MAX_NAME_STEM].rstrip(" .") or "dokument"
    extension = _ILLEGAL_NAME.sub("_", extension).strip()
    return f"{stem} ({tag})" + (f".{extension}" if extension else "")


# --- the wire ---------------------------------------------------------------------------------------

def _properties(item: Any) -> dict[str, Any]:
    """property id -> value from an object in either form: `succinctProperties` or `properties`
    (`{"<id>": {"value": ...}}`), keys as sent."""
    if not isinstance(item, dict):
        return {}
    succinct = item.get("succinctProperties")
    if isinstance(succinct, dict):
        return dict(succinct)
    props = item.get("properties")
    if isinstance(props, dict):
        return {key: (value.get("value") if isinstance(value, dict) else value) for key, value in props.items()}
    return {}


def _prop(props: dict[str, Any], name: str) -> Any:
    value = props.get(name)
    return value[0] if isinstance(value, list) and len(value) == 1 and name.startswith("cmis:") else value


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _size(props: dict[str, Any]) -> int | None:
    value = _prop(props, "cmis:contentStreamLength")
    return int(value) if isinstance(value, (int, float)) else None


def _moment(value: Any) -> datetime | None:
    """A browser-binding date-time: milliseconds since 1970 (UTC), or an ISO text from some servers."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc)
    return iso_datetime(value)


def _day(value: Any) -> date | None:
    moment = _moment(value)
    return moment.date() if moment else None


def _parties(value: Any) -> tuple[Party, ...]:
    """CPR and CVR numbers of a multi-valued property (digits, with or without a dash or a
    `urn:dk:cpr:person:` prefix)."""
    found: dict[str, Party] = {}
    for item in value if isinstance(value, list) else [value] if value else []:
        digits = "".join(c for c in str(item) if c.isdigit())
        try:
            if len(digits) == 10:
                found.setdefault(digits, Party(cpr=Cpr.parse(digits), role=PartyRole.PRIMARY if not found else PartyRole.INVOLVED))
            elif len(digits) == 8:
                found.setdefault(digits, Party(cvr=Cvr.parse(digits), role=PartyRole.PRIMARY if not found else PartyRole.INVOLVED))
        except ValueError:
            continue
    return tuple(found.values())


def _literal(text: str) -> str:
    """A CMIS QL string literal: quotes and backslashes escaped with a backslash."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _like(text: str) -> str:
    """Text for a LIKE pattern: its own `%` and `_` escaped (then quoted by _literal)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _scaled(progress: ProgressCallback | None, start: int, total: int) -> ProgressCallback | None:
    """A piece's progress as the whole file's."""
    if progress is None:
        return None
    return lambda sent, _piece: progress(start + sent, total)


# --- a streamed piece of a file --------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Slice(FileField):
    offset: int = 0
    file_size: int = 0  # the whole file's size, checked when the last piece is read


class _SliceBody(MultipartBody):
    """MultipartBody whose file part is `size` bytes of the file from `offset` on; the text fields
    and the part's head go out as one block (a dozen small writes to the socket become one)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        merged: list[Any] = []
        for segment in self._segments:
            if isinstance(segment, bytes) and merged and isinstance(merged[-1], bytes):
                merged[-1] += segment
            else:
                merged.append(segment)
        self._segments = merged

    def _file_blocks(self, field: FileField) -> Iterator[bytes]:
        offset = getattr(field, "offset", 0)
        try:
            file = open(field.path, "rb", buffering=0)  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"Cannot read {field.filename}: {exc.strerror or exc}.") from None
        with file:
            file.seek(offset)
            left = field.size
            while left:
                block = file.read(min(left, self._block_size))
                if not block:
                    raise InputError(f"{field.filename} changed while it was being sent (it shrank); file it again.")
                left -= len(block)
                yield block
            if offset + field.size >= getattr(field, "file_size", 0) and file.read(1):
                raise InputError(f"{field.filename} changed while it was being sent (it grew); file it again.")
