"""SQLite storage of the reference service: one small row per object (its current registration
is stored as JSON in a table of its own, so searches read compact rows), index tables for
searching (and an FTS5 trigram index for `%word%` searches), and the file content table.
WAL mode, a busy timeout, one connection per thread.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .files import PRIVATE_FILE, PRIVATE_FOLDER, make_private
from .index import TRIGRAM_KEYS, IndexRows, rows
from .model import OioClass
from .registration import Registration

_TABLES = """
CREATE TABLE IF NOT EXISTS objects (
    id INTEGER PRIMARY KEY,
    class TEXT NOT NULL,
    uuid TEXT NOT NULL,
    lifecycle TEXT NOT NULL,
    bvn TEXT NOT NULL,
    stable_since TEXT,
    UNIQUE (class, uuid)  -- as in LoRa, each class has its own objects
);
CREATE TABLE IF NOT EXISTS registrations (
    object INTEGER PRIMARY KEY,
    registration TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS attribute_index (
    id INTEGER PRIMARY KEY,
    object INTEGER NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL
);
-- one row per object and trigram field, rowid = object id * TRIGRAM_KEYS + field code
CREATE VIRTUAL TABLE IF NOT EXISTS attribute_trigram USING fts5 (value, tokenize = 'trigram');
CREATE TABLE IF NOT EXISTS state_index (
    object INTEGER NOT NULL,
    state TEXT NOT NULL,
    value TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS relation_index (
    object INTEGER NOT NULL,
    name TEXT NOT NULL,
    target TEXT NOT NULL,
    objekttype TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS content (
    path TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    mimetype TEXT NOT NULL
);
"""

# Secondary indexes: dropped and rebuilt around a bulk load into an empty database, which is
# many times faster than growing them row by row. They cover the searches: by value (a set of
# objects) and by object (checking one object), without reading the index tables' rows.
INDEXES = {
    "objects_by_bvn": "objects (class, bvn, uuid, lifecycle)",  # covers search and paging
    "attribute_by_value": "attribute_index (field, value, valid_from, valid_to, object)",
    "attribute_by_object": "attribute_index (object, field, value, valid_from, valid_to)",
    "state_by_value": "state_index (state, value, valid_from, valid_to, object)",
    "state_by_object": "state_index (object, state, value, valid_from, valid_to)",
    "relation_by_target": "relation_index (name, target, valid_from, valid_to, object)",
    "relation_by_object": "relation_index (object, name, target, valid_from, valid_to)",
    "relation_by_any_target": "relation_index (target, valid_from, valid_to, object)",
}


def create_indexes(conn: sqlite3.Connection) -> None:
    """Create the secondary indexes that are missing."""
    for name, target in INDEXES.items():
        conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def _private(path: Path, *, create: bool) -> None:
    """Create `path` owner-only, or make an existing one so."""
    flags = os.O_RDWR | (os.O_CREAT if create else 0)
    try:
        fd = os.open(path, flags, PRIVATE_FILE)
    except FileNotFoundError:
        return
    try:
        make_private(fd)
    finally:
        os.close(fd)


def encode(registration: Registration) -> str:
    """A registration as stored: compact JSON."""
    return json.dumps(registration, ensure_ascii=False, separators=(",", ":"))


class Database:
    """The service's SQLite file, shared by the server's threads: each thread holds its own
    connection while it works (taken from a pool of idle ones) and gives it back with
    `release()` when its request is done."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
        for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            _private(part, create=part == path)  # SQLite gives its -wal and -shm the file's mode
        self._local = threading.local()
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        conn = self.connection()
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(_TABLES)
        create_indexes(conn)
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
            "SELECT r.registration FROM objects o JOIN registrations r ON r.object = o.id "
            "WHERE o.class = ? AND o.uuid = ?",
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
                    "SELECT o.uuid, r.registration FROM objects o JOIN registrations r "
                    f"ON r.object = o.id WHERE o.class = ? AND o.uuid IN ({marks})",
                    (cls.path, *chunk)):
                found[uuid] = json.loads(text)
        return found

    def store(self, conn: sqlite3.Connection, cls: OioClass, uuid: str,
              registration: Registration) -> None:
        """Write (or overwrite) one object and its index rows inside `conn`'s transaction."""
        uuid = uuid.lower()
        index = rows(cls, registration)
        found = conn.execute("SELECT id FROM objects WHERE class = ? AND uuid = ?",
                             (cls.path, uuid)).fetchone()
        text = encode(registration)
        if found:
            object_id = found[0]
            self._drop_index(conn, object_id)
            conn.execute("UPDATE objects SET lifecycle = ?, bvn = ?, stable_since = ? WHERE id = ?",
                         (registration["livscykluskode"], index.bvn, index.stable_since,
                          object_id))
            conn.execute("UPDATE registrations SET registration = ? WHERE object = ?",
                         (text, object_id))
        else:
            object_id = conn.execute(
                "INSERT INTO objects (class, uuid, lifecycle, bvn, stable_since) "
                "VALUES (?, ?, ?, ?, ?)", (cls.path, uuid, registration["livscykluskode"],
                                           index.bvn, index.stable_since)).lastrowid
            conn.execute("INSERT INTO registrations (object, registration) VALUES (?, ?)",
                         (object_id, text))
        self.write_index(conn, object_id, index)

    @staticmethod
    def write_index(conn: sqlite3.Connection, object_id: int, index: IndexRows) -> None:
        """The index rows of one object (inside the caller's transaction)."""
        conn.executemany("INSERT INTO attribute_index (object, field, value, valid_from, valid_to) "
                         "VALUES (?, ?, ?, ?, ?)", [(object_id, *row) for row in index.attributes])
        conn.executemany("INSERT INTO attribute_trigram (rowid, value) VALUES (?, ?)",
                         index.trigram_rows(object_id))
        conn.executemany("INSERT INTO state_index VALUES (?, ?, ?, ?, ?)",
                         [(object_id, *row) for row in index.states])
        conn.executemany("INSERT INTO relation_index VALUES (?, ?, ?, ?, ?, ?)",
                         [(object_id, *row) for row in index.relations])

    @staticmethod
    def _drop_index(conn: sqlite3.Connection, object_id: int) -> None:
        conn.execute("DELETE FROM attribute_trigram WHERE rowid BETWEEN ? AND ?",
                     (object_id * TRIGRAM_KEYS, object_id * TRIGRAM_KEYS + TRIGRAM_KEYS - 1))
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
