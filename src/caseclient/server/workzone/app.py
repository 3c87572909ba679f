"""WorkZone's OData v4 service (`/OData4/`) over the shared case store.

Entity sets: `Files` (cases), `Contacts`, `FileContacts` (a case's parties), `Records` (a
document's metadata, also as `Files('{id}')/FileRecords`) and `Documents` (the bytes, a media
entity: `POST Documents` with the raw file as the body, read back at `Documents('{id}')/$value`).
Collections are paged by the server, 50 entities a page by default, with `@odata.nextLink`.

Quirks copied (shared docs/backends.md 0b and 3): a create answers only the new `ID` (`RecordNo`
and `FileNo` are read with a second GET); `Document.FileName` is at most 96 characters; the
Document is saved on its own before the Record that points at it (`ExternalDocId`); `$batch`
cannot be used on behalf of a user; `LetterDate` is an Edm.Date (a time part is refused); a
property the entity type does not have is refused. WorkZone has no server-side idempotency:
creating the same Record twice makes two.
"""

from __future__ import annotations

import json
import mimetypes
import re
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlencode

from flask import Flask, Response, request, send_file
from werkzeug.exceptions import HTTPException

from ..store.cases import CaseStore, NewDocument, StoredCase, StoredParty
from ..store.model import SAG
from . import odata
from . import render
from .errors import JSON, ODataError, error_body, error_page
from .signin import SERVICE_ROOT, SignIn, register_sign_in

EXTENSION = "caseclient.workzone"
PAGE_SIZE = 50  # WorkZone's default page size (KMD's sample: "By default WorkZone OData returns the first 50")

# unverified: the header that names the user the service acts for. KMD's client library sets it
# from `ODataRequestFeatures.OnBehalfOfUser`; the header's name is inside WorkZone.OData4.Client.dll.
ON_BEHALF_OF_HEADER = "OnBehalfOf"
# unverified: the media entity's file name travels in the `Slug` header (AtomPub, RFC 5023,
# which OData's clients use for SetSaveStream's slug), percent-encoded UTF-8.
SLUG_HEADER = "Slug"
# Domains a `$filter=inDomain('...')` may name (`my_open_cases` is in KMD's sample).
# unverified: `my_cases` (open and closed) beside it.
DOMAINS = ("my_open_cases", "my_cases")
# Document ids of files sent to `Documents` start here (those of the store's own files are their
# content row ids, below it).
DOCUMENT_ID_BASE = 1_000_000
_KEY = re.compile(r"^'((?:[^']|'')*)'$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BIND = re.compile(r"^(?:.*/)?(Files|Documents)\('((?:[^']|'')*)'\)$")

_TABLES = """
CREATE TABLE IF NOT EXISTS workzone_documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT, upload TEXT, file_name TEXT NOT NULL, mime TEXT NOT NULL,
    size INTEGER NOT NULL, record TEXT);
CREATE TABLE IF NOT EXISTS workzone_contacts (id INTEGER PRIMARY KEY AUTOINCREMENT, urn TEXT UNIQUE NOT NULL);
"""


@dataclass
class WorkZoneSimulator:
    """What tests reach through `app.extensions[EXTENSION]`: the sign-in switch and every request
    the service received (method, path, query, on-behalf-of user)."""

    sign_in: SignIn = field(default_factory=SignIn)
    received: list[dict[str, Any]] = field(default_factory=list)
    page_size: int = PAGE_SIZE
    lock: threading.Lock = field(default_factory=threading.Lock)


def workzone_simulator(app_or_service: Any) -> WorkZoneSimulator:
    app = getattr(app_or_service, "app", app_or_service)
    return app.extensions[EXTENSION]


def _key(raw: str) -> str:
    match = _KEY.match(raw)
    if not match:
        raise ODataError(400, f"The key value '{raw[:40]}' is not valid: string keys are quoted, e.g. ('123').")
    return match.group(1).replace("''", "'")


def _json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status, content_type=JSON, headers=headers)


def register(app: Flask, cases: CaseStore) -> None:
    simulator = WorkZoneSimulator()
    app.extensions[EXTENSION] = simulator
    conn = cases.db.connection()
    conn.executescript(_TABLES)
    register_sign_in(app, simulator.sign_in)
    root = SERVICE_ROOT.rstrip("/")

    @app.errorhandler(ODataError)
    def odata_error(error: ODataError) -> Response:
        return Response(error_body(error.status, error.message, error.code), error.status, content_type=JSON)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        body, content_type = error_page(error.code or 500)
        return Response(body, error.code or 500, content_type=content_type)

    @app.before_request
    def remember() -> None:
        if request.path.startswith(SERVICE_ROOT):
            simulator.received.append({"method": request.method, "path": request.path,
                                       "args": request.args.to_dict(flat=True),
                                       "on_behalf_of": request.headers.get(ON_BEHALF_OF_HEADER)})

    def context(entity_set: str, single: bool = False) -> str:
        return f"{request.host_url.rstrip('/')}{root}/$metadata#{entity_set}{'/$entity' if single else ''}"

    def acting_officer() -> str | None:
        return request.headers.get(ON_BEHALF_OF_HEADER) or None

    def in_domain(name: str, entity: dict[str, Any]) -> bool:
        if name not in DOMAINS:
            raise ODataError(400, f"The domain '{name[:40]}' does not exist.")
        user = acting_officer()
        if not user or (entity.get("Officer_Value") or "").casefold() != user.casefold():
            return False
        return name == "my_cases" or entity.get("State_Value") != render.CLOSED_STATE[0]

    # -- contacts, kept per installation ---------------------------------------------------------

    def contact_id(urn: str) -> str:
        db = cases.db.connection()
        found = db.execute("SELECT id FROM workzone_contacts WHERE urn = ?", (urn,)).fetchone()
        if found is None:
            with cases.db.transaction() as tx:
                tx.execute("INSERT OR IGNORE INTO workzone_contacts (urn) VALUES (?)", (urn,))
            found = db.execute("SELECT id FROM workzone_contacts WHERE urn = ?", (urn,)).fetchone()
        return str(found[0])

    def urn_of_contact(value: str) -> str | None:
        if not value.isdigit():
            return None
        found = cases.db.connection().execute("SELECT urn FROM workzone_contacts WHERE id = ?", (int(value),)).fetchone()
        return found[0] if found else None

    # -- query options ----------------------------------------------------------------------------

    def options(known: set[str], type_name: str) -> dict[str, Any]:
        args = request.args
        for name in args:
            if name.startswith("$") and name not in ("$filter", "$select", "$expand", "$top", "$skip", "$count",
                                                     "$orderby", "$format", "$skiptoken"):
                raise ODataError(400, f"The query parameter '{name[:30]}' is not supported.")
        node = odata.parse_filter(args["$filter"]) if args.get("$filter", "").strip() else None
        odata.check_properties(node, known, type_name)
        for item in (args.get("$orderby") or "").split(","):
            name = item.strip().split(" ")[0]
            if name and name not in known:
                raise ODataError(400, f"Could not find a property named '{name}' on type 'WorkZone.{type_name}'.")
        return {"filter": node, "select": odata.parse_select(args.get("$select")),
                "expand": odata.parse_expand(args.get("$expand")),
                "top": odata.integer_option(args.get("$top"), "$top"),
                "skip": odata.integer_option(args.get("$skip"), "$skip") or 0,
                "count": (args.get("$count") or "").lower() == "true"}

    def collection(entity_set: str, matched: list[Any], opts: dict[str, Any], shape) -> Response:
        """One page of `matched` (server paging, PAGE_SIZE a page) with its nextLink."""
        skip, top = opts["skip"], opts["top"]
        wanted = len(matched) - skip if top is None else min(top, max(0, len(matched) - skip))
        size = min(max(wanted, 0), simulator.page_size)
        page = matched[skip:skip + size]
        body: dict[str, Any] = {"@odata.context": context(entity_set)}
        if opts["count"]:
            body["@odata.count"] = len(matched)
        body["value"] = [shape(item) for item in page]
        if size < wanted:
            args = request.args.to_dict(flat=True)
            args["$skip"] = str(skip + size)
            if top is not None:
                args["$top"] = str(top - size)
            body["@odata.nextLink"] = f"{request.base_url}?{urlencode(args)}"
        return _json_response(body)

    # -- files -----------------------------------------------------------------------------------

    def file_candidates(node: odata.Node | None) -> list[StoredCase]:
        """Cases the filter may match, narrowed through the store where a conjunct allows it."""
        title, caseworker = [], None
        for part in odata.conjuncts(node):
            if part[0] == "cmp" and part[1] == "eq" and part[2] == ("prop", "ID") and part[3][0] == "lit":
                value = str(part[3][1])
                found = cases.case_by_row(int(value)) if value.isdigit() else None
                return [found] if found else []
            if part[0] == "cmp" and part[1] == "eq" and part[2] == ("prop", "Officer_Value") \
                    and isinstance(part[3][1], str):
                caseworker = render.caseworker_of(part[3][1])
                if caseworker is None:
                    return []
            if part[0] == "call" and part[1] == "indomain" and acting_officer():
                caseworker = render.caseworker_of(acting_officer() or "")
                if caseworker is None:
                    return []
            if part[0] == "call" and part[1] == "contains" and part[2][0] == ("prop", "Title") \
                    and part[2][1][0] == "lit" and isinstance(part[2][1][1], str):
                title.append(part[2][1][1])
        found = cases.search(title=" ".join(title) or None, caseworker=caseworker, include_closed=True, limit=-1)
        return sorted(found, key=lambda c: c.row_id)

    def shape_file(case: StoredCase, entity: dict[str, Any], opts_select, expands) -> dict[str, Any]:
        body = odata.shaped(entity, opts_select, render.FILE_PROPERTIES, "File")
        for expand in expands:
            if expand.name == "Parties":
                body["Parties"] = [shape_file_contact(case, p, expand.select, expand.expand) for p in case.parties]
            elif expand.name == "FileRecords":
                body["FileRecords"] = [odata.shaped(r, expand.select, render.RECORD_PROPERTIES, "Record")
                                       for r in records_of(case)]
            else:
                raise ODataError(400, f"Could not find a navigation property named '{expand.name[:40]}' on type 'WorkZone.File'.")
        return body

    def shape_file_contact(case: StoredCase, party: StoredParty, select, expands) -> dict[str, Any]:
        cid = contact_id(party.urn)
        body = odata.shaped(render.file_contact_entity(case, cid, party), select,
                            render.FILE_CONTACT_PROPERTIES, "FileContact")
        for expand in expands:
            if expand.name != "NameKey":
                raise ODataError(400, f"Could not find a navigation property named '{expand.name[:40]}' on type 'WorkZone.FileContact'.")
            body["NameKey"] = odata.shaped(render.contact_entity(cid, party), expand.select,
                                           render.CONTACT_PROPERTIES, "Contact")
        return body

    def case_by_key(raw: str) -> StoredCase:
        value = _key(raw)
        found = cases.case_by_row(int(value)) if value.isdigit() else None
        if found is None:
            raise ODataError(404, f"The File with the key '{value[:40]}' was not found.")
        return found

    @app.get(f"{root}/")
    def service_document() -> Response:
        return _json_response({"@odata.context": f"{request.host_url.rstrip('/')}{root}/$metadata", "value": [
            {"name": name, "kind": "EntitySet", "url": name}
            for name in ("Files", "Contacts", "FileContacts", "Records", "Documents")]})

    @app.get(f"{root}/Files")
    def list_files() -> Response:
        opts = options(render.FILE_PROPERTIES, "File")
        matched = [(case, entity) for case in file_candidates(opts["filter"])
                   for entity in [render.file_entity(case)]
                   if opts["filter"] is None or odata.evaluate(opts["filter"], entity, in_domain)]
        return collection("Files", matched, opts, lambda item: shape_file(item[0], item[1], opts["select"], opts["expand"]))

    @app.get(f"{root}/Files(<key>)")
    def get_file(key: str) -> Response:
        case = case_by_key(key)
        opts = options(render.FILE_PROPERTIES, "File")
        body = {"@odata.context": context("Files", True),
                **shape_file(case, render.file_entity(case), opts["select"], opts["expand"])}
        return _json_response(body)

    # -- contacts and parties ----------------------------------------------------------------------

    def all_parties(case_list: list[StoredCase]) -> dict[str, StoredParty]:
        parties: dict[str, StoredParty] = {}
        for case in case_list:
            for party in case.parties:
                parties.setdefault(party.urn, party)
        return parties

    @app.get(f"{root}/Contacts")
    def list_contacts() -> Response:
        opts = options(render.CONTACT_PROPERTIES, "Contact")
        parties = all_parties(cases.search(include_closed=True, limit=-1))
        matched = []
        for urn, party in parties.items():
            entity = render.contact_entity(contact_id(urn), party)
            if opts["filter"] is None or odata.evaluate(opts["filter"], entity, in_domain):
                matched.append(entity)
        matched.sort(key=lambda e: int(e["ID"]))
        return collection("Contacts", matched, opts, lambda e: odata.shaped(e, opts["select"], render.CONTACT_PROPERTIES, "Contact"))

    @app.get(f"{root}/FileContacts")
    def list_file_contacts() -> Response:
        opts = options(render.FILE_CONTACT_PROPERTIES, "FileContact")
        candidates: list[StoredCase] | None = None
        for part in odata.conjuncts(opts["filter"]):
            if part[0] == "cmp" and part[1] == "eq" and part[3][0] == "lit" and part[2] == ("prop", "NameKey_Value"):
                urn = urn_of_contact(str(part[3][1]))
                candidates = cases.search(party=urn, include_closed=True, limit=-1) if urn else []
            elif part[0] == "cmp" and part[1] == "eq" and part[3][0] == "lit" and part[2] == ("prop", "FileKey_Value"):
                value = str(part[3][1])
                found = cases.case_by_row(int(value)) if value.isdigit() else None
                candidates = [found] if found else []
        if candidates is None:
            candidates = cases.search(include_closed=True, limit=-1)
        matched = []
        for case in sorted(candidates, key=lambda c: c.row_id):
            for party in case.parties:
                entity = render.file_contact_entity(case, contact_id(party.urn), party)
                if opts["filter"] is None or odata.evaluate(opts["filter"], entity, in_domain):
                    matched.append((case, party, entity))
        return collection("FileContacts", matched, opts,
                          lambda item: shape_file_contact(item[0], item[1], opts["select"], opts["expand"]))

    # -- records -------------------------------------------------------------------------------------

    def records_of(case: StoredCase) -> list[dict[str, Any]]:
        order = journal_order(case)
        return [render.record_entity(d, case, order.get(d.uuid)) for d in cases.documents(case.uuid)]

    def journal_order(case: StoredCase) -> dict[str, int]:
        """Each document's place in the case's journal (its RecordNo), read from the case's
        journal posts alone (not every document of the case)."""
        stored = cases.db.load(SAG, case.uuid)
        posts = sorted((stored or {}).get("relationer", {}).get("journalpost", []), key=lambda v: v.get("indeks", 0))
        return {uuid: n for n, uuid in enumerate(dict.fromkeys(p["uuid"] for p in posts if p.get("uuid")), 1)}

    def record_by_key(raw: str) -> tuple[dict[str, Any], Any]:
        value = _key(raw)
        document = cases.document_by_row(int(value)) if value.isdigit() else None
        case = cases.case(document.case_uuid) if document and document.case_uuid else None
        if document is None or case is None:
            raise ODataError(404, f"The Record with the key '{value[:40]}' was not found.")
        return render.record_entity(document, case, journal_order(case).get(document.uuid)), document

    @app.get(f"{root}/Records")
    def list_records() -> Response:
        opts = options(render.RECORD_PROPERTIES, "Record")
        candidates: list[StoredCase] | None = None
        for part in odata.conjuncts(opts["filter"]):
            if part[0] == "cmp" and part[1] == "eq" and part[2] == ("prop", "FileKey_Value") and part[3][0] == "lit":
                value = str(part[3][1])
                found = cases.case_by_row(int(value)) if value.isdigit() else None
                candidates = [found] if found else []
        if candidates is None:
            candidates = sorted(cases.search(include_closed=True, limit=-1), key=lambda c: c.row_id)
        matched = [entity for case in candidates for entity in records_of(case)
                   if opts["filter"] is None or odata.evaluate(opts["filter"], entity, in_domain)]
        return collection("Records", matched, opts, lambda e: odata.shaped(e, opts["select"], render.RECORD_PROPERTIES, "Record"))

    @app.get(f"{root}/Files(<key>)/FileRecords")
    def file_records(key: str) -> Response:
        case = case_by_key(key)
        opts = options(render.RECORD_PROPERTIES, "Record")
        matched = [e for e in records_of(case)
                   if opts["filter"] is None or odata.evaluate(opts["filter"], e, in_domain)]
        return collection("Records", matched, opts, lambda e: odata.shaped(e, opts["select"], render.RECORD_PROPERTIES, "Record"))

    @app.get(f"{root}/Records(<key>)")
    def get_record(key: str) -> Response:
        entity, _document = record_by_key(key)
        opts = options(render.RECORD_PROPERTIES, "Record")
        return _json_response({"@odata.context": context("Records", True),
                               **odata.shaped(entity, opts["select"], render.RECORD_PROPERTIES, "Record")})

    @app.post(f"{root}/Records")
    def create_record() -> Response:
        return _create_record(None)

    @app.post(f"{root}/Files(<key>)/FileRecords")
    def create_file_record(key: str) -> Response:
        return _create_record(case_by_key(key))

    def _create_record(case: StoredCase | None) -> Response:
        body = _json_body()
        for name in body:
            if name not in render.RECORD_WRITABLE and not name.startswith("@odata"):
                raise ODataError(400, f"The property '{name[:60]}' does not exist on type 'WorkZone.Record'. "
                                      "Make sure to only use property names that are defined by the type.")
        file_key = body.get("FileKey_Value")
        if "File@odata.bind" in body:
            file_key = _bound(body["File@odata.bind"], "Files")
        if case is None:
            if not file_key:
                raise ODataError(400, "A record needs a case: FileKey_Value is missing.")
            case = cases.case_by_row(int(file_key)) if str(file_key).isdigit() else None
            if case is None:
                raise ODataError(404, f"The File with the key '{str(file_key)[:40]}' was not found.")
        elif file_key and str(file_key) != str(case.row_id):
            raise ODataError(400, "FileKey_Value names another case than the one the record is created on.")
        title = body.get("Title")
        if not isinstance(title, str) or not title.strip():
            raise ODataError(400, "The field Title is mandatory.")
        code = body.get("RecordType_Value")
        if not code:
            raise ODataError(400, "The field RecordType_Value is mandatory.")
        if code not in render.RECORD_TYPES:
            raise ODataError(400, f"The value '{str(code)[:20]}' is not valid for RecordType_Value.")
        letter_date = body.get("LetterDate")
        if letter_date is not None and (not isinstance(letter_date, str) or not _DATE.match(letter_date)):
            raise ODataError(400, f"Cannot convert the literal '{str(letter_date)[:40]}' to the expected type 'Edm.Date'.")
        doc_id = body.get("ExternalDocId")
        if "Document@odata.bind" in body:
            doc_id = _bound(body["Document@odata.bind"], "Documents")
        if not doc_id:
            # unverified: a record without a document (the simulator's store keeps none).
            raise ODataError(400, "The record has no document: save a Document first and bind it with ExternalDocId.")
        if case.closed:
            raise ODataError(409, f"The case {render.file_number(case)} is closed and cannot be changed.")
        with simulator.lock:
            row = _document_row(str(doc_id))
            if row is None:
                raise ODataError(400, f"The Document '{str(doc_id)[:40]}' does not exist.")
            if row["record"]:
                raise ODataError(409, f"The Document '{doc_id}' already belongs to a record.")
            own = {name: body[name] for name in ("RecordNoExt", "State_Value", "RecordGrp_Value", "Officer_Value",
                                                 "AccessCode", "Resume", "MessageId", "LetterNumber") if body.get(name)}
            own.update({"ExternalDocId": str(doc_id), "RecordType_Value": code})
            new = NewDocument(upload=row["upload"], title=title.strip(), file_name=row["file_name"],
                              mime_type=row["mime"], letter_date=letter_date or _today(),
                              kind=render.RECORD_TYPES[code][0], description=str(body.get("Resume") or ""),
                              fields={render.DIALECT: own})
            try:
                document = cases.add_document(case.uuid, new)
            except LookupError:
                raise ODataError(404, f"The File with the key '{case.row_id}' was not found.") from None
            with cases.db.transaction() as tx:
                tx.execute("UPDATE workzone_documents SET record = ?, upload = NULL WHERE id = ?",
                           (document.uuid, int(doc_id) - DOCUMENT_ID_BASE))
        location = f"{request.host_url.rstrip('/')}{root}/Records('{document.row_id}')"
        # Create answers only the ID: RecordNo is read with a second GET (0b).
        return _json_response({"@odata.context": context("Records", True), "ID": str(document.row_id)}, 201,
                              {"Location": location, "OData-EntityId": location})

    # -- documents (media entities) --------------------------------------------------------------------

    def _document_row(doc_id: str) -> dict[str, Any] | None:
        if not doc_id.isdigit() or int(doc_id) < DOCUMENT_ID_BASE:
            return None
        found = cases.db.connection().execute(
            "SELECT upload, file_name, mime, size, record FROM workzone_documents WHERE id = ?",
            (int(doc_id) - DOCUMENT_ID_BASE,)).fetchone()
        if found is None:
            return None
        return dict(zip(("upload", "file_name", "mime", "size", "record"), found))

    @app.post(f"{root}/Documents")
    def create_document() -> Response:
        slug = request.headers.get(SLUG_HEADER)
        if not slug:
            raise ODataError(400, "The media entity needs a file name (Slug header).")
        name = unquote(slug).strip()
        if len(name) > render.MAX_FILE_NAME:
            raise ODataError(400, f"The value of FileName is longer than {render.MAX_FILE_NAME} characters.")
        mime = (request.headers.get("Content-Type") or "").split(";")[0].strip() \
            or mimetypes.guess_type(name)[0] or "application/octet-stream"
        upload = cases.files.new_upload()
        size = 0
        try:
            with upload:
                while block := request.stream.read(1 << 20):
                    upload.write(block)
                    size += len(block)
        except BaseException:
            cases.files.discard([upload.name])
            raise
        if request.content_length is not None and size != request.content_length:
            cases.files.discard([upload.name])
            raise ODataError(400, "The request body ended before its Content-Length.")
        with cases.db.transaction() as tx:
            cursor = tx.execute("INSERT INTO workzone_documents (upload, file_name, mime, size) VALUES (?, ?, ?, ?)",
                                (upload.name, name, mime, size))
            doc_id = str(DOCUMENT_ID_BASE + cursor.lastrowid)
        location = f"{request.host_url.rstrip('/')}{root}/Documents('{doc_id}')"
        return _json_response({"@odata.context": context("Documents", True), "ID": doc_id}, 201,
                              {"Location": location, "OData-EntityId": location})

    def document_file(raw: str):
        doc_id = _key(raw)
        row = _document_row(doc_id)
        if row is not None:
            if row["record"]:
                stored = cases.document(row["record"])
                if stored is not None:
                    return doc_id, cases.content_path(stored), stored.mime_type, stored.file_name, stored.size
                raise ODataError(404, f"The Document with the key '{doc_id}' was not found.")
            return doc_id, row["upload"], row["mime"], row["file_name"], row["size"]
        stored = cases.document_by_file_row(int(doc_id)) if doc_id.isdigit() and int(doc_id) < DOCUMENT_ID_BASE else None
        if stored is None:
            raise ODataError(404, f"The Document with the key '{doc_id[:40]}' was not found.")
        return doc_id, cases.content_path(stored), stored.mime_type, stored.file_name, stored.size

    @app.get(f"{root}/Documents(<key>)")
    def get_document(key: str) -> Response:
        doc_id, _path, _mime, name, size = document_file(key)
        stem, dot, extension = name.rpartition(".")
        return _json_response({"@odata.context": context("Documents", True), "ID": doc_id, "FileName": name,
                               "Extension": extension.lower() if dot and stem else None, "Size": size,
                               "State": None})

    @app.get(f"{root}/Documents(<key>)/$value")
    def document_value(key: str) -> Response:
        _doc_id, path, mime, _name, _size = document_file(key)
        return send_file(path, mimetype=mime, conditional=False)

    @app.post(f"{root}/$batch")
    def batch() -> Response:
        if request.headers.get(ON_BEHALF_OF_HEADER):
            raise ODataError(400, "$batch requests cannot be used on behalf of another user.")
        raise ODataError(501, "The simulator does not serve $batch requests.")


def _bound(value: Any, entity_set: str) -> str:
    match = _BIND.match(str(value))
    if not match or match.group(1) != entity_set:
        raise ODataError(400, f"The binding '{str(value)[:60]}' does not name an entity of {entity_set}.")
    return match.group(2).replace("''", "'")


def _json_body() -> dict[str, Any]:
    try:
        body = json.loads(request.get_data(cache=True) or b"{}")
    except ValueError:
        raise ODataError(400, "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ODataError(400, "The request body must be a JSON object.")
    return body


def _today() -> str:
    from datetime import date

    return date.today().isoformat()



