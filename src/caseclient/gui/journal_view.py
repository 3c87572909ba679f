"""The filing journal tab: everything this user filed, newest first, and its CSV for the records office."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..services.journal_service import JournalService
from ..store.journal import JournalEntry, JournalState, local_time
from ..translatable import filled
from .case_layout import ButtonRow

_Index = QModelIndex | QPersistentModelIndex
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class JournalModel(QAbstractTableModel):
    WHEN, STATE, TITLE, CASE, SYSTEM, DOCUMENT, FILE, SIZE, ROUTE, SHA256 = range(10)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.entries: list[JournalEntry] = []
        self._headers = [self.tr("When"), self.tr("State"), self.tr("Title"), self.tr("Case"), self.tr("System"),
                         self.tr("Document id"), self.tr("File"), self.tr("Size"), self.tr("Route"), self.tr("SHA-256")]
        self._states = {JournalState.FILED: self.tr("Filed"), JournalState.UNDONE: self.tr("Undone"),
                        JournalState.WAITING: self.tr("Waiting: can be undone")}
        self._routes = {"drop": self.tr("Drop"), "scan": self.tr("Scan"), "command line": self.tr("Command line")}

    def set_entries(self, entries: list[JournalEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        e = self.entries[index.row()]
        if role == ENTRY_ROLE:
            return e
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.DOCUMENT:
            return e.link or None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        column = index.column()
        values = {
            self.WHEN: local_time(e.at), self.STATE: self._states[e.state], self.TITLE: e.title,
            self.CASE: e.case_number, self.SYSTEM: e.system, self.DOCUMENT: e.document_id, self.FILE: e.filename,
            self.SIZE: "" if e.size is None else f"{e.size:,}".replace(",", "."),
            self.ROUTE: self._routes.get(e.route, e.route), self.SHA256: e.sha256,
        }
        return values[column]


class JournalView(QWidget):
    def __init__(self, journal: JournalService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Filing journal"))
        self._journal = journal
        self.model = JournalModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Everything you filed"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.since_check = QCheckBox(self.tr("&Since"))
        self.since_edit = QDateEdit(QDate.currentDate().addDays(-30))
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("dd-MM-yyyy")
        self.since_edit.setAccessibleName(self.tr("Show filings since this date"))
        self.since_edit.setEnabled(False)
        self.refresh_button = QPushButton(self.tr("&Refresh"))
        self.export_button = QPushButton(self.tr("&Export CSV …"))
        self.export_button.setAccessibleName(self.tr("Export the journal as CSV for the records office"))
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Journal status"))
        bar = ButtonRow([self.since_check, self.since_edit, self.refresh_button], [self.export_button])
        layout = QVBoxLayout(self)
        layout.addWidget(bar)  # stacked in a 400 px sidebar
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.since_check.toggled.connect(self.since_edit.setEnabled)
        self.since_check.toggled.connect(lambda _on: self.refresh())
        self.since_edit.dateChanged.connect(lambda _d: self.refresh() if self.since_check.isChecked() else None)
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self._ask_export)
        journal.loaded.connect(self._loaded)
        journal.exported.connect(self._exported)
        journal.failed.connect(self.status.setText)

    def since(self) -> datetime | None:
        if not self.since_check.isChecked():
            return None
        d = self.since_edit.date()
        return datetime(d.year(), d.month(), d.day()).astimezone()

    def refresh(self) -> None:
        self._journal.load(self.since())

    def export(self, path: Path) -> None:
        self._journal.export(path, self.since())

    def _ask_export(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, self.tr("Export the filing journal"),
                                                    str(Path.home() / "journal.csv"), self.tr("CSV files (*.csv)"))
        if name:
            self.export(Path(name))

    def _loaded(self, entries: list) -> None:
        self.model.set_entries(entries)
        self.status.setText(self.tr("%n filing(s)", "", len(entries)))

    def _exported(self, count: int, path: str) -> None:
        self.status.setText(filled(self.tr("%1 filing(s) written to %2"), str(count), path))
