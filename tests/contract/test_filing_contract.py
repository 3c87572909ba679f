"""Filing: every backend files exactly once, reads back what it filed, and survives an attempt
cut off at any request of its upload."""

from __future__ import annotations

import io
import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from backend_contract import Subject, sha256_of
from caseclient.backends.protocol import Capability, MemoryResumeState
from caseclient.domain import CaseclientError, DocumentMetadata, NotFound, NotSupported, UploadSource
from datetime import date

BIG = 200 * 1024 * 1024


def _read_back(subject: Subject, document_id: str) -> bytes:
    sink = io.BytesIO()
    count = subject.backend.read_content(document_id, sink)
    assert count == len(sink.getvalue())
    return sink.getvalue()


def _case(subject: Subject, n: int):
    cases = subject.open_cases()
    assert len(cases) > n
    return cases[n]


@pytest.mark.parametrize("name, content", [
    ("brev.txt", "Kære borger\n".encode()),
    ("tom.pdf", b""),
    ("Æbleø på Ålholm – høringssvar (endelig) #2.txt", "Høringssvar fra Søren Ærø\n".encode()),
])
def test_file_and_read_back(subject: Subject, tmp_path: Path, name: str, content: bytes) -> None:
    case = _case(subject, 1)
    path = tmp_path / name
    path.write_bytes(content)
    title = f"Kontrakt {name} {uuid.uuid4().hex[:6]}"
    ref = subject.file(case, path, title, key=f"contract-{uuid.uuid4()}")
    assert not ref.already_existed
    listed = subject.titled(case, title)
    assert [d.id for d in listed] == [ref.id]
    if Capability.READ_CONTENT in subject.backend.capabilities:
        assert _read_back(subject, ref.id) == content


@pytest.mark.slow
def test_a_200_mb_file_is_filed_whole(subject: Subject, tmp_path: Path) -> None:
    case = _case(subject, 2)
    path = tmp_path / "stor scanning.pdf"
    with path.open("wb") as f:
        block = os.urandom(1 << 20)
        for n in range(BIG >> 20):
            f.write(block[n:] + block[:n])
    ref = subject.file(case, path, f"Stor fil {uuid.uuid4().hex[:6]}", key=f"contract-{uuid.uuid4()}")
    if Capability.READ_CONTENT in subject.backend.capabilities:
        target = tmp_path / "back.bin"
        with target.open("wb") as sink:
            assert subject.backend.read_content(ref.id, sink) == BIG
        assert sha256_of(target) == sha256_of(path)


def test_the_same_key_twice_files_once(subject: Subject, tmp_path: Path) -> None:
    case = _case(subject, 3)
    path = tmp_path / "notat.txt"
    path.write_bytes(b"samme dokument\n")
    title, key, state = f"Samme nøgle {uuid.uuid4().hex[:6]}", f"contract-{uuid.uuid4()}", MemoryResumeState()
    first = subject.file(case, path, title, key=key, state=state)
    second = subject.file(case, path, title, key=key, state=state)
    assert second.id == first.id and second.already_existed
    assert [d.id for d in subject.titled(case, title)] == [first.id]
    assert subject.backend.find_upload(key, state).id == first.id


def test_two_keys_with_the_same_file_name_make_two_documents(subject: Subject, tmp_path: Path) -> None:
    case = _case(subject, 4)
    title = f"Samme navn {uuid.uuid4().hex[:6]}"
    refs = []
    for n in range(2):
        path = tmp_path / str(n) / "Ansøgning.pdf"
        path.parent.mkdir()
        path.write_bytes(f"udgave {n}\n".encode())
        refs.append(subject.file(case, path, title, key=f"contract-{uuid.uuid4()}"))
    assert len({r.id for r in refs}) == 2
    assert sorted(d.id for d in subject.titled(case, title)) == sorted(r.id for r in refs)
    if Capability.READ_CONTENT in subject.backend.capabilities:
        assert [_read_back(subject, r.id) for r in refs] == [b"udgave 0\n", b"udgave 1\n"]


def test_an_unknown_case_is_not_found(subject: Subject, tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(b"x")
    case_id = subject.open_cases()[0].id
    missing = case_id[:-3] + ("000" if not case_id.endswith("000") else "111")
    with pytest.raises(NotFound):
        subject.backend.upload_document(
            missing, UploadSource.from_path(path), DocumentMetadata(title="x", document_date=date(2026, 1, 1)),
            idempotency_key=f"contract-{uuid.uuid4()}", state=MemoryResumeState())


def test_a_service_without_an_inbox_says_so(subject: Subject, tmp_path: Path) -> None:
    if Capability.INBOX_WITH_PARTIES in subject.backend.capabilities:
        pytest.skip(f"{subject.kind} places documents in an inbox")
    path = tmp_path / "x.txt"
    path.write_bytes(b"x")
    with pytest.raises(NotSupported):
        subject.backend.upload_to_inbox(
            UploadSource.from_path(path), DocumentMetadata(title="x", document_date=date(2026, 1, 1)),
            idempotency_key=f"contract-{uuid.uuid4()}", state=MemoryResumeState())


# --- an attempt cut off at any request -------------------------------------------------------

class Cut(Exception):
    pass


class CuttingAdapter(requests.adapters.BaseAdapter):
    """Passes requests to the real adapter, counting them; request number `at` is cut off before it
    leaves (`after=False`) or after the service answered it (`after=True`, the answer lost)."""

    def __init__(self, inner: requests.adapters.BaseAdapter, at: int | None, after: bool) -> None:
        super().__init__()
        self.inner, self.at, self.after, self.count = inner, at, after, 0

    def send(self, request, **kwargs):  # type: ignore[no-untyped-def]
        self.count += 1
        if self.count == self.at and not self.after:
            raise requests.ConnectionError("cut off before the request left")
        response = self.inner.send(request, **kwargs)
        if self.count == self.at and self.after:
            response.content  # noqa: B018  (the service finished its answer)
            response.close()
            raise requests.ConnectionError("cut off after the service answered")
        return response

    def close(self) -> None:
        self.inner.close()


@contextmanager
def cutting(subject: Subject, at: int | None, after: bool = False):
    session = subject.session
    scheme = "https://" if subject.service.url.startswith("https") else "http://"
    inner = session.adapters[scheme]
    adapter = CuttingAdapter(inner, at, after)
    session.mount(scheme, adapter)
    try:
        yield adapter
    finally:
        session.mount(scheme, inner)


def _requests_in_one_upload(subject: Subject, path: Path) -> int:
    case = _case(subject, 5)
    with cutting(subject, None) as counter:
        subject.file(case, path, f"Tælling {uuid.uuid4().hex[:6]}", key=f"contract-{uuid.uuid4()}")
    return counter.count


def test_an_attempt_cut_off_at_any_request_ends_as_one_document(subject: Subject, tmp_path: Path) -> None:
    path = tmp_path / "Afbrudt brev.pdf"
    path.write_bytes(b"%PDF-1.4\n" + os.urandom(300_000))
    requests_per_upload = _requests_in_one_upload(subject, path)
    assert requests_per_upload >= 1
    case = _case(subject, 6)
    outcomes = []
    for at in range(1, requests_per_upload + 1):
        for after in (False, True):
            title = f"Afbrudt {at} {'efter' if after else 'før'} {uuid.uuid4().hex[:6]}"
            key, state = f"contract-{uuid.uuid4()}", MemoryResumeState()
            with cutting(subject, at, after):
                try:
                    subject.file(case, path, title, key=key, state=state)
                    cut_failed = False
                except CaseclientError as error:
                    assert "http" not in str(error)
                    cut_failed = True
            found = subject.backend.find_upload(key, state)
            final = subject.file(case, path, title, key=key, state=state)
            if found is not None:
                assert final.id == found.id and final.already_existed
            on_case = subject.titled(case, title)
            assert [d.id for d in on_case] == [final.id], (at, after, on_case)
            if Capability.READ_CONTENT in subject.backend.capabilities:
                assert _read_back(subject, final.id) == path.read_bytes()
            outcomes.append((at, after, cut_failed, found is not None))
    # a cut after the last request's answer is an upload that landed without the client knowing
    assert outcomes[-1][3], f"{subject.kind}: find_upload misses a document whose answer was lost"
