"""Run blocking calls off the GUI thread and get their results back on it, as signals do."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from ..domain import CaseclientError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Outcome:
    done: Callable[[Any, str | None], None]
    result: Any = None
    error: str | None = None


class Background(QObject):
    """A small thread pool whose callbacks run in the thread that owns this object (the GUI's)."""

    # One object per outcome: PySide6 mishandles the reference count of None passed through a
    # queued signal argument ("deallocating None"), so results and errors travel inside it.
    _finished = Signal(object)

    def __init__(self, workers: int = 4, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="caseclient-bg")
        self._finished.connect(self._deliver)
        self._shut = False

    def run(self, call: Callable[[], Any], done: Callable[[Any, str | None], None]) -> Future:
        """Run `call` on a worker; then `done(result, None)` or `done(None, message)` on our thread."""

        def work() -> None:
            try:
                result = call()
            except CaseclientError as exc:
                self._finished.emit(_Outcome(done, error=exc.message))
            except Exception as exc:  # noqa: BLE001 - one failure must not kill the pool; shown as a sentence
                log.exception("background call failed")
                self._finished.emit(_Outcome(done, error=f"unexpected error: {type(exc).__name__}"))
            else:
                self._finished.emit(_Outcome(done, result))

        return self._pool.submit(work)

    @Slot(object)
    def _deliver(self, outcome: _Outcome) -> None:
        if not self._shut:  # after shutdown, what the callbacks would touch may be closed already
            outcome.done(outcome.result, outcome.error)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._shut = True
