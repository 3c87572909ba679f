"""Case search and document listing for the GUI, off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ..backends.protocol import CaseQuery, DocumentService
from .background import Background


class SearchService(QObject):
    cases_found = Signal(str, list)  # query, [Case]; only the newest query's answer is emitted
    documents_loaded = Signal(str, list)  # case id, [DocumentRef]
    documents_failed = Signal(str, str)  # case id, one sentence
    failed = Signal(str)  # one sentence for the user

    def __init__(self, service: DocumentService, background: Background, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._background = background
        self._latest = 0

    def search(self, text: str, limit: int = 50) -> None:
        self._latest += 1
        ticket = self._latest
        query = CaseQuery(text=text.strip() or None, limit=limit)

        def done(cases, error: str | None) -> None:
            if ticket != self._latest:
                return  # a newer search has been asked for: drop this stale answer
            if error:
                self.failed.emit(error)
            else:
                self.cases_found.emit(text, cases)

        self._background.run(lambda: self._service.search_cases(query), done)

    def load_documents(self, case_id: str) -> None:
        def done(documents, error: str | None) -> None:
            if error:
                self.documents_failed.emit(case_id, error)
            else:
                self.documents_loaded.emit(case_id, documents)

        self._background.run(lambda: self._service.list_documents(case_id), done)
