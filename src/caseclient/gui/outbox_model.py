"""The outbox as a table: each document waiting, uploading, filed or failed, with its progress."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ..store import OutboxItem, OutboxStatus
from ..store.undo import in_undo_window, was_undone

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


class OutboxModel(QAbstractTableModel):
    DOCUMENT, CASE, STATUS, PROGRESS, MESSAGE = range(5)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._items: list[OutboxItem] = []
        self._sent: dict[int, tuple[int, int]] = {}
        self.now: Callable[[], float] = time.time  # the outbox's clock, which undo windows end by
        self._headers = [self.tr("Document"), self.tr("Case"), self.tr("Status"), self.tr("Progress"), self.tr("Message")]
        self._status_text = {
            OutboxStatus.QUEUED: self.tr("Waiting"),
            OutboxStatus.UPLOADING: self.tr("Filing"),
            OutboxStatus.PAUSED: self.tr("Paused"),
            OutboxStatus.DONE: self.tr("Filed"),
            OutboxStatus.FAILED: self.tr("Failed"),
            OutboxStatus.CANCELLED: self.tr("Cancelled"),
        }
        self._undo_text = self.tr("Waiting: can be undone")
        self._undone_text = self.tr("Undone")

    def set_items(self, items: list[OutboxItem]) -> None:
        self.beginResetModel()
        self._items = sorted(items, key=lambda i: i.created_at, reverse=True)
        self.endResetModel()

    def update_item(self, item: OutboxItem) -> None:
        for row, known in enumerate(self._items):
            if known.id == item.id:
                self._items[row] = item
                if item.status is not OutboxStatus.UPLOADING:
                    self._sent.pop(item.id, None)
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
                return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._items.insert(0, item)
        self.endInsertRows()

    def update_progress(self, item_id: int, sent: int, total: int) -> None:
        self._sent[item_id] = (sent, total)
        for row, item in enumerate(self._items):
            if item.id == item_id:
                cell = self.index(row, self.PROGRESS)
                self.dataChanged.emit(cell, cell)
                return

    def item_at(self, row: int) -> OutboxItem:
        return self._items[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def percent(self, item: OutboxItem) -> int:
        if item.status is OutboxStatus.DONE:
            return 100
        sent, total = self._sent.get(item.id, (0, item.size))
        return int(100 * sent / total) if total else 0

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        item = self._items[index.row()]
        column = index.column()
        if role == ITEM_ROLE:
            return item
        if role == PROGRESS_ROLE:
            return self.percent(item)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.DOCUMENT:
                return item.title
            if column == self.CASE:
                return item.case_number
            if column == self.STATUS:
                if was_undone(item):
                    return self._undone_text
                return self._undo_text if in_undo_window(item, self.now()) else self._status_text[item.status]
            if column == self.PROGRESS:
                return f"{self.percent(item)} %"
            if column == self.MESSAGE:
                return "" if was_undone(item) else item.last_error or ""  # the status says it
        if role == Qt.ItemDataRole.ToolTipRole:
            when = datetime.fromtimestamp(item.finished_at or item.updated_at).strftime("%d-%m-%Y %H:%M")
            return f"{item.filename} · {when}"
        return None
