"""The duplicate guard: was this document filed on this case already, here or by anyone?

Locally the filing ledger and the outbox answer; remotely the case's document list does, where the
backend can list documents (LIST_DOCUMENTS). A document on the server matches by the sha256 or
Message-ID the backend reports in `DocumentRef.extra`; where it reports neither, a document with
the same size is downloaded and hashed (READ_CONTENT).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..backends.protocol import Capability, DocumentService
from ..domain import DocumentRef
from ..store import FilingLedger, Outbox


@dataclass(frozen=True, slots=True)
class PriorFiling:
    case_number: str
    filed_at: datetime | None  # None: still waiting in the outbox
    document_id: str | None
    title: str

    @property
    def sentence(self) -> str:
        if self.filed_at is None:
            return f"already waiting in the outbox to be filed on {self.case_number}"
        return f"already filed on {self.case_number} at {self.filed_at.astimezone():%Y-%m-%d %H:%M}"


class DuplicateGuard:
    """`snapshot_seconds`: a case's document list is fetched once and reused that long, so that a
    batch of documents for one case costs one listing (what this installation files meanwhile is
    in the ledger; what others file in that window is missed)."""

    def __init__(
        self,
        ledger: FilingLedger,
        outbox: Outbox,
        backend: DocumentService,
        *,
        snapshot_seconds: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ledger = ledger
        self.outbox = outbox
        self.backend = backend
        self.snapshot_seconds = snapshot_seconds
        self._monotonic = monotonic
        self._snapshots: dict[str, tuple[float, list[DocumentRef]]] = {}
        self._lock = threading.Lock()

    @property
    def can_check_remotely(self) -> bool:
        return Capability.LIST_DOCUMENTS in self.backend.capabilities

    def find_local(self, case_id: str, sha256: str, message_id: str | None) -> PriorFiling | None:
        entry = self.ledger.find(case_id, sha256, message_id)
        if entry:
            return PriorFiling(entry.case_number, entry.filed_at, entry.document_id, entry.title)
        waiting = self.outbox.pending_like(case_id, sha256, message_id)
        if waiting:
            return PriorFiling(waiting.case_number, None, None, waiting.title)
        return None

    def find_remote(
        self, case_id: str, case_number: str, sha256: str, size: int, message_id: str | None
    ) -> PriorFiling | None:
        """Search the case on the server (backend errors propagate: the caller decides)."""
        if not self.can_check_remotely:
            return None
        for ref in self._documents(case_id):
            if self._matches(ref, sha256, size, message_id):
                return PriorFiling(case_number, ref.created, ref.id, ref.title)
        return None

    def _documents(self, case_id: str) -> list[DocumentRef]:
        now = self._monotonic()
        with self._lock:
            taken = self._snapshots.get(case_id)
        if taken and now - taken[0] < self.snapshot_seconds:
            return taken[1]
        documents = self.backend.list_documents(case_id)
        with self._lock:
            self._snapshots[case_id] = (now, documents)
        return documents

    def _matches(self, ref: DocumentRef, sha256: str, size: int, message_id: str | None) -> bool:
        if message_id and ref.extra.get("message_id") == message_id:
            return True
        if "sha256" in ref.extra:
            return ref.extra["sha256"] == sha256
        if ref.size != size or Capability.READ_CONTENT not in self.backend.capabilities:
            return False
        sink = _HashingSink()
        self.backend.read_content(ref.id, sink)  # type: ignore[arg-type]
        return sink.hexdigest() == sha256


class _HashingSink:
    """A write-only binary sink that keeps only the sha256 of what it is given."""

    def __init__(self) -> None:
        self._digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self._digest.update(data)
        return len(data)

    def hexdigest(self) -> str:
        return self._digest.hexdigest()
