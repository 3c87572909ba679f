"""An expired or wrong sign-in pauses filing; the app asks, the user signs in, filing goes on."""

from __future__ import annotations

import os
from datetime import date

import requests
from memory_keyring import memory_keyring  # noqa: F401  (fixture)
from net_support import reference, settings_from  # noqa: F401  (fixture)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from caseclient.app import Desktop, sign_in_again
from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.connection import backend_for
from caseclient.credentials import CredentialStore, SecretKind
from caseclient.domain import DocumentMetadata
from caseclient.net import build_session
from caseclient.server.auth import AuthSwitches, protect
from caseclient.store import OutboxStatus, open_filing
from caseclient.store.case_index import CaseIndex

PASSWORD = "Forår-2026-vest"
WAIT_MS = 30_000


def _answer_the_prompts(asked: list[str]) -> QTimer:
    """Modal dialogs run their own event loops: a timer (which fires inside them) answers like a user."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QMessageBox) and dialog.isVisible():
            asked.append("question")
            dialog.button(QMessageBox.StandardButton.Yes).click()
        elif isinstance(dialog, QInputDialog) and dialog.isVisible():
            asked.append(dialog.labelText())
            dialog.setTextValue(PASSWORD)
            dialog.accept()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(look)
    timer.start()
    return timer


def test_a_refused_sign_in_pauses_filing_until_the_user_signs_in_again(
    reference, memory_keyring, qtbot, tmp_path, monkeypatch
):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))
    protect(reference, AuthSwitches("basic", username="jens", password=PASSWORD))
    settings = settings_from(service__url=reference.url, auth__mode="basic", auth__username="jens")
    CredentialStore().set(reference.url, SecretKind.PASSWORD, "last-years-password", "jens")
    service = backend_for(settings, build_session(settings))
    signed_in = requests.Session()
    signed_in.auth = (b"jens", PASSWORD.encode())  # UTF-8, as caseclient sends it
    case = OioService(reference.url, signed_in).search_cases(CaseQuery(limit=1))[0]
    letter = tmp_path / "brev.txt"
    letter.write_text("Kære Jens", encoding="utf-8")

    asked: list[str] = []
    with open_filing() as filing:
        index = CaseIndex(tmp_path / "index.sqlite", os.urandom(32))
        desktop = Desktop(service, filing, index, sign_in=sign_in_again(settings, service))
        qtbot.addWidget(desktop.window)
        desktop.start()
        timer = _answer_the_prompts(asked)
        try:
            desktop.filing.enqueue(case, letter, DocumentMetadata(title="Brev til Jens", document_date=date.today()))
            qtbot.waitUntil(lambda: desktop.filing.counts().get(OutboxStatus.DONE, 0) == 1, timeout=WAIT_MS)
            assert desktop.filing.counts().get(OutboxStatus.FAILED, 0) == 0
        finally:
            timer.stop()
            desktop.stop()
            index.close()
    assert asked == ["question", f"The password for jens at {reference.url}: "]
    assert CredentialStore().get(reference.url, SecretKind.PASSWORD, "jens") == PASSWORD
    titles = [d.title for d in OioService(reference.url, signed_in).list_documents(case.id)]
    assert titles.count("Brev til Jens") == 1
    assert "Signed in to" in desktop.window.status.text()
