"""Document copies the outbox database no longer knows: kept aside, listed, offered back; never lost.

- A missing or empty outbox database with copies still in the outbox folder (the database was
  deleted, or a damaged one was kept aside): the copies move to a folder of their own,
  ``outbox-kept-<time>``, before a new database is made, with one sentence saying so.
- Copies left by a process killed while it queued a document (copied, not yet queued) are
  deleted at the next start: each process names its copies with a token whose lock file it holds,
  so a copy whose owner is gone and which no item names was never queued.
- `caseclient doctor` lists what was kept aside (copies and damaged databases) and
  :func:`recover_copies` hands the copies back to the user, with a file type extension.
"""

from __future__ import annotations

import errno
import logging
import mimetypes
import os
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .process_lock import ProcessLock

log = logging.getLogger(__name__)

KEPT_PREFIX = "outbox-kept-"
OWNERS = ".outbox-owners"  # beside the outbox folder: lock files of the processes that stage copies
COPY = re.compile(r"^(?:(?P<owner>[0-9a-f]{12})-)?[0-9a-f-]{36}\.bin$")
_EXTENSIONS = {"application/vnd.ms-outlook": ".msg", "message/rfc822": ".eml", "application/vnd.ms-tnef": ".dat"}

_notices: list[str] = []


def notice(sentence: str) -> None:
    """Something the user must hear of once (the command line prints it; the log keeps it)."""
    log.warning("store: %s", sentence)
    _notices.append(sentence)


def take_notices() -> list[str]:
    taken = list(_notices)
    _notices.clear()
    return taken


def copies_in(files_dir: Path) -> list[Path]:
    try:
        return sorted(p for p in files_dir.iterdir() if COPY.match(p.name))
    except OSError:
        return []


def keep_copies_of_a_lost_database(database: Path, files_dir: Path) -> Path | None:
    """Before a new database is made where none (or an empty one) is: move the copies still in
    the outbox folder to a folder of their own. Returns that folder (None: there were none)."""
    try:
        if database.stat().st_size > 0:
            return None
    except FileNotFoundError:
        pass
    copies = copies_in(files_dir)
    if not copies:
        return None
    kept = files_dir.parent / (KEPT_PREFIX + time.strftime("%Y%m%d-%H%M%S", time.gmtime()))
    n = 1
    while kept.exists():
        n += 1
        kept = kept.with_name(f"{kept.name.split('~')[0]}~{n}")
    kept.mkdir(mode=0o700)
    for copy in copies:
        os.rename(copy, kept / copy.name)
    what = "is missing" if not database.exists() else "is empty"
    notice(f"caseclient's outbox database {database} {what} but {len(copies)} document "
           f"cop{'y was' if len(copies) == 1 else 'ies were'} still waiting in {files_dir}; they are kept in "
           f"{kept} and `caseclient doctor` lists them.")
    return kept


class CopyOwner:
    """This process's token for the copies it stages, with a lock held while any of them is staged
    but not yet queued (or discarded): a copy whose owner's lock is free and that no item names was
    never queued."""

    def __init__(self, files_dir: Path) -> None:
        self.files_dir = files_dir
        self.token = os.urandom(6).hex()
        self._lock: ProcessLock | None = None
        self._staged: set[str] = set()
        self._mutex = threading.Lock()

    def name(self, unique: str) -> str:
        """A name for a new copy; the owner's lock is held until :meth:`settled` is called for it."""
        with self._mutex:
            if self._lock is None:
                for _ in range(3):
                    lock = ProcessLock(self.files_dir.parent / OWNERS / f"{self.token}.lock")
                    if lock.acquire():
                        self._lock = lock
                        break
                    self.token = os.urandom(6).hex()  # a cleanup holds it this moment: take another
                else:
                    raise OSError(errno.EBUSY, "no copy owner lock could be taken")
            name = f"{self.token}-{unique}.bin"
            self._staged.add(name)
            return name

    def settled(self, name: str) -> None:
        """The copy `name` was queued or discarded: the lock goes when none is pending."""
        with self._mutex:
            self._staged.discard(name)
            if not self._staged and self._lock is not None:
                self._lock.release()
                self._lock = None


def abandoned_copies(files_dir: Path, referenced: Callable[[], set[str]]) -> list[Path]:
    """Copies whose owner process is gone and which no item names: queued by nobody."""
    candidates: dict[str, list[Path]] = {}
    for copy in copies_in(files_dir):
        owner = COPY.match(copy.name).group("owner")
        if owner:
            candidates.setdefault(owner, []).append(copy)
    if not candidates:
        return []
    gone: list[ProcessLock] = []
    for owner in candidates:
        lock = ProcessLock(files_dir.parent / OWNERS / f"{owner}.lock")
        if lock.acquire():  # its owner is gone (a live owner holds it)
            gone.append(lock)
    try:
        named = referenced()  # read after taking the locks: a gone owner queues nothing more
        found = [c for lock in gone for c in candidates[lock.path.stem] if str(c) not in named]
        for lock in gone:
            lock.path.unlink(missing_ok=True)
        return found
    finally:
        for lock in gone:
            lock.release()


@dataclass
class KeptAside:
    """What `caseclient doctor` reports: copies and databases kept aside, copies nobody names."""

    kept_folders: dict[Path, int] = field(default_factory=dict)  # folder -> number of copies
    unnamed_copies: list[Path] = field(default_factory=list)  # in the outbox folder, named by no item
    damaged_databases: list[Path] = field(default_factory=list)

    @property
    def copies(self) -> int:
        return sum(self.kept_folders.values()) + len(self.unnamed_copies)

    def sentences(self) -> list[str]:
        lines = []
        for folder, n in self.kept_folders.items():
            lines.append(f"{n} document cop{'y' if n == 1 else 'ies'} from a lost outbox database in {folder}")
        if self.unnamed_copies:
            n = len(self.unnamed_copies)
            lines.append(f"{n} document cop{'y' if n == 1 else 'ies'} in {self.unnamed_copies[0].parent} that no "
                         f"outbox item names")
        for db in self.damaged_databases:
            lines.append(f"a damaged outbox database kept aside as {db}")
        return lines


def kept_aside(data_dir: Path, database: Path, files_dir: Path) -> KeptAside:
    """Read-only: what was kept aside in the data folder (for `caseclient doctor`)."""
    report = KeptAside()
    try:
        entries = sorted(data_dir.iterdir())
    except OSError:
        return report
    for entry in entries:
        if entry.is_dir() and entry.name.startswith(KEPT_PREFIX):
            n = len(copies_in(entry))
            if n:
                report.kept_folders[entry] = n
        elif entry.name.startswith(database.name + ".damaged-") and not entry.name.endswith(("-wal", "-shm")):
            report.damaged_databases.append(entry)
    legacy = [c for c in copies_in(files_dir) if not COPY.match(c.name).group("owner")]
    if legacy and database.exists():
        try:
            conn = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=5)
            try:
                named = {row[0] for row in conn.execute("SELECT source_path FROM outbox_item")}
            finally:
                conn.close()
            report.unnamed_copies = [c for c in legacy if str(c) not in named]
        except sqlite3.Error:
            pass
    return report


def recover_copies(report: KeptAside, target: Path) -> list[Path]:
    """Move every copy kept aside into `target`, named recovered-N with an extension by content,
    so the user can look at them and add them again. Returns the new files."""
    from ..intake.sniff import sniff

    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    moved = []
    n = 0
    for copy in [c for folder in report.kept_folders for c in copies_in(folder)] + report.unnamed_copies:
        try:
            mime = sniff(copy).mime_type
        except (OSError, ValueError):
            mime = "application/octet-stream"
        ext = _EXTENSIONS.get(mime) or mimetypes.guess_extension(mime) or ".bin"
        while True:
            n += 1
            new = target / f"recovered-{n}{ext}"
            if not new.exists():
                break
        shutil.move(copy, new)
        moved.append(new)
    for folder in report.kept_folders:
        try:
            (folder).rmdir()
        except OSError:
            pass
    return moved
