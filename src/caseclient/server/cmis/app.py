"""A CMIS 1.1 browser-binding repository over the shared case store, shaped like the transcripts
of the Apache Chemistry reference server (../shared/reference/cmis-browser-binding/).

`GET /cmis/browser` answers the repository infos (`{"<repositoryId>": {...}}` with `repositoryUrl`,
`rootFolderUrl`, `rootFolderId`, `capabilities`); objects live under `{rootFolderUrl}`:
`?objectId=<id>&cmisselector=object|children|content` or `{rootFolderUrl}/<path>?cmisselector=...`
(getObjectByPath). Writes are POSTs of `cmisaction=...` to `{rootFolderUrl}?objectId=<id>`:
`createDocument` (multipart, the parent folder's id in the URL, properties as
`propertyId[n]`/`propertyValue[n]`, the file part `content`; 201 with the whole object and no
`Location`), `appendContent` (`isLastChunk`), `delete` (200, empty). Queries are
`POST {repositoryUrl}` with `cmisaction=query&statement=...` or `GET ?cmisselector=query&q=...`.

The repository holds `/Sager/<case number>` folders of type `esdh:sag` (render.py), one per case
of the store, each holding its case's documents. A name is unique in its folder (ignoring case):
a second document of the same name is refused with `nameConstraintViolation` (409), or with
Alfresco's `contentAlreadyExists` when `duplicate_exception` says so. Sign-in (Basic) is off
by default; a test switches it on with `cmis_simulator(service).sign_in.enable(users={...})`.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import mimetypes
import re
import shutil
import threading
import uuid as uuidlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, request, send_file
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException

from ..store.cases import CaseStore, NewDocument, StoredCase, StoredDocument
from . import render
from .errors import JSON, CmisError, error_page
from .query import Query, Scope, parse

EXTENSION = "caseclient.cmis"
BROWSER = "/cmis/browser"
REPOSITORY_ID = "caseclient"
# unverified: how many children or query results a page holds when maxItems is not given (the spec
# leaves it to the repository; OpenCMIS's servers use 100).
DEFAULT_PAGE = 100
MAX_PAGE = 10_000
# unverified: the characters a name may not hold. `/` everywhere; the rest are Alfresco's
# (cm:name), which a name's check in most repositories is no looser than.
ILLEGAL_NAME = re.compile(r'[/\\*"<>?:|]|\.$|^\s|\s$')
VERSIONING_STATES = ("none", "checkedout", "major", "minor")
_PROPERTY_ID = re.compile(r"^propertyId\[(\d+)\]$")
_PROPERTY_VALUE = re.compile(r"^propertyValue\[(\d+)\](?:\[(\d+)\])?$")


@dataclass
class SignIn:
    """HTTP Basic sign-in of the repository's users (off until enabled)."""

    enabled: bool = False
    users: dict[str, str] = field(default_factory=dict)

    def enable(self, *, users: dict[str, str]) -> None:
        self.users = dict(users)
        self.enabled = True

    def disable(self) -> None:
        self.enabled = False

    def user(self, header: str) -> str | None:
        """The signed-in user of an `Authorization` header, or None when it does not sign anyone in."""
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            login, _, password = base64.b64decode(value.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        known = self.users.get(login)
        return login if known is not None and hmac.compare_digest(known, password) else None


@dataclass
class CmisSimulator:
    """What tests reach through `app.extensions[EXTENSION]`."""

    root_id: str
    cases_id: str
    sign_in: SignIn = field(default_factory=SignIn)
    # "nameConstraintViolation" (the spec, OpenCMIS) or "contentAlreadyExists" (Alfresco)
    duplicate_exception: str = "nameConstraintViolation"
    append_supported: bool = True  # appendContent (CMIS 1.1); False answers notSupported
    received: list[dict[str, Any]] = field(default_factory=list)  # every write: action, properties, parts
    lock: threading.Lock = field(default_factory=threading.Lock)


def cmis_simulator(app_or_service: Any) -> CmisSimulator:
    app = getattr(app_or_service, "app", app_or_service)
    return app.extensions[EXTENSION]


def register(app: Flask, cases: CaseStore) -> None:
    """The browser-binding routes on the reference service's application."""
    simulator = CmisSimulator(root_id=cases.setting("cmis.root", lambda: uuidlib.uuid4()),
                              cases_id=cases.setting("cmis.cases", lambda: uuidlib.uuid4()))
    app.extensions[EXTENSION] = simulator
    repo = _Repository(cases, simulator)

    @app.errorhandler(CmisError)
    def cmis_error(error: CmisError) -> Response:
        return Response(error.body(), error.status, content_type=JSON)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        if not request.path.startswith(BROWSER):  # the servlet container's own page
            return Response(f"<html><body><h1>HTTP Status {error.code}</h1></body></html>", error.code or 500,
                            content_type="text/html;charset=utf-8")
        body, content_type = error_page(error.code or 500)
        return Response(body, error.code or 500, content_type=content_type)

    @app.before_request
    def check_sign_in() -> Response | None:
        if not simulator.sign_in.enabled or not request.path.startswith(BROWSER):
            return None
        if simulator.sign_in.user(request.headers.get("Authorization", "")):
            return None
        body, _ = error_page(401)
        return Response(body, 401, content_type=JSON, headers={"WWW-Authenticate": 'Basic realm="CMIS"'})

    @app.get(BROWSER)
    @app.get(BROWSER + "/")
    def repositories() -> Response:
        return _json({REPOSITORY_ID: repo.info()})

    @app.route(f"{BROWSER}/<repository_id>", methods=["GET", "POST"])
    def repository(repository_id: str) -> Response:
        _known(repository_id)
        if request.method == "POST":
            action = request.form.get("cmisaction", "")
            if action != "query":
                raise CmisError(400, "invalidArgument", f"Unknown action on the repository: {action[:40]}!")
            return repo.query(request.form.get("statement") or request.form.get("q") or "", request.form)
        selector = request.args.get("cmisselector", "repositoryInfo")
        if selector == "repositoryInfo":
            return _json({REPOSITORY_ID: repo.info()})
        if selector == "query":
            return repo.query(request.args.get("q") or request.args.get("statement") or "", request.args)
        raise CmisError(400, "invalidArgument", f"Unknown selector: {selector[:40]}!")

    @app.route(f"{BROWSER}/<repository_id>/root", methods=["GET", "POST"], defaults={"path": ""})
    @app.route(f"{BROWSER}/<repository_id>/root/<path:path>", methods=["GET", "POST"])
    def objects(repository_id: str, path: str) -> Response:
        _known(repository_id)
        object_id = request.args.get("objectId") or (request.form.get("objectId") if request.method == "POST" else None)
        values = repo.by_id(object_id) if object_id else repo.by_path(path)
        if request.method == "POST":
            return repo.act(values, request.form.get("cmisaction", ""))
        selector = request.args.get("cmisselector", "object" if object_id or path else "object")
        if selector in ("object", "properties"):
            return _json(render.as_object(values, succinct=_flag(request.args, "succinct"),
                                          actions=_flag(request.args, "includeAllowableActions")))
        if selector == "children":
            return repo.children(values)
        if selector == "content":
            return repo.content(values)
        if selector == "parent" or selector == "parents":
            return repo.parents(values, selector)
        raise CmisError(400, "invalidArgument", f"Unknown selector: {selector[:40]}!")


class _Repository:
    """Documents filed through the simulator get an objectId of their own that follows from the
    data (a uuid5 of the installation's root, the folder, the name and how many documents of that
    name the folder has held), so a copy of the data hands out the same ids (the bench replays a
    recorded filing, appendContent to the new id included, against such a copy). The table
    `cmis_objects` maps them to the store's documents."""

    def __init__(self, cases: CaseStore, simulator: CmisSimulator) -> None:
        self.cases = cases
        self.sim = simulator
        cases.db.connection().execute(
            "CREATE TABLE IF NOT EXISTS cmis_objects (object_id TEXT PRIMARY KEY, document TEXT UNIQUE NOT NULL, "
            "folder TEXT NOT NULL, name TEXT NOT NULL)")

    def new_object_id(self, folder: str, name: str) -> str:
        conn = self.cases.db.connection()
        (held,) = conn.execute("SELECT COUNT(*) FROM cmis_objects WHERE folder = ? AND name = ?",
                               (folder, name.casefold())).fetchone()
        return str(uuidlib.uuid5(uuidlib.UUID(self.sim.root_id), f"{folder}/{name.casefold()}/{held}"))

    def document_uuid(self, object_id: str) -> str:
        """The store's uuid of the document with this objectId."""
        wanted = object_id.strip().lower().split(";", 1)[0]  # a version suffix (`;1.0`) names the one version
        found = self.cases.db.connection().execute(
            "SELECT document FROM cmis_objects WHERE object_id = ?", (wanted,)).fetchone()
        return found[0] if found else wanted

    # -- discovery ----------------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        base = request.host_url.rstrip("/") + BROWSER + "/" + REPOSITORY_ID
        return {
            "repositoryId": REPOSITORY_ID, "repositoryName": "Sagsarkiv",
            "repositoryDescription": "caseclient's CMIS 1.1 simulator over the demo cases",
            "vendorName": "caseclient", "productName": "caseclient CMIS simulator", "productVersion": "1.0",
            "cmisVersionSupported": "1.1", "rootFolderId": self.sim.root_id,
            "rootFolderUrl": base + "/root", "repositoryUrl": base, "latestChangeLogToken": "0",
            "changesIncomplete": True, "thinClientURI": "", "principalIdAnonymous": "anonymous",
            "principalIdAnyone": "anyone", "changesOnType": [],
            "capabilities": {
                "capabilityContentStreamUpdatability": "anytime" if self.sim.append_supported else "pwconly",
                "capabilityChanges": "none", "capabilityRenditions": "none", "capabilityGetDescendants": False,
                "capabilityGetFolderTree": False, "capabilityMultifiling": False, "capabilityUnfiling": False,
                "capabilityVersionSpecificFiling": False, "capabilityPWCSearchable": False,
                "capabilityPWCUpdatable": False, "capabilityAllVersionsSearchable": False,
                "capabilityOrderBy": "common", "capabilityQuery": "metadataonly", "capabilityJoin": "none",
                "capabilityACL": "none",
            },
            "extendedFeatures": [],
        }

    # -- objects --------------------------------------------------------------------------------

    def root_values(self) -> dict[str, Any]:
        return render.folder_values(self.sim.root_id, "", None, "/", None)

    def cases_values(self) -> dict[str, Any]:
        return render.folder_values(self.sim.cases_id, render.CASES_FOLDER, self.sim.root_id,
                                    f"/{render.CASES_FOLDER}", None)

    def case_values(self, case: StoredCase) -> dict[str, Any]:
        return render.case_values(case, self.sim.cases_id)

    def document_values(self, stored: StoredDocument) -> dict[str, Any]:
        path = self.cases.content_path(stored)
        size = path.stat().st_size if path.is_file() else 0
        values = render.document_values(stored, size)
        values["cmis:parentId"] = stored.case_uuid  # kept for the object's own use; not a document property
        return values

    def by_id(self, object_id: str) -> dict[str, Any]:
        wanted = object_id.strip().lower()
        if wanted == self.sim.root_id:
            return self.root_values()
        if wanted == self.sim.cases_id:
            return self.cases_values()
        try:
            uuidlib.UUID(wanted.split(";", 1)[0])
        except ValueError:
            raise CmisError(404, "objectNotFound", "Unknown object id!") from None
        wanted = wanted.split(";", 1)[0]  # a version suffix (`;1.0`) names the one version there is
        case = self.cases.case(wanted)
        if case is not None:
            return self.case_values(case)
        stored = self.cases.document(self.document_uuid(wanted))
        if stored is not None:
            return self.document_values(stored)
        raise CmisError(404, "objectNotFound", "Unknown object id!")

    def by_path(self, path: str) -> dict[str, Any]:
        parts = [p for p in path.split("/") if p]
        if not parts:
            return self.root_values()
        if parts[0] != render.CASES_FOLDER or len(parts) > 3:
            raise CmisError(404, "objectNotFound", "Unknown path!")
        if len(parts) == 1:
            return self.cases_values()
        case = self.cases.case_by_number(parts[1])
        if case is None:
            raise CmisError(404, "objectNotFound", "Unknown path!")
        if len(parts) == 2:
            return self.case_values(case)
        named = [d for d in self.cases.documents_named(case.uuid, parts[2]) if render.document_name(d).casefold()
                 == parts[2].casefold()]
        if not named:
            named = [d for d in self.cases.documents(case.uuid) if render.document_name(d) == parts[2]]
        if not named:
            raise CmisError(404, "objectNotFound", "Unknown path!")
        return self.document_values(named[0])

    def children(self, folder: dict[str, Any]) -> Response:
        if folder["cmis:baseTypeId"] != "cmis:folder":
            raise CmisError(400, "invalidArgument", "Object is not a folder!")
        skip, limit = _page(request.args)
        succinct = _flag(request.args, "succinct")
        actions = _flag(request.args, "includeAllowableActions")
        if folder["cmis:objectId"] == self.sim.root_id:
            items = [self.cases_values()]
            total = 1
        elif folder["cmis:objectId"] == self.sim.cases_id:
            total = len(self.cases.search(limit=-1))
            items = [self.case_values(c) for c in self.cases.search(limit=limit, offset=skip)]
            skip = 0
        else:
            documents = self.cases.documents(folder["cmis:objectId"])
            total = len(documents)
            items = [self.document_values(d) for d in documents]
        page = items[skip:skip + limit]
        objects = []
        for values in page:
            shown = {k: v for k, v in values.items()
                     if values["cmis:baseTypeId"] == "cmis:folder" or k != "cmis:parentId"}
            entry: dict[str, Any] = {"object": render.as_object(shown, succinct=succinct, actions=actions)}
            if _flag(request.args, "includePathSegment"):
                entry["pathSegment"] = values["cmis:name"]
            objects.append(entry)
        offset = int(request.args.get("skipCount") or 0)
        return _json({"objects": objects, "hasMoreItems": offset + len(page) < total, "numItems": total})

    def parents(self, values: dict[str, Any], selector: str) -> Response:
        parent = values.get("cmis:parentId")
        if not parent:
            raise CmisError(400, "invalidArgument", "The root folder has no parent!")
        body = render.as_object(self.by_id(parent))
        return _json(body if selector == "parent" else [{"object": body, "relativePathSegment": values["cmis:name"]}])

    def content(self, values: dict[str, Any]) -> Response:
        if values["cmis:baseTypeId"] != "cmis:document":
            raise CmisError(409, "constraint", "Object has no content stream!")
        stored = self.cases.document(self.document_uuid(values["cmis:objectId"]))
        if stored is None:
            raise CmisError(404, "objectNotFound", "Unknown object id!")
        path = self.cases.content_path(stored)
        if not path.is_file():
            raise CmisError(409, "constraint", "Object has no content stream!")
        return send_file(path, mimetype=stored.mime_type, as_attachment=True, conditional=False,
                         download_name=values["cmis:contentStreamFileName"] or "content.bin")

    # -- writes ---------------------------------------------------------------------------------

    def act(self, values: dict[str, Any], action: str) -> Response:
        if action == "createDocument":
            return self.create_document(values)
        if action == "appendContent":
            return self.append_content(values)
        if action == "delete":
            return self.delete(values)
        if action in ("createFolder", "update", "setContent", "deleteContent", "checkOut", "checkIn", "move",
                      "createRelationship", "applyACL", "applyPolicy", "deleteTree", "createItem", "cancelCheckOut",
                      "addObjectToFolder", "removeObjectFromFolder", "bulkUpdate", "createPolicy"):
            raise CmisError(405, "notSupported", f"The action {action} is not supported by this repository!")
        raise CmisError(400, "invalidArgument", f"Unknown action: {action[:40]}!")

    def user(self) -> str:
        return self.sim.sign_in.user(request.headers.get("Authorization", "")) or render.SYSTEM_USER

    def create_document(self, folder: dict[str, Any]) -> Response:
        properties = _properties(request.form)
        upload = request.files.get("content")
        self.sim.received.append({"action": "createDocument", "properties": properties,
                                  "fields": sorted(request.form), "files": sorted(request.files),
                                  "filename": upload.filename if upload else None,
                                  "content_type": upload.mimetype if upload else None,
                                  "query": dict(request.args), "length": request.content_length,
                                  "chunked": "chunked" in request.headers.get("Transfer-Encoding", "")})
        if folder["cmis:baseTypeId"] != "cmis:folder":
            raise CmisError(400, "invalidArgument", "Parent is not a folder!")
        name = properties.get("cmis:name")
        type_id = properties.get("cmis:objectTypeId")
        if not isinstance(name, str) or not name:
            raise CmisError(400, "invalidArgument", "Property cmis:name must be set!")
        if not type_id:
            raise CmisError(400, "invalidArgument", "Property cmis:objectTypeId must be set!")
        if type_id not in ("cmis:document", render.DOCUMENT_TYPE):
            raise CmisError(400, "invalidArgument", f"Type '{str(type_id)[:60]}' is unknown or not a document type!")
        settable = render.DOCUMENT_SETTABLE | (set(render.DOCUMENT_PROPERTIES) if type_id == render.DOCUMENT_TYPE else set())
        unknown = sorted(set(properties) - settable)
        if unknown:  # unverified: refused as `constraint` (OpenCMIS's wording of a property the type lacks)
            raise CmisError(409, "constraint", f"Property '{unknown[0][:60]}' is not valid for type cmis:document!")
        state = request.form.get("versioningState") or "major"
        if state not in VERSIONING_STATES:
            raise CmisError(400, "invalidArgument", f"Invalid versioning state: {state[:20]}!")
        if state != "none":
            # unverified: that the simulator's cmis:document is not versionable (as Alfresco's
            # cm:content without the versionable aspect and OpenCMIS's non-versionable types)
            raise CmisError(409, "constraint", "The versioning state must be 'none' for a non-versionable type!")
        if ILLEGAL_NAME.search(name) or len(name) > 255:
            raise CmisError(409, "nameConstraintViolation", "Name is not valid!")
        case = self.cases.case(folder["cmis:objectId"]) if folder["cmis:objectTypeId"] == render.CASE_TYPE else None
        if case is None:
            # unverified: a limit of the simulator: documents live only in case folders
            raise CmisError(409, "constraint", "Documents can only be created in case folders!")
        if case.closed:
            # unverified: how a repository refuses a closed case's folder (a permission change or a
            # rule); the simulator refuses like a rule would
            raise CmisError(409, "constraint", f"The case {case.number} is closed; its folder takes no new documents!")
        letter_date, kind = _letter_date(properties.get("esdh:dokumentdato")), properties.get("esdh:retning")
        if kind is not None and kind not in render.DIRECTIONS:
            raise CmisError(400, "invalidArgument", f"esdh:retning must be one of {', '.join(render.DIRECTIONS)}!")
        upload_path, filename, mime = _content(upload, self.cases)
        with self.sim.lock:
            if self.cases.documents_named(case.uuid, name):
                raise CmisError(409, self.sim.duplicate_exception,
                                f"An object with the name '{name[:100]}' already exists in the folder!")
            object_id = self.new_object_id(case.uuid, name)
            new = NewDocument(upload=upload_path, title=str(properties.get("cmis:description") or name),
                              file_name=name, mime_type=mime, letter_date=letter_date or date.today().isoformat(),
                              kind=kind or "Indgående", description=str(properties.get("cmis:description") or ""),
                              fields={render.DIALECT: {"name": name, "fileName": filename, "type": type_id,
                                                       "createdBy": self.user(), "objectId": object_id}})
            try:
                stored = self.cases.add_document(case.uuid, new)
            except LookupError:
                raise CmisError(404, "objectNotFound", "Unknown object id!") from None
            self.cases.db.connection().execute(
                "INSERT INTO cmis_objects (object_id, document, folder, name) VALUES (?, ?, ?, ?)",
                (object_id, stored.uuid, case.uuid, name.casefold()))
        values = self.document_values(stored)
        values.pop("cmis:parentId", None)
        return _json(render.as_object(values, succinct=_flag(request.form, "succinct")), 201)

    def append_content(self, document: dict[str, Any]) -> Response:
        upload = request.files.get("content")
        self.sim.received.append({"action": "appendContent", "isLastChunk": request.form.get("isLastChunk"),
                                  "files": sorted(request.files), "query": dict(request.args),
                                  "length": request.content_length})
        if not self.sim.append_supported:
            raise CmisError(405, "notSupported", "appendContent is not supported by this repository!")
        if document["cmis:baseTypeId"] != "cmis:document":
            raise CmisError(409, "constraint", "Object is not a document!")
        if upload is None:
            raise CmisError(400, "invalidArgument", "Content stream is missing!")
        # unverified: isLastChunk is only a hint here (the spec lets a repository use it to finish
        # the stream); the appended bytes count either way.
        stored = self.cases.document(self.document_uuid(document["cmis:objectId"]))
        if stored is None:
            raise CmisError(404, "objectNotFound", "Unknown object id!")
        upload.stream.flush()
        with self.sim.lock, open(upload.stream.name, "rb") as source, \
                open(self.cases.content_path(stored), "ab") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        values = self.document_values(stored)
        values.pop("cmis:parentId", None)
        # unverified: appendContent's status; OpenCMIS's servlet answers the object, 200 here
        return _json(render.as_object(values, succinct=_flag(request.form, "succinct")))

    def delete(self, values: dict[str, Any]) -> Response:
        self.sim.received.append({"action": "delete", "query": dict(request.args)})
        if values["cmis:baseTypeId"] != "cmis:document":
            raise CmisError(409, "constraint", "Only documents can be deleted here!")
        self.cases.delete_document(self.document_uuid(values["cmis:objectId"]))
        return Response(b"", 200, content_type="text/plain")

    # -- query ------------------------------------------------------------------------------------

    def query(self, statement: str, args: Any) -> Response:
        if not statement.strip():
            raise CmisError(400, "invalidArgument", "Statement must be set!")
        query = parse(statement)
        skip, limit = _page(args)
        rows = list(self._rows(query))
        matching = [v for v, scope in rows if query.test(v, scope)]
        for name, descending in reversed(query.order):
            matching.sort(key=lambda v: (v.get(name) is None, v.get(name) if v.get(name) is not None else ""),
                          reverse=descending)
        page = matching[skip:skip + limit]
        wanted = None if query.columns == ["*"] else query.columns
        succinct = _flag(args, "succinct")
        results = []
        for values in page:
            shown = {k: v for k, v in values.items() if k in self._queryable(query.type_id, values)}
            results.append(render.as_object(shown, succinct=succinct, wanted=wanted,
                                            actions=_flag(args, "includeAllowableActions")))
        return _json({"results": results, "hasMoreItems": skip + len(page) < len(matching),
                      "numItems": len(matching)})

    def _queryable(self, type_id: str, values: dict[str, Any]) -> set[str]:
        """The properties a query on `type_id` shows: a base type's query shows only the base
        type's properties (cmis:...), a subtype's its own as well."""
        if type_id in ("cmis:folder", "cmis:document"):
            return {k for k in values if k.startswith("cmis:")}
        return set(values)

    def _rows(self, query: Query) -> Iterator[tuple[dict[str, Any], Scope]]:
        if query.type_id in (render.CASE_TYPE, "cmis:folder"):
            if query.type_id == "cmis:folder":
                yield self.root_values(), Scope(None, ())
                yield self.cases_values(), Scope(self.sim.root_id, (self.sim.root_id,))
            if query.in_folder and query.in_folder.lower() != self.sim.cases_id:
                return
            scope = Scope(self.sim.cases_id, (self.sim.cases_id, self.sim.root_id))
            first = 0
            while True:
                page = self.cases.cases_by_row(first, 500)
                if not page:
                    return
                for case in page:
                    yield self.case_values(case), scope
                first = page[-1].row_id + 1
        if query.type_id not in ("cmis:document", render.DOCUMENT_TYPE):
            raise CmisError(400, "invalidArgument", f"Type '{query.type_id[:60]}' is unknown or not queryable!")
        if query.in_folder:
            folders = [query.in_folder.lower()]
        else:
            folders = [c.uuid for c in self.cases.search(limit=-1)]
        for folder in folders:
            scope = Scope(folder, (folder, self.sim.cases_id, self.sim.root_id))
            for stored in self.cases.documents(folder):
                values = self.document_values(stored)
                values.pop("cmis:parentId", None)
                if query.type_id == "cmis:document" or values["cmis:objectTypeId"] == query.type_id:
                    yield values, scope


# -- request pieces -------------------------------------------------------------------------------

def _known(repository_id: str) -> None:
    if repository_id != REPOSITORY_ID:
        raise CmisError(404, "objectNotFound", f"Unknown repository '{repository_id[:40]}'!")


def _json(body: Any, status: int = 200) -> Response:
    import json

    return Response(json.dumps(body, ensure_ascii=False), status, content_type=JSON)


def _flag(args: Any, name: str) -> bool:
    return str(args.get(name, "")).lower() == "true"


def _page(args: Any) -> tuple[int, int]:
    try:
        skip = int(args.get("skipCount") or 0)
        limit = int(args.get("maxItems") or DEFAULT_PAGE)
    except ValueError:
        raise CmisError(400, "invalidArgument", "skipCount and maxItems must be integers!") from None
    if skip < 0 or limit < 0:
        raise CmisError(400, "invalidArgument", "skipCount and maxItems must not be negative!")
    return skip, min(limit, MAX_PAGE)


def _properties(form: Any) -> dict[str, Any]:
    """`propertyId[n]`/`propertyValue[n]` (or `propertyValue[n][m]` for several values) pairs."""
    ids: dict[int, str] = {}
    values: dict[int, Any] = {}
    for key in form:
        if match := _PROPERTY_ID.match(key):
            ids[int(match.group(1))] = form.get(key)
        elif match := _PROPERTY_VALUE.match(key):
            index = int(match.group(1))
            if match.group(2) is None:
                values[index] = form.get(key)
            else:
                current = values.setdefault(index, {})
                if isinstance(current, dict):
                    current[int(match.group(2))] = form.get(key)
    found: dict[str, Any] = {}
    for index, pid in ids.items():
        value = values.get(index)
        if isinstance(value, dict):
            value = [value[i] for i in sorted(value)]
        found[pid] = value
    extra = sorted(set(values) - set(ids))
    if extra:
        raise CmisError(400, "invalidArgument", f"propertyValue[{extra[0]}] has no propertyId[{extra[0]}]!")
    return found


def _content(upload: FileStorage | None, cases: CaseStore) -> tuple[str, str, str]:
    """The content part's temporary file, file name and MIME type (an empty file when there is none)."""
    if upload is None:
        empty = cases.files.new_upload()
        empty.close()
        request.environ.setdefault("caseclient.uploads", []).append(empty.name)
        return empty.name, "", "application/octet-stream"
    upload.stream.close()
    filename = upload.filename or ""
    mime = upload.mimetype or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return upload.stream.name, filename, mime


def _letter_date(value: Any) -> str | None:
    """A datetime property's value as the browser binding posts it (milliseconds since 1970, UTC)
    as a date; an ISO text is taken too (unverified: whether repositories accept one)."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        if re.fullmatch(r"-?\d+", text):
            return datetime.fromtimestamp(int(text) / 1000, tz=timezone.utc).date().isoformat()
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except (ValueError, OverflowError, OSError):
        raise CmisError(400, "invalidArgument", f"Invalid datetime value '{text[:40]}'!") from None


def quoted_path(*segments: str) -> str:
    return "/".join(quote(s, safe="") for s in segments)
