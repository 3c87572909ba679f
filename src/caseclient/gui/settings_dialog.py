"""The settings in force: each value with where it came from; values the organisation locked are
shown read-only with the reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..config import SETTINGS, Settings, SourceKind
from ..translatable import filled


_FROM_A_FILE = (SourceKind.ORGANISATION, SourceKind.POLICY, SourceKind.USER)  # name the file or registry key


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None, *, system: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))
        sources = {
            SourceKind.DEFAULT: self.tr("built-in default"),
            SourceKind.ORGANISATION: self.tr("organisation profile"),
            SourceKind.POLICY: self.tr("machine policy"),
            SourceKind.USER: self.tr("user settings"),
            SourceKind.COMMAND_LINE: self.tr("command line"),
        }
        self.table = QTableWidget(len(SETTINGS), 4)
        self.table.setAccessibleName(self.tr("Settings in force"))
        self.table.setHorizontalHeaderLabels([self.tr("Setting"), self.tr("Value"), self.tr("From"), self.tr("Locked")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, setting in enumerate(SETTINGS):
            entry = settings.entry(setting.key)
            cells = [
                setting.key,
                str(entry.value),
                f"{sources[entry.source]} ({entry.origin})" if entry.source in _FROM_A_FILE else sources[entry.source],
                entry.lock.reason if entry.lock else "",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(setting.help if column == 0 else text)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        note = QLabel(self.tr("Secrets are kept in the system keyring, never here. Locked values are set by "
                              "your organisation; run “caseclient doctor” for a report to send to support."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        self.system_label = QLabel()
        self.system_label.setAccessibleName(self.tr("Document service"))
        if system:
            address = settings.text("service.url") or self.tr("the built-in reference service")
            self.system_label.setText(filled(self.tr("caseclient files into %1 (%2)."), system, address))
            layout.addWidget(self.system_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(820, 520)

    def row_of(self, key: str) -> list[str]:
        row = next(r for r in range(self.table.rowCount()) if self.table.item(r, 0).text() == key)
        return [self.table.item(row, c).text() for c in range(self.table.columnCount())]
