"""Case search and document listing for the GUI, off the GUI thread.

Search as you type looks in the local case index first (the user's working set, instant) and then
asks the document service; the answer the user sees is the local hits followed by the service's
other hits, so a case outside the working set is still found.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..backends.protocol import CaseQuery, DocumentService
from ..domain import Case
from ..store.case_index import CaseIndex
from .background import Background


class SearchService(QObject):
    cases_found = Signal(str, list)  # query, [Case]; stale answers are dropped
    documents_loaded = Signal(str, list)  # case id, [DocumentRef]
    documents_failed = Signal(str, str)  # case id, one sentence
    failed = Signal(str)  # one sentence for the user
    favourites_changed = Signal(list)  # [Case], after a pin or unpin

    def __init__(
        self,
        service: DocumentService,
        background: Background,
        index: CaseIndex | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._background = background
        self._index = index
        self._latest = 0

    def search(self, text: str, limit: int = 50) -> None:
        self._latest += 1
        ticket = self._latest

        def current() -> bool:
            return ticket == self._latest  # a newer search makes this answer stale

        if self._index is not None:
            index = self._index

            def local_done(cases, error: str | None) -> None:
                if current() and not error and cases:
                    self.cases_found.emit(text, cases)
                if current():
                    self._search_service(text, limit, cases or [], current)

            self._background.run(lambda: index.search(text, limit), local_done)
        else:
            self._search_service(text, limit, [], current)

    def _search_service(self, text: str, limit: int, local: list[Case], current) -> None:
        query = CaseQuery(text=text.strip() or None, limit=limit)

        def done(cases, error: str | None) -> None:
            if not current():
                return
            if error:
                self.failed.emit(error)
                return
            seen = {c.id for c in local}
            self.cases_found.emit(text, (local + [c for c in cases if c.id not in seen])[:limit])

        self._background.run(lambda: self._service.search_cases(query), done)

    def load_documents(self, case_id: str) -> None:
        def done(documents, error: str | None) -> None:
            if error:
                self.documents_failed.emit(case_id, error)
            else:
                self.documents_loaded.emit(case_id, documents)

        self._background.run(lambda: self._service.list_documents(case_id), done)

    def set_favourite(self, case: Case, favourite: bool) -> None:
        """Pin or unpin a case in the local case index; `favourites_changed` brings the new list."""
        index = self._index
        if index is None:
            return

        def call() -> list[Case]:
            index.set_favourite(case, favourite)
            return index.favourites()

        def done(cases, error: str | None) -> None:
            if error:
                self.failed.emit(error)
            else:
                self.favourites_changed.emit(cases)

        self._background.run(call, done)
