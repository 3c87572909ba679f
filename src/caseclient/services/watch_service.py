"""Scan folders for the GUI: the watcher's outcomes as signals, inbox actions off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..backends.protocol import Capability, DocumentService
from ..domain import Case, DocumentMetadata
from ..watch import InboxEntry, ScanFolder, ScanInbox, ScanWatcher, WatchEvents
from .background import Background


class _Events(WatchEvents):
    """Called on the watcher's thread; Qt queues each signal to the GUI thread."""

    def __init__(self, service: "WatchService") -> None:
        self._service = service

    def filed(self, folder: ScanFolder, name: str, case_number: str) -> None:
        self._service.scan_filed.emit(name, case_number)

    def queued(self, folder: ScanFolder, name: str, case_number: str) -> None:
        self._service.scan_queued.emit(name, case_number)

    def to_inbox(self, folder: ScanFolder, name: str, reason: str) -> None:
        self._service.inbox_changed.emit()

    def failed(self, folder: ScanFolder, name: str, reason: str) -> None:
        self._service.scan_failed.emit(name, reason)


class WatchService(QObject):
    scan_queued = Signal(str, str)  # file name, case number
    scan_filed = Signal(str, str)  # file name, case number
    scan_failed = Signal(str, str)  # file name, one sentence (it is in the Failed folder)
    inbox_changed = Signal()
    inbox_loaded = Signal(list)  # [InboxEntry], oldest first
    sent_to_service_inbox = Signal(str, object)  # file name, DocumentRef in the service's inbox
    problem = Signal(str)

    def __init__(self, watcher: ScanWatcher, inbox: ScanInbox, backend: DocumentService, background: Background,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.watcher = watcher
        self.watcher.events = _Events(self)
        self.inbox = inbox
        self._backend = backend
        self._background = background

    def start(self) -> None:
        self.watcher.start()

    def stop(self) -> None:
        self.watcher.stop(timeout=10)

    def inbox_entries(self) -> list[InboxEntry]:
        return self.inbox.entries()

    def load_inbox(self) -> None:
        """Read the inbox off the GUI thread; `inbox_loaded` brings the entries."""

        def done(entries, error: str | None) -> None:
            if error:
                self.problem.emit(error)
            else:
                self.inbox_loaded.emit(entries)

        self._background.run(self.inbox.entries, done)

    @property
    def can_send_to_service_inbox(self) -> bool:
        return Capability.INBOX_WITH_PARTIES in self._backend.capabilities

    def place_on_case(self, entry: InboxEntry, case: Case, metadata: DocumentMetadata | None = None) -> None:
        """The user dropped an inbox scan on a case: queue it there (the outbox files it)."""
        self._run(lambda: self.inbox.place_on_case(entry, case, self.watcher.handoff, metadata))

    def send_to_service_inbox(self, entry: InboxEntry) -> None:
        """Place the scan in the service's inbox with the persons its first page names."""
        self._run(lambda: self.inbox.send_to_service_inbox(entry, self._backend),
                  lambda ref: self.sent_to_service_inbox.emit(entry.filename, ref))

    def _run(self, call, then=None) -> None:
        def done(result, error: str | None) -> None:
            if error:
                self.problem.emit(error)
            elif then is not None:
                then(result)
            self.inbox_changed.emit()

        self._background.run(call, done)
