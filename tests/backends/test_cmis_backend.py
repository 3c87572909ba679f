"""The `cmis` backend against the CMIS simulator, in-process on a loopback port: the browser binding
found from a server's root, the binding's or a repository's address, addresses the repository names
rebased onto the configured host; cases by path and by a query on a number property; the document
as the repository received it (propertyId[n]/propertyValue[n], versioningState=none, the folder in
the URL, a streamed content part with a Content-Length); a cmis:name made from the idempotency key;
the resume state written before the first request; a lost answer found by path; a retry without
state meeting nameConstraintViolation or Alfresco's contentAlreadyExists; big files in
appendContent chunks, resumed from the stored length after a cut, and sent whole when the
repository refuses appendContent; closed cases; CMIS errors in one sentence; Basic sign-in from the
settings and the keyring; the mapping settings."""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import requests
from memory_keyring import memory_keyring  # noqa: F401  (fixture)

from caseclient.backends.cmis import (
    STATE_FOLDER,
    STATE_NAME,
    STATE_SIZE,
    CaseMapping,
    CmisService,
    DocumentMapping,
    document_name,
)
from caseclient.backends.protocol import Capability, CaseQuery, MemoryResumeState
from caseclient.config import SettingsError, SettingsFiles, load_settings
from caseclient.connection import backend_for
from caseclient.credentials import CredentialStore, SecretKind
from caseclient.domain import (
    AuthError,
    Conflict,
    Direction,
    DocumentMetadata,
    NotFound,
    OutcomeUnknown,
    Party,
    Transient,
    UploadSource,
    ValidationFailed,
)
from caseclient.net import build_session
from caseclient.server import ReferenceService
from caseclient.server.cmis import BROWSER, cmis_simulator

DEMO = 80


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    service = ReferenceService(tmp_path_factory.mktemp("cmis") / "service", dialect="cmis")
    service.seed_demo(DEMO, seed=2)
    with service:
        yield service


@pytest.fixture
def backend(served: ReferenceService) -> CmisService:
    return CmisService(served.url, requests.Session())


def _file(tmp_path: Path, name: str, content: bytes) -> UploadSource:
    path = tmp_path / uuid.uuid4().hex / name
    path.parent.mkdir()
    path.write_bytes(content)
    return UploadSource.from_path(path)


def _meta(title: str) -> DocumentMetadata:
    return DocumentMetadata(title=title, document_date=date(2026, 12, 3))


def _open(backend: CmisService, n: int):
    return backend.search_cases(CaseQuery(limit=n + 1))[n]


def _read(backend: CmisService, document_id: str) -> bytes:
    sink = io.BytesIO()
    backend.read_content(document_id, sink)
    return sink.getvalue()


class CutAfter(requests.adapters.HTTPAdapter):
    """Loses the answer to request number `at` (the service finished it)."""

    def __init__(self, at: int) -> None:
        super().__init__()
        self.at, self.count = at, 0

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        self.count += 1
        response = super().send(request, **kwargs)
        if self.count == self.at:
            response.content  # noqa: B018
            raise requests.ConnectionError("answer lost")
        return response


# --- discovery -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["", BROWSER, BROWSER + "/caseclient"])
def test_the_repository_is_found_from_a_root_the_binding_or_a_repository(served: ReferenceService, path: str) -> None:
    backend = CmisService(served.url + path, requests.Session())
    assert len(backend.search_cases(CaseQuery(limit=3))) == 3


def test_addresses_the_repository_names_are_rebased_onto_the_configured_host(served: ReferenceService) -> None:
    port = served.url.rsplit(":", 1)[1]
    backend = CmisService(f"http://localhost:{port}", requests.Session())  # the repository says 127.0.0.1
    seen: list[str] = []
    backend.http.session.hooks["response"].append(lambda r, *a, **k: seen.append(r.request.url))
    backend.search_cases(CaseQuery(limit=2))
    assert seen and all(url.startswith(f"http://localhost:{port}/") for url in seen)


def test_no_cmis_at_the_address_is_not_found_in_one_sentence(served: ReferenceService) -> None:
    with pytest.raises(NotFound) as raised:
        CmisService(served.url + "/intet/her", requests.Session()).search_cases(CaseQuery(limit=1))
    assert "service.url" in str(raised.value) and "http" not in str(raised.value)


# --- cases ---------------------------------------------------------------------------------------------

def test_cases_are_the_folders_under_sager(backend: CmisService) -> None:
    cases = backend.search_cases(CaseQuery(limit=DEMO, include_closed=True))
    assert len(cases) == DEMO and [c.number for c in cases] == sorted(c.number for c in cases)
    assert any(c.closed for c in cases) and all(c.kle for c in cases)
    case = backend.get_case(cases[3].id)
    assert (case.number, case.title, case.caseworker) == (cases[3].number, cases[3].title, cases[3].caseworker)
    assert backend.find_case_by_number(cases[3].number).id == cases[3].id
    with pytest.raises(NotFound):
        backend.find_case_by_number("99.99.99-Z99-1-99")
    with pytest.raises(NotFound):
        backend.get_case(backend.search_cases(CaseQuery(limit=1))[0].id[:-4] + "0000")


def test_search_by_words_party_caseworker_and_free_text(backend: CmisService) -> None:
    cases = backend.search_cases(CaseQuery(limit=DEMO, include_closed=True))
    with_party = next(backend.get_case(c.id) for c in cases if backend.get_case(c.id).parties)
    party = with_party.parties[0]
    found = backend.search_cases(CaseQuery(party=Party(cpr=party.cpr, cvr=party.cvr), include_closed=True, limit=DEMO))
    assert with_party.id in [c.id for c in found]
    digits = party.cpr.digits if party.cpr else party.cvr.digits
    assert with_party.id in [c.id for c in backend.search_cases(CaseQuery(text=digits, include_closed=True))]
    worker = cases[0].caseworker
    mine = backend.search_cases(CaseQuery(caseworker=worker, include_closed=True, limit=DEMO))
    assert mine and {c.caseworker for c in mine} == {worker}
    word = max(cases[5].title.split(), key=len)
    assert cases[5].id in [c.id for c in backend.search_cases(CaseQuery(title=word.lower(), include_closed=True,
                                                                          limit=DEMO))]
    quoted = backend.search_cases(CaseQuery(title="Sørens 'sag' 100%_", include_closed=True))
    assert quoted == []


def test_cases_found_by_a_query_on_a_number_property(served: ReferenceService) -> None:
    mapping = CaseMapping.parse(folder="", number_property="esdh:sagsnummer", case_type="esdh:sag",
                                properties="title=esdh:titel, kle=esdh:kle, status=esdh:status")
    backend = CmisService(served.url, requests.Session(), mapping=mapping)
    cases = backend.search_cases(CaseQuery(limit=10, include_closed=True))
    assert len(cases) == 10 and cases[0].caseworker is None
    assert backend.find_case_by_number(cases[4].number).id == cases[4].id
    assert backend.search_cases(CaseQuery(case_number=cases[4].number[:8] + "*", include_closed=True, limit=100))
    assert Capability.SEARCH_BY_CASEWORKER not in backend.capabilities


def test_the_mapping_settings_are_checked(served: ReferenceService) -> None:
    settings = load_settings(SettingsFiles(command_line={
        "service.kind": "cmis", "service.url": served.url, "service.cmis_case_properties": "titel=esdh:titel"}))
    with pytest.raises(SettingsError) as raised:
        backend_for(settings, requests.Session())
    assert "service.cmis_case_properties" in str(raised.value)


# --- filing ----------------------------------------------------------------------------------------------

def test_the_document_as_the_repository_received_it(served: ReferenceService, backend: CmisService,
                                                    tmp_path: Path) -> None:
    case = _open(backend, 1)
    source = _file(tmp_path, "Høringssvar: endelig*.pdf", b"%PDF-1.4 svar\n")
    state = MemoryResumeState()
    sim = cmis_simulator(served)
    before = len(sim.received)
    ref = backend.upload_document(case.id, source, _meta("Høringssvar  fra Søren"), idempotency_key="k-1", state=state)
    (received,) = sim.received[before:]
    name = document_name("k-1", source.filename)
    assert name.startswith("Høringssvar_ endelig_ (") and name.endswith(").pdf")
    assert received["properties"] == {"cmis:name": name, "cmis:objectTypeId": "esdh:dokument",
                                      "cmis:description": "Høringssvar fra Søren",
                                      "esdh:dokumentdato": "1796256000000",  # 2026-12-03, milliseconds (UTC)
                                      "esdh:retning": "Indgående"}
    assert received["query"]["objectId"] == case.id and "versioningState" in received["fields"]
    assert received["files"] == ["content"] and received["filename"] == source.filename
    assert received["length"] and not received["chunked"]  # streamed with a Content-Length
    assert (ref.title, ref.filename, ref.size, ref.case_id) == ("Høringssvar fra Søren", source.filename, source.size, case.id)
    assert (ref.document_date, ref.direction) == (date(2026, 12, 3), Direction.INCOMING)
    assert state.get(STATE_NAME) == name and state.get(STATE_SIZE) == str(source.size)
    assert case.id in state.get(STATE_FOLDER)
    assert _read(backend, ref.id) == b"%PDF-1.4 svar\n"
    assert [d.id for d in backend.list_documents(case.id) if d.title == "Høringssvar fra Søren"] == [ref.id]


def test_names_follow_the_key(tmp_path: Path) -> None:
    assert document_name("a", "brev.pdf") == document_name("a", "brev.pdf") != document_name("b", "brev.pdf")
    assert document_name("a", "x" * 300 + ".pdf").endswith(".pdf") and len(document_name("a", "x" * 300)) < 120
    assert document_name("a", "...") .startswith("dokument (")
    assert "/" not in document_name("a", "a/b\\c?.txt")


def test_a_lost_answer_is_found_by_path_and_not_filed_again(served: ReferenceService, backend: CmisService,
                                                           tmp_path: Path) -> None:
    case = _open(backend, 2)
    source = _file(tmp_path, "tabt svar.txt", b"svar\n")
    state = MemoryResumeState()
    backend.http.session.mount("http://", CutAfter(2))  # the folder read, then createDocument: its answer lost
    with pytest.raises(OutcomeUnknown):
        backend.upload_document(case.id, source, _meta("Tabt svar"), idempotency_key="lost-1", state=state)
    backend.http.session.mount("http://", requests.adapters.HTTPAdapter())
    found = backend.find_upload("lost-1", state)
    assert found is not None and found.already_existed
    again = backend.upload_document(case.id, source, _meta("Tabt svar"), idempotency_key="lost-1", state=state)
    assert again.id == found.id and again.already_existed
    assert [d.id for d in backend.list_documents(case.id) if d.title == "Tabt svar"] == [found.id]


@pytest.mark.parametrize("exception", ["nameConstraintViolation", "contentAlreadyExists"])
def test_a_retry_without_its_state_meets_the_name_and_finds_the_document(
        served: ReferenceService, backend: CmisService, tmp_path: Path, exception: str) -> None:
    case = _open(backend, 3)
    source = _file(tmp_path, "notat.txt", b"notat\n")
    key = f"lost-state-{exception}"
    first = backend.upload_document(case.id, source, _meta(f"Notat {exception}"), idempotency_key=key,
                                    state=MemoryResumeState())
    cmis_simulator(served).duplicate_exception = exception
    try:
        second = backend.upload_document(case.id, source, _meta(f"Notat {exception}"), idempotency_key=key,
                                         state=MemoryResumeState())
    finally:
        cmis_simulator(served).duplicate_exception = "nameConstraintViolation"
    assert second.id == first.id and second.already_existed
    other = backend.upload_document(case.id, source, _meta(f"Notat {exception}"), idempotency_key=key + "-other",
                                    state=MemoryResumeState())
    assert other.id != first.id


def test_a_big_file_goes_in_append_content_chunks(served: ReferenceService, backend: CmisService,
                                                 tmp_path: Path) -> None:
    backend.append_chunk_bytes = 100_000
    case = _open(backend, 4)
    content = os.urandom(350_000)
    source = _file(tmp_path, "scanning.pdf", content)
    sim = cmis_simulator(served)
    before = len(sim.received)
    sent: list[int] = []
    ref = backend.upload_document(case.id, source, _meta("Stor scanning"), idempotency_key="big-1",
                                  state=MemoryResumeState(), progress=lambda done, total: sent.append(done))
    actions = [(r["action"], r.get("isLastChunk")) for r in sim.received[before:]]
    assert actions == [("createDocument", None), ("appendContent", "false"), ("appendContent", "false"),
                       ("appendContent", "true")]
    assert all(r["query"]["objectId"] == ref.id for r in sim.received[before + 1:])
    assert ref.size == len(content) and _read(backend, ref.id) == content
    assert sent[-1] == len(content) and sent == sorted(sent)


def test_a_cut_between_chunks_resumes_from_what_the_repository_holds(served: ReferenceService,
                                                                    backend: CmisService, tmp_path: Path) -> None:
    backend.append_chunk_bytes = 100_000
    backend.search_cases(CaseQuery(limit=1))  # discovery done: the requests below are the filing's
    case = _open(backend, 5)
    backend.get_case(case.id)
    content = os.urandom(350_000)
    source = _file(tmp_path, "afbrudt.pdf", content)
    state = MemoryResumeState()
    backend.http.session.mount("http://", CutAfter(3))  # folder, createDocument, 1st append: its answer lost
    with pytest.raises(OutcomeUnknown):
        backend.upload_document(case.id, source, _meta("Afbrudt stor"), idempotency_key="big-cut", state=state)
    backend.http.session.mount("http://", requests.adapters.HTTPAdapter())
    assert backend.find_upload("big-cut", state) is None  # not all of it landed
    sim = cmis_simulator(served)
    before = len(sim.received)
    ref = backend.upload_document(case.id, source, _meta("Afbrudt stor"), idempotency_key="big-cut", state=state)
    assert [r["action"] for r in sim.received[before:]] == ["appendContent", "appendContent"]
    assert _read(backend, ref.id) == content
    assert [d.id for d in backend.list_documents(case.id) if d.title == "Afbrudt stor"] == [ref.id]
    assert backend.find_upload("big-cut", state).id == ref.id


def test_a_refused_append_content_sends_the_file_whole(served: ReferenceService, backend: CmisService,
                                                      tmp_path: Path) -> None:
    backend.append_chunk_bytes = 100_000
    case = _open(backend, 6)
    backend.search_cases(CaseQuery(limit=1))  # the repository info says appendContent is offered
    content = os.urandom(250_000)
    source = _file(tmp_path, "afvist.pdf", content)
    cmis_simulator(served).append_supported = False
    try:
        ref = backend.upload_document(case.id, source, _meta("Afvist append"), idempotency_key="no-append",
                                      state=MemoryResumeState())
    finally:
        cmis_simulator(served).append_supported = True
    assert _read(backend, ref.id) == content
    assert [d.id for d in backend.list_documents(case.id) if d.title == "Afvist append"] == [ref.id]


def test_a_closed_case_is_refused_before_anything_is_sent(served: ReferenceService, backend: CmisService,
                                                         tmp_path: Path) -> None:
    closed = next(c for c in backend.search_cases(CaseQuery(limit=DEMO, include_closed=True)) if c.closed)
    sim = cmis_simulator(served)
    before = len(sim.received)
    with pytest.raises(Conflict) as raised:
        backend.upload_document(closed.id, _file(tmp_path, "x.txt", b"x"), _meta("x"), idempotency_key="closed",
                                state=MemoryResumeState())
    assert closed.number in str(raised.value) and len(sim.received) == before


def test_refusals_are_one_sentence_without_cpr(served: ReferenceService, backend: CmisService) -> None:
    with pytest.raises(ValidationFailed) as raised:
        backend._post_form(backend._repo().url, {"cmisaction": "query", "statement": "SELECT * FROM x WHERE ='0101901234'"},
                           action="searching cases")
    assert "invalidArgument" in str(raised.value) and "\n" not in str(raised.value)
    served.faults = served.faults.__class__(status=400, status_rate=1.0)
    try:
        with pytest.raises(ValidationFailed) as echoed:
            backend.search_cases(CaseQuery(limit=1))
    finally:
        served.faults = served.faults.__class__()
    assert "010190-1234" not in str(echoed.value) and "http" not in str(echoed.value)
    served.faults = served.faults.__class__(status=503, status_rate=1.0)
    try:
        with pytest.raises(Transient):
            backend.search_cases(CaseQuery(limit=1))
    finally:
        served.faults = served.faults.__class__()


def test_basic_sign_in_from_the_settings(tmp_path: Path, memory_keyring) -> None:
    service = ReferenceService(tmp_path / "service", dialect="cmis")
    service.seed_demo(5)
    with service:
        cmis_simulator(service).sign_in.enable(users={"abj": "CMIS-adgangskode-ost-4"})
        settings = load_settings(SettingsFiles(command_line={
            "service.kind": "cmis", "service.url": service.url, "auth.mode": "basic", "auth.username": "abj"}))
        CredentialStore().set(service.url, SecretKind.PASSWORD, "CMIS-adgangskode-ost-4", account="abj")
        backend = backend_for(settings, build_session(settings))
        assert len(backend.search_cases(CaseQuery(limit=3, include_closed=True))) == 3
        CredentialStore().set(service.url, SecretKind.PASSWORD, "CMIS-forkert-kode-vest-8", account="abj")
        with pytest.raises(AuthError) as refused:
            backend_for(settings, build_session(settings)).search_cases(CaseQuery(limit=1))
        assert "CMIS-forkert-kode-vest-8" not in str(refused.value) and "CMIS-adgangskode-ost-4" not in str(refused.value)


def test_documents_as_plain_cmis_documents(served: ReferenceService, tmp_path: Path) -> None:
    backend = CmisService(served.url, requests.Session(), documents=DocumentMapping.parse(""))
    case = _open(backend, 7)
    sim = cmis_simulator(served)
    before = len(sim.received)
    ref = backend.upload_document(case.id, _file(tmp_path, "plain.txt", b"plain\n"), _meta("Helt almindelig"),
                                  idempotency_key="plain", state=MemoryResumeState())
    (received,) = sim.received[before:]
    assert set(received["properties"]) == {"cmis:name", "cmis:objectTypeId", "cmis:description"}
    assert received["properties"]["cmis:objectTypeId"] == "cmis:document"
    assert ref.document_date is None and ref.title == "Helt almindelig"
    with pytest.raises(ValueError):
        DocumentMapping.parse("dato=esdh:dokumentdato")
