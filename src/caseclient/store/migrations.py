"""The numbered schema of caseclient's database. Append new migrations; never edit a released one."""

from __future__ import annotations

from .database import Migration

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "outbox, its resume state and queue state; the filing ledger",
        """
        CREATE TABLE outbox_item (
            id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL,
            case_number TEXT NOT NULL,
            metadata TEXT NOT NULL,
            source_path TEXT NOT NULL,
            filename TEXT NOT NULL,
            mime_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            message_id TEXT,
            idempotency_key TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL CHECK (status IN
                ('queued', 'uploading', 'paused', 'done', 'failed', 'cancelled')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at REAL NOT NULL,
            last_error_code TEXT,
            last_error TEXT,
            outcome_unknown INTEGER NOT NULL DEFAULT 0,
            remote_checked INTEGER NOT NULL DEFAULT 0,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            document_id TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            finished_at REAL
        );
        CREATE INDEX outbox_item_due ON outbox_item (status, next_attempt_at);
        CREATE INDEX outbox_item_case_sha256 ON outbox_item (case_id, sha256);
        CREATE INDEX outbox_item_case_message_id ON outbox_item (case_id, message_id);

        CREATE TABLE outbox_resume_state (
            item_id INTEGER NOT NULL REFERENCES outbox_item (id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (item_id, key)
        );

        CREATE TABLE outbox_queue (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            paused INTEGER NOT NULL DEFAULT 0,
            reason TEXT
        );
        INSERT INTO outbox_queue (id, paused) VALUES (1, 0);

        CREATE TABLE filing_ledger (
            id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL,
            case_number TEXT NOT NULL,
            document_id TEXT NOT NULL,
            title TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            message_id TEXT,
            filed_at REAL NOT NULL,
            outbox_item_id INTEGER UNIQUE
        );
        CREATE INDEX filing_ledger_case_sha256 ON filing_ledger (case_id, sha256);
        CREATE INDEX filing_ledger_case_message_id ON filing_ledger (case_id, message_id);
        """,
    ),
    Migration(
        2,
        "outbox copies are flushed to disk after their item is queued",
        """
        ALTER TABLE outbox_item ADD COLUMN copy_flushed INTEGER NOT NULL DEFAULT 1;
        """,
    ),
    Migration(
        3,
        "every outbox item records the document service (kind and address) it was queued for",
        """
        ALTER TABLE outbox_item ADD COLUMN service_kind TEXT;
        ALTER TABLE outbox_item ADD COLUMN service_url TEXT;
        """,
    ),
)
