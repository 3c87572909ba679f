"""The GetOrganized simulator's wire facts (shared docs/backends.md 0b and 1), spoken to with
plain requests: what GO's clients send and what they must cope with."""

from __future__ import annotations

import base64
import io
import json
import re
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import spnego

from caseclient.server import ReferenceService
from caseclient.server.getorganized import EXTENSION, KeepAliveListener, Simulator, error_page
from caseclient.server.getorganized import jsonbody

PASSWORD = "Vinter-2026-ø"
ROW = '<z:row xmlns:z="#RowsetSchema" {}/>'


def _service(folder: Path) -> ReferenceService:
    service = ReferenceService(folder, dialect="getorganized")
    service.seed_demo(40, seed=3)
    return service


@pytest.fixture(scope="module")
def go(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    service = _service(tmp_path_factory.mktemp("go") / "svc")
    service.start()
    try:
        yield service
    finally:
        service.stop()


def sim(service: ReferenceService) -> Simulator:
    return service.app.extensions[EXTENSION]


def _post(service: ReferenceService, path: str, body: object) -> requests.Response:
    return requests.post(f"{service.url}/_goapi/{path}", json=body, timeout=30)


def _find_cases(service: ReferenceService, pattern: str, start: int = 0, count: int = 30) -> tuple[str, list[str]]:
    answer = _post(service, "Cases/FindCases", {"CaseIdFilter": pattern, "IncludeRegularCases": True,
                                                  "IncludeOrphanedCases": False, "StartItemIndex": start,
                                                  "ItemCount": count, "CustomProperties": ""})
    assert answer.status_code == 200
    xml = answer.json()["ResultsXml"]
    status = re.match(r'<Cases><ServiceStatus Status="(\w+)"', xml)
    assert status, xml
    return status.group(1), re.findall(r'CaseID="([^"]+)"', xml)


def _metadata(service: ReferenceService, case_id: str) -> dict[str, str]:
    answer = requests.get(f"{service.url}/_goapi/Cases/Metadata/{case_id}", timeout=30)
    assert answer.status_code == 200, answer.text
    return dict(re.findall(r'(ows_\w+)="([^"]*)"', answer.json()["Metadata"]))


def _first_case(service: ReferenceService, n: int = 0) -> tuple[str, dict[str, str]]:
    case_id = _find_cases(service, "EMN-*")[1][n]
    return case_id, _metadata(service, case_id)


def _add(service: ReferenceService, case_id: str, name: str, data: bytes, *, overwrite: bool = False,
         endpoint: str = "AddToDocumentLibrary", member: str = "bytes", encoding: str = "int",
         metadata: str = "") -> requests.Response:
    file_value = list(data) if encoding == "int" else base64.b64encode(data).decode()
    return _post(service, f"Documents/{endpoint}", {
        member: file_value, "CaseId": case_id, "ListName": "Dokumenter", "FolderPath": "", "FileName": name,
        "Metadata": ROW.format(metadata), "Overwrite": overwrite})


def _bytes(service: ReferenceService, doc_id: int) -> requests.Response:
    return requests.get(f"{service.url}/_goapi/Documents/DocumentBytes/{doc_id}", timeout=30)


# --- cases -----------------------------------------------------------------------------------

def test_find_cases_answers_xml_inside_json_with_its_service_status(go):
    status, ids = _find_cases(go, "EMN-*", count=5)
    assert status == "Success" and len(ids) == 5
    assert all(re.fullmatch(r"EMN-\d{4}-\d{6}", i) for i in ids)
    assert _find_cases(go, "EMN-*", start=3, count=2)[1] == ids[3:5]
    assert _find_cases(go, ids[0][:8] + "*")[1][0] == ids[0]
    assert _find_cases(go, "")[0] != "Success"  # a failure is a 200 with another status
    assert _find_cases(go, "BOR-*") == ("Success", [])


def test_find_by_case_properties_answers_deleted_cases_as_rows_that_do_not_exist(tmp_path):
    service = _service(tmp_path / "svc")
    with service:
        case_id, fields = _first_case(service, 2)
        word = max(re.findall(r"\w+", fields["ows_Title"]), key=len)
        store = sim(service).cases
        row = int(case_id.rsplit("-", 1)[1])
        assert store.delete_case(store.case_by_row(row).uuid)
        answer = _post(service, "Cases/FindByCaseProperties", {
            "FieldProperties": [{"InternalName": "ows_Title", "Value": word, "ComparisonType": "Contains"}],
            "CaseTypePrefixes": ["EMN"], "LogicalOperator": "AND", "ExcludeDeletedCases": True,
            "ReturnCasesNumber": 25}).json()["CasesInfo"]
        gone = [r for r in answer if r["CaseID"] == case_id]
        assert gone and gone[0]["ItemExists"] is False
        assert all(r["ItemExists"] for r in answer if r["CaseID"] != case_id)
        assert requests.get(f"{service.url}/_goapi/Cases/Metadata/{case_id}").status_code == 404


def test_find_by_case_properties_compares_lookup_labels_contact_cpr_and_status(go):
    case_id, fields = _first_case(go, 1)
    owner = fields["ows_CaseOwner"].split(";#")[1]

    def find(*conditions, number=100):
        body = {"FieldProperties": [{"InternalName": n, "Value": v, "ComparisonType": c} for n, v, c in conditions],
                "LogicalOperator": "AND", "ReturnCasesNumber": str(number), "ExcludeDeletedCases": "True"}
        return [r["CaseID"] for r in _post(go, "Cases/FindByCaseProperties", body).json()["CasesInfo"]]

    mine = find(("ows_CaseOwner", owner, "Equal"))
    assert case_id in mine
    assert all(_metadata(go, c)["ows_CaseOwner"].endswith(";#" + owner) for c in mine)
    kle = fields["ows_KLENummer"].split(";#")[1][:5]
    assert case_id in find(("ows_KLENummer", kle, "Contains"))
    assert case_id in find(("ows_CaseID", case_id, "Equal"))
    with_cpr = next(c for c in _find_cases(go, "EMN-*", count=40)[1] if _metadata(go, c).get("ows_CCMContactData_CPR"))
    cpr = _metadata(go, with_cpr)["ows_CCMContactData_CPR"]
    assert with_cpr in find(("ows_CCMContactData_CPR", cpr, "Equal"))
    assert find(("ows_CaseOwner", owner, "Equal"), number=1) == mine[:1]  # ReturnCasesNumber caps
    closed = [c for c in find(("ows_CaseOwner", owner, "Equal"), ("ows_CaseStatus", "Åben", "Equal"))]
    assert all(_metadata(go, c)["ows_CaseStatus"] == "Åben" for c in closed)


def test_lookup_ids_differ_between_installations_and_stay_in_one(tmp_path):
    first, second = _service(tmp_path / "a"), _service(tmp_path / "b")
    with first, second:
        case_id, one = _first_case(first)
        _, other = _first_case(second)
        assert one["ows_CaseID"] == other["ows_CaseID"] == case_id  # the same demo case
        for name in ("ows_KLENummer", "ows_CaseOwner"):
            assert one[name].split(";#")[1] == other[name].split(";#")[1]  # same label
            assert one[name].split(";#")[0] != other[name].split(";#")[0]  # the installation's own id
        assert _metadata(first, case_id) == one  # drawn once, kept
    again = _service(tmp_path / "a")
    with again:
        assert _metadata(again, case_id)["ows_KLENummer"] == one["ows_KLENummer"]


def test_case_metadata_takes_a_sub_case_id_as_its_base(go):
    case_id, fields = _first_case(go)
    assert fields["ows_CaseUrl"] == f"cases/EMN1/{case_id}"
    assert _metadata(go, case_id + "-001")["ows_CaseID"] == case_id
    assert requests.get(f"{go.url}/_goapi/Cases/Metadata/{case_id}/False").status_code == 200
    assert requests.get(f"{go.url}/_goapi/Cases/Metadata/EMN-1999-000001").status_code == 404


def test_modern_search_answers_lower_case_keys(go):
    case_id, fields = _first_case(go)
    word = max(re.findall(r"\w+", fields["ows_Title"]), key=len)
    answer = _post(go, "search/ExecuteModernSearch", {"QueryPageIndex": 1, "PageSize": 0, "QueryPhrase": word,
                                                      "QueryType": "Cases", "AdditionalSelectColumns": ["CCMCaseOwner"]}).json()
    rows = answer["results"]["Results"]
    assert answer["totalRows"] >= 1 and case_id in [r["caseid"] for r in rows]
    assert {"title", "created", "caseid", "caseurl", "ccmcaseowner"} <= set(rows[0])


def test_get_root_answers_400_as_os2forms_expects_of_a_live_api(go):
    assert requests.get(go.url + "/").status_code == 400


# --- filing inside JSON --------------------------------------------------------------------------

def test_overwrite_false_refuses_a_second_file_of_the_name_and_true_replaces_it_silently(go):
    case_id, _ = _first_case(go, 3)
    name = f"brev {uuid.uuid4().hex[:6]}.txt"
    first = _add(go, case_id, name, b"first", metadata='ows_Title="Brev"')
    assert first.status_code == 200 and set(first.json()) == {"DocId"}
    doc_id = first.json()["DocId"]
    refused = _add(go, case_id, name.upper(), b"second")  # SharePoint names ignore case
    assert refused.status_code == 500
    assert refused.json()["ExceptionType"] == "Microsoft.SharePoint.SPException"
    assert "already exists" in refused.json()["ExceptionMessage"]
    assert _bytes(go, doc_id).content == b"first"
    replaced = _add(go, case_id, name, b"second", overwrite=True)
    assert replaced.json() == {"DocId": doc_id}  # the same list item, a new file
    assert _bytes(go, doc_id).content == b"second"


def test_both_byte_encodings_both_member_casings_and_sanitised_names(go):
    case_id, fields = _first_case(go, 4)
    data = bytes(range(256)) * 4
    plain = _add(go, case_id, f'a<b>:c"d|e?f*g {uuid.uuid4().hex[:6]}.bin', data).json()["DocId"]
    as_base64 = _add(go, case_id, f"b64 {uuid.uuid4().hex[:6]}.bin", data, endpoint="AddToCase", member="Bytes",
                     encoding="base64").json()["DocId"]
    assert _bytes(go, plain).content == data == _bytes(go, as_base64).content
    system = requests.get(f"{go.url}/_goapi/Documents/MetadataWithSystemFields/{plain}").json()["Metadata"]
    assert re.search(r'ows_FileLeafRef="\d+;#a_b__c_d_e_f_g [0-9a-f]{6}\.bin"', system)
    assert _add(go, case_id, "x.bin", b"", encoding="int").status_code == 200  # an empty file
    bad = _post(go, "Documents/AddToDocumentLibrary", {"bytes": [1, 2, 300], "CaseId": case_id, "FileName": "y.bin"})
    assert bad.status_code == 400
    assert _post(go, "Documents/AddToDocumentLibrary", {"bytes": [1], "CaseId": "EMN-1999-000001",
                                                        "FileName": "z.bin"}).status_code == 404


def test_the_json_body_is_read_in_blocks_whatever_splits_where(monkeypatch):
    monkeypatch.setattr(jsonbody, "BLOCK", 5)
    data = bytes(range(256))
    for file_value in (json.dumps(list(data)), '"' + base64.b64encode(data).decode().replace("/", "\\/") + '"'):
        body = ('{"CaseId": "EMN-2020-000001", "Metadata": "<z:row ows_Title=\\"Æble\\"/>", "bytes": '
                + file_value + ', "Overwrite": false}').encode()
        sink = io.BytesIO()
        members, member, size = jsonbody.read_upload(io.BytesIO(body), len(body), ("bytes",), sink)
        assert (member, size, sink.getvalue()) == ("bytes", 256, data)
        assert members == {"CaseId": "EMN-2020-000001", "Metadata": '<z:row ows_Title="Æble"/>', "Overwrite": False}


def test_a_request_above_the_limit_is_refused_as_too_big(go):
    case_id, _ = _first_case(go)
    simulator = sim(go)
    simulator.request_limit = 1000
    try:
        refused = _add(go, case_id, "stor.bin", b"x" * 2000)
    finally:
        simulator.request_limit = 262_144_000
    assert refused.status_code == 413 and "too big" in refused.json()["Message"]


def test_document_metadata_reads_the_date_month_first(go):
    case_id, _ = _first_case(go, 5)
    doc_id = _add(go, case_id, f"dato {uuid.uuid4().hex[:6]}.txt", b"x").json()["DocId"]

    def set_date(value: str) -> requests.Response:
        return requests.post(f"{go.url}/_goapi/Documents/Metadata",
                             data={"DocId": doc_id, "MetadataXml": ROW.format(f'ows_Dato="{value}" ows_Title="Dato"')})

    def read_date() -> str:
        row = requests.get(f"{go.url}/_goapi/Documents/Metadata/{doc_id}").json()["Metadata"]
        return re.search(r'ows_Dato="([^"]*)"', row).group(1)

    assert set_date("03-18-2022").status_code < 300 and read_date() == "2022-03-18 00:00:00"
    assert set_date("05-06-2022").status_code < 300 and read_date() == "2022-05-06 00:00:00"  # May 6th
    refused = set_date("18-03-2022")  # day first: no 18th month
    assert refused.status_code == 500 and refused.json()["ExceptionType"] == "System.FormatException"
    assert read_date() == "2022-05-06 00:00:00"


def test_document_bytes_answers_a_big_file_with_200_and_iis_503_page(go):
    case_id, _ = _first_case(go, 6)
    data = b"0123456789" * 300
    doc_id = _add(go, case_id, f"stor {uuid.uuid4().hex[:6]}.bin", data).json()["DocId"]
    simulator = sim(go)
    simulator.document_bytes_limit = 1000
    try:
        quirk = _bytes(go, doc_id)
    finally:
        simulator.document_bytes_limit = 10 * 1024 * 1024
    assert quirk.status_code == 200 and "text/html" in quirk.headers["Content-Type"]
    assert b"HTTP Error 503. The service is unavailable." in quirk.content
    system = requests.get(f"{go.url}/_goapi/Documents/MetadataWithSystemFields/{doc_id}").json()["Metadata"]
    address = re.search(r'ows_EncodedAbsUrl="([^"]+)"', system).group(1)
    assert address.startswith(go.url + "/cases/")
    assert requests.get(address).content == data


# --- SharePoint's side ---------------------------------------------------------------------------

def _web(service: ReferenceService, case_id: str) -> str:
    return _metadata(service, case_id)["ows_CaseUrl"]


def _digest(service: ReferenceService, web: str) -> str:
    answer = requests.post(f"{service.url}/{web}/_api/contextinfo", headers={"Accept": "application/json;odata=verbose"})
    return answer.json()["d"]["GetContextWebInformation"]["FormDigestValue"]


def test_chunked_upload_through_sharepoint_and_the_indexing_delay(go):
    case_id, _ = _first_case(go, 7)
    web = _web(go, case_id)
    name = f"stor fil {uuid.uuid4().hex[:6]}.pdf"
    headers = {"X-RequestDigest": _digest(go, web), "Accept": "application/json"}
    folder = {"@p": f"'/{web}/Dokumenter'", "@f": f"'{name}'"}
    add = f"{go.url}/{web}/_api/web/GetFolderByServerRelativePath(DecodedUrl=@p)/Files/add(url=@f,overwrite=false)"
    assert requests.post(add, params=folder, headers={"Accept": "application/json"}).status_code == 403  # no digest
    simulator = sim(go)
    simulator.indexing_delay = 3600.0
    try:
        assert requests.post(add, params=folder, headers=headers).status_code == 200
    finally:
        simulator.indexing_delay = 0.3
    assert requests.post(add, params=folder, headers=headers).status_code == 400  # the name is taken
    upload_id = str(uuid.uuid4())
    target = {"@u": f"'/{web}/Dokumenter/{name}'"}
    file_api = f"{go.url}/{web}/_api/web/GetFileByServerRelativePath(DecodedUrl=@u)"

    def step(call: str, body: bytes) -> requests.Response:
        return requests.post(f"{file_api}/{call}", params=target, data=body,
                             headers={**headers, "Content-Type": "application/octet-stream"})

    assert step(f"startUpload(uploadId=guid'{upload_id}')", b"a" * 100).json()["value"] == "100"
    assert step(f"continueUpload(uploadId=guid'{upload_id}',fileOffset=100)", b"b" * 100).json()["value"] == "200"
    assert step(f"continueUpload(uploadId=guid'{upload_id}',fileOffset=100)", b"b" * 100).status_code == 400
    assert step(f"startUpload(uploadId=guid'{uuid.uuid4()}')", b"c").status_code == 423  # locked by the session
    finished = step(f"finishUpload(uploadId=guid'{upload_id}',fileOffset=200)", b"c" * 50)
    assert finished.status_code == 200 and finished.json()["Length"] == "250"
    item = requests.get(f"{file_api}/ListItemAllFields", params=target, headers=headers).json()
    assert item["DocID"] is None  # GO has not numbered it yet
    listing = requests.get(f"{go.url}/{web}/_api/web/GetFolderByServerRelativePath(DecodedUrl=@p)/Files",
                           params={"@p": f"'/{web}/Dokumenter'", "$expand": "ListItemAllFields"},
                           headers={"Accept": "application/json"}).json()["value"]
    assert [f["ListItemAllFields"]["DocID"] for f in listing if f["Name"] == name] == [None]
    rows = requests.post(f"{go.url}/{web}/_api/web/GetList(@listUrl)/RenderListDataAsStream",
                         params={"@listUrl": f"'/{web}/Dokumenter'"}, json={}).json()["Row"]
    assert [r["DocID"] for r in rows if r["FileLeafRef"] == name] == [""]
    document = next(d for d in simulator.cases.documents(simulator.cases.case_by_row(int(case_id[-6:])).uuid)
                    if d.file_name == name)
    simulator.cases.update_fields(document.uuid, "getorganized", {"indexed_at": 0})  # indexing done
    item = requests.get(f"{file_api}/ListItemAllFields", params=target, headers=headers).json()
    assert item["DocID"] == document.row_id
    assert _bytes(go, item["DocID"]).content == b"a" * 100 + b"b" * 100 + b"c" * 50


# --- errors and sign-in ----------------------------------------------------------------------------

def test_error_pages_speak_web_api_json_and_iis_html_with_something_personal_in_400_and_500():
    body, kind = error_page(400)
    assert kind.startswith("application/json") and re.search(r"\d{10}", json.loads(body)["Message"])
    body, kind = error_page(500)
    parsed = json.loads(body)
    assert parsed["Message"] == "An error has occurred." and re.search(r"\d{10}", parsed["ExceptionMessage"])
    body, kind = error_page(503)
    assert kind.startswith("text/html") and b"HTTP Error 503. The service is unavailable." in body


def _ntlm_leg(session: requests.Session, url: str, token: bytes) -> requests.Response:
    return session.get(url, headers={"Authorization": "NTLM " + base64.b64encode(token).decode()})


def test_ntlm_handshake_is_bound_to_its_connection(tmp_path):
    service = _service(tmp_path / "svc")
    accounts = sim(service).accounts
    accounts.add("KOMMUNE\\svc-caseclient", PASSWORD)
    accounts.methods = {"ntlm"}
    with KeepAliveListener(service.app) as listener:
        url = f"{listener.url}/_goapi/Cases/Metadata/{_find_cases_raw(listener.url)}"
        bare = requests.get(url)
        assert bare.status_code == 401 and "NTLM" in bare.headers["WWW-Authenticate"]

        # Type 1 -> challenge -> Type 3 on the same kept connection: signed in
        one = requests.Session()
        client = spnego.client("KOMMUNE\\svc-caseclient", PASSWORD, protocol="ntlm",
                               options=spnego.NegotiateOptions.use_ntlm)
        challenge = _ntlm_leg(one, url, client.step())
        assert challenge.status_code == 401 and challenge.headers["Connection"] == "keep-alive"
        token = base64.b64decode(challenge.headers["WWW-Authenticate"].split()[1])
        assert _ntlm_leg(one, url, client.step(token)).status_code == 200
        assert one.get(url).status_code == 200  # the connection stays signed in
        assert requests.get(url).status_code == 401  # another connection does not

        # the Type 3 on another connection than its challenge: refused
        client = spnego.client("KOMMUNE\\svc-caseclient", PASSWORD, protocol="ntlm",
                               options=spnego.NegotiateOptions.use_ntlm)
        token = base64.b64decode(_ntlm_leg(requests.Session(), url, client.step()).headers["WWW-Authenticate"].split()[1])
        assert _ntlm_leg(requests.Session(), url, client.step(token)).status_code == 401

        # a wrong password: refused
        client = spnego.client("KOMMUNE\\svc-caseclient", "not-" + PASSWORD, protocol="ntlm",
                               options=spnego.NegotiateOptions.use_ntlm)
        two = requests.Session()
        token = base64.b64decode(_ntlm_leg(two, url, client.step()).headers["WWW-Authenticate"].split()[1])
        assert _ntlm_leg(two, url, client.step(token)).status_code == 401
    assert ("accepted", "ntlm", "KOMMUNE\\svc-caseclient") in accounts.seen


def _find_cases_raw(url: str) -> str:
    answer = requests.post(f"{url}/_goapi/Cases/FindCases", json={"CaseIdFilter": "EMN-*", "ItemCount": 1})
    if answer.status_code == 401:
        return "EMN-2020-000001"
    return re.search(r'CaseID="([^"]+)"', answer.json()["ResultsXml"]).group(1)


def test_werkzeugs_own_server_closes_connections_so_ntlm_cannot_complete_there(tmp_path):
    service = _service(tmp_path / "svc")
    accounts = sim(service).accounts
    accounts.add("svc@kommune.dk", PASSWORD)
    accounts.methods = {"ntlm", "basic"}
    with service:
        url = f"{service.url}/_goapi/Cases/Metadata/EMN-2020-000001"
        session = requests.Session()
        client = spnego.client("svc@kommune.dk", PASSWORD, protocol="ntlm", options=spnego.NegotiateOptions.use_ntlm)
        challenge = _ntlm_leg(session, url, client.step())
        assert challenge.headers["Connection"] == "close"
        token = base64.b64decode(challenge.headers["WWW-Authenticate"].split()[1])
        assert _ntlm_leg(session, url, client.step(token)).status_code == 401
        assert requests.get(url, auth=(b"svc@kommune.dk", PASSWORD.encode())).status_code == 200  # basic: any connection
        assert requests.get(url, auth=("svc@kommune.dk", "x")).status_code == 401


def test_a_kept_connection_drops_a_small_unread_body_and_closes_on_a_big_one(tmp_path):
    service = _service(tmp_path / "svc")
    sim(service).accounts.add("svc", PASSWORD)
    sim(service).accounts.methods = {"basic"}
    with KeepAliveListener(service.app) as listener:
        host, port = listener.url.rsplit("//", 1)[1].split(":")
        with socket.create_connection((host, int(port))) as sock:
            body = b"x" * 1000
            sock.sendall(b"POST /_goapi/Cases/FindCases HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + body
                         + b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            seen = b""
            while seen.count(b"HTTP/1.1 ") < 2:
                seen += sock.recv(65536)
            assert seen.count(b"HTTP/1.1 401") == 2  # the unread body did not end up as a request


def test_the_ntlm_user_file_is_named_only_while_the_acceptor_reads_it(tmp_path, monkeypatch):
    """Left set, it would make a Negotiate client in the same process fall back to NTLM with the
    simulator's users; removed, it would fail a thread walking the environment (KeyError)."""
    import os

    from caseclient.server.getorganized.signin import _ntlm_users

    monkeypatch.delenv("NTLM_USER_FILE", raising=False)
    with _ntlm_users(tmp_path / "users"):
        assert os.environ["NTLM_USER_FILE"] == str(tmp_path / "users")
    assert os.environ["NTLM_USER_FILE"] == ""  # still there, and read as unset by pyspnego
    monkeypatch.setenv("NTLM_USER_FILE", "/etc/other-users")
    with _ntlm_users(tmp_path / "users"):
        pass
    assert os.environ["NTLM_USER_FILE"] == "/etc/other-users"
