"""The `f2` backend against the F2 simulator, in-process on a loopback port: every address found
through the service index and the items' links, the searches it sends, the matter and document as
the server received them (zone-less local times, colon-indexed lists, the title cut to 255
characters with a warning, the file type from the name), the resume state written before each
POST it guards, exactly-once through POE (201 or 303 first, 303 when repeated, a reclaimed POE),
upload validation, F2's reason codes, and sign-in with a token endpoint found in the index."""

from __future__ import annotations

import io
import logging
import tracemalloc
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from memory_keyring import memory_keyring  # noqa: F401  (fixture)

from caseclient.backends.f2 import (
    STATE_DOCUMENT,
    STATE_DOCUMENT_POE,
    STATE_MATTER,
    STATE_MATTER_POE,
    F2Service,
)
from caseclient.backends.protocol import Capability, CaseQuery, MemoryResumeState
from caseclient.config import SettingsFiles, load_settings
from caseclient.connection import backend_for
from caseclient.credentials import CredentialStore, SecretKind
from caseclient.domain import (
    AuthError,
    Conflict,
    Cvr,
    Direction,
    DocumentMetadata,
    Locked,
    NotFound,
    Party,
    Sensitivity,
    UploadSource,
    ValidationFailed,
)
from caseclient.net import build_session
from caseclient.server import FaultConfig, ReferenceService
from caseclient.server.f2 import SERVICE_INDEX, f2_simulator
from caseclient.server.store.cases import CaseStore, StoredCase

DEMO = 80


class Journal:
    """The requests the backend's session sent and the resume state's puts, in one order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, ...]] = []

    def hook(self, response: requests.Response, *args, **kwargs) -> None:
        for earlier in response.history:
            self.events.append(("request", earlier.request.method, earlier.request.url))
        self.events.append(("request", response.request.method, response.request.url))

    def requests(self) -> list[tuple[str, str]]:
        return [(e[1], e[2]) for e in self.events if e[0] == "request"]


class JournalState(MemoryResumeState):
    def __init__(self, journal: Journal) -> None:
        super().__init__()
        self.journal = journal

    def put(self, key: str, value: str, *, durable: bool = True) -> None:
        self.journal.events.append(("put", key, value))
        super().put(key, value, durable=durable)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    service = ReferenceService(tmp_path_factory.mktemp("f2") / "service", dialect="f2")
    service.seed_demo(DEMO, seed=2)
    with service:
        yield service


@pytest.fixture
def journal() -> Journal:
    return Journal()


@pytest.fixture
def backend(served: ReferenceService, journal: Journal) -> F2Service:
    session = requests.Session()
    session.hooks["response"].append(journal.hook)
    return F2Service(served.url + "/F2Rest", session)


def _store(service: ReferenceService) -> CaseStore:
    return CaseStore(service.app.extensions["caseclient.database"], service.app.extensions["caseclient.content_store"])


def _open_case(served: ReferenceService, n: int = 0) -> StoredCase:
    return [c for c in _store(served).search(limit=DEMO) if not c.closed][n]


def _file(tmp_path: Path, name: str = "brev.txt", content: bytes = b"Kaere borger\n",
          mime_type: str | None = None) -> UploadSource:
    path = tmp_path / uuid.uuid4().hex / name
    path.parent.mkdir()
    path.write_bytes(content)
    return UploadSource.from_path(path, mime_type=mime_type)


def _meta(title: str = "Brev", **kw) -> DocumentMetadata:
    return DocumentMetadata(title=title, document_date=date(2026, 12, 3), **kw)


def test_only_the_service_index_is_a_fixed_address(backend: F2Service, served, journal, tmp_path) -> None:
    case = _open_case(served)
    found = backend.search_cases(CaseQuery(text="27.24", limit=5, include_closed=True))
    assert found and all(c.kle.startswith("27.24") for c in found)
    backend.upload_document(str(case.row_id), _file(tmp_path), _meta(), idempotency_key="k-index",
                            state=MemoryResumeState())
    prefix = f2_simulator(served).prefix
    paths = [urlsplit(url).path for _method, url in journal.requests()]
    assert paths[0] == SERVICE_INDEX and paths.count(SERVICE_INDEX) == 1  # read once, kept
    assert all(p.startswith(prefix + "/") for p in paths[1:]), paths
    assert Capability.SERVER_IDEMPOTENT in backend.capabilities


def test_searches_use_the_filter_or_opensearch(backend: F2Service, served, journal) -> None:
    cases = _store(served).search(limit=DEMO)
    listed = backend.search_cases(CaseQuery(limit=DEMO, include_closed=True))
    assert [c.id for c in listed] == sorted((str(c.row_id) for c in cases), key=int)  # in id order
    year = listed[3].number[:4]
    found = backend.search_cases(CaseQuery(case_number=year + "*", limit=DEMO, include_closed=True))
    assert listed[3].id in [c.id for c in found] and all(c.number.startswith(year) for c in found)
    filters = [parse_qs(urlsplit(u).query) for _m, u in journal.requests() if urlsplit(u).path.endswith("/cases/filter")]
    assert {"caseNumber": [year + "*"]} in filters
    company = next(c for c in cases if any(p.kind == "cvr" for p in c.parties))
    cvr = next(p.number for p in company.parties if p.kind == "cvr")
    by_cvr = backend.search_cases(CaseQuery(party=Party(cvr=Cvr.parse(cvr)), limit=DEMO, include_closed=True))
    assert str(company.row_id) in [c.id for c in by_cvr]
    assert any("/cases/opensearch/results" in u and cvr in u for _m, u in journal.requests())
    worker = next(c.caseworker for c in listed if c.caseworker)
    mine = backend.search_cases(CaseQuery(caseworker=worker, limit=DEMO))
    assert mine and {c.caseworker for c in mine} == {worker} and not any(c.closed for c in mine)


def test_get_case_and_find_by_number_follow_the_templates(backend: F2Service, served) -> None:
    case = _open_case(served, 2)
    got = backend.get_case(str(case.row_id))
    assert got.kle == case.kle and got.number.endswith(f" - {case.row_id}")
    assert backend.find_case_by_number(got.number).id == got.id
    with pytest.raises(NotFound) as missing:
        backend.find_case_by_number("2019 - 999999")
    assert "http" not in str(missing.value)
    with pytest.raises(NotFound):
        backend.get_case("abc")


def test_the_matter_and_document_as_f2_received_them(backend: F2Service, served, tmp_path, caplog) -> None:
    caplog.set_level(logging.WARNING)
    simulator = f2_simulator(served)
    case = _open_case(served, 1)
    title = "Høringssvar " + "æ" * 300
    metadata = _meta(title, direction=Direction.OUTGOING, kle="27.24.00", sensitivity=Sensitivity.SENSITIVE,
                     recipients=(Party(name="Søren Ærø", email="soren@example.dk"), Party(name="Åse Holm")),
                     description="Svar på høring")
    before = len(simulator.received)
    ref = backend.upload_document(str(case.row_id), _file(tmp_path, "svar", mime_type="text/plain"), metadata,
                                  idempotency_key="k-fields", state=MemoryResumeState())
    matter, document = simulator.received[before:]
    assert matter["content_type"] == "application/x-www-form-urlencoded"
    assert matter["fields"] == {
        "Title": title[:255], "Type": "Outbound", "LetterDate": "2026-12-03T00:00:00", "AccessLevel": "Involved",
        "Receivers": [{"Name": "Søren Ærø", "EMail": "soren@example.dk"}, {"Name": "Åse Holm"}],
        "KeywordCodes": ["27.24.00"]}
    assert document["parts"] == ["Description", "File", "Title"]
    assert len(document["title"]) == 255 and document["filename"] == "svar.txt"  # the type from an extension
    assert ref.title == title[:255] and ref.direction is Direction.OUTGOING and ref.document_date == date(2026, 12, 3)
    assert any("at most 255 characters" in r.getMessage() for r in caplog.records)
    listed = [d for d in backend.list_documents(str(case.row_id)) if d.id == ref.id]
    assert listed and listed[0].filename == "svar.txt" and listed[0].mime_type == "text/plain"


def test_each_poe_address_is_in_the_state_before_the_post_it_guards(backend, served, journal, tmp_path) -> None:
    case = _open_case(served, 3)
    state = JournalState(journal)
    ref = backend.upload_document(str(case.row_id), _file(tmp_path), _meta(), idempotency_key="k-order", state=state)
    events = journal.events
    puts = {e[1]: i for i, e in enumerate(events) if e[0] == "put"}
    posts = [(i, e[2]) for i, e in enumerate(events) if e[0] == "request" and e[1] == "POST"]
    assert [urlsplit(u).path.rsplit("/", 1)[-1] for _i, u in posts][::2] == ["create-matter", "create-document"]
    (_i1, _create_matter), (matter_post, matter_poe), (_i3, _create_doc), (doc_post, doc_poe) = posts
    assert state[STATE_MATTER_POE] == matter_poe and puts[STATE_MATTER_POE] < matter_post
    assert puts[STATE_MATTER] < puts[STATE_DOCUMENT_POE] < doc_post and state[STATE_DOCUMENT_POE] == doc_poe
    assert puts[STATE_DOCUMENT] > doc_post
    again = backend.upload_document(str(case.row_id), _file(tmp_path), _meta(), idempotency_key="k-order", state=state)
    assert again.id == ref.id and again.already_existed
    assert backend.find_upload("k-order", state).id == ref.id


def test_a_repeated_post_is_answered_303_and_files_nothing_twice(backend, served, tmp_path) -> None:
    case = _open_case(served, 4)
    state = MemoryResumeState()
    first = backend.upload_document(str(case.row_id), _file(tmp_path), _meta("Én gang"), idempotency_key="k-303", state=state)
    del state[STATE_DOCUMENT]  # as if the 201's answer was lost: only the POE address is known
    again = backend.upload_document(str(case.row_id), _file(tmp_path), _meta("Én gang"), idempotency_key="k-303", state=state)
    assert again.id == first.id and again.already_existed
    assert [d.id for d in backend.list_documents(str(case.row_id)) if d.title == "Én gang"] == [first.id]


def test_a_first_poe_answered_303_is_taken_too(backend, served, tmp_path) -> None:
    simulator = f2_simulator(served)
    simulator.first_poe_status = 303
    try:
        ref = backend.upload_document(str(_open_case(served, 5).row_id), _file(tmp_path), _meta("303 først"),
                                      idempotency_key="k-first-303", state=MemoryResumeState())
    finally:
        simulator.first_poe_status = 201
    sink = io.BytesIO()
    assert backend.read_content(ref.id, sink) == len(b"Kaere borger\n") and sink.getvalue() == b"Kaere borger\n"


def test_a_reclaimed_document_poe_finds_the_document_in_its_matter(backend, served, tmp_path) -> None:
    simulator = f2_simulator(served)
    case = _open_case(served, 6)
    state = MemoryResumeState()
    first = backend.upload_document(str(case.row_id), _file(tmp_path), _meta("Genbrugt"), idempotency_key="k-reclaim", state=state)
    del state[STATE_DOCUMENT]
    now = simulator.clock() + simulator.poe_lifetime + 10
    simulator.clock, old = (lambda: now), simulator.clock
    try:
        assert backend.find_upload("k-reclaim", state).id == first.id
        del state[STATE_DOCUMENT]
        again = backend.upload_document(str(case.row_id), _file(tmp_path), _meta("Genbrugt"),
                                        idempotency_key="k-reclaim", state=state)
    finally:
        simulator.clock = old
    assert again.id == first.id and again.already_existed
    assert [d.id for d in backend.list_documents(str(case.row_id)) if d.title == "Genbrugt"] == [first.id]


def test_upload_validation_refuses_before_anything_is_made(backend, served, journal, tmp_path) -> None:
    state = MemoryResumeState()
    with pytest.raises(ValidationFailed) as refused:
        backend.upload_document(str(_open_case(served).row_id), _file(tmp_path, "program.exe"), _meta(),
                                idempotency_key="k-exe", state=state)
    assert "program.exe" in str(refused.value) and "ikke tilladt" in str(refused.value)
    assert not state and not any(m == "POST" for m, _u in journal.requests())


def test_reason_codes_become_the_domain_errors(backend, served, tmp_path) -> None:
    closed = next(c for c in _store(served).search(limit=DEMO) if c.closed)
    with pytest.raises(Conflict, match="closed"):
        backend.upload_document(str(closed.row_id), _file(tmp_path), _meta(), idempotency_key="k-closed",
                                state=MemoryResumeState())
    served.faults = FaultConfig(status=423, status_rate=1.0)
    try:
        with pytest.raises(Locked) as locked:
            backend.get_case(str(_open_case(served).row_id))
    finally:
        served.faults = FaultConfig()
    assert locked.value.retryable and "open for editing" in str(locked.value)
    served.faults = FaultConfig(status=409, status_rate=1.0)
    try:
        with pytest.raises(Conflict, match="the case is closed"):
            backend.get_case(str(_open_case(served).row_id))
    finally:
        served.faults = FaultConfig()


def test_a_big_file_is_streamed(backend, served, tmp_path) -> None:
    path = tmp_path / "stor.pdf"
    with path.open("wb") as f:
        for n in range(40):
            f.write(bytes([n]) * (1 << 20))
    tracemalloc.start()
    try:
        ref = backend.upload_document(str(_open_case(served, 7).row_id), UploadSource.from_path(path), _meta("Stor"),
                                      idempotency_key="k-big", state=MemoryResumeState())
        with (tmp_path / "back.pdf").open("wb") as sink:
            assert backend.read_content(ref.id, sink) == 40 << 20
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20
    assert (tmp_path / "back.pdf").read_bytes() == path.read_bytes()


def test_sign_in_with_the_token_endpoint_the_service_index_names(tmp_path, memory_keyring) -> None:
    served = ReferenceService(tmp_path / "service", dialect="f2")
    served.seed_demo(5)
    with served:
        sign_in = f2_simulator(served).sign_in.enable(client_id="caseclient", client_secret="F2-klienthemmelighed-ost",
                                                      users={"jens": "F2-adgangskode-vest-9"})
        settings = load_settings(SettingsFiles(command_line={
            "service.kind": "f2", "service.url": served.url, "auth.mode": "oauth2_password",
            "auth.username": "jens", "auth.client_id": "caseclient"}))
        store = CredentialStore()
        store.set(served.url, SecretKind.PASSWORD, "F2-adgangskode-vest-9", account="jens")
        store.set(served.url, SecretKind.CLIENT_SECRET, "F2-klienthemmelighed-ost", account="caseclient")
        backend = backend_for(settings, build_session(settings))
        assert len(backend.search_cases(CaseQuery(limit=3, include_closed=True))) == 3
        assert sign_in.grants == ["password"] and sign_in.seen and set(sign_in.seen) == {"accepted"}
        store.set(served.url, SecretKind.CLIENT_SECRET, "F2-forkert-hemmelighed-syd", account="caseclient")
        with pytest.raises(AuthError) as refused:
            backend_for(settings, build_session(settings)).search_cases(CaseQuery(limit=3))
        assert "F2-adgangskode-vest-9" not in str(refused.value) and "F2-klienthemmelighed-ost" not in str(refused.value)


def test_sign_in_with_client_credentials_from_the_discovered_endpoint(tmp_path, memory_keyring) -> None:
    served = ReferenceService(tmp_path / "service", dialect="f2")
    served.seed_demo(5)
    with served:
        sign_in = f2_simulator(served).sign_in.enable(client_id="caseclient", client_secret="F2-klient-nord-7c")
        settings = load_settings(SettingsFiles(command_line={
            "service.kind": "f2", "service.url": served.url + "/F2Rest", "auth.mode": "oauth2_client_credentials",
            "auth.client_id": "caseclient"}))
        CredentialStore().set(served.url + "/F2Rest", SecretKind.CLIENT_SECRET, "F2-klient-nord-7c", account="caseclient")
        backend = backend_for(settings, build_session(settings))
        assert len(backend.search_cases(CaseQuery(limit=2, include_closed=True))) == 2
        assert sign_in.grants == ["client_credentials"] and set(sign_in.seen) == {"accepted"}
