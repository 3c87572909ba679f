"""The main window: a search field over the case tree (search as you type), and the outbox."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain import Case
from ..intake.files import safe_filename
from ..services.search_service import SearchService
from ..translatable import filled
from .case_layout import CaseSplitter
from .case_tree_model import CASE_ROLE, CaseTreeModel, Group
from .case_tree_view import CaseTreeView
from .drop_zone import accept_as_copy
from .shortcuts_help import HelpMenu

SEARCH_DELAY_MS = 150


class MainWindow(QMainWindow):
    dropped_elsewhere = Signal(QMimeData)  # onto the window, not onto a case node
    cover_sheet_requested = Signal(object)  # Case

    def __init__(self, search: SearchService, outbox_view: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("caseclient")
        self.setAccessibleName(self.tr("caseclient main window"))
        self._search = search

        self.search_field = QLineEdit()
        self.search_field.setPlaceholderText(self.tr("Find a case: case number, title or party"))
        self.search_field.setAccessibleName(self.tr("Find a case"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAcceptDrops(False)  # a dropped file is for filing, not a search text

        self.model = CaseTreeModel(self)
        self.tree = CaseTreeView()
        self.tree.setModel(self.model)
        self.tree.setAccessibleName(self.tr("Cases"))
        self.tree.dropped_elsewhere.connect(self.dropped_elsewhere)
        self.setAcceptDrops(True)
        self._add_case_actions()

        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Status"))
        self.status.setWordWrap(True)
        self.service_label = QLabel()
        self.service_label.setAccessibleName(self.tr("Document service"))
        self.service_label.setWordWrap(True)

        cases_page = QWidget()
        layout = QVBoxLayout(cases_page)
        layout.addWidget(self.search_field)
        self.case_splitter = CaseSplitter(self.tree)  # the case details go beside (or under) the tree
        layout.addWidget(self.case_splitter, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(cases_page, self.tr("&Cases"))
        if outbox_view is not None:
            self.tabs.addTab(outbox_view, self.tr("&Outbox"))
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.addWidget(self.tabs, 1)
        outer.addWidget(self.status)
        outer.addWidget(self.service_label)
        self.setCentralWidget(body)
        self.resize(980, 720)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        self.drop_zone_action = QAction(self.tr("&Drop zone"), self)
        self.drop_zone_action.setCheckable(True)
        self.drop_zone_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_D))
        self.drop_zone_action.setToolTip(self.tr("A small window that stays on top: drop on it to file on the selected case"))
        view_menu.addAction(self.drop_zone_action)
        self.help_menu = HelpMenu(self)

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

    def show_service(self, system: str, address: str) -> None:
        """Which system the documents go to, e.g. "SBSYS" at its address (empty: the built-in one)."""
        if address:
            self.service_label.setText(filled(self.tr("Files into %1 at %2"), system, address))
        else:
            self.service_label.setText(filled(self.tr("Files into %1 (the built-in reference service)"), system))

    def _add_case_actions(self) -> None:
        """Pin/unpin and cover sheet: on a case node's context menu and as shortcuts in the tree."""
        self.favourite_action = QAction(self.tr("Add to &favourites"), self.tree)
        self.favourite_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Key.Key_D))
        self.favourite_action.triggered.connect(self._toggle_favourite)
        self.cover_sheet_action = QAction(self.tr("&Print cover sheet …"), self.tree)
        self.cover_sheet_action.setShortcut(QKeySequence.StandardKey.Print)
        self.cover_sheet_action.triggered.connect(self._request_cover_sheet)
        for action in (self.favourite_action, self.cover_sheet_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.tree.addAction(action)
        self.tree.menu_requested.connect(self._case_menu)
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._update_case_actions())
        self.model.rowsInserted.connect(lambda *_: self._update_case_actions())
        self.model.rowsRemoved.connect(lambda *_: self._update_case_actions())
        self._search.favourites_changed.connect(lambda cases: self.model.set_cases(Group.FAVOURITES, cases))
        self._update_case_actions()

    def case_menu(self, case: Case) -> QMenu:
        self._update_case_actions()
        menu = QMenu(self.tree)
        menu.setAccessibleName(self.tr("Case %1").replace("%1", case.number))
        menu.addAction(self.favourite_action)
        menu.addAction(self.cover_sheet_action)
        return menu

    def _case_menu(self, pos: QPoint) -> None:
        case = self.tree.case_at(pos)
        if case is None:
            return
        self.tree.setCurrentIndex(self.tree.indexAt(pos))
        menu = self.case_menu(case)
        menu.exec(self.tree.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _update_case_actions(self) -> None:
        case = self.selected_case()
        for action in (self.favourite_action, self.cover_sheet_action):
            action.setEnabled(case is not None)
        pinned = case is not None and self.model.is_favourite(case.id)
        self.favourite_action.setText(self.tr("Remove from &favourites") if pinned else self.tr("Add to &favourites"))

    def _toggle_favourite(self) -> None:
        case = self.selected_case()
        if case is None:
            self.show_message(self.tr("Choose a case first."))
            return
        self._search.set_favourite(case, not self.model.is_favourite(case.id))

    def _request_cover_sheet(self) -> None:
        case = self.selected_case()
        if case is None:
            self.show_message(self.tr("Choose a case first."))
        else:
            self.cover_sheet_requested.emit(case)

    def ask_cover_sheet_path(self, case: Case) -> Path | None:
        suggested = Path.home() / safe_filename(self.tr("Cover sheet %1.pdf").replace("%1", case.number), "cover-sheet.pdf")
        name, _filter = QFileDialog.getSaveFileName(self, self.tr("Save the cover sheet"), str(suggested),
                                                    self.tr("PDF documents (*.pdf)"))
        return Path(name) if name else None

    def select_case(self, case_id: str) -> bool:
        """Show the case's node selected (its groups expanded); False when the tree does not hold it."""
        index = self.model.case_index(case_id)
        if not index.isValid():
            return False
        parent = index.parent()
        while parent.isValid():
            self.tree.expand(parent)
            parent = parent.parent()
        self.tabs.setCurrentIndex(0)
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index)
        self.tree.setFocus()
        return True

    def dragEnterEvent(self, event) -> None:
        accept_as_copy(event)

    def dragMoveEvent(self, event) -> None:
        accept_as_copy(event)

    def dropEvent(self, event) -> None:
        if accept_as_copy(event):
            self.dropped_elsewhere.emit(event.mimeData())

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
