"""The scan inbox: scans no rule could place, with their first page, waiting for a person.

Drag a row onto a case in the case tree (or choose a case and press "Place on selected case"),
or send the scan to the document service's own inbox with the persons its first page names.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QMimeData, QSize, Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..domain import Case
from ..services.watch_service import WatchService
from ..translatable import filled
from ..watch import InboxEntry
from .case_layout import ButtonRow
from .case_tree_view import INBOX_ENTRY_FORMAT

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class _InboxList(QListWidget):
    """Rows drag out as the entry's key, for the case tree to take."""

    def mimeTypes(self) -> list[str]:
        return [INBOX_ENTRY_FORMAT]

    def mimeData(self, items) -> QMimeData:
        mime = QMimeData()
        if items:
            mime.setData(INBOX_ENTRY_FORMAT, items[0].data(ENTRY_ROLE).key.encode())
        return mime

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction


class ScanInboxView(QWidget):
    def __init__(self, watch: WatchService, selected_case: Callable[[], Case | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Scan inbox"))
        self._watch = watch
        self._selected_case = selected_case
        self._page = QPixmap()

        self.list = _InboxList()
        self.list.setAccessibleName(self.tr("Scans waiting for a case"))
        self.list.setDragEnabled(True)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.list.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setWordWrap(True)
        self.preview = QLabel()
        self.preview.setAccessibleName(self.tr("First page of the scan"))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumWidth(self.fontMetrics().averageCharWidth() * 30)
        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Scan inbox status"))
        self.status.setWordWrap(True)

        self.place_button = QPushButton(self.tr("&Place on selected case"))
        self.place_button.setAccessibleName(self.tr("Place the scan on the case selected in the case tree"))
        self.send_button = QPushButton(self.tr("&Send to the service's inbox"))
        self.send_button.setAccessibleName(self.tr("Send the scan to the document service's inbox with the CPR numbers its first page names"))
        self.refresh_button = QPushButton(self.tr("Re&fresh"))
        self.refresh_button.setAccessibleName(self.tr("Read the scan inbox again"))
        if watch.can_send_to_service_inbox:
            self.send_button.setToolTip(self.tr("The persons whose CPR numbers the first page names become its parties"))
        else:
            self.send_button.setToolTip(self.tr("This document service has no inbox for documents without a case"))

        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        buttons = ButtonRow([self.place_button, self.send_button], [self.refresh_button])  # stacked in a sidebar
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        layout.addWidget(self.status)

        self.place_button.clicked.connect(self._place_on_selected_case)
        self.send_button.clicked.connect(self._send_to_service_inbox)
        self.refresh_button.clicked.connect(watch.load_inbox)
        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        watch.inbox_loaded.connect(self._show_entries)
        watch.inbox_changed.connect(watch.load_inbox)
        watch.problem.connect(self.status.setText)
        watch.sent_to_service_inbox.connect(
            lambda name, _ref: self.status.setText(self.tr("%1 is in the service's inbox.").replace("%1", name)))
        self._update_buttons()

    def entries(self) -> list[InboxEntry]:
        return [self.list.item(row).data(ENTRY_ROLE) for row in range(self.list.count())]

    def place(self, case: Case | None, key: str) -> None:
        """A row was dropped on the case tree (on `case`, or not on a case)."""
        entry = next((e for e in self.entries() if e.key == key), None)
        if entry is None:
            return
        if case is None:
            self.status.setText(self.tr("Drop the scan onto a case."))
            return
        self.status.setText(self.tr("%1 goes to %2.").replace("%1", entry.filename).replace("%2", case.number))
        self._watch.place_on_case(entry, case)

    def _current(self) -> InboxEntry | None:
        item = self.list.currentItem()
        return item.data(ENTRY_ROLE) if item else None

    def _place_on_selected_case(self) -> None:
        entry = self._current()
        case = self._selected_case()
        if entry is None:
            return
        if case is None:
            self.status.setText(self.tr("Choose a case in the Cases tab first."))
            return
        self.place(case, entry.key)

    def _send_to_service_inbox(self) -> None:
        entry = self._current()
        if entry is not None:
            self.status.setText(self.tr("%1 goes to the service's inbox.").replace("%1", entry.filename))
            self._watch.send_to_service_inbox(entry)

    def _show_entries(self, entries: list[InboxEntry]) -> None:
        current = self._current()
        icon_size = self.fontMetrics().height() * 4
        self.list.setIconSize(QSize(icon_size, icon_size))
        self.list.clear()
        for entry in entries:
            received = datetime.fromtimestamp(entry.received_at).strftime("%d-%m-%Y %H:%M")
            reason = filled(QCoreApplication.translate("ScanRouting", entry.reason), *entry.reason_values)
            item = QListWidgetItem(f"{entry.filename}\n{received} · {reason}")
            item.setData(ENTRY_ROLE, entry)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{entry.filename}, {received}, {reason}")
            if entry.preview is not None:
                item.setIcon(QIcon(str(entry.preview)))
            self.list.addItem(item)
            if current is not None and entry.key == current.key:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._show_current()

    def _show_current(self) -> None:
        entry = self._current()
        self._page = QPixmap(str(entry.preview)) if entry is not None and entry.preview is not None else QPixmap()
        if self._page.isNull():
            self.preview.setPixmap(QPixmap())
            self.preview.setText(self.tr("No preview") if entry is not None else self.tr("The scan inbox is empty"))
        else:
            self._fit_page()
        self._update_buttons()

    def _fit_page(self) -> None:
        if not self._page.isNull():
            self.preview.setPixmap(self._page.scaled(self.preview.contentsRect().size(), Qt.AspectRatioMode.KeepAspectRatio,
                                                     Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_page()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_page()

    def _update_buttons(self) -> None:
        chosen = self._current() is not None
        self.place_button.setEnabled(chosen)
        self.send_button.setEnabled(chosen and self._watch.can_send_to_service_inbox)
