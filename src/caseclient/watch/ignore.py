"""Files in a scan folder that are never scans: office lock files, temp files, OS metadata."""

from __future__ import annotations

import fnmatch
from pathlib import PurePath

IGNORED_PATTERNS = ("~$*", "*.tmp", ".~lock.*#", "Thumbs.db", "desktop.ini", "._*")


def is_ignored(path: PurePath, patterns: tuple[str, ...] = IGNORED_PATTERNS) -> bool:
    """Whether the file's name matches one of the patterns (case-insensitively, as Windows does)."""
    name = path.name.lower()
    return any(fnmatch.fnmatchcase(name, pattern.lower()) for pattern in patterns)
