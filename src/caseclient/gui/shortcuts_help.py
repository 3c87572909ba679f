"""Help > Keyboard shortcuts: every shortcut of the main window in one list (F1)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)


def _keys(sequence) -> str:
    return QKeySequence(sequence).toString(QKeySequence.SequenceFormat.NativeText)


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = self.shortcuts()
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What they do")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(600, 440)

    def shortcuts(self) -> list[tuple[str, str]]:
        """(keys as the platform shows them, what they do)."""
        return [
            (_keys(QKeySequence.StandardKey.Find), self.tr("Find a case (the search field)")),
            (self.tr("Down arrow"), self.tr("From the search field to the first case found")),
            (self.tr("Up/Down arrow"), self.tr("The previous or next case; its details show beside the list")),
            (_keys(QKeySequence.StandardKey.Paste), self.tr("File the copied files or mails on the selected case")),
            (_keys(QKeySequence.StandardKey.Undo), self.tr("Undo the filing just made, before it is sent (Fortryd)")),
            (_keys("Ctrl+D"), self.tr("Add the selected case to favourites, or remove it")),
            (_keys(QKeySequence.StandardKey.Print), self.tr("Print the selected case's cover sheet for scanning")),
            (_keys("Ctrl+Shift+D"), self.tr("Show or hide the drop zone")),
            (self.tr("Enter"), self.tr("In the case's documents: open the document")),
            (_keys("Ctrl+Shift+C"), self.tr("In the case's documents: copy the document's link")),
            (self.tr("Menu key or Shift+F10"), self.tr("The selected case's or document's menu")),
            (_keys("Ctrl+Tab"), self.tr("The next tab: cases, outbox, scan inbox")),
            (_keys(QKeySequence.StandardKey.HelpContents), self.tr("This list")),
        ]


class HelpMenu(QObject):
    """A Help menu on the window's menu bar with Keyboard shortcuts (F1)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.dialog: ShortcutsDialog | None = None
        menu = window.menuBar().addMenu(self.tr("&Help"))
        self.shortcuts_action = QAction(self.tr("&Keyboard shortcuts"), window)
        self.shortcuts_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.shortcuts_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        menu.addAction(self.shortcuts_action)
        window.addAction(self.shortcuts_action)

    def show_shortcuts(self) -> ShortcutsDialog:
        if self.dialog is None:
            self.dialog = ShortcutsDialog(self._window)
        self.dialog.open()
        return self.dialog
