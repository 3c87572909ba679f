"""The window from a 400 px sidebar beside Outlook to full screen, in Danish (the longer texts):
nothing forces it wider, the case details go under the tree when narrow and beside it when wide,
and it comes back at the size and place it had on that screen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from desktop_support import WAIT_MS
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from caseclient.gui.main_window import MainWindow
from caseclient.gui.translations import install_translator
from caseclient.gui.window_memory import WindowMemory


@pytest.fixture
def danish(qapp):
    """The interface in Danish (asked for before the desktop, so its widgets are made in Danish)."""
    translator = install_translator(qapp, "da")
    yield
    qapp.removeTranslator(translator)


def _overlapping_buttons(widget) -> list[tuple[str, str]]:
    buttons = [b for b in widget.findChildren(QPushButton) if b.isVisible()]
    found = []
    for n, a in enumerate(buttons):
        for b in buttons[n + 1:]:
            if a.parentWidget() is b.parentWidget() and a.geometry().intersects(b.geometry()):
                found.append((a.text(), b.text()))
    return found


def test_from_a_400_px_sidebar_to_full_screen(danish, desktop, qtbot):
    window = desktop.window
    splitter = window.case_splitter
    assert window.minimumSizeHint().width() <= 400, "a tab or the menu makes the window wider than a sidebar"
    window.resize(400, 800)
    qtbot.waitUntil(lambda: window.width() == 400, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: splitter.orientation() == Qt.Orientation.Vertical, timeout=WAIT_MS)
    assert all(size > 0 for size in splitter.sizes())
    for page in range(window.tabs.count()):  # every tab fits: no button over another
        window.tabs.setCurrentIndex(page)
        qtbot.waitUntil(lambda: window.tabs.currentWidget().isVisible(), timeout=WAIT_MS)
        assert window.tabs.currentWidget().width() <= 400
        assert _overlapping_buttons(window.tabs.currentWidget()) == []
    window.tabs.setCurrentIndex(0)
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: splitter.orientation() == Qt.Orientation.Horizontal, timeout=WAIT_MS)
    assert all(size > 0 for size in splitter.sizes())


def test_the_window_comes_back_at_its_size_and_place(desktop, qtbot):
    window = desktop.window
    window.setGeometry(40, 30, 520, 440)  # inside the offscreen platform's 800 x 600 screen
    qtbot.waitUntil(lambda: window.size().width() == 520, timeout=WAIT_MS)
    placed = window.geometry()
    window.close()  # closing (to the tray) keeps where it was
    again = MainWindow(desktop.search)
    qtbot.addWidget(again)
    memory = WindowMemory(again, Path(os.environ["CASECLIENT_HOME"]) / "data" / "window.ini")
    assert memory.restore()
    again.show()
    qtbot.waitExposed(again)
    assert again.geometry() == placed
