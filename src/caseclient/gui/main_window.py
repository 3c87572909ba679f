"""The main window: a search field over the case tree (search as you type), and the outbox."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from ..services.search_service import SearchService
from .case_tree_model import CASE_ROLE, CaseTreeModel, Group

SEARCH_DELAY_MS = 150


class MainWindow(QMainWindow):
    def __init__(self, search: SearchService, outbox_view: QWidget | None = None, parent: QWidget | None = None) -> None:
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
        self.status.setWordWrap(True)

        cases_page = QWidget()
        layout = QVBoxLayout(cases_page)
        layout.addWidget(self.search_field)
        layout.addWidget(self.tree, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(cases_page, self.tr("&Cases"))
        if outbox_view is not None:
            self.tabs.addTab(outbox_view, self.tr("&Outbox"))
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.addWidget(self.tabs, 1)
        outer.addWidget(self.status)
        self.setCentralWidget(body)
        self.resize(560, 720)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._run_search)
        self.search_field.textChanged.connect(lambda _text: self._debounce.start())
        self.search_field.returnPressed.connect(self._run_search)
        self.paste_shortcut = QShortcut(QKeySequence.StandardKey.Paste, self.tree)
        self.paste_shortcut.activated.connect(self._paste_onto_case)
        self.focus_search = QShortcut(QKeySequence.StandardKey.Find, self)
        self.focus_search.activated.connect(self.search_field.setFocus)
        self.search_field.installEventFilter(self)

        search.cases_found.connect(self._show_results)
        search.failed.connect(self.show_message)
        search.documents_loaded.connect(self.model.set_documents)
        search.documents_failed.connect(self._documents_failed)
        self.model.documents_requested.connect(search.load_documents)

    def show_message(self, text: str) -> None:
        self.status.setText(text)

    def eventFilter(self, watched, event) -> bool:
        # Down arrow from the search field goes to the first result: keyboard-only filing.
        if watched is self.search_field and event.type() == event.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            self._select_first_case()
            return True
        return super().eventFilter(watched, event)

    def _select_first_case(self) -> None:
        for group in (Group.SEARCH, Group.MINE, Group.FAVOURITES, Group.RECENT):
            index = self.model.group_index(group)
            while self.model.rowCount(index) and index.data(CASE_ROLE) is None:
                index = self.model.index(0, 0, index)
            if index.data(CASE_ROLE) is not None:
                self.tree.setCurrentIndex(index)
                self.tree.setFocus()
                return

    def _paste_onto_case(self) -> None:
        case = self.selected_case()
        mime = QGuiApplication.clipboard().mimeData()
        if case is None:
            self.show_message(self.tr("Choose a case first, then paste."))
        elif mime is not None:
            self.model.case_dropped.emit(case, mime)

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
        for other in (Group.MINE, Group.FAVOURITES, Group.RECENT):
            self.tree.collapse(self.model.group_index(other))  # the results are what the user looks for
        group = self.model.group_index(Group.SEARCH)
        self.tree.expand(group)
        for row in range(self.model.rowCount(group)):
            self.tree.expand(self.model.index(row, 0, group))
        self.tree.scrollTo(group, QAbstractItemView.ScrollHint.PositionAtTop)

    def _documents_failed(self, case_id: str, message: str) -> None:
        self.model.forget_documents(case_id)
        self.status.setText(message)

    def selected_case(self):
        index: QModelIndex = self.tree.currentIndex()
        while index.isValid() and index.data(CASE_ROLE) is None and index.parent().isValid():
            index = index.parent()
        return index.data(CASE_ROLE) if index.isValid() else None
