"""The `workzone` backend: KMD WorkZone's OData v4 service (`{base}/OData4/`; shared docs/backends.md
0b and 3).

Cases are `File` entities found with `GET Files?$filter=...` (`startswith(FileNo,'...')`,
`contains(Title,'...')`, `Officer_Value eq '...'`, WorkZone's `inDomain('my_open_cases')` for the
user acted for), their parties `FileContact` rows whose contacts are found by `NameType_Value` +
`NameCode`. Collections come 50 a page: `@odata.nextLink` is followed (on this service only).

Filing is two saves, as KMD's sample does them: the file's bytes as a media entity
(`POST Documents`, the raw bytes as the body, streamed, the name in `Slug`), then a `Record`
pointing at the case (`FileKey_Value`) and the document (`ExternalDocId`) with `Title`,
`RecordType_Value` (the direction), `LetterDate` (an Edm.Date) and the caller's idempotency key in
an external id field. WorkZone has no server-side idempotency, so it is exactly-once by
search-before-create: the Document's id is kept in the ResumeState right after phase 1 (a resumed
attempt never sends the file again), and before phase 2 a resumed attempt looks for a Record whose
external id carries the key. A create answers only the new `ID`: the Record is read back for its
`RecordNo`. `$batch` is never used (it cannot be on behalf of a user).
"""

from __future__ import annotations

from dataclasses import replace

import logging
import re
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import quote

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
from .protocol import Capability, CaseQuery, ProgressCallback, ResumeState
from .values import iso_date, iso_datetime, party_in_text, shown_name

log = logging.getLogger(__name__)

SERVICE_ROOT = "OData4"
# unverified: the header naming the user WorkZone acts for (KMD's client library sets it from
# ODataRequestFeatures.OnBehalfOfUser; its name is inside WorkZone.OData4.Client.dll).
ON_BEHALF_OF_HEADER = "OnBehalfOf"
# unverified: the Record property that carries the caller's idempotency key. `ExternalDocId` is
# taken (it joins the Record to its Document); `RecordNoExt` ("external record number") is free
# text no WorkZone client is seen to fill.
EXTERNAL_ID_FIELD = "RecordNoExt"
# Record types per direction: "I" is in KMD's sample. unverified: "U" and "N" (configurable per
# installation in WorkZone Configurator, so a constructor option).
RECORD_TYPES = {Direction.INCOMING: "I", Direction.OUTGOING: "U", Direction.INTERNAL: "N"}
# unverified: the contact types of persons and companies (`NameType_Value`).
NAME_TYPES = {"cpr": "CPR", "cvr": "CVR"}
# unverified: the file states that mean closed (codes and, as a fallback, their summaries).
CLOSED_STATES = frozenset({"a", "afsluttet", "lukket", "arkiveret", "henlagt"})
MAX_FILE_NAME = 96  # Document.FileName's MaxLength in the CSDL
MY_OPEN_CASES = "my_open_cases"

STATE_CASE = "workzone.case"  # the File the attempt files on, before anything is sent
STATE_DOCUMENT = "workzone.document"  # the Document's id, right after phase 1
STATE_RECORD_SENT = "workzone.record_sent"  # before the Record is created (durable)
STATE_RECORD = "workzone.record"  # the Record's id, once known

FILE_SELECT = "ID,FileNo,UserKey,Title,Classification_Value,State_Value,State_Summary,Officer_Value"
RECORD_SELECT = ("ID,Title,FileKey_Value,ExternalDocId,RecordNo,LetterDate,RecordType_Value,FileName,"
                 f"MimeType,DocLength,Created,{EXTERNAL_ID_FIELD}")
PARTIES_EXPAND = "Parties($expand=NameKey)"
_KLE = re.compile(r"^\d\d\.\d\d\.\d\d$")
_IDS_PER_QUERY = 25


def odata_string(value: str) -> str:
    """A string literal for $filter: quoted, with its quotes doubled."""
    return "'" + value.replace("'", "''") + "'"


def _key(value: str) -> str:
    """An entity key in a path: `('123')`, percent-encoded."""
    return "(" + quote(odata_string(value), safe="'") + ")"


def short_file_name(name: str, limit: int = MAX_FILE_NAME) -> str:
    """The name cut to `limit` characters, keeping its extension."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and stem and 0 < len(extension) <= 16 and " " not in extension:
        return stem[:limit - len(extension) - 1].rstrip() + "." + extension
    return name[:limit]


class FileBody:
    """A file as a request body: an iterable of blocks with a length (requests sends a
    Content-Length and hands each block to the socket), reporting progress as blocks go out."""

    def __init__(self, source: UploadSource, progress: ProgressCallback | None, block_size: int = CHUNK) -> None:
        self.source, self.progress, self.block_size = source, progress, block_size

    def __len__(self) -> int:
        return self.source.size

    def __iter__(self) -> Iterator[bytes]:
        try:
            file = open(self.source.path, "rb", buffering=0)  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"Cannot read {self.source.filename}: {exc.strerror or exc}.") from None
        sent = 0
        with file:
            left = self.source.size
            while left:
                block = file.read(min(left, self.block_size))
                if not block:
                    raise InputError(f"{self.source.filename} changed while it was being sent (it shrank); file it again.")
                left -= len(block)
                yield block
                sent += len(block)
                if self.progress:
                    self.progress(sent, self.source.size)
            if file.read(1):
                raise InputError(f"{self.source.filename} changed while it was being sent (it grew); file it again.")


class WorkZoneService:
    """A DocumentService over WorkZone's OData v4 service. The session carries the sign-in (an
    Entra ID bearer token: `auth.mode = oauth2_client_credentials` with the scope
    `{WorkZone application ID URI}/.default`)."""

    name = "workzone"
    max_upload_bytes: int | None = None

    def __init__(
        self,
        base_url: str,
        session: requests.Session | None = None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        on_behalf_of: str | None = None,
        on_behalf_of_header: str = ON_BEHALF_OF_HEADER,
        record_types: dict[Direction, str] | None = None,
        name_types: dict[str, str] | None = None,
        closed_states: frozenset[str] = CLOSED_STATES,
    ) -> None:
        base = base_url.rstrip("/")
        if base.lower().endswith("/" + SERVICE_ROOT.lower()):
            base = base[: -len(SERVICE_ROOT) - 1]
        self.http = ServiceHttp(f"{base}/{SERVICE_ROOT}", session, timeout=timeout, service_name="WorkZone")
        self.on_behalf_of = on_behalf_of or None
        self.headers = {"Accept": "application/json", "OData-Version": "4.0", "OData-MaxVersion": "4.0"}
        if self.on_behalf_of:
            self.headers[on_behalf_of_header] = self.on_behalf_of
        self.record_types = dict(record_types or RECORD_TYPES)
        self.name_types = dict(name_types or NAME_TYPES)
        self.closed_states = frozenset(s.casefold() for s in closed_states)
        self.capabilities = (
            Capability.SEARCH_FULLTEXT | Capability.SEARCH_BY_PARTY | Capability.SEARCH_BY_CASEWORKER
            | Capability.LIST_DOCUMENTS | Capability.READ_CONTENT
        )

    # --- cases ---------------------------------------------------------------------------------

    def search_cases(self, query: CaseQuery) -> list[Case]:
        if query.limit <= 0:
            return []
        conditions: list[str] = []
        text = (query.text or "").strip()
        party = query.party or party_in_text(text)
        if party is not None and query.party is None:
            text = ""
        if query.case_number:
            number = query.case_number.strip()
            conditions.append(f"startswith(FileNo,{odata_string(number[:-1])})" if number.endswith("*")
                              else f"FileNo eq {odata_string(number)}")
        for word in (query.title or "").split():
            conditions.append(f"contains(Title,{odata_string(word)})")
        for word in text.split():
            value = odata_string(word.rstrip("*"))
            conditions.append(f"(startswith(FileNo,{value}) or startswith(Classification_Value,{value}) "
                              f"or contains(Title,{value}))")
        if query.caseworker:
            worker = query.caseworker.strip()
            if self.on_behalf_of and worker.casefold() == self.on_behalf_of.casefold() and not query.include_closed:
                conditions.append(f"inDomain({odata_string(MY_OPEN_CASES)})")
            else:
                conditions.append(f"Officer_Value eq {odata_string(worker)}")
        if party is not None:
            ids = self._files_of_party(party)
            if not ids:
                return []
            found: dict[str, Case] = {}
            for start in range(0, len(ids), _IDS_PER_QUERY):
                chunk = ids[start:start + _IDS_PER_QUERY]
                one = " or ".join(f"ID eq {odata_string(i)}" for i in chunk)
                for row in self._files([*conditions, f"({one})"], 0, len(chunk)):
                    case = self._case(row)
                    if query.include_closed or not case.closed:
                        found.setdefault(case.id, case)
            ordered = sorted(found.values(), key=lambda c: (int(c.id) if c.id.isdigit() else 0, c.id))
            return ordered[query.offset:query.offset + query.limit]
        if not query.include_closed:
            # unverified: open files are those whose State_Value is not a closed one.
            conditions += [f"State_Value ne {odata_string(s.upper())}" for s in sorted(self.closed_states) if len(s) == 1]
        cases = [self._case(row) for row in self._files(conditions, query.offset, query.limit)]
        return [c for c in cases if query.include_closed or not c.closed]

    def _files(self, conditions: list[str], skip: int, top: int) -> Iterator[dict[str, Any]]:
        params = {"$select": FILE_SELECT, "$top": str(top)}
        if skip:
            params["$skip"] = str(skip)
        if conditions:
            params["$filter"] = " and ".join(conditions)
        yield from self._collection("Files", params, action="searching cases", limit=top)

    def _files_of_party(self, party: Party) -> list[str]:
        """The ids of the files a person or company is a party of: the contact by NameType_Value +
        NameCode, then its FileContact rows."""
        if party.cpr:
            digits = party.cpr.digits
            kind, codes = "cpr", [digits, f"{digits[:6]}-{digits[6:]}"]  # with or without the hyphen
        elif party.cvr:
            kind, codes = "cvr", [party.cvr.digits]
        else:
            raise ValidationFailed("A party search in WorkZone needs a CPR or CVR number.")
        names = " or ".join(f"NameCode eq {odata_string(c)}" for c in codes)
        params = {"$filter": f"NameType_Value eq {odata_string(self.name_types[kind])} and ({names})",
                  "$select": "ID"}
        contacts = [str(_field(c, "ID")) for c in self._collection("Contacts", params, action="looking up a party")]
        files: dict[str, None] = {}
        for contact in contacts:
            params = {"$filter": f"NameKey_Value eq {odata_string(contact)}", "$select": "FileKey_Value"}
            for row in self._collection("FileContacts", params, action="looking up a party's cases"):
                if _field(row, "FileKey_Value"):
                    files.setdefault(str(_field(row, "FileKey_Value")), None)
        return list(files)

    def get_case(self, case_id: str) -> Case:
        return self._case(self._file(case_id, expand=True))

    def _file(self, case_id: str, *, expand: bool = False) -> dict[str, Any]:
        value = case_id.strip()
        params = {"$select": FILE_SELECT}
        if expand:
            params["$expand"] = PARTIES_EXPAND
        try:
            answer = self._json("GET", f"Files{_key(value)}", action=f"reading case {redact_cprs(value)}", params=params)
        except NotFound as error:
            raise NotFound(f"WorkZone has no case {redact_cprs(value)!r}.", status=error.status, detail=error.detail) from None
        if not isinstance(answer, dict) or not _field(answer, "ID"):
            raise NotFound(f"WorkZone has no case {redact_cprs(value)!r}.")
        return answer

    def find_case_by_number(self, number: str) -> Case:
        wanted = number.strip()
        literal = odata_string(wanted)
        for row in self._files([f"(FileNo eq {literal} or UserKey eq {literal})"], 0, 5):
            case = self._case(row)
            if case.number.casefold() == wanted.casefold():
                return case
        raise NotFound(f"No case in WorkZone has the number {redact_cprs(wanted)!r}.")

    def _case(self, row: dict[str, Any]) -> Case:
        number = str(_field(row, "FileNo") or _field(row, "UserKey") or "")
        kle = _field(row, "Classification_Value")
        state = [str(_field(row, n) or "").casefold() for n in ("State_Value", "State_Summary")]
        return Case(
            id=str(_field(row, "ID")),
            number=number,
            title=str(_field(row, "Title") or ""),
            status=_field(row, "State_Summary") or _field(row, "State_Value"),
            caseworker=_field(row, "Officer_Value") or None,
            kle=kle if isinstance(kle, str) and _KLE.match(kle) else None,
            parties=self._parties(_field(row, "Parties")),
            closed=any(s in self.closed_states for s in state if s),
        )

    def _parties(self, rows: Any) -> tuple[Party, ...]:
        found: dict[tuple, Party] = {}
        kinds = {v.casefold(): k for k, v in self.name_types.items()}
        for row in rows if isinstance(rows, list) else []:
            contact = _field(row, "NameKey")
            if not isinstance(contact, dict):
                continue
            kind = kinds.get(str(_field(contact, "NameType_Value") or "").casefold())
            code = str(_field(contact, "NameCode") or "")
            name = _field(contact, "Name1") or _field(contact, "Summary") or _field(row, "NameKey_Summary")
            role = PartyRole.PRIMARY if str(_field(row, "CustomLabel_Value") or "").casefold() == "sagspart" \
                else PartyRole.INVOLVED
            try:
                if kind == "cpr":
                    party = Party(name=name, cpr=Cpr.parse(code), role=role)
                elif kind == "cvr":
                    party = Party(name=name, cvr=Cvr.parse(code), role=role)
                else:
                    party = Party(name=name, role=role) if name else None
            except ValueError:
                party = Party(name=name, role=role) if name else None
            if party is not None:
                found.setdefault((party.cpr, party.cvr) if (party.cpr or party.cvr) else (party.name,), party)
        return tuple(found.values())

    # --- documents -------------------------------------------------------------------------------

    def list_documents(self, case_id: str) -> list[DocumentRef]:
        file_id = str(_field(self._file(case_id), "ID"))
        params = {"$filter": f"FileKey_Value eq {odata_string(file_id)}", "$select": RECORD_SELECT}
        return [self._document_ref(row) for row in
                self._collection("Records", params, action=f"listing the documents of case {file_id}")]

    def read_content(self, document_id: str, sink: BinaryIO) -> int:
        record = self._record(document_id)
        doc_id = _field(record, "ExternalDocId")
        if not doc_id:
            raise NotFound(f"Document {redact_cprs(document_id)} holds no file in WorkZone.")
        action = f"reading the file of document {redact_cprs(document_id)}"
        response = self._request("GET", f"Documents{_key(str(doc_id))}/$value", action=action, stream=True)
        written = 0
        with response:
            try:
                for block in response.iter_content(CHUNK):
                    sink.write(block)
                    written += len(block)
            except requests.RequestException as exc:
                raise self.http.error_for_exception(exc, action=action, idempotent=True) from None
        return written

    def _record(self, record_id: str) -> dict[str, Any]:
        value = record_id.strip()
        try:
            answer = self._json("GET", f"Records{_key(value)}", action=f"reading document {redact_cprs(value)}",
                                params={"$select": RECORD_SELECT})
        except NotFound as error:
            raise NotFound(f"WorkZone has no document {redact_cprs(value)!r}.", status=error.status,
                           detail=error.detail) from None
        if not isinstance(answer, dict):
            raise NotFound(f"WorkZone has no document {redact_cprs(value)!r}.")
        return answer

    # --- filing ------------------------------------------------------------------------------------

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
        file = self._file(case_id)
        file_id = str(_field(file, "ID"))
        resumed = bool(state.get(STATE_CASE) or state.get(STATE_RECORD_SENT))
        if resumed:
            earlier = self._earlier_upload(idempotency_key, state)
            if earlier is not None:
                if earlier.case_id != file_id:
                    raise Conflict("An earlier attempt filed this document on another case in WorkZone; "
                                   "it was not filed twice.")
                if progress:
                    progress(source.size, source.size)
                return earlier
        if self._case(file).closed:
            raise Conflict(f"Case {_field(file, 'FileNo') or file_id} is closed in WorkZone, which files nothing on a closed case.")
        name = short_file_name(source.filename)
        document_id = state.get(STATE_DOCUMENT) if state.get(STATE_CASE) == file_id else None
        if not document_id:
            # Phase 1: the bytes as a media entity. A lost answer leaves at most a Document that no
            # Record points at (invisible on the case); the next attempt sends the file again.
            state.put(STATE_CASE, file_id, durable=False)
            document_id = self._post_document(source, name, progress)
            state.put(STATE_DOCUMENT, document_id, durable=False)  # a resumed attempt reuses it
        elif progress:
            progress(source.size, source.size)
        # Phase 2: the Record on the case. Before it is sent, durably: a later attempt looks for it.
        if state.get(STATE_RECORD_SENT) != file_id:
            state.put(STATE_RECORD_SENT, file_id)
        officer = self.on_behalf_of or _field(file, "Officer_Value")  # the user acted for, else the case's
        body = self._record_body(file_id, document_id, metadata, idempotency_key, officer)
        action = f"filing {shown_name(source.filename)}"
        try:
            answer = self._json("POST", "Records", action=action, idempotent=False, json=body)
        except Conflict as error:
            found = self._earlier_upload(idempotency_key, state)
            if found is not None:  # the Document already belongs to this attempt's Record
                return replace(found, already_existed=False)
            raise Conflict(f"WorkZone at {self.http.host} refused {action} as a conflict; the case may be closed.",
                           status=error.status, detail=error.detail) from None
        record_id = _field(answer, "ID") if isinstance(answer, dict) else None
        if not record_id:
            found = self._earlier_upload(idempotency_key, state)
            if found is None:
                raise Transient(f"WorkZone accepted {shown_name(source.filename)} but named no record; "
                                "it will be looked for before filing again.")
            return replace(found, already_existed=False)
        state.put(STATE_RECORD, str(record_id), durable=False)
        # The create answers only the ID: RecordNo and the rest come with a second GET.
        return self._document_ref(self._record(str(record_id)), source=source)

    def _post_document(self, source: UploadSource, name: str, progress: ProgressCallback | None) -> str:
        headers = {**self.headers, "Content-Type": source.mime_type or "application/octet-stream",
                   # unverified: the file name in `Slug`, percent-encoded UTF-8 (RFC 5023).
                   "Slug": quote(name, safe="")}
        action = f"sending {shown_name(source.filename)}"
        answer = self._json("POST", "Documents", action=action, idempotent=False,
                            data=FileBody(source, progress), headers=headers)
        document_id = _field(answer, "ID") if isinstance(answer, dict) else None
        if not document_id:
            raise Transient(f"WorkZone took {shown_name(source.filename)} but named no document; it will be sent again.")
        if progress and source.size == 0:
            progress(0, 0)
        return str(document_id)

    def _record_body(self, file_id: str, document_id: str, metadata: DocumentMetadata, key: str,
                     officer: str | None) -> dict[str, Any]:
        """The Record (shared docs/backends.md 0b): Title and RecordType_Value are mandatory."""
        body: dict[str, Any] = {
            "FileKey_Value": file_id,
            "ExternalDocId": document_id,
            "Title": metadata.title.strip(),
            "RecordType_Value": self.record_types.get(metadata.direction, RECORD_TYPES[Direction.INCOMING]),
            "LetterDate": metadata.document_date.isoformat(),  # Edm.Date: no time part
            EXTERNAL_ID_FIELD: key,
        }
        if metadata.description.strip():
            body["Resume"] = metadata.description.strip()
        if officer:
            body["Officer_Value"] = officer
        return body

    def find_upload(self, idempotency_key: str, state: ResumeState) -> DocumentRef | None:
        if not (state.get(STATE_CASE) or state.get(STATE_RECORD_SENT)):
            return None  # no attempt sent anything
        return self._earlier_upload(idempotency_key, state)

    def _earlier_upload(self, idempotency_key: str, state: ResumeState) -> DocumentRef | None:
        """The Record an earlier attempt created, found by the key in its external id."""
        known = state.get(STATE_RECORD)
        if known:
            try:
                row = self._record(known)
            except NotFound:
                row = None
            if isinstance(row, dict) and _field(row, EXTERNAL_ID_FIELD) == idempotency_key:
                return self._document_ref(row, already_existed=True)
        file_id = state.get(STATE_RECORD_SENT) or state.get(STATE_CASE)
        if not file_id:
            return None
        params = {"$filter": f"FileKey_Value eq {odata_string(file_id)} and "
                             f"{EXTERNAL_ID_FIELD} eq {odata_string(idempotency_key)}",
                  "$select": RECORD_SELECT}
        for row in self._collection("Records", params, action="looking for an earlier filing", limit=2):
            state.put(STATE_RECORD, str(_field(row, "ID")), durable=False)
            return self._document_ref(row, already_existed=True)
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
        raise NotSupported("WorkZone files documents on a case only; it has no inbox for documents without a case.")

    def _document_ref(self, row: dict[str, Any], *, already_existed: bool = False,
                      source: UploadSource | None = None) -> DocumentRef:
        code = str(_field(row, "RecordType_Value") or "")
        direction = next((d for d, c in self.record_types.items() if c.casefold() == code.casefold()), None)
        size = _field(row, "DocLength")
        extra = {k: str(v) for k, v in (("record_no", _field(row, "RecordNo")),
                                         ("document", _field(row, "ExternalDocId"))) if v}
        return DocumentRef(
            id=str(_field(row, "ID")),
            case_id=str(_field(row, "FileKey_Value")) if _field(row, "FileKey_Value") else None,
            title=str(_field(row, "Title") or ""),
            filename=_field(row, "FileName") or (source.filename if source else None),
            size=int(size) if str(size or "").isdigit() else (source.size if source else None),
            mime_type=_field(row, "MimeType") or (source.mime_type if source else None),
            document_date=iso_date(_field(row, "LetterDate")),
            direction=direction,
            created=iso_datetime(_field(row, "Created")),
            already_existed=already_existed,
            extra=extra,
        )

    # --- HTTP ----------------------------------------------------------------------------------------

    def _request(self, method: str, path: str, *, action: str, headers: dict[str, str] | None = None,
                 **kwargs: Any) -> requests.Response:
        return self.http.request(method, path, action=action, headers=headers or self.headers, **kwargs)

    def _json(self, method: str, path: str, *, action: str, **kwargs: Any) -> Any:
        with self._request(method, path, action=action, **kwargs) as response:
            return self.http.json(response, action=action)

    def _collection(self, path: str, params: dict[str, str], *, action: str,
                    limit: int | None = None) -> Iterator[dict[str, Any]]:
        """The entities of a collection, page after page (`@odata.nextLink`), up to `limit`."""
        given = 0
        next_path: str | None = path
        next_params: dict[str, str] | None = params
        root = self.http.base_url + "/"
        while next_path is not None:
            answer = self._json("GET", next_path, action=action, params=next_params)
            rows = _field(answer, "value") if isinstance(answer, dict) else None
            for row in rows if isinstance(rows, list) else []:
                if isinstance(row, dict):
                    yield row
                    given += 1
                    if limit is not None and given >= limit:
                        return
            link = _field(answer, "@odata.nextLink") if isinstance(answer, dict) else None
            if not link:
                return
            if not link.startswith(root):
                if link.startswith(("http://", "https://")):
                    raise Transient(f"WorkZone at {self.http.host} pointed the next page of {action} elsewhere; "
                                    "it was not followed.")
                link = root + link.lstrip("/")  # a relative link
            next_path, next_params = link[len(root):], None


# --- reading answers -----------------------------------------------------------------------------

def _field(obj: Any, name: str) -> Any:
    """A property in any casing."""
    if not isinstance(obj, dict):
        return None
    if name in obj:
        return obj[name]
    folded = name.casefold()
    return next((v for k, v in obj.items() if isinstance(k, str) and k.casefold() == folded), None)


