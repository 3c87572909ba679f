"""The scan watcher: one loop that turns file system changes into filed documents.

Observers (and the scan at start, and the periodic rescan) only report paths; the loop feeds them
to the stability tracker and claims each stable file; a few hand-over threads route the claimed
scans and hand them to the outbox (or the inbox), so that one scan's file operations (on a share,
network round trips) do not wait for another's. When the outbox reports the outcome, the loop moves
the scan to Done, deletes it, or moves it to Failed with a `.reason.txt` beside it. The loop claims
no more than the hand-over threads can take, so other hosts on the share get their part of a
burst. One broken file never stops the loop. The loop sleeps on one event until the next thing is
due, so an idle watcher uses no CPU.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import socket
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..domain import BackendError, InputError, redact_cprs
from ..filing.clock import Clock, SystemClock
from ..redaction import shown_name as shown, shown_text
from ..intake.proposal import release
from .claims import Claim, ClaimBook
from .folders import AfterFiling, ScanFolder
from .handoff import Handed, Outcome, OutboxHandOff
from .ignore import IGNORED_PATTERNS, is_ignored
from .inbox import ScanInbox
from .names import fitting_name
from .observers import Change, FolderObservers
from .routing import Routed, Router
from .stability import StabilityTracker

log = logging.getLogger(__name__)

REASON_SUFFIX = ".reason.txt"  # beside a scan in Failed: why it is there


@dataclass(frozen=True)
class WatchOptions:
    host_id: str = field(default_factory=socket.gethostname)
    stability_delay: float = 2.0  # seconds without change before a file counts as written
    empty_file_delay: float = 60.0  # ... and for an empty file (a writer may hold it open empty first)
    rescan_interval: float = 60.0  # the safety net for missed events
    polling_interval: float = 5.0  # for folders on network shares
    claim_timeout: float = 600.0  # a stopped host's unfinished claims are put back after this
    heartbeat_interval: float = 30.0
    outcome_check_interval: float = 5.0  # for outboxes drained by another process
    retry_delay: float = 30.0  # a scan that could not be routed (service unreachable) is tried again
    # Scans routed and handed to the outbox at the same time: on a share one scan's round trips
    # overlap another's. More threads only compete with the uploads for the interpreter (a burst of
    # 1,500 on 2 cores: 1 thread 58-68 files/s, 2 threads 61, 4 threads 56).
    handover_threads: int = 2
    ignore: tuple[str, ...] = IGNORED_PATTERNS


class WatchEvents:
    """What happened to each scan; called on the watcher's threads. Override what you need."""

    def filed(self, folder: ScanFolder, name: str, case_number: str) -> None: ...

    def queued(self, folder: ScanFolder, name: str, case_number: str) -> None: ...

    def to_inbox(self, folder: ScanFolder, name: str, reason: str) -> None: ...

    def failed(self, folder: ScanFolder, name: str, reason: str) -> None: ...


@dataclass
class _Waiting:
    claim: Claim
    handed: Handed


class ScanWatcher:
    def __init__(
        self,
        folders: list[ScanFolder],
        router: Router,
        handoff: OutboxHandOff,
        inbox: ScanInbox,
        *,
        options: WatchOptions | None = None,
        clock: Clock | None = None,
        events: WatchEvents | None = None,
        observers: FolderObservers | None = None,
    ) -> None:
        self.folders = list(folders)
        self.router = router
        self.handoff = handoff
        self.inbox = inbox
        self.options = options or WatchOptions()
        self.clock = clock or SystemClock()
        self.events = events or WatchEvents()
        self._changes: queue.SimpleQueue[Change] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._observers = observers or FolderObservers(
            self._changes, self._wake, polling_interval=self.options.polling_interval)
        self.tracker = StabilityTracker(self.clock, self.options.stability_delay,
                                        empty_delay=self.options.empty_file_delay)
        self._books = {f.path: ClaimBook(f, self.options.host_id, self.clock, timeout=self.options.claim_timeout)
                       for f in self.folders}
        self._state = threading.RLock()  # _waiting, _retry, _in_flight: the loop and the hand-over threads
        self._waiting: dict[int | None, list[_Waiting]] = {}
        self._retry: list[tuple[float, Claim]] = []
        self._backlog: deque[Path | Claim] = deque()  # ready, not yet handed to a thread (the loop's own)
        self._in_flight = 0
        self._threads = max(1, self.options.handover_threads)
        self._pool: ThreadPoolExecutor | None = None
        self._move_lock = threading.Lock()  # choosing a free name in Failed, and taking it
        self._outbox_changed: set[int | None] = set()
        self._changed_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._next_rescan = self._next_heartbeat = self._next_outcome_check = 0.0
        self.idle = threading.Condition()  # notified after every loop pass (tests wait on it)
        self.passes = 0

    # -- life cycle --------------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        for folder in self.folders:
            folder.path.mkdir(parents=True, exist_ok=True)
            self._guard(self._books[folder.path].heartbeat)  # its folders exist before the observers look
            self._observers.watch(folder)
        self.handoff.outbox.add_listener(self._on_outbox_change)
        self._observers.start()
        self._stopping.clear()
        self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="scan-handover")
        self._thread = threading.Thread(target=self._run, name="scan-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 30) -> None:
        self._stopping.set()
        self._wake.set()
        self._observers.stop()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._pool is not None:  # scans being handed over finish; the backlog waits for the next start
            self._pool.shutdown(wait=True)
            self._pool = None
        self._backlog.clear()
        self.handoff.outbox.remove_listener(self._on_outbox_change)

    def wake(self) -> None:
        self._wake.set()

    def rescan_now(self) -> None:
        self._next_rescan = 0.0
        self._wake.set()

    @property
    def waiting_count(self) -> int:
        with self._state:
            return sum(len(v) for v in self._waiting.values())

    def wait_until(self, condition, timeout: float) -> bool:
        """Block until `condition()` holds after a loop pass (for tests and the bench)."""
        with self.idle:
            return self.idle.wait_for(condition, timeout)

    # -- the loop ----------------------------------------------------------------------------

    def _run(self) -> None:
        for book in self._books.values():
            self._guard(book.heartbeat)
            for claim in self._guard(book.left_over) or []:
                log.info("watch: taking up %s again after a restart", shown(claim.relative))
                self._backlog.append(claim)
        while not self._stopping.is_set():
            self._wake.clear()
            self._guard(self._pass)
            with self.idle:
                self.passes += 1
                self.idle.notify_all()
            self.clock.wait(self._wake, self._timeout())

    def _pass(self) -> None:
        self._drain_changes()
        now = self.clock.now()
        if now >= self._next_rescan:
            self._next_rescan = now + self.options.rescan_interval
            for folder in self.folders:
                self._guard(self._rescan, folder)
        if now >= self._next_heartbeat:
            self._next_heartbeat = now + self.options.heartbeat_interval
            for book in self._books.values():
                self._guard(book.heartbeat)
                for path in self._guard(book.recover_stale) or []:
                    log.info("watch: %s put back from a stopped host", shown(path))
                    self.tracker.seen(path)
        self._backlog.extend(self.tracker.take_ready())
        with self._state:
            due = [c for at, c in self._retry if at <= now]
            self._retry = [(at, c) for at, c in self._retry if at > now]
        self._backlog.extend(due)
        self._feed()
        self._check_outcomes(now)

    def _feed(self) -> None:
        """Claim ready scans and hand them to free hand-over threads (a finished one wakes the loop)."""
        assert self._pool is not None
        while self._backlog and not self._stopping.is_set():
            with self._state:
                if self._in_flight >= self._threads:
                    return
            item = self._backlog.popleft()
            claim = item if isinstance(item, Claim) else self._take(item)
            if claim is None:
                continue
            with self._state:
                self._in_flight += 1
            self._pool.submit(self._process_in_thread, claim)

    def _process_in_thread(self, claim: Claim) -> None:
        try:
            self._guard(self._process, claim)
        finally:
            with self._state:
                self._in_flight -= 1
            self._wake.set()

    def _timeout(self) -> float:
        now = self.clock.now()
        times = [self._next_rescan, self._next_heartbeat]
        if (due := self.tracker.next_due()) is not None:
            times.append(due)
        with self._state:
            times.extend(at for at, _ in self._retry)
            if self._waiting:
                times.append(self._next_outcome_check)
        return max(0.0, min(times) - now)

    def _guard(self, action, *args):
        try:
            return action(*args)
        except Exception:  # one broken folder or file never stops the watcher
            log.exception("watch: %s failed", getattr(action, "__name__", "a step"))
            return None

    # -- changes -----------------------------------------------------------------------------

    def _drain_changes(self) -> None:
        while True:
            try:
                change = self._changes.get_nowait()
            except queue.Empty:
                return
            folder = self._folder_of(change.path)
            if folder is None:
                continue
            if change.gone:
                self.tracker.forget(change.path)
            elif change.path.is_dir():
                self._walk(folder, change.path, only_new=False)
            elif self._wanted(folder, change.path):
                self.tracker.seen(change.path)

    def _rescan(self, folder: ScanFolder) -> None:
        self._walk(folder, folder.path, only_new=True)

    def _walk(self, folder: ScanFolder, top: Path, *, only_new: bool) -> None:
        for root, dirs, files in os.walk(top):
            here = Path(root)
            dirs[:] = [d for d in dirs if not self._excluded_folder(folder, here / d)] if folder.recursive else []
            for name in files:
                path = here / name
                if (not only_new or path not in self.tracker) and self._wanted(folder, path):
                    self.tracker.seen(path)

    def _folder_of(self, path: Path) -> ScanFolder | None:
        for folder in self.folders:
            if path.is_relative_to(folder.path) and path != folder.path:
                if not folder.recursive and path.parent != folder.path:
                    continue
                if any(self._excluded_folder(folder, p) for p in path.parents if p.is_relative_to(folder.path)):
                    continue
                if self._excluded_folder(folder, path):
                    continue
                return folder
        return None

    @staticmethod
    def _excluded_folder(folder: ScanFolder, path: Path) -> bool:
        return path in (folder.work_folder, folder.done_folder, folder.failed_folder)

    def _wanted(self, folder: ScanFolder, path: Path) -> bool:
        return not is_ignored(path, self.options.ignore) and not path.name.endswith(REASON_SUFFIX)

    # -- one scan ----------------------------------------------------------------------------

    def _take(self, path: Path) -> Claim | None:
        folder = self._folder_of(path)
        if folder is None:
            return None
        try:
            return self._books[folder.path].claim(path)
        except OSError as exc:
            log.info("watch: %s not taken yet: %s", shown(path), type(exc).__name__)
            self.tracker.seen(path)  # e.g. Windows: still open elsewhere; look again later
            return None

    def _process(self, claim: Claim) -> None:
        name = shown(claim.relative.name)
        try:
            routed = self.router.route(claim)
        except InputError as exc:
            self._fail(claim, exc.message)
            return
        except BackendError as exc:
            log.info("watch: %s not routed yet (%s); trying again later", name, exc.code)
            with self._state:
                self._retry.append((self.clock.now() + self.options.retry_delay, claim))
            self._wake.set()  # the loop's next wake-up takes the retry into account
            return
        except Exception as exc:
            log.exception("watch: routing %s failed", name)
            self._fail(claim, f"{name} could not be routed: an unexpected {type(exc).__name__} (see the log).")
            return
        try:
            self._hand_over(claim, routed)
        except InputError as exc:
            self._fail(claim, exc.message)
        except Exception as exc:  # a scan that cannot be queued goes to Failed, not into limbo
            log.exception("watch: queueing %s failed", name)
            self._fail(claim, f"{name} could not be queued: an unexpected {type(exc).__name__} (see the log).")
        finally:
            release(routed.candidate)
            if routed.upload_path != claim.path:
                routed.upload_path.unlink(missing_ok=True)

    def _hand_over(self, claim: Claim, routed: Routed) -> None:
        book = self._books[claim.folder.path]
        name = shown(claim.relative.name)
        book.hand_over(claim)
        if routed.case is None:
            self.inbox.add(routed)
            claim.path.unlink(missing_ok=True)
            book.finish(claim)
            log.info("watch: %s is in the inbox: %s", name, routed.reason_text)
            self.events.to_inbox(claim.folder, name, routed.reason_text)
            return
        handed = self.handoff.file(routed)
        log.info("watch: %s queued for %s (%s)", name, handed.case_number, routed.reason_text)
        self.events.queued(claim.folder, name, handed.case_number)
        with self._state:
            self._waiting.setdefault(handed.item_id, []).append(_Waiting(claim, handed))
        self._on_outbox_change(handed.item_id)  # it may have been filed already

    # -- outcomes ----------------------------------------------------------------------------

    def _on_outbox_change(self, item_id: int | None) -> None:
        with self._changed_lock:
            self._outbox_changed.add(item_id)
        self._wake.set()

    def _check_outcomes(self, now: float) -> None:
        with self._changed_lock:
            changed, self._outbox_changed = self._outbox_changed, set()
        with self._state:
            if not self._waiting:
                return
            if now >= self._next_outcome_check or None in changed:
                self._next_outcome_check = now + self.options.outcome_check_interval
                changed = set(self._waiting)
            asked = {item_id: self._waiting[item_id][0].handed for item_id in changed & self._waiting.keys()}
        for item_id, handed in asked.items():
            result = self.handoff.result(handed)
            if result.outcome is Outcome.WAITING:
                continue
            with self._state:
                waiting = self._waiting.pop(item_id, [])
            for w in waiting:
                if result.outcome is Outcome.FILED:
                    self._guard(self._filed, w)
                else:
                    self._fail(w.claim, f"{shown(w.claim.relative.name)} was not filed: {result.reason}")

    def _filed(self, w: _Waiting) -> None:
        claim = w.claim
        if claim.folder.after_filing is AfterFiling.DELETE:
            claim.path.unlink(missing_ok=True)
        else:
            _move(claim.path, _free_path(claim.folder.done_folder / claim.relative))
        self._books[claim.folder.path].finish(claim)
        self.events.filed(claim.folder, shown(claim.relative.name), w.handed.case_number)

    def _fail(self, claim: Claim, reason: str) -> None:
        reason = shown_text(reason)
        log.warning("watch: %s", reason)
        try:
            with self._move_lock:
                target = _free_path(claim.folder.failed_folder / claim.relative)
                _move(claim.path, target)
            reason_file = target.with_name(fitting_name(target.name, REASON_SUFFIX, keep_extension=False))
            reason_file.write_text(reason + "\n", encoding="utf-8")
            self._books[claim.folder.path].finish(claim)
        except (OSError, ValueError):
            log.exception("watch: could not move %s to the Failed folder", shown(claim.relative.name))
        self.events.failed(claim.folder, shown(claim.relative.name), reason)


def _free_path(path: Path) -> Path:
    """`path`, or `name (2).ext`, `name (3).ext` ... when it is taken."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        stem, dot, extension = path.name.rpartition(".")
        if not stem or len(extension) > 16:
            stem, dot, extension = path.name, "", ""
        candidate = path.with_name(_numbered(stem, n, dot + extension))
    return candidate


def _numbered(stem: str, n: int, extension: str) -> str:
    """`stem (n).ext`, the stem cut to fit the file system's name limit."""
    return fitting_name(stem, f" ({n}){extension}", keep_extension=False)


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(source, target)
    except OSError:
        shutil.move(str(source), str(target))  # Done or Failed on another file system
