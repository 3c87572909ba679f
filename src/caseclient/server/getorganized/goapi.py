"""GO's `/_goapi` Web API: finding cases, case metadata, filing documents inside JSON, document
metadata and bytes."""

from __future__ import annotations

import mimetypes
import re
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from flask import Request, Response, send_file

from ..store.cases import CPR_URN, CVR_URN, NewDocument, StoredCase, StoredDocument
from . import ids, render
from .errors import SERVICE_UNAVAILABLE_PAGE, GoError, exception, web_api_error
from .jsonbody import BodyError, read_upload
from .web import json_body, json_response

if TYPE_CHECKING:
    from .app import Simulator

DEFAULT_RETURN_CASES = 25  # unverified: FindByCaseProperties' default when ReturnCasesNumber is absent
FIND_CASES_MAX_ITEMS = 1000  # unverified: a bigger FindCases ItemCount fails (ServiceStatus)
MODERN_SEARCH_PAGE = 500  # unverified: ExecuteModernSearch's page for PageSize 0
_FILE_NAME_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_DIGITS = re.compile(r"\d+")


def handle(sim: "Simulator", web: str, rest: str, req: Request) -> Response:
    route = rest.strip("/").lower()
    method = req.method
    parts = rest.strip("/").split("/")
    if method == "POST" and route == "cases/findbycaseproperties":
        return find_by_case_properties(sim, req)
    if method == "POST" and route == "cases/findcases":
        return find_cases(sim, req)
    if method == "POST" and route == "search/executemodernsearch":
        return modern_search(sim, req)
    if method in ("GET", "HEAD") and route.startswith("cases/metadata/") and len(parts) in (3, 4):
        return case_metadata(sim, parts[2])
    if method == "POST" and route == "documents/addtodocumentlibrary":
        return add_document(sim, req)
    if method == "POST" and route == "documents/addtocase":
        return add_document(sim, req)
    if method == "POST" and route == "documents/metadata":
        return set_document_metadata(sim, req)
    if method in ("GET", "HEAD") and route.startswith("documents/metadata/") and len(parts) == 3:
        return document_metadata(sim, parts[2], req, system=False)
    if method in ("GET", "HEAD") and route.startswith("documents/metadatawithsystemfields/") and len(parts) == 3:
        return document_metadata(sim, parts[2], req, system=True)
    if method in ("GET", "HEAD") and route.startswith("documents/documentbytes/") and len(parts) == 3:
        return document_bytes(sim, parts[2])
    if method == "POST" and route == "documents/finalize/bydocumentid":
        return finalize(sim, req)
    if method == "POST" and route == "documents/markmultipleascaserecord/bydocumentid":
        return mark_as_case_record(sim, req)
    if method == "DELETE" and route == "documents/bydocumentid":
        return delete_document(sim, req)
    if method in ("GET", "HEAD") and route.startswith("administration/getleftmenucounter"):
        return left_menu_counter(sim)
    raise web_api_error(404, "No HTTP resource was found that matches the request URI.")


# -- finding cases ------------------------------------------------------------------------------

def _int(value: Any, default: int) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _bool(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1")


def _label(value: str) -> str:
    return value.split(";#", 1)[1] if ";#" in value else value


def _field(fields: dict[str, str], name: str) -> str:
    wanted = name.lower()
    return next((v for k, v in fields.items() if k.lower() == wanted), "")


def _party_numbers(text: str) -> set[str]:
    return {d for d in _DIGITS.findall(text) if len(d) in (8, 10)}


def _matches(fields: dict[str, str], name: str, value: str, comparison: str) -> bool:
    """One FieldProperty against a case's fields, as SharePoint compares text: without regard to
    case; a lookup field's Equal compares its label (or the whole `id;#label`)."""
    field = _field(fields, name)
    lowered = name.lower()
    if lowered == "ows_ccmcontactdata":
        # unverified: GO matches contact data by the CPR/CVR numbers in it, not the whole string
        wanted = _party_numbers(value)
        return bool(wanted) and wanted <= _party_numbers(field) if comparison == "equal" \
            else value.casefold() in field.casefold() or (bool(wanted) and wanted <= _party_numbers(field))
    if comparison == "contains":
        return value.casefold() in field.casefold()
    if lowered == "ows_ccmcontactdata_cpr":
        return bool(field) and value.replace("-", "").strip() == field
    return value.strip().casefold() in (field.casefold(), _label(field).casefold())


def _store_criteria(conditions: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Store search arguments that select a superset of the cases matching every condition."""
    criteria: dict[str, Any] = {"include_closed": True}
    for name, value, comparison in conditions:
        if name == "ows_title" and value.strip():
            criteria["title"] = " ".join(filter(None, [criteria.get("title"), value]))
        elif name == "ows_ccmcontactdata_cpr" and comparison == "equal":
            criteria["party"] = CPR_URN + value.replace("-", "").strip()
        elif name == "ows_ccmcontactdata":
            numbers = _party_numbers(value)
            if len(numbers) == 1:
                number = numbers.pop()
                criteria["party"] = (CPR_URN if len(number) == 10 else CVR_URN) + number
        elif name == "ows_caseowner" and comparison == "equal":
            from ..demo import caseworker_uuid

            criteria["caseworker"] = caseworker_uuid(_label(value).strip())
        elif name == "ows_casestatus" and comparison == "equal" and value.strip().casefold() == ids.OPEN.casefold():
            criteria["include_closed"] = False
        elif name == "ows_klenummer" and re.match(r"^\d\d(\.\d\d){0,2}", _label(value).strip()):
            # a KLE number "contains" a prefix of it at its start: a KLE number in a label
            # never has the typed digits in its middle (xx.yy.zz against yy.zz: approximate)
            criteria["kle_prefix"] = re.match(r"^\d\d(\.\d\d){0,2}", _label(value).strip()).group(0)
    return criteria


def _candidates(sim: "Simulator", criteria: dict[str, Any]) -> Iterator[StoredCase]:
    offset = 0
    while True:
        page = sim.cases.search(limit=500, offset=offset, **criteria)
        yield from page
        if len(page) < 500:
            return
        offset += 500


def find_by_case_properties(sim: "Simulator", req: Request) -> Response:
    body = json_body(req)
    raw = body.get("FieldProperties")
    if not isinstance(raw, list):
        raise web_api_error(400, "The request is invalid.")
    conditions = []
    for item in raw:
        if not isinstance(item, dict) or not item.get("InternalName"):
            raise web_api_error(400, "The request is invalid.")
        comparison = str(item.get("ComparisonType") or "Equal").lower()
        if comparison not in ("equal", "contains"):
            raise exception(f"Unknown comparison type '{item.get('ComparisonType')}'.", "System.ArgumentException")
        conditions.append((str(item["InternalName"]).lower(), str(item.get("Value") or ""), comparison))
    prefixes = {str(p).upper() for p in body.get("CaseTypePrefixes") or []}
    limit = max(0, _int(body.get("ReturnCasesNumber"), DEFAULT_RETURN_CASES))
    any_of = str(body.get("LogicalOperator") or "AND").upper() == "OR"
    if not conditions or (prefixes and ids.CASE_TYPE_PREFIX not in prefixes) or limit == 0:
        return json_response({"CasesInfo": []})
    installation = sim.installation

    def matching(case: StoredCase) -> bool:
        fields = render.case_fields(installation, case)
        results = (_matches(fields, *condition) for condition in conditions)
        return any(results) if any_of else all(results)

    # GO's answer holds deleted cases too (0b): rows of their own, counted like the others.
    # unverified: that ExcludeDeletedCases does not keep them out (0b: drop them client-side),
    # and that they come first; an empty CaseTypePrefixes means every case type.
    rows: list[dict[str, Any]] = [_case_info(case, exists=False)
                                  for case in sim.cases.deleted_cases() if matching(case)]
    exact = next((value for name, value, comparison in conditions
                  if name == "ows_caseid" and comparison == "equal"), None)
    if exact is not None and not any_of:
        found = ids.find_case(sim.cases, exact)
        live: Iterator[StoredCase] = iter([found] if found else [])
    else:
        live = _candidates(sim, {"include_closed": True} if any_of else _store_criteria(conditions))
    for case in live:
        if len(rows) >= limit:
            break
        if matching(case):
            rows.append(_case_info(case, exists=True))
    return json_response({"CasesInfo": rows[:limit]})


def _case_info(case: StoredCase, *, exists: bool) -> dict[str, Any]:
    # unverified: the members of a CasesInfo row beyond CaseID and RelativeUrl
    return {"CaseID": ids.case_id_of(case), "RelativeUrl": "/" + ids.case_url(case),
            "Title": case.title, "ItemExists": exists}


def _wildcard(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if ch == "*" else re.escape(ch) for ch in pattern), re.IGNORECASE)


def find_cases(sim: "Simulator", req: Request) -> Response:
    body = json_body(req)
    pattern = str(body.get("CaseIdFilter") or "").strip()
    start = max(0, _int(body.get("StartItemIndex"), 0))
    count = _int(body.get("ItemCount"), 30)
    if not pattern:
        return _cases_xml([], failure="CaseIdFilter must be given.")
    if not 0 < count <= FIND_CASES_MAX_ITEMS:
        return _cases_xml([], failure=f"ItemCount must be between 1 and {FIND_CASES_MAX_ITEMS}.")
    if not _bool(body.get("IncludeRegularCases", True)):
        return _cases_xml([])
    wanted = _wildcard(pattern)  # unverified: "*" alone lists every case
    found: list[StoredCase] = []
    skipped = 0
    row = 0
    while len(found) < count:
        page = sim.cases.cases_by_row(row, 500)
        for case in page:
            if wanted.fullmatch(ids.case_id_of(case)):
                if skipped < start:
                    skipped += 1
                elif len(found) < count:
                    found.append(case)
        if len(page) < 500:
            break
        row = page[-1].row_id + 1
    return _cases_xml(found)


def _cases_xml(cases: list[StoredCase], failure: str | None = None) -> Response:
    # unverified: how a failure reads (Status other than "Success", with a Message)
    status = ('<ServiceStatus Status="Success" />' if failure is None
              else f'<ServiceStatus Status="Failure" Message="{render.attribute(failure)}" />')
    items = "".join(f'<Case CaseID="{render.attribute(ids.case_id_of(c))}" Name="{render.attribute(c.title)}" />'
                    for c in cases)
    return json_response({"ResultsXml": f"<Cases>{status}{items}</Cases>"})


_CPR_PHRASE = re.compile(r"^\d{6}-?\d{4}$")


def modern_search(sim: "Simulator", req: Request) -> Response:
    body = json_body(req)
    phrase = str(body.get("QueryPhrase") or "").strip()
    page_size = _int(body.get("PageSize"), 10) or MODERN_SEARCH_PAGE
    page_index = max(1, _int(body.get("QueryPageIndex"), 1))
    prefixes = {str(p).upper() for p in body.get("CaseTypePrefixes") or []}
    if str(body.get("QueryType") or "Cases").lower() != "cases" or (prefixes and ids.CASE_TYPE_PREFIX not in prefixes):
        return json_response({"results": {"Results": []}, "totalRows": 0})  # unverified: document search
    criteria: dict[str, Any] = {"include_closed": not _bool(body.get("TrimToOpenedCases"))}
    if _CPR_PHRASE.match(phrase):
        criteria["party"] = CPR_URN + phrase.replace("-", "")
    elif ids.parse_case_id(phrase):
        found = ids.find_case(sim.cases, phrase, allow_sub_case=True)
        hits = [found] if found and (criteria["include_closed"] or not found.closed) else []
        return _modern_rows(sim, hits, len(hits), body)
    else:
        criteria["title"] = phrase
    hits = list(_candidates(sim, criteria))
    first = (page_index - 1) * page_size
    return _modern_rows(sim, hits[first:first + page_size], len(hits), body)


_SELECT_COLUMNS = {"ccmtitle": "ows_Title", "ccmcaseid": "ows_CaseID", "ccmcontactdata": "ows_CCMContactData",
                   "ccmcontactdatacpr": "ows_CCMContactData_CPR", "ccmcaseowner": "ows_CaseOwner",
                   "ccmklenummer": "ows_KLENummer", "ccmcasestatus": "ows_CaseStatus"}


def _modern_rows(sim: "Simulator", cases: list[StoredCase], total: int, body: dict[str, Any]) -> Response:
    extra = [str(c) for c in body.get("AdditionalSelectColumns") or []]
    rows = []
    for case in cases:
        fields = render.case_fields(sim.installation, case)
        row = {"title": case.title, "created": render.iso_time(case.opened), "caseid": ids.case_id_of(case),
               "caseurl": ids.case_url(case), "path": "/" + ids.case_url(case)}
        for column in extra:
            source = _SELECT_COLUMNS.get(column.lower())
            row[column.lower()] = fields.get(source, "") if source else None
        rows.append(row)
    return json_response({"results": {"Results": rows}, "totalRows": total})


def case_metadata(sim: "Simulator", case_id: str) -> Response:
    case = ids.find_case(sim.cases, case_id, allow_sub_case=True)  # a sub-case is read as its base (0b)
    if case is None:
        # unverified: GO's answer for an unknown case id
        raise web_api_error(404, f"Case '{case_id}' was not found.")
    return json_response({"Metadata": render.z_row(render.case_fields(sim.installation, case))})


# -- filing -----------------------------------------------------------------------------------

def sanitize_file_name(name: str) -> str:
    """The characters SharePoint refuses in a file name become `_`."""
    return _FILE_NAME_FORBIDDEN.sub("_", name).strip()


def same_name(sim: "Simulator", case: StoredCase, folder: str, name: str) -> StoredDocument | None:
    """The document in the case's folder with this file name (SharePoint ignores case)."""
    return next((d for d in sim.cases.documents_named(case.uuid, name)
                 if render.folder_of(d).casefold() == folder.casefold()), None)


def name_taken(case: StoredCase, folder: str, name: str) -> GoError:
    """What GO answers when a file of that name is there and Overwrite is false.
    # unverified: status and wording (SharePoint's SPException surfacing through GO's Web API).
    """
    login = ids.login_of(case.caseworker) or "SYSTEM"
    where = f"{ids.DOCUMENT_LIBRARY}/{folder + '/' if folder else ''}{name}"
    return exception(f"A file with the name {where} already exists. It was last modified by "
                     f"i:0#.w|kommune\\{login.lower()} on {datetime.now():%d-%m-%Y %H:%M:%S}.",
                     "Microsoft.SharePoint.SPException")


def add_document(sim: "Simulator", req: Request) -> Response:
    """AddToDocumentLibrary (`bytes`) and AddToCase (`Bytes`): Json.NET binds member names
    without regard to case and reads a byte[] from an int array or from base64, so both
    endpoints take both. The file member is streamed to disk while the body is read.
    # unverified: that GO's DTOs declare the file as byte[] (int arrays are seen working on both
    # endpoints; base64 only inferred), and that ows_Dato in Metadata is read as on
    # Documents/Metadata (month first). The server's memory: about two 256 KiB blocks and the
    # numbers of one block (measured peak 3.6 MiB for a 10 MiB file as an int array).
    """
    length = req.content_length
    if length is not None and length > sim.request_limit:
        raise web_api_error(413, f"The request message is too big. The server does not allow messages larger than {sim.request_limit} bytes.")
    upload = sim.cases.files.new_upload()
    req.environ.setdefault("caseclient.uploads", []).append(upload.name)
    try:
        with upload:
            members, found, size = read_upload(req.stream, -1 if length is None else length,
                                               ("bytes", "Bytes", "BYTES"), upload)
    except BodyError:
        raise web_api_error(400, "The request is invalid.") from None
    members = {str(k).lower(): v for k, v in members.items()}
    if found is None:
        raise exception("Value cannot be null.\r\nParameter name: bytes", "System.ArgumentNullException")
    case = ids.find_case(sim.cases, str(members.get("caseid") or ""))
    if case is None:
        raise web_api_error(404, f"Case '{members.get('caseid')}' was not found.")  # unverified
    if str(members.get("listname") or ids.DOCUMENT_LIBRARY) != ids.DOCUMENT_LIBRARY:
        raise exception(f"List '{members.get('listname')}' does not exist at site with URL '/{ids.case_url(case)}'.",
                        "System.ArgumentException")
    folder = "/".join(sanitize_file_name(p) for p in str(members.get("folderpath") or "").split("/") if p.strip())
    name = sanitize_file_name(str(members.get("filename") or ""))
    if not name:
        raise web_api_error(400, "The request is invalid.")
    changes = render.document_changes(render.read_row(str(members.get("metadata") or "")))
    overwrite = _bool(members.get("overwrite"))
    with sim.lock:
        existing = same_name(sim, case, folder, name)
        if existing is not None and not overwrite:
            raise name_taken(case, folder, name)
        new = _new_document(upload.name, name, changes, folder,
                            render.go_fields(existing) if existing is not None else {}, indexed_at=None)
        if existing is not None:
            stored = sim.cases.replace_document(existing.uuid, new)  # same list item, same DocID
        else:
            stored = sim.cases.add_document(case.uuid, new)
    return json_response({"DocId": stored.row_id})


def _new_document(upload: str, name: str, changes: dict[str, Any], folder: str, previous: dict[str, Any],
                  *, indexed_at: float | None, title: str | None = None, letter_date: str | None = None,
                  kind: str | None = None) -> NewDocument:
    go = dict(previous)
    go["folder"] = folder
    go["ows"] = {**(previous.get("ows") or {}), **changes.get("ows", {})}
    if "korrespondance" in changes:
        go["korrespondance"] = changes["korrespondance"]
    if indexed_at is not None:
        go["indexed_at"] = indexed_at
    stem = name.rsplit(".", 1)[0] if "." in name else name
    korrespondance = changes.get("korrespondance")
    return NewDocument(
        upload=upload,
        title=changes.get("title") or title or stem,
        file_name=name,
        mime_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
        letter_date=changes.get("letter_date") or letter_date or date.today().isoformat(),
        kind=render.KINDS_FROM_GO.get(korrespondance or "") or kind or "Indgående",
        fields={render.DIALECT: go},
    )


def _document(sim: "Simulator", doc_id: Any) -> tuple[StoredCase, StoredDocument]:
    number = _int(doc_id, -1)
    document = sim.cases.document_by_row(number) if number > 0 else None
    case = sim.cases.case(document.case_uuid) if document is not None and document.case_uuid else None
    if document is None or case is None:
        # unverified: GO's answer for an unknown DocID
        raise web_api_error(404, f"Document with id {doc_id} does not exist.")
    return case, document


def set_document_metadata(sim: "Simulator", req: Request) -> Response:
    """Documents/Metadata: form fields DocId and MetadataXml (a JSON body works too).
    `ows_Dato` is read month first here (the documented quirk)."""
    if req.mimetype == "application/json":
        values = {k.lower(): v for k, v in json_body(req).items()}
    else:
        values = {k.lower(): v[0] for k, v in parse_qs(req.get_data(cache=False).decode("utf-8", "replace"),
                                                        keep_blank_values=True).items()}
    case, document = _document(sim, values.get("docid"))
    changes = render.document_changes(render.read_row(str(values.get("metadataxml") or "")))
    go = render.go_fields(document)
    fields: dict[str, Any] = {"ows": {**(go.get("ows") or {}), **changes["ows"]}}
    if "korrespondance" in changes:
        fields["korrespondance"] = changes["korrespondance"]
    sim.cases.update_document(
        document.uuid, title=changes.get("title"), letter_date=changes.get("letter_date"),
        kind=render.KINDS_FROM_GO.get(changes.get("korrespondance") or ""), dialect=render.DIALECT, fields=fields)
    return Response(status=204)  # unverified: what Documents/Metadata answers on success


def document_metadata(sim: "Simulator", doc_id: str, req: Request, *, system: bool) -> Response:
    case, document = _document(sim, doc_id)
    fields = render.document_fields(sim.installation, case, document, system=system, absolute_base=req.host_url)
    return json_response({"Metadata": render.z_row(fields)})


def document_bytes(sim: "Simulator", doc_id: str) -> Response:
    case, document = _document(sim, doc_id)
    if document.size > sim.document_bytes_limit:
        # The documented quirk: a big file comes back as HTTP 200 carrying IIS' 503 page.
        page = SERVICE_UNAVAILABLE_PAGE
        return Response(page.body, status=200, content_type=page.content_type)
    return send_file(sim.cases.content_path(document), mimetype="application/octet-stream", conditional=False,
                     etag=False, max_age=0)


def _update_go(sim: "Simulator", document: StoredDocument, change: Callable[[dict[str, Any]], None]) -> None:
    go = dict(render.go_fields(document))
    change(go)
    sim.cases.update_fields(document.uuid, render.DIALECT, go)


def finalize(sim: "Simulator", req: Request) -> Response:
    body = {k.lower(): v for k, v in json_body(req).items()}
    _case, document = _document(sim, body.get("docid"))
    _update_go(sim, document, lambda go: go.update(finalized=True))
    return Response(status=204)


def mark_as_case_record(sim: "Simulator", req: Request) -> Response:
    body = {k.lower(): v for k, v in json_body(req).items()}
    numbers = body.get("documentids")
    if not isinstance(numbers, list):
        raise web_api_error(400, "The request is invalid.")
    with sim.lock:
        for number in numbers:
            case, document = _document(sim, number)
            if render.go_fields(document).get("case_record"):
                continue
            used = [int(render.go_fields(d).get("case_record") or 0) for d in sim.cases.documents(case.uuid)]
            _update_go(sim, document, lambda go, n=max(used, default=0) + 1: go.update(case_record=n))
    return Response(status=204)


def delete_document(sim: "Simulator", req: Request) -> Response:
    body = {k.lower(): v for k, v in json_body(req).items()}
    number = _int(body.get("docid"), -1)
    document = sim.cases.document_by_row(number) if number > 0 else None
    if document is None or not sim.cases.delete_document(document.uuid):
        # the documented quirk: a missing document answers 200 with words
        return json_response(f"Document with id {body.get('docid')} does not exist.")
    return Response(status=204)


def left_menu_counter(sim: "Simulator") -> Response:
    views = [("AllItems.aspx", "Dokumenter"), ("Journaliseret.aspx", "Dokumenter"),
             ("IkkeJournaliseret.aspx", "Dokumenter")]
    return json_response([{"ViewName": view, "ListName": list_name, "ViewId": "{" + sim.installation.guid(view) + "}",
                           "Count": 0} for view, list_name in views])


def indexed(document: StoredDocument, now: float | None = None) -> bool:
    """Whether GO has given the document its DocID yet (SharePoint-path files wait a moment)."""
    at = render.go_fields(document).get("indexed_at")
    return at is None or (now if now is not None else time.time()) >= float(at)
