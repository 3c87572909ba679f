"""Scan folders: watched folders whose scans are filed on the right case exactly once, or wait in
an inbox. Qt-free; the GUI reaches it through services/watch_service.py."""

from .claims import Claim, ClaimBook
from .cover_sheet import CoverSheet, write_cover_sheet
from .folders import (
    AfterFiling,
    FolderDefaults,
    ObserverKind,
    RoutingRule,
    ScanFolder,
    default_folders_file,
    load_scan_folders,
)
from .handoff import OutboxHandOff
from .headless import WatchStation, inbox_dir, run_until, watch_station
from .inbox import InboxEntry, ScanInbox
from .routing import Routed, Router
from .stability import StabilityTracker
from .watcher import ScanWatcher, WatchEvents, WatchOptions

__all__ = [
    "AfterFiling", "Claim", "ClaimBook", "CoverSheet", "FolderDefaults", "InboxEntry", "ObserverKind",
    "OutboxHandOff", "Routed", "Router", "RoutingRule", "ScanFolder", "ScanInbox", "ScanWatcher",
    "StabilityTracker", "WatchEvents", "WatchOptions", "WatchStation", "default_folders_file",
    "inbox_dir", "load_scan_folders", "run_until", "watch_station", "write_cover_sheet",
]
