"""Helpers for the tests that drive the whole desktop app (the fixtures are in conftest.py)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from caseclient.gui.case_tree_model import CASE_ROLE, Group

WAIT_MS = 30_000


def search_and_pick(desktop, qtbot, number: str):
    """Type the case number in the search field; the index of the case's node among the results."""
    model = desktop.window.model
    qtbot.keyClicks(desktop.window.search_field, number)
    search = model.group_index(Group.SEARCH)
    qtbot.waitUntil(lambda: model.rowCount(search) > 0, timeout=WAIT_MS)
    kle_group = model.index(0, 0, search)
    for row in range(model.rowCount(kle_group)):
        index = model.index(row, 0, kle_group)
        if index.data(CASE_ROLE).number == number:
            return index
    raise AssertionError(f"{number} not among the results")


COPY_OR_MOVE = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction


def drag_and_drop(widget, pos: QPoint, mime: QMimeData, actions=COPY_OR_MOVE) -> QDropEvent:
    """What a drag from another program does to a widget: enter, move, drop (returns the drop)."""
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, actions, mime, buttons, modifiers)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted() and enter.dropAction() == Qt.DropAction.CopyAction
    move = QDragMoveEvent(pos, actions, mime, buttons, modifiers)
    QApplication.sendEvent(widget, move)
    assert move.isAccepted() and move.dropAction() == Qt.DropAction.CopyAction
    drop = QDropEvent(QPointF(pos), actions, mime, buttons, modifiers)
    QApplication.sendEvent(widget, drop)
    return drop
