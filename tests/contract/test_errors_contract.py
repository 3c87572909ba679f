"""Every error status a service answers, in its own dialect's words, becomes the same domain error
with one sentence that names no address, echoes no body and shows no CPR number."""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import Path

import pytest

from backend_contract import Subject
from caseclient.backends.protocol import CaseQuery, MemoryResumeState
from caseclient.domain import (
    AuthError,
    Conflict,
    DocumentMetadata,
    NotFound,
    RateLimited,
    TooLarge,
    Transient,
    UploadSource,
    ValidationFailed,
)
from caseclient.connection import BACKENDS
from caseclient.server import DIALECTS, FaultConfig

EXPECTED = {
    400: ValidationFailed, 401: AuthError, 403: AuthError, 404: NotFound, 409: Conflict, 413: TooLarge,
    429: RateLimited, 500: Transient, 502: Transient, 503: Transient,
}
CPR = re.compile(r"\b\d{6}-?\d{4}\b")


def _check_sentence(subject: Subject, status: int, error: Exception) -> None:
    message = str(error)
    assert message and "\n" not in message, message
    assert "http://" not in message and "https://" not in message, message
    assert not CPR.search(message), message
    body, _type = DIALECTS[BACKENDS[subject.kind].dialect].error_page(status)
    text = body.decode("utf-8", "replace")
    if len(text) > 80:
        assert text not in message, message
    assert message.rstrip().endswith((".", "?", ")")), message


@pytest.mark.parametrize("status", sorted(EXPECTED))
def test_error_status_while_searching(subject: Subject, status: int) -> None:
    case = subject.open_cases()[0]
    subject.service.faults = FaultConfig(status=status, status_rate=1.0)
    try:
        with pytest.raises(EXPECTED[status]) as raised:
            subject.backend.search_cases(CaseQuery(title=case.title.split()[0], limit=5))
    finally:
        subject.service.faults = FaultConfig()
    _check_sentence(subject, status, raised.value)
    if status in (429, 503):
        assert raised.value.retry_after == pytest.approx(7, abs=1)


@pytest.mark.parametrize("status", sorted(EXPECTED))
def test_error_status_while_filing(subject: Subject, tmp_path: Path, status: int) -> None:
    case = subject.open_cases()[1]
    path = tmp_path / "brev.txt"
    path.write_bytes(b"brev\n")
    subject.service.faults = FaultConfig(status=status, status_rate=1.0)
    try:
        with pytest.raises(EXPECTED[status]) as raised:
            subject.backend.upload_document(
                case.id, UploadSource.from_path(path),
                DocumentMetadata(title="Brev", document_date=date(2026, 12, 3)),
                idempotency_key=f"contract-{uuid.uuid4()}", state=MemoryResumeState())
    finally:
        subject.service.faults = FaultConfig()
    _check_sentence(subject, status, raised.value)
