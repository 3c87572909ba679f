"""The outbox against the real reference service and the real `oio` backend."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.domain import Case
from caseclient.filing import Clock, DuplicateGuard, SystemClock, FilingEvents, ManualClock, OutboxWorker, PriorFiling, RetryPolicy
from caseclient.store import Database, FilingLedger, Outbox, OutboxItem, QueueState, open_database, outbox_files_dir


@dataclass
class ScriptedPrompts:
    """The user's answers, given in advance; every question is recorded."""

    insist_on_duplicates: bool = False
    new_credentials: bool = False
    on_credentials: Callable[[], bool] | None = None  # the user's dialog, when a test needs one
    duplicate_questions: list[tuple[str, PriorFiling]] = field(default_factory=list)
    credential_questions: list[tuple[str, str]] = field(default_factory=list)

    def confirm_duplicate(self, title: str, prior: PriorFiling) -> bool:
        self.duplicate_questions.append((title, prior))
        return self.insist_on_duplicates

    def ask_credentials(self, service_name: str, message: str) -> bool:
        self.credential_questions.append((service_name, message))
        return self.on_credentials() if self.on_credentials else self.new_credentials


class RecordedEvents(FilingEvents):
    def __init__(self) -> None:
        self.items: list[OutboxItem] = []
        self.bytes: list[tuple[int, int, int]] = []
        self.queue: list[QueueState] = []

    def item_changed(self, item: OutboxItem) -> None:
        self.items.append(item)

    def bytes_sent(self, item_id: int, sent: int, total: int) -> None:
        self.bytes.append((item_id, sent, total))

    def queue_changed(self, state: QueueState) -> None:
        self.queue.append(state)


@dataclass
class Filing:
    """One installation's outbox wired to the reference service; `worker()` builds the worker."""

    db: Database
    outbox: Outbox
    ledger: FilingLedger
    backend: OioService
    guard: DuplicateGuard
    prompts: ScriptedPrompts
    clock: Clock
    events: RecordedEvents
    tmp: Path
    workers: list[OutboxWorker] = field(default_factory=list)

    def worker(self, parallelism: int = 2, policy: RetryPolicy | None = None) -> OutboxWorker:
        worker = OutboxWorker(
            self.outbox, self.backend, self.prompts, guard=self.guard, parallelism=parallelism,
            policy=policy or RetryPolicy(base=1.0, cap=8.0, floor=0.1, rng=random.Random(3)),
            clock=self.clock, events=self.events,
        )
        self.workers.append(worker)
        return worker

    def document(self, name: str, content: bytes) -> Path:
        path = self.tmp / "sources" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        return path


@pytest.fixture
def oio(reference_service) -> OioService:
    return OioService(reference_service.url)


@pytest.fixture
def cases(oio: OioService) -> list[Case]:
    found = oio.search_cases(CaseQuery(limit=10))
    assert len(found) >= 3, "the reference service needs a few cases"
    return found


def _filing(tmp_path: Path, oio: OioService, clock: Clock):
    db = open_database(tmp_path / "data")
    outbox = Outbox(db, outbox_files_dir(tmp_path / "data"), now=clock.now)
    ledger = FilingLedger(db)
    setup = Filing(db, outbox, ledger, oio, DuplicateGuard(ledger, outbox, oio), ScriptedPrompts(), clock,
                   RecordedEvents(), tmp_path)
    yield setup
    for worker in setup.workers:
        worker.stop(timeout=30)
    db.close()


@pytest.fixture
def filing(tmp_path: Path, oio: OioService):
    """An outbox on a manual clock: backoff delays pass only when the test advances it."""
    yield from _filing(tmp_path, oio, ManualClock())


@pytest.fixture
def live_filing(tmp_path: Path, oio: OioService):
    """An outbox on the system clock."""
    yield from _filing(tmp_path, oio, SystemClock())
