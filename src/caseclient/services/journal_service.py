"""The user's filing journal for the GUI: read from the ledger and written as CSV off the GUI thread."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..domain import InputError
from ..store import Database
from ..store.journal import read_journal, write_journal_csv
from .background import Background


class JournalService(QObject):
    loaded = Signal(list)  # [JournalEntry], newest first
    exported = Signal(int, str)  # how many entries, the file
    failed = Signal(str)  # one sentence

    def __init__(self, db: Database, background: Background, *, service: tuple[str, str] | None = None,
                 now=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._background = background
        self._service = service
        self._now = now

    def _read(self, since: datetime | None) -> list:
        return read_journal(self._db, since=since, service=self._service,
                            now=self._now() if self._now else None)

    def load(self, since: datetime | None = None) -> None:
        def done(entries, error: str | None) -> None:
            if error:
                self.failed.emit(error)
            else:
                self.loaded.emit(entries)

        self._background.run(lambda: self._read(since), done)

    def export(self, path: Path, since: datetime | None = None) -> None:
        def write() -> int:
            try:
                return write_journal_csv(self._read(since), Path(path))
            except OSError as exc:
                raise InputError(f"{path} cannot be written ({exc.strerror or exc}).") from None

        def done(count, error: str | None) -> None:
            if error:
                self.failed.emit(error)
            else:
                self.exported.emit(count, str(path))

        self._background.run(write, done)
