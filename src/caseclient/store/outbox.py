"""The outbox: every document waiting to be filed, one row each, durable across crashes.

An item moves queued → uploading → done | failed | cancelled (or is held as paused by the user).
Its idempotency key is made at enqueue and never changes, so every retry of the same item is the
same upload to the backend. The backend's resume state is written through :class:`OutboxResumeState`
in its own committed transaction (flushed to disk unless the backend says it can do without),
i.e. before the call it protects. The source file is copied into
the private data folder at enqueue, so moving or editing the original changes nothing.

Durability: :meth:`Outbox.enqueue` returns once the item is on disk and its copy is on disk or
filed (either survives a power cut). A small copy is flushed before the item is inserted; for a big
one the worker may already file the item while the copy is being flushed: the flush no longer
stands between a big file and its upload. A big copy may wait a
moment for its filing first: a copy deleted before it is written back costs no disk writes at all.
An item whose copy was never flushed (the computer stopped in that moment) is checked against its
sha256 when the worker starts again.
"""

from __future__ import annotations

import enum
import errno
import json
import logging
import mimetypes
import os
import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from ..domain import CHUNK, Case, DocumentMetadata, DocumentRef, InputError, UploadSource, redact_cprs, sha256_of
from ..redaction import cpr_free_key
from .database import Database
from .errors import damaged, data_folder_error
from .integrity import CopyOwner, abandoned_copies
from .ledger import record_filing
from .metadata_json import metadata_from_json, metadata_to_json, scrub_metadata_json
from .service_address import ServiceAddress


log = logging.getLogger(__name__)


class OutboxStatus(str, enum.Enum):
    QUEUED = "queued"
    UPLOADING = "uploading"
    PAUSED = "paused"  # held back by the user
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (OutboxStatus.DONE, OutboxStatus.FAILED, OutboxStatus.CANCELLED)


_WRITE_FAULTS = {errno.ENOSPC, errno.EROFS, getattr(errno, "EDQUOT", errno.ENOSPC)}  # never a reader's
_NEW_PRIVATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


class PauseReason(str, enum.Enum):
    USER = "user"
    AUTH = "auth"  # the service refused our credentials


@dataclass(frozen=True, slots=True)
class QueueState:
    paused: bool
    reason: PauseReason | None


@dataclass(frozen=True, slots=True)
class StagedFile:
    """A source file copied into the outbox folder, hashed, not yet queued."""

    path: Path
    filename: str
    mime_type: str
    size: int
    sha256: str
    flushed: bool = False  # already on disk (see Outbox.flush)


@dataclass(frozen=True, slots=True)
class OutboxItem:
    id: int
    case_id: str
    case_number: str
    title: str
    metadata_json: str
    source_path: Path
    filename: str
    mime_type: str
    size: int
    sha256: str
    message_id: str | None
    idempotency_key: str
    status: OutboxStatus
    attempts: int
    next_attempt_at: float
    last_error_code: str | None
    last_error: str | None
    outcome_unknown: bool  # an earlier attempt may have landed: ask the backend first
    remote_checked: bool  # the server was searched for a duplicate (or the user insisted)
    copy_flushed: bool  # the copy is on disk, not only in the operating system's cache
    cancel_requested: bool
    document_id: str | None
    created_at: float
    updated_at: float
    finished_at: float | None
    service: ServiceAddress | None = None  # None: queued before caseclient recorded the service

    def metadata(self) -> DocumentMetadata:
        return metadata_from_json(self.metadata_json)

    def source(self) -> UploadSource:
        return UploadSource(self.source_path, self.filename, self.mime_type, self.size, self.sha256)

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> "OutboxItem":
        return cls(
            id=row["id"],
            case_id=row["case_id"],
            case_number=row["case_number"],
            title=redact_cprs(json.loads(row["metadata"])["title"]),
            metadata_json=row["metadata"],
            source_path=Path(row["source_path"]),
            filename=row["filename"],
            mime_type=row["mime_type"],
            size=row["size"],
            sha256=row["sha256"],
            message_id=row["message_id"],
            idempotency_key=row["idempotency_key"],
            status=OutboxStatus(row["status"]),
            attempts=row["attempts"],
            next_attempt_at=row["next_attempt_at"],
            last_error_code=row["last_error_code"],
            last_error=row["last_error"],
            outcome_unknown=bool(row["outcome_unknown"]),
            remote_checked=bool(row["remote_checked"]),
            copy_flushed=bool(row["copy_flushed"]),
            cancel_requested=bool(row["cancel_requested"]),
            document_id=row["document_id"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            finished_at=row["finished_at"],
            service=_service_of(row),
        )


def _service_of(row: sqlite3.Row) -> ServiceAddress | None:
    keys = row.keys()
    if "service_url" not in keys or row["service_url"] is None:
        return None
    return ServiceAddress(row["service_kind"] or "", row["service_url"])


_FOR_SERVICE = "(service_url IS NULL OR (service_kind = ? AND service_url = ?))"


def _service_args(service: ServiceAddress | None) -> tuple[str, ...]:
    return () if service is None else (service.kind, service.url)


class UnknownItem(LookupError):
    pass


PARALLEL_HASH_BYTES = 8 * CHUNK  # from this size on, a file is hashed while the kernel copies it


def _flush(path: Path) -> None:
    """Flush a file (and on POSIX its folder, which holds its new name) to disk."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))  # Windows flushes writable handles only
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    if os.name == "posix":
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class Outbox:
    """The queue of documents to file. Thread-safe; listeners hear of every change (item id, or
    None for the whole queue) after it is committed."""

    undo_window_s = 0.0  # a new item's upload waits this long (the undo window: store.undo)

    def __init__(
        self, db: Database, files_dir: Path, *, now: Callable[[], float] = time.time,
        service: ServiceAddress | None = None,
    ) -> None:
        self.db = db
        self.service = service  # what enqueue records when its caller names no service
        self.files_dir = Path(files_dir)
        try:
            self.files_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise data_folder_error(error, self.files_dir.parent) or error from None
        self._owner = CopyOwner(self.files_dir)
        self._now = now
        self._listeners: list[Callable[[int | None], None]] = []
        self._filed_signals: dict[int, threading.Event] = {}  # big copies waiting for their filing
        self._delete_abandoned_copies()

    def _delete_abandoned_copies(self) -> None:
        """Copies a process killed while queueing left behind (named by no item) are deleted."""
        def named() -> set[str]:
            with self.db.read() as conn:
                return {row[0] for row in conn.execute("SELECT source_path FROM outbox_item")}

        try:
            abandoned = abandoned_copies(self.files_dir, named)
            for copy in abandoned:
                copy.unlink(missing_ok=True)
        except OSError as error:  # a read-only folder: they wait for a start that can delete them
            log.info("outbox: copies left by a stopped process stay for now (%s)", error.strerror or error)
            return
        if abandoned:
            log.info("outbox: deleted %d cop%s left by a process stopped while queueing", len(abandoned),
                     "y" if len(abandoned) == 1 else "ies")

    def now(self) -> float:
        """The outbox's time (seconds since the epoch): due times are compared against it."""
        return self._now()

    # -- listening ---------------------------------------------------------------------------

    def add_listener(self, listener: Callable[[int | None], None]) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[int | None], None]) -> None:
        self._listeners.remove(listener)

    def _changed(self, item_id: int | None) -> None:
        for listener in list(self._listeners):
            listener(item_id)

    # -- enqueue -----------------------------------------------------------------------------

    def stage(self, path: Path, *, filename: str | None = None, mime_type: str | None = None) -> StagedFile:
        """Copy `path` into the outbox folder (in the kernel where it can; a big file is hashed
        meanwhile); :meth:`enqueue` flushes the copy. InputError names the file and the problem
        when it cannot be read, or when it changed while it was copied."""
        path = Path(path)
        if path.is_dir():
            raise InputError(f"{path} is a folder, not a file.")
        target = self.files_dir / self._owner.name(str(uuid.uuid4()))
        try:
            os.close(os.open(target, _NEW_PRIVATE, 0o600))  # copyfile keeps this mode
        except OSError as error:
            self._owner.settled(target.name)
            raise data_folder_error(error, self.files_dir.parent) or error from None
        try:
            return self._copy_in(path, target, filename, mime_type)
        except BaseException:
            self._owner.settled(target.name)
            raise

    def _copy_in(self, path: Path, target: Path, filename: str | None, mime_type: str | None) -> StagedFile:
        try:
            before = path.stat()
            if before.st_size < PARALLEL_HASH_BYTES:
                shutil.copyfile(path, target)
                sha256, size = sha256_of(target)
            else:
                with ThreadPoolExecutor(1, thread_name_prefix="outbox-copy") as pool:
                    copied = pool.submit(shutil.copyfile, path, target)
                    sha256, size = sha256_of(path)
                    copied.result()
            after = path.stat()
        except FileNotFoundError:
            target.unlink(missing_ok=True)
            raise InputError(f"{path} does not exist.") from None
        except OSError as e:
            target.unlink(missing_ok=True)
            ours = data_folder_error(e, self.files_dir.parent)
            if ours is not None and (e.errno in _WRITE_FAULTS or e.filename in (str(target), target)):
                raise ours from None  # the data folder's fault, not the source file's
            raise InputError(f"{path} cannot be read ({e.strerror or e}).") from None
        if (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns) or size != after.st_size:
            target.unlink(missing_ok=True)
            raise InputError(f"{path} changed while it was being queued; add it again once it is complete.")
        name = filename or path.name
        mime = mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        return StagedFile(target, name, mime, size, sha256)

    def flush(self, staged: StagedFile) -> StagedFile:
        """Flush a staged copy to disk now, for a caller that holds a lock around :meth:`enqueue`
        and wants the flush outside it. A copy the disk refuses stays unflushed (enqueue tries)."""
        try:
            _flush(staged.path)
        except OSError as error:
            log.info("outbox: a staged copy could not be flushed yet (%s)", error.strerror or type(error).__name__)
            return staged
        return replace(staged, flushed=True)

    def discard(self, staged: StagedFile) -> None:
        staged.path.unlink(missing_ok=True)
        self._owner.settled(staged.path.name)

    def enqueue(
        self, case: Case, staged: StagedFile, metadata: DocumentMetadata, *, remote_checked: bool = False,
        flush_grace: float = 0.0, service: ServiceAddress | None = None,
    ) -> OutboxItem:
        """Queue a staged file. Returns when the item is on disk and its copy is on disk or filed;
        the worker hears of a big item (and may start filing it) before its copy is flushed.
        `flush_grace`: how long a big copy waits for a worker of this process to file it before it
        is flushed (give it only while such a worker runs). `service`: the service the item is for
        (default: the outbox's own `service`)."""
        service = service or self.service
        if not staged.flushed and staged.size < PARALLEL_HASH_BYTES:
            staged = self.flush(staged)  # a small copy is flushed in a moment: before the worker hears
        now = self._now()
        try:
            with self.db.write(durable=True) as conn:
                row = conn.execute(
                    """INSERT INTO outbox_item (case_id, case_number, metadata, source_path, filename,
                           mime_type, size, sha256, message_id, idempotency_key, status, next_attempt_at,
                           remote_checked, copy_flushed, created_at, updated_at, service_kind, service_url)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?) RETURNING *""",
                    (
                        case.id, case.number, metadata_to_json(metadata), str(staged.path), staged.filename,
                        staged.mime_type, staged.size, staged.sha256, cpr_free_key(metadata.message_id),
                        str(uuid.uuid4()), now + self.undo_window_s, int(remote_checked), int(staged.flushed),
                        now, now,
                        service.kind if service else None, service.url if service else None,
                    ),
                ).fetchone()
        finally:
            self._owner.settled(staged.path.name)  # named by its item now (or discarded by the caller)
        item = OutboxItem.from_row(row)
        waiting = flush_grace > 0 and staged.size >= PARALLEL_HASH_BYTES and not staged.flushed
        filed = self._filed_signals.setdefault(item.id, threading.Event()) if waiting else None
        try:
            self._changed(item.id)
            if not staged.flushed and not (filed is not None and filed.wait(flush_grace)):
                self._flush_copy(item)
        finally:
            self._filed_signals.pop(item.id, None)
        return item

    def _flush_copy(self, item: OutboxItem) -> None:
        try:
            _flush(item.source_path)
        except FileNotFoundError:
            return  # filed meanwhile: the copy is no longer needed
        except OSError as error:  # queued all the same: the worker reads it from the cache
            log.warning("outbox: the copy of item %d could not be flushed to disk (%s); it is checked at the "
                        "next start", item.id, error.strerror or type(error).__name__)
            return
        with self.db.write() as conn:  # the next durable commit carries it; a lost one costs a hash check
            conn.execute("UPDATE outbox_item SET copy_flushed = 1 WHERE id = ?", (item.id,))

    # -- reading -----------------------------------------------------------------------------

    def get(self, item_id: int) -> OutboxItem:
        with self.db.read() as conn:
            row = conn.execute("SELECT * FROM outbox_item WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise UnknownItem(f"there is no outbox item {item_id}")
        return self._item(row)

    def _item(self, row: sqlite3.Row) -> OutboxItem:
        """An item from its row; a row SQLite cannot vouch for (damaged text) is the database's damage."""
        try:
            return OutboxItem.from_row(row)
        except (ValueError, KeyError, TypeError):
            raise damaged(self.db.path) from None

    def items(self, statuses: Iterable[OutboxStatus] | None = None) -> list[OutboxItem]:
        sql, args = "SELECT * FROM outbox_item", []
        if statuses is not None:
            wanted = [s.value for s in statuses]
            sql += f" WHERE status IN ({','.join('?' * len(wanted))})"
            args = wanted
        with self.db.read() as conn:
            rows = conn.execute(sql + " ORDER BY id", args).fetchall()
        return [self._item(r) for r in rows]

    def counts(self) -> dict[OutboxStatus, int]:
        with self.db.read() as conn:
            rows = conn.execute("SELECT status, count(*) FROM outbox_item GROUP BY status").fetchall()
        found = {OutboxStatus(status): n for status, n in rows}
        return {s: found.get(s, 0) for s in OutboxStatus}

    def pending_like(self, case_id: str, sha256: str, message_id: str | None) -> OutboxItem | None:
        """A not yet finished item for the same case with the same content or Message-ID."""
        with self.db.read() as conn:
            row = conn.execute(
                """SELECT * FROM outbox_item WHERE case_id = ? AND status IN ('queued', 'uploading', 'paused')
                   AND (sha256 = ? OR (message_id IS NOT NULL AND message_id = ?)) ORDER BY id LIMIT 1""",
                (case_id, sha256, cpr_free_key(message_id)),
            ).fetchone()
        return OutboxItem.from_row(row) if row else None

    def queue_state(self) -> QueueState:
        with self.db.read() as conn:
            row = conn.execute("SELECT paused, reason FROM outbox_queue WHERE id = 1").fetchone()
        return QueueState(bool(row["paused"]), PauseReason(row["reason"]) if row["reason"] else None)

    def next_due_at(self, service: ServiceAddress | None = None) -> float | None:
        """When the earliest queued item (for `service`, if given) is due (None: nothing queued, or
        the queue is paused)."""
        where = f" AND {_FOR_SERVICE}" if service is not None else ""
        with self.db.read() as conn:
            row = conn.execute(
                """SELECT min(next_attempt_at) FROM outbox_item, outbox_queue
                   WHERE status = 'queued' AND outbox_queue.paused = 0""" + where, _service_args(service)
            ).fetchone()
        return row[0]

    def waiting_count(self, service: ServiceAddress | None = None) -> int:
        """Items queued or uploading (for `service`, if given: its own and those of no recorded service)."""
        where = f" AND {_FOR_SERVICE}" if service is not None else ""
        with self.db.read() as conn:
            row = conn.execute(
                "SELECT count(*) FROM outbox_item WHERE status IN ('queued', 'uploading')" + where,
                _service_args(service),
            ).fetchone()
        return row[0]

    def waiting_elsewhere(self, service: ServiceAddress) -> dict[ServiceAddress, list[int]]:
        """Unfinished items queued for another service than `service`, by service."""
        with self.db.read() as conn:
            rows = conn.execute(
                """SELECT id, service_kind, service_url FROM outbox_item
                   WHERE status IN ('queued', 'uploading', 'paused') AND service_url IS NOT NULL
                   AND NOT (service_kind = ? AND service_url = ?) ORDER BY id""",
                _service_args(service),
            ).fetchall()
        found: dict[ServiceAddress, list[int]] = {}
        for item_id, kind, url in rows:
            found.setdefault(ServiceAddress(kind or "", url), []).append(item_id)
        return found

    def move(self, source: str, target: str, *, kind: str | None = None) -> list[int]:
        """Give every unfinished item queued for the service at address `source` (of `kind`, if
        given) to the same kind of service at address `target`; returns their ids. The server is
        searched again for a duplicate before the first upload there; an item that may have landed
        is still looked for first. Items being filed right now are not moved (ValueError): stop the
        process filing them first."""
        url, new_url = ServiceAddress("", source).url, ServiceAddress("", target).url
        kind_clause, args = ("", [url]) if kind is None else (" AND service_kind = ?", [url, kind])
        now = self._now()
        with self.db.write(durable=True) as conn:
            busy = conn.execute(
                "SELECT id FROM outbox_item WHERE status = 'uploading' AND service_url = ?" + kind_clause, args
            ).fetchall()
            if busy:
                ids = ", ".join(str(r[0]) for r in busy)
                raise ValueError(f"outbox item(s) {ids} are being filed on {url} right now; stop the caseclient "
                                 f"filing them and move them again")
            rows = conn.execute(
                """UPDATE outbox_item SET service_url = ?, remote_checked = 0, updated_at = ?
                   WHERE status IN ('queued', 'paused', 'failed') AND service_url = ?""" + kind_clause
                + " RETURNING id",
                [new_url, now, *args],
            ).fetchall()
        moved = sorted(r[0] for r in rows)
        if moved:
            self._changed(None)
        return moved

    # -- the worker's transitions ------------------------------------------------------------

    def recover_interrupted(self) -> int:
        """Items left 'uploading' by a process that died go back to the queue, marked as possibly
        landed, and copies of filed documents it left behind are deleted. Copies that were never
        flushed are checked: a copy the computer lost fails its item with a sentence saying so.
        Call only while holding the worker lock. Returns how many items went back."""
        self._check_unflushed_copies()
        with self.db.write() as conn:
            n = conn.execute(
                """UPDATE outbox_item SET status = 'queued', outcome_unknown = 1, updated_at = ?
                   WHERE status = 'uploading'""",
                (self._now(),),
            ).rowcount
        with self.db.read() as conn:
            done = conn.execute("SELECT source_path FROM outbox_item WHERE status = 'done'").fetchall()
        for (path,) in done:  # a process killed between marking done and deleting the copy
            Path(path).unlink(missing_ok=True)
        if n:
            self._changed(None)
        return n

    def _check_unflushed_copies(self) -> None:
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT * FROM outbox_item WHERE copy_flushed = 0 AND status != 'done'"
            ).fetchall()
        for item in map(OutboxItem.from_row, rows):
            try:
                intact = sha256_of(item.source_path) == (item.sha256, item.size)
            except OSError:
                intact = False
            if intact:
                self._flush_copy(item)  # an enqueue still flushing it, or a process that died
                continue
            item.source_path.unlink(missing_ok=True)
            message = (f"caseclient's copy of {item.filename} was lost when the computer stopped before it "
                       f"was saved; add the document again.")
            with self.db.write(durable=True) as conn:
                conn.execute(
                    """UPDATE outbox_item SET status = 'failed', copy_flushed = 1, last_error_code = 'input',
                           last_error = ?, updated_at = ?, finished_at = ? WHERE id = ?""",
                    (redact_cprs(message), self._now(), self._now(), item.id),
                )
            self._changed(item.id)

    def claim_next(self, exclude: Iterable[int] = (), service: ServiceAddress | None = None) -> OutboxItem | None:
        """Take the earliest due queued item (none while the queue is paused) and mark it uploading.
        With `service`, only an item queued for that service (or for no recorded service: it is
        recorded as that service's now)."""
        excluded = list(exclude)
        now = self._now()
        mine = f"AND {_FOR_SERVICE}" if service is not None else ""
        stamp = ", service_kind = coalesce(service_kind, ?), service_url = coalesce(service_url, ?)" \
            if service is not None else ""
        with self.db.write() as conn:
            row = conn.execute(
                f"""UPDATE outbox_item SET status = 'uploading', attempts = attempts + 1, updated_at = ?{stamp}
                    WHERE id = (
                        SELECT id FROM outbox_item WHERE status = 'queued' AND next_attempt_at <= ?
                        AND id NOT IN ({','.join('?' * len(excluded))}) {mine}
                        AND (SELECT paused FROM outbox_queue WHERE id = 1) = 0
                        ORDER BY next_attempt_at, id LIMIT 1)
                    RETURNING *""",
                (now, *_service_args(service), now, *excluded, *_service_args(service)),
            ).fetchone()
        if row is None:
            return None
        item = OutboxItem.from_row(row)
        self._changed(item.id)
        return item

    def put_back(self, item_id: int) -> bool:
        """An item left 'uploading' by this process (its outcome could not be recorded) goes back to
        the queue, due now, marked as possibly landed. Says whether it was still uploading."""
        with self.db.write() as conn:
            n = conn.execute(
                """UPDATE outbox_item SET status = 'queued', outcome_unknown = 1, next_attempt_at = ?,
                       updated_at = ? WHERE id = ? AND status = 'uploading'""",
                (self._now(), self._now(), item_id),
            ).rowcount
        if n:
            self._changed(item_id)
        return bool(n)

    def probe_write(self) -> None:
        """Write nothing new, but write: raises DataFolderUnavailable while the folder cannot be written."""
        with self.db.write() as conn:
            conn.execute("UPDATE outbox_queue SET paused = paused WHERE id = 1")

    def mark_remote_checked(self, item_id: int) -> None:
        with self.db.write() as conn:
            conn.execute("UPDATE outbox_item SET remote_checked = 1 WHERE id = ?", (item_id,))

    def mark_done(self, item_id: int, ref: DocumentRef) -> OutboxItem:
        """Filed: record it in the ledger, mask CPR numbers in the row, delete the file copy."""
        now = self._now()
        with self.db.write() as conn:
            row = conn.execute("SELECT * FROM outbox_item WHERE id = ?", (item_id,)).fetchone()
            item = OutboxItem.from_row(row)
            row = conn.execute(
                """UPDATE outbox_item SET status = 'done', document_id = ?, metadata = ?, filename = ?,
                       last_error_code = NULL, last_error = NULL, outcome_unknown = 0,
                       updated_at = ?, finished_at = ? WHERE id = ? RETURNING *""",
                (ref.id, scrub_metadata_json(item.metadata_json), redact_cprs(item.filename), now, now, item_id),
            ).fetchone()
            conn.execute("DELETE FROM outbox_resume_state WHERE item_id = ?", (item_id,))
            record_filing(conn, item, ref.id, now)
        done = OutboxItem.from_row(row)
        if (filed := self._filed_signals.get(item_id)) is not None:
            filed.set()  # its enqueue need not flush the copy: the document is on the service
        self._changed(item_id)
        try:  # after telling: deleting a big file takes a while
            item.source_path.unlink(missing_ok=True)
        except OSError:  # Windows: still open (its flush); recover_interrupted deletes it next time
            log.info("outbox: the copy of filed item %d is still in use; it is deleted at the next start", item_id)
        return done

    def mark_failed(self, item_id: int, code: str, message: str) -> OutboxItem:
        return self._finish_attempt(item_id, OutboxStatus.FAILED, code, message, None, False)

    def mark_cancelled(
        self, item_id: int, code: str | None = None, message: str | None = None, *, outcome_unknown: bool = False
    ) -> OutboxItem:
        return self._finish_attempt(item_id, OutboxStatus.CANCELLED, code, message, None, outcome_unknown)

    def schedule_retry(
        self, item_id: int, at: float, code: str, message: str, *, outcome_unknown: bool
    ) -> OutboxItem:
        """Back to the queue, due at `at`. `outcome_unknown` is sticky until the item is done."""
        return self._finish_attempt(item_id, OutboxStatus.QUEUED, code, message, at, outcome_unknown)

    def _finish_attempt(
        self,
        item_id: int,
        status: OutboxStatus,
        code: str | None,
        message: str | None,
        at: float | None,
        outcome_unknown: bool,
    ) -> OutboxItem:
        now = self._now()
        with self.db.write() as conn:
            row = conn.execute(
                """UPDATE outbox_item SET status = ?, last_error_code = ?, last_error = ?,
                       next_attempt_at = coalesce(?, next_attempt_at),
                       outcome_unknown = max(outcome_unknown, ?), updated_at = ?,
                       finished_at = CASE WHEN ? IN ('failed', 'cancelled') THEN ? END
                   WHERE id = ? RETURNING *""",
                (
                    status.value, code, redact_cprs(message) if message else None, at,
                    int(outcome_unknown), now, status.value, now, item_id,
                ),
            ).fetchone()
        if row is None:
            raise UnknownItem(f"there is no outbox item {item_id}")
        self._changed(item_id)
        return OutboxItem.from_row(row)

    def resume_state(self, item_id: int) -> "OutboxResumeState":
        return OutboxResumeState(self.db, item_id)

    # -- the user's commands -----------------------------------------------------------------

    def cancel(self, item_id: int) -> OutboxItem:
        """Cancel a waiting item at once; an uploading one is cancelled when its attempt stops
        (a document that landed meanwhile stays done: filing cannot be undone from here)."""
        return self._command(
            item_id,
            """UPDATE outbox_item SET cancel_requested = 1,
                   status = CASE WHEN status = 'uploading' THEN status ELSE 'cancelled' END,
                   finished_at = CASE WHEN status = 'uploading' THEN NULL ELSE :now END, updated_at = :now
               WHERE id = :id AND status IN ('queued', 'paused', 'failed', 'uploading') RETURNING *""",
            "cancelled",
        )

    def retry(self, item_id: int) -> OutboxItem:
        """Queue a failed or cancelled item again, due now, with its original idempotency key."""
        return self._command(
            item_id,
            """UPDATE outbox_item SET status = 'queued', attempts = 0, cancel_requested = 0,
                   next_attempt_at = :now, finished_at = NULL, updated_at = :now
               WHERE id = :id AND status IN ('failed', 'cancelled', 'queued') RETURNING *""",
            "retried",
        )

    def hold(self, item_id: int) -> OutboxItem:
        """Keep a queued item back until :meth:`release` (an uploading one finishes its attempt)."""
        return self._command(
            item_id,
            """UPDATE outbox_item SET status = 'paused', updated_at = :now
               WHERE id = :id AND status = 'queued' RETURNING *""",
            "paused",
        )

    def release(self, item_id: int) -> OutboxItem:
        return self._command(
            item_id,
            """UPDATE outbox_item SET status = 'queued', next_attempt_at = :now, updated_at = :now
               WHERE id = :id AND status = 'paused' RETURNING *""",
            "resumed",
        )

    def _command(self, item_id: int, sql: str, verb: str) -> OutboxItem:
        now = self._now()
        with self.db.write() as conn:
            row = conn.execute(sql, {"now": now, "id": item_id}).fetchone()
        if row is None:
            current = self.get(item_id)  # raises UnknownItem
            raise ValueError(f"outbox item {item_id} is {current.status.value} and cannot be {verb}")
        self._changed(item_id)
        return OutboxItem.from_row(row)

    def retry_all_failed(self) -> int:
        now = self._now()
        with self.db.write() as conn:
            n = conn.execute(
                """UPDATE outbox_item SET status = 'queued', attempts = 0, next_attempt_at = ?,
                       finished_at = NULL, updated_at = ? WHERE status = 'failed'""",
                (now, now),
            ).rowcount
        self._changed(None)
        return n

    def cancel_all(self) -> int:
        """Cancel every waiting item (uploading ones as their attempts stop)."""
        now = self._now()
        with self.db.write() as conn:
            conn.execute(
                "UPDATE outbox_item SET cancel_requested = 1, updated_at = ? WHERE status = 'uploading'", (now,)
            )
            n = conn.execute(
                """UPDATE outbox_item SET status = 'cancelled', cancel_requested = 1, finished_at = ?,
                       updated_at = ? WHERE status IN ('queued', 'paused')""",
                (now, now),
            ).rowcount
        self._changed(None)
        return n

    def pause(self, reason: PauseReason = PauseReason.USER) -> None:
        with self.db.write() as conn:
            conn.execute("UPDATE outbox_queue SET paused = 1, reason = ? WHERE id = 1", (reason.value,))
        self._changed(None)

    def resume(self) -> None:
        with self.db.write() as conn:
            conn.execute("UPDATE outbox_queue SET paused = 0, reason = NULL WHERE id = 1")
        self._changed(None)

    def purge_finished(self, before: float) -> int:
        """Delete done and cancelled items finished before `before`, with their file copies
        (cancelled items keep their metadata until then, so that they can be retried)."""
        with self.db.write() as conn:
            rows = conn.execute(
                """DELETE FROM outbox_item WHERE status IN ('done', 'cancelled') AND finished_at < ?
                   RETURNING source_path""",
                (before,),
            ).fetchall()
        for (path,) in rows:
            Path(path).unlink(missing_ok=True)
        if rows:
            self._changed(None)
        return len(rows)


class OutboxResumeState:
    """The backend's scratchpad for one item: every put is committed before it returns."""

    def __init__(self, db: Database, item_id: int) -> None:
        self._db = db
        self._item_id = item_id

    def get(self, key: str) -> str | None:
        with self._db.read() as conn:
            row = conn.execute(
                "SELECT value FROM outbox_resume_state WHERE item_id = ? AND key = ?", (self._item_id, key)
            ).fetchone()
        return row[0] if row else None

    def put(self, key: str, value: str, *, durable: bool = True) -> None:
        with self._db.write(durable=durable) as conn:
            conn.execute(
                "INSERT OR REPLACE INTO outbox_resume_state (item_id, key, value) VALUES (?, ?, ?)",
                (self._item_id, key, value),
            )

    def is_empty(self) -> bool:
        with self._db.read() as conn:
            row = conn.execute("SELECT 1 FROM outbox_resume_state WHERE item_id = ? LIMIT 1", (self._item_id,))
            return row.fetchone() is None

