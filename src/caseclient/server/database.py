"""SQLite storage of the reference service: one row per object holding its current registration
as JSON, index tables for searching (with an FTS5 trigram index for `%word%` searches), and the
file content table. WAL mode, a busy timeout, one connection per thread.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .index import TRIGRAM_FIELDS, rows
from .model import OioClass
from .registration import Registration

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    id INTEGER PRIMARY KEY,
    class TEXT NOT NULL,
    uuid TEXT NOT NULL UNIQUE,
    lifecycle TEXT NOT NULL,
    bvn TEXT NOT NULL,
    registration TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS objects_by_bvn ON objects (class, bvn, uuid);
CREATE TABLE IF NOT EXISTS attribute_index (
    id INTEGER PRIMARY KEY,
    object INTEGER NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attribute_by_value ON attribute_index (field, value);
CREATE INDEX IF NOT EXISTS attribute_by_object ON attribute_index (object);
CREATE VIRTUAL TABLE IF NOT EXISTS attribute_trigram USING fts5 (value, tokenize = 'trigram');
CREATE TABLE IF NOT EXISTS state_index (
    object INTEGER NOT NULL,
    state TEXT NOT NULL,
    value TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS state_by_value ON state_index (state, value);
CREATE INDEX IF NOT EXISTS state_by_object ON state_index (object);
CREATE TABLE IF NOT EXISTS relation_index (
    object INTEGER NOT NULL,
    name TEXT NOT NULL,
    target TEXT NOT NULL,
    objekttype TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS relation_by_target ON relation_index (name, target);
CREATE INDEX IF NOT EXISTS relation_by_any_target ON relation_index (target);
CREATE INDEX IF NOT EXISTS relation_by_object ON relation_index (object);
CREATE TABLE IF NOT EXISTS content (
    path TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    mimetype TEXT NOT NULL
);
"""


class Database:
    """The service's SQLite file, shared by the server's threads: each thread holds its own
    connection while it works (taken from a pool of idle ones) and gives it back with
    `release()` when its request is done."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        conn = self.connection()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(_SCHEMA)
        self.release()

    def connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with self._lock:
                conn = self._idle.pop() if self._idle else None
            if conn is None:
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                       check_same_thread=False)
                conn.execute("PRAGMA busy_timeout=30000")
                conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def release(self) -> None:
        """Give this thread's connection back to the pool."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            self._local.conn = None
            with self._lock:
                self._idle.append(conn)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, taken at once so read-modify-write cannot interleave."""
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        """Close the idle connections (call when no request is running any more)."""
        self.release()
        with self._lock:
            for conn in self._idle:
                conn.close()
            self._idle.clear()

    # -- objects -------------------------------------------------------------------------------

    def load(self, cls: OioClass, uuid: str) -> Registration | None:
        row = self.connection().execute(
            "SELECT registration FROM objects WHERE class = ? AND uuid = ?",
            (cls.path, uuid.lower())).fetchone()
        return json.loads(row[0]) if row else None

    def load_many(self, cls: OioClass, uuids: Iterable[str]) -> dict[str, Registration]:
        wanted = [u.lower() for u in uuids]
        found: dict[str, Registration] = {}
        conn = self.connection()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for uuid, text in conn.execute(
                    f"SELECT uuid, registration FROM objects WHERE class = ? AND uuid IN ({marks})",
                    (cls.path, *chunk)):
                found[uuid] = json.loads(text)
        return found

    def store(self, conn: sqlite3.Connection, cls: OioClass, uuid: str,
              registration: Registration) -> None:
        """Write (or overwrite) one object and its index rows inside `conn`'s transaction."""
        uuid = uuid.lower()
        index = rows(cls, registration)
        found = conn.execute("SELECT id FROM objects WHERE uuid = ?", (uuid,)).fetchone()
        text = json.dumps(registration, ensure_ascii=False, separators=(",", ":"))
        if found:
            object_id = found[0]
            self._drop_index(conn, object_id)
            conn.execute("UPDATE objects SET class = ?, lifecycle = ?, bvn = ?, registration = ? "
                         "WHERE id = ?",
                         (cls.path, registration["livscykluskode"], index.bvn, text, object_id))
        else:
            object_id = conn.execute(
                "INSERT INTO objects (class, uuid, lifecycle, bvn, registration) "
                "VALUES (?, ?, ?, ?, ?)",
                (cls.path, uuid, registration["livscykluskode"], index.bvn, text)).lastrowid
        self._write_index(conn, object_id, index)

    def store_many(self, cls: OioClass, objects: Iterable[tuple[str, Registration]]) -> int:
        """Bulk insert of new objects in one transaction (the demo generator); returns count."""
        count = 0
        with self.transaction() as conn:
            next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM objects").fetchone()[0]
            batch: list[tuple] = []
            indexes = []
            for uuid, registration in objects:
                index = rows(cls, registration)
                batch.append((next_id, cls.path, uuid.lower(), registration["livscykluskode"],
                              index.bvn,
                              json.dumps(registration, ensure_ascii=False, separators=(",", ":"))))
                indexes.append((next_id, index))
                next_id += 1
                count += 1
                if len(batch) >= 5000:
                    self._flush(conn, batch, indexes)
                    batch, indexes = [], []
            self._flush(conn, batch, indexes)
        return count

    def _flush(self, conn: sqlite3.Connection, batch: list[tuple], indexes: list) -> None:
        conn.executemany("INSERT INTO objects (id, class, uuid, lifecycle, bvn, registration) "
                         "VALUES (?, ?, ?, ?, ?, ?)", batch)
        for object_id, index in indexes:
            self._write_index(conn, object_id, index)

    @staticmethod
    def _write_index(conn: sqlite3.Connection, object_id: int, index) -> None:
        for field, value, start, end in index.attributes:
            row_id = conn.execute(
                "INSERT INTO attribute_index (object, field, value, valid_from, valid_to) "
                "VALUES (?, ?, ?, ?, ?)", (object_id, field, value, start, end)).lastrowid
            if field in TRIGRAM_FIELDS:
                conn.execute("INSERT INTO attribute_trigram (rowid, value) VALUES (?, ?)",
                             (row_id, value))
        conn.executemany("INSERT INTO state_index VALUES (?, ?, ?, ?, ?)",
                         [(object_id, *row) for row in index.states])
        conn.executemany("INSERT INTO relation_index VALUES (?, ?, ?, ?, ?, ?)",
                         [(object_id, *row) for row in index.relations])

    @staticmethod
    def _drop_index(conn: sqlite3.Connection, object_id: int) -> None:
        conn.execute("DELETE FROM attribute_trigram WHERE rowid IN "
                     "(SELECT id FROM attribute_index WHERE object = ?)", (object_id,))
        for table in ("attribute_index", "state_index", "relation_index"):
            conn.execute(f"DELETE FROM {table} WHERE object = ?", (object_id,))

    # -- file content --------------------------------------------------------------------------

    @staticmethod
    def register_content(conn: sqlite3.Connection, path: str, document: str,
                         mimetype: str) -> None:
        conn.execute("INSERT OR REPLACE INTO content (path, document, mimetype) VALUES (?, ?, ?)",
                     (path, document.lower(), mimetype))

    def content(self, path: str) -> tuple[str, str] | None:
        """(document uuid, mimetype) of a stored file, by its `store:` path."""
        row = self.connection().execute(
            "SELECT document, mimetype FROM content WHERE path = ?", (path,)).fetchone()
        return (row[0], row[1]) if row else None
