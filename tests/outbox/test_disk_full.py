"""A failing disk stops work cleanly: queue, fill the disk (mid-upload), free it; every document is
filed exactly once, the worker backed off without a log flood, and every command said one sentence
naming the data folder.

The disk is a small tmpfs where this machine lets the tests mount one (root on Linux); everywhere
else the same story runs with ENOSPC injected into the database connection.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.cli import main
from caseclient.domain import DocumentMetadata
from caseclient.filing import DuplicateGuard, OutboxWorker, SystemClock
from caseclient.filing import worker as worker_module
from caseclient.store import DataFolderUnavailable, FilingLedger, Outbox, OutboxStatus, open_database, outbox_files_dir



class NoQuestions:
    def confirm_duplicate(self, title, prior) -> bool:
        return False

    def ask_credentials(self, service_name, message) -> bool:
        return False

WAIT = 60.0
DOCUMENTS = 12


class TmpfsDisk:
    """A 6 MiB tmpfs: filled by a file that takes every free byte, freed by deleting it."""

    def __init__(self, mountpoint: Path) -> None:
        self.root = mountpoint
        self.filler = mountpoint / "filler"

    def fill(self) -> None:
        chunk = b"\0" * 65536
        with open(self.filler, "ab") as f:
            while True:
                try:
                    f.write(chunk)
                    f.flush()
                except OSError as e:
                    if e.errno != errno.ENOSPC:
                        raise
                    break
        for size in (4096, 512, 1):  # the last bytes too
            try:
                with open(self.filler, "ab") as f:
                    while True:
                        f.write(b"\0" * size)
                        f.flush()
            except OSError as e:
                assert e.errno == errno.ENOSPC

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def read_only(self, on: bool) -> None:
        subprocess.run(["mount", "-o", f"remount,{'ro' if on else 'rw'}", str(self.root)], check=True)


class _FullConnection:
    """A sqlite3 connection that refuses every write while its disk is full (ENOSPC as SQLite says it)."""

    def __init__(self, conn: sqlite3.Connection, disk: "InjectedDisk") -> None:
        self._conn, self._disk = conn, disk

    def execute(self, sql: str, *args):
        if self._disk.full and sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COMMIT")):
            raise sqlite3.OperationalError("database or disk is full")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


class InjectedDisk:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.full = False

    def attach(self, db) -> None:
        db._conn = _FullConnection(db._conn, self)

    def fill(self) -> None:
        self.full = True

    def free(self) -> None:
        self.full = False


def _can_mount(where: Path) -> bool:
    if sys.platform != "linux" or os.geteuid() != 0:
        return False
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m,mode=0700", "tmpfs", str(where)],
                          capture_output=True)
    return done.returncode == 0


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[TmpfsDisk]:
    where = tmp_path / "small-disk"
    if not _can_mount(where):
        pytest.skip("a tmpfs cannot be mounted here (needs root on Linux); the injected ENOSPC test covers it")
    try:
        yield TmpfsDisk(where)
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(where)], capture_output=True)
        subprocess.run(["umount", "-l", str(where)], check=True)


class LogSize(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.bytes = 0
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        text = self.format(record)
        self.bytes += len(text.encode()) + 1
        if record.name.startswith("caseclient") and record.levelno >= logging.WARNING:
            self.lines.append(record.getMessage())


@pytest.fixture
def log_size() -> Iterator[LogSize]:
    handler = LogSize()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


class FillsTheDiskMidUpload:
    """The oio backend; the disk fills while the first document is on its way (after it landed)."""

    def __init__(self, inner: OioService, fill) -> None:
        self._inner, self._fill = inner, fill
        self.filled_during: str | None = None

    def upload_document(self, case_id, source, metadata, **kw):
        ref = self._inner.upload_document(case_id, source, metadata, **kw)
        if self.filled_during is None:
            self.filled_during = kw["idempotency_key"]
            self._fill()
        return ref

    def __getattr__(self, name: str):
        return getattr(self._inner, name)


def _story(data: Path, disk, reference_service, log_size: LogSize, monkeypatch, attach=None) -> None:
    monkeypatch.setattr(worker_module, "TROUBLE_BACKOFF_S", (0.05, 0.4))
    oio = OioService(reference_service.url)
    cases = oio.search_cases(CaseQuery(limit=4))
    before = {c.id: {d.id for d in oio.list_documents(c.id)} for c in cases}
    db = open_database(data)
    if attach:
        attach(db)
    outbox = Outbox(db, outbox_files_dir(data))
    backend = FillsTheDiskMidUpload(oio, disk.fill)
    ledger = FilingLedger(db)
    sources = data.parent / "sources"
    sources.mkdir(exist_ok=True)
    for n in range(DOCUMENTS):
        path = sources / f"brev-{n}.pdf"
        path.write_bytes(b"%PDF-1.4 " + os.urandom(20_000 + n))
        outbox.enqueue(cases[n % len(cases)], outbox.stage(path), DocumentMetadata(f"Brev {n}", date(2024, 5, 1)),
                       remote_checked=True, service=None)
    with db.read() as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no slack in the write-ahead log

    probes = 0
    probed_often = threading.Event()
    real_probe = outbox.probe_write

    def counted_probe() -> None:
        nonlocal probes
        probes += 1
        if probes >= 8:
            probed_often.set()
        real_probe()

    outbox.probe_write = counted_probe
    worker = OutboxWorker(outbox, backend, NoQuestions(), guard=DuplicateGuard(ledger, outbox, backend),
                          parallelism=2, clock=SystemClock())
    worker.start()
    try:
        assert worker.wait_until(lambda: worker.trouble is not None, WAIT), "the full disk was never noticed"
        assert str(data) in worker.trouble.message
        assert probed_often.wait(WAIT)  # it keeps trying, slowly, in silence
        trouble_lines = [line for line in log_size.lines if "data folder" in line]
        assert len(trouble_lines) == 1, log_size.lines

        with pytest.raises(DataFolderUnavailable):  # a command waiting for its documents ends, in one sentence
            worker.wait_until(lambda: outbox.counts()[OutboxStatus.DONE] == DOCUMENTS, WAIT)

        disk.free()
        assert worker.wait_until(lambda: outbox.counts()[OutboxStatus.DONE] == DOCUMENTS, WAIT, through_trouble=True), \
            outbox.counts()
    finally:
        worker.stop(timeout=30)
    assert outbox.counts()[OutboxStatus.FAILED] == 0
    assert len([line for line in log_size.lines if "data folder" in line]) == 2  # started, ended
    assert log_size.bytes < 1024 * 1024

    filed = [d for c in cases for d in oio.list_documents(c.id) if d.id not in before[c.id]]
    assert len(filed) == DOCUMENTS  # every document exactly once, the one that landed mid-fill too
    assert sorted(i.document_id for i in outbox.items()) == sorted(d.id for d in filed)
    assert backend.filled_during is not None
    db.close()


def test_a_disk_that_fills_mid_upload_on_a_small_tmpfs(tmpfs, reference_service, log_size, monkeypatch):
    _story(tmpfs.root / "data", tmpfs, reference_service, log_size, monkeypatch)


def test_a_disk_that_fills_mid_upload_with_injected_enospc(tmp_path, reference_service, log_size, monkeypatch):
    disk = InjectedDisk(tmp_path)
    _story(tmp_path / "data", disk, reference_service, log_size, monkeypatch, attach=disk.attach)


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_every_command_says_one_sentence_naming_the_data_folder(tmpfs, reference_service, monkeypatch, capsys,
                                                                 fault):
    home = tmpfs.root / "home"
    monkeypatch.setenv("CASECLIENT_HOME", str(home))
    url = reference_service.url
    case = OioService(url).search_cases(CaseQuery(limit=1))[0]
    source = tmpfs.root.parent / "Notat.txt"  # the source is elsewhere
    source.write_text("notat")
    assert main(["file", str(source), "--case", case.number, "--no-wait", "--service", url]) == 0
    capsys.readouterr()
    data = home / "data"
    if fault == "full":
        tmpfs.fill()
    else:
        for handler in logging.getLogger().handlers:  # a file open for writing keeps a remount busy
            if isinstance(handler, logging.FileHandler):
                handler.close()
        tmpfs.read_only(True)
    try:
        for argv in (["file", str(source), "--case", case.number, "--no-wait", "--again", "--service", url],
                     ["outbox", "run", "--service", url], ["outbox", "pause"], ["outbox", "retry", "all"]):
            code = main(argv)
            err = capsys.readouterr().err
            assert code == 1, (argv, err)
            assert "Traceback" not in err and str(data) in err, (argv, err)
            assert str(source) not in err
            assert len(err.strip().splitlines()) == 1, (argv, err)
    finally:
        if fault == "full":
            tmpfs.free()
        else:
            tmpfs.read_only(False)
    assert main(["outbox", "run", "--service", url]) == 0  # the document waited, and is filed once
    assert main(["outbox", "--json"]) == 0
    assert '"status": "done"' in capsys.readouterr().out
