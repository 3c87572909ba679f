"""The leak guard itself: it sees a running timer, a running thread and a live worker thread."""

from __future__ import annotations

import threading

import qt_leaks
from PySide6.QtCore import QThread, QTimer


def test_the_guard_reports_what_is_left_running(qapp):
    recorder = qt_leaks._Recorder()
    before = set(threading.enumerate())
    qt_leaks._current, saved = recorder, qt_leaks._current
    timer, thread = QTimer(), QThread()
    release = threading.Event()
    worker = threading.Thread(target=release.wait, name="caseclient-bg-test")
    try:
        timer.start(60_000)
        thread.start()
        worker.start()
        left = qt_leaks._left_running(recorder, before)
        assert any(item.startswith("QTimer") for item in left)
        assert any(item.startswith("QThread") for item in left)
        assert "thread caseclient-bg-test" in left
    finally:
        qt_leaks._current = saved
        timer.stop()
        thread.quit()
        thread.wait()
        release.set()
        worker.join()
    assert qt_leaks._left_running(recorder, before) == []
