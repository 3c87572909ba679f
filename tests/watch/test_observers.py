"""The observers under the watcher: the polling one (network shares) never walks caseclient's own
folders, however many filed scans Done holds."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from caseclient.watch import ScanFolder
from caseclient.watch.observers import Change, FolderObservers

WAIT = 30.0


def _filed_scans(folder: ScanFolder, count: int) -> None:
    for n in range(count):
        job = folder.done_folder / f"job-{n // 10}"
        job.mkdir(parents=True, exist_ok=True)
        (job / f"scan-{n}.pdf").write_bytes(b"%PDF-1.4 filed")
    folder.failed_folder.mkdir(parents=True, exist_ok=True)
    (folder.failed_folder / "broken.pdf").write_bytes(b"broken")
    (folder.work_folder / "processing" / "host-a").mkdir(parents=True)


def _next_change_for(changes: "queue.SimpleQueue[Change]", path: Path, seen: list[Change]) -> None:
    while True:
        change = changes.get(timeout=WAIT)
        seen.append(change)
        if change.path == path and not change.gone:
            return


def test_the_polling_observer_lists_no_folder_of_caseclient_s_own(tmp_path: Path) -> None:
    folder = ScanFolder(tmp_path / "scan")
    (folder.path / "job-1").mkdir(parents=True)
    (folder.path / "job-1" / "waiting.pdf").write_bytes(b"%PDF-1.4")
    _filed_scans(folder, 50)
    observers = FolderObservers(queue.SimpleQueue(), threading.Event(), polling_interval=3600.0,
                                is_network=lambda path: True)
    observers.watch(folder)
    assert sorted(e.name for e in observers.listdir(str(folder.path))) == ["job-1"]
    assert [e.name for e in observers.listdir(str(folder.path / "job-1"))] == ["waiting.pdf"]


def test_a_polled_share_reports_new_scans_and_nothing_from_done(tmp_path: Path) -> None:
    folder = ScanFolder(tmp_path / "scan")
    folder.path.mkdir()
    changes: "queue.SimpleQueue[Change]" = queue.SimpleQueue()
    observers = FolderObservers(changes, threading.Event(), polling_interval=0.05, is_network=lambda path: True)
    observers.watch(folder)
    observers.start()
    try:
        seen: list[Change] = []
        _filed_scans(folder, 30)  # filed meanwhile by another host
        first = folder.path / "job-7" / "scan.pdf"
        first.parent.mkdir()
        first.write_bytes(b"%PDF-1.4 new")
        _next_change_for(changes, first, seen)
        second = folder.path / "later.pdf"  # reported by a later poll: every earlier report is in
        second.write_bytes(b"%PDF-1.4 later")
        _next_change_for(changes, second, seen)
    finally:
        observers.stop()
    own = (folder.done_folder, folder.failed_folder, folder.work_folder)
    assert not [c for c in seen if any(c.path == p or c.path.is_relative_to(p) for p in own)]
