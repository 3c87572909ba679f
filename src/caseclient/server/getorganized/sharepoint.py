"""SharePoint's REST API on a case's web, as GO's clients use it: the form digest, listing the
case's document library, finding a file's list item, adding a file, the chunked upload
(startUpload / continueUpload / finishUpload) and the file itself."""

from __future__ import annotations

import hashlib
import hmac
import re
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from flask import Request, Response, send_file

from ..store.cases import NewDocument, StoredCase, StoredDocument
from . import ids, render
from .errors import GoError, odata_error
from .goapi import _new_document, indexed, same_name
from .web import json_response

if TYPE_CHECKING:
    from .app import Simulator

DIGEST_SECONDS = 1800
RENDER_ROW_LIMIT = 30  # a view's page when the request names none
_TARGET = re.compile(
    r"^web/(?P<kind>getfolderbyserverrelativeurl|getfolderbyserverrelativepath|getfilebyserverrelativeurl|"
    r"getfilebyserverrelativepath|getlist)\((?P<arg>(?:[^()']|'(?:[^']|'')*')*)\)(?P<tail>.*)$", re.IGNORECASE)
_CALL = re.compile(r"^/(?P<name>[A-Za-z$]+)(?:\((?P<args>(?:[^()']|'(?:[^']|'')*')*)\))?/?$")
_LIBRARY = re.compile(r"^/?cases/(?P<site>[^/]+)/(?P<case>[^/]+)/" + ids.DOCUMENT_LIBRARY + r"(?:/(?P<rest>.*?))?/?$",
                      re.IGNORECASE)
_BAD_NAME = re.compile(r'[<>:"/\\|?*#%]')


def _verbose(req: Request) -> bool:
    return "odata=verbose" in req.headers.get("Accept", "").replace(" ", "").lower()


def _error(req: Request, status: int, code: str, message: str) -> GoError:
    return odata_error(status, code, message, verbose=_verbose(req))


def _not_found(req: Request, what: str = "File Not Found.") -> GoError:
    return _error(req, 404, "-2130575338, System.IO.FileNotFoundException", what)


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == "'" and text[-1] == "'":
        return text[1:-1].replace("''", "'")
    return text


def _value(text: str, req: Request) -> str:
    """A function argument: a quoted string, `@alias` from the query, `DecodedUrl=...`, guid'...'."""
    text = text.strip()
    if text.lower().startswith("decodedurl="):
        text = text.split("=", 1)[1].strip()
    if text.startswith("@"):
        text = req.args.get(text, "")
    if text.lower().startswith("guid'"):
        text = text[4:]
    return _unquote(text)


def _arguments(text: str | None, req: Request) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in re.findall(r"(?:[^,']|'(?:[^']|'')*')+", text or ""):
        name, sep, value = part.partition("=")
        if sep:
            found[name.strip().lower()] = _value(value, req)
    return found


def handle(sim: "Simulator", web: str, rest: str, req: Request) -> Response:
    web = web.rstrip("/")
    if rest.strip("/").lower() == "contextinfo" and req.method == "POST":
        return context_info(sim, web, req)
    target = _TARGET.match(rest.strip())
    if not target:
        raise _error(req, 400, "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
                     "The expression is not valid.")
    kind = target.group("kind").lower()
    where = _value(target.group("arg"), req)
    tail = target.group("tail")
    if kind.startswith("getfile") and tail.strip("/") == "" and req.method in ("GET", "HEAD"):
        case, folder, file_name = _file(sim, web, where, req)
        document = same_name(sim, case, folder, file_name)
        if document is None:
            raise _not_found(req)
        return _answer(req, _file_json(case, document), "SP.File")
    if tail.lower().startswith("/files/add("):
        tail = tail[len("/files"):]
    call = _CALL.match(tail)
    if not call:
        raise _error(req, 400, "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
                     "The expression is not valid.")
    name = call.group("name").lower()
    args = _arguments(call.group("args"), req)
    if kind == "getlist" and name == "renderlistdataasstream" and req.method == "POST":
        return render_list_data(sim, web, where, req)
    if kind.startswith("getfolder"):
        case, folder = _folder(sim, web, where, req)
        if name == "files" and req.method in ("GET", "HEAD") and call.group("args") is None:
            return list_files(sim, case, folder, req)
        if name == "add" and req.method == "POST":
            _check_digest(sim, web, req)
            return add_file(sim, case, folder, args, req)
        if name == "files" and req.method == "POST":
            raise _error(req, 405, "-1, Microsoft.SharePoint.Client.InvalidClientQueryException", "Not allowed.")
    if kind.startswith("getfile"):
        case, folder, file_name = _file(sim, web, where, req)
        if name == "listitemallfields" and req.method in ("GET", "HEAD"):
            document = same_name(sim, case, folder, file_name)
            if document is None:
                raise _not_found(req)
            return _answer(req, _item(sim, case, document), "SP.Data.DokumenterItem")
        if name == "$value" and req.method in ("GET", "HEAD"):
            document = same_name(sim, case, folder, file_name)
            if document is None:
                raise _not_found(req)
            return send_file(sim.cases.content_path(document), mimetype="application/octet-stream", conditional=True)
        if name in ("startupload", "continueupload", "finishupload", "cancelupload") and req.method == "POST":
            _check_digest(sim, web, req)
            return chunked_upload(sim, name, case, folder, file_name, args, req)
    raise _error(req, 400, "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
                 "The expression is not valid.")


# -- where ------------------------------------------------------------------------------------

def _case_of_path(sim: "Simulator", web: str, path: str, req: Request) -> tuple[StoredCase, str]:
    found = _LIBRARY.match(path.strip())
    case = ids.find_case(sim.cases, found.group("case")) if found else None
    if case is None or found is None or found.group("site").lower() != ids.site_of(case).lower():
        raise _not_found(req)
    if web.lower() != "/" + ids.case_url(case).lower():
        raise _error(req, 400, "-2147024809, System.ArgumentException", "Value does not fall within the expected range.")
    return case, (found.group("rest") or "").strip("/")


def _folder(sim: "Simulator", web: str, path: str, req: Request) -> tuple[StoredCase, str]:
    case, folder = _case_of_path(sim, web, path, req)
    if folder and not any(render.folder_of(d).casefold() == folder.casefold() for d in sim.cases.documents(case.uuid)):
        raise _not_found(req)  # this path creates no folders (AddUsingPath does, and GO's AddToCase)
    return case, folder


def _file(sim: "Simulator", web: str, path: str, req: Request) -> tuple[StoredCase, str, str]:
    case, rest = _case_of_path(sim, web, path, req)
    if not rest:
        raise _not_found(req)
    folder, _, name = rest.rpartition("/")
    return case, folder, name


# -- the form digest --------------------------------------------------------------------------

def _digest(sim: "Simulator", web: str, issued: str) -> str:
    mac = hmac.new(sim.installation.digest_key(), f"{web.lower()}|{issued}".encode(), hashlib.sha256)
    return "0x" + mac.hexdigest().upper()


def context_info(sim: "Simulator", web: str, req: Request) -> Response:
    issued = datetime.now(timezone.utc).strftime("%d %b %Y %H:%M:%S -0000")
    base = req.host_url.rstrip("/")
    info = {"FormDigestTimeoutSeconds": DIGEST_SECONDS, "FormDigestValue": f"{_digest(sim, web, issued)},{issued}",
            "LibraryVersion": "16.0.10337.12109", "SiteFullUrl": base + web, "WebFullUrl": base + web,
            "SupportedSchemaVersions": ["14.0.0.0", "15.0.0.0"]}
    if _verbose(req):
        return json_response({"d": {"GetContextWebInformation": {"__metadata": {"type": "SP.ContextWebInformation"},
                                                                  **info}}})
    return json_response({"odata.metadata": base + web + "/_api/$metadata#SP.ContextWebInformation", **info})


def _check_digest(sim: "Simulator", web: str, req: Request) -> None:
    """SharePoint refuses a write without a valid X-RequestDigest for this web."""
    value = req.headers.get("X-RequestDigest", "")
    mac, _, issued = value.partition(",")
    try:
        when = datetime.strptime(issued, "%d %b %Y %H:%M:%S -0000").replace(tzinfo=timezone.utc)
        fresh = 0 <= (datetime.now(timezone.utc) - when).total_seconds() <= DIGEST_SECONDS
    except ValueError:
        fresh = False
    if not fresh or not hmac.compare_digest(mac, _digest(sim, web, issued)):
        raise _error(req, 403, "-2130575252, Microsoft.SharePoint.SPException",
                     "The security validation for this page is invalid and might be corrupted. "
                     "Please use your web browser's Back button to try your operation again.")


# -- what SharePoint says about files -----------------------------------------------------------

def _answer(req: Request, body: dict[str, Any], kind: str) -> Response:
    if _verbose(req):
        return json_response({"d": {"__metadata": {"type": kind}, **body}})
    return json_response(body)


def _file_json(case: StoredCase, document: StoredDocument) -> dict[str, Any]:
    return {"CheckInComment": "", "CheckOutType": 2, "Exists": True, "Length": str(document.size),
            "Level": 1, "MajorVersion": 1, "MinorVersion": 0, "Name": render.file_name(document),
            "ServerRelativeUrl": render.file_path(case, document), "TimeCreated": render.iso_time(document.registered),
            "TimeLastModified": render.iso_time(document.registered), "Title": None, "UIVersion": 512,
            "UIVersionLabel": "1.0", "UniqueId": document.uuid}


def _item(sim: "Simulator", case: StoredCase, document: StoredDocument) -> dict[str, Any]:
    go = render.go_fields(document)
    item = render.list_item_id(document)
    return {"Id": item, "ID": item, "Title": document.title, "FileLeafRef": render.file_name(document),
            "DocID": document.row_id if indexed(document) else None,
            "Dato": f"{document.letter_date}T00:00:00Z" if document.letter_date else None,
            "Korrespondance": render.korrespondance(document) or None,
            "Modtagere": (go.get("ows") or {}).get("ows_Modtagere") or None,
            "CaseRecordNumber": int(go.get("case_record") or 0), "Finalized": bool(go.get("finalized")),
            "Created": render.iso_time(document.registered), "Modified": render.iso_time(document.registered)}


def list_files(sim: "Simulator", case: StoredCase, folder: str, req: Request) -> Response:
    expand = "listitemallfields" in (req.args.get("$expand", "") + req.args.get("$select", "")).lower()
    files = []
    for document in sim.cases.documents(case.uuid):
        if render.folder_of(document).casefold() != folder.casefold():
            continue
        entry = _file_json(case, document)
        if expand:
            entry["ListItemAllFields"] = _item(sim, case, document)
        files.append(entry)
    files.sort(key=lambda f: f["ListItemAllFields"]["Id"] if expand else f["Name"])
    if _verbose(req):
        return json_response({"d": {"results": [{"__metadata": {"type": "SP.File"}, **f} for f in files]}})
    return json_response({"odata.metadata": f"{req.host_url.rstrip('/')}/_api/$metadata#SP.ApiData.Files12", "value": files})


def render_list_data(sim: "Simulator", web: str, list_url: str, req: Request) -> Response:
    case, _ = _case_of_path(sim, web, list_url, req)
    root = req.args.get("RootFolder", "")
    folder = _case_of_path(sim, web, root, req)[1] if root else ""
    body = req.get_json(force=True, silent=True) or {}
    view_xml = str(((body.get("parameters") or {}) if isinstance(body, dict) else {}).get("ViewXml") or "")
    limit_found = re.search(r"<RowLimit[^>]*>\s*(\d+)\s*</RowLimit>", view_xml)
    limit = int(limit_found.group(1)) if limit_found else RENDER_ROW_LIMIT
    after = int(req.args.get("p_ID", "0") or 0) if req.args.get("Paged", "").upper() == "TRUE" else 0
    filter_field, filter_value = req.args.get("FilterField1"), req.args.get("FilterValue1")
    now = time.time()
    documents = sorted((d for d in sim.cases.documents(case.uuid)
                        if render.folder_of(d).casefold() == folder.casefold()), key=render.list_item_id)
    rows = []
    for document in documents:
        if render.list_item_id(document) <= after:
            continue
        row = _row(case, document, now)
        if filter_field and str(row.get(filter_field, "")) != (filter_value or ""):
            continue
        rows.append(row)
    page, more = rows[:limit], len(rows) > limit
    answer: dict[str, Any] = {"Row": page, "FirstRow": 1, "LastRow": len(page), "RowLimit": limit,
                              "FolderPermissions": "0x7fffffffffffffff"}
    if more:
        answer["NextHref"] = f"?Paged=TRUE&p_ID={page[-1]['ID']}&View={quote(req.args.get('View', ''))}"
    return json_response(answer)


def _row(case: StoredCase, document: StoredDocument, now: float) -> dict[str, Any]:
    """A RenderListDataAsStream row: every value a string, dates as the Danish site shows them.
    # unverified: the display format of Dato (da-DK, DD-MM-YYYY)."""
    name = render.file_name(document)
    stem, dot, suffix = name.rpartition(".")
    day = document.letter_date
    return {"ID": str(render.list_item_id(document)), "DocID": str(document.row_id) if indexed(document, now) else "",
            "FileLeafRef": name, "FileLeafRef.Name": stem if dot else name, "FileLeafRef.Suffix": suffix if dot else "",
            "FileRef": render.file_path(case, document), "Title": document.title,
            "Dato": f"{day[8:10]}-{day[5:7]}-{day[0:4]}" if day else "",
            "Korrespondance": render.korrespondance(document),
            "CaseRecordNumber": str(render.go_fields(document).get("case_record") or 0),
            "File_x0020_Size": str(document.size)}


# -- writing files ----------------------------------------------------------------------------

def _receive(sim: "Simulator", req: Request, path_for: Any) -> tuple[Any, int]:
    """Stream the request body into a file; returns (the open file's path, bytes)."""
    length = req.content_length
    if length is not None and length > sim.request_limit:
        raise _error(req, 413, "-2130575246, Microsoft.SharePoint.Client.ClientServiceException",
                     f"The request message is too big. The server does not allow messages larger than {sim.request_limit} bytes.")
    target = path_for()
    size = 0
    with target:
        while block := req.stream.read(1 << 20):
            target.write(block)
            size += len(block)
            if size > sim.request_limit:
                raise _error(req, 413, "-2130575246, Microsoft.SharePoint.Client.ClientServiceException",
                             "The request message is too big.")
    return target.name, size


def _locked_by(sim: "Simulator", document: StoredDocument, upload_id: str | None = None) -> str | None:
    sim.expire_sessions()
    return next((u for u, s in sim.sessions.items() if s.document_uuid == document.uuid and u != upload_id), None)


def _locked(req: Request, case: StoredCase, name: str) -> GoError:
    # unverified: the status of SharePoint's lock error (the wording is SharePoint's)
    login = (ids.login_of(case.caseworker) or "system").lower()
    return _error(req, 423, "-2147018887, Microsoft.SharePoint.SPFileLockException",
                  f'The file "{ids.DOCUMENT_LIBRARY}/{name}" is locked for exclusive use by i:0#.w|kommune\\{login}.')


def add_file(sim: "Simulator", case: StoredCase, folder: str, args: dict[str, str], req: Request) -> Response:
    name = args.get("url", "").rsplit("/", 1)[-1].strip()
    overwrite = args.get("overwrite", "false").lower() == "true"
    if not name or _BAD_NAME.search(name) or name.startswith(".") or name.endswith("."):
        raise _error(req, 400, "-2130575245, Microsoft.SharePoint.SPException",
                     "The file or folder name contains characters that are not permitted.")

    def new_upload() -> Any:
        upload = sim.cases.files.new_upload()
        req.environ.setdefault("caseclient.uploads", []).append(upload.name)
        return upload

    upload, _size = _receive(sim, req, new_upload)
    with sim.lock:
        existing = same_name(sim, case, folder, name)
        if existing is not None and not overwrite:
            # unverified: the status (the code and wording are SharePoint's)
            login = (ids.login_of(case.caseworker) or "system").lower()
            where = f"{ids.library_path(case)}{'/' + folder if folder else ''}/{name}"
            raise _error(req, 400, "-2130575257, Microsoft.SharePoint.SPException",
                         f"A file with the name {where} already exists. It was last modified by "
                         f"i:0#.w|kommune\\{login} on {datetime.now():%d %b %Y %H:%M:%S} -0000.")
        if existing is not None:
            if _locked_by(sim, existing):
                raise _locked(req, case, name)
            stored = sim.cases.replace_document(existing.uuid, _same_metadata(existing, upload))
        else:
            # A file added through SharePoint gets its DocID from GO a moment later.
            new = _new_document(upload, name, {"korrespondance": ""}, folder, {},
                                indexed_at=time.time() + sim.indexing_delay)
            stored = sim.cases.add_document(case.uuid, new)
    return _answer(req, _file_json(case, stored), "SP.File")


def _same_metadata(document: StoredDocument, upload: str) -> NewDocument:
    """A new file under a document's existing metadata (same list item, same DocID)."""
    return NewDocument(upload=upload, title=document.title, file_name=render.file_name(document),
                       mime_type=document.mime_type, letter_date=document.letter_date, kind=document.kind,
                       description=document.description, fields=document.fields)


def chunked_upload(sim: "Simulator", step: str, case: StoredCase, folder: str, name: str, args: dict[str, str],
                   req: Request) -> Response:
    from .app import UploadSession

    upload_id = args.get("uploadid", "").strip("{}").lower()
    if not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", upload_id):
        raise _error(req, 400, "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
                     "The uploadId parameter is not a valid Guid.")
    document = same_name(sim, case, folder, name)
    if document is None:
        raise _not_found(req)
    if step == "cancelupload":
        with sim.lock:
            session = sim.sessions.pop(upload_id, None)
        if session is not None:
            session.path.unlink(missing_ok=True)
        return json_response({"odata.null": True})
    if step == "startupload":
        with sim.lock:
            if _locked_by(sim, document, upload_id):
                raise _locked(req, case, name)
            previous = sim.sessions.pop(upload_id, None)  # unverified: the same id starts over
        if previous is not None:
            previous.path.unlink(missing_ok=True)
        path, size = _receive(sim, req, sim.cases.files.new_upload)
        from pathlib import Path

        with sim.lock:
            sim.sessions[upload_id] = UploadSession(document.uuid, case.uuid, Path(path), size, time.monotonic())
        return _offset(req, "StartUpload", size)
    offset = args.get("fileoffset", "")
    with sim.lock:
        session = sim.sessions.get(upload_id)
    if session is None or session.document_uuid != document.uuid:
        # unverified: SharePoint's answer for an upload session it does not know (expired, never started)
        raise _error(req, 404, "-2147024809, System.ArgumentException", "The upload session was not found.")
    if not offset.isdigit() or int(offset) != session.offset:
        # unverified: the wording; SharePoint refuses a chunk whose fileOffset is not what it holds
        raise _error(req, 400, "-2147024809, System.ArgumentException",
                     "The fileOffset parameter does not match the bytes received for this upload.")
    with open(session.path, "ab") as target:
        length = req.content_length
        if length is not None and length > sim.request_limit:
            raise _error(req, 413, "-2130575246, Microsoft.SharePoint.Client.ClientServiceException",
                         "The request message is too big.")
        received = 0
        while block := req.stream.read(1 << 20):
            target.write(block)
            received += len(block)
    session.offset += received
    if step == "continueupload":
        return _offset(req, "ContinueUpload", session.offset)
    with sim.lock:
        sim.sessions.pop(upload_id, None)
        current = sim.cases.document(document.uuid)
        if current is None:
            session.path.unlink(missing_ok=True)
            raise _not_found(req)
        stored = sim.cases.replace_document(current.uuid, _same_metadata(current, str(session.path)))
    return _answer(req, _file_json(case, stored), "SP.File")


def _offset(req: Request, name: str, offset: int) -> Response:
    if _verbose(req):
        return json_response({"d": {name: str(offset)}})
    return json_response({"odata.metadata": "$metadata#Edm.Int64", "value": str(offset)})


def download(sim: "Simulator", path: str, req: Request) -> Response:
    """The file at its SharePoint address (`ows_EncodedAbsUrl`), streamed."""
    case_part, _, rest = path.lstrip("/").partition(f"/{ids.DOCUMENT_LIBRARY}/")
    found = re.match(r"^cases/([^/]+)/([^/]+)$", case_part, re.IGNORECASE)
    case = ids.find_case(sim.cases, found.group(2)) if found else None
    if case is None or found is None or found.group(1).lower() != ids.site_of(case).lower() or not rest:
        raise render.not_found("The resource cannot be found.")
    folder, _, name = rest.rpartition("/")
    document = same_name(sim, case, folder, name)
    if document is None:
        raise render.not_found("The resource cannot be found.")
    return send_file(sim.cases.content_path(document), mimetype=document.mime_type, conditional=True,
                     download_name=name, as_attachment=False)


