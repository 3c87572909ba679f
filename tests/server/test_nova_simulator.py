"""The KMD Nova dialect on the wire: api-version on every call, the common block, Case/GetList's
criteria, paging and output selection, S-numbers with the KLE kept in the classification, the
caseworker as a user or a unit, the two-phase upload with a client-chosen uuid (and what a repeated
Import or an upload never imported does), problem-details errors, and the Keycloak token endpoint."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator

import pytest
import requests

from caseclient.server import ReferenceService
from caseclient.server.faults import FaultConfig
from caseclient.server.nova import TOKEN_PATH, error_page, nova_simulator
from caseclient.server.nova import render
from caseclient.server.store.cases import CaseStore, StoredCase

DEMO = 60
V2 = {"api-version": "2.0-Case"}
NUMBER = re.compile(r"^S20\d\d-\d{5,}$")
EVERYTHING = {"caseAttributes": True, "state": True, "caseParty": True, "caseClassification": True,
              "caseworker": True, "responsibleDepartment": True, "securityUnit": True, "numberOfDocuments": True}


def _store(service: ReferenceService) -> CaseStore:
    return CaseStore(service.app.extensions["caseclient.database"], service.app.extensions["caseclient.content_store"])


@pytest.fixture(scope="module")
def nova(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    service = ReferenceService(tmp_path_factory.mktemp("nova") / "service", dialect="nova")
    service.seed_demo(DEMO, seed=2)
    with service:
        yield service


@pytest.fixture(scope="module")
def demo(nova) -> list[StoredCase]:
    return _store(nova).search(limit=DEMO)


def _common(**more: str) -> dict:
    return {"transactionId": str(uuid.uuid4()), **more}


def _cases(service: ReferenceService, body: dict, params: dict | None = None) -> dict:
    response = requests.put(f"{service.url}/api/Case/GetList", params=V2 if params is None else params,
                            json={"common": _common(), **body}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def _uuids(answer: dict) -> list[str]:
    return [c["common"]["uuid"] for c in answer["cases"]]


def _upload(service: ReferenceService, document: str, content: bytes = b"brev\n", name: str = "brev.txt") -> requests.Response:
    return requests.post(f"{service.url}/api/Document/UploadFile/{uuid.uuid4()}/{document}", params=V2,
                         files={"file": (name, content, "text/plain")}, timeout=30)


def _import(service: ReferenceService, document: str, case_uuid: str, **fields) -> requests.Response:
    body = {"common": _common(uuid=document), "caseUuid": case_uuid, "title": "Brev", "sensitivity": "IkkeFortrolige",
            "documentDate": "2026-12-03T00:00:00", "documentType": "Indgående", "approved": False, **fields}
    return requests.post(f"{service.url}/api/Document/Import", params=V2, json=body, timeout=30)


def _documents(service: ReferenceService, case_uuid: str, output: dict | None = None) -> list[dict]:
    response = requests.put(f"{service.url}/api/Document/GetList", params=V2,
                            json={"common": _common(), "caseUuid": case_uuid, "getOutput": output or {}}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["documents"]


def _open_case(demo: list[StoredCase], n: int = 0) -> StoredCase:
    return [c for c in demo if not c.closed][n]


# -- api-version and the common block ---------------------------------------------------------------

def test_every_call_needs_an_api_version_the_installation_serves(nova):
    url = f"{nova.url}/api/Case/GetList"
    missing = requests.put(url, json={"common": _common()}, timeout=10)
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "ApiVersionUnspecified"
    unknown = requests.put(url, params={"api-version": "3.0-Case"}, json={"common": _common()}, timeout=10)
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "UnsupportedApiVersion"
    assert nova.url in unknown.json()["error"]["message"]  # the library names the address
    assert _cases(nova, {}, params={"api-version": "1.0-Case"})["cases"]
    simulator = nova_simulator(nova)
    simulator.api_versions = ("1.0-Case",)
    try:
        assert requests.put(url, params=V2, json={"common": _common()}, timeout=10).status_code == 400
    finally:
        simulator.api_versions = ("1.0-Case", "2.0-Case")


def test_a_body_without_a_transaction_id_is_refused(nova):
    response = requests.put(f"{nova.url}/api/Case/GetList", params=V2, json={"paging": {"startRow": 1}}, timeout=10)
    assert response.status_code == 400 and "common.transactionId" in response.json()["errors"]
    assert response.headers["Content-Type"].startswith("application/problem+json")


# -- cases ------------------------------------------------------------------------------------------

def test_a_case_answers_only_the_fields_asked_for(nova, demo):
    answer = _cases(nova, {"paging": {"startRow": 1, "numberOfRows": 5},
                           "caseGetOutput": {"caseAttributes": {"title": True}, "state": {"progressState": True}}})
    for row in answer["cases"]:
        assert set(row) == {"common", "caseAttributes", "state"}
        assert set(row["caseAttributes"]) == {"title"} and set(row["state"]) == {"progressState"}
    bare = _cases(nova, {"paging": {"startRow": 1, "numberOfRows": 2}})
    assert [set(row) for row in bare["cases"]] == [{"common"}, {"common"}]


def test_a_case_in_full_has_an_s_number_and_keeps_its_kle_in_the_classification(nova, demo):
    answer = _cases(nova, {"paging": {"startRow": 1, "numberOfRows": 500}, "caseGetOutput": EVERYTHING})
    assert answer["pagingInformation"]["numberOfRows"] == DEMO == len(answer["cases"])
    by_uuid = {c.uuid: c for c in demo}
    for row in answer["cases"]:
        case = by_uuid[row["common"]["uuid"]]
        attributes = row["caseAttributes"]
        assert NUMBER.match(attributes["userFriendlyCaseNumber"]) and attributes["title"] == case.title
        assert attributes["userFriendlyCaseNumber"].endswith(f"-{case.row_id:05d}")
        assert row["caseClassification"]["kleNumber"]["code"] == case.kle
        assert row["caseClassification"]["proceedingFacet"]["code"] == case.facet
        assert row["state"] == {"activeCode": "Inaktiv" if case.closed else "Aktiv", "progressState": case.status}
        # caseGetOutput's `caseParty` selects the answer's `caseParties`
        parties = {(p["identificationType"], p["identification"], p["participantRole"]) for p in row["caseParties"]}
        assert parties == {("CprNummer" if p.kind == "cpr" else "CvrNummer", p.number,
                            "Primær" if p.relation == "primaerpart" else "Sekundær") for p in case.parties}
        assert row["numberOfDocuments"] == len(_store(nova).documents(case.uuid))
        worker = row["caseworker"]
        if render.has_unit_caseworker(case):
            assert set(worker) == {"losIdentity"} and worker["losIdentity"]["administrativeUnitId"]
        else:
            assert worker["kspIdentity"]["novaUserId"] == case.caseworker and worker["kspIdentity"]["racfId"].isupper()
    assert any("losIdentity" in row["caseworker"] for row in answer["cases"])


def test_paging_counts_rows_from_one_and_takes_at_most_500(nova):
    whole = _uuids(_cases(nova, {"paging": {"startRow": 1, "numberOfRows": 10}}))
    first = _uuids(_cases(nova, {"paging": {"startRow": 1, "numberOfRows": 4}}))
    rest = _uuids(_cases(nova, {"paging": {"startRow": 5, "numberOfRows": 6}}))
    assert first + rest == whole and len(whole) == 10
    for paging in ({"startRow": 0, "numberOfRows": 5}, {"startRow": 1, "numberOfRows": 0},
                   {"startRow": 1, "numberOfRows": 501}, {"startRow": "1", "numberOfRows": 5}):
        response = requests.put(f"{nova.url}/api/Case/GetList", params=V2,
                                json={"common": _common(), "paging": paging}, timeout=10)
        assert response.status_code == 400, paging


def test_a_case_number_matches_whole_or_as_a_prefix_with_a_star(nova):
    rows = _cases(nova, {"paging": {"startRow": 1, "numberOfRows": 500}, "caseGetOutput": {"caseAttributes": True}})["cases"]
    number = rows[7]["caseAttributes"]["userFriendlyCaseNumber"]
    exact = _cases(nova, {"caseAttributes": {"userFriendlyCaseNumber": number.lower()}})
    assert _uuids(exact) == [rows[7]["common"]["uuid"]]
    assert _cases(nova, {"caseAttributes": {"userFriendlyCaseNumber": number[:5]}})["cases"] == []
    prefixed = _cases(nova, {"caseAttributes": {"userFriendlyCaseNumber": number[:5] + "*"},
                             "paging": {"startRow": 1, "numberOfRows": 500}, "caseGetOutput": {"caseAttributes": True}})
    expected = [r["common"]["uuid"] for r in rows if r["caseAttributes"]["userFriendlyCaseNumber"].startswith(number[:5])]
    assert _uuids(prefixed) == expected and len(expected) < len(rows)


def test_the_kle_number_and_the_title_are_criteria(nova, demo):
    group = next(c.kle for c in demo if c.kle)[:5]
    found = _cases(nova, {"caseClassification": {"kleNumber": {"code": group + "*"}},
                          "paging": {"startRow": 1, "numberOfRows": 500}})
    assert set(_uuids(found)) == {c.uuid for c in demo if (c.kle or "").startswith(group)}
    word = max(demo[3].title.split(), key=len)
    titled = _cases(nova, {"caseAttributes": {"title": word.upper()}, "paging": {"startRow": 1, "numberOfRows": 500}})
    assert set(_uuids(titled)) == {c.uuid for c in demo if word.casefold() in c.title.casefold()}


def test_parties_are_found_by_bare_cpr_and_cvr_numbers(nova, demo):
    person = next(p for c in demo for p in c.parties if p.kind == "cpr")
    company = next(p for c in demo for p in c.parties if p.kind == "cvr")
    for party, kind in ((person, "CprNummer"), (company, "CvrNummer")):
        found = _cases(nova, {"caseParty": {"identificationType": kind, "identification": party.number}})
        assert set(_uuids(found)) == {c.uuid for c in demo if party in c.parties or
                                      any(p.urn == party.urn for p in c.parties)}
    hyphen = f"{person.number[:6]}-{person.number[6:]}"
    assert _cases(nova, {"caseParty": {"identificationType": "CprNummer", "identification": hyphen}})["cases"] == []
    refused = requests.put(f"{nova.url}/api/Case/GetList", params=V2, timeout=10, json={
        "common": _common(), "caseParty": {"identificationType": "Personnummer", "identification": person.number}})
    assert refused.status_code == 400


def test_the_caseworker_is_a_user_or_a_unit(nova, demo):
    person_case = next(c for c in demo if not render.has_unit_caseworker(c))
    unit_case = next(c for c in demo if render.has_unit_caseworker(c))
    users = {c.uuid for c in demo if c.caseworker == person_case.caseworker and not render.has_unit_caseworker(c)}
    by_uuid = _cases(nova, {"caseworker": {"kspIdentity": {"novaUserId": person_case.caseworker}},
                            "paging": {"startRow": 1, "numberOfRows": 500}})
    assert set(_uuids(by_uuid)) == users
    login = next(w.login for w in render.CASEWORKERS if w.uuid == person_case.caseworker)
    by_racf = _cases(nova, {"caseworker": {"kspIdentity": {"racfId": login.upper()}},
                            "paging": {"startRow": 1, "numberOfRows": 500}})
    assert set(_uuids(by_racf)) == users
    unit = render.unit_of(unit_case)
    by_unit = _cases(nova, {"caseworker": {"losIdentity": {"novaUnitId": unit.nova_id}},
                            "paging": {"startRow": 1, "numberOfRows": 500}})
    assert unit_case.uuid in _uuids(by_unit)
    assert set(_uuids(by_unit)) == {c.uuid for c in demo if render.has_unit_caseworker(c) and render.unit_of(c) == unit}
    assert _cases(nova, {"caseworker": {"kspIdentity": {"racfId": "NOBODY"}}})["cases"] == []


def test_common_uuid_narrows_a_case_list_to_one_case(nova, demo):
    answer = requests.put(f"{nova.url}/api/Case/GetList", params=V2, timeout=10,
                          json={"common": _common(uuid=demo[4].uuid), "caseGetOutput": {"caseAttributes": {"title": True}}})
    assert [c["caseAttributes"]["title"] for c in answer.json()["cases"]] == [demo[4].title]


# -- documents --------------------------------------------------------------------------------------

def test_a_document_list_answers_its_uuid_and_number_and_what_is_asked_for(nova, demo):
    case = next(c for c in demo if _store(nova).documents(c.uuid))
    bare = _documents(nova, case.uuid)
    assert bare and all(set(d) == {"documentUuid", "documentNumber"} for d in bare)
    full = _documents(nova, case.uuid, {"title": True, "documentType": True, "documentCategory": True, "sensitivity": True})
    stored = _store(nova).documents(case.uuid)
    assert [d["documentUuid"] for d in full] == [d.uuid for d in stored]  # a demo document keeps the store's uuid
    for row, document in zip(full, stored):
        assert set(row) == {"documentUuid", "documentNumber", "title", "documentType", "documentCategoryName",
                            "documentCategoryUuid", "sensitivity"}
        assert row["title"] == document.title and row["documentType"] == document.kind
        assert row["sensitivity"] in render.SENSITIVITIES


def test_the_two_phase_upload_files_under_the_clients_uuid(nova, demo):
    case = _open_case(demo, 0)
    document = str(uuid.uuid4())
    assert _upload(nova, document, b"Kaere borger\n", "Brev til borger.txt").status_code == 200
    assert document not in [d["documentUuid"] for d in _documents(nova, case.uuid)]  # uploaded, not filed
    party = next(p for p in case.parties if p.kind == "cpr")
    response = _import(nova, document, case.uuid, title="Brev til borger", sensitivity="Følsomme",
                       documentType="Udgående", description="Afgørelse", acceptReceived=True,
                       documentParty={"identificationType": "CprNummer", "identification": party.number},
                       securityUnit={"losIdentity": {"administrativeUnitId": 818485, "fullName": "Borgerservice"}})
    assert response.status_code == 200, response.text
    rows = [d for d in _documents(nova, case.uuid, {"title": True, "sensitivity": True, "documentType": True,
                                                   "description": True, "approved": True, "documentDate": True,
                                                   "fileExtension": True}) if d["documentUuid"] == document]
    assert len(rows) == 1
    assert {k: rows[0][k] for k in ("title", "sensitivity", "documentType", "description", "approved",
                                    "documentDate", "fileExtension")} == {
        "title": "Brev til borger", "sensitivity": "Følsomme", "documentType": "Udgående", "description": "Afgørelse",
        "approved": False, "documentDate": "2026-12-03T00:00:00", "fileExtension": "txt"}
    stored = next(d for d in _store(nova).documents(case.uuid) if render.document_uuid(d) == document)
    assert render.nova_fields(stored)["acceptReceived"] is True
    assert render.nova_fields(stored)["documentParty"]["identification"] == party.number
    got = requests.put(f"{nova.url}/api/Document/GetFile", params=V2, timeout=10,
                       json={"common": _common(uuid=document), "checkOutDocument": False})
    assert got.status_code == 200 and got.content == b"Kaere borger\n"


def test_a_repeated_import_is_refused_and_never_makes_a_second_document(nova, demo):
    case = _open_case(demo, 1)
    document = str(uuid.uuid4())
    assert _upload(nova, document).status_code == 200
    assert _import(nova, document, case.uuid).status_code == 200
    again = _import(nova, document, case.uuid)
    assert again.status_code == 409 and again.json()["title"] == "Conflict"
    assert _upload(nova, document, b"ny udgave\n").status_code == 409  # no new file for a filed document
    assert [d["documentUuid"] for d in _documents(nova, case.uuid)].count(document) == 1


def test_an_import_needs_an_uploaded_file_and_a_second_upload_replaces_the_first(nova, demo):
    case = _open_case(demo, 2)
    document = str(uuid.uuid4())
    missing = _import(nova, document, case.uuid)
    assert missing.status_code == 400 and "common.uuid" in missing.json()["errors"]
    assert _upload(nova, document, b"forkert\n").status_code == 200
    assert _upload(nova, document, b"rigtig\n").status_code == 200
    assert _import(nova, document, case.uuid).status_code == 200
    got = requests.put(f"{nova.url}/api/Document/GetFile", params=V2, timeout=10,
                       json={"common": _common(uuid=document), "checkOutDocument": False})
    assert got.content == b"rigtig\n"


@pytest.mark.parametrize("field, value", [("sensitivity", "Hemmelig"), ("documentType", "Brev"), ("title", ""),
                                          ("documentDate", "3. december 2026")])
def test_an_import_refuses_values_nova_does_not_have(nova, demo, field, value):
    case = _open_case(demo, 3)
    document = str(uuid.uuid4())
    assert _upload(nova, document).status_code == 200
    response = _import(nova, document, case.uuid, **{field: value})
    assert response.status_code == 400 and field in response.json()["errors"]


def test_an_unknown_or_closed_case_takes_no_document(nova, demo):
    document = str(uuid.uuid4())
    assert _upload(nova, document).status_code == 200
    assert _import(nova, document, str(uuid.uuid4())).status_code == 404
    closed = next(c for c in demo if c.closed)
    assert _import(nova, document, closed.uuid).status_code == 409
    assert requests.put(f"{nova.url}/api/Document/GetFile", params=V2, timeout=10,
                        json={"common": _common(uuid=str(uuid.uuid4()))}).status_code == 404


# -- errors and sign-in -----------------------------------------------------------------------------

def test_error_pages_have_nova_s_shapes(nova):
    assert error_page(401) == (b"", "text/plain; charset=utf-8")
    body, content_type = error_page(400)
    assert content_type.startswith("application/problem+json") and json.loads(body)["errors"]
    assert b"0101901234" in body  # echoes a CPR number: clients must not
    body, content_type = error_page(502)
    assert content_type.startswith("text/html") and b"502 Bad Gateway" in body
    nova.faults = FaultConfig(status=409, status_rate=1.0)
    try:
        response = requests.put(f"{nova.url}/api/Case/GetList", params=V2, json={"common": _common()}, timeout=10)
    finally:
        nova.faults = FaultConfig()
    assert response.status_code == 409 and response.json()["status"] == 409


def test_sign_in_with_client_credentials_when_switched_on(tmp_path):
    service = ReferenceService(tmp_path / "service", dialect="nova")
    service.seed_demo(3)
    with service:
        url = f"{service.url}/api/Case/GetList"
        body = {"common": _common()}
        assert requests.post(service.url + TOKEN_PATH, data={"grant_type": "client_credentials"}, timeout=10).status_code == 404
        assert requests.put(url, params=V2, json=body, timeout=10).status_code == 200
        sign_in = nova_simulator(service).sign_in.enable(client_id="caseclient", client_secret="hemmelig")
        refused = requests.put(url, params=V2, json=body, timeout=10)
        assert refused.status_code == 401 and refused.content == b"" and refused.headers["WWW-Authenticate"] == "Bearer"
        wrong = requests.post(service.url + TOKEN_PATH, timeout=10, data={
            "grant_type": "client_credentials", "client_id": "caseclient", "client_secret": "forkert", "scope": "client"})
        assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
        password = requests.post(service.url + TOKEN_PATH, timeout=10, data={
            "grant_type": "password", "client_id": "caseclient", "client_secret": "hemmelig", "username": "x", "password": "y"})
        assert password.status_code == 400
        token = requests.post(service.url + TOKEN_PATH, timeout=10, data={
            "grant_type": "client_credentials", "client_id": "caseclient", "client_secret": "hemmelig", "scope": "client"})
        assert token.status_code == 200 and token.json()["expires_in"] > 0
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        assert requests.put(url, params=V2, json=body, headers=headers, timeout=10).status_code == 200
        assert sign_in.seen == ["missing", "accepted"]
