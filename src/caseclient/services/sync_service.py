"""Keeps the local case index's "My cases" fresh: a sync at start, then every few minutes."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, QTimer, Signal

from ..backends.protocol import CaseQuery, DocumentService
from ..domain import Case
from ..store.case_index import CaseIndex
from .background import Background

PAGE = 1000  # a big page: a service skips past all earlier hits for each (LoRa does)
AHEAD = 2  # pages asked for at once
INTERVAL_MS = 10 * 60 * 1000


def my_case_pages(service: DocumentService, caseworker: str, page: int = PAGE) -> Iterator[list[Case]]:
    """The caseworker's open cases, a page at a time; the next pages are asked for while the caller
    stores this one (the service searches one while this process reads another). The pages are
    asked with the closed cases and those are left out here: so each page starts where the
    service's last one ended (a backend that leaves cases out itself must read its earlier pages
    again to find an offset)."""

    def fetch(offset: int) -> list[Case]:
        return service.search_cases(CaseQuery(caseworker=caseworker, include_closed=True, limit=page, offset=offset))

    with ThreadPoolExecutor(max_workers=AHEAD, thread_name_prefix="caseclient-sync") as pool:
        upcoming = deque(pool.submit(fetch, n * page) for n in range(AHEAD))
        asked = AHEAD * page
        while upcoming:
            cases = upcoming.popleft().result()
            if len(cases) < page:
                for extra in upcoming:  # pages past the end: empty, or a case that moved in meanwhile
                    extra.cancel()
                upcoming.clear()
            else:
                upcoming.append(pool.submit(fetch, asked))
                asked += page
            open_cases = [c for c in cases if not c.closed]
            if open_cases:
                yield open_cases


class SyncService(QObject):
    progress = Signal(int)  # cases synced so far
    finished = Signal(int)  # cases in My cases after the sync
    failed = Signal(str)

    def __init__(self, service: DocumentService, index: CaseIndex, background: Background, caseworker: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._index = index
        self._background = background
        self._caseworker = caseworker
        self._running = False
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.sync)

    def start(self) -> None:
        if self._caseworker:
            self.sync()
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def sync(self) -> None:
        if self._running or not self._caseworker:
            return
        self._running = True

        def call() -> int:
            pages = my_case_pages(self._service, self._caseworker)
            return self._index.sync_mine(pages, progress=lambda done, _total: self.progress.emit(done))

        def done(count, error: str | None) -> None:
            self._running = False
            if error:
                self.failed.emit(error)
            else:
                self.finished.emit(count)

        self._background.run(call, done)
