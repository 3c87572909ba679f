"""The misfiling safety net in the desktop app: the undo window (status bar, tray, Ctrl+Z, outbox
view) and the filing journal tab. Attached to the app's parts by one call from the composition root."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ..services.journal_service import JournalService
from ..store import OutboxItem, OutboxStatus
from ..store.undo import in_undo_window, was_undone
from ..translatable import filled
from .journal_view import JournalView
from .undo_bar import UndoBar

if TYPE_CHECKING:
    from ..app import Desktop


class SafetyNet(QObject):
    def __init__(self, desktop: "Desktop") -> None:
        super().__init__(desktop.window)
        settings = desktop.settings
        self._filing = filing = desktop.filing
        self._window = desktop.window
        self._tray = desktop.tray
        if settings is not None:  # else whatever the caller gave the outbox (tests, the command line)
            filing.outbox.undo_window_s = float(settings.number("filing.undo_window"))
        self.undo_bar = UndoBar(filing, shortcut_parent=desktop.window)
        desktop.window.statusBar().addWidget(self.undo_bar, 1)
        desktop.tray.undo_requested.connect(self._undo_from_tray)
        self.undo_bar.changed.connect(desktop.tray.show_undoable)
        filing.enqueued.connect(self._enqueued)
        filing.undone.connect(self._undone)

        service = (settings.text("service.kind"), settings.text("service.url")) if settings is not None else None
        self.journal = JournalService(filing.outbox.db, desktop.background, service=service, now=filing.now,
                                      parent=self)
        self.journal_view = JournalView(self.journal)
        self.journal_tab = desktop.window.tabs.addTab(self.journal_view, self.tr("&Journal"))
        desktop.window.tabs.currentChanged.connect(self._tab_changed)
        filing.item_changed.connect(self._item_changed)
        self.undo_bar.load()

    def _enqueued(self, item: OutboxItem) -> None:
        if in_undo_window(item, self._filing.now()):
            seconds = round(item.next_attempt_at - self._filing.now())
            self._tray.notify(filled(self.tr("Sent in %1 s"), str(seconds)),
                              filled(self.tr("%1 on %2. Click to undo."), item.title, item.case_number), undo=True)

    def _undo_from_tray(self) -> None:
        if self.undo_bar.waiting:
            self.undo_bar.undo_all()
        else:
            self._window.show_message(self.tr("Too late to undo: the filing has begun."))

    def _undone(self, item: OutboxItem) -> None:
        self._window.show_message(filled(self.tr("%1 was undone: nothing was sent to %2."), item.title,
                                         item.case_number))

    def _item_changed(self, item: OutboxItem) -> None:
        if (item.status is OutboxStatus.DONE or was_undone(item)) and self._journal_shown():
            self.journal_view.refresh()

    def _journal_shown(self) -> bool:
        return self._window.tabs.currentWidget() is self.journal_view

    def _tab_changed(self, _index: int) -> None:
        if self._journal_shown():
            self.journal_view.refresh()
