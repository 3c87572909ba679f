"""Cover sheets for the GUI: the PDF is written off the GUI thread, then announced."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ..domain import Case, InputError
from ..watch import write_cover_sheet
from .background import Background


class CoverSheetService(QObject):
    written = Signal(str)  # path of the PDF
    failed = Signal(str)  # one sentence naming the file

    def __init__(self, background: Background, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._background = background

    def write(self, case: Case, target: Path) -> None:
        def call() -> Path:
            try:
                return write_cover_sheet(case, target)
            except OSError as exc:
                raise InputError(f"The cover sheet {target} could not be written: {exc.strerror or type(exc).__name__}.") from exc

        def done(path, error: str | None) -> None:
            if error:
                self.failed.emit(error)
            else:
                self.written.emit(str(path))

        self._background.run(call, done)
