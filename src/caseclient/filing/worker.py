"""The outbox worker: drains the outbox on its own threads, exactly once per document.

Every attempt runs the same way: claim the earliest due item (it becomes 'uploading'); search the
case for a duplicate once; if an earlier attempt may have landed, ask the backend (find_upload);
upload with the item's fixed idempotency key and its durable resume state; record the outcome.
The domain error class decides what a failure means:

- transient (Transient, RateLimited, Locked): back to the queue after a backoff with jitter, never
  sooner than the server's Retry-After;
- OutcomeUnknown: the same, and the next attempt asks find_upload before uploading;
- AuthError: the item goes back to the queue unharmed, the whole queue pauses and the user is asked
  for credentials (`FilingPrompts.ask_credentials`);
- anything else: failed, with the backend's sentence as the reason.

Only one process drains an outbox at a time (a lock file next to the database); it first puts back
whatever a dead process left 'uploading', marked as possibly landed.

A worker files only the items queued for its own service (kind and address); items queued for
another one wait for it (or for `caseclient outbox move`).

When the data folder cannot be written (a full disk, a read-only folder) the worker stops claiming
and backs off (1 s doubling to a minute), with one log line when the trouble starts and one when it
ends; an item whose outcome could not be recorded meanwhile is put back as possibly landed then, so
its next attempt asks the service first and the document is filed once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from ..backends.protocol import DocumentService
from ..domain import AuthError, CaseclientError, DocumentRef, Duplicate, OutcomeUnknown
from ..store import (
    Outbox,
    OutboxItem,
    OutboxResumeState,
    OutboxStatus,
    PauseReason,
    ProcessLock,
    QueueState,
    ServiceAddress,
    address_of,
)
from ..store.errors import DataFolderUnavailable
from .clock import Clock, SystemClock
from .duplicates import DuplicateGuard
from .prompts import FilingPrompts
from .retry import RetryPolicy

log = logging.getLogger(__name__)

IDLE_RECHECK_S = 5.0  # how often an idle worker looks for changes made by other processes
TROUBLE_BACKOFF_S = (1.0, 60.0)  # first and longest wait while the data folder cannot be written


class QueueBusy(RuntimeError):
    """Another process is already filing from this outbox."""


class FilingEvents:
    """Progress callbacks, called on worker threads. Subclass and override what you need
    (the GUI turns them into Qt signals)."""

    def item_changed(self, item: OutboxItem) -> None:
        """An item started, finished, or went back to the queue."""

    def bytes_sent(self, item_id: int, sent: int, total: int) -> None:
        """Upload progress of one item."""

    def queue_changed(self, state: QueueState) -> None:
        """The queue was paused or resumed."""


class UploadAborted(Exception):
    """Raised from the progress callback to stop an upload the user cancelled or the worker stops."""


class OutboxWorker:
    def __init__(
        self,
        outbox: Outbox,
        backend: DocumentService,
        prompts: FilingPrompts,
        *,
        guard: DuplicateGuard | None = None,
        parallelism: int = 2,
        policy: RetryPolicy | None = None,
        clock: Clock | None = None,  # for waiting; due times follow the outbox's own time
        events: FilingEvents | None = None,
        service: ServiceAddress | None = None,  # default: the address the backend reaches
    ) -> None:
        if parallelism < 1:
            raise ValueError("parallelism must be at least 1")
        self.service = service or address_of(backend)
        self.outbox = outbox
        self.backend = backend
        self.prompts = prompts
        self.guard = guard
        self.parallelism = parallelism
        self.policy = policy or RetryPolicy()
        self.clock = clock or SystemClock()
        self.events = events or FilingEvents()
        self._lock = ProcessLock(Path(str(outbox.db.path) + ".worker-lock"))
        self._threads: list[threading.Thread] = []
        self._wakeups: list[threading.Event] = []
        self._stopping = threading.Event()
        self._in_flight: set[int] = set()
        self._abort: set[int] = set()
        self._state = threading.Condition()
        self._prompt_lock = threading.Lock()
        self._trouble: DataFolderUnavailable | None = None  # the data folder cannot be written
        self._trouble_lock = threading.Lock()
        self._backoff = TROUBLE_BACKOFF_S[0]
        self._stranded: set[int] = set()  # uploading items whose outcome could not be recorded

    # -- life cycle --------------------------------------------------------------------------

    def start(self) -> None:
        if self._threads:
            return
        if not self._lock.acquire():
            raise QueueBusy("another caseclient is already filing the documents in this outbox")
        try:
            recovered = self.outbox.recover_interrupted()
        except BaseException:
            self._lock.release()
            raise
        if self.outbox.service is None:
            self.outbox.service = self.service  # what this process queues is for this service
        if recovered:
            log.info("outbox: %d interrupted upload(s) back in the queue", recovered)
        self._stopping.clear()
        self.outbox.add_listener(self._on_outbox_change)
        for n in range(self.parallelism):
            wakeup = threading.Event()
            thread = threading.Thread(target=self._run, args=(wakeup,), name=f"outbox-worker-{n}", daemon=True)
            self._wakeups.append(wakeup)
            self._threads.append(thread)
            thread.start()

    def stop(self, timeout: float | None = None) -> None:
        """Stop claiming items; uploads in flight are interrupted and go back to the queue."""
        if not self._threads:
            return
        self._stopping.set()
        self.wake()
        for thread in self._threads:
            thread.join(timeout)
        self._threads.clear()
        self._wakeups.clear()
        self.outbox.remove_listener(self._on_outbox_change)
        self._lock.release()

    @property
    def running(self) -> bool:
        return bool(self._threads)

    def wake(self) -> None:
        for wakeup in list(self._wakeups):
            wakeup.set()

    @property
    def trouble(self) -> DataFolderUnavailable | None:
        """Why the worker waits for the data folder (None: it does not)."""
        return self._trouble

    def wait_until(
        self, condition: Callable[[], bool], timeout: float | None = None, *, through_trouble: bool = False
    ) -> bool:
        """Block until `condition()` holds, re-checking after every outbox change. Unless
        `through_trouble`, raises DataFolderUnavailable when the worker starts waiting for the data
        folder instead (a command ends with that sentence rather than wait for a disk to be freed)."""
        def settled() -> bool:
            return condition() or (not through_trouble and self._trouble is not None)

        with self._state:
            reached = self._state.wait_for(settled, timeout)
        trouble = self._trouble
        if not through_trouble and trouble is not None and not condition():
            raise trouble
        return reached

    # -- commands that reach uploads in flight -----------------------------------------------

    def cancel(self, item_id: int) -> OutboxItem:
        return self.outbox.cancel(item_id)  # the listener aborts it if it is uploading

    def cancel_all(self) -> int:
        return self.outbox.cancel_all()

    # -- the loop ----------------------------------------------------------------------------

    def _on_outbox_change(self, item_id: int | None) -> None:
        try:
            if item_id is None:
                uploading = self.outbox.items([OutboxStatus.UPLOADING])
                self._abort.update(i.id for i in uploading if i.cancel_requested and i.id in self._in_flight)
            elif item_id in self._in_flight and self.outbox.get(item_id).cancel_requested:
                self._abort.add(item_id)
        except Exception as error:  # the loop meets the same fault and deals with it
            log.debug("outbox: a change could not be read back (%s)", type(error).__name__)
        self.wake()
        self._notify()

    def _notify(self) -> None:
        with self._state:
            self._state.notify_all()

    def _run(self, wakeup: threading.Event) -> None:
        while not self._stopping.is_set():
            wakeup.clear()
            if self._trouble is not None and not self._try_recovering():
                self.clock.wait(wakeup, self._backoff)
                continue
            try:
                item = self.outbox.claim_next(exclude=self._in_flight, service=self.service)
            except Exception as error:  # a full disk, a read-only folder, a locked or broken database
                self._enter_trouble(error)
                continue
            if item is None:
                try:
                    timeout = self._idle_timeout()
                except Exception as error:
                    self._enter_trouble(error)
                    continue
                self.clock.wait(wakeup, timeout)
                continue
            self._in_flight.add(item.id)
            try:
                self._attempt(item)
            except Exception as error:  # its outcome could not be recorded: put back when the folder works
                with self._trouble_lock:
                    self._stranded.add(item.id)
                self._enter_trouble(error, item)
            finally:
                self._in_flight.discard(item.id)
                self._abort.discard(item.id)

    # -- a data folder that cannot be written ------------------------------------------------

    def _enter_trouble(self, error: Exception, item: OutboxItem | None = None) -> None:
        with self._trouble_lock:
            if self._trouble is not None:
                self._backoff = min(self._backoff * 2, TROUBLE_BACKOFF_S[1])
                return
            if isinstance(error, DataFolderUnavailable):
                self._trouble = error
                log.warning("outbox: %s Filing waits until it can be written again.", error.message)
            else:
                self._trouble = DataFolderUnavailable(
                    f"caseclient's outbox database in {self.outbox.db.path.parent} cannot be used right now "
                    f"({type(error).__name__}); filing waits and tries again.", self.outbox.db.path.parent, full=False)
                what = f"item {item.id}: " if item is not None else ""
                log.error("outbox: %sthe worker could not use the outbox database; it waits and tries again",
                          what, exc_info=error)
            self._backoff = TROUBLE_BACKOFF_S[0]
        self._notify()

    def _try_recovering(self) -> bool:
        """One probe (by one thread): put back stranded items, or claim nothing but prove a write."""
        if not self._trouble_lock.acquire(blocking=False):
            return False
        try:
            if self._trouble is None:
                return True
            try:
                self.outbox.probe_write()
                for item_id in sorted(self._stranded):
                    self.outbox.put_back(item_id)
                    self._stranded.discard(item_id)
            except Exception:
                self._backoff = min(self._backoff * 2, TROUBLE_BACKOFF_S[1])
                return False
            log.warning("outbox: the data folder can be written again; filing continues")
            self._trouble = None
            self._backoff = TROUBLE_BACKOFF_S[0]
        finally:
            self._trouble_lock.release()
        self.wake()
        self._notify()
        return True

    def _idle_timeout(self) -> float:
        due = self.outbox.next_due_at(self.service)
        if due is None:
            return IDLE_RECHECK_S
        return min(IDLE_RECHECK_S, max(0.0, due - self.outbox.now()))

    def _attempt(self, item: OutboxItem) -> None:
        self.events.item_changed(item)
        state = self.outbox.resume_state(item.id)
        try:
            if not item.source_path.is_file():
                self._finish(self.outbox.mark_failed(
                    item.id, "input", f"The outbox copy of {item.filename} is missing; add the document again."
                ))
                return
            if not item.remote_checked and self.guard is not None:
                prior = self.guard.find_remote(item.case_id, item.case_number, item.sha256, item.size,
                                               item.metadata().message_id)  # whole, as the service has it
                if prior is not None and not self.prompts.confirm_duplicate(item.title, prior):
                    self._finish(self.outbox.mark_cancelled(
                        item.id, "duplicate", f"{item.filename} was not filed again: {prior.sentence}."
                    ))
                    return
                self.outbox.mark_remote_checked(item.id)
            ref = None
            if item.outcome_unknown:
                ref = self.backend.find_upload(item.idempotency_key, state)
            if ref is None:
                if item.cancel_requested:  # cancelled before a crash, and nothing landed
                    self._finish(self.outbox.mark_cancelled(item.id))
                    return
                ref = self.backend.upload_document(
                    item.case_id,
                    item.source(),
                    item.metadata(),
                    idempotency_key=item.idempotency_key,
                    state=state,
                    progress=lambda sent, total: self._progress(item.id, sent, total),
                )
            self._done(item, ref)
        except DataFolderUnavailable:
            raise  # the outcome cannot be recorded now: the loop puts the item back later
        except Exception as error:
            self._failed_attempt(item, state, error)

    def _progress(self, item_id: int, sent: int, total: int) -> None:
        if self._stopping.is_set() or item_id in self._abort:
            raise UploadAborted("the upload was stopped")
        self.events.bytes_sent(item_id, sent, total)

    def _done(self, item: OutboxItem, ref: DocumentRef) -> None:
        self._finish(self.outbox.mark_done(item.id, ref))

    def _failed_attempt(self, item: OutboxItem, state: OutboxResumeState, error: Exception) -> None:
        started = not state.is_empty()  # the backend began something that may have landed
        now = self.outbox.now()
        if item.id in self._abort:
            self._finish(self.outbox.mark_cancelled(item.id, outcome_unknown=started))
            return
        if self._stopping.is_set():
            self._finish(self.outbox.schedule_retry(
                item.id, now, "interrupted", "Interrupted when caseclient stopped.", outcome_unknown=started
            ))
            return
        if isinstance(error, AuthError):
            self._finish(self.outbox.schedule_retry(item.id, now, error.code, error.message, outcome_unknown=started))
            self._ask_credentials(error)
        elif isinstance(error, Duplicate):
            ref = self.backend.find_upload(item.idempotency_key, state)
            if ref is not None:
                self._done(item, ref)
            else:
                self._finish(self.outbox.mark_failed(item.id, error.code, error.message))
        elif isinstance(error, CaseclientError) and error.retryable:
            delay = self.policy.delay(item.attempts, getattr(error, "retry_after", None))
            log.info("outbox: item %d attempt %d: %s; next try in %.1f s", item.id, item.attempts, error.code, delay)
            self._finish(self.outbox.schedule_retry(
                item.id, now + delay, error.code, error.message,
                outcome_unknown=started or isinstance(error, OutcomeUnknown),
            ))
        elif isinstance(error, CaseclientError):
            log.info("outbox: item %d failed: %s", item.id, error.code)
            self._finish(self.outbox.mark_failed(item.id, error.code, error.message))
        else:
            log.error("outbox: item %d: unexpected %s", item.id, type(error).__name__, exc_info=error)
            self._finish(self.outbox.mark_failed(
                item.id, "internal", f"{item.filename} was not filed: an unexpected error (see the log)."
            ))

    def _ask_credentials(self, error: AuthError) -> None:
        self.outbox.pause(PauseReason.AUTH)
        self.events.queue_changed(self.outbox.queue_state())
        with self._prompt_lock:
            if self.outbox.queue_state().reason is not PauseReason.AUTH:
                return  # someone else's prompt already dealt with it
            if self.prompts.ask_credentials(self.backend.name, error.message):
                self.outbox.resume()
                self.events.queue_changed(self.outbox.queue_state())

    def _finish(self, item: OutboxItem) -> None:
        self.events.item_changed(item)
