"""Time for the outbox worker, injectable: the system clock, or a manual one that tests advance."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""
        ...

    def wait(self, event: threading.Event, timeout: float | None) -> bool:
        """Block until `event` is set or `timeout` seconds of this clock have passed; return
        whether the event was set."""
        ...


class SystemClock:
    def now(self) -> float:
        return time.time()

    def wait(self, event: threading.Event, timeout: float | None) -> bool:
        return event.wait(timeout)


class ManualClock:
    """A clock that moves only when :meth:`advance` is called; waiters wake when their time comes."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self._now = start
        self._cond = threading.Condition()
        self.waiters = 0  # threads blocked in wait(): tests wait on this before advancing

    def now(self) -> float:
        with self._cond:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._cond:
            self._now += seconds
            self._cond.notify_all()

    def wait(self, event: threading.Event, timeout: float | None) -> bool:
        with self._cond:
            deadline = None if timeout is None else self._now + timeout
            self.waiters += 1
            self._cond.notify_all()
            try:
                while not event.is_set() and (deadline is None or self._now < deadline):
                    # Event.set() does not notify this condition: look again every few ms of real time.
                    self._cond.wait(0.005)
                return event.is_set()
            finally:
                self.waiters -= 1

    def wait_for_waiters(self, count: int, timeout: float = 10.0) -> bool:
        """Block (real time) until `count` threads wait on this clock."""
        with self._cond:
            return self._cond.wait_for(lambda: self.waiters >= count, timeout)
