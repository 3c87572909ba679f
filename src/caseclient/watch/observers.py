"""File system observers for the scan folders. Their callbacks only put paths on a queue.

The polling observer (network shares) never lists caseclient's own folders (claims in progress,
Done, Failed): a Done folder that grows for years must not be walked every few seconds over the
network. Native observers get their events from the operating system for the whole tree; the
watcher drops those from its own folders.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserverVFS

from .folders import ObserverKind, ScanFolder
from .mounts import is_network_folder


@dataclass(frozen=True, slots=True)
class Change:
    path: Path
    gone: bool  # deleted or moved away


def uses_polling(folder: ScanFolder, is_network: Callable[[Path], bool] = is_network_folder) -> bool:
    if folder.observer is ObserverKind.AUTO:
        return is_network(folder.path)
    return folder.observer is ObserverKind.POLLING


class _Enqueue(FileSystemEventHandler):
    """No I/O, no network, no locks held: a callback only records what changed and wakes the loop."""

    def __init__(self, changes: "queue.SimpleQueue[Change]", wake: threading.Event) -> None:
        self.changes = changes
        self.wake = wake

    def on_any_event(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        if kind == "moved":
            self._put(Change(Path(str(event.src_path)), gone=True))
            self._put(Change(Path(str(event.dest_path)), gone=False))
        elif kind == "deleted":
            self._put(Change(Path(str(event.src_path)), gone=True))
        elif kind == "created" or (kind in ("modified", "closed", "attrib") and not event.is_directory):
            self._put(Change(Path(str(event.src_path)), gone=False))

    def _put(self, change: Change) -> None:
        self.changes.put(change)
        self.wake.set()


class FolderObservers:
    """One native observer and one polling observer at most, shared by all folders."""

    def __init__(self, changes: "queue.SimpleQueue[Change]", wake: threading.Event, *,
                 polling_interval: float, is_network: Callable[[Path], bool] = is_network_folder) -> None:
        self._handler = _Enqueue(changes, wake)
        self._polling_interval = polling_interval
        self._is_network = is_network
        self._observers: dict[bool, BaseObserver] = {}
        self.polled: list[Path] = []
        self._not_polled: set[str] = set()

    def watch(self, folder: ScanFolder) -> None:
        polling = uses_polling(folder, self._is_network)
        observer = self._observers.get(polling)
        if observer is None:
            observer = (PollingObserverVFS(os.stat, self.listdir, polling_interval=self._polling_interval)
                        if polling else Observer())
            observer.daemon = True
            self._observers[polling] = observer
        if polling:
            self.polled.append(folder.path)
            self._not_polled.update(_key(p) for p in (folder.work_folder, folder.done_folder, folder.failed_folder))
        observer.schedule(self._handler, str(folder.path), recursive=folder.recursive)

    def listdir(self, path: str | None) -> list[os.DirEntry]:
        """What the polling observer sees of a folder: everything but caseclient's own folders."""
        with os.scandir(path) as entries:
            return [entry for entry in entries if _key(entry.path) not in self._not_polled]

    def start(self) -> None:
        for observer in self._observers.values():
            observer.start()

    def stop(self) -> None:
        for observer in self._observers.values():
            observer.stop()
        for observer in self._observers.values():
            observer.join(timeout=10)
        self._observers.clear()


def _key(path: Path | str) -> str:
    return os.path.normcase(os.path.abspath(path))
