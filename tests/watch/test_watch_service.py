"""The GUI's façade over the scan watcher: outcomes arrive as signals on the GUI thread."""

from __future__ import annotations

import shutil

import pytest

from caseclient.filing import DuplicateGuard, NoPrompts, OutboxWorker
from caseclient.services.background import Background
from caseclient.services.watch_service import WatchService
from caseclient.store import FilingLedger, Outbox, open_database, outbox_files_dir
from caseclient.watch import OutboxHandOff, Router, ScanFolder, ScanInbox, ScanWatcher, WatchOptions


@pytest.fixture
def service(qtbot, backend, tmp_path):
    data = tmp_path / "data"
    db = open_database(data)
    outbox = Outbox(db, outbox_files_dir(data))
    ledger = FilingLedger(db)
    worker = OutboxWorker(outbox, backend, NoPrompts(), guard=DuplicateGuard(ledger, outbox, backend))
    worker.start()
    watcher = ScanWatcher([ScanFolder(tmp_path / "scan")], Router(backend, data / "scratch"),
                          OutboxHandOff(outbox, ledger), ScanInbox(data / "scan-inbox"),
                          options=WatchOptions(host_id="gui", stability_delay=0.2))
    background = Background()
    service = WatchService(watcher, watcher.inbox, backend, background)
    service.start()
    yield service
    service.stop()
    background.shutdown()
    worker.stop(timeout=30)
    db.close()


def test_a_routed_scan_is_reported_queued_then_filed(qtbot, service, cases, samples, tmp_path):
    name = f"{cases[0].number} brev.pdf"
    heard: list[tuple[str, str, str]] = []
    service.scan_queued.connect(lambda *args: heard.append(("queued", *args)))
    service.scan_filed.connect(lambda *args: heard.append(("filed", *args)))
    with qtbot.waitSignal(service.scan_filed, timeout=30_000):
        shutil.copyfile(samples / "pdf" / "minimal-document.pdf", tmp_path / "scan" / name)
    assert heard == [("queued", name, cases[0].number), ("filed", name, cases[0].number)]


def test_an_inbox_scan_is_placed_on_a_case_by_the_user(qtbot, service, backend, cases, samples, tmp_path):
    with qtbot.waitSignal(service.inbox_changed, timeout=30_000):
        shutil.copyfile(samples / "pdf" / "imagemagick-images.pdf", tmp_path / "scan" / "scan0001.pdf")
    (entry,) = service.inbox_entries()
    assert service.can_send_to_service_inbox
    with qtbot.waitSignal(service.inbox_changed, timeout=30_000):
        service.place_on_case(entry, cases[1])
    assert service.inbox_entries() == []
    qtbot.waitUntil(lambda: any(d.filename == "scan0001.pdf" for d in backend.list_documents(cases[1].id)),
                    timeout=30_000)


def test_a_broken_scan_is_reported_with_its_reason(qtbot, service, samples, tmp_path):
    with qtbot.waitSignal(service.scan_failed, timeout=30_000) as failed:
        shutil.copyfile(samples / "pdf" / "corrupt-truncated-minimal-document.pdf", tmp_path / "scan" / "broken.pdf")
    name, reason = failed.args
    assert name == "broken.pdf" and "broken.pdf" in reason
    assert (tmp_path / "scan" / "Failed" / "broken.pdf").is_file()
