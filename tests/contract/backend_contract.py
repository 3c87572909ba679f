"""Shared pieces of the contract suite (see conftest.py).

The contract every backend passes, against its simulator in the reference service.

Parametrised over every kind in the composition root's table (caseclient.connection.BACKENDS): a
new backend is done when it passes this suite unchanged. Each kind gets one reference service per
test module, speaking the kind's dialect over the same demo cases, and the backend is built the way
the app builds it (settings -> session -> backend_for).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import requests

from caseclient.backends.protocol import CaseQuery, DocumentService
from caseclient.config import Settings, SettingsFiles, load_settings
from caseclient.connection import BACKENDS
from caseclient.domain import Case, DocumentMetadata, DocumentRef, UploadSource
from caseclient.server import ReferenceService
from kinds import simulated_kinds

DEMO_CASES = 120
KINDS = simulated_kinds()


def settings_for(kind: str, url: str) -> Settings:
    return load_settings(SettingsFiles(command_line={"service.kind": kind, "service.url": url}))


@dataclass
class Subject:
    """One backend under test, its simulator, and the session it talks through."""

    kind: str
    service: ReferenceService
    backend: DocumentService
    session: requests.Session
    data: Path

    def open_cases(self, limit: int = 60) -> list[Case]:
        return self.backend.search_cases(CaseQuery(limit=limit, include_closed=False))

    def file(self, case: Case, path: Path, title: str, *, key: str, state=None) -> DocumentRef:
        from caseclient.backends.protocol import MemoryResumeState

        return self.backend.upload_document(
            case.id, UploadSource.from_path(path), DocumentMetadata(title=title, document_date=date(2026, 12, 3)),
            idempotency_key=key, state=state if state is not None else MemoryResumeState())

    def titled(self, case: Case, title: str) -> list[DocumentRef]:
        return [d for d in self.backend.list_documents(case.id) if d.title == title]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
