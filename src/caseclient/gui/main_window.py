"""The main window: a search field over the case tree, search as you type."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QMainWindow, QTreeView, QVBoxLayout, QWidget

from ..services.search_service import SearchService
from .case_tree_model import CASE_ROLE, CaseTreeModel, Group

SEARCH_DELAY_MS = 150


class MainWindow(QMainWindow):
    def __init__(self, search: SearchService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("caseclient")
        self.setAccessibleName(self.tr("caseclient main window"))
        self._search = search

        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText(self.tr("Find a case: case number, title or party"))
        self.search_field.setAccessibleName(self.tr("Find a case"))
        self.search_field.setClearButtonEnabled(True)

        self.model = CaseTreeModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(self.tr("Cases"))
        self.tree.setUniformRowHeights(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.tree.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.tree.setDropIndicatorShown(True)

        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Status"))

        layout = QVBoxLayout()
        layout.addWidget(self.search_field)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        body = QWidget()
        body.setLayout(layout)
        self.setCentralWidget(body)
        self.resize(520, 680)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._run_search)
        self.search_field.textChanged.connect(lambda _text: self._debounce.start())
        self.search_field.returnPressed.connect(self._run_search)

        search.cases_found.connect(self._show_results)
        search.failed.connect(self.status.setText)
        search.documents_loaded.connect(self.model.set_documents)
        search.documents_failed.connect(self._documents_failed)
        self.model.documents_requested.connect(search.load_documents)

    def _run_search(self) -> None:
        self._debounce.stop()
        text = self.search_field.text().strip()
        if not text:
            self.model.set_cases(Group.SEARCH, [])
            self.status.clear()
            return
        self.status.setText(self.tr("Searching …"))
        self._search.search(text)

    def _show_results(self, query: str, cases: list) -> None:
        if query.strip() != self.search_field.text().strip():
            return
        self.model.set_cases(Group.SEARCH, cases)
        self.status.setText(self.tr("%n case(s) found", "", len(cases)))
        group = self.model.group_index(Group.SEARCH)
        self.tree.expand(group)
        for row in range(self.model.rowCount(group)):
            self.tree.expand(self.model.index(row, 0, group))

    def _documents_failed(self, case_id: str, message: str) -> None:
        self.model.forget_documents(case_id)
        self.status.setText(message)

    def selected_case(self):
        index: QModelIndex = self.tree.currentIndex()
        return index.data(CASE_ROLE) if index.isValid() else None
