"""The main window comes back where it was: its size and position are kept per screen (name and
size), so a laptop docked to a big screen and undocked again opens right on each."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

GROUP = "window"


def screen_key(screen) -> str:
    if screen is None:
        return "unknown"
    size = screen.size()
    name = "".join(c if c.isalnum() else "_" for c in screen.name()) or "screen"
    return f"{name}-{size.width()}x{size.height()}"


class WindowMemory(QObject):
    """Restores a window's geometry for the screen it opens on; saves it when the window is hidden
    or closed (and by `save`). The file is a few hundred bytes of INI."""

    def __init__(self, window: QWidget, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        self._window = window
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)
        window.installEventFilter(self)

    def restore(self) -> bool:
        """Put the window where it was on the screen it was on last (if that screen is still
        here); False when nothing is remembered for it."""
        last = self._settings.value(f"{GROUP}/last_screen", "")
        screens = {screen_key(s): s for s in QGuiApplication.screens()}
        key = last if last in screens else screen_key(QGuiApplication.primaryScreen())
        state = self._settings.value(f"{GROUP}/{key}/geometry")
        if not isinstance(state, QByteArray) or state.isEmpty():
            return False
        return self._window.restoreGeometry(state)

    def save(self) -> None:
        key = screen_key(self._window.screen())
        self._settings.setValue(f"{GROUP}/{key}/geometry", self._window.saveGeometry())
        self._settings.setValue(f"{GROUP}/last_screen", key)
        self._settings.sync()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self._window and event.type() in (QEvent.Type.Close, QEvent.Type.Hide):
            if self._window.isVisible() or event.type() == QEvent.Type.Hide:
                self.save()
        return False
