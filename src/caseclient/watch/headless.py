"""`caseclient watch` without a GUI: the scan folders, the outbox and its worker in one process."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..backends.protocol import DocumentService
from ..domain import InputError
from ..filing import DuplicateGuard, OutboxWorker
from ..filing.prompts import NoPrompts
from ..filing.worker import QueueBusy
from ..intake.documents import AttachmentFiling
from ..intake.settings import IntakeSettings
from ..store import FilingLedger, Outbox, ProcessLock, open_database, outbox_files_dir
from .folders import ScanFolder
from .handoff import OutboxHandOff
from .inbox import ScanInbox
from .routing import Router
from .watcher import ScanWatcher, WatchEvents, WatchOptions

log = logging.getLogger(__name__)


def inbox_dir(data_dir: Path) -> Path:
    return data_dir / "scan-inbox"


@dataclass
class WatchStation:
    watcher: ScanWatcher
    outbox: Outbox
    worker: OutboxWorker | None  # None: another process on this data folder drains the outbox


@contextmanager
def watch_station(
    folders: list[ScanFolder],
    backend: DocumentService,
    data_dir: Path,
    *,
    options: WatchOptions | None = None,
    events: WatchEvents | None = None,
    parallelism: int = 2,
    intake: IntakeSettings | None = None,
) -> Iterator[WatchStation]:
    """Everything a scan station runs, started; stopped again on leaving the block. `intake`: own
    addresses and domains for proposals, and how a mail's attachments are filed."""
    if not folders:
        raise InputError("No scan folders are configured; list them in watch.toml ([[folder]] path = ...).")
    lock = ProcessLock(data_dir / "watch.lock")
    if not lock.acquire():
        raise InputError(f"Another caseclient already watches scan folders with the data folder {data_dir}.")
    db = open_database(data_dir)
    try:
        outbox = Outbox(db, outbox_files_dir(data_dir))
        ledger = FilingLedger(db)
        worker: OutboxWorker | None = OutboxWorker(
            outbox, backend, NoPrompts(), guard=DuplicateGuard(ledger, outbox, backend), parallelism=parallelism)
        try:
            worker.start()
        except QueueBusy:
            log.info("watch: the outbox is drained by another caseclient on this machine")
            worker = None
        watcher = ScanWatcher(
            folders, Router(backend, data_dir / "watch-scratch", intake),
            OutboxHandOff(outbox, ledger, (intake or IntakeSettings()).attachments),
            ScanInbox(inbox_dir(data_dir)), options=options, events=events,
        )
        watcher.start()
        try:
            yield WatchStation(watcher, outbox, worker)
        finally:
            watcher.stop()
            if worker is not None:
                worker.stop(timeout=30)
    finally:
        db.close()
        lock.release()


def run_until(stop: threading.Event, folders: list[ScanFolder], backend: DocumentService, data_dir: Path,
              *, options: WatchOptions | None = None, events: WatchEvents | None = None,
              intake: IntakeSettings | None = None) -> None:
    """Run the scan station until `stop` is set (the CLI sets it on SIGTERM or Ctrl+C)."""
    with watch_station(folders, backend, data_dir, options=options, events=events, intake=intake):
        stop.wait()


def watch_from_command_line(folders: list[ScanFolder], service_url: str | None, data_dir: Path,
                            options: WatchOptions, settings: Sequence[str] = (),
                            attachments: AttachmentFiling | None = None) -> int:
    """`caseclient watch`: run until SIGTERM (systemd, the Windows task scheduler) or Ctrl+C.
    `attachments` (--attachments) overrides the setting intake.attachments."""
    import dataclasses
    import signal

    from ..connection import command_line_settings, intake_settings_from, open_configured_service

    configured = command_line_settings(service_url, settings)
    intake = intake_settings_from(configured)
    if attachments is not None:
        intake = dataclasses.replace(intake, attachments=attachments)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with open_configured_service(configured) as backend:
            log.info("watch: %d scan folder(s), host %s", len(folders), options.host_id)
            try:
                run_until(stop, folders, backend, data_dir, options=options, events=_LoggedEvents(), intake=intake)
            except KeyboardInterrupt:
                pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


class _LoggedEvents(WatchEvents):
    def filed(self, folder: ScanFolder, name: str, case_number: str) -> None:
        log.info("watch: %s filed on %s", name, case_number)
