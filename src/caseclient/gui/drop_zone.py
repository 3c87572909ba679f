"""The drop zone: a small always-on-top window to drop mails and files on, wherever the main window is."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..services.drop_mime import accepted_drop_action


def accept_as_copy(event) -> bool:
    """Accept a drag or drop event as a copy (a move makes Outlook delete the mail); False if it cannot be."""
    action = accepted_drop_action(event.possibleActions())
    if action == Qt.DropAction.IgnoreAction:
        event.ignore()
        return False
    event.setDropAction(action)
    event.accept()
    return True


class DropZone(QWidget):
    dropped = Signal(QMimeData)  # read it before returning from the slot: the source's data lives that long
    hidden = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(self.tr("caseclient drop zone"))
        self.setAccessibleName(self.tr("Drop zone: drop mails and files here to file them on the selected case"))
        self.setAcceptDrops(True)
        self.label = QLabel(self.tr("Drop here to file"))
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.setMinimumSize(self.label.sizeHint().grownBy(self.contentsMargins()) * 2)

    def show_target(self, case) -> None:
        """Name the case a drop here files on (the case selected in the main window)."""
        if case is None:
            self.label.setText(self.tr("Drop here to file"))
        else:
            self.label.setText(self.tr("Drop here to file on %1").replace("%1", case.number))
            self.label.setToolTip(f"{case.number}  {case.title}")

    def dragEnterEvent(self, event) -> None:
        accept_as_copy(event)

    def dragMoveEvent(self, event) -> None:
        accept_as_copy(event)

    def dropEvent(self, event) -> None:
        if accept_as_copy(event):
            self.dropped.emit(event.mimeData())

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.hidden.emit()
