"""The undo window in the main window's status bar: "«title» sendes om 8 s  [Fortryd]".

Shown while documents just filed wait in their undo window (store.undo); Fortryd (or Ctrl+Z in the
window) takes back every document still waiting: nothing is sent. The countdown follows the
outbox's clock; a restart finds the documents still waiting and shows them again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ..services.filing_service import FilingService
from ..store import OutboxItem
from ..store.undo import in_undo_window
from ..translatable import filled

TICK_MS = 500


class UndoBar(QWidget):
    changed = Signal(int)  # how many documents wait in their undo window now

    def __init__(self, filing: FilingService, shortcut_parent: QWidget | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Undo filing"))
        self._filing = filing
        self._waiting: dict[int, OutboxItem] = {}
        self.label = QLabel()
        self.label.setAccessibleName(self.tr("Documents that can still be undone"))
        self.undo_button = QPushButton(self.tr("&Undo"))
        self.undo_button.setAccessibleName(self.tr("Undo the filing: nothing is sent"))
        self.undo_button.setToolTip(self.tr("Take the documents back before they are sent (Ctrl+Z)"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.undo_button)
        self.undo_button.clicked.connect(self.undo_all)
        self.shortcut = None
        if shortcut_parent is not None:
            self.shortcut = QShortcut(QKeySequence.StandardKey.Undo, shortcut_parent)
            self.shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            self.shortcut.activated.connect(self.undo_all)
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._refresh)
        filing.enqueued.connect(self.offer)
        filing.item_changed.connect(self._item_changed)
        filing.stopped.connect(self._timer.stop)  # what waits is on disk; the next start shows it again
        self.hide()

    def load(self) -> None:
        """Show what still waits in its undo window (at start: what a restart found)."""
        self._filing.undoable(lambda items: [self.offer(item) for item in items])

    @property
    def waiting(self) -> list[OutboxItem]:
        return list(self._waiting.values())

    def offer(self, item: OutboxItem) -> None:
        if in_undo_window(item, self._filing.now()):
            self._waiting[item.id] = item
            self._refresh()

    def undo_all(self) -> None:
        """Take back every document still waiting (a drop with its attachments is undone whole)."""
        if not self._waiting:
            return
        for item_id in list(self._waiting):
            self._filing.undo(item_id)

    def _item_changed(self, item: OutboxItem) -> None:
        if item.id in self._waiting:
            if in_undo_window(item, self._filing.now()):
                self._waiting[item.id] = item
            else:
                del self._waiting[item.id]
            self._refresh()

    def _refresh(self) -> None:
        now = self._filing.now()
        for item_id in [i for i, item in self._waiting.items() if not in_undo_window(item, now)]:
            del self._waiting[item_id]
        if not self._waiting:
            self._timer.stop()
            self.hide()
            self.changed.emit(0)
            return
        seconds = max(1, round(max(item.next_attempt_at for item in self._waiting.values()) - now))
        if len(self._waiting) == 1:
            (item,) = self._waiting.values()
            text = filled(self.tr("%1 is sent to %2 in %3 s"), item.title, item.case_number, str(seconds))
        else:
            text = filled(self.tr("%1 documents are sent in %2 s"), str(len(self._waiting)), str(seconds))
        self.label.setText(text)
        self.show()
        if not self._timer.isActive():
            self._timer.start()
        self.changed.emit(len(self._waiting))
