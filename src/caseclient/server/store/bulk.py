"""Bulk loading of many new objects (the demo data): one transaction, rows written in batches.

Into an empty database the secondary indexes and the trigram index are built once at the end,
which is many times faster than growing them row by row.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from .database import INDEXES, Database, create_indexes, encode
from .index import TRIGRAM_FIELDS, TRIGRAM_KEYS, TRIGRAM_SEPARATOR, rows
from .model import OioClass
from .registration import Registration

BATCH = 5000


def bulk_insert(db: Database, cls: OioClass, objects: Iterable[tuple[str, Registration]]) -> int:
    """Insert new objects (uuids not yet stored) in one transaction; returns how many."""
    count = 0
    with db.transaction() as conn:
        empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM objects)").fetchone()[0]
        if empty:
            for name in INDEXES:
                conn.execute(f"DROP INDEX IF EXISTS {name}")
        next_object, next_attribute = conn.execute(
            "SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM objects), "
            "(SELECT COALESCE(MAX(id), 0) + 1 FROM attribute_index)").fetchone()
        batch: dict[str, list[tuple]] = {"objects": [], "registrations": [],
                                         "attributes": [], "trigrams": [], "states": [],
                                         "relations": []}
        for uuid, registration in objects:
            index = rows(cls, registration)
            batch["objects"].append((next_object, cls.path, uuid.lower(),
                                     registration["livscykluskode"], index.bvn,
                                     index.stable_since))
            batch["registrations"].append((next_object, encode(registration)))
            for field, value, start, end in index.attributes:
                batch["attributes"].append((next_attribute, next_object, field, value, start,
                                            end))
                next_attribute += 1
            if not empty:
                batch["trigrams"].extend(index.trigram_rows(next_object))
            batch["states"].extend((next_object, *row) for row in index.states)
            batch["relations"].extend((next_object, *row) for row in index.relations)
            next_object += 1
            count += 1
            if len(batch["objects"]) >= BATCH:
                _flush(conn, batch)
        _flush(conn, batch)
        if empty:
            codes = " ".join(f"WHEN '{f}' THEN {c}" for f, c in TRIGRAM_FIELDS.items())
            conn.execute(
                "INSERT INTO attribute_trigram (rowid, value) "
                f"SELECT object * {TRIGRAM_KEYS} + CASE field {codes} END, "
                "group_concat(value, ?) FROM (SELECT object, field, value FROM "
                "attribute_index WHERE field IN (SELECT value FROM json_each(?)) ORDER BY id) "
                "GROUP BY object, field", (TRIGRAM_SEPARATOR, json.dumps(list(TRIGRAM_FIELDS))))
            create_indexes(conn)
            conn.execute("ANALYZE")
    return count


def _flush(conn: sqlite3.Connection, batch: dict[str, list[tuple]]) -> None:
    conn.executemany("INSERT INTO objects (id, class, uuid, lifecycle, bvn, stable_since) "
                     "VALUES (?, ?, ?, ?, ?, ?)", batch["objects"])
    conn.executemany("INSERT INTO registrations (object, registration) VALUES (?, ?)",
                     batch["registrations"])
    conn.executemany("INSERT INTO attribute_index VALUES (?, ?, ?, ?, ?, ?)",
                     batch["attributes"])
    conn.executemany("INSERT INTO attribute_trigram (rowid, value) VALUES (?, ?)",
                     batch["trigrams"])
    conn.executemany("INSERT INTO state_index VALUES (?, ?, ?, ?, ?)", batch["states"])
    conn.executemany("INSERT INTO relation_index VALUES (?, ?, ?, ?, ?, ?)",
                     batch["relations"])
    for pending in batch.values():
        pending.clear()
