"""One SQLite database file per user: WAL, a busy timeout, one writer, numbered migrations.

The connection is shared by the threads of one process and serialised by a lock (SQLite allows one
writer at a time anyway); other processes (a second caseclient, the CLI) wait on the busy timeout.
Write transactions start with BEGIN IMMEDIATE so that a writer never fails half-way on a lock.
The schema version lives in ``PRAGMA user_version``; migration N brings the file from N-1 to N.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BUSY_TIMEOUT_S = 10.0


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
        _create_private_file(self.path)
        self._lock = threading.RLock()
        self._conn = _connect(self.path)
        mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise RuntimeError(f"{self.path}: SQLite refused write-ahead logging (journal mode {mode})")
        self._conn.execute(f"PRAGMA synchronous = {synchronous}")
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.execute("PRAGMA secure_delete = ON")  # deleted personal data is overwritten
        self._migrate(migrations)

    @property
    def schema_version(self) -> int:
        with self.read() as conn:
            return conn.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._conn

    @contextmanager
    def write(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back when it raises.

        Every commit survives the process being killed. A `durable` one also survives a power cut
        or a crash of the computer (the write-ahead log is flushed to disk before COMMIT returns,
        and with it every earlier commit); the others may be lost then, so use it for a change the
        user is told about or that must exist before a risky call."""
        with self._lock:
            if durable:
                self._conn.execute("PRAGMA synchronous = FULL")
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
            finally:
                if durable:
                    self._conn.execute(f"PRAGMA synchronous = {self._synchronous}")

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


def _create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only (it holds personal data)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
