"""The Acadre PWS simulator speaks the real contract (read from ../shared/reference/acadre-pws-v7):
its WSDL at `?wsdl` with the service's own address, envelopes as the WSDL's types say, SOAP faults
naming ErrorListEnum, no idempotency, base64 content streamed (line breaks allowed)."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import requests
from lxml import etree

from caseclient.server import FaultConfig, ReferenceService
from caseclient.server.acadre import EXTENSION, ContractMissing, Simulator
from caseclient.server.acadre import contract
from caseclient.server.acadre.errors import error_page

try:
    contract.folder()
except ContractMissing:
    pytestmark = pytest.mark.skip(reason="the Acadre PWS contract (../shared/reference/acadre-pws-v7) is absent")

ASMX = "Acadre.CM.PublicServices/SoapAuth/AcadreServiceV7.asmx"
SOAP = "{http://schemas.xmlsoap.org/soap/envelope/}"
ACTION = "http://www.traen.com/2010/06/01/schema/"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    svc = ReferenceService(tmp_path_factory.mktemp("acadre") / "svc", dialect="acadre")
    svc.seed_demo(40, seed=3)
    svc.start()
    try:
        yield svc
    finally:
        svc.stop()


def sim(service: ReferenceService) -> Simulator:
    return service.app.extensions[EXTENSION]


def asmx(service: ReferenceService) -> str:
    return service.url.rstrip("/") + "/" + ASMX


def call(service: ReferenceService, operation: str, body: str | bytes, *, header: str = "") -> requests.Response:
    envelope = (f'<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
                f"<soap:Header>{header}</soap:Header><soap:Body>").encode() + \
               (body.encode() if isinstance(body, str) else body) + b"</soap:Body></soap:Envelope>"
    return requests.post(asmx(service), data=envelope, timeout=30,
                         headers={"SOAPAction": f'"{ACTION}{operation}"', "Content-Type": "text/xml; charset=utf-8"})


def xml(response: requests.Response) -> etree._Element:
    return etree.fromstring(response.content)


def fault_code(response: requests.Response) -> str | None:
    assert response.status_code == 500 and response.headers["Content-Type"].startswith("text/xml")
    found = xml(response).find(f"{SOAP}Body/{SOAP}Fault/detail")
    codes = [e.text for e in found.iter() if etree.QName(e).localname == "ErrorCode"] if found is not None else []
    return codes[0] if codes else None


def texts(root: etree._Element, name: str) -> list[str]:
    return [e.text or "" for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == name]


def an_open_case(service: ReferenceService, n: int = 0):
    cases = [c for c in sim(service).cases.search(include_closed=True, limit=100) if not c.closed]
    return cases[n]


def reference(service: ReferenceService, case) -> int:
    return sim(service).case_offset + case.row_id


def create_body(case_reference: int, content: bytes, *, link_date: bool = True, key: str = "k",
                wrap: bool = False) -> bytes:
    """A CreateMainDocumentRequest as zeep writes it from the contract, with `content` in XMLBinary."""
    today = date.today()
    message = contract.operations()["CreateMainDocument"].input.serialize(
        Document={"DocumentTitleText": "Høringssvar", "DocumentPaperStorageIndicator": False},
        DocumentLink={"LinkDate": today},
        Record={"CaseFileReference": case_reference, "RegistrationDate": today, "DocumentDate": date(2026, 12, 1),
                "DocumentDateUnknownIndicator": False, "RecordPaperStorageIndicator": False,
                "DocumentTypeCode": "I",
                "CustomFieldCollection": {"CustomFields": [{"Name": "CaseclientKey", "Value": key}]}},
        FileName="svar.pdf", XMLBinary=b"MARKER")
    body = message.content.find(f"{SOAP}Body")[0]
    if not link_date:  # zeep writes only what the contract allows: the required date is taken out after
        for element in list(body.iter()):
            if isinstance(element.tag, str) and etree.QName(element).localname == "LinkDate":
                element.getparent().remove(element)
    encoded = base64.b64encode(content)
    if wrap:  # base64 in 76-character lines, as some SOAP stacks write it
        encoded = b"\r\n".join(encoded[i:i + 76] for i in range(0, len(encoded), 76))
    return etree.tostring(body).replace(base64.b64encode(b"MARKER"), encoded)


def test_the_wsdl_is_the_real_contract_with_this_services_address(service: ReferenceService) -> None:
    root = requests.get(asmx(service) + "?wsdl", timeout=30)
    assert root.status_code == 200 and root.headers["Content-Type"].startswith("text/xml")
    assert "esdhtest2" not in root.text
    assert f'location="{asmx(service)}"' in root.text
    for link in re.findall(r'location="([^"]+\?wsdl=wsdl\d)"', root.text):
        part = requests.get(link, timeout=30)
        assert part.status_code == 200 and "CreateMainDocument" in part.text or "ContactService7" in part.text
    schema = requests.get(asmx(service) + "?schema=schema9", timeout=30)
    assert "ErrorListEnum" in schema.text
    assert requests.get(asmx(service) + "?schema=schema99", timeout=30).status_code == 404


def test_without_the_contract_the_simulator_refuses_in_one_sentence(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(contract.ENV, str(tmp_path / "nowhere"))
    with pytest.raises(ContractMissing) as raised:
        ReferenceService(tmp_path / "svc", dialect="acadre")
    assert "\n" not in str(raised.value) and str(raised.value).endswith(".")


def test_a_case_is_found_by_year_and_sequence_number_and_has_an_internal_id_apart(service: ReferenceService) -> None:
    case = an_open_case(service)
    year = int(case.opened[:4])
    answer = call(service, "GetCaseByCaseNumber",
                  f'<GetCaseByCaseNumber xmlns="http://www.traen.com/2010/06/01"><CaseYear>{year}</CaseYear>'
                  f"<CaseSequenceNumber>{case.row_id}</CaseSequenceNumber></GetCaseByCaseNumber>")
    assert answer.status_code == 200
    root = xml(answer)
    assert texts(root, "CaseFileNumberIdentifier") == [f"{year % 100:02d}/{case.row_id}"]
    assert texts(root, "CaseFileIdentifier") == [str(reference(service, case))]
    assert texts(root, "CaseFileIdentifier") != [str(case.row_id)]
    missing = call(service, "GetCaseByCaseNumber",
                   f'<GetCaseByCaseNumber xmlns="http://www.traen.com/2010/06/01"><CaseYear>{year - 1}</CaseYear>'
                   f"<CaseSequenceNumber>{case.row_id}</CaseSequenceNumber></GetCaseByCaseNumber>")
    assert fault_code(missing) == "Acadre.CM.Model.CaseNotFoundException"


def test_an_unknown_soap_action_is_a_client_fault(service: ReferenceService) -> None:
    answer = requests.post(asmx(service), data=b"<x/>", timeout=30,
                           headers={"SOAPAction": '"urn:nothing"', "Content-Type": "text/xml; charset=utf-8"})
    assert answer.status_code == 500
    assert xml(answer).findtext(f"{SOAP}Body/{SOAP}Fault/faultcode") == "soap:Client"


def test_create_main_document_answers_only_the_identifier_and_files_twice_when_sent_twice(
        service: ReferenceService) -> None:
    case = an_open_case(service, 1)
    before = len(sim(service).cases.documents(case.uuid))
    ids = []
    for _ in range(2):
        answer = call(service, "CreateMainDocument", create_body(reference(service, case), b"%PDF-1.4 svar", wrap=True))
        assert answer.status_code == 200, answer.text
        body = xml(answer).find(f"{SOAP}Body")
        assert [etree.QName(e).localname for e in body] == ["DocumentIdentifier"]
        ids.append(int(body[0].text))
    assert ids[0] != ids[1]  # no idempotency: the same request twice is two documents
    documents = sim(service).cases.documents(case.uuid)
    assert len(documents) == before + 2
    assert {sim(service).cases.content_path(d).read_bytes() for d in documents[-2:]} == {b"%PDF-1.4 svar"}
    listed = call(service, "GetAllDocuments",
                  f'<CaseFileIdentifier xmlns="http://www.traen.com/2007/09/06/schema">{reference(service, case)}'
                  "</CaseFileIdentifier>")
    assert set(map(str, ids)) <= set(texts(xml(listed), "DocumentIdentifier"))
    assert texts(xml(listed), "Value").count("k") == 2
    url = next(u for u in texts(xml(listed), "VersionURL") if u.endswith(f"/{ids[0]}/Download"))
    assert requests.get(url, timeout=30).content == b"%PDF-1.4 svar"


def test_the_required_fields_are_required(service: ReferenceService) -> None:
    case = an_open_case(service, 2)
    answer = call(service, "CreateMainDocument", create_body(reference(service, case), b"x", link_date=False))
    code = fault_code(answer)
    assert code == "System.ArgumentNullException" and "LinkDate" in answer.text
    kind = call(service, "GetErrorType", f'<ErrorCode xmlns="http://www.traen.com/2008/01/20">{code}</ErrorCode>')
    assert texts(xml(kind), "ErrorType") == ["System_ArgumentNullException"]


def test_a_closed_case_and_an_unknown_case_are_refused_with_their_error_kinds(service: ReferenceService) -> None:
    closed = next(c for c in sim(service).cases.search(include_closed=True, limit=100) if c.closed)
    answer = call(service, "CreateMainDocument", create_body(reference(service, closed), b"x"))
    assert fault_code(answer) == "Acadre.CM.Framework.Security.CaseClosedException"
    answer = call(service, "CreateMainDocument", create_body(1, b"x"))
    assert fault_code(answer) == "Acadre.CM.Model.CaseNotFoundException"


def test_an_unknown_acting_user_is_refused(service: ReferenceService) -> None:
    case = an_open_case(service, 3)
    header = '<SoapHeader xmlns="http://traen.com/Services/AcadreService"><User>nobody</User></SoapHeader>'
    answer = call(service, "CreateMainDocument", create_body(reference(service, case), b"x"), header=header)
    assert fault_code(answer) == "Acadre.CM.Framework.Security.Authentication.AuthenticationException"
    good = header.replace("nobody", "abj")
    assert call(service, "CreateMainDocument", create_body(reference(service, case), b"x"), header=good).status_code == 200
    assert sim(service).received[-1]["fields"]["User"] == "abj"


def test_base64_that_is_not_base64_is_a_client_fault(service: ReferenceService) -> None:
    case = an_open_case(service, 4)
    body = create_body(reference(service, case), b"abc").replace(base64.b64encode(b"abc"), b"Y*J$")
    answer = call(service, "CreateMainDocument", body)
    assert xml(answer).findtext(f"{SOAP}Body/{SOAP}Fault/faultcode") == "soap:Client"


def test_a_big_file_is_decoded_into_the_store_as_it_arrives(service: ReferenceService, tmp_path: Path) -> None:
    case = an_open_case(service, 5)
    content = bytes(range(256)) * (12 * 4096 + 7)  # ~12 MiB, not a multiple of 3
    answer = call(service, "CreateMainDocument", create_body(reference(service, case), content))
    assert answer.status_code == 200
    stored = sim(service).cases.documents(case.uuid)[-1]
    assert sim(service).cases.content_path(stored).read_bytes() == content


def test_injected_errors_look_like_iis_and_asmx(service: ReferenceService) -> None:
    body, content_type = error_page(500)
    assert content_type.startswith("text/xml") and b"soap:Fault" in body and b"ErrorCode" not in body
    body, content_type = error_page(401)
    assert content_type.startswith("text/html") and b"401" in body
    service.faults = FaultConfig(status=409, status_rate=1.0)
    try:
        answer = call(service, "GetUserList", '<GetUserListEmptyRequest xmlns="http://www.traen.com/2008/01/20"/>')
    finally:
        service.faults = FaultConfig()
    assert answer.status_code == 409 and answer.headers["Content-Type"].startswith("text/html")
