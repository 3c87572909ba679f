"""The F2 dialect on the wire: the service index and its relations, addresses that differ per
installation, the case search filter and OpenSearch, templates that redirect, matters and
documents through Post-Once-Exactly (201, then 303 with the same Location; reclaimed resources),
server-local times without a zone, colon-indexed list fields, the 255-character title, the file
type from the file name, upload validation, F2's error body, and the OAuth2 token endpoint."""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
import requests

from caseclient.server import ReferenceService
from caseclient.server.f2 import SERVICE_INDEX, TOKEN_PATH, error_page, f2_simulator
from caseclient.server.f2 import render
from caseclient.server.faults import FaultConfig
from caseclient.server.store.cases import CaseStore, StoredCase

DEMO = 60
REL = "http://cbrain.com/casefile/rel/"
LOCAL_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
JSON = {"Accept": "application/json"}


def _store(service: ReferenceService) -> CaseStore:
    return CaseStore(service.app.extensions["caseclient.database"], service.app.extensions["caseclient.content_store"])


@pytest.fixture(scope="module")
def f2(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    service = ReferenceService(tmp_path_factory.mktemp("f2") / "service", dialect="f2")
    service.seed_demo(DEMO, seed=1)
    with service:
        yield service


@pytest.fixture(scope="module")
def index(f2: ReferenceService) -> dict[str, str]:
    answer = requests.get(f2.url + SERVICE_INDEX, headers=JSON, timeout=30)
    assert answer.status_code == 200
    return {rel[len(REL):]: value["href"] for rel, value in answer.json().items()}


@pytest.fixture(scope="module")
def demo(f2: ReferenceService) -> list[StoredCase]:
    return _store(f2).search(limit=DEMO)


def _get(url: str, **params: str) -> requests.Response:
    return requests.get(url, params=params, headers=JSON, timeout=30)


def _link(item: dict, rel: str) -> str:
    return next(l["href"] for l in item["Links"] if l["rel"] in (rel, REL + rel))


def _open_case(f2: ReferenceService, index: dict[str, str], demo: list[StoredCase], n: int = 0) -> dict:
    case = [c for c in demo if not c.closed][n]
    return _get(index["case-by-id"].replace("{id}", str(case.row_id))).json()


def _poe(url: str) -> str:
    answer = requests.post(url, headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30)
    assert answer.status_code == 201 and not answer.content
    return answer.headers["Location"]


def _matter(f2: ReferenceService, index, demo, **fields: str) -> tuple[requests.Response, str]:
    case = _open_case(f2, index, demo)
    poe = _poe(_link(case, "create-matter"))
    form = {"Title": "Brev fra borger", "Type": "Inbound", "LetterDate": "2026-12-03T00:00:00", **fields}
    return requests.post(poe, data=form, headers=JSON, timeout=30, allow_redirects=False), poe


def test_the_service_index_names_every_relation_and_item_addresses_differ_per_installation(
        f2: ReferenceService, index: dict[str, str], tmp_path) -> None:
    assert {"case-search-filter", "case-search", "case-by-id", "case-by-case-number", "matter-by-id",
            "document-by-id", "upload-validation", "oauth2-token"} <= set(index)
    assert "{id}" in index["case-by-id"] and "{caseNumber}" in index["case-by-case-number"]
    assert index["oauth2-token"].endswith(TOKEN_PATH)
    other = ReferenceService(tmp_path / "other", dialect="f2")
    with other:
        theirs = requests.get(other.url + SERVICE_INDEX, headers=JSON, timeout=30).json()
    ours_path = index["case-by-id"].split("/F2Rest/")[1].split("/")[0]
    theirs_path = theirs[REL + "case-by-id"]["href"].split("/F2Rest/")[1].split("/")[0]
    assert ours_path != theirs_path


def test_case_numbers_look_like_f2s_and_keep_kle_as_keyword_codes(f2, index, demo) -> None:
    rows = _get(index["case-search-filter"]).json()
    assert len(rows) == DEMO
    assert set(rows[0]) == {"Id", "CaseNumber", "Title", "CprNumber", "ExternalId", "Created", "Updated", "alternate"}
    assert all(re.fullmatch(r"\d{4} - \d+", r["CaseNumber"]) for r in rows)
    assert all(LOCAL_TIME.match(r["Created"]) for r in rows)
    case = _get(rows[0]["alternate"]).json()
    stored = next(c for c in demo if c.row_id == case["Id"])
    assert case["KeywordCodes"] == [stored.kle]
    assert case["Status"] == ("Closed" if stored.closed else "Open")


def test_the_filter_by_number_title_and_cpr(f2, index, demo) -> None:
    case = demo[5]
    number = render.case_number(case)
    assert [r["Id"] for r in _get(index["case-search-filter"], caseNumber=number).json()] == [case.row_id]
    year = _get(index["case-search-filter"], caseNumber=number[:4] + "*").json()
    assert case.row_id in [r["Id"] for r in year] and all(r["CaseNumber"].startswith(number[:4]) for r in year)
    word = max(case.title.split(), key=len)
    assert all(word.casefold() in r["Title"].casefold() for r in _get(index["case-search-filter"], title=word).json())
    person = next(c for c in demo if any(p.kind == "cpr" for p in c.parties))
    cpr = next(p.number for p in person.parties if p.kind == "cpr")
    assert person.row_id in [r["Id"] for r in _get(index["case-search-filter"], cprNumber=cpr).json()]
    csv = requests.get(index["case-search-filter"], params={"caseNumber": number}, headers={"Accept": "text/csv"}, timeout=30)
    assert csv.text.splitlines()[0] == "Id,CaseNumber,Title,CprNumber,ExternalId,Created,Updated,alternate"


def test_opensearch_finds_a_kle_group_through_its_description_template(f2, index, demo) -> None:
    description = requests.get(index["case-search"], timeout=30)
    template = next(e.get("template") for e in ET.fromstring(description.content).iter() if e.tag.endswith("Url"))
    with_kle = next(c for c in demo if c.kle)
    url = template.replace("{searchTerms}", with_kle.kle[:5]).replace("{count}", "100").replace("{startIndex?}", "")
    feed = ET.fromstring(requests.get(url, timeout=30).content)
    hrefs = [l.get("href") for l in feed.iter("{http://www.w3.org/2005/Atom}link")]
    assert any(h.endswith(f"/cases/{with_kle.row_id}") for h in hrefs)


def test_templates_redirect_and_an_unknown_number_is_f2s_404(f2, index, demo) -> None:
    case = demo[2]
    answer = requests.get(index["case-by-case-number"].replace("{caseNumber}", render.case_number(case)),
                          headers=JSON, allow_redirects=False, timeout=30)
    assert answer.status_code == 303 and answer.headers["Location"].endswith(f"/cases/{case.row_id}")
    missing = _get(index["case-by-case-number"].replace("{caseNumber}", "1999 - 99999"))
    assert missing.status_code == 404
    assert set(missing.json()) == {"Message", "Details", "ReasonCode", "Links"}
    assert missing.json()["ReasonCode"] == "DossierCaseNotFound"


def test_a_matter_through_poe_answers_201_then_303_with_the_same_location(f2, index, demo) -> None:
    first, poe = _matter(f2, index, demo, **{"Receivers:0.Name": "Søren Ærø", "Receivers:0.EMail": "s@example.dk",
                                             "Receivers:1.Name": "Åse", "KeywordCodes:0": "27.24.00",
                                             "AccessLevel": "Involved"})
    assert first.status_code == 201, first.text
    matter = first.json()
    assert matter["Receivers"] == [{"Name": "Søren Ærø", "EMail": "s@example.dk"}, {"Name": "Åse"}]
    assert matter["KeywordCodes"] == ["27.24.00"] and matter["LetterDate"] == "2026-12-03T00:00:00"
    again = requests.post(poe, data={"Title": "Noget andet", "Type": "Internal"}, allow_redirects=False, timeout=30)
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert _get(first.headers["Location"]).json()["Title"] == "Brev fra borger"


@pytest.mark.parametrize("fields, why", [
    ({"LetterDate": "2026-12-03T00:00:00+01:00"}, "InvalidDateTime"),
    ({"LetterDate": "2026-12-03T00:00:00Z"}, "InvalidDateTime"),
    ({"LetterDate": "2026-12-03"}, "InvalidDateTime"),
    ({"Receivers": "Søren"}, "BadRequest"),
    ({"Receivers[0].Name": "Søren"}, "BadRequest"),
    ({"Type": "Incoming"}, "BadRequest"),
    ({"KeywordCodes:0": "27.24"}, "BadRequest"),
])
def test_a_matter_refuses_zones_unindexed_lists_and_unknown_values(f2, index, demo, fields, why) -> None:
    answer, _poe_ = _matter(f2, index, demo, **fields)
    assert answer.status_code == 400 and answer.json()["ReasonCode"] == why


def test_a_document_takes_its_type_from_the_file_name_and_poe_answers_303_when_repeated(f2, index, demo) -> None:
    created, _ = _matter(f2, index, demo)
    poe = _poe(_link(created.json(), "create-document"))
    files = {"Title": (None, "Mit dokument 😀"), "File": ("my-document.txt", b"hej\n", "application/pdf")}
    first = requests.post(poe, files=files, headers=JSON, allow_redirects=False, timeout=30)
    assert first.status_code == 201, first.text
    document = first.json()
    assert (document["Title"], document["FileType"], document["ContentType"], document["Size"]) == \
        ("Mit dokument 😀", "txt", "text/plain", 4)
    again = requests.post(poe, files=files, allow_redirects=False, timeout=30)
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    matter = _get(created.headers["Location"]).json()
    assert [d["Id"] for d in matter["Documents"]] == [document["Id"]]
    assert requests.get(_link(document, "content"), timeout=30).content == b"hej\n"


def test_a_title_over_255_characters_and_a_name_without_extension_are_refused(f2, index, demo) -> None:
    created, _ = _matter(f2, index, demo)
    create = _link(created.json(), "create-document")
    long = requests.post(_poe(create), files={"Title": (None, "x" * 256), "File": ("a.txt", b"a")}, timeout=30)
    assert long.status_code == 400
    bare = requests.post(_poe(create), files={"Title": (None, "x"), "File": ("README", b"a")}, timeout=30)
    assert bare.status_code == 400
    fine = requests.post(_poe(create), files={"Title": (None, "x" * 255), "File": ("a.txt", b"a")}, timeout=30)
    assert fine.status_code == 201


def test_poe_resources_are_reclaimed_after_their_lifetime(f2, index, demo) -> None:
    simulator = f2_simulator(f2)
    now = [1_000_000.0]
    simulator.clock, old = (lambda: now[0]), simulator.clock
    try:
        case = _open_case(f2, index, demo)
        poe = _poe(_link(case, "create-matter"))
        now[0] += simulator.poe_lifetime + 1
        answer = requests.post(poe, data={"Title": "x", "Type": "Inbound"}, headers=JSON, timeout=30)
        assert answer.status_code == 404 and answer.json()["ReasonCode"] == "PoeResourceNotFound"
    finally:
        simulator.clock = old


def test_a_closed_case_takes_no_matter(f2, index, demo) -> None:
    closed = next(c for c in demo if c.closed)
    case = _get(index["case-by-id"].replace("{id}", str(closed.row_id))).json()
    answer = requests.post(_link(case, "create-matter"), timeout=30)
    assert answer.status_code == 409 and answer.json()["ReasonCode"] == "DossierCaseClosed"


def test_upload_validation(f2, index) -> None:
    def result(filename: str, size: int) -> str:
        return _get(index["upload-validation"], filename=filename, size=str(size)).json()["Result"]

    assert result("My document.docx", 10000) == "Valid"
    assert result("tom.pdf", 0) == "ValidWithWarnings"
    assert result("virus.exe", 10) == "Invalid" and result("README", 10) == "Invalid"


def test_demo_documents_are_matters_of_their_own(f2, index, demo) -> None:
    store = _store(f2)
    case = next(c for c in demo if store.documents(c.uuid))
    json_case = _get(index["case-by-id"].replace("{id}", str(case.row_id))).json()
    matters = _get(_link(json_case, "down")).json()
    assert sorted(d["Title"] for m in matters for d in m["Documents"]) == sorted(d.title for d in store.documents(case.uuid))
    assert all(m["Type"] in ("Inbound", "Outbound", "Internal") for m in matters)
    assert _get(_link(json_case, "down")).json() == matters  # the same ids the second time


@pytest.mark.parametrize("status", [400, 404, 409, 423, 500, 503])
def test_injected_errors_carry_f2s_error_body(f2, index, status) -> None:
    body, content_type = error_page(status)
    assert set(json.loads(body)) == {"Message", "Details", "ReasonCode", "Links"}
    f2.faults = FaultConfig(status=status, status_rate=1.0)
    try:
        answer = _get(index["case-search-filter"])
    finally:
        f2.faults = FaultConfig()
    assert answer.status_code == status and answer.content == body
    assert error_page(502)[1].startswith("text/html")


def test_sign_in_with_the_password_grant_and_basic_client_auth_and_client_credentials(f2, index) -> None:
    sign_in = f2_simulator(f2).sign_in.enable(client_id="caseclient", client_secret="hemmelig", users={"jens": "pw"})
    try:
        assert _get(index["case-search-filter"]).status_code == 401
        assert requests.get(f2.url + SERVICE_INDEX, timeout=30).status_code == 200  # to find the token endpoint
        basic = "Basic " + base64.b64encode(b"caseclient:hemmelig").decode()
        token = requests.post(index["oauth2-token"], data={"grant_type": "password", "username": "jens", "password": "pw"},
                              headers={"Authorization": basic}, timeout=30)
        assert token.status_code == 200
        bearer = {"Authorization": "Bearer " + token.json()["access_token"], **JSON}
        assert requests.get(index["case-search-filter"], headers=bearer, timeout=30).status_code == 200
        service = requests.post(index["oauth2-token"], data={"grant_type": "client_credentials"},
                                headers={"Authorization": basic}, timeout=30)
        assert service.status_code == 200
        wrong = requests.post(index["oauth2-token"], data={"grant_type": "client_credentials"},
                              headers={"Authorization": "Basic " + base64.b64encode(b"caseclient:nej").decode()}, timeout=30)
        assert wrong.status_code == 401
    finally:
        sign_in.disable()


def test_a_matter_finds_its_documents_in_data_from_before_the_matter_index(tmp_path) -> None:
    """The matter -> document index is rebuilt from the documents' own fields when a data folder
    from before it is opened, so a matter filed then still holds its document."""
    service = ReferenceService(tmp_path / "service", dialect="f2")
    service.seed_demo(3, seed=2)
    with service:
        index = {rel[len(REL):]: value["href"] for rel, value in
                 requests.get(service.url + SERVICE_INDEX, headers=JSON, timeout=30).json().items()}
        demo = _store(service).search(limit=3)
        created, _ = _matter(service, index, demo)
        poe = _poe(_link(created.json(), "create-document"))
        files = {"Title": (None, "Brev"), "File": ("brev.txt", b"hej\n", "text/plain")}
        document = requests.post(poe, files=files, headers=JSON, allow_redirects=False, timeout=30).json()
        old_url, matter_at = service.url, created.headers["Location"]
        database = service.app.extensions["caseclient.database"]
        with database.transaction() as conn:
            conn.execute("DROP TABLE f2_matter_documents")
    reopened = ReferenceService(tmp_path / "service", dialect="f2")
    with reopened:
        matter = _get(matter_at.replace(old_url, reopened.url)).json()
        assert [d["Id"] for d in matter["Documents"]] == [document["Id"]]
