"""SQLite storage: the database helper and migrations, the outbox, the filing ledger."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from .database import Database, Migration, SchemaTooNew
from .ledger import FilingLedger, LedgerEntry
from .migrations import MIGRATIONS
from .outbox import (
    Outbox,
    OutboxItem,
    OutboxResumeState,
    OutboxStatus,
    PauseReason,
    QueueState,
    StagedFile,
    UnknownItem,
)
from .errors import DatabaseDamaged, DataFolderUnavailable, data_folder_error
from .integrity import keep_copies_of_a_lost_database, take_notices
from .process_lock import ProcessLock
from .service_address import EMBEDDED, ServiceAddress, address_of, mark_service

DATABASE_NAME = "caseclient.sqlite3"


def open_database(data_dir: Path | None = None) -> Database:
    """The user's database in their private data folder, migrated to the current schema."""
    data_dir = data_dir or paths.data_dir()
    path = data_dir / DATABASE_NAME
    try:
        keep_copies_of_a_lost_database(path, outbox_files_dir(data_dir))
    except OSError as error:
        raise data_folder_error(error, data_dir) or error from None
    return Database(path, MIGRATIONS)


def outbox_files_dir(data_dir: Path | None = None) -> Path:
    """Where queued documents are copied until they are filed."""
    return (data_dir or paths.data_dir()) / "outbox"


@dataclass
class Filing:
    """The user's outbox and filing ledger, in one database."""

    db: Database
    outbox: Outbox
    ledger: FilingLedger


@contextmanager
def open_filing(data_dir: Path | None = None) -> Iterator[Filing]:
    """The user's outbox and ledger (in the data folder), closed at the end."""
    db = open_database(data_dir)
    try:
        yield Filing(db, Outbox(db, outbox_files_dir(data_dir)), FilingLedger(db))
    finally:
        db.close()


__all__ = [
    "DATABASE_NAME", "Database", "Filing", "FilingLedger", "LedgerEntry", "MIGRATIONS", "Migration", "Outbox",
    "OutboxItem", "OutboxResumeState", "OutboxStatus", "PauseReason", "ProcessLock", "QueueState",
    "SchemaTooNew", "StagedFile", "UnknownItem", "open_database", "open_filing", "outbox_files_dir",
    "EMBEDDED", "ServiceAddress", "address_of", "mark_service", "DatabaseDamaged", "DataFolderUnavailable",
    "take_notices",
]
