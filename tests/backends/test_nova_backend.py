"""The `nova` backend against the KMD Nova simulator, in-process on a loopback port: api-version and
the common block on every request, the searches it sends, the Import it files with, the resume
state written before each phase, a killed attempt between the phases resumed without a second
document, safety when Nova already has the uuid, streaming both ways, errors in one sentence, and
sign-in with client credentials."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import tracemalloc
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import requests
from memory_keyring import memory_keyring  # noqa: F401  (fixture)

from caseclient.backends.nova import (
    IMPORTED,
    IMPORTING,
    STATE_CASE,
    STATE_DOCUMENT,
    STATE_PHASE,
    STATE_TRANSACTION,
    UPLOADED,
    UPLOADING,
    NovaService,
    document_uuid_for,
    transaction_id_for,
)
from caseclient.backends.protocol import CaseQuery, MemoryResumeState
from caseclient.config import SettingsFiles, load_settings
from caseclient.connection import backend_for
from caseclient.credentials import CredentialStore, SecretKind
from caseclient.domain import (
    AuthError,
    Conflict,
    Cpr,
    Direction,
    DocumentMetadata,
    NotFound,
    NotSupported,
    Party,
    Sensitivity,
    UploadSource,
    ValidationFailed,
)
from caseclient.net import build_session
from caseclient.server import FaultConfig, ReferenceService
from caseclient.server.nova import TOKEN_PATH, nova_simulator
from caseclient.server.nova import render
from caseclient.server.store.cases import CaseStore, StoredCase

DEMO = 80


class Recorder:
    """Every request the backend's session sent: (method, path, query, JSON body or None)."""

    def __init__(self, session: requests.Session) -> None:
        self.sent: list[tuple[str, str, str, object]] = []
        session.hooks["response"].append(self._record)

    def _record(self, response: requests.Response, **_kwargs: object) -> None:
        request = response.request
        body = request.body if isinstance(request.body, (bytes, str)) else None
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        path, _, query = request.path_url.partition("?")
        self.sent.append((request.method or "", path, query, parsed))

    def bodies(self, path: str) -> list[dict]:
        return [b for _m, p, _q, b in self.sent if p == path]

    def paths(self) -> list[str]:
        return [p for _m, p, _q, _b in self.sent]

    def clear(self) -> None:
        self.sent.clear()


class WatchedState(MemoryResumeState):
    """A ResumeState that remembers every put: (key, value, durable)."""

    def __init__(self) -> None:
        super().__init__()
        self.puts: list[tuple[str, str, bool]] = []

    def put(self, key: str, value: str, *, durable: bool = True) -> None:
        self.puts.append((key, value, durable))
        super().put(key, value, durable=durable)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    served = ReferenceService(tmp_path_factory.mktemp("nova-backend") / "service", dialect="nova")
    served.seed_demo(DEMO, seed=4)
    with served:
        yield served


@pytest.fixture
def session() -> Iterator[requests.Session]:
    with requests.Session() as s:
        yield s


@pytest.fixture
def backend(service, session) -> NovaService:
    return NovaService(service.url, session)


@pytest.fixture(scope="module")
def demo(service) -> list[StoredCase]:
    return CaseStore(service.app.extensions["caseclient.database"],
                     service.app.extensions["caseclient.content_store"]).search(limit=DEMO)


def _metadata(title: str, **kw) -> DocumentMetadata:
    return DocumentMetadata(title=title, document_date=date(2026, 12, 3), **kw)


def _open(demo: list[StoredCase], n: int) -> StoredCase:
    return [c for c in demo if not c.closed][n]


def _file(tmp_path: Path, name: str = "brev.txt", content: bytes = b"Kaere borger\n") -> UploadSource:
    path = tmp_path / name
    path.write_bytes(content)
    return UploadSource.from_path(path)


def _with_uuid(backend: NovaService, case_id: str, document: str) -> list:
    return [d for d in backend.list_documents(case_id) if d.id == document]


# -- the wire ----------------------------------------------------------------------------------------

def test_every_request_carries_the_api_version_and_every_body_a_common_block(backend, session, demo, tmp_path):
    recorder = Recorder(session)
    case = _open(demo, 0)
    backend.search_cases(CaseQuery(text="27.24", limit=5))
    backend.get_case(case.uuid)
    ref = backend.upload_document(case.uuid, _file(tmp_path), _metadata("Brev"), idempotency_key="wire-1",
                                  state=MemoryResumeState())
    backend.list_documents(case.uuid)
    backend.read_content(ref.id, io.BytesIO())
    assert {q for _m, _p, q, _b in recorder.sent} == {"api-version=2.0-Case"}
    for method, path, _q, body in recorder.sent:
        if method == "PUT" or path.endswith("/Import"):
            assert uuid.UUID(body["common"]["transactionId"]), path
    for path in ("/api/Document/GetFile", "/api/Document/Import"):
        assert all(b["common"]["uuid"] == ref.id for b in recorder.bodies(path))
    get_case = [b for b in recorder.bodies("/api/Case/GetList") if b["common"].get("uuid")]
    assert get_case and get_case[0]["common"]["uuid"] == case.uuid


def test_the_api_version_is_configurable(service, session, demo):
    simulator = nova_simulator(service)
    simulator.api_versions = ("1.0-Case",)
    try:
        with pytest.raises(ValidationFailed) as refused:
            NovaService(service.url, session).search_cases(CaseQuery(limit=3))
        assert "http" not in str(refused.value) and "127.0.0.1:" in str(refused.value)
        assert "does not support the API version '2.0-Case'" in str(refused.value)
        assert len(NovaService(service.url, session, api_version="1.0-Case").search_cases(CaseQuery(limit=3))) == 3
        from_address = NovaService(service.url + "/api?api-version=1.0-Case", session)
        assert from_address.api_version == "1.0-Case" and from_address.get_case(demo[0].uuid).id == demo[0].uuid
    finally:
        simulator.api_versions = ("1.0-Case", "2.0-Case")


def test_searches_send_nova_s_criteria_and_pages_of_at_most_500(backend, session, demo):
    recorder = Recorder(session)
    person = next(p for c in demo for p in c.parties if p.kind == "cpr")
    found = backend.search_cases(CaseQuery(party=Party(cpr=Cpr(person.number)), include_closed=True))
    assert found and all(any(p.cpr and p.cpr.digits == person.number for p in c.parties) for c in found)
    assert recorder.bodies("/api/Case/GetList")[-1]["caseParty"] == {"identificationType": "CprNummer",
                                                                     "identification": person.number}
    recorder.clear()
    found = backend.search_cases(CaseQuery(text="27.24", limit=500, include_closed=True))
    assert {c.id for c in found} == {c.uuid for c in demo if (c.kle or "").startswith("27.24")}
    sent = recorder.bodies("/api/Case/GetList")
    assert {"caseClassification": {"kleNumber": {"code": "27.24*"}}}.items() <= sent[1].items()
    assert all(1 <= b["paging"]["numberOfRows"] <= 500 and b["paging"]["startRow"] >= 1 for b in sent)
    recorder.clear()
    listed = backend.search_cases(CaseQuery(limit=30, include_closed=True))
    number = listed[9].number
    assert backend.find_case_by_number(number.lower()).id == listed[9].id
    assert recorder.bodies("/api/Case/GetList")[-1]["caseAttributes"] == {"userFriendlyCaseNumber": number.lower()}
    prefix = backend.search_cases(CaseQuery(case_number=number[:7] + "*", limit=500, include_closed=True))
    assert listed[9].id in {c.id for c in prefix} and all(c.number.startswith(number[:7]) for c in prefix)


def test_the_caseworker_is_searched_as_a_user_or_a_unit(backend, session, demo):
    recorder = Recorder(session)
    listed = backend.search_cases(CaseQuery(limit=DEMO, include_closed=True))
    unit_case = next(c for c in listed if render.has_unit_caseworker(next(d for d in demo if d.uuid == c.id)))
    user_case = next(c for c in listed if c.caseworker != unit_case.caseworker)
    for case, criterion in ((user_case, "kspIdentity"), (unit_case, "losIdentity")):
        found = backend.search_cases(CaseQuery(caseworker=case.caseworker, limit=DEMO, include_closed=True))
        assert case.id in {c.id for c in found} and {c.caseworker for c in found} == {case.caseworker}
        assert list(recorder.bodies("/api/Case/GetList")[-1]["caseworker"]) == [criterion]
    fresh = NovaService(backend.http.base_url, session)  # has seen no case: a uuid is tried as a user first
    recorder.clear()
    found = fresh.search_cases(CaseQuery(caseworker=unit_case.caseworker, limit=DEMO, include_closed=True))
    assert unit_case.id in {c.id for c in found}
    assert [list(b["caseworker"]) for b in recorder.bodies("/api/Case/GetList")] == [["kspIdentity"], ["losIdentity"]]
    login = next(w.login for w in render.CASEWORKERS if w.uuid == user_case.caseworker)
    by_racf = backend.search_cases(CaseQuery(caseworker=login, limit=DEMO, include_closed=True))
    assert {c.id for c in by_racf} == {c.id for c in backend.search_cases(
        CaseQuery(caseworker=user_case.caseworker, limit=DEMO, include_closed=True))}
    assert recorder.bodies("/api/Case/GetList")[-2]["caseworker"] == {"kspIdentity": {"racfId": login}}


@pytest.mark.parametrize("sensitivity, expected", [
    (Sensitivity.NORMAL, "IkkeFortrolige"), (Sensitivity.CONFIDENTIAL, "Fortrolige"),
    (Sensitivity.SENSITIVE, "Følsomme"), (Sensitivity.SPECIAL, "SærligFølsomme")])
def test_the_import_carries_the_metadata_nova_takes(backend, session, demo, tmp_path, sensitivity, expected):
    recorder = Recorder(session)
    case = _open(demo, 1)
    person = next((p for p in case.parties if p.kind == "cpr"), None)
    parties = (Party(cpr=Cpr(person.number)),) if person else ()
    key = f"import-{sensitivity.value}-{uuid.uuid4()}"
    direction = Direction.OUTGOING if sensitivity is Sensitivity.SPECIAL else Direction.INCOMING
    ref = backend.upload_document(case.uuid, _file(tmp_path), _metadata(
        "Afgørelse om støtte", sensitivity=sensitivity, direction=direction, parties=parties,
        description="Sendt med Digital Post", finalize=False), idempotency_key=key, state=MemoryResumeState())
    document, transaction = document_uuid_for(key), transaction_id_for(key)
    assert ref.id == document and not ref.already_existed
    upload = [p for p in recorder.paths() if p.startswith("/api/Document/UploadFile/")]
    assert upload == [f"/api/Document/UploadFile/{transaction}/{document}"]
    body = recorder.bodies("/api/Document/Import")[0]
    assert body["common"] == {"transactionId": transaction, "uuid": document}
    assert {k: body[k] for k in ("caseUuid", "title", "sensitivity", "documentDate", "documentType", "approved",
                                 "description", "acceptReceived")} == {
        "caseUuid": case.uuid, "title": "Afgørelse om støtte", "sensitivity": expected,
        "documentDate": "2026-12-03T00:00:00", "documentType": "Udgående" if direction is Direction.OUTGOING else "Indgående",
        "approved": False, "description": "Sendt med Digital Post", "acceptReceived": direction is Direction.INCOMING}
    if person:
        assert body["documentParty"] == {"identificationType": "CprNummer", "identification": person.number}
    listed = _with_uuid(backend, case.uuid, document)
    assert [d.title for d in listed] == ["Afgørelse om støtte"] and listed[0].direction is direction


# -- exactly once -------------------------------------------------------------------------------------

def test_the_resume_state_is_written_before_each_phase(backend, session, demo, tmp_path):
    state = WatchedState()
    seen: dict[str, tuple[str | None, str | None, bool]] = {}

    def note(response: requests.Response, **_kw: object) -> None:
        path = response.request.path_url.split("?")[0]
        phase_puts = [p for p in state.puts if p[0] == STATE_PHASE]
        if "/UploadFile/" in path or path.endswith("/Import"):
            seen[path.rsplit("/", 1)[-1] if path.endswith("Import") else "UploadFile"] = (
                state.get(STATE_PHASE), state.get(STATE_CASE), phase_puts[-1][2])

    session.hooks["response"].append(note)
    case = _open(demo, 2)
    key = f"phases-{uuid.uuid4()}"
    backend.upload_document(case.uuid, _file(tmp_path), _metadata("Faser"), idempotency_key=key, state=state)
    assert seen["UploadFile"] == (UPLOADING, case.uuid, False)
    assert seen["Import"] == (IMPORTING, case.uuid, True)  # durable: after it, no import without looking
    assert state[STATE_DOCUMENT] == document_uuid_for(key) and state[STATE_TRANSACTION] == transaction_id_for(key)
    assert state[STATE_PHASE] == IMPORTED


class Killed(Exception):
    pass


def test_a_killed_attempt_between_the_phases_resumes_without_a_second_document(service, demo, tmp_path):
    case = _open(demo, 3)
    key, state = f"killed-{uuid.uuid4()}", MemoryResumeState()
    source = _file(tmp_path, "Indstilling.pdf", b"%PDF-1.4\n" + os.urandom(50_000))

    class KillBeforeImport(requests.adapters.HTTPAdapter):
        def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
            if request.path_url.startswith("/api/Document/Import"):
                raise Killed()
            return super().send(request, **kwargs)

    with requests.Session() as dying:
        dying.mount("http://", KillBeforeImport())
        with pytest.raises(Killed):
            NovaService(service.url, dying).upload_document(case.uuid, source, _metadata("Indstilling"),
                                                            idempotency_key=key, state=state)
    assert state[STATE_PHASE] == IMPORTING
    with requests.Session() as fresh:
        recorder = Recorder(fresh)
        backend = NovaService(service.url, fresh)
        assert backend.find_upload(key, state) is None
        ref = backend.upload_document(case.uuid, source, _metadata("Indstilling"), idempotency_key=key, state=state)
        assert not any("/UploadFile/" in p for p in recorder.paths())  # the file Nova holds is not sent again
        assert [d.id for d in _with_uuid(backend, case.uuid, ref.id)] == [ref.id]
        sink = io.BytesIO()
        backend.read_content(ref.id, sink)
        assert sink.getvalue() == source.path.read_bytes()
        again = backend.upload_document(case.uuid, source, _metadata("Indstilling"), idempotency_key=key, state=state)
        assert again.id == ref.id and again.already_existed
        assert backend.find_upload(key, state).id == ref.id


def test_an_upload_nova_no_longer_holds_is_sent_again(backend, service, session, demo, tmp_path):
    case = _open(demo, 4)
    key = f"expired-{uuid.uuid4()}"
    document = document_uuid_for(key)
    state = MemoryResumeState({STATE_DOCUMENT: document, STATE_TRANSACTION: transaction_id_for(key),
                               STATE_CASE: case.uuid, STATE_PHASE: UPLOADED})
    recorder = Recorder(session)
    ref = backend.upload_document(case.uuid, _file(tmp_path), _metadata("Udløbet"), idempotency_key=key, state=state)
    phases = ["UploadFile" if "/UploadFile/" in p else "Import" for p in recorder.paths()
              if "/UploadFile/" in p or p.endswith("/Import")]
    assert phases == ["Import", "UploadFile", "Import"]  # Nova had no file for the uuid: sent again
    assert [d.id for d in _with_uuid(backend, case.uuid, document)] == [ref.id]


def test_a_lost_resume_state_still_files_once(backend, demo, tmp_path):
    case = _open(demo, 5)
    key = f"lost-state-{uuid.uuid4()}"
    source = _file(tmp_path)
    first = backend.upload_document(case.uuid, source, _metadata("Tabt tilstand"), idempotency_key=key,
                                    state=MemoryResumeState())
    # A state lost in a power cut: the upload's uuid follows from the key, Nova refuses the second
    # UploadFile and Import (409), and the backend finds the document it already holds.
    second = backend.upload_document(case.uuid, source, _metadata("Tabt tilstand"), idempotency_key=key,
                                     state=MemoryResumeState())
    assert second.id == first.id and second.already_existed
    assert len(_with_uuid(backend, case.uuid, first.id)) == 1


def test_an_earlier_attempt_on_another_case_is_not_filed_twice(backend, demo, tmp_path):
    key, state = f"other-case-{uuid.uuid4()}", MemoryResumeState()
    backend.upload_document(_open(demo, 6).uuid, _file(tmp_path), _metadata("Flyttet"), idempotency_key=key, state=state)
    with pytest.raises(Conflict):
        backend.upload_document(_open(demo, 7).uuid, _file(tmp_path), _metadata("Flyttet"), idempotency_key=key,
                                state=state)


def test_closed_and_unknown_cases_take_nothing(backend, session, demo, tmp_path):
    closed = next(c for c in demo if c.closed)
    with pytest.raises(Conflict) as refused:
        backend.upload_document(closed.uuid, _file(tmp_path), _metadata("Lukket"), idempotency_key="closed",
                                state=MemoryResumeState())
    assert "closed" in str(refused.value)
    for missing in (str(uuid.uuid4()), "S2024-00001"):
        with pytest.raises(NotFound):
            backend.upload_document(missing, _file(tmp_path), _metadata("Ukendt"), idempotency_key="unknown",
                                    state=MemoryResumeState())
    recorder = Recorder(session)
    big = _file(tmp_path, "stor.pdf", os.urandom((1 << 20) + 1))  # read the case before sending a big file
    for case_id, error in ((str(uuid.uuid4()), NotFound), (closed.uuid, Conflict)):
        with pytest.raises(error):
            backend.upload_document(case_id, big, _metadata("Stor"), idempotency_key=f"big-{case_id}",
                                    state=MemoryResumeState())
    assert recorder.paths() == ["/api/Case/GetList", "/api/Case/GetList"]
    with pytest.raises(NotSupported):
        backend.upload_to_inbox(_file(tmp_path), _metadata("Indbakke"), idempotency_key="inbox",
                                state=MemoryResumeState())


# -- streaming and errors --------------------------------------------------------------------------------

def test_files_are_streamed_both_ways(backend, demo, tmp_path):
    size = 64 << 20
    path = tmp_path / "scanning.pdf"
    with path.open("wb") as f:
        block = os.urandom(1 << 20)
        for n in range(size >> 20):
            f.write(block[n:] + block[:n])
    source = UploadSource.from_path(path)
    tracemalloc.start()
    try:
        ref = backend.upload_document(_open(demo, 8).uuid, source, _metadata("Stor scanning"),
                                      idempotency_key=f"big-{uuid.uuid4()}", state=MemoryResumeState())
        digest = hashlib.sha256()

        class Sink:
            def write(self, block: bytes) -> int:
                digest.update(block)
                return len(block)

        assert backend.read_content(ref.id, Sink()) == size  # type: ignore[arg-type]
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest.hexdigest() == source.sha256
    assert peak < 24 << 20, f"peak Python memory {peak / 2**20:.0f} MiB while filing and reading 64 MiB (client and server)"


def test_a_refusal_is_one_sentence_without_address_or_cpr(backend, service, demo, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    case = _open(demo, 9)
    service.faults = FaultConfig(status=400, status_rate=1.0)
    try:
        with pytest.raises(ValidationFailed) as refused:
            backend.upload_document(case.uuid, _file(tmp_path), _metadata("Fejl"), idempotency_key="refused",
                                    state=MemoryResumeState())
    finally:
        service.faults = FaultConfig()
    message = str(refused.value)
    assert "010190-xxxx" in message and "0101901234" not in message and "http" not in message, message
    assert message.startswith("KMD Nova at 127.0.0.1:") and message.endswith(").")


# -- sign-in -------------------------------------------------------------------------------------------

def test_sign_in_with_client_credentials(tmp_path, memory_keyring):
    served = ReferenceService(tmp_path / "service", dialect="nova")
    served.seed_demo(5)
    with served:
        sign_in = nova_simulator(served).sign_in.enable(client_id="caseclient", client_secret="nova-cs-1f2e")
        settings = load_settings(SettingsFiles(command_line={
            "service.kind": "nova", "service.url": served.url, "auth.mode": "oauth2_client_credentials",
            "auth.client_id": "caseclient", "auth.scope": "client", "auth.token_url": served.url + TOKEN_PATH}))
        store = CredentialStore()
        store.set(served.url, SecretKind.CLIENT_SECRET, "Nova-forkert-hemmelighed-3", account="caseclient")
        with pytest.raises(AuthError):
            backend_for(settings, build_session(settings)).search_cases(CaseQuery(limit=2))
        store.set(served.url, SecretKind.CLIENT_SECRET, "nova-cs-1f2e", account="caseclient")
        backend = backend_for(settings, build_session(settings))
        assert isinstance(backend, NovaService)
        cases = backend.search_cases(CaseQuery(limit=5, include_closed=True))
        assert len(cases) == 5 and sign_in.seen[-1] == "accepted"
        sign_in.revoke_all()  # a token revoked early: the 401 fetches a new one
        case = next(c for c in cases if not c.closed)
        ref = backend.upload_document(case.id, _file(tmp_path), _metadata("Efter 401"), idempotency_key="signed-in",
                                      state=MemoryResumeState())
        assert [d.id for d in _with_uuid(backend, case.id, ref.id)] == [ref.id]
        assert "refused" in sign_in.seen and set(sign_in.grants) == {"client_credentials"}
