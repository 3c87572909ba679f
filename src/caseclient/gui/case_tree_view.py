"""The case tree's view: drops on a case go to that case; drops anywhere else are the window's."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, Signal
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from ..domain import Case
from .case_tree_model import CASE_ROLE
from .drop_zone import accept_as_copy

INBOX_ENTRY_FORMAT = "application/x-caseclient-scan-inbox-entry"  # the entry's key, UTF-8


class CaseTreeView(QTreeView):
    dropped_elsewhere = Signal(QMimeData)  # not on a case node: the window decides the case
    inbox_entry_dropped = Signal(object, str)  # Case (None: not dropped on a case), scan inbox entry key
    menu_requested = Signal(QPoint)  # viewport position of the row the menu is for

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(True)

    def case_at(self, pos: QPoint) -> Case | None:
        index = self.indexAt(pos)
        if index.isValid() and index.data(CASE_ROLE) is None and index.parent().data(CASE_ROLE) is not None:
            index = index.parent()  # a document row stands for its case
        return index.data(CASE_ROLE) if index.isValid() else None

    def contextMenuEvent(self, event) -> None:
        # The menu key (or Shift+F10) means the current row, wherever the mouse pointer is.
        if event.reason() == QContextMenuEvent.Reason.Keyboard and self.currentIndex().isValid():
            self.menu_requested.emit(self.visualRect(self.currentIndex()).center())
        else:
            self.menu_requested.emit(event.pos())
        event.accept()

    def dragEnterEvent(self, event) -> None:
        super().dragEnterEvent(event)
        accept_as_copy(event)  # a drop outside a case node is a drop onto the window

    def dragMoveEvent(self, event) -> None:
        super().dragMoveEvent(event)
        accept_as_copy(event)

    def dropEvent(self, event) -> None:
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        if not accept_as_copy(event):
            return
        mime = event.mimeData()
        case = self.case_at(event.position().toPoint())
        if mime.hasFormat(INBOX_ENTRY_FORMAT):
            self.inbox_entry_dropped.emit(case, bytes(mime.data(INBOX_ENTRY_FORMAT).data()).decode())
        elif case is not None:
            self.model().case_dropped.emit(case, mime)
        else:
            self.dropped_elsewhere.emit(mime)
