"""The SBSYS Web API routes over the shared case store (paths under the service's base URL).

Cases: `POST /api/sag/search`, `GET /api/sag/{id}` (the integer `Id` or the `SagIdentity` uuid),
`GET /api/sag/{id}/delforloeb`. Documents: `GET /api/sag/{id}/dokumenter` (not paged),
`GET /api/dokument/{id}`, `GET /api/fil/{filId}` (a FILE id, not a document id), journalising
with `POST /api/dokument/journaliser[/{delforloebId}]` (multipart: the file in part `file`, the
metadata DTO as a JSON string in part `json`). Lookups: the case statuses
(`/api/sag/sagStatusList`, `/api/sag/sagsstatus`) and the DokumentArt list, whose ids differ per
installation (installation.py). Drafts: `POST /api/kladde` (parts `files` + `json`).

SBSYS has no server-side idempotency: journalising the same `Eksternid` twice makes two documents.
"""

from __future__ import annotations

import json
import mimetypes
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from flask import Flask, Response, jsonify, request, send_file
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException

from ..store.cases import CaseStore, NewDocument, StoredCase, StoredParty
from . import render
from . import search as sag_search
from .errors import TEXT, SbsysError, error_page
from .installation import DELFORLOEB_TITLES, Installation
from .signin import SignIn, register_sign_in

EXTENSION = "caseclient.sbsys"

# unverified: the path of the DokumentArt list (no public client reads it).
DOKUMENTART_PATH = "/api/dokumentart"
# Both status list paths are seen: Odense and a Ballerup/Agora client read `sag/sagStatusList`,
# AAK's client `sag/sagsstatus`.
STATUS_PATHS = ("/api/sag/sagStatusList", "/api/sag/sagsstatus")
# unverified: the draft upload's path. The only public description (Magenta's Alfresco
# integration) posts multipart `json` + `files` to `.../proxy/api/kladde`.
KLADDE_PATH = "/api/kladde"
# unverified: which file types SBSYS blocks ("a blocked file type" is all AAK's client says).
BLOCKED_EXTENSIONS = frozenset({"exe", "bat", "cmd", "com", "scr", "msi", "vbs", "js", "ps1"})
# Column sizes of the SBSYS database (Dokument.Navn nvarchar(200), Beskrivelse nvarchar(255));
# unverified: that the Web API refuses a longer value with 400 rather than cutting it.
MAX_NAME, MAX_DESCRIPTION = 200, 255
# The properties the journaliser and kladde DTOs have (shared docs/backends.md 0b; Magenta's
# kladde protocol). unverified: that a property outside them is refused with 400. A municipal
# client's DTO class warns "Do not add any extra properties ... It will break the multipart-json
# data when uploading files to SBSYS", which reads like JSON.NET's MissingMemberHandling.Error.
JOURNALISER_DTO = {
    "": ("Eksternid", "RegistreretAfID", "SagID", "DokumentNavn", "SagsPart", "DokumentArt", "Beskrivelse",
         "RegistreringsDato", "OmfattetAfAktindsigt", "AktindsigtKommentar", "PaaPostliste", "PostlisteTitel",
         "PostlisteBeskrivelse"),
    "SagsPart": ("PartId", "PartType", "CVRnummer", "CPRnummer", "Navn"),
    "DokumentArt": ("Uuid", "Id", "Navn"),
}
KLADDE_DTO = {
    "": ("SagID", "Navn", "Emne", "Beskrivelse", "SagsPart"),
    "SagsPart": ("PartId", "PartType", "CVRnummer", "CPRnummer", "Navn"),
}


@dataclass
class SbsysSimulator:
    """What tests reach through `app.extensions[EXTENSION]`: the installation's ids, the sign-in
    switch, whether drafts are offered, and every metadata DTO the service received."""

    installation: Installation
    sign_in: SignIn = field(default_factory=SignIn)
    offers_kladde: bool = True
    received: list[dict[str, Any]] = field(default_factory=list)


def sbsys_simulator(app_or_service: Any) -> SbsysSimulator:
    """The simulator of a Flask app or a ReferenceService speaking the sbsys dialect."""
    app = getattr(app_or_service, "app", app_or_service)
    return app.extensions[EXTENSION]


def _text(status: int, text: str) -> Response:
    return Response(text.encode("utf-8"), status, content_type=TEXT)


def register(app: Flask, cases: CaseStore) -> None:
    """The SBSYS Web API routes on the reference service's application."""
    installation = Installation.of(cases)
    simulator = SbsysSimulator(installation)
    app.extensions[EXTENSION] = simulator
    register_sign_in(app, simulator.sign_in)

    @app.errorhandler(SbsysError)
    def sbsys_error(error: SbsysError) -> Response:
        return _text(error.status, error.text)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        body, content_type = error_page(error.code or 500)
        return Response(body, error.code or 500, content_type=content_type)

    # -- cases ---------------------------------------------------------------------------------

    @app.post("/api/sag/search")
    def search_cases() -> Response:
        body = _json_body()
        parsed = sag_search.parse(body, installation)
        found, total = sag_search.run(cases, parsed)
        with_parties = request.args.get("InkluderParterIResultat", "").lower() == "true"
        return jsonify({"Results": [render.sag(c, installation, with_parties=with_parties) for c in found],
                        "TotalNumberOfResults": total})

    @app.get("/api/sag/<ident>")
    def get_case(ident: str) -> Response:
        return jsonify(render.sag(_case(cases, ident), installation))

    @app.get("/api/sag/<ident>/delforloeb")
    @app.get("/api/delforloeb/sag/<ident>")
    def case_delforloeb(ident: str) -> Response:
        case = _case(cases, ident)
        return jsonify([_delforloeb(i, title, case) for i, title in
                        zip(installation.delforloeb_ids(case.row_id), DELFORLOEB_TITLES)])

    @app.get("/api/delforloeb/<int:delforloeb_id>")
    def get_delforloeb(delforloeb_id: int) -> Response:
        case, title = _delforloeb_case(cases, installation, delforloeb_id)
        documents = [render.dokument(d, case, installation) for d in cases.documents(case.uuid)
                     if render.sbsys_fields(d).get("DelforloebID") == delforloeb_id]
        return jsonify({**_delforloeb(delforloeb_id, title, case), "Dokumenter": documents})

    for path in STATUS_PATHS:
        app.add_url_rule(path, f"sbsys_statuses_{path.rsplit('/', 1)[1]}", lambda: jsonify([
            {"Id": s.id, "Navn": s.name, "Orden": s.order, "SagsTilstand": s.state, "RequireComments": False}
            for s in installation.statuses]))

    @app.get(DOKUMENTART_PATH)
    def dokumentarter() -> Response:
        return jsonify([{"Uuid": a.uuid, "Id": a.id, "Navn": a.name} for a in installation.arter])

    @app.post("/api/bruger/search")
    def users() -> Response:
        wanted = sag_search.folded(_json_body())
        login, name = str(wanted.get("logonid") or ""), str(wanted.get("navn") or "")
        return jsonify([{"Id": u.id, "LogonId": u.login, "Navn": u.name, "Uuid": u.uuid}
                        for u in installation.users
                        if (not login or login.casefold() in u.login.casefold())
                        and (not name or name.casefold() in u.name.casefold())])

    # -- documents -----------------------------------------------------------------------------

    @app.get("/api/sag/<ident>/dokumenter")
    def case_documents(ident: str) -> Response:
        case = _case(cases, ident)
        return jsonify([render.dokument(d, case, installation) for d in cases.documents(case.uuid)
                        if not render.sbsys_fields(d).get("Kladde")])

    @app.get("/api/dokument/<int:document_id>")
    def get_document(document_id: int) -> Response:
        document = cases.document_by_row(document_id)
        if document is None or render.sbsys_fields(document).get("Kladde"):
            raise SbsysError(404, f"Dokument {document_id} findes ikke.")
        return jsonify(render.dokument(document, cases.case(document.case_uuid), installation))

    @app.get("/api/fil/<int:file_id>")
    def download(file_id: int) -> Response:
        document = cases.document_by_file_row(file_id)
        path = cases.content_path(document) if document is not None else None
        if document is None or path is None or not path.is_file() or document.file_row_id != file_id:
            raise SbsysError(404, f"Filen {file_id} findes ikke.")
        return send_file(path, mimetype=document.mime_type, as_attachment=True,
                         download_name=document.file_name or f"{file_id}.bin", conditional=False)

    @app.post("/api/dokument/journaliser")
    @app.post("/api/dokument/journaliser/<int:delforloeb_id>")
    def journaliser(delforloeb_id: int | None = None) -> Response:
        upload = request.files.get("file")
        raw = request.form.get("json")
        simulator.received.append({"path": request.path, "parts": sorted({*request.files, *request.form}),
                                   "json": raw})
        if raw is None:
            raise SbsysError(400, "Der mangler metadata: formularen skal have en del 'json'.")
        dto = _dto(raw, JOURNALISER_DTO, "JournaliserDokumentInputDto")
        case = _case_for_filing(cases, dto)
        if delforloeb_id is not None:
            found, _title = _delforloeb_case(cases, installation, delforloeb_id)
            if found.uuid != case.uuid:
                raise SbsysError(404, f"Delforløb {delforloeb_id} findes ikke på sag {case.number}.")
        if upload is None:
            raise SbsysError(400, "Der er ikke vedhæftet en fil: formularen skal have en del 'file'.")
        name = _document_name(dto, upload)
        art = _dokumentart(dto, installation)
        part, urns = _sagspart(dto, case, installation)
        registered = _registered(dto)
        description = _description(dto)
        own = {key: value for key, value in {
            "Beskrivelse": description,
            "EksternId": _optional_text(dto, "eksternid"),
            "RegistreretAfID": _optional_int(dto, "registreretafid"),
            "RegistreringsDato": registered.astimezone(timezone.utc).replace(tzinfo=None).isoformat()
            if registered else None,
            "DokumentArt": art.id,
            "SagsPart": part,
            "OmfattetAfAktindsigt": bool(dto.get("omfattetafaktindsigt", False)),
            "AktindsigtKommentar": _optional_text(dto, "aktindsigtkommentar"),
            "PaaPostliste": bool(dto.get("paapostliste", False)),
            "PostlisteTitel": _optional_text(dto, "postlistetitel"),
            "PostlisteBeskrivelse": _optional_text(dto, "postlistebeskrivelse"),
            "DelforloebID": delforloeb_id,
        }.items() if value is not None}
        document = _store(cases, case, upload, name, description, art.kind,
                          (registered or datetime.now(timezone.utc)).date().isoformat(), own, urns)
        return jsonify(render.dokument(document, case, installation))

    @app.post(KLADDE_PATH)
    def kladde() -> Response:
        if not simulator.offers_kladde:
            raise SbsysError(404, "Den ønskede ressource blev ikke fundet.")
        uploads = request.files.getlist("files")
        raw = request.form.get("json")
        simulator.received.append({"path": request.path, "parts": sorted({*request.files, *request.form}),
                                   "json": raw})
        if raw is None:
            raise SbsysError(400, "Der mangler metadata: formularen skal have en del 'json'.")
        dto = _dto(raw, KLADDE_DTO, "KladdeInputDto")
        case = _case_for_filing(cases, dto)
        if len(uploads) != 1:
            raise SbsysError(400, "En kladde skal have netop én fil i delen 'files'.")
        upload = uploads[0]
        name = _optional_text(dto, "navn") or upload.filename or "Kladde"
        if len(name) > MAX_NAME:
            raise SbsysError(400, f"Navn må højst være {MAX_NAME} tegn: '{name[:60]}...'.")
        part, urns = _sagspart(dto, case, installation)
        description = _description(dto)
        own = {"Kladde": True, "Emne": _optional_text(dto, "emne"), "SagsPart": part, "Beskrivelse": description}
        document = _store(cases, case, upload, name, description, installation.arter[0].kind,
                          datetime.now(timezone.utc).date().isoformat(), own, urns)
        return jsonify(render.kladde(document, case))

    @app.get("/api/sag/<ident>/kladder")
    def case_drafts(ident: str) -> Response:
        if not simulator.offers_kladde:
            raise SbsysError(404, "Den ønskede ressource blev ikke fundet.")
        case = _case(cases, ident)
        return jsonify([render.kladde(d, case) for d in cases.documents(case.uuid)
                        if render.sbsys_fields(d).get("Kladde")])


# -- the pieces ---------------------------------------------------------------------------------

def _json_body() -> dict[str, Any]:
    if not request.get_data(cache=True).strip():
        return {}
    try:
        body = json.loads(request.get_data(cache=True))
    except ValueError:
        raise SbsysError(400, "Anmodningens indhold er ikke gyldig JSON.") from None
    if not isinstance(body, dict):
        raise SbsysError(400, "Anmodningens indhold skal være et JSON-objekt.")
    return body


def _case(cases: CaseStore, ident: str) -> StoredCase:
    found = None
    if ident.isdigit():
        found = cases.case_by_row(int(ident))
    else:
        try:
            found = cases.case(str(uuidlib.UUID(ident)))
        except ValueError:
            found = None
    if found is None:
        raise SbsysError(404, f"Sag med id {ident[:40]} findes ikke.")
    return found


def _delforloeb(delforloeb_id: int, title: str, case: StoredCase) -> dict[str, Any]:
    # Randers' client reads the id as `ID` (upper case) and the title as `Titel`.
    return {"ID": delforloeb_id, "Titel": title, "SagID": case.row_id}


def _delforloeb_case(cases: CaseStore, installation: Installation, delforloeb_id: int) -> tuple[StoredCase, str]:
    found = installation.delforloeb(delforloeb_id)
    case = cases.case_by_row(found[0]) if found else None
    if found is None or case is None:
        raise SbsysError(404, f"Delforløb {delforloeb_id} findes ikke.")
    return case, found[1]


def _dto(raw: str, shape: dict[str, tuple[str, ...]], type_name: str) -> dict[str, Any]:
    """The metadata DTO, its property names casefolded (JSON.NET binds them in any casing). A
    bad DTO is answered with a text that echoes it, as ASP.NET's model binding errors do."""
    try:
        dto = json.loads(raw)
    except ValueError:
        raise SbsysError(400, f"Metadata i delen 'json' kunne ikke læses: {raw[:120]}") from None
    if not isinstance(dto, dict):
        raise SbsysError(400, f"Metadata i delen 'json' skal være et JSON-objekt: {raw[:120]}")
    for where, value in (("", dto), *((name, dto.get(k)) for name in shape if name
                                        for k in dto if k.casefold() == name.casefold())):
        known = {name.casefold() for name in shape[where]}
        for key in value if isinstance(value, dict) else ():
            if key.casefold() not in known:
                path = f"{where}.{key}" if where else key
                raise SbsysError(400, f"Could not find member '{key}' on object of type "
                                      f"'{where + 'Dto' if where else type_name}'. Path '{path}'.")
    return sag_search.folded(dto)


def _case_for_filing(cases: CaseStore, dto: dict[str, Any]) -> StoredCase:
    sag_id = sag_search.integer(dto.get("sagid") or 0, "SagID")
    if sag_id <= 0:
        raise SbsysError(400, "SagID mangler eller er ugyldigt.")
    case = cases.case_by_row(sag_id)
    if case is None:
        raise SbsysError(404, f"Sag med id {sag_id} findes ikke.")
    if case.closed:
        raise SbsysError(409, f"Sagen {case.number} er afsluttet og kan ikke ændres.")
    return case


def _optional_text(dto: dict[str, Any], key: str) -> str | None:
    value = dto.get(key)
    return None if value is None else sag_search.text(value, key)


def _optional_int(dto: dict[str, Any], key: str) -> int | None:
    value = dto.get(key)
    return None if value in (None, 0, "") else sag_search.integer(value, key)


def _document_name(dto: dict[str, Any], upload: FileStorage) -> str:
    if not upload.filename:
        raise SbsysError(400, "Filen i delen 'file' har intet filnavn.")
    extension = render.split_file_name(upload.filename)[1].lower()
    if extension in BLOCKED_EXTENSIONS:
        raise SbsysError(400, f"Filtypen .{extension} er ikke tilladt.")
    # unverified: a DTO without DokumentNavn is named after its file.
    name = _optional_text(dto, "dokumentnavn") or render.split_file_name(upload.filename)[0]
    if len(name) > MAX_NAME:
        raise SbsysError(400, f"DokumentNavn må højst være {MAX_NAME} tegn: '{name[:60]}...'.")
    return name


def _description(dto: dict[str, Any]) -> str:
    description = _optional_text(dto, "beskrivelse") or ""
    if len(description) > MAX_DESCRIPTION:
        raise SbsysError(400, f"Beskrivelse må højst være {MAX_DESCRIPTION} tegn: '{description[:60]}...'.")
    return description


def _dokumentart(dto: dict[str, Any], installation: Installation):
    art = dto.get("dokumentart")
    if art is None:
        # unverified: a DTO without DokumentArt gets the installation's first kind (Indgående).
        return installation.arter[0]
    if not isinstance(art, dict):
        raise SbsysError(400, "DokumentArt skal være et objekt med Id.")
    if art.get("id") not in (None, 0, ""):
        found = installation.art_by_id(sag_search.integer(art["id"], "DokumentArt.Id"))
        if found is None:
            raise SbsysError(400, f"DokumentArt med id {art['id']} findes ikke.")
        return found
    if art.get("uuid") and art["uuid"] != "00000000-0000-0000-0000-000000000000":
        found = installation.art_by_uuid(str(art["uuid"]))
        if found is None:
            raise SbsysError(400, f"DokumentArt med uuid {str(art['uuid'])[:40]} findes ikke.")
        return found
    raise SbsysError(400, "DokumentArt skal angives med Id eller Uuid.")


def _sagspart(dto: dict[str, Any], case: StoredCase,
              installation: Installation) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
    """The document's party: one of the case's parties, by PartId, CPR or CVR number. A party
    that is not on the case is refused with a text that names its number."""
    part = dto.get("sagspart")
    if part is None:
        return None, ()
    if not isinstance(part, dict):
        raise SbsysError(400, "SagsPart skal være et objekt.")
    cpr = str(part.get("cprnummer") or "").replace("-", "").strip()
    cvr = str(part.get("cvrnummer") or "").strip()
    part_id = sag_search.integer(part["partid"], "SagsPart.PartId") if part.get("partid") else None
    wanted: StoredParty | None = None
    for party in case.parties:
        if (cpr and party.kind == "cpr" and party.number == cpr) or \
                (cvr and party.kind == "cvr" and party.number == cvr) or \
                (not cpr and not cvr and part_id and render.part_id(party, installation) == part_id):
            wanted = party
            break
    if wanted is None:
        said = (f"CPR-nummer {part.get('cprnummer')}" if cpr else f"CVR-nummer {cvr}" if cvr
                else f"PartId {part_id}")
        raise SbsysError(400, f"SagsPart med {said} er ikke part på sag {case.number}, "
                              "og dokumentet blev ikke journaliseret.")
    return render.primary_part(wanted, installation), (wanted.urn,)


def _registered(dto: dict[str, Any]) -> datetime | None:
    value = dto.get("registreringsdato")
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise SbsysError(400, f"Ugyldig RegistreringsDato: '{str(value)[:40]}'.") from None
    if moment.tzinfo is None:  # the server's local time
        moment = moment.replace(tzinfo=timezone(render._danish_offset(moment)))
    return moment


def _store(cases: CaseStore, case: StoredCase, upload: FileStorage, name: str, description: str,
           kind: str, letter_date: str, own: dict[str, Any], urns: tuple[str, ...]):
    """File the upload (a finished temporary file in the content store, moved into place)."""
    upload.stream.close()
    mime = upload.mimetype or mimetypes.guess_type(upload.filename or "")[0] or "application/octet-stream"
    new = NewDocument(upload=upload.stream.name, title=name, file_name=upload.filename or name,
                      mime_type=mime, letter_date=letter_date, kind=kind, description=description,
                      fields={render.DIALECT: own}, parties=urns)
    try:
        return cases.add_document(case.uuid, new)
    except LookupError:
        raise SbsysError(404, f"Sag med id {case.row_id} findes ikke.") from None

