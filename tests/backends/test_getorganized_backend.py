"""The GetOrganized backend against its simulator: the search variants, filing exactly once by
deterministic names with Overwrite false, the chunked upload resumed after a cut, the quirks it
must see through, and Windows NTLM sign-in with the password from the keyring."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import threading
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import requests
from memory_keyring import memory_keyring  # noqa: F401  (fixture)

from caseclient.backends.getorganized import GetOrganizedService, JsonFileBody, file_name_for
from caseclient.backends.protocol import CaseQuery, MemoryResumeState
from caseclient.config import SettingsFiles, load_settings
from caseclient.credentials import CredentialStore, SecretKind
from caseclient.domain import (
    AuthError,
    CaseclientError,
    Direction,
    DocumentMetadata,
    NotSupported,
    Party,
    Transient,
    UploadSource,
)
from caseclient.net import build_session
from caseclient.server import ReferenceService
from caseclient.server.getorganized import EXTENSION, KeepAliveListener, Simulator

PASSWORD = "Høst-2026-kode"
USER = "KOMMUNE\\svc-caseclient"


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    service = ReferenceService(tmp_path_factory.mktemp("go") / "svc", dialect="getorganized")
    service.seed_demo(60, seed=3)
    service.start()
    try:
        yield service
    finally:
        service.stop()


def sim(service: ReferenceService) -> Simulator:
    return service.app.extensions[EXTENSION]


class Recorder(requests.adapters.HTTPAdapter):
    """Records each request (method, URL, the body when it is small) and can cut one off after
    the service answered it (its answer lost)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str, bytes]] = []
        self.cut_after: str | None = None  # cut the first request whose URL holds this

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        body = request.body
        if body is not None and not isinstance(body, (bytes, str)) and len(body) < 5_000_000:
            body = b"".join(body)
            request.body = body
        if isinstance(body, str):
            body = body.encode()
        self.seen.append((request.method, request.url, body if isinstance(body, bytes) else b""))
        response = super().send(request, **kwargs)
        if self.cut_after and self.cut_after in request.url:
            self.cut_after = None
            response.content  # noqa: B018
            response.close()
            raise requests.ConnectionError("cut off after the service answered")
        return response

    def urls(self, part: str) -> list[str]:
        return [url for _method, url, _body in self.seen if part in url]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def backend(service: ReferenceService, recorder: Recorder | None = None, **options) -> GetOrganizedService:
    session = requests.Session()
    if recorder is not None:
        session.mount("http://", recorder)
    return GetOrganizedService(service.url, session, **options)


def _metadata(title: str, **extra) -> DocumentMetadata:
    return DocumentMetadata(title=title, document_date=date(2026, 3, 4), **extra)


def _file(tmp_path: Path, name: str, data: bytes) -> UploadSource:
    path = tmp_path / uuid.uuid4().hex / name
    path.parent.mkdir()
    path.write_bytes(data)
    return UploadSource.from_path(path)


# --- cases ---------------------------------------------------------------------------------------

def test_search_variants(reference, recorder):
    go = backend(reference, recorder)
    everything = go.search_cases(CaseQuery(limit=200, include_closed=True))
    assert len(everything) == 60 and all(re.fullmatch(r"EMN-\d{4}-\d{6}", c.id) for c in everything)
    assert recorder.urls("FindCases") and not recorder.urls("FindByCaseProperties")
    case = everything[10]
    assert go.search_cases(CaseQuery(text=case.id[:9], limit=200, include_closed=True))[0].id.startswith(case.id[:9])
    by_kle = go.search_cases(CaseQuery(text=case.kle[:5], limit=200, include_closed=True))
    assert case.id in {c.id for c in by_kle} and all(c.kle.startswith(case.kle[:5]) for c in by_kle)
    word = max(re.findall(r"\w+", case.title), key=len)
    assert case.id in {c.id for c in go.search_cases(CaseQuery(text=word, limit=200, include_closed=True))}
    by_worker = go.search_cases(CaseQuery(caseworker=case.caseworker, limit=200, include_closed=True))
    assert case.id in {c.id for c in by_worker} and {c.caseworker for c in by_worker} == {case.caseworker}
    person = next(c for c in everything if any(p.cpr for p in c.parties))
    cpr = next(p.cpr for p in person.parties if p.cpr)
    by_party = go.search_cases(CaseQuery(party=Party(cpr=cpr), limit=200, include_closed=True))
    assert person.id in {c.id for c in by_party}
    assert go.search_cases(CaseQuery(text=cpr.digits, limit=200, include_closed=True)) == by_party
    sent = [json.loads(body) for _m, url, body in recorder.seen if "FindByCaseProperties" in url]
    assert {"InternalName": "ows_CCMContactData_CPR", "Value": cpr.digits, "ComparisonType": "Equal",
            "DataType": "Text", "IsMultiValue": "False"} in sent[-1]["FieldProperties"]
    assert go.find_case_by_number(case.id) == go.get_case(case.id) == case


def test_lookup_labels_are_read_never_their_ids(reference):
    case = backend(reference).search_cases(CaseQuery(limit=1, include_closed=True))[0]
    assert re.fullmatch(r"\d\d\.\d\d\.\d\d", case.kle) and re.fullmatch(r"[A-Z]{3}", case.caseworker)
    assert case.web_url is None  # no UI address configured: no link built from the API address
    with_ui = GetOrganizedService(reference.url, ui_base_url="https://go.kommune.dk/").get_case(case.id)
    assert with_ui.web_url == f"https://go.kommune.dk/cases/EMN1/{case.id}"


def test_deleted_cases_are_dropped_before_counting(tmp_path, recorder):
    service = ReferenceService(tmp_path / "svc", dialect="getorganized")
    service.seed_demo(30, seed=3)
    with service:
        go = backend(service, recorder)
        everything = go.search_cases(CaseQuery(limit=100, include_closed=True))
        owner = everything[0].caseworker
        theirs = [c for c in everything if c.caseworker == owner]
        store = sim(service).cases
        for case in theirs[:2]:  # deleted cases come first in GO's answer and count in it
            store.delete_case(store.case_by_row(int(case.id[-6:])).uuid)
        found = go.search_cases(CaseQuery(caseworker=owner, limit=len(theirs) - 2, include_closed=True))
        assert sorted(c.id for c in found) == sorted(c.id for c in theirs[2:])


def test_a_failed_find_cases_is_one_sentence(reference):
    go = backend(reference)
    with pytest.raises(CaseclientError) as raised:
        list(go._find_cases(""))
    assert "could not search case numbers" in str(raised.value)


# --- filing -------------------------------------------------------------------------------------

def test_deterministic_names():
    source = UploadSource(Path("x"), 'Svar: "ja"/nej?.PDF', "application/pdf", 1, "0" * 64)
    name = file_name_for(source, _metadata('Svar <til> #borger'), "key-1")
    assert name == file_name_for(source, _metadata('Svar <til> #borger'), "key-1")
    assert name != file_name_for(source, _metadata('Svar <til> #borger'), "key-2")
    assert re.fullmatch(r"Svar _til_ _borger \([0-9a-f]{8}\)\.PDF", name)
    long = file_name_for(source, _metadata("ø" * 300), "key-1")
    assert len(long) <= 100 and long.endswith(".PDF")


def test_filing_never_overwrites_and_two_keys_make_two_documents(reference, recorder, tmp_path):
    go = backend(reference, recorder)
    case = go.search_cases(CaseQuery(limit=5))[2]
    source = _file(tmp_path, "brev.pdf", b"%PDF-1.4 brev")
    meta = _metadata("Afgørelse", direction=Direction.OUTGOING, recipients=(Party(name="Søren Ærø"),))
    state = MemoryResumeState()
    first = go.upload_document(case.id, source, meta, idempotency_key="k-a", state=state)
    again = go.upload_document(case.id, source, meta, idempotency_key="k-a", state=state)
    other = go.upload_document(case.id, source, meta, idempotency_key="k-b", state=MemoryResumeState())
    assert again.id == first.id and again.already_existed and not first.already_existed
    assert other.id != first.id
    uploads = [json.loads(body) for _m, url, body in recorder.seen if "AddToDocumentLibrary" in url]
    assert uploads and all(u["Overwrite"] is False for u in uploads)
    assert all(isinstance(u["bytes"], list) for u in uploads)
    assert not [url for url in recorder.urls("") if "overwrite=true" in url.lower()]
    listed = {d.id: d for d in go.list_documents(case.id)}
    assert listed[first.id].title == "Afgørelse" and listed[first.id].document_date == date(2026, 3, 4)
    assert listed[first.id].direction is Direction.OUTGOING
    metadata_posts = [body.decode() for _m, url, body in recorder.seen if url.endswith("/Documents/Metadata")]
    assert "ows_Dato%3D%2203-04-2026%22" in metadata_posts[0]  # month first, form-encoded
    sink = io.BytesIO()
    assert go.read_content(first.id, sink) == len(b"%PDF-1.4 brev") and sink.getvalue() == b"%PDF-1.4 brev"


def test_a_refused_duplicate_name_is_taken_as_the_earlier_attempt(reference, tmp_path):
    go = backend(reference)
    case = go.search_cases(CaseQuery(limit=5))[3]
    source = _file(tmp_path, "notat.txt", b"notat")
    state = MemoryResumeState()
    first = go.upload_document(case.id, source, _metadata("Notat"), idempotency_key="dup", state=state)
    fresh = MemoryResumeState()  # the state of the first attempt was lost (a power cut)
    second = go.upload_document(case.id, source, _metadata("Notat"), idempotency_key="dup", state=fresh)
    assert second.id == first.id and second.already_existed
    assert [d.id for d in go.list_documents(case.id) if d.title == "Notat"] == [first.id]


def test_base64_is_offered_and_both_bodies_know_their_length(reference, tmp_path):
    data = os.urandom(100_001)
    source = _file(tmp_path, "b.bin", data)
    for encoding in ("int_array", "base64"):
        body = JsonFileBody({"CaseId": "x"}, "bytes", source.path, source.size, encoding, block_size=999)
        raw = b"".join(body)
        assert len(raw) == len(body)
        value = json.loads(raw)["bytes"]
        import base64

        assert (bytes(value) if encoding == "int_array" else base64.b64decode(value)) == data
    go = backend(reference, byte_encoding="base64")
    case = go.search_cases(CaseQuery(limit=5))[4]
    ref = go.upload_document(case.id, source, _metadata("B64"), idempotency_key="b64", state=MemoryResumeState())
    sink = io.BytesIO()
    go.read_content(ref.id, sink)
    assert sink.getvalue() == data


def _chunked(service: ReferenceService, recorder: Recorder, **options) -> GetOrganizedService:
    return backend(service, recorder, single_upload_threshold=100_000, chunk_size=64 * 1024, **options)


def test_a_chunked_upload_cut_off_resumes_from_the_confirmed_offset(reference, recorder, tmp_path):
    go = _chunked(reference, recorder)
    case = go.search_cases(CaseQuery(limit=8))[5]
    data = os.urandom(300_000)
    source = _file(tmp_path, "scanning.pdf", data)
    state = MemoryResumeState()
    recorder.cut_after = "continueUpload"  # the first chunk after the start: landed, its answer lost
    with pytest.raises(CaseclientError):
        go.upload_document(case.id, source, _metadata("Scanning"), idempotency_key="chunk-1", state=state)
    assert state.get("go.upload_offset") == str(64 * 1024)  # what SharePoint confirmed
    assert go.find_upload("chunk-1", state) is None  # only a placeholder so far
    before = len(recorder.seen)
    ref = go.upload_document(case.id, source, _metadata("Scanning"), idempotency_key="chunk-1", state=state)
    retry = [url for _m, url, _b in recorder.seen[before:] if "Upload(" in url]
    # the retry sent the chunk at the confirmed offset, SharePoint (holding more) refused it, and
    # the upload started over under a new upload id after cancelling the old one
    assert "fileOffset=65536" in retry[0] and "cancelUpload" in retry[1] and "startUpload" in retry[2]
    sink = io.BytesIO()
    go.read_content(ref.id, sink)
    assert sink.getvalue() == data
    assert [d.id for d in go.list_documents(case.id) if d.title == "Scanning"] == [ref.id]


def test_a_chunked_upload_whose_start_answer_was_lost_continues_cleanly(reference, recorder, tmp_path):
    go = _chunked(reference, recorder)
    case = go.search_cases(CaseQuery(limit=8))[6]
    data = os.urandom(200_000)
    source = _file(tmp_path, "stor.pdf", data)
    state = MemoryResumeState()
    recorder.cut_after = "finishUpload"  # everything landed; the last answer lost
    with pytest.raises(CaseclientError):
        go.upload_document(case.id, source, _metadata("Stor"), idempotency_key="chunk-2", state=state)
    found = go.find_upload("chunk-2", state)
    assert found is not None
    before = len(recorder.seen)
    ref = go.upload_document(case.id, source, _metadata("Stor"), idempotency_key="chunk-2", state=state)
    assert ref.id == found.id and ref.already_existed
    assert not [url for _m, url, _b in recorder.seen[before:] if "Upload(" in url]  # nothing sent again
    sink = io.BytesIO()
    go.read_content(ref.id, sink)
    assert sink.getvalue() == data


def test_big_files_are_read_through_sharepoint_when_document_bytes_answers_iis_503(reference, recorder, tmp_path):
    go = backend(reference, recorder)
    case = go.search_cases(CaseQuery(limit=8))[7]
    data = os.urandom(50_000)
    ref = go.upload_document(case.id, _file(tmp_path, "x.bin", data), _metadata("Stor læsning"),
                             idempotency_key="read-big", state=MemoryResumeState())
    sim(reference).document_bytes_limit = 10_000
    try:
        sink = io.BytesIO()
        assert go.read_content(ref.id, sink) == len(data)
    finally:
        sim(reference).document_bytes_limit = 10 * 1024 * 1024
    assert sink.getvalue() == data
    assert recorder.urls("MetadataWithSystemFields") and recorder.urls("/Dokumenter/")


def test_waiting_for_the_document_number_is_bounded_and_picked_up_later(reference, tmp_path):
    go = backend(reference, single_upload_threshold=1000, chunk_size=4096, indexing_wait=0.0)
    case = go.search_cases(CaseQuery(limit=9))[8]
    source = _file(tmp_path, "venter.pdf", os.urandom(5000))
    state = MemoryResumeState()
    sim(reference).indexing_delay = 3600.0
    try:
        with pytest.raises(Transient) as raised:
            go.upload_document(case.id, source, _metadata("Venter"), idempotency_key="wait", state=state)
    finally:
        sim(reference).indexing_delay = 0.3
    assert "not numbered" in str(raised.value)
    store = sim(reference).cases
    placed = next(d for d in store.documents(store.case_by_row(int(case.id[-6:])).uuid) if d.file_name == state.get("go.file_name"))
    store.update_fields(placed.uuid, "getorganized", {"indexed_at": 0})  # GO got round to it
    found = go.find_upload("wait", state)
    assert found is not None and found.id == str(placed.row_id)
    assert go.list_documents(case.id)[-1].title == "Venter"


def test_no_inbox(reference, tmp_path):
    with pytest.raises(NotSupported):
        backend(reference).upload_to_inbox(_file(tmp_path, "x.txt", b"x"), _metadata("x"),
                                           idempotency_key="i", state=MemoryResumeState())


# --- NTLM sign-in ---------------------------------------------------------------------------------

@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[tuple[ReferenceService, KeepAliveListener]]:
    service = ReferenceService(tmp_path / "svc", dialect="getorganized")
    service.seed_demo(10, seed=3)
    accounts = sim(service).accounts
    accounts.add(USER, PASSWORD)
    accounts.methods = {"ntlm"}
    with KeepAliveListener(service.app) as listener:
        yield service, listener


def _ntlm_settings(url: str):
    return load_settings(SettingsFiles(command_line={"service.kind": "getorganized", "service.url": url,
                                                     "auth.mode": "ntlm", "auth.username": USER}))


def test_ntlm_sign_in_with_the_password_from_the_keyring(guarded, memory_keyring, tmp_path, caplog):
    service, listener = guarded
    from caseclient.connection import backend_for

    CredentialStore().set(listener.url, SecretKind.PASSWORD, PASSWORD, account=USER)
    caplog.set_level(logging.DEBUG)
    go = backend_for(_ntlm_settings(listener.url), build_session(_ntlm_settings(listener.url)))
    cases = go.search_cases(CaseQuery(limit=3, include_closed=True))
    assert len(cases) == 3
    data = os.urandom(300_000)
    ref = go.upload_document(cases[0].id, _file(tmp_path, "brev.pdf", data), _metadata("NTLM"),
                             idempotency_key="ntlm-1", state=MemoryResumeState())
    sink = io.BytesIO()
    go.read_content(ref.id, sink)
    assert sink.getvalue() == data
    accounts = sim(service).accounts
    legs = [r for r in accounts.requests if r[1].endswith("AddToDocumentLibrary")]
    assert [(method, verdict) for method, _path, _length, verdict in legs] == [("HEAD", "challenge"), ("POST", "accepted")]
    assert legs[0][2] == 0 and legs[1][2] > len(data)  # the body went once, with the Type 3
    assert {v for v, _m, _u in accounts.seen} == {"challenge", "accepted"}
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert PASSWORD not in logged and "TlRMTVNTUAAD" not in logged  # no password, no Type 3 message


def test_ntlm_with_a_wrong_password_is_one_sentence(guarded, memory_keyring):
    _service, listener = guarded
    CredentialStore().set(listener.url, SecretKind.PASSWORD, "not-" + PASSWORD, account=USER)
    go = GetOrganizedService(listener.url, build_session(_ntlm_settings(listener.url)))
    with pytest.raises(AuthError) as raised:
        go.search_cases(CaseQuery(limit=1))
    assert PASSWORD not in str(raised.value) and "http" not in str(raised.value)


def test_ntlm_handshakes_of_several_threads_keep_to_their_connections(guarded, memory_keyring, tmp_path):
    service, listener = guarded
    CredentialStore().set(listener.url, SecretKind.PASSWORD, PASSWORD, account=USER)
    go = GetOrganizedService(listener.url, build_session(_ntlm_settings(listener.url)))
    cases = go.search_cases(CaseQuery(limit=4, include_closed=True))
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for k in range(3):
                go.get_case(cases[n].id)
                go.upload_document(cases[n].id, _file(tmp_path, f"{n}-{k}.txt", os.urandom(20_000)),
                                   _metadata(f"Tråd {n} {k}"), idempotency_key=f"t-{n}-{k}", state=MemoryResumeState())
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    accounts = sim(service).accounts
    assert not [s for s in accounts.seen if s[0] == "refused"]
    uploads = [r for r in accounts.requests if r[1].endswith("AddToDocumentLibrary") and r[0] == "POST"]
    assert len(uploads) == 12  # each body went out once
