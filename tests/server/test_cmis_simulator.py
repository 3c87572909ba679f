"""The CMIS dialect on the wire, held against the browser-binding transcripts of the Apache
Chemistry reference server (../shared/reference/cmis-browser-binding/, read, never copied; the
tests that need them skip when the folder is absent): the repository infos, every property's
shape, the children and query envelopes, createDocument's 201 with the whole object and no
Location, delete's empty 200; then the case folders, getObjectByPath, names unique in a folder
(nameConstraintViolation, or Alfresco's contentAlreadyExists), appendContent, the query language,
CMIS's error body, Basic sign-in and injected faults."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from caseclient.server import ReferenceService
from caseclient.server.cmis import BROWSER, cmis_simulator, error_page
from caseclient.server.faults import FaultConfig

DEMO = 60
TRANSCRIPTS = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "cmis-browser-binding"
PROPERTY_KEYS = {"id", "localName", "queryName", "value", "type", "displayName", "cardinality"}


def _transcript(name: str) -> tuple[int, dict[str, str], object]:
    """(status, headers, JSON body or None) of a recorded response."""
    if not TRANSCRIPTS.is_dir():
        pytest.skip("the CMIS browser-binding transcripts (../shared/reference) are not here")
    text = (TRANSCRIPTS / name).read_text(encoding="utf-8")
    if text.lstrip().startswith("{"):  # some transcripts hold only the body
        return 200, {}, json.loads(text)
    head, _, body = text.partition("\n\n")
    lines = head.splitlines()
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return status, headers, json.loads(body) if body.strip() else None


@pytest.fixture(scope="module")
def cmis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    service = ReferenceService(tmp_path_factory.mktemp("cmis") / "service", dialect="cmis")
    service.seed_demo(DEMO, seed=1)
    with service:
        yield service


@pytest.fixture(scope="module")
def repo(cmis: ReferenceService) -> dict:
    answer = requests.get(cmis.url + BROWSER, timeout=30)
    assert answer.status_code == 200
    (info,) = answer.json().values()
    return info


def _query(repo: dict, statement: str, **extra: str) -> requests.Response:
    return requests.post(repo["repositoryUrl"], data={"cmisaction": "query", "statement": statement, **extra}, timeout=30)


def _open_case(repo: dict, n: int = 0) -> dict:
    answer = _query(repo, "SELECT * FROM esdh:sag WHERE esdh:status <> 'Afsluttet' ORDER BY cmis:name", succinct="true")
    return answer.json()["results"][n]["succinctProperties"]


def _create(repo: dict, folder_id: str, name: str, content: bytes = b"brev\n", **properties: str) -> requests.Response:
    data = {"cmisaction": "createDocument", "propertyId[0]": "cmis:name", "propertyValue[0]": name,
            "propertyId[1]": "cmis:objectTypeId", "propertyValue[1]": "cmis:document", "versioningState": "none"}
    for n, (pid, value) in enumerate(properties.items(), start=2):
        data[f"propertyId[{n}]"] = pid.replace("__", ":")
        data[f"propertyValue[{n}]"] = value
    return requests.post(repo["rootFolderUrl"], params={"objectId": folder_id}, data=data,
                         files={"content": ("brev.txt", content, "text/plain")}, timeout=30)


# --- the transcripts' shapes -------------------------------------------------------------------

def test_repository_infos_have_the_reference_servers_keys(repo: dict) -> None:
    _status, headers, recorded = _transcript("getRepositoryInfos-response.log")
    (reference,) = recorded.values()
    wanted = {"repositoryId", "repositoryName", "repositoryDescription", "vendorName", "productName", "productVersion",
              "cmisVersionSupported", "rootFolderId", "rootFolderUrl", "repositoryUrl", "capabilities",
              "latestChangeLogToken", "changesIncomplete", "principalIdAnonymous", "principalIdAnyone"}
    assert wanted <= set(reference) and wanted <= set(repo)
    assert set(repo["capabilities"]) >= set(reference["capabilities"]) - {"capabilityJoin"} | {"capabilityQuery"}
    assert repo["cmisVersionSupported"] == reference["cmisVersionSupported"] == "1.1"
    assert repo["rootFolderUrl"] == repo["repositoryUrl"] + "/root"
    assert reference["rootFolderUrl"] == reference["repositoryUrl"] + "/root"


def test_every_property_has_the_reference_shape(repo: dict) -> None:
    _status, _headers, recorded = _transcript("getObject-response.log")
    for prop in recorded["properties"].values():
        assert set(prop) == PROPERTY_KEYS
    case = _open_case(repo)
    answer = requests.get(repo["rootFolderUrl"], params={"objectId": case["cmis:objectId"], "cmisselector": "object"},
                          timeout=30)
    assert answer.headers["Content-Type"].startswith("application/json")
    for pid, prop in answer.json()["properties"].items():
        assert set(prop) == PROPERTY_KEYS and prop["id"] == prop["queryName"] == pid
    assert isinstance(answer.json()["properties"]["cmis:creationDate"]["value"], int)  # milliseconds, as recorded
    assert isinstance(recorded["properties"]["DateTimeProp"]["value"], int)


def test_children_and_query_envelopes_are_the_reference_ones(cmis: ReferenceService, repo: dict) -> None:
    _s, _h, children = _transcript("getChildren-response.log")
    _s, _h, results = _transcript("doQuery-response.log")
    case = _open_case(repo)
    _create(repo, case["cmis:objectId"], "envelope.txt", cmis__description="Konvolut")
    ours = requests.get(repo["rootFolderUrl"], params={
        "objectId": case["cmis:objectId"], "cmisselector": "children", "includePathSegment": "true",
        "includeAllowableActions": "true"}, timeout=30).json()
    assert set(ours) == set(children) == {"objects", "hasMoreItems", "numItems"}
    assert set(ours["objects"][0]) == set(children["objects"][0]) == {"object", "pathSegment"}
    assert set(ours["objects"][0]["object"]) == set(children["objects"][0]["object"]) == {"allowableActions", "properties"}
    found = _query(repo, f"SELECT * FROM cmis:document WHERE IN_FOLDER('{case['cmis:objectId']}')").json()
    assert set(found) == set(results) == {"results", "hasMoreItems", "numItems"}
    assert set(found["results"][0]) == {"properties"} and "properties" in results["results"][0]
    assert found["numItems"] == len(found["results"])


def test_create_document_answers_201_with_the_whole_object_and_no_location(repo: dict) -> None:
    status, headers, recorded = _transcript("createDocument-response.log")
    case = _open_case(repo, 1)
    answer = _create(repo, case["cmis:objectId"], "Ansøgning fra Søren.txt", "Kære kommune\n".encode(),
                     cmis__description="Ansøgning")
    assert answer.status_code == status == 201
    assert "location" not in headers and "Location" not in answer.headers
    ours = answer.json()["properties"]
    assert set(recorded["properties"]) - set(ours) <= {"StringPropTopLevel"}  # the reference's own type
    assert ours["cmis:name"]["value"] == "Ansøgning fra Søren.txt"
    assert ours["cmis:contentStreamFileName"]["value"] == "brev.txt"
    assert ours["cmis:contentStreamLength"]["value"] == len("Kære kommune\n".encode())
    assert ours["cmis:description"]["value"] == "Ansøgning"


def test_delete_answers_an_empty_200(repo: dict) -> None:
    status, headers, _body = _transcript("deleteObject-response.log")
    case = _open_case(repo, 2)
    created = _create(repo, case["cmis:objectId"], "slet mig.txt").json()["properties"]["cmis:objectId"]["value"]
    answer = requests.post(repo["rootFolderUrl"], params={"objectId": created},
                           data={"cmisaction": "delete", "allVersions": "true"}, timeout=30)
    assert answer.status_code == status == 200 and answer.content == b""
    gone = requests.get(repo["rootFolderUrl"], params={"objectId": created, "cmisselector": "object"}, timeout=30)
    assert gone.status_code == 404 and gone.json()["exception"] == "objectNotFound"


# --- the repository -------------------------------------------------------------------------------

def test_cases_are_folders_under_sager_found_by_path(repo: dict) -> None:
    case = _open_case(repo)
    by_path = requests.get(f"{repo['rootFolderUrl']}/Sager/{case['cmis:name']}",
                           params={"cmisselector": "object", "succinct": "true"}, timeout=30).json()["succinctProperties"]
    assert by_path["cmis:objectId"] == case["cmis:objectId"]
    assert by_path["cmis:path"] == f"/Sager/{case['cmis:name']}"
    assert by_path["esdh:sagsnummer"] == case["cmis:name"]
    assert re.fullmatch(r"\d\d\.\d\d\.\d\d", by_path["esdh:kle"])
    sager = requests.get(f"{repo['rootFolderUrl']}/Sager", params={"cmisselector": "object", "succinct": "true"},
                         timeout=30).json()["succinctProperties"]
    assert by_path["cmis:parentId"] == sager["cmis:objectId"]


def test_a_name_is_unique_in_its_folder_ignoring_case(cmis: ReferenceService, repo: dict) -> None:
    case = _open_case(repo, 3)
    assert _create(repo, case["cmis:objectId"], "Notat (1).txt").status_code == 201
    again = _create(repo, case["cmis:objectId"], "notat (1).TXT")
    assert again.status_code == 409 and again.json()["exception"] == "nameConstraintViolation"
    cmis_simulator(cmis).duplicate_exception = "contentAlreadyExists"  # as Alfresco answers
    try:
        alfresco = _create(repo, case["cmis:objectId"], "Notat (1).txt")
    finally:
        cmis_simulator(cmis).duplicate_exception = "nameConstraintViolation"
    assert alfresco.status_code == 409 and alfresco.json()["exception"] == "contentAlreadyExists"
    bad = _create(repo, case["cmis:objectId"], "a/b.txt")
    assert bad.status_code == 409 and bad.json()["exception"] == "nameConstraintViolation"


def test_create_document_checks_what_it_is_given(repo: dict) -> None:
    case = _open_case(repo, 4)
    folder = case["cmis:objectId"]
    base = {"cmisaction": "createDocument", "propertyId[0]": "cmis:name", "propertyValue[0]": "x.txt",
            "propertyId[1]": "cmis:objectTypeId", "propertyValue[1]": "cmis:document"}
    major = requests.post(repo["rootFolderUrl"], params={"objectId": folder}, data={**base, "versioningState": "major"},
                          files={"content": ("x.txt", b"x")}, timeout=30)
    assert major.status_code == 409 and major.json()["exception"] == "constraint"
    unknown = requests.post(repo["rootFolderUrl"], params={"objectId": folder},
                            data={**base, "versioningState": "none", "propertyId[2]": "esdh:hemmelig",
                                  "propertyValue[2]": "x"}, files={"content": ("x.txt", b"x")}, timeout=30)
    assert unknown.status_code == 409 and unknown.json()["exception"] == "constraint"
    typeless = requests.post(repo["rootFolderUrl"], params={"objectId": folder},
                             data={"cmisaction": "createDocument", "propertyId[0]": "cmis:name",
                                   "propertyValue[0]": "y.txt", "versioningState": "none"}, timeout=30)
    assert typeless.status_code == 400 and typeless.json()["exception"] == "invalidArgument"
    closed = _query(repo, "SELECT * FROM esdh:sag WHERE esdh:status = 'Afsluttet'", succinct="true").json()["results"][0]
    refused = _create(repo, closed["succinctProperties"]["cmis:objectId"], "z.txt")
    assert refused.status_code == 409 and refused.json()["exception"] == "constraint"


def test_append_content_grows_the_stream(cmis: ReferenceService, repo: dict) -> None:
    case = _open_case(repo, 5)
    created = _create(repo, case["cmis:objectId"], "stor.bin", b"A" * 1000).json()["properties"]["cmis:objectId"]["value"]
    for last, block in ((False, b"B" * 1000), (True, b"C" * 10)):
        answer = requests.post(repo["rootFolderUrl"], params={"objectId": created},
                               data={"cmisaction": "appendContent", "isLastChunk": str(last).lower()},
                               files={"content": ("stor.bin", block)}, timeout=30)
        assert answer.status_code == 200
    assert answer.json()["properties"]["cmis:contentStreamLength"]["value"] == 2010
    content = requests.get(repo["rootFolderUrl"], params={"objectId": created, "cmisselector": "content"}, timeout=30)
    assert content.content == b"A" * 1000 + b"B" * 1000 + b"C" * 10
    cmis_simulator(cmis).append_supported = False
    try:
        info = requests.get(cmis.url + BROWSER, timeout=30).json()["caseclient"]
        refused = requests.post(repo["rootFolderUrl"], params={"objectId": created},
                                data={"cmisaction": "appendContent"}, files={"content": ("x", b"x")}, timeout=30)
    finally:
        cmis_simulator(cmis).append_supported = True
    assert info["capabilities"]["capabilityContentStreamUpdatability"] != "anytime"
    assert refused.status_code == 405 and refused.json()["exception"] == "notSupported"


def test_the_query_language(repo: dict) -> None:
    everything = _query(repo, "SELECT * FROM esdh:sag ORDER BY cmis:name", succinct="true", maxItems="1000").json()
    rows = [r["succinctProperties"] for r in everything["results"]]
    assert everything["numItems"] == DEMO and [r["cmis:name"] for r in rows] == sorted(r["cmis:name"] for r in rows)
    prefix = rows[5]["cmis:name"][:8]
    like = _query(repo, f"SELECT cmis:objectId, cmis:name FROM esdh:sag WHERE cmis:name LIKE '{prefix}%'",
                  succinct="true").json()["results"]
    assert like and all(set(r["succinctProperties"]) == {"cmis:objectId", "cmis:name"} for r in like)
    assert all(r["succinctProperties"]["cmis:name"].startswith(prefix) for r in like)
    with_party = next(r for r in rows if r["esdh:parter"])
    party = with_party["esdh:parter"][0]
    by_party = _query(repo, f"SELECT * FROM esdh:sag WHERE '{party}' = ANY esdh:parter", succinct="true").json()
    assert with_party["cmis:objectId"] in [r["succinctProperties"]["cmis:objectId"] for r in by_party["results"]]
    quoted = _query(repo, r"SELECT * FROM esdh:sag WHERE esdh:titel = 'Sørens \'sag\''").json()
    assert quoted["numItems"] == 0
    page = _query(repo, "SELECT * FROM esdh:sag ORDER BY cmis:name DESC", maxItems="5", skipCount="5",
                  succinct="true").json()
    assert page["hasMoreItems"] and [r["succinctProperties"]["cmis:name"] for r in page["results"]] == \
        sorted((r["cmis:name"] for r in rows), reverse=True)[5:10]
    base = _query(repo, "SELECT * FROM cmis:folder WHERE cmis:name = 'Sager'", succinct="true").json()["results"]
    assert len(base) == 1 and not any(k.startswith("esdh:") for k in base[0]["succinctProperties"])
    broken = _query(repo, "SELECT * FROM esdh:sag WHERE esdh:titel ==")
    assert broken.status_code == 400 and broken.json()["exception"] == "invalidArgument"
    unknown = _query(repo, "SELECT * FROM esdh:ukendt")
    assert unknown.status_code == 400 and unknown.json()["exception"] == "invalidArgument"


def test_errors_are_cmis_exceptions(repo: dict) -> None:
    missing = requests.get(repo["rootFolderUrl"], params={"objectId": "00000000-0000-0000-0000-000000000000",
                                                         "cmisselector": "object"}, timeout=30)
    assert missing.status_code == 404 and missing.json() == {"exception": "objectNotFound", "message": "Unknown object id!"}
    for status, exception in ((400, "invalidArgument"), (403, "permissionDenied"), (404, "objectNotFound"),
                              (409, "constraint"), (500, "runtime")):
        body, content_type = error_page(status)
        assert content_type.startswith("application/json") and json.loads(body)["exception"] == exception
    assert error_page(502)[1].startswith("text/html")


def test_injected_faults_speak_cmis(cmis: ReferenceService, repo: dict) -> None:
    cmis.faults = FaultConfig(status=409, status_rate=1.0)
    try:
        answer = requests.get(cmis.url + BROWSER, timeout=30)
    finally:
        cmis.faults = FaultConfig()
    assert answer.status_code == 409 and answer.json()["exception"] == "constraint"


def test_basic_sign_in(cmis: ReferenceService, repo: dict) -> None:
    target = _open_case(repo, 6)["cmis:objectId"]
    sign_in = cmis_simulator(cmis).sign_in
    sign_in.enable(users={"abj": "hemmeligt"})
    try:
        refused = requests.get(cmis.url + BROWSER, timeout=30)
        wrong = requests.get(cmis.url + BROWSER, auth=("abj", "forkert"), timeout=30)
        right = requests.get(cmis.url + BROWSER, auth=("abj", "hemmeligt"), timeout=30)
        created = requests.post(repo["rootFolderUrl"], params={"objectId": target}, auth=("abj", "hemmeligt"),
                                data={"cmisaction": "createDocument", "propertyId[0]": "cmis:name",
                                      "propertyValue[0]": "logget ind.txt", "propertyId[1]": "cmis:objectTypeId",
                                      "propertyValue[1]": "cmis:document", "versioningState": "none",
                                      "succinct": "true"},
                                files={"content": ("x.txt", b"x")}, timeout=30)
    finally:
        sign_in.disable()
    assert refused.status_code == wrong.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Basic")
    assert refused.json()["exception"] == "unauthorized"
    assert right.status_code == 200
    assert created.status_code == 201
    assert created.json()["succinctProperties"]["cmis:createdBy"] == "abj"


def test_a_copy_of_the_data_hands_out_the_same_object_ids(tmp_path: Path) -> None:
    import shutil

    first = ReferenceService(tmp_path / "a", dialect="cmis")
    first.seed_demo(5, seed=4)
    with first:
        requests.get(first.url + BROWSER, timeout=30)  # the installation's ids are made
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    ids = []
    for folder in ("a", "b"):
        with ReferenceService(tmp_path / folder, dialect="cmis") as service:
            (info,) = requests.get(service.url + BROWSER, timeout=30).json().values()
            case = _open_case(info)
            made = _create(info, case["cmis:objectId"], "kopi.txt").json()["properties"]["cmis:objectId"]["value"]
            requests.post(info["rootFolderUrl"], params={"objectId": made}, data={"cmisaction": "delete"}, timeout=30)
            again = _create(info, case["cmis:objectId"], "kopi.txt").json()["properties"]["cmis:objectId"]["value"]
            assert again != made
            ids.append((made, again))
    assert ids[0] == ids[1]
