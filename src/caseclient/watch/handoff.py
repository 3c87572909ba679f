"""Handing a routed scan to the outbox, exactly once, and reading back how its filing ended."""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass, replace

from ..domain import Case, DocumentMetadata, FilingRoute
from ..intake.documents import AttachmentFiling, documents_to_file
from ..store import FilingLedger, Outbox, OutboxStatus, UnknownItem
from .routing import Routed


class Outcome(str, enum.Enum):
    WAITING = "waiting"
    FILED = "filed"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Handed:
    item_id: int | None  # None: the ledger says it was filed before
    case_number: str


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    reason: str = ""


class OutboxHandOff:
    """The one place where scans enter the outbox. The outbox copies the file at enqueue, so the
    claimed original can wait untouched until the item is done. A mail's attachments are queued
    first, each as a document of its own, when the organisation files them separately: a restart
    between them finds the ones already queued or filed and adds none twice."""

    def __init__(self, outbox: Outbox, ledger: FilingLedger,
                 attachments: AttachmentFiling = AttachmentFiling.SEPARATE) -> None:
        self.outbox = outbox
        self.ledger = ledger
        self.attachments = attachments
        self._deciding = threading.Lock()  # two threads with the same content: one item, not two

    def file(self, routed: Routed) -> Handed:
        assert routed.case is not None, "only scans routed to a case are filed"
        document, *attached = documents_to_file(routed.candidate, routed.metadata, attachments=self.attachments)
        for extra in attached:
            self.enqueue(routed.case, extra.path, extra.filename, extra.metadata, mime_type=extra.mime_type)
        mime_type = document.mime_type if routed.upload_path == routed.candidate.source else None
        return self.enqueue(routed.case, routed.upload_path, routed.filename, routed.metadata, mime_type=mime_type)

    def enqueue(self, case: Case, path, filename: str, metadata: DocumentMetadata, *,
                mime_type: str | None = None) -> Handed:
        """Queue `path` for `case`, unless the same content already waits for or was filed on it
        (what a restart after a crash between enqueue and the claim's bookkeeping finds)."""
        staged = self.outbox.flush(self.outbox.stage(path, filename=filename, mime_type=mime_type))  # unlocked
        with self._deciding:
            if self.ledger.find(case.id, staged.sha256, None) is not None:
                self.outbox.discard(staged)
                return Handed(None, case.number)
            waiting = self.outbox.pending_like(case.id, staged.sha256, None)
            if waiting is not None:
                self.outbox.discard(staged)
                return Handed(waiting.id, case.number)
            # The server-side duplicate search compares bytes; two scans of one letter never match,
            # so it would only cost a listing (and downloads) per scan. Exactly-once comes from the
            # claim, the checks above and the outbox's fixed idempotency key.
            scan = metadata if metadata.route else replace(metadata, route=FilingRoute.SCAN)  # for the journal
            item = self.outbox.enqueue(case, staged, scan, remote_checked=True)
        return Handed(item.id, case.number)

    def result(self, handed: Handed) -> Result:
        if handed.item_id is None:
            return Result(Outcome.FILED)
        try:
            item = self.outbox.get(handed.item_id)
        except UnknownItem:
            return Result(Outcome.FAILED, "its outbox item was removed before it was filed")
        if item.status is OutboxStatus.DONE:
            return Result(Outcome.FILED)
        if item.status in (OutboxStatus.FAILED, OutboxStatus.CANCELLED):
            return Result(Outcome.FAILED, item.last_error or f"filing was {item.status.value}")
        return Result(Outcome.WAITING)
