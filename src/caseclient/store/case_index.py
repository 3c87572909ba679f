"""The local case index: the user's working set of cases, searchable as they type.

It holds the user's own cases (synced from the document service), favourites and the cases they
filed on lately, not the organisation's millions (a real LoRa returns ~84 full cases a second).
Search is SQLite FTS5 over case number, title and party names, plus a case-number prefix match.
CPR and CVR numbers are never stored in clear: each party number is kept as an HMAC under a key
the caller brings (from the OS keyring), and a search matches them only on a complete number.

The index lives in its own file: it is a cache that can be rebuilt from the service at any time,
kept apart from the outbox, whose rows must never be lost.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import fields
from pathlib import Path

from ..domain import Case, Cpr, Cvr, Party, PartyRole, is_cpr, is_cvr
from .database import Database, Migration

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "cases of the working set, their search text, party number hashes, favourites and recent",
        """
        CREATE TABLE indexed_case (
            id TEXT PRIMARY KEY,
            number TEXT NOT NULL,
            number_folded TEXT NOT NULL,
            title TEXT NOT NULL,
            payload TEXT NOT NULL,
            mine INTEGER NOT NULL DEFAULT 0,
            favourite INTEGER NOT NULL DEFAULT 0,
            last_filed_at REAL,
            synced_at REAL NOT NULL
        );
        CREATE INDEX indexed_case_number ON indexed_case (number_folded);
        CREATE VIRTUAL TABLE case_text USING fts5 (number, title, party_names, tokenize = 'unicode61');
        CREATE TABLE party_hash (
            case_id TEXT NOT NULL REFERENCES indexed_case (id) ON DELETE CASCADE,
            hash TEXT NOT NULL,
            PRIMARY KEY (hash, case_id)
        );
        CREATE TABLE index_key (id INTEGER PRIMARY KEY CHECK (id = 1), fingerprint TEXT NOT NULL);
        """,
    ),
    Migration(
        2,
        "party hashes found by case (an upsert replaces them), not by a scan of them all",
        "CREATE INDEX party_hash_case ON party_hash (case_id);",
    ),
    Migration(
        3,
        "search as you type at a million cases: word prefixes up to 12 letters indexed; the working set "
        "(mine, favourites, recent) indexed, and its text in a small text index of its own",
        """
        CREATE VIRTUAL TABLE case_text_prefixed USING fts5 (number, title, party_names, tokenize = 'unicode61',
            prefix = '1 2 3 4 5 6 7 8 9 10 11 12');
        INSERT INTO case_text_prefixed (rowid, number, title, party_names)
            SELECT rowid, number, title, party_names FROM case_text;
        DROP TABLE case_text;
        ALTER TABLE case_text_prefixed RENAME TO case_text;
        CREATE INDEX indexed_case_working_set ON indexed_case (mine, favourite, last_filed_at, number_folded)
            WHERE mine = 1 OR favourite = 1 OR last_filed_at IS NOT NULL;
        CREATE INDEX indexed_case_mine ON indexed_case (number_folded) WHERE mine = 1;
        CREATE INDEX indexed_case_favourite ON indexed_case (number_folded) WHERE favourite = 1;
        CREATE INDEX indexed_case_recent ON indexed_case (last_filed_at) WHERE last_filed_at IS NOT NULL;
        CREATE VIRTUAL TABLE working_text USING fts5 (number, title, party_names, tokenize = 'unicode61');
        INSERT INTO working_text (rowid, number, title, party_names)
            SELECT rowid, number, title, party_names FROM case_text WHERE rowid IN
                (SELECT rowid FROM indexed_case WHERE mine = 1 OR favourite = 1 OR last_filed_at IS NOT NULL);
        """,
    ),
)

WORKING_SET = "(mine = 1 OR favourite = 1 OR last_filed_at IS NOT NULL)"  # as the partial index says
RANK = "mine DESC, favourite DESC, COALESCE(last_filed_at, 0) DESC, number_folded"

SyncProgress = Callable[[int, int | None], None]  # (cases done, total if known)


class CaseIndex:
    def __init__(self, path: Path, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the case index key must be at least 16 bytes")
        self._db = Database(path, MIGRATIONS, synchronous="NORMAL")
        self._key = key
        self._adopt_key()

    def close(self) -> None:
        self._db.close()

    # -- writing ---------------------------------------------------------------------------------

    def upsert(self, cases: Iterable[Case], *, mine: bool | None = None) -> int:
        """Add or refresh cases; `mine` marks (True) or unmarks (False) them as the user's own."""
        now = time.time()
        count = 0
        with self._db.write() as conn:
            for case in cases:
                count += 1
                rowid, working = conn.execute(
                    f"""INSERT INTO indexed_case (id, number, number_folded, title, payload, mine, synced_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT (id) DO UPDATE SET number = excluded.number,
                           number_folded = excluded.number_folded, title = excluded.title,
                           payload = excluded.payload, synced_at = excluded.synced_at,
                           mine = CASE WHEN ? IS NULL THEN indexed_case.mine ELSE excluded.mine END
                       RETURNING rowid, {WORKING_SET}""",
                    (case.id, case.number, case.number.casefold(), case.title, _payload(case),
                     int(bool(mine)), now, mine),
                ).fetchone()
                text = (rowid, case.number, case.title, " ".join(p.name for p in case.parties if p.name))
                conn.execute("DELETE FROM case_text WHERE rowid = ?", (rowid,))
                conn.execute("INSERT INTO case_text (rowid, number, title, party_names) VALUES (?, ?, ?, ?)", text)
                conn.execute("DELETE FROM working_text WHERE rowid = ?", (rowid,))
                if working:
                    conn.execute("INSERT INTO working_text (rowid, number, title, party_names) VALUES (?, ?, ?, ?)", text)
                conn.execute("DELETE FROM party_hash WHERE case_id = ?", (case.id,))
                for h in {self._party_hash(p) for p in case.parties} - {None}:
                    conn.execute("INSERT INTO party_hash (case_id, hash) VALUES (?, ?)", (case.id, h))
        return count

    def sync_mine(self, fetch_pages: Iterable[list[Case]], progress: SyncProgress | None = None) -> int:
        """Replace the set of the user's own cases with what the service now lists, page by page.

        Cases that are no longer the user's are unmarked (and dropped unless favourite or recent).
        """
        started = time.time()
        done = 0
        for page in fetch_pages:
            done += self.upsert(page, mine=True)
            if progress:
                progress(done, None)
        with self._db.write() as conn:
            conn.execute("UPDATE indexed_case SET mine = 0 WHERE mine = 1 AND synced_at < ?", (started,))
            conn.execute(f"""DELETE FROM working_text WHERE rowid NOT IN
                             (SELECT rowid FROM indexed_case INDEXED BY indexed_case_working_set WHERE {WORKING_SET})""")
            self._drop_unused(conn)
        return done

    def set_favourite(self, case: Case, favourite: bool) -> None:
        self.upsert([case])
        with self._db.write() as conn:
            rowid = conn.execute("UPDATE indexed_case SET favourite = ? WHERE id = ? RETURNING rowid",
                                 (int(favourite), case.id)).fetchone()[0]
            self._place_in_working_text(conn, rowid)
            self._drop_unused(conn)

    def mark_filed(self, case: Case, when: float | None = None) -> None:
        self.upsert([case])
        with self._db.write() as conn:
            rowid = conn.execute("UPDATE indexed_case SET last_filed_at = ? WHERE id = ? RETURNING rowid",
                                 (when or time.time(), case.id)).fetchone()[0]
            self._place_in_working_text(conn, rowid)

    # -- reading ---------------------------------------------------------------------------------

    def mine(self) -> list[Case]:
        return self._cases("mine = 1 ORDER BY number_folded")

    def favourites(self) -> list[Case]:
        return self._cases("favourite = 1 ORDER BY number_folded")

    def recent(self, limit: int = 20) -> list[Case]:
        return self._cases("last_filed_at IS NOT NULL ORDER BY last_filed_at DESC LIMIT ?", (limit,))

    def search(self, text: str, limit: int = 50) -> list[Case]:
        """Case-number prefix, title and party-name word prefixes; CPR/CVR on a complete number only.

        The working set (mine, favourites, recent) comes first, all of its matches ranked (its text
        has a small index of its own); then other cases: the first `limit` by case number among the
        number-prefix matches and the first `limit` word matches the text index gives (a million
        cases may match a short word: they are not all read, the user types on to narrow them).
        Text that looks like a case number (a digit first, no space) is matched as one. Text typed
        decomposed (NFD: `a` + a combining ring) is composed first, as the index reads its titles.
        """
        text = unicodedata.normalize("NFC", text).strip()
        if not text:
            return []
        party_hash = self._text_party_hash(text)
        if party_hash:
            return self._cases(
                "id IN (SELECT case_id FROM party_hash WHERE hash = ?) ORDER BY number_folded LIMIT ?",
                (party_hash, limit),
            )
        low = text.casefold()
        words = "" if _looks_like_case_number(text) else _fts_prefix_query(text)
        number = "number_folded >= ? AND number_folded < ?"
        bounds = (low, low + "\U0010ffff")
        in_text = "rowid IN (SELECT rowid FROM working_text WHERE working_text MATCH ?)" if words else "0"
        working = self._cases(
            f"""rowid IN (SELECT rowid FROM indexed_case INDEXED BY indexed_case_working_set
                          WHERE {WORKING_SET} AND ({number} OR {in_text}))
                ORDER BY {RANK} LIMIT ?""",
            (*bounds, *([words] if words else []), limit),
        )
        if len(working) == limit:
            return working
        sources = [f"SELECT rowid FROM (SELECT rowid FROM indexed_case WHERE {number} ORDER BY number_folded LIMIT ?)"]
        params: list = [*bounds, limit]
        if words:
            sources.append("SELECT rowid FROM (SELECT rowid FROM case_text WHERE case_text MATCH ? LIMIT ?)")
            params += [words, limit]
        others = self._cases(f"rowid IN ({' UNION ALL '.join(sources)}) ORDER BY {RANK} LIMIT ?", (*params, limit))
        seen = {c.id for c in working}
        return (working + [c for c in others if c.id not in seen])[:limit]

    def count(self) -> int:
        with self._db.read() as conn:
            return conn.execute("SELECT count(*) FROM indexed_case").fetchone()[0]

    # -- helpers ---------------------------------------------------------------------------------

    def _adopt_key(self) -> None:
        """Party hashes made under another key (a new keyring, a reinstall) can never match again:
        drop them; the next sync of those cases makes them anew."""
        fingerprint = self._hash("key", "fingerprint")
        with self._db.write() as conn:
            row = conn.execute("SELECT fingerprint FROM index_key WHERE id = 1").fetchone()
            if row is None or row[0] != fingerprint:
                conn.execute("DELETE FROM party_hash")
                conn.execute("INSERT OR REPLACE INTO index_key (id, fingerprint) VALUES (1, ?)", (fingerprint,))

    def _cases(self, where: str, params: tuple = ()) -> list[Case]:
        with self._db.read() as conn:
            rows = conn.execute(f"SELECT payload FROM indexed_case WHERE {where}", params).fetchall()
        return [_case_from_payload(r[0]) for r in rows]

    @staticmethod
    def _place_in_working_text(conn, rowid: int) -> None:
        """Keep the working set's own text index in step with the case's text and flags."""
        conn.execute("DELETE FROM working_text WHERE rowid = ?", (rowid,))
        conn.execute(
            f"""INSERT INTO working_text (rowid, number, title, party_names)
                SELECT rowid, number, title, party_names FROM case_text
                WHERE rowid = ? AND EXISTS (SELECT 1 FROM indexed_case WHERE rowid = ? AND {WORKING_SET})""",
            (rowid, rowid),
        )

    @staticmethod
    def _drop_unused(conn) -> None:
        stale = "mine = 0 AND favourite = 0 AND last_filed_at IS NULL"
        conn.execute(f"DELETE FROM case_text WHERE rowid IN (SELECT rowid FROM indexed_case WHERE {stale})")
        conn.execute(f"DELETE FROM indexed_case WHERE {stale}")

    def _hash(self, kind: str, digits: str) -> str:
        return hmac.new(self._key, f"{kind}:{digits}".encode(), hashlib.sha256).hexdigest()

    def _party_hash(self, party: Party) -> str | None:
        if party.cpr:
            return self._hash("cpr", party.cpr.digits)
        if party.cvr:
            return self._hash("cvr", party.cvr.digits)
        return None

    def _text_party_hash(self, text: str) -> str | None:
        compact = text.replace(" ", "")
        if is_cpr(compact):
            return self._hash("cpr", Cpr(compact).digits)
        if is_cvr(compact):
            return self._hash("cvr", Cvr.parse(compact).digits)
        return None


def _looks_like_case_number(text: str) -> bool:
    """27.24, 27.24.00-G01-1-24: a digit first and no space (its parts are no words to look up)."""
    return text[0].isdigit() and not any(c.isspace() for c in text)


def _fts_prefix_query(text: str) -> str:
    """Every word of the text as an FTS5 prefix term, quoted so that no input is FTS syntax."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


_CASE_FIELDS = [f for f in fields(Case) if f.name != "parties"]


def _payload(case: Case) -> str:
    """The case as JSON for the index, with party CPR/CVR numbers left out (they live as hashes)."""
    data = {f.name: getattr(case, f.name) for f in _CASE_FIELDS}  # flat values: no deep copy (asdict)
    data["parties"] = [
        {"name": p.name, "email": p.email, "role": p.role.value, "has_cpr": p.cpr is not None,
         "cvr": p.cvr.digits if p.cvr else None}
        for p in case.parties
    ]
    return json.dumps(data, ensure_ascii=False)


def _case_from_payload(payload: str) -> Case:
    data = json.loads(payload)
    parties = []
    for p in data.pop("parties"):
        name = p["name"] or (None if p["email"] or p["cvr"] else "CPR")
        parties.append(Party(name=name, email=p["email"], cvr=Cvr(p["cvr"]) if p["cvr"] else None,
                             role=PartyRole(p["role"])))
    return Case(**data, parties=tuple(parties))
