"""Run blocking calls off the GUI thread and get their results back on it, as signals do."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from ..domain import CaseclientError


class Background(QObject):
    """A small thread pool whose callbacks run in the thread that owns this object (the GUI's)."""

    _finished = Signal(object, object, object)  # callback, result, error message

    def __init__(self, workers: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="caseclient-bg")
        self._finished.connect(self._deliver)

    def run(self, call: Callable[[], Any], done: Callable[[Any, str | None], None]) -> Future:
        """Run `call` on a worker; then `done(result, None)` or `done(None, message)` on our thread."""

        def work() -> None:
            try:
                result = call()
            except CaseclientError as exc:
                self._finished.emit(done, None, exc.message)
            except Exception as exc:  # noqa: BLE001 - one failure must not kill the pool; shown as a sentence
                self._finished.emit(done, None, f"unexpected error: {type(exc).__name__}")
            else:
                self._finished.emit(done, result, None)

        return self._pool.submit(work)

    @Slot(object, object, object)
    def _deliver(self, done: Callable[[Any, str | None], None], result: Any, error: str | None) -> None:
        done(result, error)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
