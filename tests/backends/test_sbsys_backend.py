"""The `sbsys` backend against the SBSYS simulator, in-process on a loopback port: the searches it
sends, the DTO it files with (as the server received it), exactly-once by Eksternid, the
installation's own ids, drafts, and sign-in with the OAuth2 password grant."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import tracemalloc
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import requests
from memory_keyring import memory_keyring  # noqa: F401  (fixture)

from caseclient.backends.protocol import Capability, CaseQuery, MemoryResumeState
from caseclient.backends.sbsys import STATE_SENT_TO, SbsysService
from caseclient.config import SettingsFiles, load_settings
from caseclient.connection import backend_for
from caseclient.credentials import CredentialStore, SecretKind
from caseclient.domain import (
    AuthError,
    Conflict,
    Cpr,
    Cvr,
    Direction,
    DocumentMetadata,
    NotFound,
    NotSupported,
    OutcomeUnknown,
    Party,
    Sensitivity,
    UploadSource,
    ValidationFailed,
)
from caseclient.net import MissingSecret, build_session
from caseclient.server import FaultConfig, ReferenceService
from caseclient.server.sbsys import TOKEN_PATH, sbsys_simulator
from caseclient.server.store.cases import CaseStore, StoredCase

DEMO = 80


class Recorder:
    """Every request the backend's session sent: (method, path, JSON body or None)."""

    def __init__(self, session: requests.Session) -> None:
        self.sent: list[tuple[str, str, object]] = []
        session.hooks["response"].append(self._record)

    def _record(self, response: requests.Response, **_kwargs: object) -> None:
        request = response.request
        body = request.body if isinstance(request.body, (bytes, str)) else None
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        self.sent.append((request.method or "", request.path_url.split("?")[0], parsed))

    def paths(self, method: str | None = None) -> list[str]:
        return [p for m, p, _ in self.sent if method is None or m == method]

    def searches(self) -> list[dict]:
        return [b for m, p, b in self.sent if p == "/api/sag/search"]

    def clear(self) -> None:
        self.sent.clear()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    served = ReferenceService(tmp_path_factory.mktemp("sbsys-backend") / "service", dialect="sbsys")
    served.seed_demo(DEMO, seed=4)
    with served:
        yield served


@pytest.fixture(scope="module")
def demo(service) -> list[StoredCase]:
    store = CaseStore(service.app.extensions["caseclient.database"], service.app.extensions["caseclient.content_store"])
    return store.search(limit=DEMO)


@pytest.fixture
def session() -> requests.Session:
    return requests.Session()


@pytest.fixture
def sbsys(service, session) -> SbsysService:
    return SbsysService(service.url, session)


@pytest.fixture
def sent(session) -> Recorder:
    return Recorder(session)


def _file(tmp_path: Path, name: str = "brev.txt", content: bytes = b"Kaere borger\n") -> UploadSource:
    path = tmp_path / name
    path.write_bytes(content)
    return UploadSource.from_path(path)


def _metadata(title: str = "Brev", **kw) -> DocumentMetadata:
    return DocumentMetadata(title=title, document_date=date(2026, 12, 3), **kw)


def _open_cases(demo: list[StoredCase]) -> list[StoredCase]:
    return [c for c in demo if not c.closed]


# -- searching ------------------------------------------------------------------------------------

def test_number_prefix_and_free_text_search_a_number_interval(sbsys, sent, demo):
    case = demo[9]
    group = case.number[:5]
    found = sbsys.search_cases(CaseQuery(case_number=group + "*", limit=200, include_closed=True))
    assert str(case.row_id) in [c.id for c in found]
    assert all(c.number.startswith(group) for c in found)
    successor = f"{group[:3]}{int(group[3:]) + 1:02d}"
    assert sent.searches()[-1]["NummerInterval"] == {"From": group, "To": successor}
    sent.clear()
    by_text = sbsys.search_cases(CaseQuery(text=group, limit=200, include_closed=True))
    assert [c.id for c in found] == [c.id for c in by_text][:len(found)]
    interval, title = sent.searches()
    assert interval["NummerInterval"]["From"] == group and title["SagsTitel"] == title["Titel"] == group


def test_free_text_of_a_number_prefix_and_title_words(sbsys, demo):
    case = demo[21]
    word = max(case.title.split(), key=len)
    found = sbsys.search_cases(CaseQuery(text=f"{case.number[:5]} {word.lower()}", include_closed=True))
    assert str(case.row_id) in [c.id for c in found]
    assert all(c.number.startswith(case.number[:5]) or word.casefold() in c.title.casefold() for c in found)


@pytest.mark.parametrize("prefix, upper", [("27.29", "27.30"), ("27.24.00-G0", "27.24.00-G1"), ("27.24.", "27.25"),
                                           ("27.99", "28.00"), ("27.24.00-g01", "27.24.00-G02")])
def test_the_interval_ends_at_the_prefix_successor(sbsys, sent, prefix, upper):
    sbsys.search_cases(CaseQuery(case_number=prefix + "*", include_closed=True))
    assert sent.searches()[-1]["NummerInterval"] == {"From": prefix.upper(), "To": upper}


def test_exact_number_title_words_and_closed_cases(sbsys, sent, demo):
    case = next(c for c in demo if c.closed)
    assert sbsys.find_case_by_number(case.number.lower()).id == str(case.row_id)
    with pytest.raises(NotFound, match="No case in SBSYS has the number"):
        sbsys.find_case_by_number("99.99.99-Z99-999-99")
    word = max(case.title.split(), key=len)
    everything = sbsys.search_cases(CaseQuery(title=word, limit=200, include_closed=True))
    assert str(case.row_id) in [c.id for c in everything] and any(c.closed for c in everything)
    sent.clear()
    open_only = sbsys.search_cases(CaseQuery(title=word, limit=200))
    assert str(case.row_id) not in [c.id for c in open_only] and not any(c.closed for c in open_only)
    statuses = requests.get(f"{sbsys.http.base_url}/api/sag/sagStatusList", timeout=10).json()
    assert sent.searches()[-1]["SagsStatusIds"] == [s["Id"] for s in statuses if s["SagsTilstand"] == "Aktiv"]


def test_parties_are_searched_with_the_hyphen_among_all_persons(sbsys, sent, demo):
    case = next(c for c in demo if any(p.relation == "sekundaerpart" for p in c.parties))
    secondary = next(p.number for p in case.parties if p.relation == "sekundaerpart")
    found = sbsys.search_cases(CaseQuery(party=Party(cpr=Cpr(secondary)), include_closed=True))
    assert str(case.row_id) in [c.id for c in found]
    assert sent.searches()[-1]["AllePersoner"] == {"CprNummer": f"{secondary[:6]}-{secondary[6:]}"}
    by_text = sbsys.search_cases(CaseQuery(text=secondary, include_closed=True))  # a CPR typed as text
    assert [c.id for c in by_text] == [c.id for c in found]
    company = next(c for c in demo if any(p.kind == "cvr" for p in c.parties))
    cvr = next(p.number for p in company.parties if p.kind == "cvr")
    assert [c.id for c in sbsys.search_cases(CaseQuery(party=Party(cvr=Cvr(cvr)), include_closed=True))] \
        == [str(company.row_id)]
    shown = sbsys.get_case(str(company.row_id))
    assert [p.cvr.digits for p in shown.parties if p.cvr] == [cvr] and shown.parties[0].name


def test_caseworker_by_login_and_the_case_as_read(sbsys, sent, demo):
    case = sbsys.get_case(str(demo[3].row_id))
    assert case.caseworker and not case.caseworker.isdigit()  # the LogonId
    assert (case.kle, case.kle_facet) == (demo[3].kle, demo[3].facet)
    found = sbsys.search_cases(CaseQuery(caseworker=case.caseworker, limit=200, include_closed=True))
    assert case.id in [c.id for c in found] and {c.caseworker for c in found} == {case.caseworker}
    assert sent.searches()[-1]["Behandler"] == {"LogonId": case.caseworker}
    assert sbsys.get_case(demo[3].uuid).id == case.id  # the SagIdentity works as an id too
    with pytest.raises(NotFound):
        sbsys.get_case("ikke-et-id")


@pytest.mark.parametrize("offset, limit", [(0, 10), (5, 5), (7, 5), (13, 30), (51, 20)])
def test_pages_are_slices_of_the_whole(sbsys, offset, limit):
    whole = [c.id for c in sbsys.search_cases(CaseQuery(limit=200, include_closed=True))]
    page = [c.id for c in sbsys.search_cases(CaseQuery(limit=limit, offset=offset, include_closed=True))]
    assert page == whole[offset:offset + limit]


def test_status_list_is_read_once_per_service(sbsys, sent):
    for _ in range(3):
        sbsys.search_cases(CaseQuery(limit=3))
    assert sent.paths("GET").count("/api/sag/sagStatusList") == 1


# -- filing ---------------------------------------------------------------------------------------

def test_the_dto_as_the_server_received_it(service, sbsys, demo, tmp_path):
    case = next(c for c in _open_cases(demo) if any(p.kind == "cpr" and p.relation == "primaerpart" for p in c.parties))
    cpr = next(p.number for p in case.parties if p.relation == "primaerpart")
    metadata = _metadata("Afgørelse om tilskud", direction=Direction.OUTGOING, description="Sendt med e-Boks",
                         sensitivity=Sensitivity.SENSITIVE, parties=(Party(cpr=Cpr(cpr)), Party(cpr=Cpr("0101701234"))))
    ref = sbsys.upload_document(str(case.row_id), _file(tmp_path, "Afgørelse.pdf", b"%PDF-1.4\n"), metadata,
                                idempotency_key="nøgle-dto", state=MemoryResumeState())
    received = sbsys_simulator(service).received[-1]
    assert received["parts"] == ["file", "json"]
    dto = json.loads(received["json"])
    arter = {a["Navn"]: a for a in requests.get(f"{service.url}/api/dokumentart", timeout=10).json()}
    assert dto == {
        "Eksternid": "nøgle-dto", "SagID": case.row_id, "DokumentNavn": "Afgørelse om tilskud",
        "RegistreringsDato": "2026-12-03T00:00:00", "OmfattetAfAktindsigt": False,
        "Beskrivelse": "Sendt med e-Boks",
        "DokumentArt": arter["Udgående"],
        "SagsPart": {"PartType": "Person", "PartId": dto["SagsPart"]["PartId"],
                     "CPRnummer": f"{cpr[:6]}-{cpr[6:]}", "Navn": dto["SagsPart"]["Navn"]},
    }
    assert (ref.title, ref.filename, ref.direction, ref.document_date) == \
        ("Afgørelse om tilskud", "Afgørelse.pdf", Direction.OUTGOING, date(2026, 12, 3))
    assert not ref.already_existed
    listed = sbsys.list_documents(str(case.row_id))
    assert [d.id for d in listed if d.title == "Afgørelse om tilskud"] == [ref.id]


def test_dokumentart_comes_from_the_installation_and_is_read_once(tmp_path):
    for name in ("first", "second"):
        served = ReferenceService(tmp_path / name, dialect="sbsys")
        served.seed_demo(5, seed=1)
        with served:
            session = requests.Session()
            sent = Recorder(session)
            backend = SbsysService(served.url, session)
            case = next(c for c in backend.search_cases(CaseQuery()) if not c.closed)
            for n in range(2):
                backend.upload_document(case.id, _file(tmp_path, f"{name}{n}.txt"), _metadata(f"Brev {n}"),
                                        idempotency_key=f"{name}-{n}", state=MemoryResumeState())
            assert sent.paths("GET").count("/api/dokumentart") == 1
            arter = {a["Navn"]: a["Id"] for a in requests.get(f"{served.url}/api/dokumentart", timeout=10).json()}
            filed = [json.loads(r["json"])["DokumentArt"]["Id"] for r in sbsys_simulator(served).received]
            assert filed == [arter["Indgående"]] * 2
            assert arter["Indgående"] != 1


def test_a_retry_finds_the_earlier_document_by_eksternid(service, session, sent, demo, tmp_path):
    sbsys = SbsysService(service.url, session)
    case = _open_cases(demo)[2]
    source = _file(tmp_path)
    state = MemoryResumeState()
    lost = {"armed": True}

    def lose_the_answer(response: requests.Response, **_kw: object) -> requests.Response:
        if lost["armed"] and response.request.method == "POST" and "journaliser" in response.request.url:
            lost["armed"] = False
            raise requests.ConnectionError("the answer was lost")
        return response

    session.hooks["response"].insert(0, lose_the_answer)
    with pytest.raises(OutcomeUnknown):
        sbsys.upload_document(str(case.row_id), source, _metadata("Mistet svar"), idempotency_key="nøgle-mistet",
                              state=state)
    assert state.get(STATE_SENT_TO) == str(case.row_id)  # written before the POST
    assert "/api/sag/%d/dokumenter" % case.row_id not in sent.paths()  # a first attempt does not look
    found = sbsys.find_upload("nøgle-mistet", state)
    assert found is not None and found.already_existed
    sent.clear()
    again = sbsys.upload_document(str(case.row_id), source, _metadata("Mistet svar"), idempotency_key="nøgle-mistet",
                                  state=state)
    assert again.id == found.id and again.already_existed
    assert "/api/dokument/journaliser" not in sent.paths()
    assert [d.id for d in sbsys.list_documents(str(case.row_id)) if d.title == "Mistet svar"] == [found.id]


def test_a_retry_after_a_request_that_never_left_files_once(service, session, sent, demo, tmp_path):
    sbsys = SbsysService(service.url, session)
    case = _open_cases(demo)[3]
    source = _file(tmp_path)
    state = MemoryResumeState()
    assert sbsys.find_upload("nøgle-aldrig", state) is None and sent.sent == []  # nothing sent: nothing asked

    class Refuse(requests.adapters.HTTPAdapter):
        def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
            if request.method == "POST":
                raise requests.ConnectionError("cut off before the request left")
            return super().send(request, **kwargs)

    session.mount("http://", Refuse())
    with pytest.raises(OutcomeUnknown):
        sbsys.upload_document(str(case.row_id), source, _metadata("Aldrig sendt"), idempotency_key="nøgle-aldrig",
                              state=state)
    session.mount("http://", requests.adapters.HTTPAdapter())
    assert sbsys.find_upload("nøgle-aldrig", state) is None
    ref = sbsys.upload_document(str(case.row_id), source, _metadata("Aldrig sendt"), idempotency_key="nøgle-aldrig",
                                state=state)
    assert not ref.already_existed
    assert [d.id for d in sbsys.list_documents(str(case.row_id)) if d.title == "Aldrig sendt"] == [ref.id]
    assert sbsys.find_upload("nøgle-aldrig", state).id == ref.id


def test_a_closed_case_is_refused_before_any_byte_is_sent(sbsys, sent, demo, tmp_path):
    case = next(c for c in demo if c.closed)
    with pytest.raises(Conflict, match="closed"):
        sbsys.upload_document(str(case.row_id), _file(tmp_path), _metadata(), idempotency_key="lukket",
                              state=MemoryResumeState())
    assert "/api/dokument/journaliser" not in sent.paths()


def test_a_conflict_while_filing_says_the_case_is_likely_closed(service, session, demo, tmp_path):
    sbsys = SbsysService(service.url, session)
    case = _open_cases(demo)[4]
    sbsys.upload_document(str(case.row_id), _file(tmp_path), _metadata("Først"), idempotency_key=str(uuid.uuid4()),
                          state=MemoryResumeState())  # the document kinds are known from here on

    def closed_after_reading(response: requests.Response, **_kw: object) -> requests.Response:
        if response.request.method == "GET" and response.request.path_url == f"/api/sag/{case.row_id}":
            service.faults = FaultConfig(status=409, status_rate=1.0)  # closed in the meantime
        return response

    session.hooks["response"].append(closed_after_reading)
    try:
        with pytest.raises(Conflict) as raised:
            sbsys.upload_document(str(case.row_id), _file(tmp_path), _metadata("Lukket imens"),
                                  idempotency_key=str(uuid.uuid4()), state=MemoryResumeState())
    finally:
        service.faults = FaultConfig()
    assert "the case is most likely closed" in str(raised.value) and raised.value.status == 409


def test_a_400_keeps_a_short_redacted_hint_of_the_free_text(service, sbsys):
    service.faults = FaultConfig(status=400, status_rate=1.0)
    try:
        with pytest.raises(ValidationFailed) as raised:
            sbsys.search_cases(CaseQuery(title="brev", include_closed=True))
    finally:
        service.faults = FaultConfig()
    message = str(raised.value)
    assert message.startswith("SBSYS at 127.0.0.1:") and "(SBSYS said: Anmodningen kunne ikke behandles" in message
    assert "010190-xxxx" in message and "010190-1234" not in message and message.endswith(".")
    assert "\n" not in message and "http" not in message and len(message) < 200
    assert "010190-1234" not in (raised.value.detail or "")


def test_inbox_is_not_supported_and_content_reads_back(sbsys, demo, tmp_path):
    with pytest.raises(NotSupported):
        sbsys.upload_to_inbox(_file(tmp_path), _metadata(), idempotency_key="x", state=MemoryResumeState())
    case = _open_cases(demo)[5]
    ref = sbsys.upload_document(str(case.row_id), _file(tmp_path, "tom.pdf", b""), _metadata("Tom"),
                                idempotency_key="tom", state=MemoryResumeState())
    sink = io.BytesIO()
    assert sbsys.read_content(ref.id, sink) == 0 and sink.getvalue() == b""
    with pytest.raises(NotFound):
        sbsys.read_content("999999", io.BytesIO())


def test_a_big_file_is_streamed_both_ways(sbsys, demo, tmp_path):
    path = tmp_path / "scanning.pdf"
    digest = hashlib.sha256()
    with path.open("wb") as f:
        for n in range(64):
            block = bytes([n]) * (1 << 20)
            digest.update(block)
            f.write(block)
    case = _open_cases(demo)[6]
    tracemalloc.start()
    try:
        ref = sbsys.upload_document(str(case.row_id), UploadSource.from_path(path), _metadata("Stor"),
                                    idempotency_key="stor", state=MemoryResumeState())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 24 * 2**20, f"peak Python memory {peak / 2**20:.0f} MiB while filing 64 MiB (client and server)"

    class HashingSink:
        def __init__(self) -> None:
            self.digest = hashlib.sha256()

        def write(self, data: bytes) -> int:
            self.digest.update(data)
            return len(data)

    sink = HashingSink()
    assert sbsys.read_content(ref.id, sink) == 64 << 20 and sink.digest.hexdigest() == digest.hexdigest()


# -- drafts ---------------------------------------------------------------------------------------

def test_drafts_only_where_the_installation_offers_them(service, session, sent, demo, tmp_path):
    assert Capability.DRAFTS not in SbsysService(service.url, session).capabilities
    with_drafts = SbsysService(service.url, session, drafts=True)
    assert Capability.DRAFTS in with_drafts.capabilities
    case = _open_cases(demo)[7]
    state = MemoryResumeState()
    metadata = DocumentMetadata(title="Udkast til afgørelse", document_date=date(2026, 12, 3), finalize=False)
    draft = with_drafts.upload_document(str(case.row_id), _file(tmp_path, "udkast.docx"), metadata,
                                        idempotency_key="udkast", state=state)
    assert draft.extra == {"draft": "true"} and sent.paths("POST")[-1] == "/api/kladde"
    assert "Udkast til afgørelse" not in [d.title for d in with_drafts.list_documents(str(case.row_id))]
    again = with_drafts.upload_document(str(case.row_id), _file(tmp_path, "udkast.docx"), metadata,
                                        idempotency_key="udkast", state=state)
    assert again.id == draft.id and again.already_existed
    assert with_drafts.find_upload("udkast", state).id == draft.id
    kladder = requests.get(f"{service.url}/api/sag/{case.row_id}/kladder", timeout=10).json()
    assert [k["Id"] for k in kladder if k["Navn"] == "Udkast til afgørelse"] == [int(draft.id)]
    final = SbsysService(service.url, session).upload_document(  # no drafts: filed (journalised) at once
        str(case.row_id), _file(tmp_path, "udkast.docx"), metadata, idempotency_key="udkast-2", state=MemoryResumeState())
    assert final.title in [d.title for d in with_drafts.list_documents(str(case.row_id))]


# -- sign-in --------------------------------------------------------------------------------------

PASSWORD = "Forår-2026-blå"
CLIENT_SECRET = "sbsip-cs-5f0e2d"


def _settings(url: str, **extra: str):
    values = {"service.kind": "sbsys", "service.url": url, "auth.mode": "oauth2_password",
              "auth.username": "jens", "auth.client_id": "caseclient", "auth.token_url": url + TOKEN_PATH, **extra}
    return load_settings(SettingsFiles(command_line=values))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sign_in_with_the_password_grant(tmp_path, memory_keyring, caplog):
    caplog.set_level(logging.DEBUG)
    served = ReferenceService(tmp_path / "service", dialect="sbsys")
    served.seed_demo(5)
    with served:
        clock = Clock()
        sign_in = sbsys_simulator(served).sign_in.enable(
            client_id="caseclient", client_secret=CLIENT_SECRET, users={"jens": PASSWORD}, token_lifetime=600,
            clock=clock)
        settings = _settings(served.url)
        with pytest.raises(MissingSecret) as missing:
            build_session(settings)
        assert (missing.value.kind, missing.value.account) == (SecretKind.PASSWORD, "jens")
        store = CredentialStore()
        store.set(served.url, SecretKind.PASSWORD, "ikke-" + PASSWORD, account="jens")
        store.set(served.url, SecretKind.CLIENT_SECRET, CLIENT_SECRET, account="caseclient")
        with pytest.raises(AuthError) as refused:
            backend_for(settings, build_session(settings)).search_cases(CaseQuery(limit=3))
        assert refused.value.message.endswith("refused the sign-in (invalid_grant).") and PASSWORD not in str(refused.value)
        store.set(served.url, SecretKind.PASSWORD, PASSWORD, account="jens")
        session = build_session(settings, clock=clock)
        backend = backend_for(settings, session)
        assert isinstance(backend, SbsysService)
        assert len(backend.search_cases(CaseQuery(limit=3, include_closed=True))) == 3
        assert sign_in.grants == ["password", "password"] and sign_in.seen[-1] == "accepted"
        sign_in.revoke_all()  # a token revoked early: the 401 fetches a new one and the request is repeated
        assert len(backend.search_cases(CaseQuery(limit=3, include_closed=True))) == 3
        assert sign_in.grants[-1] == "password" and "refused" in sign_in.seen
        grants = len(sign_in.grants)
        clock.now += 600  # expired on both clocks: renewed before it is sent
        assert backend.get_case(backend.search_cases(CaseQuery(limit=1, include_closed=True))[0].id)
        assert len(sign_in.grants) == grants + 1
        case = next(c for c in backend.search_cases(CaseQuery(limit=20)) if not c.closed)
        path = tmp_path / "brev.txt"
        path.write_bytes(b"brev\n")

        def revoke_before_the_post(response: requests.Response, **_kw: object) -> requests.Response:
            if response.request.method == "GET" and response.request.path_url == f"/api/sag/{case.id}":
                sign_in.revoke_all()
            return response

        session.hooks["response"].append(revoke_before_the_post)  # the upload's body is sent again after the 401
        ref = backend.upload_document(case.id, UploadSource.from_path(path), _metadata("Efter 401"),
                                      idempotency_key="efter-401", state=MemoryResumeState())
        assert [d.id for d in backend.list_documents(case.id) if d.title == "Efter 401"] == [ref.id]
        assert sign_in.seen.count("refused") == 2
    logged = caplog.text
    assert PASSWORD not in logged and CLIENT_SECRET not in logged
    assert not any(token in logged for token in sign_in._access)  # noqa: SLF001 - the issued tokens
