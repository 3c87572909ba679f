"""One SQLite database file per user: WAL, a busy timeout, one writer, numbered migrations.

The connection is shared by the threads of one process and serialised by a lock (SQLite allows one
writer at a time anyway); other processes (a second caseclient, the CLI) wait on the busy timeout.
Write transactions start with BEGIN IMMEDIATE so that a writer never fails half-way on a lock.
The schema version lives in ``PRAGMA user_version``; migration N brings the file from N-1 to N.

A file that is not a whole SQLite database (truncated, overwritten, corrupt) fails at open with one
sentence, and is kept aside under a new name (never overwritten): the next open starts afresh.
A full disk or a read-only data folder is one sentence naming the folder (DataFolderUnavailable),
at open and on every read and write.
"""

from __future__ import annotations

import os
import sqlite3
import struct
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import DatabaseDamaged, data_folder_error, damaged

BUSY_TIMEOUT_S = 10.0
QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024  # checked page by page at open up to here (~40 ms); bigger: header only


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    description: str
    sql: str


class SchemaTooNew(RuntimeError):
    """The database was written by a newer caseclient than this one."""


class Database:
    """A SQLite file opened for caseclient: use :meth:`read` and :meth:`write` around statements."""

    def __init__(self, path: Path, migrations: Sequence[Migration], *, synchronous: str = "NORMAL") -> None:
        self.path = Path(path)
        self._synchronous = synchronous
        self._lock = threading.RLock()
        try:
            _create_private_file(self.path)
        except OSError as error:
            raise self._translated(error) or error from None
        problem = _header_problem(self.path)
        if problem is not None:
            raise self._keep_aside(problem)
        try:
            self._conn = _connect(self.path)
        except sqlite3.DatabaseError as error:
            raise self._translated(error) or error from None
        try:
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise RuntimeError(f"{self.path}: SQLite refused write-ahead logging (journal mode {mode})")
            self._conn.execute(f"PRAGMA synchronous = {synchronous}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA secure_delete = ON")  # deleted personal data is overwritten
            if _size(self.path) <= QUICK_CHECK_MAX_BYTES and \
                    self._conn.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("database disk image is malformed")
        except BaseException as error:
            self._conn.close()
            translated = self._translated(error) if isinstance(error, Exception) else None
            if translated is None and (isinstance(error, UnicodeDecodeError) or (
                    isinstance(error, sqlite3.DatabaseError) and not isinstance(error, sqlite3.OperationalError))):
                translated = damaged(self.path)  # text SQLite cannot read back: the file is damaged
            if isinstance(translated, DatabaseDamaged):
                raise self._keep_aside(str(error)) from None
            if translated is not None:
                raise translated from None
            raise
        try:
            self._migrate(migrations)  # a migration's own failure is no damage: the file stays as it was
        except sqlite3.DatabaseError as error:
            self._conn.close()
            raise self._translated(error) or error from None
        except BaseException:
            self._conn.close()
            raise

    @property
    def schema_version(self) -> int:
        with self.read() as conn:
            return conn.execute("PRAGMA user_version").fetchone()[0]

    @property
    def folder(self) -> Path:
        return self.path.parent

    def _translated(self, error: BaseException) -> Exception | None:
        """The data folder's fault behind a SQLite or OS error, as one sentence (or None)."""
        return data_folder_error(error, self.folder, self.path)

    def _keep_aside(self, problem: str) -> DatabaseDamaged:
        """Rename a damaged file (and its write-ahead log) to a name of its own; never overwrite one."""
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        kept = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while kept.exists():
            n += 1
            kept = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
        try:
            os.rename(self.path, kept)
            for suffix in ("-wal", "-shm"):
                side = Path(str(self.path) + suffix)
                if side.exists():
                    os.rename(side, Path(str(kept) + suffix))
        except OSError:
            return damaged(self.path)
        import logging

        logging.getLogger(__name__).error("store: %s is damaged (%s); kept aside as %s", self.path, problem, kept.name)
        return damaged(self.path, kept)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.DatabaseError as error:
                translated = self._translated(error)
                if translated is None:
                    raise
                raise translated from None

    @contextmanager
    def write(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back when it raises.

        Every commit survives the process being killed. A `durable` one also survives a power cut
        or a crash of the computer (the write-ahead log is flushed to disk before COMMIT returns,
        and with it every earlier commit); the others may be lost then, so use it for a change the
        user is told about or that must exist before a risky call."""
        with self._lock:
            try:
                if durable:
                    self._conn.execute("PRAGMA synchronous = FULL")
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                    try:
                        yield self._conn
                    except BaseException:
                        self._rollback()
                        raise
                    try:
                        self._conn.execute("COMMIT")
                    except sqlite3.Error:
                        self._rollback()
                        raise
                finally:
                    if durable:
                        self._conn.execute(f"PRAGMA synchronous = {self._synchronous}")
            except sqlite3.DatabaseError as error:
                translated = self._translated(error)
                if translated is None:
                    raise
                raise translated from None

    def _rollback(self) -> None:
        if self._conn.in_transaction:  # SQLite may have rolled back itself (a full disk)
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def _migrate(self, migrations: Sequence[Migration]) -> None:
        numbers = [m.version for m in migrations]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"migrations must be numbered 1..N without gaps, got {numbers}")
        with self.write() as conn:
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            if current > len(migrations):
                raise SchemaTooNew(
                    f"{self.path} has schema version {current}, newer than this caseclient "
                    f"knows ({len(migrations)}); update caseclient"
                )
            for migration in migrations[current:]:
                for statement in _statements(migration.sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {migration.version}")


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    return conn


def _statements(sql: str) -> Iterator[str]:
    """Split a migration script into statements (executescript would commit our transaction)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement in migration: {buffer.strip()[:60]}")


_MAGIC = b"SQLite format 3\x00"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _header_problem(path: Path) -> str | None:
    """Why the file cannot be a whole SQLite database, judged by its header and size (None: it may
    be; an empty file is a new database). Catches a file cut short, or another file put there."""
    try:
        with open(path, "rb") as f:
            header = f.read(100)
            size = os.fstat(f.fileno()).st_size
    except OSError:
        return None  # the connection reports it, with the folder's own words
    if size == 0:
        return None
    if len(header) < 100 or not header.startswith(_MAGIC):
        return "not a SQLite database"
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", header[24:32])
    valid_for = struct.unpack(">I", header[92:96])[0]
    if page_size < 512 or page_size & (page_size - 1):
        return "an impossible page size"
    if pages and valid_for == change_counter and size < pages * page_size:
        return f"cut short ({size} of {pages * page_size} bytes)"
    return None


def _create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only (it holds personal data)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
