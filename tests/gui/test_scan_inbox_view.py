"""The scan inbox tab: unrouted scans with their first page; placed by dragging a row onto a case,
by a button for keyboard users, or sent to the service's inbox with the CPR numbers found."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from desktop_support import WAIT_MS, drag_and_drop, search_and_pick
from fpdf import FPDF
from PySide6.QtCore import QPoint, Qt

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import Capability, CaseQuery
from caseclient.gui.scan_inbox_view import ScanInboxView
from caseclient.services.background import Background
from caseclient.services.watch_service import WatchService
from caseclient.store import OutboxStatus
from caseclient.watch import (
    OutboxHandOff,
    Router,
    ScanFolder,
    ScanInbox,
    ScanWatcher,
    WatchOptions,
)


@pytest.fixture
def desktop_options(tmp_path) -> dict:
    return {"scan_folders": [ScanFolder(tmp_path / "scan")],
            "watch_options": WatchOptions(host_id="gui", stability_delay=0.2)}


UNKNOWN_CPR = "010190-1234"  # a valid date, nobody's party in the demo data


def _scan(desktop, qtbot, samples, tmp_path, name: str, source: Path | None = None):
    """An unrouted scan (no case number anywhere) arrives in the inbox tab."""
    view = desktop.scan_inbox_view
    before = view.list.count()
    shutil.copyfile(source or samples / "pdf" / "imagemagick-images.pdf", tmp_path / "scan" / name)
    qtbot.waitUntil(lambda: view.list.count() == before + 1, timeout=WAIT_MS)
    return next(e for e in view.entries() if e.filename == name)


def test_a_scan_is_listed_with_its_first_page_and_placed_by_dragging_it_onto_a_case(
        desktop, qtbot, samples, tmp_path):
    entry = _scan(desktop, qtbot, samples, tmp_path, "scan0001.pdf")
    view = desktop.scan_inbox_view
    item = view.list.item(0)
    assert not item.icon().isNull() and entry.preview is not None
    assert view.preview.pixmap() is not None and not view.preview.pixmap().isNull()
    assert view.list.accessibleName() and view.place_button.accessibleName() and view.send_button.accessibleName()

    case = desktop.service.search_cases(CaseQuery(limit=1))[0]
    window = desktop.window
    node = search_and_pick(desktop, qtbot, case.number)
    mime = view.list.mimeData([item])  # what the list hands to Qt's drag
    drop = drag_and_drop(window.tree.viewport(), window.tree.visualRect(node).center(), mime)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: view.list.count() == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: any(d.filename == "scan0001.pdf" for d in desktop.service.list_documents(case.id)),
                    timeout=WAIT_MS)
    assert desktop.watch.inbox_entries() == []


def test_a_scan_dropped_beside_the_cases_stays_and_the_user_is_told(desktop, qtbot, samples, tmp_path):
    _scan(desktop, qtbot, samples, tmp_path, "scan0002.pdf")
    view = desktop.scan_inbox_view
    drag_and_drop(desktop.window.tree.viewport(), QPoint(2, 2), view.list.mimeData([view.list.item(0)]))
    assert view.status.text() == "Drop the scan onto a case."
    assert view.list.count() == 1


def test_keyboard_users_place_a_scan_on_the_selected_case(desktop, qtbot, samples, tmp_path):
    _scan(desktop, qtbot, samples, tmp_path, "scan0003.pdf")
    case = desktop.service.search_cases(CaseQuery(limit=2))[1]
    window = desktop.window
    window.tree.setCurrentIndex(search_and_pick(desktop, qtbot, case.number))
    view = desktop.scan_inbox_view
    window.tabs.setCurrentWidget(view)
    view.list.setFocus()
    qtbot.keyClick(view.list, Qt.Key.Key_Home)
    assert view.place_button.isEnabled()
    view.place_button.setFocus()
    qtbot.keyClick(view.place_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: desktop.filing.counts().get(OutboxStatus.DONE, 0) == 1, timeout=WAIT_MS)
    assert "scan0003.pdf" in [d.filename for d in desktop.service.list_documents(case.id)]


def test_a_scan_goes_to_the_service_inbox_with_the_cpr_its_first_page_names(desktop, qtbot, samples, tmp_path):
    letter = FPDF(format="A4")
    letter.add_page()
    letter.set_font("helvetica", size=12)
    letter.multi_cell(0, 6, f"Ansøgning om hjælp\nCPR: {UNKNOWN_CPR}")
    letter.output(str(tmp_path / "letter.pdf"))
    entry = _scan(desktop, qtbot, samples, tmp_path, "scan0004.pdf", tmp_path / "letter.pdf")
    original = entry.file.read_bytes()
    view = desktop.scan_inbox_view
    view.list.setCurrentRow(0)
    assert view.send_button.isEnabled()
    with qtbot.waitSignal(desktop.watch.sent_to_service_inbox, timeout=WAIT_MS) as sent:
        qtbot.mouseClick(view.send_button, Qt.MouseButton.LeftButton)
    ref = sent.args[1]
    assert ref.case_id is None
    sink = io.BytesIO()
    desktop.service.read_content(ref.id, sink)
    assert sink.getvalue() == original
    qtbot.waitUntil(lambda: view.list.count() == 0, timeout=WAIT_MS)
    assert view.status.text() == "scan0004.pdf is in the service's inbox."


class _NoInbox(OioService):
    @property
    def capabilities(self) -> Capability:
        return super().capabilities & ~Capability.INBOX_WITH_PARTIES


def test_without_a_service_inbox_the_button_is_disabled_and_says_why(qtbot, reference_service, tmp_path, monkeypatch):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))
    from caseclient.store import open_filing

    backend = _NoInbox(reference_service.url)
    background = Background()
    try:
        with open_filing() as filing:
            scans = ScanInbox(tmp_path / "inbox")
            watcher = ScanWatcher([], Router(backend, tmp_path / "scratch"), OutboxHandOff(filing.outbox, filing.ledger),
                                  scans)
            view = ScanInboxView(WatchService(watcher, scans, backend, background), lambda: None)
            qtbot.addWidget(view)
            assert not view.send_button.isEnabled()
            assert view.send_button.toolTip() == "This document service has no inbox for documents without a case"
    finally:
        background.shutdown()
