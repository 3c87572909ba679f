"""Every file caseclient or its embedded service writes is its owner's only, whoever made the
folder first (issue 15, point 5): the reference service's database and documents, the client's
log files and its outbox database and copies."""

from __future__ import annotations

import io
from datetime import date
import logging
import os
import stat
import sys
from pathlib import Path

import pytest

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery, MemoryResumeState
from caseclient.domain import DocumentMetadata, UploadSource
from caseclient.logging_setup import configure_logging
from caseclient.server import ReferenceService

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


def _open_to_all(folder: Path) -> Path:
    """A folder someone else made first, readable and writable by everybody."""
    folder.mkdir(parents=True, exist_ok=True)
    old = os.umask(0)
    try:
        os.chmod(folder, 0o777)
    finally:
        os.umask(old)
    return folder


def _readable_by_others(root: Path) -> list[str]:
    found = []
    for path in [root, *root.rglob("*")]:
        mode = path.lstat().st_mode
        if stat.S_ISREG(mode) and mode & 0o077:
            found.append(f"{path.relative_to(root)} {stat.filemode(mode)}")
    return found


def test_the_reference_services_data_is_owner_only(tmp_path):
    data = _open_to_all(tmp_path / "shared" / "reference-service")
    old = os.umask(0o002)  # a lax umask: group and others may read what is not made private
    try:
        service = ReferenceService(data)
        service.seed_demo(5)
        with service:
            backend = OioService(service.url)
            case = backend.search_cases(CaseQuery(limit=1))[0]
            document = tmp_path / "brev.txt"
            document.write_bytes(b"personal data\n")
            backend.upload_document(case.id, UploadSource.from_path(document), DocumentMetadata(title="brev", document_date=date(2026, 12, 3)),
                           idempotency_key="k-1", state=MemoryResumeState())
    finally:
        os.umask(old)
    files = [p for p in data.rglob("*") if p.is_file()]
    assert any(p.name == "oio.sqlite3" for p in files) and any(p.suffix == ".bin" for p in files)
    assert _readable_by_others(data) == []


def test_the_client_log_files_are_owner_only(tmp_path):
    folder = _open_to_all(tmp_path / "logs")
    old = os.umask(0o002)
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        path = configure_logging("INFO", log_dir=folder, max_bytes=200, keep_files=2)
        for n in range(20):  # rolls over: the new files are private too
            logging.getLogger("caseclient.test").info("line %d of the log", n)
    finally:
        os.umask(old)
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
            handler.close()
    assert path.is_file() and len(list(folder.iterdir())) >= 2
    assert _readable_by_others(folder) == []


def test_an_existing_log_file_readable_by_others_is_made_private(tmp_path):
    folder = _open_to_all(tmp_path / "logs")
    old_file = folder / "caseclient.log"
    old_file.write_text("old\n")
    old_file.chmod(0o644)
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        configure_logging("INFO", log_dir=folder)
    finally:
        for handler in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(handler)
            handler.close()
    assert _readable_by_others(folder) == []


def test_the_client_outbox_database_and_copies_are_owner_only(tmp_path):
    from caseclient.store import Outbox, open_database, outbox_files_dir

    data = _open_to_all(tmp_path / "data")
    old = os.umask(0o002)
    try:
        db = open_database(data)
        outbox = Outbox(db, outbox_files_dir(data))
        source = tmp_path / "brev.pdf"
        source.write_bytes(b"%PDF-1.4 personal\n")
        outbox.flush(outbox.stage(source, filename="brev.pdf"))
        db.close()
    finally:
        os.umask(old)
    assert _readable_by_others(data) == []


def test_file_content_is_unchanged_by_the_private_writer(tmp_path):
    from caseclient.server.store.files import write_private

    target = tmp_path / "x.bin"
    write_private(target, b"abc")
    write_private(target, b"de")
    assert target.read_bytes() == b"de" and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert io.BytesIO(target.read_bytes()).read() == b"de"
