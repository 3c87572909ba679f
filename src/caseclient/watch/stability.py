"""When a file in a scan folder is ready: written completely, by a writer that let go of it.

A file is stable when no event came for it for `delay` seconds, its size and mtime did not change
since the last look, it is still a regular file, and no program holds a lock on it. An empty file
waits `empty_delay` instead: scanners and copy programs create the file, hold it open empty for a
while, then write it all, and a scan taken empty would fail although it later became complete. One tracker
holds every pending file and is driven by one loop (the runner's), never a thread per file; it
reads time from an injectable clock so that tests move time by hand.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..filing.clock import Clock
from .file_locks import is_locked


@dataclass(frozen=True, slots=True)
class Snapshot:
    size: int
    mtime_ns: int


def take_snapshot(path: Path) -> Snapshot | None:
    """Size and mtime of a regular file; None when it is gone or not a regular file."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return Snapshot(st.st_size, st.st_mtime_ns)


@dataclass(slots=True)
class _Pending:
    snapshot: Snapshot
    last_event: float  # clock time of the last event or change seen
    due: float  # when to look again


class StabilityTracker:
    def __init__(
        self,
        clock: Clock,
        delay: float,
        *,
        snapshot: Callable[[Path], Snapshot | None] = take_snapshot,
        locked: Callable[[Path], bool] = is_locked,
        empty_delay: float = 0.0,
    ) -> None:
        if delay < 0 or empty_delay < 0:
            raise ValueError("the stability delay cannot be negative")
        self.clock = clock
        self.delay = delay
        self.empty_delay = max(delay, empty_delay)
        self._snapshot = snapshot
        self._locked = locked
        self._pending: dict[Path, _Pending] = {}

    def __len__(self) -> int:
        return len(self._pending)

    def __contains__(self, path: Path) -> bool:
        return path in self._pending

    def pending_size(self, path: Path) -> int | None:
        """The size last seen of a pending file (None: not pending)."""
        pending = self._pending.get(path)
        return pending.snapshot.size if pending else None

    def seen(self, path: Path) -> None:
        """An event (created, modified, moved here) or a rescan found `path`: start or restart its wait."""
        snapshot = self._snapshot(path)
        if snapshot is None:
            self._pending.pop(path, None)
            return
        now = self.clock.now()
        self._pending[path] = _Pending(snapshot, now, now + self.delay)

    def forget(self, path: Path) -> None:
        """The file was deleted or moved away."""
        self._pending.pop(path, None)

    def next_due(self) -> float | None:
        """The clock time of the next look, or None when nothing is pending."""
        return min((p.due for p in self._pending.values()), default=None)

    def take_ready(self) -> list[Path]:
        """The files that became stable, in the order they were last touched; they leave the
        tracker. Files that vanished or stopped being regular files are dropped silently."""
        now = self.clock.now()
        ready: list[tuple[float, Path]] = []
        for path, pending in list(self._pending.items()):
            if pending.due > now:
                continue
            current = self._snapshot(path)
            if current is None:
                del self._pending[path]
            elif current != pending.snapshot:
                pending.snapshot, pending.last_event, pending.due = current, now, now + self.delay
            elif now - pending.last_event < self.delay:
                pending.due = pending.last_event + self.delay
            elif current.size == 0 and now - pending.last_event < self.empty_delay:
                pending.due = pending.last_event + self.empty_delay  # a writer that opened it first
            elif self._locked(path):
                pending.due = now + self.delay
            else:
                del self._pending[path]
                ready.append((pending.last_event, path))
        return [path for _, path in sorted(ready, key=lambda item: item[0])]
