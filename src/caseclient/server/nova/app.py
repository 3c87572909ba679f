"""The KMD Nova API routes over the shared case store (shared docs/backends.md 0b and 4b).

Every route is under `/api/` and needs `?api-version=` (`2.0-Case` and `1.0-Case` are served;
installations differ). Every body is JSON with a `common{transactionId, uuid}` block, except the
file upload's:

- `PUT api/Case/GetList`: search cases (search.py), with the output selection `caseGetOutput`;
- `PUT api/Document/GetList`: a case's documents (`caseUuid`), with the selection `getOutput`;
- `PUT api/Document/GetFile`: a document's file (`common.uuid`, `checkOutDocument`), as bytes;
- `POST api/Document/UploadFile/{transactionId}/{documentUuid}`: multipart part `file`, kept
  until it is imported; the CLIENT chooses the document uuid;
- `POST api/Document/Import`: the document's metadata (`common.uuid` = the uploaded uuid,
  `caseUuid`, `title`, `sensitivity`, `documentDate`, `documentType`, `description`, `approved`,
  `accessToDocuments`, `acceptReceived`, `documentParty`, `securityUnit`, `caseworker`, ...)
  files it on the case.

Nova's idempotency is the client-chosen uuid; what it does with a repeated Import or an upload
that is never imported is not known: the choices are marked `# unverified` below.
"""

from __future__ import annotations

import json
import mimetypes
import os
import re
import threading
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from flask import Flask, Response, jsonify, request, send_file
from werkzeug.exceptions import HTTPException

from ..keycloak import SignIn
from ..store.cases import CPR_URN, CVR_URN, CaseStore, NewDocument, StoredCase, StoredDocument
from . import render
from . import search as case_search
from .errors import JSON, PROBLEM, NovaError, error_page, problem, version_error
from .signin import register_sign_in

EXTENSION = "caseclient.nova"
API_VERSION = "api-version"
# Both versions are seen in public clients (AAK's `1.0-Case`, others' `2.0-Case`).
API_VERSIONS = ("1.0-Case", "2.0-Case")
# unverified: the largest file UploadFile takes (open question 5 in backends.md); none here.
MAX_UPLOAD_BYTES: int | None = None
# unverified: a title's length limit.
MAX_TITLE = 250

_TABLES = """
CREATE TABLE IF NOT EXISTS nova_pending (
    document_uuid TEXT PRIMARY KEY, transaction_id TEXT NOT NULL, path TEXT NOT NULL,
    file_name TEXT NOT NULL, mime_type TEXT NOT NULL, size INTEGER NOT NULL, uploaded TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS nova_documents (
    document_uuid TEXT PRIMARY KEY, store_uuid TEXT NOT NULL);
"""


@dataclass
class NovaSimulator:
    """What tests reach through `app.extensions[EXTENSION]`: the sign-in switch, the api-versions
    served, and every request body (JSON, or the upload's path) the service received."""

    sign_in: SignIn = field(default_factory=SignIn)
    api_versions: tuple[str, ...] = API_VERSIONS
    received: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)  # one Import at a time


def nova_simulator(app_or_service: Any) -> NovaSimulator:
    """The simulator of a Flask app or a ReferenceService speaking the nova dialect."""
    app = getattr(app_or_service, "app", app_or_service)
    return app.extensions[EXTENSION]


def register(app: Flask, cases: CaseStore) -> None:
    """The Nova API routes on the reference service's application."""
    simulator = NovaSimulator()
    app.extensions[EXTENSION] = simulator
    conn = cases.db.connection()
    conn.executescript(_TABLES)
    cases.db.release()

    @app.before_request
    def check_api_version() -> Response | None:
        if not request.path.startswith("/api/"):
            return None
        version = request.args.get(API_VERSION)
        if not version:
            return Response(version_error("ApiVersionUnspecified", "An API version is required, but was not specified."),
                            400, content_type=JSON)
        if version not in simulator.api_versions:
            # The library's message names the request's address, as ASP.NET API Versioning's does.
            return Response(version_error(
                "UnsupportedApiVersion",
                f"The HTTP resource that matches the request URI '{request.url}' does not support the API "
                f"version '{version}'."), 400, content_type=JSON)
        return None

    register_sign_in(app, simulator.sign_in)

    @app.errorhandler(NovaError)
    def nova_error(error: NovaError) -> Response:
        return Response(problem(error.status, error.detail, error.errors), error.status, content_type=PROBLEM)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        body, content_type = error_page(error.code or 500)
        return Response(body, error.code or 500, content_type=content_type)

    # -- cases ---------------------------------------------------------------------------------

    @app.put("/api/Case/GetList")
    def case_list() -> Response:
        body = _json_body(simulator)
        parsed = case_search.parse(body)
        found, total = case_search.run(cases, parsed)
        counts = _wants(parsed.output, "numberOfDocuments")
        # unverified: common.uuid is answered unasked (AAK reads it without selecting it).
        rows = [{"common": {"uuid": c.uuid}, **render.select(
            render.full_case(c, len(cases.documents(c.uuid)) if counts else None),
            parsed.output or {}, render.CASE_SELECTED_BY)} for c in found]
        # unverified: numberOfRows is how many cases match in all, not how many this page holds.
        return jsonify({"pagingInformation": {"numberOfRows": total}, "cases": rows})

    # -- documents -----------------------------------------------------------------------------

    @app.put("/api/Document/GetList")
    def document_list() -> Response:
        body = case_search.folded(_json_body(simulator))
        _common(body, need_uuid=False)
        case = _case(cases, body.get("caseuuid"), "caseUuid")
        selection = body.get("getoutput") or {}
        # unverified: not paged (AAK sends no paging), every document of the case in journal order.
        rows = [render.select_document(render.full_document(d, case), selection) for d in cases.documents(case.uuid)]
        return jsonify({"documents": rows})

    @app.put("/api/Document/GetFile")
    def get_file() -> Response:
        body = case_search.folded(_json_body(simulator))
        common = _common(body, need_uuid=True)
        document = _document(cases, common["uuid"])
        path = cases.content_path(document)
        if not path.is_file():
            raise NovaError(404, f"Dokumentet {common['uuid']} har ingen fil.")
        # unverified: the file as it was uploaded, raw (AAK keeps `response.content` as the file).
        return send_file(path, mimetype=document.mime_type, as_attachment=True,
                         download_name=document.file_name or f"{common['uuid']}.bin", conditional=False)

    @app.post("/api/Document/UploadFile/<transaction_id>/<document_uuid>")
    def upload_file(transaction_id: str, document_uuid: str) -> Response:
        transaction = _uuid(transaction_id, "transactionId")
        wanted = _uuid(document_uuid, "documentUuid")
        upload = request.files.get("file")
        simulator.received.append({"path": "/api/Document/UploadFile", "transactionId": transaction,
                                   "documentUuid": wanted, "parts": sorted({*request.files, *request.form})})
        if upload is None or not upload.filename:
            raise NovaError(400, errors={"file": ["The file field is required."]})
        upload.stream.close()
        size = os.path.getsize(upload.stream.name)
        if MAX_UPLOAD_BYTES is not None and size > MAX_UPLOAD_BYTES:
            raise NovaError(413, f"Filen er større end {MAX_UPLOAD_BYTES} bytes.")
        with simulator.lock:
            conn = cases.db.connection()
            if _imported(conn, wanted):
                # unverified: a file for a uuid that is already a document is refused.
                raise NovaError(409, f"Dokumentet {wanted} findes allerede.")
            # unverified: a second upload for a uuid not yet imported replaces the first; an upload
            # that is never imported stays pending (invisible in Document/GetList) for good.
            pending = cases.files.uploads / f"nova-{wanted}.pending"
            os.replace(upload.stream.name, pending)
            mime = upload.mimetype or mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
            conn.execute("INSERT OR REPLACE INTO nova_pending VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (wanted, transaction, str(pending), upload.filename, mime, size, _now()))
        # unverified: the answer (AAK ignores it): 200 with the uuids.
        return jsonify({"transactionId": transaction, "documentUuid": wanted})

    @app.post("/api/Document/Import")
    def import_document() -> Response:
        raw = _json_body(simulator)
        body = case_search.folded(raw)
        common = _common(body, need_uuid=True)
        wanted = common["uuid"]
        metadata = _import_fields(body, raw)
        case = _case(cases, body.get("caseuuid"), "caseUuid")
        if case.closed:
            # unverified: Nova files nothing on a closed (Afsluttet) case.
            raise NovaError(409, f"Sagen {render.case_number(case)} er afsluttet.")
        party_urns = _document_party(metadata.get("documentParty"), case)
        with simulator.lock:
            conn = cases.db.connection()
            if _imported(conn, wanted):
                # unverified: a second Import of the same uuid is refused with 409 (a key clash),
                # never a second document. backends.md 4b: "presumably fails rather than duplicating".
                raise NovaError(409, f"Dokumentet {wanted} findes allerede.")
            row = conn.execute("SELECT path, file_name, mime_type, transaction_id FROM nova_pending "
                               "WHERE document_uuid = ?", (wanted,)).fetchone()
            if row is None or not os.path.exists(row[0]):
                # unverified: an Import without an uploaded file is refused with 400.
                raise NovaError(400, errors={"common.uuid": [f"Der er ikke uploadet en fil til dokumentet {wanted}."]})
            path, file_name, mime, upload_transaction = row
            fields = {**metadata, "documentUuid": wanted, "transactionId": common.get("transactionid"),
                      "uploadTransactionId": upload_transaction}
            new = NewDocument(upload=path, title=metadata["title"], file_name=file_name, mime_type=mime,
                              letter_date=metadata["documentDate"][:10], kind=metadata["documentType"],
                              description=metadata.get("description") or "", fields={render.DIALECT: fields},
                              parties=party_urns)
            try:
                stored = cases.add_document(case.uuid, new)
            except LookupError:
                raise NovaError(404, f"Sagen {case.uuid} findes ikke.") from None
            conn.execute("INSERT INTO nova_documents VALUES (?, ?)", (wanted, stored.uuid))
            conn.execute("DELETE FROM nova_pending WHERE document_uuid = ?", (wanted,))
        # unverified: Import answers 200 with the transaction and the document's uuid.
        return jsonify({"common": {"transactionId": common.get("transactionid"), "uuid": wanted}})


# -- the pieces ---------------------------------------------------------------------------------

def _now() -> str:
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat()


def _wants(selection: Any, name: str) -> bool:
    return render._lookup(selection, name) is True


def _json_body(simulator: NovaSimulator) -> dict[str, Any]:
    raw = request.get_data(cache=True)
    try:
        body = json.loads(raw) if raw.strip() else None
    except ValueError:
        raise NovaError(400, errors={"$": ["The JSON value could not be parsed."]}) from None
    if not isinstance(body, dict):
        raise NovaError(400, errors={"$": ["A non-empty request body is required."]})
    simulator.received.append({"path": request.path, "json": body, "api-version": request.args.get(API_VERSION)})
    return body


def _uuid(value: Any, name: str) -> str:
    try:
        return str(uuidlib.UUID(str(value)))
    except ValueError:
        raise NovaError(400, errors={name: [f"The value '{str(value)[:40]}' is not valid."]}) from None


def _common(body: dict[str, Any], *, need_uuid: bool) -> dict[str, Any]:
    common = body.get("common")
    if not isinstance(common, dict) or not common.get("transactionid"):
        raise NovaError(400, errors={"common.transactionId": ["The transactionId field is required."]})
    common = dict(common)
    common["transactionid"] = _uuid(common["transactionid"], "common.transactionId")
    if need_uuid:
        if not common.get("uuid"):
            raise NovaError(400, errors={"common.uuid": ["The uuid field is required."]})
        common["uuid"] = _uuid(common["uuid"], "common.uuid")
    return common


def _case(cases: CaseStore, value: Any, name: str) -> StoredCase:
    if not value:
        raise NovaError(400, errors={name: [f"The {name} field is required."]})
    found = cases.case(_uuid(value, name))
    if found is None:
        raise NovaError(404, f"Sagen {value} findes ikke.")
    return found


def _imported(conn, document_uuid: str) -> str | None:
    row = conn.execute("SELECT store_uuid FROM nova_documents WHERE document_uuid = ?", (document_uuid,)).fetchone()
    return row[0] if row else None


def _document(cases: CaseStore, document_uuid: str) -> StoredDocument:
    """A document by the uuid Nova knows it by (its importer's, or a demo document's own)."""
    store_uuid = _imported(cases.db.connection(), document_uuid) or document_uuid
    found = cases.document(store_uuid)
    if found is None or render.document_uuid(found) != document_uuid:
        raise NovaError(404, f"Dokumentet {document_uuid} findes ikke.")
    return found


def _choice(value: Any, allowed: tuple[str, ...], name: str, default: str | None = None) -> str:
    if value in (None, "") and default is not None:
        return default
    if value not in allowed:
        raise NovaError(400, errors={name: [f"'{str(value)[:40]}' er ikke en gyldig værdi for {name}."]})
    return value


def _import_fields(body: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """The metadata of an Import, checked (names as Nova writes them back)."""
    title = case_search.text(body.get("title"), "title").strip()
    if not title:
        raise NovaError(400, errors={"title": ["The title field is required."]})
    if len(title) > MAX_TITLE:
        raise NovaError(400, errors={"title": [f"title må højst være {MAX_TITLE} tegn."]})
    # unverified: sensitivity and documentType are required (every public client sends them).
    sensitivity = _choice(body.get("sensitivity"), render.SENSITIVITIES, "sensitivity")
    kind = _choice(body.get("documenttype"), render.DOCUMENT_TYPES, "documentType")
    when = case_search.text(body.get("documentdate"), "documentDate").strip()
    try:
        moment = datetime.fromisoformat(when) if when else None
    except ValueError:
        raise NovaError(400, errors={"documentDate": ["The JSON value could not be converted to System.DateTime. Path: $.documentDate"]}) from None
    fields: dict[str, Any] = {
        "title": title, "sensitivity": sensitivity, "documentType": kind,
        "documentDate": (moment.date() if moment else date.today()).isoformat(),
        "description": case_search.text(body.get("description"), "description") or None,
        "approved": bool(body.get("approved", False)),
        "accessToDocuments": bool(body.get("accesstodocuments", True)),
        "acceptReceived": bool(body.get("acceptreceived", False)),
    }
    if body.get("documentcategoryuuid"):
        fields["documentCategoryUuid"] = _uuid(body["documentcategoryuuid"], "documentCategoryUuid")
    for name in ("documentParty", "securityUnit", "caseworker"):
        value = raw.get(name, next((v for k, v in raw.items() if k.casefold() == name.casefold()), None))
        if value is not None:
            if not isinstance(value, dict):
                raise NovaError(400, errors={name: [f"{name} skal være et objekt."]})
            fields[name] = value
    return fields


def _document_party(party: Any, case: StoredCase) -> tuple[str, ...]:
    """The urn of the document's party (documentParty{identificationType,identification})."""
    if not party:
        return ()
    party = case_search.folded(party)
    kind = case_search.text(party.get("identificationtype"), "documentParty.identificationType")
    ident = case_search.text(party.get("identification"), "documentParty.identification").strip()
    if kind not in render.IDENTIFICATION_TYPES:
        raise NovaError(400, errors={"documentParty.identificationType": [f"'{kind[:40]}' er ikke en gyldig identifikationstype."]})
    if kind == "CprNummer":
        if not re.fullmatch(r"\d{10}", ident):
            # The validation text echoes the number, as a real one may: a client must redact it.
            raise NovaError(400, errors={"documentParty.identification": [f"'{ident[:20]}' er ikke et gyldigt CPR-nummer."]})
        return (CPR_URN + ident,)
    if kind == "CvrNummer":
        if not re.fullmatch(r"\d{8}", ident):
            raise NovaError(400, errors={"documentParty.identification": [f"'{ident[:20]}' er ikke et gyldigt CVR-nummer."]})
        return (CVR_URN + ident,)
    return ()  # unverified: other identification types are kept on the document only
