"""The tray icon: state at a glance, a menu, and notifications."""

from __future__ import annotations

import enum

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon


class TrayState(str, enum.Enum):
    IDLE = "idle"
    FILING = "filing"
    ATTENTION = "attention"


_COLOURS = {TrayState.IDLE: "#2e7d32", TrayState.FILING: "#1565c0", TrayState.ATTENTION: "#c62828"}


def state_icon(state: TrayState, size: int = 64) -> QIcon:
    """A folder-like badge in the state's colour (drawn, so it is sharp at every scale)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(_COLOURS[state]))
    painter.setPen(Qt.PenStyle.NoPen)
    m = size // 8
    painter.drawRoundedRect(m, m * 2, size - 2 * m, size - 3 * m, m, m)
    painter.drawRoundedRect(m, m, size // 2 - m, m * 2, m // 2, m // 2)
    painter.end()
    return QIcon(pixmap)


class Tray(QObject):
    open_requested = Signal()
    pause_toggled = Signal(bool)  # True: pause filing
    settings_requested = Signal()
    quit_requested = Signal()
    drop_zone_toggled = Signal(bool)
    case_requested = Signal(str)  # case id: the user clicked the notification about it
    undo_requested = Signal()  # Fortryd: from the menu, or a click on the notification of a filing

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = TrayState.IDLE
        self.icon = QSystemTrayIcon(state_icon(TrayState.IDLE), self)
        self.icon.setToolTip("caseclient")
        self.menu = QMenu()
        self.open_action = QAction(self.tr("Open caseclient"), self.menu)
        self.pause_action = QAction(self.tr("Pause filing"), self.menu)
        self.pause_action.setCheckable(True)
        self.settings_action = QAction(self.tr("Settings …"), self.menu)
        self.drop_zone_action = QAction(self.tr("Drop zone"), self.menu)
        self.drop_zone_action.setCheckable(True)
        self.quit_action = QAction(self.tr("Quit"), self.menu)
        self.undo_action = QAction(self.tr("Undo filing"), self.menu)
        self.undo_action.setEnabled(False)
        self._notified_case_id = ""
        self._notified_undo = False
        for action in (self.open_action, self.undo_action, self.pause_action, self.drop_zone_action,
                       self.settings_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.icon.setContextMenu(self.menu)
        self.open_action.triggered.connect(self.open_requested)
        self.pause_action.toggled.connect(self.pause_toggled)
        self.settings_action.triggered.connect(self.settings_requested)
        self.quit_action.triggered.connect(self.quit_requested)
        self.undo_action.triggered.connect(self.undo_requested)
        self.drop_zone_action.toggled.connect(self.drop_zone_toggled)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self._message_clicked)

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        if self.available():
            self.icon.show()

    def show_paused(self, paused: bool) -> None:
        """Show the queue's state without answering it: pause_toggled is for the user's clicks
        only (echoing it would turn a pause for a sign-in into a pause by the user)."""
        self.pause_action.blockSignals(True)
        self.pause_action.setChecked(paused)
        self.pause_action.blockSignals(False)

    def set_state(self, state: TrayState) -> None:
        self.state = state
        self.icon.setIcon(state_icon(state))

    def show_undoable(self, count: int) -> None:
        """Offer Fortryd in the menu while `count` documents wait in their undo window."""
        self.undo_action.setEnabled(count > 0)

    def notify(self, title: str, message: str, *, error: bool = False, case_id: str = "", undo: bool = False) -> None:
        """A tray message; clicking it undoes the filing it tells of (`undo`: `undo_requested`), or
        asks for the case (`case_requested`), or else opens the window."""
        self._notified_case_id = case_id
        self._notified_undo = undo
        if self.available() and self.icon.isVisible():
            kind = QSystemTrayIcon.MessageIcon.Warning if error else QSystemTrayIcon.MessageIcon.Information
            self.icon.showMessage(title, message, kind)

    def _message_clicked(self) -> None:
        if self._notified_undo:
            self.undo_requested.emit()
        elif self._notified_case_id:
            self.case_requested.emit(self._notified_case_id)
        else:
            self.open_requested.emit()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger, QSystemTrayIcon.ActivationReason.DoubleClick):
            self.open_requested.emit()
