"""`caseclient file` through the outbox, and `caseclient outbox` to see and steer the queue."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from .backends.protocol import DocumentService
from .domain import CaseclientError, DocumentMetadata, DocumentRef, InputError
from .intake import IntakeSettings, propose, release
from .filing import (
    AlreadyFiled,
    DuplicateGuard,
    FilingEvents,
    OutboxWorker,
    PriorFiling,
    QueueBusy,
    file_to_case,
)
from .store import (
    Filing,
    Outbox,
    OutboxItem,
    OutboxStatus,
    PauseReason,
    QueueState,
)


class CommandLinePrompts:
    """No questions on the command line: `--again` answers the duplicate question in advance."""

    def __init__(self, again: bool) -> None:
        self.again = again

    def confirm_duplicate(self, title: str, prior: PriorFiling) -> bool:
        return self.again

    def ask_credentials(self, service_name: str, message: str) -> bool:
        return False


@dataclass
class QueuedFiling:
    path: Path
    item_id: int | None = None
    ref: DocumentRef | None = None  # filed now, or found filed before
    note: str | None = None  # said on stderr, not a failure (already filed)
    error: str | None = None

    def as_json(self) -> dict:
        row: dict = {"path": str(self.path)}
        if self.item_id is not None:
            row["outbox_item"] = self.item_id
        if self.ref is not None:
            row.update(document_id=self.ref.id, case_id=self.ref.case_id, title=self.ref.title,
                       already_filed=self.ref.already_existed)
        if self.error:
            row["error"] = self.error
        return row


def file_through_outbox(
    service: DocumentService,
    filing: Filing,
    paths: Sequence[Path],
    *,
    case_number: str,
    title: str | None = None,
    again: bool = False,
    wait: bool = True,
    tries: int = 3,
    intake: IntakeSettings | None = None,
) -> list[QueuedFiling]:
    """Queue every path for the case, then (with `wait`) file them here and report each one:
    filed, refused, or still waiting after `tries` attempts (it stays in the outbox)."""
    case = service.find_case_by_number(case_number)
    prompts = CommandLinePrompts(again)
    guard = DuplicateGuard(filing.ledger, filing.outbox, service)
    results: list[QueuedFiling] = []
    for path in paths:
        try:
            metadata = proposed_metadata(path, title, intake)
            item = file_to_case(filing.outbox, guard, prompts, case, path, metadata, insist=again)
            results.append(QueuedFiling(path, item_id=item.id))
        except AlreadyFiled as refused:
            results.append(_already_filed(path, case.id, refused))
        except InputError as exc:
            results.append(QueuedFiling(path, error=exc.message))
        except CaseclientError as exc:
            results.append(QueuedFiling(path, error=f"{path} was not queued: {exc.message}"))
    queued = [r for r in results if r.item_id is not None]
    if not wait or not queued:
        return results
    worker = OutboxWorker(filing.outbox, service, prompts, guard=guard)
    try:
        worker.start()
    except QueueBusy:
        for r in queued:
            r.note = f"{r.path} is queued (item {r.item_id}); the running caseclient files it."
        return results
    try:
        worker.wait_until(lambda: all(_settled(filing.outbox.get(r.item_id), tries, filing.outbox) for r in queued))
    finally:
        worker.stop()
    for r in queued:
        _report(r, filing.outbox.get(r.item_id))
    return results


def proposed_metadata(path: Path, title: str | None, settings: IntakeSettings | None = None) -> DocumentMetadata:
    """What intake proposes for the file (subject, date, direction, parties ...), with the title
    given on the command line taking precedence. InputError (naming the file) when it cannot be read."""
    candidate = propose(path, settings=settings)
    release(candidate)  # the command line files the file itself, not its unpacked attachments
    return replace(candidate.metadata, title=title) if title else candidate.metadata


def _already_filed(path: Path, case_id: str, refused: AlreadyFiled) -> QueuedFiling:
    prior = refused.prior
    if prior.document_id is None:
        return QueuedFiling(path, error=refused.message)
    ref = DocumentRef(id=prior.document_id, case_id=case_id, title=prior.title, already_existed=True)
    return QueuedFiling(path, ref=ref, note=f"{refused.message} Use --again to file it anyway.")


def _settled(item: OutboxItem, tries: int, outbox: Outbox) -> bool:
    if item.status.finished or item.status is OutboxStatus.PAUSED or outbox.queue_state().paused:
        return True
    return item.status is OutboxStatus.QUEUED and item.attempts >= tries


def _report(result: QueuedFiling, item: OutboxItem) -> None:
    if item.status is OutboxStatus.DONE:
        result.ref = DocumentRef(id=item.document_id or "", case_id=item.case_id, title=item.title)
    elif item.status is OutboxStatus.CANCELLED and item.last_error_code == "duplicate":
        result.note = item.last_error
    elif item.status is OutboxStatus.FAILED:
        result.error = f"{result.path} was not filed: {item.last_error}"
    else:
        reason = f": {item.last_error}" if item.last_error else ""
        result.error = (f"{result.path} is not filed yet{reason} It stays in the outbox as item {item.id} "
                        "and is filed when caseclient next runs (see `caseclient outbox`).")


# --- caseclient outbox ------------------------------------------------------------------------

def outbox_rows(filing: Filing) -> list[dict]:
    return [
        {
            "id": i.id, "status": i.status.value, "attempts": i.attempts, "case": i.case_number,
            "title": i.title, "file": i.filename, "size": i.size, "document_id": i.document_id,
            "error_code": i.last_error_code, "error": i.last_error,
        }
        for i in filing.outbox.items()
    ]


def print_outbox(filing: Filing, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    state = filing.outbox.queue_state()
    if state.paused:
        why = "the service refused the credentials" if state.reason is PauseReason.AUTH else "by the user"
        print(f"The outbox is paused ({why}); `caseclient outbox resume` continues.", file=out)
    for row in outbox_rows(filing):
        error = f"\t{row['error']}" if row["error"] and row["status"] != "done" else ""
        print(f"{row['id']}\t{row['status']}\t{row['attempts']}\t{row['case']}\t{row['title']}{error}", file=out)


def select_items(filing: Filing, which: str) -> list[int]:
    """`all`, or one item id; ValueError with a sentence otherwise."""
    if which == "all":
        return [i.id for i in filing.outbox.items()]
    try:
        item_id = int(which)
    except ValueError:
        raise ValueError(f"{which!r} is not an outbox item number (see `caseclient outbox`)") from None
    filing.outbox.get(item_id)
    return [item_id]


class PrintedProgress(FilingEvents):
    """One line per event on `out`, for scripts and tests: `<status> <item>`, `sent <item> <n>/<total>`."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self._lock = threading.Lock()  # whole lines from many worker threads

    def item_changed(self, item: OutboxItem) -> None:
        self._line(f"{item.status.value} {item.id}")

    def bytes_sent(self, item_id: int, sent: int, total: int) -> None:
        self._line(f"sent {item_id} {sent}/{total}")

    def queue_changed(self, state: QueueState) -> None:
        self._line("paused" if state.paused else "resumed")

    def _line(self, text: str) -> None:
        with self._lock:
            self.out.write(text + "\n")
            self.out.flush()


def run_outbox(
    service: DocumentService, filing: Filing, *, parallelism: int, events: FilingEvents | None = None
) -> int:
    """File everything waiting; return when nothing is queued or uploading (or the queue pauses)."""
    guard = DuplicateGuard(filing.ledger, filing.outbox, service)
    worker = OutboxWorker(filing.outbox, service, CommandLinePrompts(False), guard=guard,
                          parallelism=parallelism, events=events)
    worker.start()
    try:
        def idle() -> bool:
            counts = filing.outbox.counts()
            waiting = counts[OutboxStatus.QUEUED] + counts[OutboxStatus.UPLOADING]
            return waiting == 0 or filing.outbox.queue_state().paused

        worker.wait_until(idle)
    finally:
        worker.stop()
    counts = filing.outbox.counts()
    return 0 if counts[OutboxStatus.QUEUED] == counts[OutboxStatus.FAILED] == 0 else 1
