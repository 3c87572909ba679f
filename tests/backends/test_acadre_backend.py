"""The acadre backend against the PWS simulator: zeep from the service's own WSDL, cases by the ids
Acadre keeps apart from their numbers, CreateMainDocument with every required field and the file's
base64 streamed, search before create by the key's custom field, faults mapped by ErrorListEnum,
the acting user in the SOAP header, NTLM sign-in."""

from __future__ import annotations

import io
import os
import tracemalloc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import requests
from memory_keyring import memory_keyring  # noqa: F401  (fixture)

from caseclient.backends.acadre import KEY_FIELD, AcadreService
from caseclient.backends.protocol import CaseQuery, MemoryResumeState
from caseclient.config import SettingsFiles, load_settings
from caseclient.credentials import CredentialStore, SecretKind
from caseclient.domain import (
    AuthError,
    Conflict,
    Direction,
    DocumentMetadata,
    Duplicate,
    Locked,
    NotFound,
    Party,
    Transient,
    UploadSource,
    ValidationFailed,
)
from caseclient.net import build_session
from caseclient.server import ReferenceService
from caseclient.server.acadre import EXTENSION, ContractMissing, Simulator, contract
from caseclient.server.getorganized import KeepAliveListener

try:
    contract.folder()
except ContractMissing:
    pytestmark = pytest.mark.skip(reason="the Acadre PWS contract (../shared/reference/acadre-pws-v7) is absent")

USER = "KOMMUNE\\svc-acadre"
PASSWORD = "Vinter-2026-kode"


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    service = ReferenceService(tmp_path_factory.mktemp("acadre") / "svc", dialect="acadre")
    service.seed_demo(60, seed=3)
    service.start()
    try:
        yield service
    finally:
        service.stop()


def sim(service: ReferenceService) -> Simulator:
    return service.app.extensions[EXTENSION]


def _file(tmp_path: Path, name: str, data: bytes) -> UploadSource:
    path = tmp_path / name
    path.write_bytes(data)
    return UploadSource.from_path(path)


def _open_case(backend: AcadreService, n: int = 0):
    return backend.search_cases(CaseQuery(limit=50))[n]


def test_the_site_address_and_the_asmx_address_both_reach_pws(reference: ReferenceService) -> None:
    for address in (reference.url, reference.url.rstrip("/") + "/Acadre.CM.PublicServices/SoapAuth/AcadreServiceV7.asmx"):
        assert AcadreService(address).search_cases(CaseQuery(limit=2))


def test_cases_are_found_by_number_prefix_kle_title_party_and_caseworker(reference: ReferenceService) -> None:
    acadre = AcadreService(reference.url)
    cases = acadre.search_cases(CaseQuery(limit=100, include_closed=True))
    case = cases[4]
    assert case.id != case.number and "/" in case.number  # the internal id is not the number people see
    assert acadre.find_case_by_number(case.number).id == case.id
    year, _, sequence = case.number.partition("/")
    assert acadre.find_case_by_number(f"20{year}/{sequence}").id == case.id
    with pytest.raises(NotFound):
        acadre.find_case_by_number("27.24.00-G01-1-24")
    assert case.id in [c.id for c in acadre.search_cases(CaseQuery(case_number=year + "/*", include_closed=True,
                                                                   limit=500))]
    group = acadre.search_cases(CaseQuery(text=case.kle[:5], include_closed=True, limit=500))
    assert case.id in [c.id for c in group] and all(c.kle.startswith(case.kle[:5]) for c in group)
    word = max(case.title.split(), key=len)
    assert case.id in [c.id for c in acadre.search_cases(CaseQuery(title=word, include_closed=True, limit=500))]
    mine = acadre.search_cases(CaseQuery(caseworker=case.caseworker, include_closed=True, limit=500))
    assert case.id in [c.id for c in mine] and {c.caseworker for c in mine} == {case.caseworker}
    assert acadre.search_cases(CaseQuery(caseworker="nobody", limit=5)) == []
    with_party = next(c for c in (acadre.get_case(c.id) for c in cases) if any(p.cpr for p in c.parties))
    cpr = next(p.cpr for p in with_party.parties if p.cpr)
    found = acadre.search_cases(CaseQuery(party=Party(cpr=cpr), include_closed=True))
    assert with_party.id in [c.id for c in found]
    assert with_party.id in [c.id for c in acadre.search_cases(CaseQuery(text=cpr.digits, include_closed=True))]
    assert sim(reference).calls[-1][0] == "GetCasesForIdentity"


def test_filing_sends_every_required_field_and_the_key_with_the_files_length(
        reference: ReferenceService, tmp_path: Path) -> None:
    session = requests.Session()
    sent: list[requests.PreparedRequest] = []
    session.hooks["response"].append(lambda r, *a, **k: sent.append(r.request))
    acadre = AcadreService(reference.url, session, acting_user="abj")
    case = _open_case(acadre, 1)
    data = b"%PDF-1.4\n" + os.urandom(100_001)
    ref = acadre.upload_document(case.id, _file(tmp_path, "Høringssvar.pdf", data),
                                 DocumentMetadata(title="Høringssvar", document_date=date(2026, 11, 30),
                                                  direction=Direction.OUTGOING),
                                 idempotency_key="key-1", state=MemoryResumeState())
    received = sim(reference).received[-1]
    assert received["FileName"] == "Høringssvar.pdf" and received["size"] == len(data)
    assert received["CaseFileReference"] == int(case.id)
    fields = received["fields"]
    assert fields["RegistrationDate"] == date.today().isoformat()
    assert fields["DocumentDateUnknownIndicator"] is False
    assert fields["RecordPaperStorageIndicator"] is False and fields["DocumentPaperStorageIndicator"] is False
    assert fields["CustomFields"] == {KEY_FIELD: "key-1"} and fields["User"] == "abj"
    create = next(r for r in sent if "CreateMainDocument" in r.headers.get("SOAPAction", ""))
    assert int(create.headers["Content-Length"]) > len(data) * 4 // 3 and "Transfer-Encoding" not in create.headers
    assert {user for _name, user in sim(reference).calls[-3:]} == {"abj"}
    listed = [d for d in acadre.list_documents(case.id) if d.id == ref.id]
    assert listed and listed[0].title == "Høringssvar" and listed[0].direction is Direction.OUTGOING
    assert listed[0].document_date == date(2026, 11, 30)
    sink = io.BytesIO()
    assert acadre.read_content(ref.id, sink) == len(data) and sink.getvalue() == data


def test_a_big_file_is_streamed_as_base64_not_held_in_memory(reference: ReferenceService, tmp_path: Path) -> None:
    acadre = AcadreService(reference.url)
    case = _open_case(acadre, 2)
    path = tmp_path / "scanning.pdf"
    with path.open("wb") as f:
        for n in range(48):
            f.write(bytes([n]) * (1 << 20))
    source = UploadSource.from_path(path)
    acadre.search_cases(CaseQuery(limit=1))  # the WSDL is read before memory is measured
    seen: list[tuple[int, int]] = []
    tracemalloc.start()
    try:
        ref = acadre.upload_document(case.id, source, DocumentMetadata(title="Stor", document_date=date(2026, 1, 1)),
                                     idempotency_key="big-1", state=MemoryResumeState(),
                                     progress=lambda done, total: seen.append((done, total)))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 24 << 20, peak  # client and simulator together, for a 48 MiB file (64 MiB as base64)
    assert seen[-1] == (source.size, source.size) and len(seen) > 10
    stored = sim(reference).cases.document_by_row(int(ref.id) - sim(reference).document_offset)
    assert sim(reference).cases.content_path(stored).stat().st_size == source.size


def test_search_before_create_finds_the_earlier_attempts_record_by_its_key(
        reference: ReferenceService, tmp_path: Path) -> None:
    acadre = AcadreService(reference.url)
    case = _open_case(acadre, 3)
    source = _file(tmp_path, "brev.txt", b"brev\n")
    metadata = DocumentMetadata(title="Brev om aftale", document_date=date(2026, 2, 2))
    state = MemoryResumeState()
    first = acadre.upload_document(case.id, source, metadata, idempotency_key="again", state=state)
    fresh = MemoryResumeState()  # another process: only the durable case id is known
    fresh.put("acadre.sent_to_case", state.get("acadre.sent_to_case"))
    assert acadre.find_upload("again", fresh).id == first.id
    second = acadre.upload_document(case.id, source, metadata, idempotency_key="again", state=fresh)
    assert second.id == first.id and second.already_existed
    assert [d.id for d in acadre.list_documents(case.id) if d.title == "Brev om aftale"] == [first.id]
    assert acadre.find_upload("never-sent", MemoryResumeState()) is None


def test_faults_are_read_through_get_error_type_once_per_code(reference: ReferenceService) -> None:
    acadre = AcadreService(reference.url)
    for _ in range(2):
        with pytest.raises(NotFound) as raised:
            acadre.get_case("1")
        assert "http" not in str(raised.value) and str(raised.value).endswith(".")
    assert [name for name, _user in sim(reference).calls].count("GetErrorType") >= 1
    asked = [name for name, _user in sim(reference).calls[-6:]]
    assert asked.count("GetErrorType") <= 1


@pytest.mark.parametrize("kind, error", [
    ("Acadre_CM_Model_CaseNotFoundException", NotFound),
    ("Acadre_CM_Framework_Security_CaseClosedException", Conflict),
    ("Acadre_CM_Model_Documents_DocumentIsLockedException", Locked),
    ("Acadre_CM_Framework_Security_NotAuthorizedToAccessCodeException", AuthError),
    ("System_Data_DuplicateNameException", Duplicate),
    ("System_ArgumentNullException", ValidationFailed),
    ("System_TimeoutException", Transient),
])
def test_each_error_kind_becomes_its_domain_error(kind: str, error: type[Exception]) -> None:
    acadre = AcadreService("https://esdh.example.dk/")
    acadre._error_types["Some.Code"] = kind
    found = acadre._fault_error("soap:Server", "Server was unable to process request. ---> 010190-1234",
                                "Some.Code", action="filing 'brev.pdf'", status=500)
    assert type(found) is error
    assert "010190" not in str(found) and "https://" not in str(found)


def test_a_closed_case_refuses_a_small_file_itself_and_a_big_one_is_not_sent(
        reference: ReferenceService, tmp_path: Path) -> None:
    acadre = AcadreService(reference.url)
    closed = next(c for c in acadre.search_cases(CaseQuery(limit=100, include_closed=True)) if c.closed)
    metadata = DocumentMetadata(title="x", document_date=date(2026, 1, 1))
    with pytest.raises(Conflict) as raised:  # CaseClosedException, through GetErrorType
        acadre.upload_document(closed.id, _file(tmp_path, "x.txt", b"x"), metadata,
                               idempotency_key="closed-small", state=MemoryResumeState())
    assert "closed" in str(raised.value) and "http" not in str(raised.value)
    calls = len(sim(reference).calls)
    with pytest.raises(Conflict) as raised:
        acadre.upload_document(closed.id, _file(tmp_path, "stor.pdf", os.urandom(2 << 20)), metadata,
                               idempotency_key="closed-big", state=MemoryResumeState())
    assert "closed" in str(raised.value) and closed.number in str(raised.value)
    assert "CreateMainDocument" not in [name for name, _user in sim(reference).calls[calls:]]


def test_wsdl_links_to_an_inside_host_name_are_read_from_the_configured_address(
        reference: ReferenceService, monkeypatch) -> None:
    """ASMX writes the address it was reached at; behind a proxy that is a name the client cannot reach."""
    inside = "http://esdh-intern.invalid/acadre/" + contract.ASMX_PATH
    real = contract.document
    monkeypatch.setattr(contract, "document", lambda name, address: real(name, inside))
    assert AcadreService(reference.url).search_cases(CaseQuery(limit=2))


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[tuple[ReferenceService, KeepAliveListener]]:
    service = ReferenceService(tmp_path / "svc", dialect="acadre")
    service.seed_demo(10, seed=3)
    accounts = sim(service).accounts
    accounts.add(USER, PASSWORD)
    accounts.methods = {"ntlm"}
    with KeepAliveListener(service.app) as listener:
        yield service, listener


def _ntlm_settings(url: str):
    return load_settings(SettingsFiles(command_line={"service.kind": "acadre", "service.url": url,
                                                     "auth.mode": "ntlm", "auth.username": USER,
                                                     "service.caseworker": "mkl"}))


def test_ntlm_sign_in_files_and_reads_back_acting_for_the_caseworker(guarded, memory_keyring, tmp_path) -> None:
    service, listener = guarded
    from caseclient.connection import backend_for

    CredentialStore().set(listener.url, SecretKind.PASSWORD, PASSWORD, account=USER)
    acadre = backend_for(_ntlm_settings(listener.url), build_session(_ntlm_settings(listener.url)))
    case = acadre.search_cases(CaseQuery(limit=3))[0]
    data = os.urandom(300_000)
    ref = acadre.upload_document(case.id, _file(tmp_path, "brev.pdf", data),
                                 DocumentMetadata(title="NTLM", document_date=date(2026, 3, 3)),
                                 idempotency_key="ntlm-1", state=MemoryResumeState())
    sink = io.BytesIO()
    acadre.read_content(ref.id, sink)
    assert sink.getvalue() == data
    assert sim(service).received[-1]["fields"]["User"] == "mkl"
    assert {v for v, _m, _u in sim(service).accounts.seen} <= {"challenge", "accepted"}


def test_ntlm_with_a_wrong_password_is_one_sentence(guarded, memory_keyring) -> None:
    _service, listener = guarded
    CredentialStore().set(listener.url, SecretKind.PASSWORD, "not-" + PASSWORD, account=USER)
    acadre = AcadreService(listener.url, build_session(_ntlm_settings(listener.url)))
    with pytest.raises(AuthError) as raised:
        acadre.search_cases(CaseQuery(limit=1))
    assert PASSWORD not in str(raised.value) and "http" not in str(raised.value)
