"""Claiming scans: an atomic rename into this host's processing folder inside the watched folder.

Layout, inside the watched folder::

    .caseclient/processing/<host>/alive               touched while the host runs (heartbeat)
    .caseclient/processing/<host>/<token>/<relative path of the scan>
    .caseclient/processing/<host>/<token>/handed-over  written once the scan is committed to the
                                                       host's outbox or inbox

Two instances that rename the same file race on one directory entry: exactly one rename succeeds,
the other finds the file gone. A claim that is not handed over, left by a host whose heartbeat has
not moved for `timeout` seconds of our own clock (clock skew between hosts does not matter), is put
back where it came from and found again by the next scan. A handed-over claim stays with its host:
that host's outbox holds the document and files it when it returns.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePath

from ..filing.clock import Clock
from ..intake.files import safe_filename
from ..redaction import shown_name as shown
from .folders import ScanFolder
from .names import fitting_name

log = logging.getLogger(__name__)

PROCESSING = "processing"
ALIVE = "alive"
HANDED_OVER = "handed-over"


@dataclass(frozen=True, slots=True)
class Claim:
    folder: ScanFolder
    token_dir: Path
    relative: PurePath  # where the scan was, relative to the watched folder

    @property
    def path(self) -> Path:
        """The claimed file, now in the processing folder."""
        return self.token_dir / self.relative

    @property
    def original(self) -> Path:
        return self.folder.path / self.relative

    @property
    def token(self) -> str:
        return self.token_dir.name

    @property
    def handed_over(self) -> bool:
        return (self.token_dir / HANDED_OVER).exists()


class ClaimBook:
    """This host's claims in one watched folder."""

    def __init__(self, folder: ScanFolder, host_id: str, clock: Clock, *, timeout: float) -> None:
        self.folder = folder
        self.host_id = safe_filename(host_id, "host")
        self.clock = clock
        self.timeout = timeout
        self.processing = folder.work_folder / PROCESSING
        self.mine = self.processing / self.host_id
        self._heartbeats: dict[str, tuple[int, float]] = {}  # host -> (alive mtime, first seen at)

    # -- this host ---------------------------------------------------------------------------

    def claim(self, path: Path) -> Claim | None:
        """Take `path` (a file under the watched folder). None when another instance took it first
        or it vanished. OSError for anything else (the caller reports it and goes on)."""
        relative = path.relative_to(self.folder.path)
        token_dir = self.mine / f"{int(self.clock.now())}-{uuid.uuid4().hex[:12]}"
        target = token_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.rename(path, target)
        except FileNotFoundError:
            shutil.rmtree(token_dir, ignore_errors=True)
            return None
        except OSError:
            shutil.rmtree(token_dir, ignore_errors=True)
            raise
        return Claim(self.folder, token_dir, relative)

    def left_over(self) -> list[Claim]:
        """Claims this host made before it stopped or crashed, oldest first."""
        if not self.mine.is_dir():
            return []
        found = []
        for token_dir in sorted(p for p in self.mine.iterdir() if p.is_dir()):
            claim = _claim_in(self.folder, token_dir)
            if claim is None:
                shutil.rmtree(token_dir, ignore_errors=True)  # a claim whose rename never happened
            else:
                found.append(claim)
        return found

    def hand_over(self, claim: Claim) -> None:
        """Record durably that this host has taken responsibility for filing the scan."""
        _write_synced(claim.token_dir / HANDED_OVER)

    def finish(self, claim: Claim) -> None:
        """The scan has been moved to Done, Failed or deleted: drop what is left of the claim."""
        shutil.rmtree(claim.token_dir, ignore_errors=True)

    def heartbeat(self) -> None:
        self.mine.mkdir(parents=True, exist_ok=True)
        (self.mine / ALIVE).touch()

    # -- other hosts -------------------------------------------------------------------------

    def recover_stale(self) -> list[Path]:
        """Put back the unfinished claims of hosts whose heartbeat stood still for `timeout`;
        return where they went."""
        if not self.processing.is_dir():
            return []
        recovered = []
        for host_dir in self.processing.iterdir():
            if host_dir.name == self.host_id or not host_dir.is_dir() or not self._stale(host_dir):
                continue
            for token_dir in sorted(p for p in host_dir.iterdir() if p.is_dir()):
                claim = _claim_in(self.folder, token_dir)
                if claim is None:
                    shutil.rmtree(token_dir, ignore_errors=True)
                elif claim.handed_over:
                    log.warning("watch: %s waits in the outbox of host %s, which has stopped",
                                shown(claim.relative.name), host_dir.name)
                else:
                    recovered.append(self.put_back(claim))
        return recovered

    def put_back(self, claim: Claim) -> Path:
        """Return a claimed scan to its place (beside it when a new file took the name)."""
        target = claim.original
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():  # the new name is cut to fit beside a name at the length limit
            target = target.with_name(fitting_name(target.stem, f" (recovered {claim.token}){target.suffix}",
                                                   keep_extension=False))
        os.rename(claim.path, target)
        self.finish(claim)
        return target

    def _stale(self, host_dir: Path) -> bool:
        try:
            mtime = (host_dir / ALIVE).stat().st_mtime_ns
        except OSError:
            mtime = -1  # never beat (or long gone): judged by how long we have seen that
        now = self.clock.now()
        seen = self._heartbeats.get(host_dir.name)
        if seen is None or seen[0] != mtime:
            self._heartbeats[host_dir.name] = (mtime, now)
            return False
        return now - seen[1] >= self.timeout


def _claim_in(folder: ScanFolder, token_dir: Path) -> Claim | None:
    """The one scan a token folder holds, or None when it holds none."""
    for root, _dirs, files in os.walk(token_dir):
        for name in files:
            if Path(root) == token_dir and name == HANDED_OVER:
                continue
            return Claim(folder, token_dir, Path(root, name).relative_to(token_dir))
    return None


def _write_synced(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        os.fsync(fd)
    except OSError as exc:  # some network file systems refuse fsync on a new file
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)
