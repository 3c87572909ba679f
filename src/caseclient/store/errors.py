"""The data folder's faults, each as one sentence that names the folder (never the source file).

SQLite and the file system report a full disk, a read-only folder and a damaged database in many
ways; :func:`data_folder_error` sorts them into two errors a user can act on.
"""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from ..domain import CaseclientError

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


class DataFolderUnavailable(CaseclientError):
    """The data folder cannot be written: the disk is full, or the folder is read-only."""

    code = "data_folder"

    def __init__(self, message: str, folder: Path, *, full: bool) -> None:
        super().__init__(message)
        self.folder = folder
        self.full = full


class DatabaseDamaged(CaseclientError):
    """The outbox database is not a usable SQLite database (truncated, overwritten, corrupt)."""

    code = "database_damaged"

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


def folder_full(folder: Path) -> DataFolderUnavailable:
    return DataFolderUnavailable(
        f"The disk holding caseclient's data folder {folder} is full; free some space there and try again "
        f"(nothing waiting in the outbox is lost).", folder, full=True)


def folder_read_only(folder: Path, why: str = "read-only") -> DataFolderUnavailable:
    return DataFolderUnavailable(
        f"caseclient's data folder {folder} cannot be written ({why}); make it writable and try again "
        f"(nothing waiting in the outbox is lost).", folder, full=False)


def data_folder_error(error: BaseException, folder: Path, database: Path | None = None) -> CaseclientError | None:
    """The data folder's fault behind `error` (an OSError or a sqlite3 error), or None when it is
    something else."""
    if isinstance(error, (DataFolderUnavailable, DatabaseDamaged)):
        return error
    if isinstance(error, OSError):
        if error.errno in _FULL:
            return folder_full(folder)
        if error.errno in _READ_ONLY:
            return folder_read_only(folder, error.strerror or "read-only")
        return None
    if isinstance(error, sqlite3.DatabaseError):
        name = getattr(error, "sqlite_errorname", "") or ""
        text = str(error).lower()
        if name.startswith("SQLITE_FULL") or "disk is full" in text:
            return folder_full(folder)
        if name.startswith("SQLITE_READONLY") or "readonly database" in text:
            return folder_read_only(folder)
        if name.startswith("SQLITE_CANTOPEN") or "unable to open database" in text:
            return folder_read_only(folder, "the database file cannot be opened")
        if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
            return folder_read_only(folder, "the disk reported an error")
        if (name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text
                or "not a database" in text or "could not decode" in text) and database is not None:
            return damaged(database)
    return None


def damaged(database: Path, kept: Path | None = None) -> DatabaseDamaged:
    if database.name != "caseclient.sqlite3":  # a cache (the case index): made anew from the service
        where = f"; it was kept aside as {kept.name} and is made anew" if kept is not None else \
            "; close caseclient and start it again to make it anew"
        return DatabaseDamaged(f"caseclient's database {database} is damaged{where}.", database)
    if kept is None:
        return DatabaseDamaged(
            f"caseclient's outbox database {database} is damaged; close every caseclient and start one again: "
            f"it keeps the damaged file aside and `caseclient doctor` lists the document copies it held.", database)
    return DatabaseDamaged(
        f"caseclient's outbox database {database} is damaged; it was kept aside as {kept.name}, caseclient starts "
        f"with an empty outbox next time and `caseclient doctor` lists the document copies it held.", database)
