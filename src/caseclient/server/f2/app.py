"""The F2-REST (v13) routes over the shared case store: hypermedia from one fixed address.

`GET /F2Rest/ServiceIndex` (`Accept: application/json`) names every other address by link
relation (`http://cbrain.com/casefile/rel/...`): the case search filter, the OpenSearch
description, the `case-by-id` / `case-by-case-number` / `matter-by-id` / `document-by-id`
templates (which redirect to the item), the upload pre-check and the OAuth2 token endpoint. The
items' own addresses live under a prefix that differs per installation (`/F2Rest/<token>/...`):
a client that builds addresses instead of following links fails here.

Case files contain matters (akter), matters contain documents. Each stored document is a matter
holding that one document; a matter filed through this API is kept in the simulator's own table
until its document arrives. Matters and documents are created with Post-Once-Exactly (POE): an
empty POST to `create-matter` / `create-document` answers a POE address in `Location`; the payload
POSTed there answers 201 + `Location` the first time and 303 + the same `Location` when repeated.
"""

from __future__ import annotations

import base64
import hmac
import json
import mimetypes
import re
import secrets
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from flask import Flask, Response, redirect, request, send_file
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException

from ..store.cases import CaseStore, NewDocument, StoredCase, StoredDocument
from . import render
from .errors import JSON, F2Error, error_page
from .signin import SignIn, register_sign_in

EXTENSION = "caseclient.f2"
SERVICE_INDEX = "/F2Rest/ServiceIndex"
REL = render.REL

# unverified: the first, empty POST to a POE link. The docs' prose says 303 + Location, their
# example (and itk-dev's client, which refuses anything else) 201 + Location. This simulator picks
# the example's 201; FIRST_POE_STATUS may be set to 303 per simulator.
FIRST_POE_STATUS = 201
# unverified: how long an unused or used POE resource lives ("reclaimed by the server after some
# time"); per simulator in `poe_lifetime`.
POE_LIFETIME = 24 * 3600.0
# unverified: the largest answer of case-search-filter (no paging parameters are documented).
FILTER_LIMIT = 1000
MAX_TITLE = 255
# unverified: which file types upload-validation calls Invalid.
BLOCKED_EXTENSIONS = frozenset({"exe", "bat", "cmd", "com", "scr", "msi", "vbs", "js", "ps1", "dll"})
MATTER_FIELDS = frozenset({"Title", "Type", "Text", "CprNumber", "AccessLevel", "Responsible", "Sender",
                           "LetterDate", "ReceivedDate", "SentDate", "ExternalAccessCode", "DeliveryType"})
MATTER_LISTS = {"Receivers": "party", "CcReceivers": "party", "InvolvedParties": "party",
                "KeywordCodes": "value", "SecurityGroups": "value"}
PARTY_FIELDS = frozenset({"Name", "EMail", "CprNumber", "CvrNumber", "PartyId"})
DATE_FIELDS = ("LetterDate", "ReceivedDate", "SentDate")
ACCESS_LEVELS = frozenset({"Involved", "Unit", "All"})
DOCUMENT_FIELDS = frozenset({"Title", "File", "Description", "PreferredAttachmentFormat", "TemplateKey",
                             "OutputManagerTemplateType"})
_INDEXED = re.compile(r"^(?P<name>[A-Za-z]+):(?P<index>\d+)(?:\.(?P<sub>[A-Za-z]+))?$")
_KLE = re.compile(r"^\d\d\.\d\d\.\d\d$")
ATOM = "http://www.w3.org/2005/Atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"


@dataclass
class F2Simulator:
    """What tests reach through `app.extensions[EXTENSION]`."""

    prefix: str
    sign_in: SignIn = field(default_factory=SignIn)
    first_poe_status: int = FIRST_POE_STATUS
    poe_lifetime: float = POE_LIFETIME
    clock: Callable[[], float] = time.time
    received: list[dict[str, Any]] = field(default_factory=list)  # every matter/document payload
    lock: threading.Lock = field(default_factory=threading.Lock)


def f2_simulator(app_or_service: Any) -> F2Simulator:
    app = getattr(app_or_service, "app", app_or_service)
    return app.extensions[EXTENSION]


def register(app: Flask, cases: CaseStore) -> None:
    """The F2-REST routes on the reference service's application."""
    # The installation's own prefix: item addresses differ between installations.
    token = cases.setting("f2.prefix", lambda: secrets.token_hex(3))
    prefix = f"/F2Rest/api-{token}"
    simulator = F2Simulator(prefix)
    app.extensions[EXTENSION] = simulator
    tables = _Tables(cases)
    register_sign_in(app, simulator.sign_in, open_paths=(SERVICE_INDEX,))

    @app.errorhandler(F2Error)
    def f2_error(error: F2Error) -> Response:
        return Response(error.body(), error.status, content_type=JSON)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        body, content_type = error_page(error.code or 500)
        return Response(body, error.code or 500, content_type=content_type)

    def url(path: str) -> str:
        return request.host_url.rstrip("/") + prefix + path

    @app.get(SERVICE_INDEX)
    def service_index() -> Response:
        base = request.host_url.rstrip("/")
        entries = {
            "case-search-filter": (url("/cases/filter"), "Søg sager med filter"),
            "case-search": (url("/cases/opensearch"), "Fritekstsøgning i sager (OpenSearch)"),
            "case-by-id": (url("/cases/by-id?id={id}"), "Sag efter id"),
            "case-by-case-number": (url("/cases/by-number?caseNumber={caseNumber}"), "Sag efter sagsnummer"),
            "matter-by-id": (url("/matters/by-id?id={id}"), "Akt efter id"),
            "document-by-id": (url("/documents/by-id?id={id}"), "Dokument efter id"),
            "upload-validation": (url("/upload-validation"), "Forhåndskontrol af en fil"),
            "oauth2-token": (base + "/F2Rest/oauth2/token", "OAuth2 token"),
        }
        return _json({REL + rel: {"href": href, "title": title} for rel, (href, title) in entries.items()})

    # -- cases -------------------------------------------------------------------------------

    def case_links(case: StoredCase) -> list[dict[str, str]]:
        return [render.link("self", url(f"/cases/{case.row_id}")),
                render.link("down", url(f"/cases/{case.row_id}/matters"), "Akter"),
                render.link("create-matter", url(f"/cases/{case.row_id}/create-matter"), "Opret akt")]

    @app.get(f"{prefix}/cases/filter")
    def case_filter() -> Response:
        wanted = _filter(request.args)
        rows = [render.case_row(c, url(f"/cases/{c.row_id}"))
                for c in _walk(cases, wanted, FILTER_LIMIT)]
        if "text/csv" in request.headers.get("Accept", "") and "json" not in request.headers.get("Accept", ""):
            head = "Id,CaseNumber,Title,CprNumber,ExternalId,Created,Updated,alternate"
            lines = [head] + [",".join(_csv(r[k]) for k in head.split(",")) for r in rows]
            return Response("\r\n".join(lines) + "\r\n", content_type="text/csv; charset=utf-8")
        return _json(rows)

    @app.get(f"{prefix}/cases/opensearch")
    def opensearch_description() -> Response:
        root = ET.Element("OpenSearchDescription", xmlns=OPENSEARCH)
        ET.SubElement(root, "ShortName").text = "F2 sager"
        ET.SubElement(root, "Url", type="application/atom+xml",
                      template=url("/cases/opensearch/results?q={searchTerms}&count={count}&startIndex={startIndex?}"))
        return Response(ET.tostring(root, encoding="utf-8", xml_declaration=True),
                        content_type="application/opensearchdescription+xml; charset=utf-8")

    @app.get(f"{prefix}/cases/opensearch/results")
    def opensearch_results() -> Response:
        terms = request.args.get("q", "")
        count = _int(request.args.get("count") or "10", "count")
        start = _int(request.args.get("startIndex") or "1", "startIndex")
        matches = list(_walk(cases, _full_text(terms), start - 1 + count))[start - 1:]
        ET.register_namespace("", ATOM)
        ET.register_namespace("opensearch", OPENSEARCH)
        feed = ET.Element(f"{{{ATOM}}}feed")
        ET.SubElement(feed, f"{{{ATOM}}}title").text = f"Sager: {terms}"
        ET.SubElement(feed, f"{{{OPENSEARCH}}}startIndex").text = str(start)
        ET.SubElement(feed, f"{{{OPENSEARCH}}}itemsPerPage").text = str(count)
        for case in matches:
            entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
            ET.SubElement(entry, f"{{{ATOM}}}id").text = url(f"/cases/{case.row_id}")
            ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{render.case_number(case)} {case.title}"
            ET.SubElement(entry, f"{{{ATOM}}}updated").text = render.local_time(case.changed)
            ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=url(f"/cases/{case.row_id}"))
        return Response(ET.tostring(feed, encoding="utf-8", xml_declaration=True),
                        content_type="application/atom+xml; charset=utf-8")

    # The templates redirect to the item (docs); unverified: with 303 See Other.
    @app.get(f"{prefix}/cases/by-id")
    def case_by_id() -> Response:
        case = _case(cases, _int(request.args.get("id", ""), "id"))
        return redirect(url(f"/cases/{case.row_id}"), 303)

    @app.get(f"{prefix}/cases/by-number")
    def case_by_number() -> Response:
        number = request.args.get("caseNumber", "")
        parsed = render.parse_case_number(number)
        case = cases.case_by_row(parsed[1]) if parsed else None
        if case is None or render.case_number(case) != f"{parsed[0]} - {parsed[1]}":
            raise F2Error(404, f"Der findes ingen sag med sagsnummer {number[:40]}.", "DossierCaseNotFound")
        return redirect(url(f"/cases/{case.row_id}"), 303)

    @app.get(f"{prefix}/cases/<int:case_id>")
    def get_case(case_id: int) -> Response:
        case = _case(cases, case_id)
        return _json(render.case_file(case, case_links(case)))

    @app.get(f"{prefix}/cases/<int:case_id>/matters")
    def case_matters(case_id: int) -> Response:
        case = _case(cases, case_id)
        return _json([matter_json(m, case) for m in tables.matters_of(case, cases.documents(case.uuid))])

    # -- matters and documents -------------------------------------------------------------

    def document_links(stored: StoredDocument) -> list[dict[str, str]]:
        return [render.link("self", url(f"/documents/{stored.file_row_id}")),
                render.link("content", url(f"/documents/{stored.file_row_id}/content"), stored.file_name)]

    def matter_json(matter: _Matter, case: StoredCase) -> dict[str, Any]:
        documents = [render.document(d, document_links(d)) for d in matter.documents]
        links = [render.link("self", url(f"/matters/{matter.id}")),
                 render.link("up", url(f"/cases/{case.row_id}")),
                 render.link("create-document", url(f"/matters/{matter.id}/create-document"), "Opret dokument")]
        return render.matter(matter.id, case, matter.fields, documents, links)

    def find_matter(matter_id: int) -> tuple[_Matter, StoredCase]:
        found = tables.matter(matter_id)
        case = cases.case(found[0]) if found else None
        if found is None or case is None:
            raise F2Error(404, f"Akten {matter_id} findes ikke.", "MatterNotFound")
        _case_uuid, fields, demo_document = found
        held = [d for d in map(cases.document, [demo_document] if demo_document else tables.documents_of(matter_id))
                if d is not None and d.case_uuid == case.uuid]
        if demo_document and not held:  # a filed document that was deleted since
            raise F2Error(404, f"Akten {matter_id} findes ikke.", "MatterNotFound")
        return _Matter(matter_id, fields, held), case

    @app.get(f"{prefix}/matters/by-id")
    def matter_by_id() -> Response:
        matter, _case_ = find_matter(_int(request.args.get("id", ""), "id"))
        return redirect(url(f"/matters/{matter.id}"), 303)

    @app.get(f"{prefix}/matters/<int:matter_id>")
    def get_matter(matter_id: int) -> Response:
        matter, case = find_matter(matter_id)
        return _json(matter_json(matter, case))

    @app.get(f"{prefix}/documents/by-id")
    def document_by_id() -> Response:
        stored = _document(cases, _int(request.args.get("id", ""), "id"))
        return redirect(url(f"/documents/{stored.file_row_id}"), 303)

    @app.get(f"{prefix}/documents/<int:document_id>")
    def get_document(document_id: int) -> Response:
        stored = _document(cases, document_id)
        return _json(render.document(stored, document_links(stored)))

    @app.get(f"{prefix}/documents/<int:document_id>/content")
    def document_content(document_id: int) -> Response:
        stored = _document(cases, document_id)
        path = cases.content_path(stored)
        if not path.is_file():
            raise F2Error(404, f"Dokumentet {document_id} har intet indhold.", "DocumentNotFound")
        return send_file(path, mimetype=stored.mime_type, as_attachment=True,
                         download_name=stored.file_name or f"{document_id}.bin", conditional=False)

    @app.get(f"{prefix}/upload-validation")
    def upload_validation() -> Response:
        # unverified: the answer's property names (`Result`, `Messages`); the docs give the values
        # Valid | ValidWithWarnings | Invalid and messages, not the JSON shape.
        name = request.args.get("filename", "")
        size = _int(request.args.get("size") or "0", "size")
        extension = name.rsplit(".", 1)[1].lower() if "." in name else ""
        messages = []
        if not extension:
            messages.append("Filnavnet har ingen filendelse, så filtypen kan ikke bestemmes.")
        elif extension in BLOCKED_EXTENSIONS:
            messages.append(f"Filtypen .{extension} er ikke tilladt.")
        if messages:
            return _json({"Result": "Invalid", "Messages": messages})
        if size == 0:
            return _json({"Result": "ValidWithWarnings", "Messages": ["Filen er tom."]})
        return _json({"Result": "Valid", "Messages": []})

    # -- Post-Once-Exactly -------------------------------------------------------------------

    def new_poe(kind: str, parent: int) -> Response:
        token_ = tables.new_poe(kind, parent, simulator.clock())
        response = Response(b"", simulator.first_poe_status)
        response.headers["Location"] = url(f"/poe/{token_}")
        return response

    @app.post(f"{prefix}/cases/<int:case_id>/create-matter")
    def create_matter(case_id: int) -> Response:
        case = _case(cases, case_id)
        if case.closed:
            raise F2Error(409, f"Sagen {render.case_number(case)} er afsluttet.", "DossierCaseClosed")
        return new_poe("matter", case.row_id)

    @app.post(f"{prefix}/matters/<int:matter_id>/create-document")
    def create_document(matter_id: int) -> Response:
        matter, case = find_matter(matter_id)
        if case.closed:
            raise F2Error(409, f"Sagen {render.case_number(case)} er afsluttet.", "DossierCaseClosed")
        return new_poe("document", matter.id)

    @app.post(f"{prefix}/poe/<poe_token>")
    def post_once(poe_token: str) -> Response:
        # Read the payload first (a file is streamed to disk), then decide under the lock.
        poe = tables.poe(poe_token)
        if poe is None or poe["created"] + simulator.poe_lifetime < simulator.clock():
            raise F2Error(404, "POE-ressourcen findes ikke eller er udløbet.", "PoeResourceNotFound")
        if poe["location"]:
            return _see_other(poe["location"])
        if poe["kind"] == "matter":
            fields = _matter_fields()
            simulator.received.append({"kind": "matter", "fields": fields, "content_type": request.mimetype})
            with simulator.lock:
                poe = tables.poe(poe_token)
                if poe["location"]:
                    return _see_other(poe["location"])
                case = _case(cases, poe["parent"])
                if case.closed:
                    raise F2Error(409, f"Sagen {render.case_number(case)} er afsluttet.", "DossierCaseClosed")
                matter_id = tables.add_matter(case.uuid, fields)
                location = url(f"/matters/{matter_id}")
                tables.done(poe_token, location)
            return _created(location, matter_json(_Matter(matter_id, fields, []), case))
        upload, title, description = _document_fields()
        simulator.received.append({"kind": "document", "parts": sorted({*request.files, *request.form}),
                                   "title": title, "filename": upload.filename})
        with simulator.lock:
            poe = tables.poe(poe_token)
            if poe["location"]:
                return _see_other(poe["location"])
            matter, case = find_matter(poe["parent"])
            if case.closed:
                raise F2Error(409, f"Sagen {render.case_number(case)} er afsluttet.", "DossierCaseClosed")
            stored = _store(cases, case, matter, upload, title, description)
            location = url(f"/documents/{stored.file_row_id}")
            tables.done(poe_token, location)
        return _created(location, render.document(stored, document_links(stored)))


# -- the simulator's own tables -------------------------------------------------------------------

@dataclass
class _Matter:
    id: int
    fields: dict[str, Any]
    documents: list[StoredDocument]


class _Tables:
    """Matters and POE resources, kept in the service's database beside the store."""

    def __init__(self, cases: CaseStore) -> None:
        self.cases = cases
        conn = cases.db.connection()
        conn.execute("CREATE TABLE IF NOT EXISTS f2_matters (id INTEGER PRIMARY KEY AUTOINCREMENT, "
                     "case_uuid TEXT NOT NULL, fields TEXT NOT NULL, demo_document TEXT UNIQUE)")
        conn.execute("CREATE INDEX IF NOT EXISTS f2_matters_case ON f2_matters (case_uuid)")
        with cases.db.transaction() as tx:
            known = tx.execute("SELECT 1 FROM sqlite_master WHERE name = 'f2_matter_documents'").fetchone()
            tx.execute("CREATE TABLE IF NOT EXISTS f2_matter_documents (matter_id INTEGER NOT NULL, "
                       "document_uuid TEXT NOT NULL, PRIMARY KEY (matter_id, document_uuid))")
            if not known:  # data from before this index: the documents' own fields name their matters
                for (case_uuid,) in tx.execute("SELECT DISTINCT case_uuid FROM f2_matters").fetchall():
                    for stored in cases.documents(case_uuid):
                        matter_id = (stored.fields.get(render.DIALECT) or {}).get("MatterId")
                        if isinstance(matter_id, int):
                            tx.execute("INSERT OR IGNORE INTO f2_matter_documents VALUES (?, ?)",
                                       (matter_id, stored.uuid))
        conn.execute("CREATE TABLE IF NOT EXISTS f2_poe_resources (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
                     "token TEXT UNIQUE, kind TEXT NOT NULL, parent INTEGER NOT NULL, created REAL NOT NULL, "
                     "location TEXT)")
        self._secret = cases.setting("f2.poe_secret", lambda: secrets.token_hex(16)).encode()

    def new_poe(self, kind: str, parent: int, now: float) -> str:
        """A new POE resource. Its address cannot be guessed (a MAC of its sequence number under the
        installation's secret) yet follows from the data, so a copy of the data hands out the same
        addresses (the bench replays a recorded filing against such a copy)."""
        with self.cases.db.transaction() as conn:
            seq = conn.execute("INSERT INTO f2_poe_resources (kind, parent, created) VALUES (?, ?, ?)",
                               (kind, parent, now)).lastrowid
            token = base64.urlsafe_b64encode(hmac.new(self._secret, str(seq).encode(), "sha256").digest()[:18]).decode()
            conn.execute("UPDATE f2_poe_resources SET token = ? WHERE seq = ?", (token, seq))
        return token

    def poe(self, token: str) -> dict[str, Any] | None:
        row = self.cases.db.connection().execute(
            "SELECT kind, parent, created, location FROM f2_poe_resources WHERE token = ?", (token,)).fetchone()
        return dict(zip(("kind", "parent", "created", "location"), row)) if row else None

    def done(self, token: str, location: str) -> None:
        self.cases.db.connection().execute("UPDATE f2_poe_resources SET location = ? WHERE token = ?", (location, token))

    def add_matter(self, case_uuid: str, fields: dict[str, Any]) -> int:
        cursor = self.cases.db.connection().execute(
            "INSERT INTO f2_matters (case_uuid, fields) VALUES (?, ?)", (case_uuid, json.dumps(fields, ensure_ascii=False)))
        return int(cursor.lastrowid)

    def documents_of(self, matter_id: int) -> list[str]:
        """The uuids of the documents filed into a matter, in filing order."""
        return [row[0] for row in self.cases.db.connection().execute(
            "SELECT document_uuid FROM f2_matter_documents WHERE matter_id = ? ORDER BY rowid", (matter_id,))]

    @staticmethod
    def note_document(matter_id: int) -> Callable[[Any, str], None]:
        """What files a new document into the matter's index, inside the store's transaction."""
        def note(conn: Any, uuid: str) -> None:
            conn.execute("INSERT INTO f2_matter_documents VALUES (?, ?)", (matter_id, uuid))
        return note

    def matter(self, matter_id: int) -> tuple[str, dict[str, Any], str | None] | None:
        row = self.cases.db.connection().execute(
            "SELECT case_uuid, fields, demo_document FROM f2_matters WHERE id = ?", (matter_id,)).fetchone()
        return (row[0], json.loads(row[1]), row[2]) if row else None

    def matters_of(self, case: StoredCase, documents: list[StoredDocument]) -> list[_Matter]:
        """The case's matters in id order; a stored document filed some other way is a matter of
        its own (given an id the first time it is seen)."""
        conn = self.cases.db.connection()
        by_matter: dict[int, list[StoredDocument]] = {}
        for stored in documents:
            matter_id = (stored.fields.get(render.DIALECT) or {}).get("MatterId")
            if not isinstance(matter_id, int):
                known = conn.execute("SELECT id FROM f2_matters WHERE demo_document = ?", (stored.uuid,)).fetchone()
                if known is None:
                    conn.execute("INSERT OR IGNORE INTO f2_matters (case_uuid, fields, demo_document) VALUES (?, ?, ?)",
                                 (case.uuid, json.dumps(_demo_fields(stored), ensure_ascii=False), stored.uuid))
                    known = conn.execute("SELECT id FROM f2_matters WHERE demo_document = ?", (stored.uuid,)).fetchone()
                matter_id = known[0]
            by_matter.setdefault(matter_id, []).append(stored)
        rows = conn.execute("SELECT id, fields FROM f2_matters WHERE case_uuid = ? ORDER BY id", (case.uuid,)).fetchall()
        return [_Matter(matter_id, json.loads(fields), by_matter.get(matter_id, [])) for matter_id, fields in rows]


def _demo_fields(stored: StoredDocument) -> dict[str, Any]:
    return {"Title": stored.title, "Type": render.TYPES.get(stored.kind, "Internal"),
            "LetterDate": f"{stored.letter_date}T00:00:00" if stored.letter_date else None}


# -- request pieces -------------------------------------------------------------------------------

def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status, content_type=JSON)


def _created(location: str, body: dict[str, Any]) -> Response:
    response = _json(body, 201)
    response.headers["Location"] = location
    return response


def _see_other(location: str) -> Response:
    """A repeated POE operation that already succeeded: 303 + the created resource."""
    response = Response(b"", 303)
    response.headers["Location"] = location
    return response


def _csv(value: Any) -> str:
    text = "" if value is None else str(value)
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\r\n') else text


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise F2Error(400, f"Parameteren {name} skal være et heltal.", "BadRequest") from None


def _case(cases: CaseStore, case_id: int) -> StoredCase:
    case = cases.case_by_row(case_id)
    if case is None:
        raise F2Error(404, f"Sagen med id {case_id} findes ikke.", "DossierCaseNotFound")
    return case


def _document(cases: CaseStore, document_id: int) -> StoredDocument:
    stored = cases.document_by_file_row(document_id)
    if stored is None or stored.file_row_id != document_id:
        raise F2Error(404, f"Dokumentet {document_id} findes ikke.", "DocumentNotFound")
    return stored


def _walk(cases: CaseStore, keep: Callable[[StoredCase], bool], limit: int) -> Iterator[StoredCase]:
    """Live cases in id order that `keep` accepts, at most `limit`."""
    first, found = 0, 0
    while found < limit:
        page = cases.cases_by_row(first, 500)
        if not page:
            return
        for case in page:
            if keep(case):
                yield case
                found += 1
                if found >= limit:
                    return
        first = page[-1].row_id + 1


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _filter(args: Any) -> Callable[[StoredCase], bool]:
    """case-search-filter's parameters. unverified: `title` matches cases whose title holds every
    word; `caseNumber` is exact, or a prefix when it ends with `*`; closed cases are included."""
    number = args.get("caseNumber", "").strip()
    case_id = args.get("id", "").strip()
    words = [w.casefold() for w in args.get("title", "").split()]
    cpr = _digits(args.get("cprNumber", ""))
    external = args.get("externalId", "").strip().lower()
    if case_id and not case_id.isdigit():
        raise F2Error(400, "Parameteren id skal være et heltal.", "BadRequest")

    def keep(case: StoredCase) -> bool:
        shown = render.case_number(case)
        if number and not (shown.startswith(number[:-1]) if number.endswith("*") else shown == number):
            return False
        if case_id and case.row_id != int(case_id):
            return False
        if any(w not in case.title.casefold() for w in words):
            return False
        if cpr and not any(p.kind == "cpr" and p.number == cpr for p in case.parties):
            return False
        return not external or case.uuid == external

    return keep


def _full_text(terms: str) -> Callable[[StoredCase], bool]:
    """OpenSearch over cases. unverified: what F2's index holds; here every word must occur in
    the case number (as its start), the title, a keyword (KLE) code (as its start), a party's
    CPR/CVR number, or the responsible user's name or user name. The whole text may also be the
    start of a case number (`2024 - 1`)."""
    phrase = " ".join(terms.split())
    words = [w.casefold() for w in phrase.split()]

    def keep(case: StoredCase) -> bool:
        number = render.case_number(case)
        if phrase and number.startswith(phrase):
            return True
        worker = render.responsible(case) or {}
        haystack = [case.title.casefold(), (worker.get("Name") or "").casefold()]
        for word in words:
            if number.startswith(word) or (case.kle or "").startswith(word) or any(word in h for h in haystack):
                continue
            if word == (worker.get("UserName") or "").casefold():
                continue
            if _digits(word) and len(_digits(word)) >= 8 and any(p.number == _digits(word) for p in case.parties):
                continue
            return False
        return True

    return keep


def _form() -> dict[str, Any]:
    """The payload as one dict: a form (url-encoded or multipart) or a JSON object."""
    if request.mimetype == "application/json":
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise F2Error(400, "Indholdet skal være et JSON-objekt.", "BadRequest")
        return body
    if request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise F2Error(415, "Indholdstypen understøttes ikke.", "UnsupportedMediaType")
    return {key: request.form.get(key) for key in request.form}


def _local_time(name: str, value: Any) -> str:
    """A date-time as F2 takes it: `YYYY-MM-DDTHH:MM:SS`, server-local, no zone designator."""
    text = str(value or "")
    if not render.LOCAL_TIME.match(text):
        raise F2Error(400, f"{name} skal have formen ÅÅÅÅ-MM-DDTTT:MM:SS uden tidszone: '{text[:40]}'.",
                      "InvalidDateTime")
    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise F2Error(400, f"{name} er ikke en gyldig dato: '{text[:40]}'.", "InvalidDateTime") from None
    return text


def _matter_fields() -> dict[str, Any]:
    """The matter payload (Table 27): plain fields, and list fields with colon indexes
    (`Receivers:0.Name`, `KeywordCodes:0`) in a form, or JSON arrays."""
    raw = _form()
    fields: dict[str, Any] = {}
    lists: dict[str, dict[int, Any]] = {}
    for key, value in raw.items():
        indexed = _INDEXED.match(key)
        if indexed and indexed.group("name") in MATTER_LISTS:
            name, index, sub = indexed.group("name"), int(indexed.group("index")), indexed.group("sub")
            if MATTER_LISTS[name] == "party":
                if sub not in PARTY_FIELDS:
                    raise F2Error(400, f"Ukendt felt {key[:60]}.", "BadRequest")
                lists.setdefault(name, {}).setdefault(index, {})[sub] = value
            elif sub:
                raise F2Error(400, f"Ukendt felt {key[:60]}.", "BadRequest")
            else:
                lists.setdefault(name, {})[index] = value
        elif key in MATTER_LISTS and isinstance(value, list):  # JSON
            lists[key] = dict(enumerate(value))
        elif key in MATTER_LISTS:
            raise F2Error(400, f"Listefeltet {key} skal angives med kolon-indeks, fx {key}:0.", "BadRequest")
        elif key in MATTER_FIELDS:
            fields[key] = value
        else:
            # unverified: that F2 refuses a field a matter does not have (rather than ignoring it).
            raise F2Error(400, f"Ukendt felt {key[:60]}.", "BadRequest")
    title = str(fields.get("Title") or "").strip()
    if not title:
        raise F2Error(400, "Title skal angives.", "BadRequest")
    if fields.get("Type") not in render.KINDS:
        raise F2Error(400, "Type skal være Inbound, Outbound eller Internal.", "BadRequest")
    if fields.get("AccessLevel") not in (None, "", *ACCESS_LEVELS):
        raise F2Error(400, "AccessLevel skal være Involved, Unit eller All.", "BadRequest")
    for name in DATE_FIELDS:
        if fields.get(name) not in (None, ""):
            fields[name] = _local_time(name, fields[name])
    for name, items in lists.items():
        ordered = [items[i] for i in sorted(items)]
        if name == "KeywordCodes" and any(not _KLE.match(str(code)) for code in ordered):
            raise F2Error(400, "KeywordCodes skal have formen ##.##.##.", "BadRequest")
        fields[name] = ordered
    return {k: v for k, v in fields.items() if v not in (None, "")}


def _document_fields() -> tuple[FileStorage, str, str]:
    if request.mimetype != "multipart/form-data":
        raise F2Error(415, "Et dokument sendes som multipart/form-data.", "UnsupportedMediaType")
    for key in (*request.form, *request.files):
        if key not in DOCUMENT_FIELDS:
            raise F2Error(400, f"Ukendt felt {key[:60]}.", "BadRequest")
    upload = request.files.get("File")
    if upload is None:
        raise F2Error(400, "Delen File mangler.", "BadRequest")
    name = upload.filename or ""
    if "." not in name.strip("."):
        raise F2Error(400, "Filnavnet har ingen filendelse, så filtypen kan ikke bestemmes.", "BadRequest")
    title = (request.form.get("Title") or name.rsplit(".", 1)[0]).strip()
    if len(title) > MAX_TITLE:
        # unverified: that a longer title is refused (the docs give the limit, not the reaction).
        raise F2Error(400, f"Title må højst være {MAX_TITLE} tegn.", "BadRequest")
    return upload, title, request.form.get("Description") or ""


def _store(cases: CaseStore, case: StoredCase, matter: _Matter, upload: FileStorage, title: str,
           description: str) -> StoredDocument:
    upload.stream.close()
    name = upload.filename or "fil.bin"
    # The type comes only from the file name's extension, never from the part's Content-Type.
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    letter = str(matter.fields.get("LetterDate") or matter.fields.get("ReceivedDate")
                 or matter.fields.get("SentDate") or "")[:10] or datetime.now(timezone.utc).date().isoformat()
    new = NewDocument(upload=upload.stream.name, title=title, file_name=name, mime_type=mime, letter_date=letter,
                      kind=render.KINDS[matter.fields.get("Type", "Internal")], description=description,
                      fields={render.DIALECT: {"MatterId": matter.id}})
    try:
        return cases.add_document(case.uuid, new, also=_Tables.note_document(matter.id))
    except LookupError:
        raise F2Error(404, "Sagen findes ikke.", "DossierCaseNotFound") from None
