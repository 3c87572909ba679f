"""Background filing for the GUI: the outbox worker's events as signals, enqueueing off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..domain import Case, DocumentMetadata, FilingRoute
from ..filing import AlreadyFiled, DuplicateGuard, FilingEvents, FilingPrompts, OutboxWorker, file_to_case
from ..filing.enqueue import WHILE_FILING_FLUSH_GRACE_S
from ..store import Outbox, OutboxItem, OutboxStatus, QueueState
from ..store.undo import TooLate, undo, undoable
from .background import Background


class _Events(FilingEvents):
    def __init__(self, service: "FilingService") -> None:
        self._service = service

    def item_changed(self, item: OutboxItem) -> None:
        self._service.item_changed.emit(item)

    def bytes_sent(self, item_id: int, sent: int, total: int) -> None:
        self._service.bytes_sent.emit(item_id, sent, total)

    def queue_changed(self, state: QueueState) -> None:
        self._service.queue_changed.emit(state)


class FilingService(QObject):
    item_changed = Signal(object)  # OutboxItem (status, attempts, error, ...)
    bytes_sent = Signal(int, int, int)  # item id, bytes sent, total
    queue_changed = Signal(object)  # QueueState
    enqueued = Signal(object)  # OutboxItem
    problem = Signal(str)  # one sentence: already filed, unreadable file, cannot retry, ...
    undone = Signal(object)  # OutboxItem taken back inside its undo window (nothing was sent)
    stopped = Signal()  # the worker stopped (the app is closing): countdowns stop with it

    def __init__(
        self,
        outbox: Outbox,
        make_worker: Callable[[FilingEvents], OutboxWorker],
        guard: DuplicateGuard,
        prompts: FilingPrompts,
        background: Background,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.outbox = outbox
        self.worker = make_worker(_Events(self))
        self._guard = guard
        self._prompts = prompts
        self._background = background

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop(timeout=10)
        self.stopped.emit()

    def enqueue(
        self,
        case: Case,
        path: Path,
        metadata: DocumentMetadata,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Queue a file for the case (the duplicate check may ask the service: off the GUI thread).
        `then` runs on the GUI thread once the file is in the outbox or refused: the source may go.
        With an undo window the copy is flushed at once (the upload waits anyway)."""
        if metadata.route is None:
            metadata = replace(metadata, route=FilingRoute.DROP)  # dropped or pasted: for the journal
        grace = 0.0 if self.outbox.undo_window_s > 0 else WHILE_FILING_FLUSH_GRACE_S

        def call() -> OutboxItem | str:
            try:
                return file_to_case(self.outbox, self._guard, self._prompts, case, path, metadata, filename=filename,
                                    mime_type=mime_type, flush_grace=grace)
            except AlreadyFiled as exc:
                return exc.message

        def done(result, error: str | None) -> None:
            if error or isinstance(result, str):
                self.problem.emit(error or result)
            else:
                self.enqueued.emit(result)
                self.item_changed.emit(result)
            if then:
                then()

        self._background.run(call, done)

    def items(self) -> list[OutboxItem]:
        return self.outbox.items()

    def counts(self) -> dict[OutboxStatus, int]:
        return self.outbox.counts()

    def retry(self, item_id: int) -> None:
        self._command(lambda: self.outbox.retry(item_id))

    def cancel(self, item_id: int) -> None:
        self._command(lambda: self.worker.cancel(item_id))

    @property
    def undo_window_s(self) -> float:
        return self.outbox.undo_window_s

    def now(self) -> float:
        """The outbox's time, which undo windows end by."""
        return self.outbox.now()

    def undo(self, item_id: int) -> None:
        """Take the item back if its upload has not begun (`undone`), else say why not (`problem`)."""

        def run() -> OutboxItem | str:
            try:
                return undo(self.outbox, item_id)
            except (TooLate, LookupError) as exc:
                return str(exc)

        def done(result, error: str | None) -> None:
            if isinstance(result, OutboxItem):
                self.item_changed.emit(result)
                self.undone.emit(result)
            else:
                self.problem.emit(error or result)

        self._background.run(run, done)

    def undoable(self, then: Callable[[list[OutboxItem]], None]) -> None:
        """The items still inside their undo window (e.g. after a restart), to `then` on the GUI thread."""
        self._background.run(lambda: undoable(self.outbox), lambda items, error: then(items or []))

    def set_paused(self, paused: bool) -> None:
        def call() -> QueueState:
            self.outbox.pause() if paused else self.outbox.resume()
            return self.outbox.queue_state()

        self._background.run(call, lambda state, error: self.queue_changed.emit(state) if state else None)

    def _command(self, call: Callable[[], OutboxItem]) -> None:
        def run() -> OutboxItem | str:
            try:
                return call()
            except (ValueError, LookupError) as exc:  # e.g. retrying an item that is already done
                return str(exc)

        def done(result, error: str | None) -> None:
            if isinstance(result, OutboxItem):
                self.item_changed.emit(result)
            else:
                self.problem.emit(error or result)

        self._background.run(run, done)
