"""The SBSYS dialect on the wire: the field names and casing public SBSYS clients read, ids that
differ per installation, searches, journalising with its multipart parts and DTO, free-text error
bodies, drafts, and the Keycloak token endpoint."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from caseclient.server import ReferenceService
from caseclient.server.faults import FaultConfig
from caseclient.server.sbsys import TOKEN_PATH, error_page, sbsys_simulator
from caseclient.server.sbsys.installation import SEED_SETTING
from caseclient.server.sbsys.installation import Installation
from caseclient.server.store.cases import CaseStore, StoredCase
from caseclient.server.store.database import Database
from caseclient.server.store.files import ContentStore

DEMO = 60
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
LOCAL_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0[12]:00$")


def _store(service: ReferenceService) -> CaseStore:
    return CaseStore(service.app.extensions["caseclient.database"], service.app.extensions["caseclient.content_store"])


@pytest.fixture(scope="module")
def sbsys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    service = ReferenceService(tmp_path_factory.mktemp("sbsys") / "service", dialect="sbsys")
    service.seed_demo(DEMO, seed=1)
    with service:
        yield service


@pytest.fixture(scope="module")
def demo(sbsys) -> list[StoredCase]:
    return _store(sbsys).search(limit=DEMO)


def _search(service: ReferenceService, body: dict, **params: str) -> dict:
    response = requests.post(f"{service.url}/api/sag/search", json=body, params=params, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def _ids(answer: dict) -> list[int]:
    return [row["Id"] for row in answer["Results"]]


def _journalise(service: ReferenceService, dto: dict | str, content: bytes = b"brev\n", *,
                name: str = "brev.txt", part: str = "file", path: str = "/api/dokument/journaliser") -> requests.Response:
    raw = dto if isinstance(dto, str) else json.dumps(dto, ensure_ascii=False)
    return requests.post(f"{service.url}{path}", files={part: (name, content, "text/plain")},
                         data={"json": raw}, timeout=30)


def _matches(case: StoredCase, want: dict) -> bool:
    if want.get("company") and not any(p.kind == "cvr" and p.relation == "primaerpart" for p in case.parties):
        return False
    if want.get("secondary") and not any(p.relation == "sekundaerpart" for p in case.parties):
        return False
    if want.get("person") and not any(p.kind == "cpr" and p.relation == "primaerpart" for p in case.parties):
        return False
    return True


# -- a case as SBSYS shows it ---------------------------------------------------------------------

def test_a_case_has_the_field_names_and_casing_sbsys_clients_read(sbsys, demo):
    case = next(c for c in demo if _matches(c, {"person": True, "secondary": True}))
    sag = requests.get(f"{sbsys.url}/api/sag/{case.row_id}", timeout=10).json()
    assert sag["Id"] == case.row_id and UUID.match(sag["SagIdentity"]) and sag["SagIdentity"] == case.uuid
    assert sag["Nummer"] == case.number and sag["SagsTitel"] == case.title and "Titel" not in sag
    kle, facet, serial, year = case.number.split("-")
    assert sag["SagsNummer"]["EmneplanNummer"]["Nummer"] == kle == case.kle
    assert sag["SagsNummer"]["EmneplanNummer"]["Navn"] == case.kle_title
    assert sag["SagsNummer"]["Facet"]["Nummer"] == facet and isinstance(sag["SagsNummer"]["Facet"]["ID"], int)
    assert (sag["SagsNummer"]["Aarstal"], sag["SagsNummer"]["SekvensNummer"]) == (2000 + int(year), int(serial))
    assert set(sag["Behandler"]) == {"Id", "LogonId", "Navn", "Uuid"} and "Sagsbehandler" not in sag
    assert sag["Behandler"]["Uuid"] == case.caseworker and sag["Behandler"]["LogonId"]
    assert set(sag["SagsStatus"]) >= {"Id", "Navn", "SagsTilstand"} and sag["SagsStatus"]["SagsTilstand"] == "Aktiv"
    for key in ("Opstaaet", "Oprettet", "SenestAendret"):
        assert LOCAL_TIME.match(sag[key]), (key, sag[key])
    primary = next(p for p in case.parties if p.relation == "primaerpart")
    secondary = next(p for p in case.parties if p.relation == "sekundaerpart")
    hyphen = f"{primary.number[:6]}-{primary.number[6:]}"
    assert sag["PrimaryPart"]["CPRnummer"] == hyphen and sag["PrimaryPart"]["PartType"] == "Person"
    assert "CprNummer" not in sag["PrimaryPart"]  # the primary party's casing ...
    assert {p["CprNummer"] for p in sag["Personer"]} == {hyphen, f"{secondary.number[:6]}-{secondary.number[6:]}"}
    assert all("CPRnummer" not in p for p in sag["Personer"])  # ... and the other persons'
    assert sag["Firmaer"] == []
    # the uuid works in the path too (Odense's client reads cases by SagIdentity)
    assert requests.get(f"{sbsys.url}/api/sag/{case.uuid}", timeout=10).json()["Id"] == case.row_id


def test_a_company_case_names_its_cvr_number_in_both_casings(sbsys, demo):
    case = next(c for c in demo if _matches(c, {"company": True}))
    sag = requests.get(f"{sbsys.url}/api/sag/{case.row_id}", timeout=10).json()
    cvr = next(p.number for p in case.parties if p.kind == "cvr")
    assert sag["PrimaryPart"]["PartType"] == "Firma" and sag["PrimaryPart"]["CVRnummer"] == cvr
    assert [f["CvrNummer"] for f in sag["Firmaer"]] == [cvr]


def test_unknown_and_deleted_cases_are_404_with_a_text(sbsys, demo):
    for ident in ("999999", "00000000-0000-0000-0000-000000000000", "abc"):
        response = requests.get(f"{sbsys.url}/api/sag/{ident}", timeout=10)
        assert response.status_code == 404 and response.headers["Content-Type"].startswith("text/plain")
        assert response.text


# -- searching ------------------------------------------------------------------------------------

def test_an_empty_search_lists_cases_by_number_with_a_total_and_pages(sbsys, demo):
    everything = _search(sbsys, {})
    assert everything["TotalNumberOfResults"] == DEMO
    assert [r["Nummer"] for r in everything["Results"]] == sorted(c.number for c in demo)
    page2 = _search(sbsys, {"PageNumber": 2, "PageSize": 7})
    assert _ids(page2) == _ids(everything)[7:14] and page2["TotalNumberOfResults"] == DEMO
    assert _ids(_search(sbsys, {"Limit": 7, "Skip": 7})) == _ids(page2)  # Odense's paging
    nothing = _search(sbsys, {"SagsTitel": "ingen sag har denne titel"})
    assert nothing == {"Results": [], "TotalNumberOfResults": 0}


def test_number_interval_title_under_both_names_and_any_casing(sbsys, demo):
    case = demo[10]
    group = case.number[:5]
    upper = f"{group[:3]}{int(group[3:]) + 1:02d}"
    found = _search(sbsys, {"NummerInterval": {"From": group, "To": upper}, "PageSize": 100})
    assert case.row_id in _ids(found)
    assert all(r["Nummer"].startswith(group) for r in found["Results"])
    word = max(case.title.split(), key=len)
    for name in ("SagsTitel", "Titel", "sagstitel"):
        found = _search(sbsys, {name: word.lower(), "PageSize": 100})
        assert case.row_id in _ids(found)
        assert all(word.casefold() in r["SagsTitel"].casefold() for r in found["Results"])


def test_persons_with_the_hyphen_only_and_primary_or_any_party(sbsys, demo):
    case = next(c for c in demo if _matches(c, {"person": True, "secondary": True}))
    secondary = next(p.number for p in case.parties if p.relation == "sekundaerpart")
    hyphen = f"{secondary[:6]}-{secondary[6:]}"
    assert _search(sbsys, {"PrimaerPerson": {"CprNummer": hyphen}})["Results"] == []  # not the primary party
    assert case.row_id in _ids(_search(sbsys, {"AllePersoner": {"CprNummer": hyphen}}))
    assert _search(sbsys, {"AllePersoner": {"CprNummer": secondary}})["Results"] == []  # no hyphen: no one
    primary = next(p.number for p in case.parties if p.relation == "primaerpart")
    assert case.row_id in _ids(_search(sbsys, {"PrimaerPerson": {"CprNummer": f"{primary[:6]}-{primary[6:]}"}}))


def test_companies_caseworker_and_statuses(sbsys, demo):
    company = next(c for c in demo if _matches(c, {"company": True}))
    cvr = next(p.number for p in company.parties if p.kind == "cvr")
    assert _ids(_search(sbsys, {"AlleFirmaer": {"CvrNummer": cvr}})) == [company.row_id]
    assert _ids(_search(sbsys, {"PrimaerFirma": {"CvrNummer": cvr}})) == [company.row_id]
    sag = requests.get(f"{sbsys.url}/api/sag/{company.row_id}", timeout=10).json()
    by_login = _search(sbsys, {"Behandler": {"LogonId": sag["Behandler"]["LogonId"]}, "PageSize": 100})
    by_id = _search(sbsys, {"Behandler": {"Id": sag["Behandler"]["Id"]}, "PageSize": 100})
    assert company.row_id in _ids(by_login) and _ids(by_login) == _ids(by_id)
    assert {r["Behandler"]["Uuid"] for r in by_login["Results"]} == {company.caseworker}
    statuses = requests.get(f"{sbsys.url}/api/sag/sagStatusList", timeout=10).json()
    assert statuses == requests.get(f"{sbsys.url}/api/sag/sagsstatus", timeout=10).json()
    closed = [s["Id"] for s in statuses if s["SagsTilstand"] == "Afsluttet"]
    open_ids = [s["Id"] for s in statuses if s["SagsTilstand"] != "Afsluttet"]
    only_open = _search(sbsys, {"SagsStatusIds": open_ids, "PageSize": 100})
    only_closed = _search(sbsys, {"SagsStatusId": closed[0], "PageSize": 100})
    assert only_open["TotalNumberOfResults"] == sum(1 for c in demo if not c.closed)
    assert sorted(_ids(only_closed)) == sorted(c.row_id for c in demo if c.closed)
    assert _search(sbsys, {"SagsStatusId": 1})["Results"] == []  # no such status in this installation


def test_search_rows_hold_persons_and_companies_only_when_asked(sbsys):
    plain = _search(sbsys, {"PageSize": 3})["Results"]
    assert all("Personer" not in r and "Firmaer" not in r and "PrimaryPart" in r for r in plain)
    full = _search(sbsys, {"PageSize": 3}, InkluderParterIResultat="true")["Results"]
    assert all("Personer" in r and "Firmaer" in r for r in full)


def test_a_bad_search_is_400_with_a_text(sbsys):
    response = requests.post(f"{sbsys.url}/api/sag/search", data=b"{not json", timeout=10,
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.headers["Content-Type"].startswith("text/plain")
    response = requests.post(f"{sbsys.url}/api/sag/search", json={"PageSize": "mange"}, timeout=10)
    assert response.status_code == 400 and "PageSize" in response.text


# -- installations differ ---------------------------------------------------------------------------

def _lookups(url: str) -> tuple[dict[str, int], dict[str, int]]:
    statuses = {s["Navn"]: s["Id"] for s in requests.get(f"{url}/api/sag/sagStatusList", timeout=10).json()}
    arter = {a["Navn"]: a["Id"] for a in requests.get(f"{url}/api/dokumentart", timeout=10).json()}
    return statuses, arter


def _installation(folder: Path, seed: int) -> ReferenceService:
    """A data folder whose installation seed is chosen before the simulator first draws one."""
    folder.mkdir(parents=True)
    db = Database(folder / "oio.sqlite3")
    try:
        assert CaseStore(db, ContentStore(folder / "files")).setting(SEED_SETTING, lambda: seed) == str(seed)
    finally:
        db.close()
    return ReferenceService(folder, dialect="sbsys")


def test_status_and_dokumentart_ids_differ_per_installation_and_stay_put(tmp_path):
    with _installation(tmp_path / "aarhus", 11) as aarhus, _installation(tmp_path / "odense", 12) as odense:
        first, second = _lookups(aarhus.url), _lookups(odense.url)
    assert first[0] == {s.name: s.id for s in Installation.from_seed(11).statuses}  # the chosen seed's ids
    assert first[0].keys() == second[0].keys() and first[1].keys() == second[1].keys()
    assert first[0]["Opstået"] != second[0]["Opstået"] and first[1]["Indgående"] != second[1]["Indgående"]
    assert 1 not in first[1].values() and 1 not in second[1].values()  # "Indgående = 1" is never right
    with ReferenceService(tmp_path / "aarhus", dialect="sbsys") as again:
        assert _lookups(again.url) == first
    fresh = ReferenceService(tmp_path / "fresh", dialect="sbsys")  # a new folder draws its own
    with fresh:
        drawn = _lookups(fresh.url)
    with ReferenceService(tmp_path / "fresh", dialect="sbsys") as restarted:
        assert _lookups(restarted.url) == drawn


# -- documents ------------------------------------------------------------------------------------

def test_journalising_takes_file_and_json_parts_and_reads_back(sbsys, demo):
    case = next(c for c in demo if not c.closed)
    arter = {a["Navn"]: a for a in requests.get(f"{sbsys.url}/api/dokumentart", timeout=10).json()}
    dto = {"Eksternid": "nøgle-1", "SagID": case.row_id, "DokumentNavn": "Høringssvar",
           "Beskrivelse": "Svar fra borgeren", "DokumentArt": {"Id": arter["Udgående"]["Id"]},
           "RegistreringsDato": "2026-12-03T00:00:00", "OmfattetAfAktindsigt": True}
    answer = _journalise(sbsys, dto, "Høringssvar fra Søren\n".encode(), name="Høringssvar æøå.pdf")
    assert answer.status_code == 200, answer.text
    filed = answer.json()
    assert (filed["Navn"], filed["SagID"]) == ("Høringssvar", case.row_id) and isinstance(filed["Id"], int)
    listed = requests.get(f"{sbsys.url}/api/sag/{case.row_id}/dokumenter", timeout=10).json()
    assert isinstance(listed, list)  # not paged, no envelope
    row = next(r for r in listed if r["Id"] == filed["Id"])
    assert row["EksternId"] == "nøgle-1" and "Eksternid" not in row  # read back in the V10 DTO's casing
    assert row["DokumentArt"]["Id"] == arter["Udgående"]["Id"] and row["DokumentArt"]["Navn"] == "Udgående"
    assert row["DokumentDato"].startswith("2026-12-03T00:00:00")
    [fil] = row["Filer"]
    assert (fil["Navn"], fil["Filendelse"], fil["Size"]) == ("Høringssvar æøå", "pdf", len("Høringssvar fra Søren\n".encode()))
    assert requests.get(f"{sbsys.url}/api/dokument/{filed['Id']}", timeout=10).json()["Filer"] == row["Filer"]
    download = requests.get(f"{sbsys.url}/api/fil/{fil['Id']}", timeout=10)
    assert download.content == "Høringssvar fra Søren\n".encode()
    if fil["Id"] != filed["Id"]:  # a download takes a FILE id, not the document's
        assert requests.get(f"{sbsys.url}/api/fil/{filed['Id']}", timeout=10).content != download.content
    received = json.loads(sbsys_simulator(sbsys).received[-1]["json"])
    assert received == dto and sbsys_simulator(sbsys).received[-1]["parts"] == ["file", "json"]


def test_no_server_idempotency_the_same_eksternid_files_twice(sbsys, demo):
    case = [c for c in demo if not c.closed][1]
    dto = {"Eksternid": "samme-nøgle", "SagID": case.row_id, "DokumentNavn": "To gange"}
    first, second = _journalise(sbsys, dto).json(), _journalise(sbsys, dto).json()
    assert first["Id"] != second["Id"]
    assert first["Beskrivelse"] is None  # none was sent
    listed = requests.get(f"{sbsys.url}/api/sag/{case.row_id}/dokumenter", timeout=10).json()
    assert sum(1 for r in listed if r["EksternId"] == "samme-nøgle") == 2


def test_a_deleted_document_is_gone(sbsys, demo):
    case = [c for c in demo if not c.closed][2]
    filed = _journalise(sbsys, {"SagID": case.row_id, "DokumentNavn": "Slettes"}).json()
    store = _store(sbsys)
    assert store.delete_document(store.document_by_row(filed["Id"]).uuid)
    listed = requests.get(f"{sbsys.url}/api/sag/{case.row_id}/dokumenter", timeout=10).json()
    assert filed["Id"] not in [r["Id"] for r in listed]
    assert requests.get(f"{sbsys.url}/api/dokument/{filed['Id']}", timeout=10).status_code == 404
    assert requests.get(f"{sbsys.url}/api/fil/{filed['Filer'][0]['Id']}", timeout=10).status_code == 404


@pytest.mark.parametrize("dto, part, status, said", [
    ({"SagID": 999999, "DokumentNavn": "x"}, "file", 404, "findes ikke"),
    ({"DokumentNavn": "x"}, "file", 400, "SagID"),
    ({"SagID": "{open}", "DokumentNavn": "x", "Titel": "x"}, "file", 400, "Could not find member 'Titel'"),
    ({"SagID": "{open}", "DokumentNavn": "x", "DokumentArt": {"Id": 1}}, "file", 400, "DokumentArt"),
    ({"SagID": "{open}", "DokumentNavn": "x"}, "files", 400, "'file'"),  # the draft's part name
    ({"SagID": "{open}", "DokumentNavn": "x" * 201}, "file", 400, "200"),
    ({"SagID": "{closed}", "DokumentNavn": "x"}, "file", 409, "afsluttet"),
])
def test_refusals_are_a_status_and_a_free_text(sbsys, demo, dto, part, status, said):
    ids = {"{open}": next(c for c in demo if not c.closed).row_id, "{closed}": next(c for c in demo if c.closed).row_id}
    dto = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in dto.items()}
    response = _journalise(sbsys, dto, part=part)
    assert response.status_code == status and said in response.text, response.text
    assert response.headers["Content-Type"].startswith("text/plain")


def test_a_400_echoes_what_the_request_held(sbsys, demo):
    case = next(c for c in demo if not c.closed)
    stranger = "010190-1234"
    response = _journalise(sbsys, {"SagID": case.row_id, "DokumentNavn": "x",
                                   "SagsPart": {"PartType": "Person", "CPRnummer": stranger}})
    assert response.status_code == 400 and stranger in response.text  # what clients must redact
    garbled = _journalise(sbsys, '{"SagID": 1, "CPRnummer": "010190-1234"')
    assert garbled.status_code == 400 and stranger in garbled.text


def test_a_party_of_the_case_goes_on_the_document(sbsys, demo):
    case = next(c for c in demo if not c.closed and _matches(c, {"person": True}))
    cpr = next(p.number for p in case.parties if p.relation == "primaerpart")
    filed = _journalise(sbsys, {"SagID": case.row_id, "DokumentNavn": "Med part",
                                "SagsPart": {"PartType": "Person", "CPRnummer": f"{cpr[:6]}-{cpr[6:]}"}})
    assert filed.status_code == 200, filed.text
    assert filed.json()["SagsPart"]["CPRnummer"] == f"{cpr[:6]}-{cpr[6:]}"


def test_journalising_on_a_delforloeb(sbsys, demo):
    case, other = [c for c in demo if not c.closed][3:5]
    parts = requests.get(f"{sbsys.url}/api/sag/{case.row_id}/delforloeb", timeout=10).json()
    assert parts and all({"ID", "Titel"} <= set(p) for p in parts)  # Randers reads `ID`
    target = parts[-1]["ID"]
    filed = _journalise(sbsys, {"SagID": case.row_id, "DokumentNavn": "På delforløb"},
                        path=f"/api/dokument/journaliser/{target}")
    assert filed.status_code == 200, filed.text
    shown = requests.get(f"{sbsys.url}/api/delforloeb/{target}", timeout=10).json()
    assert [d["Id"] for d in shown["Dokumenter"]] == [filed.json()["Id"]]
    elsewhere = _journalise(sbsys, {"SagID": other.row_id, "DokumentNavn": "x"}, path=f"/api/dokument/journaliser/{target}")
    assert elsewhere.status_code == 404


def test_drafts_take_files_and_json_and_stay_off_the_document_list(sbsys, demo):
    case = [c for c in demo if not c.closed][5]
    response = requests.post(f"{sbsys.url}/api/kladde", files={"files": ("udkast.docx", b"udkast")},
                             data={"json": json.dumps({"SagID": case.row_id, "Navn": "Udkast", "Emne": "Svar"})},
                             timeout=10)
    assert response.status_code == 200, response.text
    draft = response.json()
    assert [d["Id"] for d in requests.get(f"{sbsys.url}/api/sag/{case.row_id}/kladder", timeout=10).json()] == [draft["Id"]]
    listed = requests.get(f"{sbsys.url}/api/sag/{case.row_id}/dokumenter", timeout=10).json()
    assert draft["Id"] not in [r["Id"] for r in listed]
    simulator = sbsys_simulator(sbsys)
    simulator.offers_kladde = False
    try:
        refused = requests.post(f"{sbsys.url}/api/kladde", files={"files": ("x.docx", b"x")},
                                data={"json": json.dumps({"SagID": case.row_id, "Navn": "x"})}, timeout=10)
    finally:
        simulator.offers_kladde = True
    assert refused.status_code == 404


# -- errors and sign-in ---------------------------------------------------------------------------

def test_error_pages_are_free_text_and_proxy_pages(sbsys):
    body, content_type = error_page(400)
    assert content_type.startswith("text/plain") and re.search(r"\d{6}-\d{4}", body.decode())
    assert error_page(409)[0].decode() == "Sagen er afsluttet og kan ikke ændres."
    assert error_page(502)[1].startswith("text/html") and b"502 Bad Gateway" in error_page(502)[0]
    sbsys.faults = FaultConfig(status=409, status_rate=1.0)
    try:
        response = requests.post(f"{sbsys.url}/api/sag/search", json={}, timeout=10)
    finally:
        sbsys.faults = FaultConfig()
    assert response.status_code == 409 and response.text == "Sagen er afsluttet og kan ikke ændres."


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_keycloak_token_endpoint_and_bearer_tokens(tmp_path):
    service = ReferenceService(tmp_path, dialect="sbsys")
    service.seed_demo(3)
    with service:
        token_url = service.url + TOKEN_PATH
        assert requests.post(token_url, data={"grant_type": "password"}, timeout=10).status_code == 404  # off
        assert requests.post(f"{service.url}/api/sag/search", json={}, timeout=10).status_code == 200
        clock = Clock()
        sign_in = sbsys_simulator(service).sign_in.enable(
            client_id="caseclient", client_secret="cs-1", users={"jens": "hemmelig"}, token_lifetime=60, clock=clock)
        missing = requests.post(f"{service.url}/api/sag/search", json={}, timeout=10)
        assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
        form = {"grant_type": "password", "client_id": "caseclient", "client_secret": "cs-1",
                "username": "jens", "password": "hemmelig"}
        granted = requests.post(token_url, data=form, timeout=10)
        assert granted.status_code == 200 and granted.json()["expires_in"] == 60
        token = granted.json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        assert requests.post(f"{service.url}/api/sag/search", json={}, headers=bearer, timeout=10).status_code == 200
        clock.now += 61  # expired
        assert requests.post(f"{service.url}/api/sag/search", json={}, headers=bearer, timeout=10).status_code == 401
        wrong = requests.post(token_url, data={**form, "password": "gæt"}, timeout=10)
        assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_grant")
        bad_client = requests.post(token_url, data={**form, "client_secret": "cs-2"}, timeout=10)
        assert (bad_client.status_code, bad_client.json()["error"]) == (401, "invalid_client")
        service_account = requests.post(token_url, data={"grant_type": "client_credentials"},
                                        auth=("caseclient", "cs-1"), timeout=10)
        assert service_account.status_code == 200 and "refresh_token" not in service_account.json()
        assert sign_in.grants == ["password", "password", "password", "client_credentials"]
        assert sign_in.seen == ["missing", "accepted", "refused"]
