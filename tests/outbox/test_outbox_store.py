"""The SQLite store: migrations, the outbox's transitions, CPR at rest, the ledger."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest

from caseclient.domain import Case, Cpr, DocumentMetadata, DocumentRef, InputError, Party
from caseclient.store import (
    MIGRATIONS,
    Database,
    FilingLedger,
    Migration,
    Outbox,
    OutboxStatus,
    PauseReason,
    SchemaTooNew,
    open_database,
    outbox_files_dir,
)

CPR = "0101701234"
CASE = Case(id="c1", number="27.24.00-G01-1-24", title="Byggesag")


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = open_database(tmp_path)
    yield database
    database.close()


@pytest.fixture
def outbox(db: Database, tmp_path: Path) -> Outbox:
    return Outbox(db, outbox_files_dir(tmp_path))


def _metadata(title: str = f"Ansøgning fra {CPR}", message_id: str | None = None) -> DocumentMetadata:
    return DocumentMetadata(
        title=title, document_date=date(2024, 1, 15), parties=(Party(name="Borger", cpr=Cpr(CPR)),),
        message_id=message_id,
    )


def _queue(outbox: Outbox, tmp_path: Path, content: bytes = b"letter", **kw):
    source = tmp_path / f"letter-{len(list(tmp_path.iterdir()))}.pdf"
    source.write_bytes(content)
    return outbox.enqueue(CASE, outbox.stage(source), _metadata(**kw))


def test_a_new_database_is_private_in_wal_mode_at_the_latest_schema(db: Database) -> None:
    assert db.schema_version == len(MIGRATIONS)
    assert stat.S_IMODE(db.path.stat().st_mode) == 0o600
    with db.read() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_migrations_apply_once_and_in_order(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    first = (Migration(1, "t", "CREATE TABLE t (a INTEGER);"),)
    Database(path, first).close()
    second = first + (Migration(2, "t.b", "ALTER TABLE t ADD COLUMN b TEXT;\nINSERT INTO t (a, b) VALUES (1, 'x');"),)
    db = Database(path, second)
    assert db.schema_version == 2
    db.close()
    db = Database(path, second)  # reopening applies nothing twice
    with db.read() as conn:
        assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 1
    db.close()


def test_a_failing_migration_leaves_the_file_at_its_old_version(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    first = (Migration(1, "t", "CREATE TABLE t (a INTEGER);"),)
    Database(path, first).close()
    broken = first + (Migration(2, "bad", "ALTER TABLE t ADD COLUMN b TEXT;\nINSERT INTO nowhere VALUES (1);"),)
    with pytest.raises(sqlite3.OperationalError):
        Database(path, broken)
    db = Database(path, first)
    assert db.schema_version == 1
    with db.read() as conn:
        assert [r[1] for r in conn.execute("PRAGMA table_info(t)")] == ["a"]
    db.close()


def test_a_database_from_a_newer_caseclient_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    two = (Migration(1, "a", "CREATE TABLE a (x);"), Migration(2, "b", "CREATE TABLE b (x);"))
    Database(path, two).close()
    with pytest.raises(SchemaTooNew, match="newer than this caseclient"):
        Database(path, two[:1])


def test_enqueue_copies_the_file_privately_with_its_hash_and_a_fixed_key(outbox: Outbox, tmp_path: Path) -> None:
    item = _queue(outbox, tmp_path, b"hello")
    assert item.status is OutboxStatus.QUEUED
    assert item.source_path.read_bytes() == b"hello"
    assert item.source_path.parent == outbox.files_dir
    assert stat.S_IMODE(item.source_path.stat().st_mode) == 0o600
    assert item.sha256 == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    assert item.metadata() == _metadata()
    assert item.title == "Ansøgning fra 010170-xxxx"  # what lists and logs get to see
    claimed = outbox.claim_next()
    outbox.schedule_retry(claimed.id, 0, "transient", "down", outcome_unknown=True)
    assert outbox.get(item.id).idempotency_key == item.idempotency_key


def test_durable_writes_flush_the_log_and_others_do_not(db: Database) -> None:
    with db.write(durable=True) as conn:
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    with db.write() as conn:
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_the_worker_hears_of_a_big_item_before_its_copy_is_flushed_and_of_a_small_one_after(
    outbox: Outbox, tmp_path: Path
) -> None:
    heard = []
    outbox.add_listener(lambda item_id: heard.append(outbox.get(item_id).copy_flushed))
    big = tmp_path / "big.pdf"
    big.write_bytes(os.urandom(9 * 1024 * 1024))
    item = outbox.enqueue(CASE, outbox.stage(big), _metadata())
    assert heard == [False]  # the worker may start the upload while the copy goes to disk
    assert outbox.get(item.id).copy_flushed  # and enqueue returns once it is there
    small = _queue(outbox, tmp_path, b"scan")
    assert heard == [False, True]  # flushed in a moment, before anyone hears of it
    assert outbox.get(small.id).copy_flushed


def test_a_copy_the_disk_refuses_to_flush_stays_queued_and_is_checked_later(
    outbox: Outbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def failing_disk(path: Path) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO), str(path))

    monkeypatch.setattr("caseclient.store.outbox._flush", failing_disk)
    item = _queue(outbox, tmp_path, b"scan")
    queued = outbox.get(item.id)
    assert (queued.status, queued.copy_flushed) == (OutboxStatus.QUEUED, False)
    assert queued.source_path.read_bytes() == b"scan"
    assert "could not be flushed to disk" in caplog.text
    monkeypatch.undo()
    outbox.recover_interrupted()  # the next start: intact, so flushed now
    assert outbox.get(item.id).copy_flushed


def _counting_flushes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    from caseclient.store import outbox as module

    flushed: list[Path] = []
    real = module._flush

    def counted(path: Path) -> None:
        flushed.append(path)
        real(path)

    monkeypatch.setattr(module, "_flush", counted)
    return flushed


def test_a_big_copy_filed_within_its_grace_is_never_flushed(
    outbox: Outbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed = _counting_flushes(monkeypatch)
    source = tmp_path / "big.pdf"
    source.write_bytes(os.urandom(9 * 1024 * 1024))
    queued = threading.Event()
    outbox.add_listener(lambda item_id: queued.set())
    with ThreadPoolExecutor(1) as pool:
        enqueuing = pool.submit(outbox.enqueue, CASE, outbox.stage(source), _metadata(), flush_grace=60.0)
        assert queued.wait(10)
        claimed = outbox.claim_next()  # a worker of this process files it
        outbox.mark_done(claimed.id, DocumentRef(id="d1", case_id=CASE.id, title=claimed.title))
        item = enqueuing.result(10)  # returns at once: the document is on the service
    assert flushed == [] and outbox.get(item.id).status is OutboxStatus.DONE


def test_a_big_copy_not_filed_within_its_grace_is_flushed_and_a_small_one_at_once(
    outbox: Outbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed = _counting_flushes(monkeypatch)
    big, small = tmp_path / "big.pdf", tmp_path / "small.pdf"
    big.write_bytes(os.urandom(9 * 1024 * 1024))
    small.write_bytes(b"%PDF-1.4 small")
    waited = outbox.enqueue(CASE, outbox.stage(big), _metadata(), flush_grace=0.01)
    at_once = outbox.enqueue(CASE, outbox.stage(small), _metadata(), flush_grace=3600.0)
    assert flushed == [waited.source_path, at_once.source_path]
    assert outbox.get(waited.id).copy_flushed and outbox.get(at_once.id).copy_flushed


def _unflushed(outbox: Outbox, db: Database, tmp_path: Path, content: bytes):
    item = _queue(outbox, tmp_path, content)
    with db.write() as conn:  # as if the computer stopped before the copy reached the disk
        conn.execute("UPDATE outbox_item SET copy_flushed = 0 WHERE id = ?", (item.id,))
    return item


def test_recovery_keeps_an_intact_unflushed_copy_and_fails_a_lost_one_with_a_sentence(
    outbox: Outbox, db: Database, tmp_path: Path
) -> None:
    intact = _unflushed(outbox, db, tmp_path, b"intact scan")
    truncated = _unflushed(outbox, db, tmp_path, b"truncated scan")
    truncated.source_path.write_bytes(b"trunc")
    missing = _unflushed(outbox, db, tmp_path, b"missing scan")
    missing.source_path.unlink()
    outbox.recover_interrupted()
    kept = outbox.get(intact.id)
    assert (kept.status, kept.copy_flushed) == (OutboxStatus.QUEUED, True)
    for lost in (truncated, missing):
        failed = outbox.get(lost.id)
        assert failed.status is OutboxStatus.FAILED
        assert failed.last_error == (f"caseclient's copy of {lost.filename} was lost when the computer stopped "
                                     "before it was saved; add the document again.")
        assert not lost.source_path.exists()


def test_a_big_file_is_hashed_while_it_is_copied(outbox: Outbox, tmp_path: Path) -> None:
    content = os.urandom(9 * 1024 * 1024 + 3)
    source = tmp_path / "scan.pdf"
    source.write_bytes(content)
    staged = outbox.stage(source)
    assert (staged.size, staged.sha256) == (len(content), hashlib.sha256(content).hexdigest())
    assert staged.path.read_bytes() == content
    assert stat.S_IMODE(staged.path.stat().st_mode) == 0o600


def test_unreadable_input_gets_one_sentence_naming_the_file(outbox: Outbox, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.pdf does not exist"):
        outbox.stage(tmp_path / "missing.pdf")
    with pytest.raises(InputError, match="is a folder"):
        outbox.stage(tmp_path)
    assert list(outbox.files_dir.iterdir()) == []


def test_claim_takes_due_items_in_order_and_respects_pause(outbox: Outbox, tmp_path: Path) -> None:
    a, b = _queue(outbox, tmp_path, b"a"), _queue(outbox, tmp_path, b"b")
    outbox.pause()
    assert outbox.claim_next() is None
    assert outbox.queue_state().reason is PauseReason.USER
    outbox.resume()
    first = outbox.claim_next()
    assert (first.id, first.status, first.attempts) == (a.id, OutboxStatus.UPLOADING, 1)
    outbox.schedule_retry(first.id, first.next_attempt_at + 3600, "transient", "later", outcome_unknown=False)
    assert outbox.claim_next().id == b.id
    assert outbox.claim_next() is None  # a is not due yet
    assert outbox.next_due_at() == pytest.approx(first.next_attempt_at + 3600)


def test_a_crash_leaves_uploading_items_that_recovery_marks_as_possibly_landed(
    outbox: Outbox, tmp_path: Path
) -> None:
    item = _queue(outbox, tmp_path)
    outbox.claim_next()
    outbox.resume_state(item.id).put("oio.document_uuid", "u1")
    assert outbox.recover_interrupted() == 1
    again = outbox.get(item.id)
    assert (again.status, again.outcome_unknown) == (OutboxStatus.QUEUED, True)
    assert outbox.resume_state(item.id).get("oio.document_uuid") == "u1"


def test_done_records_the_ledger_masks_cpr_and_deletes_the_copy(outbox: Outbox, db: Database, tmp_path: Path) -> None:
    item = _queue(outbox, tmp_path, message_id="<m1@x>")
    outbox.claim_next()
    done = outbox.mark_done(item.id, DocumentRef(id="d1", case_id=CASE.id, title=item.title))
    assert (done.status, done.document_id) == (OutboxStatus.DONE, "d1")
    assert not item.source_path.exists()
    with db.read() as conn:
        everything = "\n".join(str(tuple(r)) for t in ("outbox_item", "filing_ledger", "outbox_resume_state")
                               for r in conn.execute(f"SELECT * FROM {t}"))
    assert CPR not in everything
    assert json.loads(done.metadata_json)["parties"][0]["cpr_masked"] == "010170-xxxx"
    entry = FilingLedger(db).find(CASE.id, "no such hash", "<m1@x>")
    assert (entry.document_id, entry.case_number, entry.title) == ("d1", CASE.number, "Ansøgning fra 010170-xxxx")
    assert FilingLedger(db).find(CASE.id, item.sha256, None).document_id == "d1"
    assert FilingLedger(db).find("other case", item.sha256, "<m1@x>") is None


def test_cancel_retry_hold_and_release(outbox: Outbox, tmp_path: Path) -> None:
    item = _queue(outbox, tmp_path)
    assert outbox.hold(item.id).status is OutboxStatus.PAUSED
    assert outbox.claim_next() is None
    assert outbox.release(item.id).status is OutboxStatus.QUEUED
    assert outbox.cancel(item.id).status is OutboxStatus.CANCELLED
    with pytest.raises(ValueError, match="is cancelled and cannot be paused"):
        outbox.hold(item.id)
    again = outbox.retry(item.id)
    assert (again.status, again.idempotency_key, again.cancel_requested) == (
        OutboxStatus.QUEUED, item.idempotency_key, False)
    claimed = outbox.claim_next()
    cancelling = outbox.cancel(claimed.id)  # uploading: only requested
    assert (cancelling.status, cancelling.cancel_requested) == (OutboxStatus.UPLOADING, True)
    outbox.mark_failed(claimed.id, "validation", "The service refused the title.")
    assert outbox.retry_all_failed() == 1
    assert outbox.cancel_all() == 1
    assert outbox.counts()[OutboxStatus.CANCELLED] == 1


def test_purge_removes_finished_items_and_their_copies(outbox: Outbox, tmp_path: Path) -> None:
    item = _queue(outbox, tmp_path)
    outbox.cancel(item.id)
    waiting = _queue(outbox, tmp_path, b"other")
    assert outbox.purge_finished(before=item.created_at + 10**6) == 1
    assert not item.source_path.exists()
    assert [i.id for i in outbox.items()] == [waiting.id]
