"""A whole desktop app around an in-process reference service, for the GUI tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QGuiApplication

from caseclient.app import Desktop
from caseclient.backends.oio import OioService
from caseclient.gui.drop_flow import Confirmed
from caseclient.server import CASEWORKERS
from caseclient.store import open_filing
from caseclient.store.case_index import CaseIndex


@pytest.fixture
def clipboard_files(qapp):
    """Put files on the clipboard; the clipboard is emptied afterwards (it owns the data it holds)."""

    def put(*paths: Path) -> None:
        clip = QMimeData()
        clip.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
        QGuiApplication.clipboard().setMimeData(clip)

    yield put
    QGuiApplication.clipboard().clear()


@pytest.fixture
def real_dialog():
    """Use the real metadata dialog instead of an injected answer."""
    return True


@pytest.fixture
def desktop_options() -> dict:
    """Extra keyword arguments for Desktop (a test module overrides this fixture to set some)."""
    return {}


@pytest.fixture
def desktop(reference_service, tmp_path, monkeypatch, qtbot, request, desktop_options):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))
    service = OioService(reference_service.url)
    asked = []

    def confirm(case, candidate):
        asked.append((case, candidate))
        return Confirmed(candidate.metadata, [i for i, a in enumerate(candidate.attachments) if a.included])

    use_dialog = "real_dialog" in request.fixturenames
    with open_filing() as filing:
        index = CaseIndex(tmp_path / "index.sqlite", os.urandom(32))
        app = Desktop(service, filing, index, caseworker=CASEWORKERS[0].uuid,
                      confirm=None if use_dialog else confirm, **desktop_options)
        app.asked = asked
        qtbot.addWidget(app.window)
        app.start()
        try:
            yield app
        finally:
            app.stop()
            index.close()
