"""The filing ledger: what this installation has filed, where and when (for the duplicate guard).

It holds no CPR numbers: titles are masked, and a Message-ID holding one is kept as a digest
(compared as such), before they are written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ..domain import redact_cprs
from ..redaction import cpr_free_key
from .database import Database

if TYPE_CHECKING:
    from .outbox import OutboxItem


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    case_id: str
    case_number: str
    document_id: str
    title: str
    sha256: str
    message_id: str | None
    filed_at: datetime


class FilingLedger:
    def __init__(self, db: Database) -> None:
        self.db = db

    def find(self, case_id: str, sha256: str, message_id: str | None) -> LedgerEntry | None:
        """The earliest filing on this case of the same content or the same Message-ID."""
        with self.db.read() as conn:
            row = conn.execute(
                """SELECT * FROM filing_ledger WHERE case_id = ?
                   AND (sha256 = ? OR (message_id IS NOT NULL AND message_id = ?))
                   ORDER BY filed_at LIMIT 1""",
                (case_id, sha256, cpr_free_key(message_id)),
            ).fetchone()
        return _entry(row) if row else None

    def entries_for_case(self, case_id: str) -> list[LedgerEntry]:
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM filing_ledger WHERE case_id = ? ORDER BY filed_at", (case_id,)
            ).fetchall()
        return [_entry(r) for r in rows]


def record_filing(conn: sqlite3.Connection, item: "OutboxItem", document_id: str, filed_at: float) -> None:
    """Write the ledger row for a filed outbox item, inside the caller's transaction."""
    conn.execute(
        """INSERT OR IGNORE INTO filing_ledger
               (case_id, case_number, document_id, title, sha256, message_id, filed_at, outbox_item_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            item.case_id, item.case_number, document_id, redact_cprs(item.title), item.sha256,
            cpr_free_key(item.message_id), filed_at, item.id,
        ),
    )


def _entry(row: sqlite3.Row) -> LedgerEntry:
    return LedgerEntry(
        case_id=row["case_id"],
        case_number=row["case_number"],
        document_id=row["document_id"],
        title=row["title"],
        sha256=row["sha256"],
        message_id=row["message_id"],
        filed_at=datetime.fromtimestamp(row["filed_at"], tz=timezone.utc),
    )
