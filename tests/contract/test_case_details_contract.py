"""The case details pane's service on every backend: a demo case with documents read anew with its
documents newest first, and a document downloaded into the private folder with the service's bytes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from backend_contract import Subject
from caseclient.backends.protocol import Capability
from caseclient.services.background import Background
from caseclient.services.case_details_service import CaseDetailsService

WAIT_MS = 30_000


def test_case_details_and_a_downloaded_document(subject: Subject, qtbot, tmp_path) -> None:
    backend = subject.backend
    case = next((c for c in subject.open_cases(60) if backend.list_documents(c.id)), None)
    if case is None:
        pytest.fail(f"{subject.kind}: no demo case shows its documents")
    background = Background()
    try:
        details = CaseDetailsService(backend, background, folder=tmp_path / "open")
        shown = []
        details.details_ready.connect(shown.append)
        failed = []
        details.details_failed.connect(lambda _id, message: failed.append(message))
        details.show(case)
        qtbot.waitUntil(lambda: failed or (shown and shown[-1].documents is not None), timeout=WAIT_MS)
        assert not failed
        read = shown[-1]
        assert (read.case.id, read.case.number, read.case.title) == (case.id, case.number, case.title)
        assert {d.id for d in read.documents} == {d.id for d in backend.list_documents(case.id)}
        dates = [d.document_date for d in read.documents if d.document_date]
        assert dates == sorted(dates, reverse=True)
        if Capability.READ_CONTENT not in backend.capabilities:
            return
        document = read.documents[0]
        with qtbot.waitSignal(details.document_ready, timeout=WAIT_MS) as ready:
            details.download(document)
        served = io.BytesIO()
        backend.read_content(document.id, served)
        assert Path(ready.args[1]).read_bytes() == served.getvalue()
        details.cleanup()
        assert not Path(ready.args[1]).exists()
    finally:
        background.shutdown()
