"""The filing worker's questions (duplicate? sign in?), asked on the GUI thread.

The worker calls from its own threads and waits for the answer; the GUI supplies the functions
that actually ask (dialogs), so services never open a dialog themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QThread, Qt, Signal, Slot

from ..filing import PriorFiling


@dataclass
class _Question:
    ask: Callable[[], bool]
    answer: bool = field(default=False)


class GuiPrompts(QObject):
    """A FilingPrompts whose answers come from functions run on this object's (the GUI's) thread."""

    _asked = Signal(object)

    def __init__(
        self,
        confirm_duplicate: Callable[[str, PriorFiling], bool],
        ask_credentials: Callable[[str, str], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._confirm_duplicate = confirm_duplicate
        self._ask_credentials = ask_credentials
        self._asked.connect(self._answer, Qt.ConnectionType.BlockingQueuedConnection)

    def confirm_duplicate(self, title: str, prior: PriorFiling) -> bool:
        return self._on_gui_thread(lambda: self._confirm_duplicate(title, prior))

    def ask_credentials(self, service_name: str, message: str) -> bool:
        return self._on_gui_thread(lambda: self._ask_credentials(service_name, message))

    def _on_gui_thread(self, ask: Callable[[], bool]) -> bool:
        if QThread.currentThread() is self.thread():
            return ask()
        question = _Question(ask)
        self._asked.emit(question)  # blocks until _answer has run on the GUI thread
        return question.answer

    @Slot(object)
    def _answer(self, question: _Question) -> None:
        question.answer = bool(question.ask())
