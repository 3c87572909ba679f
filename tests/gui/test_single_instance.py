"""One caseclient per user: a second start asks the running one to show its window and exits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from caseclient.gui.single_instance import SingleInstance


def test_a_second_start_brings_the_running_window_forward_and_exits(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))
    running = SingleInstance()
    assert running.listen()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    try:
        with qtbot.waitSignal(running.activation_requested, timeout=60_000):
            second = subprocess.Popen([sys.executable, "-m", "caseclient"], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        assert second.wait(timeout=60) == 0
    finally:
        running.close()


def test_another_user_data_folder_is_another_instance(tmp_path, monkeypatch, qapp):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "one"))
    first = SingleInstance()
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "two"))
    second = SingleInstance()
    assert first.name != second.name
    assert first.listen()
    try:
        assert not second.ask_running_instance(timeout_ms=200)
    finally:
        first.close()


def test_a_stale_socket_left_by_a_crash_does_not_block_the_start(tmp_path, monkeypatch, qapp):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))
    crashed = SingleInstance()
    assert crashed.listen()
    crashed._server.setParent(None)  # pretend the process died without closing: the name is taken
    assert SingleInstance().listen()


def test_the_app_stops_cleanly_on_sigterm(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CASECLIENT_HOME": str(home)}
    app = subprocess.Popen([sys.executable, "-m", "caseclient"], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    log = home / "logs" / "caseclient.log"
    try:
        started = time.monotonic()
        # the app is up once its log says so
        while not (log.exists() and "caseclient is running" in log.read_text(encoding="utf-8")):
            assert app.poll() is None, app.stderr.read()
            assert time.monotonic() - started < 120, "the app did not start"
            try:
                app.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
        app.send_signal(signal.SIGTERM)
        assert app.wait(timeout=60) == 0
    finally:
        if app.poll() is None:
            app.kill()
    assert log.exists()
