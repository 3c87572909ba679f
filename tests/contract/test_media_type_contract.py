"""Media types: what intake detected is what the service is told, on every backend. A document filed as
an Outlook item or as a PDF without an extension reads back with that type wherever the service keeps
one, never application/octet-stream guessed from its name. F2 types a file by its name's extension
alone (the part's Content-Type is ignored): there the backend gives a name without one the extension of
the detected type, and the type read back is F2's own for the name."""

from __future__ import annotations

import mimetypes
import uuid
from datetime import date
from pathlib import Path, PurePath

import pytest

from backend_contract import Subject
from caseclient.backends.protocol import MemoryResumeState
from caseclient.domain import DocumentMetadata, UploadSource

TYPED_BY_EXTENSION = {"f2"}


@pytest.mark.parametrize(("name", "mime_type"), [
    ("klage.msg", "application/vnd.ms-outlook"),
    ("scan0001", "application/pdf"),
    ("klage.eml", "message/rfc822"),
])
def test_the_detected_media_type_reaches_the_service(subject: Subject, tmp_path: Path, name: str,
                                                     mime_type: str) -> None:
    case = subject.open_cases()[2]
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n" if mime_type == "application/pdf" else b"content of " + name.encode())
    title = f"Medietype {name} {uuid.uuid4().hex[:6]}"
    source = UploadSource.from_path(path, mime_type=mime_type)
    metadata = DocumentMetadata(title=title, document_date=date(2026, 12, 3))
    ref = subject.backend.upload_document(case.id, source, metadata, idempotency_key=f"media-{uuid.uuid4()}",
                                          state=MemoryResumeState())
    listed = [d for d in subject.backend.list_documents(case.id) if d.id == ref.id]
    assert len(listed) == 1
    if subject.kind in TYPED_BY_EXTENSION:
        assert PurePath(listed[0].filename or "").suffix, "the name F2 types the file by has an extension"
        mime_type = mimetypes.guess_type(listed[0].filename or "")[0] or "application/octet-stream"
        if name == "scan0001":
            assert mime_type == "application/pdf"
    assert listed[0].mime_type in (None, mime_type), f"{subject.kind} keeps {listed[0].mime_type}"
