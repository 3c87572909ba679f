"""The `workzone` backend against the WorkZone simulator, in-process on a loopback port: the
OData queries it sends and the pages it follows, the two saves of a filing as the server received
them, exactly-once through killed and cut-off attempts, long file names, acting on behalf of a
user, and sign-in with Entra ID client credentials."""

from __future__ import annotations

import io
import json
import logging
import tracemalloc
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import unquote, unquote_plus

import pytest
import requests
from memory_keyring import memory_keyring  # noqa: F401  (fixture)

from caseclient.backends.protocol import CaseQuery, MemoryResumeState
from caseclient.backends.workzone import (
    EXTERNAL_ID_FIELD,
    MAX_FILE_NAME,
    STATE_DOCUMENT,
    WorkZoneService,
    short_file_name,
)
from caseclient.config import SettingsFiles, load_settings
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
    UploadSource,
    ValidationFailed,
)
from caseclient.net import build_session
from caseclient.server import FaultConfig, ReferenceService
from caseclient.server.store.cases import CaseStore, StoredCase
from caseclient.server.workzone import ON_BEHALF_OF_HEADER, token_path, workzone_simulator

DEMO = 140


class Recorder:
    """Every request the backend's session sent: method, path with query, headers, body bytes."""

    def __init__(self, session: requests.Session) -> None:
        self.sent: list[tuple[str, str, dict[str, str], bytes | None]] = []
        session.hooks["response"].append(self._hook)

    def _hook(self, response: requests.Response, **_kw: object) -> requests.Response:
        request = response.request
        body = request.body if isinstance(request.body, bytes) else None
        self.sent.append((request.method or "", unquote_plus(request.path_url), dict(request.headers), body))
        return response

    def posts(self, path: str) -> list[tuple[str, str, dict[str, str], bytes | None]]:
        return [s for s in self.sent if s[0] == "POST" and s[1].split("?")[0].endswith(path)]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    service = ReferenceService(tmp_path_factory.mktemp("workzone") / "service", dialect="workzone")
    service.seed_demo(DEMO, seed=4)
    with service:
        yield service


@pytest.fixture(scope="module")
def demo(served) -> list[StoredCase]:
    store = CaseStore(served.app.extensions["caseclient.database"], served.app.extensions["caseclient.content_store"])
    return sorted(store.search(limit=DEMO), key=lambda c: c.row_id)


@pytest.fixture
def session() -> requests.Session:
    return requests.Session()


@pytest.fixture
def backend(served, session) -> WorkZoneService:
    return WorkZoneService(served.url, session)


def _metadata(title: str, **kw) -> DocumentMetadata:
    return DocumentMetadata(title=title, document_date=date(2026, 12, 3), **kw)


def _source(tmp_path: Path, name: str = "brev.txt", content: bytes = b"brev\n") -> UploadSource:
    path = tmp_path / name
    path.write_bytes(content)
    return UploadSource.from_path(path)


def test_a_service_root_given_with_odata4_is_the_same(served, session) -> None:
    assert WorkZoneService(served.url + "/OData4/", session).http.base_url == served.url + "/OData4"


def test_searches_follow_every_page_and_keep_the_order(backend, session, demo) -> None:
    recorder = Recorder(session)
    everything = backend.search_cases(CaseQuery(limit=500, include_closed=True))
    assert [c.id for c in everything] == [str(c.row_id) for c in demo]
    assert sum(1 for s in recorder.sent if "/OData4/Files" in s[1]) == -(-DEMO // 50)  # pages of 50
    middle = backend.search_cases(CaseQuery(limit=60, offset=45, include_closed=True))
    assert [c.id for c in middle] == [c.id for c in everything[45:105]]
    assert "$skip=45" in recorder.sent[-2][1] and "$top=60" in recorder.sent[-2][1]


def test_kle_groups_numbers_titles_and_caseworkers(backend, session, demo) -> None:
    recorder = Recorder(session)
    case = next(c for c in demo if c.kle and not c.closed)
    found = backend.search_cases(CaseQuery(text=case.kle[:5], limit=500))
    assert str(case.row_id) in {c.id for c in found} and all(c.kle.startswith(case.kle[:5]) for c in found)
    assert "startswith(Classification_Value,'" + case.kle[:5] + "')" in recorder.sent[0][1]
    number = backend.get_case(str(case.row_id)).number
    assert backend.find_case_by_number(number).id == str(case.row_id)
    assert [c.id for c in backend.search_cases(CaseQuery(case_number=number[:6] + "*", limit=500, include_closed=True))
            if c.id == str(case.row_id)]
    with pytest.raises(NotFound):
        backend.find_case_by_number("1999/99-0")
    quoted = backend.search_cases(CaseQuery(title="O'Brien", limit=5))  # a quote in a literal is doubled
    assert quoted == [] and "contains(Title,'O''Brien')" in recorder.sent[-1][1]
    worker = backend.get_case(str(case.row_id)).caseworker
    mine = backend.search_cases(CaseQuery(caseworker=worker, limit=500))
    assert str(case.row_id) in {c.id for c in mine} and {c.caseworker for c in mine} == {worker}
    assert not any(c.closed for c in mine)


def test_a_party_is_found_through_its_contact_and_file_contacts(backend, session, demo) -> None:
    case = next(c for c in demo if any(p.kind == "cpr" for p in c.parties))
    party = next(p for p in case.parties if p.kind == "cpr")
    recorder = Recorder(session)
    from caseclient.domain import Cpr

    found = backend.search_cases(CaseQuery(party=Party(cpr=Cpr(party.number)), limit=50, include_closed=True))
    assert {c.id for c in found} == {str(c.row_id) for c in demo if any(p.urn == party.urn for p in c.parties)}
    paths = [s[1] for s in recorder.sent]
    assert paths[0].startswith("/OData4/Contacts?") and "NameType_Value eq 'CPR'" in paths[0]
    assert paths[1].startswith("/OData4/FileContacts?") and paths[2].startswith("/OData4/Files?")
    assert backend.search_cases(CaseQuery(text=f"{party.number[:6]}-{party.number[6:]}", limit=50, include_closed=True))
    parties = backend.get_case(str(case.row_id)).parties
    assert any(p.cpr and p.cpr.digits == party.number and p.name for p in parties)


def test_filing_is_a_streamed_document_then_a_record_read_back_for_its_number(backend, session, served, demo, tmp_path) -> None:
    case = next(c for c in demo if not c.closed)
    officer = backend.get_case(str(case.row_id)).caseworker  # the case's, given to the record
    recorder = Recorder(session)
    progress: list[tuple[int, int]] = []
    source = _source(tmp_path, "Svar til Søren.pdf", b"%PDF-1.4\n" + b"x" * 3_000_000)
    key = f"wz-{uuid.uuid4()}"
    ref = backend.upload_document(str(case.row_id), source, _metadata("Svar", direction=Direction.OUTGOING,
                                                                      description="Svar på ansøgning"),
                                  idempotency_key=key, state=MemoryResumeState(),
                                  progress=lambda sent, total: progress.append((sent, total)))
    (document_post,) = recorder.posts("/Documents")
    assert document_post[2]["Content-Length"] == str(source.size) and document_post[2]["Content-Type"] == "application/pdf"
    assert unquote(document_post[2]["Slug"]) == "Svar til Søren.pdf" and "Transfer-Encoding" not in document_post[2]
    (record_post,) = recorder.posts("/Records")
    body = json.loads(record_post[3])
    assert body == {"FileKey_Value": str(case.row_id), "ExternalDocId": ref.extra["document"], "Title": "Svar",
                    "RecordType_Value": "U", "LetterDate": "2026-12-03", EXTERNAL_ID_FIELD: key,
                    "Resume": "Svar på ansøgning", "Officer_Value": officer}
    assert recorder.sent[-1][0] == "GET" and f"Records('{ref.id}')" in recorder.sent[-1][1]  # the second GET
    assert ref.extra["record_no"] and ref.case_id == str(case.row_id) and ref.direction is Direction.OUTGOING
    assert progress[-1] == (source.size, source.size)
    sink = io.BytesIO()
    assert backend.read_content(ref.id, sink) == source.size and sink.getvalue() == source.path.read_bytes()
    assert not any("$batch" in s[1] for s in recorder.sent)


def test_a_long_file_name_is_shortened_keeping_its_extension(backend, demo, tmp_path) -> None:
    name = "Meget langt navn på et høringssvar " * 4 + ".docx"
    assert len(short_file_name(name)) == MAX_FILE_NAME and short_file_name(name).endswith(".docx")
    assert short_file_name("kort.pdf") == "kort.pdf"
    case = next(c for c in demo if not c.closed)
    ref = backend.upload_document(str(case.row_id), _source(tmp_path, name[:200]), _metadata("Langt navn"),
                                  idempotency_key=f"wz-{uuid.uuid4()}", state=MemoryResumeState())
    assert len(ref.filename) == MAX_FILE_NAME and ref.filename.endswith(".docx")


def test_a_killed_attempt_between_the_two_phases_resumes_without_a_second_document(backend, session, demo, tmp_path) -> None:
    case = next(c for c in demo if not c.closed)
    source = _source(tmp_path, "afbrudt.pdf", b"%PDF-1.4\nafbrudt\n")
    key, state = f"wz-{uuid.uuid4()}", MemoryResumeState()
    recorder = Recorder(session)

    class Killed(BaseException):
        pass

    def kill_before_the_record(request: requests.PreparedRequest) -> None:
        if request.method == "POST" and request.path_url.endswith("/Records"):
            raise Killed()  # the process dies: nothing more is sent

    original = session.send

    def send(request, **kwargs):  # type: ignore[no-untyped-def]
        kill_before_the_record(request)
        return original(request, **kwargs)

    session.send = send  # type: ignore[method-assign]
    with pytest.raises(Killed):
        backend.upload_document(str(case.row_id), source, _metadata("Afbrudt"), idempotency_key=key, state=state)
    session.send = original  # type: ignore[method-assign]
    assert state.get(STATE_DOCUMENT) and backend.find_upload(key, state) is None
    ref = backend.upload_document(str(case.row_id), source, _metadata("Afbrudt"), idempotency_key=key, state=state)
    assert len(recorder.posts("/Documents")) == 1 and ref.extra["document"] == state.get(STATE_DOCUMENT)
    assert [d.id for d in backend.list_documents(str(case.row_id)) if d.title == "Afbrudt"] == [ref.id]


def test_a_lost_answer_to_the_record_is_found_by_its_external_id(backend, served, session, demo, tmp_path) -> None:
    case = next(c for c in demo if not c.closed)
    source = _source(tmp_path)
    key, state = f"wz-{uuid.uuid4()}", MemoryResumeState()

    def lose_the_answer(response: requests.Response, **_kw: object) -> requests.Response:
        if response.request.method == "POST" and response.request.path_url.endswith("/Records"):
            raise requests.ConnectionError("the answer was lost")
        return response

    session.hooks["response"].append(lose_the_answer)
    with pytest.raises(OutcomeUnknown):
        backend.upload_document(str(case.row_id), source, _metadata("Tabt svar"), idempotency_key=key, state=state)
    session.hooks["response"].remove(lose_the_answer)
    found = backend.find_upload(key, state)
    assert found is not None and found.already_existed
    again = backend.upload_document(str(case.row_id), source, _metadata("Tabt svar"), idempotency_key=key, state=state)
    assert again.id == found.id and again.already_existed
    assert [d.id for d in backend.list_documents(str(case.row_id)) if d.title == "Tabt svar"] == [found.id]
    other = next(c for c in demo if not c.closed and c.row_id != case.row_id)
    with pytest.raises(Conflict):  # the same key for another case: never filed twice
        backend.upload_document(str(other.row_id), source, _metadata("Tabt svar"), idempotency_key=key, state=state)


def test_closed_and_unknown_cases_and_refusals_in_one_sentence(backend, served, demo, tmp_path) -> None:
    closed = next(c for c in demo if c.closed)
    with pytest.raises(Conflict) as refused:
        backend.upload_document(str(closed.row_id), _source(tmp_path), _metadata("Lukket"),
                                idempotency_key="wz-lukket", state=MemoryResumeState())
    assert "closed" in str(refused.value)
    with pytest.raises(NotFound):
        backend.get_case("99999999")
    served.faults = FaultConfig(status=400, status_rate=1.0)
    try:
        with pytest.raises(ValidationFailed) as invalid:
            backend.search_cases(CaseQuery(limit=3))
    finally:
        served.faults = FaultConfig()
    message = str(invalid.value)
    assert "010190-xxxx" in message and "010190-1234" not in message and "http" not in message


def test_acting_on_behalf_of_a_user(served, session, demo) -> None:
    worker = next(c for c in demo if c.caseworker and not c.closed)
    officer = WorkZoneService(served.url, session).get_case(str(worker.row_id)).caseworker
    backend = WorkZoneService(served.url, session, on_behalf_of=officer.lower())
    recorder = Recorder(session)
    mine = backend.search_cases(CaseQuery(caseworker=officer.lower(), limit=500))
    assert str(worker.row_id) in {c.id for c in mine} and not any(c.closed for c in mine)
    assert "inDomain('my_open_cases')" in recorder.sent[0][1]
    assert all(s[2].get(ON_BEHALF_OF_HEADER) == officer.lower() for s in recorder.sent)
    custom = WorkZoneService(served.url, session, on_behalf_of="abj", on_behalf_of_header="X-Acting-For")
    assert custom.headers["X-Acting-For"] == "abj" and ON_BEHALF_OF_HEADER not in custom.headers


def test_uploads_are_streamed(backend, demo, tmp_path) -> None:
    case = next(c for c in demo if not c.closed)
    path = tmp_path / "stor.bin"
    with path.open("wb") as f:
        for _ in range(96):
            f.write(b"\x5a" * (1 << 20))
    source = UploadSource.from_path(path)
    tracemalloc.start()
    try:
        backend.upload_document(str(case.row_id), source, _metadata("Stor"), idempotency_key=f"wz-{uuid.uuid4()}",
                                state=MemoryResumeState())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 24 * (1 << 20), f"peak Python memory {peak / 2**20:.0f} MiB while filing 96 MiB (client and server)"


CLIENT_SECRET = "wz-klient-hemmelighed-7c1"
APP_ID_URI = "https://kommune.workzone.cloud"


def test_sign_in_with_entra_client_credentials(tmp_path, memory_keyring, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    service = ReferenceService(tmp_path / "service", dialect="workzone")
    service.seed_demo(5)
    with service:
        sign_in = workzone_simulator(service).sign_in.enable(client_id="caseclient", client_secret=CLIENT_SECRET,
                                                             app_id_uri=APP_ID_URI)
        settings = load_settings(SettingsFiles(command_line={
            "service.kind": "workzone", "service.url": service.url, "auth.mode": "oauth2_client_credentials",
            "auth.client_id": "caseclient", "auth.token_url": service.url + token_path("kommune"),
            "auth.scope": f"{APP_ID_URI}/.default"}))
        CredentialStore().set(service.url, SecretKind.CLIENT_SECRET, "WZ-forkert-hemmelighed-2", account="caseclient")
        with pytest.raises(AuthError):
            backend_for(settings, build_session(settings)).search_cases(CaseQuery(limit=3))
        CredentialStore().set(service.url, SecretKind.CLIENT_SECRET, CLIENT_SECRET, account="caseclient")
        backend = backend_for(settings, build_session(settings))
        assert isinstance(backend, WorkZoneService)
        assert len(backend.search_cases(CaseQuery(limit=3, include_closed=True))) == 3
        assert sign_in.scopes[-1] == f"{APP_ID_URI}/.default" and sign_in.seen[-1] == "accepted"
        sign_in.revoke_all()  # a revoked token: the 401 fetches a new one and the request is repeated
        assert len(backend.search_cases(CaseQuery(limit=3, include_closed=True))) == 3
        case = next(c for c in backend.search_cases(CaseQuery(limit=5)))
        path = tmp_path / "brev.txt"
        path.write_bytes(b"brev\n")
        sign_in.revoke_all()  # the Document's body is sent again after the 401
        ref = backend.upload_document(case.id, UploadSource.from_path(path), _metadata("Efter 401"),
                                      idempotency_key="efter-401", state=MemoryResumeState())
        sink = io.BytesIO()
        assert backend.read_content(ref.id, sink) == 5 and sink.getvalue() == b"brev\n"
    logged = caplog.text
    assert CLIENT_SECRET not in logged
    assert not any(token in logged for token in sign_in._access)  # noqa: SLF001 - the issued tokens
