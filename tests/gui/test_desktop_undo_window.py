"""The undo window in the desktop app, with the real widgets against the reference service: a
document dropped and confirmed waits (on the outbox's manual clock) before its upload may start;
Fortryd in the status bar, the tray, the outbox view or Ctrl+Z takes it back and nothing reaches the
service; left alone it is filed; a restart inside the window finds it still waiting, undoable."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from desktop_support import WAIT_MS, search_and_pick
from PySide6.QtCore import QMimeData, Qt, QUrl

from caseclient.app import Desktop
from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.filing import ManualClock
from caseclient.gui.drop_flow import Confirmed
from caseclient.server import CASEWORKERS
from caseclient.store import Filing, FilingLedger, Outbox, OutboxStatus, open_database, outbox_files_dir
from caseclient.store.case_index import CaseIndex
from caseclient.store.undo import was_undone

WINDOW_S = 10.0


class App:
    """One desktop app run over a data folder; `restart()` stops it and starts another on the same data."""

    def __init__(self, reference_service, tmp_path: Path, qtbot) -> None:
        self.service = OioService(reference_service.url)
        self.clock = ManualClock()
        self.tmp = tmp_path
        self.qtbot = qtbot
        self.asked: list = []
        self.desktop: Desktop | None = None
        self._stop = None

    def confirm(self, case, candidate):
        self.asked.append(candidate.filename)
        return Confirmed(candidate.metadata, [])

    @contextmanager
    def _run(self):
        db = open_database(self.tmp / "data")
        outbox = Outbox(db, outbox_files_dir(self.tmp / "data"), now=self.clock.now)
        outbox.undo_window_s = WINDOW_S
        filing = Filing(db, outbox, FilingLedger(db))
        index = CaseIndex(self.tmp / "index.sqlite", os.urandom(32))
        desktop = Desktop(self.service, filing, index, caseworker=CASEWORKERS[0].uuid, confirm=self.confirm)
        self.qtbot.addWidget(desktop.window)
        desktop.start()
        try:
            yield desktop
        finally:
            desktop.stop()
            index.close()
            db.close()

    def start(self) -> Desktop:
        self._stop = self._run()
        self.desktop = self._stop.__enter__()
        return self.desktop

    def stop(self) -> None:
        if self._stop is not None:
            self._stop.__exit__(None, None, None)
            self._stop = None

    def restart(self) -> Desktop:
        self.stop()
        return self.start()

    def window_passes(self) -> None:
        """The undo window's time passes (the outbox's clock), and the worker looks again."""
        self.clock.advance(WINDOW_S + 1)
        self.desktop.filing.worker.wake()


@pytest.fixture
def app(reference_service, tmp_path, monkeypatch, qtbot):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))
    running = App(reference_service, tmp_path, qtbot)
    running.start()
    yield running
    running.stop()


def _drop(app: App, case, path: Path):
    """Drop a file on the case's node; returns the queued item once the outbox holds it."""
    desktop = app.desktop
    index = desktop.window.model.case_index(case.id)
    if not index.isValid():  # typed once per window: a second search would leave its timer running
        index = search_and_pick(desktop, app.qtbot, case.number)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with app.qtbot.waitSignal(desktop.filing.enqueued, timeout=WAIT_MS) as queued:
        assert desktop.window.model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, index)
    return queued.args[0]


def _letter(tmp_path: Path, title: str) -> Path:
    path = tmp_path / f"{title}.txt"
    path.write_text(f"{title}: brev til borgeren.", encoding="utf-8")
    return path


def _titles_on(app: App, case) -> list[str]:
    return [d.title for d in app.service.list_documents(case.id)]


def _file_another_at_once(app: App, case, title: str) -> None:
    """With the window off, file one more document and wait until it is filed: the worker has
    passed over the queue since (the undone item was there to take, had it been takeable)."""
    app.desktop.filing.outbox.undo_window_s = 0
    item = _drop(app, case, _letter(app.tmp, title))
    app.desktop.filing.worker.wake()
    app.qtbot.waitUntil(lambda: app.desktop.filing.outbox.get(item.id).status is OutboxStatus.DONE, timeout=WAIT_MS)


def test_drop_confirm_undo_in_the_status_bar_sends_nothing(app, qtbot):
    desktop = app.desktop
    case = app.service.search_cases(CaseQuery(limit=1))[0]
    item = _drop(app, case, _letter(app.tmp, "Afgørelse til forkert borger"))
    assert app.asked == ["Afgørelse til forkert borger.txt"]
    bar = desktop.safety_net.undo_bar
    qtbot.waitUntil(bar.isVisible, timeout=WAIT_MS)
    assert "Afgørelse til forkert borger" in bar.label.text() and "10 s" in bar.label.text()
    assert desktop.tray.undo_action.isEnabled()

    with qtbot.waitSignal(desktop.filing.undone, timeout=WAIT_MS):
        qtbot.mouseClick(bar.undo_button, Qt.MouseButton.LeftButton)
    assert was_undone(desktop.filing.outbox.get(item.id))
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=WAIT_MS)
    assert "nothing was sent" in desktop.window.status.text()

    app.window_passes()
    _file_another_at_once(app, case, "Næste brev")
    titles = _titles_on(app, case)
    assert "Næste brev" in titles and "Afgørelse til forkert borger" not in titles
    undone = desktop.filing.outbox.get(item.id)
    assert was_undone(undone) and undone.attempts == 0 and undone.document_id is None


def test_drop_confirm_and_wait_files_it_once(app, qtbot):
    desktop = app.desktop
    case = app.service.search_cases(CaseQuery(limit=2))[1]
    item = _drop(app, case, _letter(app.tmp, "Partshøring"))
    view = desktop.outbox_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT_MS)
    assert view.model.index(0, view.model.STATUS).data() == "Waiting: can be undone"
    assert desktop.filing.outbox.get(item.id).status is OutboxStatus.QUEUED
    assert "Partshøring" not in _titles_on(app, case)  # the window holds it back

    app.window_passes()
    qtbot.waitUntil(lambda: desktop.filing.outbox.get(item.id).status is OutboxStatus.DONE, timeout=WAIT_MS)
    assert _titles_on(app, case).count("Partshøring") == 1
    qtbot.waitUntil(lambda: not desktop.safety_net.undo_bar.isVisible(), timeout=WAIT_MS)
    assert not desktop.tray.undo_action.isEnabled()
    desktop.tray.undo_action.trigger()  # too late: said, not done
    assert desktop.filing.outbox.get(item.id).status is OutboxStatus.DONE


def test_a_restart_inside_the_window_still_waits_and_ctrl_z_undoes_it(app, qtbot):
    case = app.service.search_cases(CaseQuery(limit=3))[2]
    first = _drop(app, case, _letter(app.tmp, "Første brev"))
    second = _drop(app, case, _letter(app.tmp, "Andet brev"))
    app.clock.advance(3)  # part of the window passes before the app stops

    desktop = app.restart()
    for item in (first, second):  # still waiting, due when it was: in its place
        again = desktop.filing.outbox.get(item.id)
        assert again.status is OutboxStatus.QUEUED and again.next_attempt_at == item.next_attempt_at
    bar = desktop.safety_net.undo_bar
    qtbot.waitUntil(lambda: len(bar.waiting) == 2, timeout=WAIT_MS)
    assert "2 documents are sent in 7 s" in bar.label.text()
    view = desktop.outbox_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=WAIT_MS)
    view.table.selectRow(0)
    assert view.undo_button.isEnabled()

    desktop.window.activateWindow()
    with qtbot.waitSignals([desktop.filing.undone, desktop.filing.undone], timeout=WAIT_MS):
        qtbot.keyClick(desktop.window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert all(was_undone(desktop.filing.outbox.get(i.id)) for i in (first, second))

    app.window_passes()
    _file_another_at_once(app, case, "Rettet brev")
    titles = _titles_on(app, case)
    assert "Rettet brev" in titles and "Første brev" not in titles and "Andet brev" not in titles


def test_the_outbox_view_and_the_tray_undo_too(app, qtbot):
    desktop = app.desktop
    case = app.service.search_cases(CaseQuery(limit=1))[0]
    first = _drop(app, case, _letter(app.tmp, "Notat A"))
    view = desktop.outbox_view
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=WAIT_MS)
    view.table.selectRow(0)
    with qtbot.waitSignal(desktop.filing.undone, timeout=WAIT_MS):
        qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.index(0, view.model.STATUS).data() == "Undone", timeout=WAIT_MS)
    assert not view.undo_button.isEnabled()

    second = _drop(app, case, _letter(app.tmp, "Notat B"))
    with qtbot.waitSignal(desktop.filing.undone, timeout=WAIT_MS):
        desktop.tray.undo_action.trigger()
    assert was_undone(desktop.filing.outbox.get(first.id)) and was_undone(desktop.filing.outbox.get(second.id))
