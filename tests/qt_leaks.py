"""Tests fail when they leave a Qt timer or thread running, or one of caseclient's worker threads.

Every QTimer.start and QThread.start during a test is recorded; after the test (and its fixtures)
each recorded timer must be stopped, each thread finished, and no new thread of a Background pool
or an outbox worker may be alive.
"""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread, QTimer

OUR_THREADS = ("caseclient-bg", "outbox-worker")


class _Recorder:
    def __init__(self) -> None:
        self.timers: list[QTimer] = []
        self.threads: list[QThread] = []


_current: _Recorder | None = None
_timer_start = QTimer.start
_thread_start = QThread.start


def _recording_timer_start(self, *args):
    if _current is not None:
        _current.timers.append(self)
    return _timer_start(self, *args)


def _recording_thread_start(self, *args):
    if _current is not None:
        _current.threads.append(self)
    return _thread_start(self, *args)


QTimer.start = _recording_timer_start
QThread.start = _recording_thread_start


def _alive(check) -> bool:
    try:
        return bool(check())
    except RuntimeError:  # the C++ object is gone with its parent: stopped
        return False


def _left_running(recorder: _Recorder, before: set[threading.Thread]) -> list[str]:
    found = [f"QTimer (interval {t.interval()} ms)" for t in recorder.timers if _alive(t.isActive)]
    found += [f"QThread {t.objectName() or t}" for t in recorder.threads if _alive(t.isRunning)]
    found += [f"thread {t.name}" for t in threading.enumerate()
              if t not in before and t.is_alive() and t.name.startswith(OUR_THREADS)]
    return found


@pytest.fixture(autouse=True)
def no_qt_leftovers(request):
    global _current
    before = set(threading.enumerate())
    recorder = _current = _Recorder()
    yield
    _current = None
    left = _left_running(recorder, before)
    if left:
        pytest.fail(f"{request.node.nodeid} left running: {', '.join(left)}", pytrace=False)
