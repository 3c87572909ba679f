"""The WorkZone dialect on the wire: OData v4 collections paged by 50 with nextLinks, $filter,
$select and $expand as WorkZone takes them, inDomain('my_open_cases') for the user acted for,
parties through Contacts and FileContacts, the two saves of a filing (a Document media entity,
then a Record that answers only its ID), OData's error JSON, and the Entra ID token endpoint."""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import requests

from caseclient.server import FaultConfig, ReferenceService
from caseclient.server.store.cases import CaseStore, StoredCase
from caseclient.server.workzone import ON_BEHALF_OF_HEADER, error_page, token_path, workzone_simulator
from caseclient.server.workzone.render import file_number

DEMO = 130
ROOT = "/OData4"


def _store(service: ReferenceService) -> CaseStore:
    return CaseStore(service.app.extensions["caseclient.database"], service.app.extensions["caseclient.content_store"])


@pytest.fixture(scope="module")
def workzone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    service = ReferenceService(tmp_path_factory.mktemp("workzone") / "service", dialect="workzone")
    service.seed_demo(DEMO, seed=2)
    with service:
        yield service


@pytest.fixture(scope="module")
def demo(workzone) -> list[StoredCase]:
    return sorted(_store(workzone).search(limit=DEMO), key=lambda c: c.row_id)


def _get(service: ReferenceService, path: str, headers: dict | None = None, **params: str) -> requests.Response:
    return requests.get(f"{service.url}{ROOT}/{path}", params=params, headers=headers, timeout=30)


def _ok(response: requests.Response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


def _all(service: ReferenceService, path: str, headers: dict | None = None, **params: str) -> list[dict]:
    """Every entity of a collection, following the nextLinks."""
    page = _ok(_get(service, path, headers, **params))
    rows = page["value"]
    while page.get("@odata.nextLink"):
        page = _ok(requests.get(page["@odata.nextLink"], headers=headers, timeout=30))
        rows += page["value"]
    return rows


def _error(response: requests.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]["message"]


def _document(service: ReferenceService, content: bytes = b"brev\n", name: str = "brev.txt") -> str:
    response = requests.post(f"{service.url}{ROOT}/Documents", data=content,
                             headers={"Slug": quote(name, safe=""), "Content-Type": "text/plain"}, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()["ID"]


def _record(service: ReferenceService, body: dict) -> requests.Response:
    return requests.post(f"{service.url}{ROOT}/Records", json=body, timeout=30)


def test_files_come_50_a_page_with_a_next_link_until_top(workzone, demo) -> None:
    first = _ok(_get(workzone, "Files", **{"$select": "ID"}))
    assert len(first["value"]) == 50 and first["@odata.context"].endswith("/OData4/$metadata#Files")
    ids = [row["ID"] for row in first["value"]]
    link = first["@odata.nextLink"]
    while link:
        page = _ok(requests.get(link, timeout=30))
        ids += [row["ID"] for row in page["value"]]
        link = page.get("@odata.nextLink")
    assert ids == [str(c.row_id) for c in demo]
    limited = _ok(_get(workzone, "Files", **{"$top": "70", "$skip": "10", "$select": "ID"}))
    assert len(limited["value"]) == 50 and "%24top=20" in limited["@odata.nextLink"]
    rest = _ok(requests.get(limited["@odata.nextLink"], timeout=30))
    assert len(rest["value"]) == 20 and "@odata.nextLink" not in rest
    assert [r["ID"] for r in limited["value"] + rest["value"]] == ids[10:80]


def test_a_file_has_its_number_title_classification_and_code_fields(workzone, demo) -> None:
    case = demo[4]
    body = _ok(_get(workzone, f"Files('{case.row_id}')"))
    assert body["ID"] == str(case.row_id) and body["FileNo"] == body["UserKey"] == file_number(case)
    assert body["Title"] == case.title and body["Classification_Value"] == case.kle
    assert body["State_Value"] in ("A", "B") and body["State_Summary"]
    assert (body["Officer_Value"], body["Officer_Summary"]) != (None, None)
    assert body["Created"] == case.opened[:10] and len(body["Created"]) == 10  # an Edm.Date
    assert _ok(_get(workzone, f"Files('{case.row_id}')", **{"$select": "ID,Title"})).keys() == {
        "@odata.context", "ID", "Title"}
    _error(_get(workzone, "Files('99999999')"), 404)
    _error(_get(workzone, f"Files({case.row_id})"), 400)  # a string key is quoted


def test_filters_as_odata_reads_them(workzone, demo) -> None:
    case = demo[7]
    word = max(case.title.split(), key=len)
    found = _all(workzone, "Files", **{"$filter": f"contains(Title,'{word.upper()}')"})
    assert str(case.row_id) in {r["ID"] for r in found}
    assert all(word.casefold() in r["Title"].casefold() for r in found)
    group = case.kle[:5]
    found = _all(workzone, "Files", **{
        "$filter": f"startswith(Classification_Value,'{group}') and not (State_Value eq 'A')"})
    expected = {str(c.row_id) for c in demo if (c.kle or "").startswith(group) and not c.closed}
    assert {r["ID"] for r in found} == expected
    number = file_number(case)
    either = _ok(_get(workzone, "Files", **{"$filter": f"FileNo eq '{number}' or UserKey eq 'x''y'"}))
    assert [r["ID"] for r in either["value"]] == [str(case.row_id)]
    assert "Could not find a property named 'Sagsnummer'" in _error(
        _get(workzone, "Files", **{"$filter": "Sagsnummer eq '1'"}), 400)
    _error(_get(workzone, "Files", **{"$filter": "startswith(FileNo,'20'"}), 400)
    _error(_get(workzone, "Files", **{"$select": "ID,Nummer"}), 400)
    _error(_get(workzone, "Files", **{"$top": "-1"}), 400)


def test_my_open_cases_are_those_of_the_user_acted_for(workzone, demo) -> None:
    worker = _ok(_get(workzone, f"Files('{demo[0].row_id}')"))["Officer_Value"]
    domain = {"$filter": "inDomain('my_open_cases')", "$select": "ID,Officer_Value,State_Value", "$top": "500"}
    assert _ok(_get(workzone, "Files", **domain))["value"] == []  # the application itself has no cases
    mine = _all(workzone, "Files", headers={ON_BEHALF_OF_HEADER: worker.lower()}, **domain)
    everything = _all(workzone, "Files", **{"$select": "ID,Officer_Value,State_Value"})
    assert mine and {r["ID"] for r in mine} == {r["ID"] for r in everything
                                                if r["Officer_Value"] == worker and r["State_Value"] != "A"}
    assert any(r["on_behalf_of"] == worker.lower() and "inDomain" in r["args"].get("$filter", "")
               for r in workzone_simulator(workzone).received)
    _error(_get(workzone, "Files", **{"$filter": "inDomain('alle_sager')"}), 400)


def test_parties_are_file_contacts_and_contacts_are_found_by_type_and_code(workzone, demo) -> None:
    case = next(c for c in demo if any(p.kind == "cpr" for p in c.parties))
    party = next(p for p in case.parties if p.kind == "cpr")
    body = _ok(_get(workzone, f"Files('{case.row_id}')", **{"$expand": "Parties($expand=NameKey($select=NameType_Value,NameCode))"}))
    listed = {row["NameKey"]["NameCode"]: row for row in body["Parties"]}
    assert party.number in listed and listed[party.number]["NameKey"]["NameType_Value"] == "CPR"
    assert listed[party.number]["FileKey_Value"] == str(case.row_id)
    contacts = _ok(_get(workzone, "Contacts", **{"$filter": f"NameType_Value eq 'CPR' and NameCode eq '{party.number}'"}))
    assert [c["ID"] for c in contacts["value"]] == [listed[party.number]["NameKey_Value"]]
    rows = _all(workzone, "FileContacts", **{"$filter": f"NameKey_Value eq '{contacts['value'][0]['ID']}'"})
    holders = {c.row_id for c in demo if any(p.urn == party.urn for p in c.parties)}
    assert {int(r["FileKey_Value"]) for r in rows} == holders
    _error(_get(workzone, f"Files('{case.row_id}')", **{"$expand": "Sagsparter"}), 400)


def test_filing_is_a_document_then_a_record_that_answers_only_its_id(workzone, demo, tmp_path) -> None:
    case = next(c for c in demo if not c.closed)
    content = os.urandom(3 * 1024 * 1024 + 17)
    doc_id = _document(workzone, content, "Høringssvar fra Ærø.pdf")
    answer = _record(workzone, {"FileKey_Value": str(case.row_id), "ExternalDocId": doc_id, "Title": "Høringssvar",
                                "RecordType_Value": "I", "LetterDate": "2026-12-03", "RecordNoExt": "nøgle-1"})
    assert answer.status_code == 201 and set(answer.json()) == {"@odata.context", "ID"}
    record_id = answer.json()["ID"]
    assert answer.headers["Location"].endswith(f"/OData4/Records('{record_id}')")
    record = _ok(_get(workzone, f"Records('{record_id}')"))
    assert record["RecordNo"] and record["FileKey_Value"] == str(case.row_id) and record["ExternalDocId"] == doc_id
    assert (record["FileName"], record["DocLength"], record["LetterDate"]) == ("Høringssvar fra Ærø.pdf", str(len(content)), "2026-12-03")
    assert _get(workzone, f"Documents('{doc_id}')/$value").content == content
    on_case = _ok(_get(workzone, "Records", **{"$filter": f"FileKey_Value eq '{case.row_id}' and RecordNoExt eq 'nøgle-1'"}))
    assert [r["ID"] for r in on_case["value"]] == [record_id]
    assert "already belongs" in _error(_record(workzone, {"FileKey_Value": str(case.row_id), "ExternalDocId": doc_id,
                                                          "Title": "Igen", "RecordType_Value": "I"}), 409)
    # No server-side idempotency: the same external id twice is two records.
    again = _record(workzone, {"FileKey_Value": str(case.row_id), "ExternalDocId": _document(workzone), "Title": "Høringssvar",
                               "RecordType_Value": "I", "RecordNoExt": "nøgle-1"})
    assert again.status_code == 201 and again.json()["ID"] != record_id


def test_what_a_record_and_a_document_refuse(workzone, demo) -> None:
    open_case = next(c for c in demo if not c.closed)
    closed_case = next(c for c in demo if c.closed)
    base = {"FileKey_Value": str(open_case.row_id), "Title": "Brev", "RecordType_Value": "I"}
    assert "Nummer" in _error(_record(workzone, {**base, "ExternalDocId": _document(workzone), "Nummer": "1"}), 400)
    assert "Edm.Date" in _error(_record(workzone, {**base, "ExternalDocId": _document(workzone),
                                                   "LetterDate": "2026-12-03T00:00:00"}), 400)
    assert "Title" in _error(_record(workzone, {**base, "Title": "", "ExternalDocId": _document(workzone)}), 400)
    assert "RecordType_Value" in _error(_record(workzone, {"FileKey_Value": str(open_case.row_id), "Title": "x",
                                                           "ExternalDocId": _document(workzone)}), 400)
    _error(_record(workzone, {**base, "ExternalDocId": "1999999"}), 400)
    _error(_record(workzone, {**base, "FileKey_Value": "99999999", "ExternalDocId": _document(workzone)}), 404)
    _error(_record(workzone, {**base, "FileKey_Value": str(closed_case.row_id), "ExternalDocId": _document(workzone)}), 409)
    bound = _record(workzone, {"File@odata.bind": f"Files('{open_case.row_id}')", "Title": "Bundet",
                               "RecordType_Value": "U", "Document@odata.bind": f"Documents('{_document(workzone)}')"})
    assert bound.status_code == 201
    long_name = "x" * 93 + ".pdf"
    response = requests.post(f"{workzone.url}{ROOT}/Documents", data=b"x", headers={"Slug": long_name}, timeout=30)
    assert "96" in _error(response, 400)
    _error(requests.post(f"{workzone.url}{ROOT}/Documents", data=b"x", timeout=30), 400)  # no Slug: no name
    batch = requests.post(f"{workzone.url}{ROOT}/$batch", data=b"", headers={ON_BEHALF_OF_HEADER: "ABJ"}, timeout=30)
    assert "on behalf of" in _error(batch, 400)


def test_errors_are_odata_json_and_the_gateway_answers_in_html(workzone) -> None:
    body, content_type = error_page(400)
    assert content_type.startswith("application/json") and b'"error"' in body and b"010190-1234" in body
    workzone.faults = FaultConfig(status=409, status_rate=1.0)
    try:
        assert "closed" in _error(_get(workzone, "Files"), 409)
        workzone.faults = FaultConfig(status=503, status_rate=1.0)
        busy = _get(workzone, "Files")
        assert busy.status_code == 503 and busy.headers["Content-Type"].startswith("text/html")
        assert busy.headers["Retry-After"] == "7"
    finally:
        workzone.faults = FaultConfig()


def test_the_token_endpoint_is_off_until_a_test_switches_it_on(tmp_path) -> None:
    service = ReferenceService(tmp_path / "service", dialect="workzone")
    service.seed_demo(3)
    with service:
        url = f"{service.url}{token_path('contoso')}"
        assert requests.post(url, data={"grant_type": "client_credentials"}, timeout=30).status_code == 404
        assert _get(service, "Files").status_code == 200
        sign_in = workzone_simulator(service).sign_in.enable(client_id="cc", client_secret="hemmelig",
                                                             app_id_uri="https://kommune.workzone.cloud")
        assert "Authorization has been denied" in _error(_get(service, "Files"), 401)
        form = {"grant_type": "client_credentials", "client_id": "cc", "client_secret": "hemmelig"}
        refused = requests.post(url, data={**form, "scope": "https://kommune.workzone.cloud"}, timeout=30)
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_scope"
        assert refused.json()["error_description"].startswith("AADSTS")
        wrong = requests.post(url, data={**form, "client_secret": "x", "scope": "https://kommune.workzone.cloud/.default"},
                              timeout=30)
        assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
        token = requests.post(url, data={**form, "scope": "https://kommune.workzone.cloud/.default"}, timeout=30).json()
        assert token["token_type"] == "Bearer" and token["expires_in"] > 0
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        assert len(_ok(_get(service, "Files", headers=headers))["value"]) == 3
        assert sign_in.seen == ["missing", "accepted"]
        sign_in.revoke_all()
        _error(_get(service, "Files", headers=headers), 401)
