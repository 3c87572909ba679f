"""Files on disk: names safe to show, private scratch folders, folder walks that skip clutter."""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..domain import redact_cprs
from ..paths import data_dir

# Files nobody means to file: editor locks, OS metadata, partial downloads.
_CLUTTER_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", "icon\r"}
_CLUTTER_SUFFIXES = (".tmp", ".temp", ".crdownload", ".part", ".partial", ".swp", ".lnk")
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f<>:"/\\|?*]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\.|$)", re.IGNORECASE)
MAX_NAME = 150


def shown(name: str | Path) -> str:
    """A file name as it may appear in a message or a log: any CPR number in it masked."""
    return redact_cprs(name.name if isinstance(name, Path) else name)


def is_clutter(path: Path) -> bool:
    """Hidden files, Office lock files (~$x.docx), temp files and OS metadata are never filed."""
    name = path.name.lower()
    if name.startswith((".", "~$")) or name in _CLUTTER_NAMES or name.endswith(_CLUTTER_SUFFIXES):
        return True
    try:
        attributes = getattr(path.lstat(), "st_file_attributes", 0)  # Windows only
    except OSError:
        return False
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


def walk_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Each path that is not a folder, as given, and every file under each folder in name order,
    skipping clutter there. Symbolic links to folders are not followed (no loops); missing paths
    are yielded as they are so the caller reports them.
    """
    for path in paths:
        if path.is_dir():
            for root, folders, files in os.walk(path):
                folders[:] = sorted(f for f in folders if not is_clutter(Path(root, f)))
                for name in sorted(files):
                    candidate = Path(root, name)
                    if not is_clutter(candidate):
                        yield candidate
        else:
            yield path


def safe_filename(name: str, fallback: str = "attachment") -> str:
    """A name that is valid on Windows, macOS and Linux, keeping letters such as æøå."""
    cleaned = _UNSAFE_CHARS.sub("_", name).strip(" .")
    if not cleaned or _WINDOWS_RESERVED.match(cleaned):
        cleaned = f"{fallback}_{cleaned}" if cleaned else fallback
    if len(cleaned) > MAX_NAME:
        stem, dot, suffix = cleaned.rpartition(".")
        cleaned = stem[: MAX_NAME - len(suffix) - 1] + dot + suffix if dot and len(suffix) <= 10 else cleaned[:MAX_NAME]
    return cleaned


def unique_path(folder: Path, name: str, taken: set[str]) -> Path:
    """`folder/name`, or `name (2)`, `name (3)` ... when the name (case-insensitively) is taken."""
    safe = safe_filename(name)
    stem, suffix = os.path.splitext(safe)
    candidate, n = safe, 1
    while candidate.lower() in taken or (folder / candidate).exists():
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    taken.add(candidate.lower())
    return folder / candidate


def private_folder(parent: Path | None, prefix: str) -> Path:
    """A new folder only the user can open, under `parent` (default: caseclient's data folder)."""
    root = parent or data_dir() / "intake"
    root.mkdir(parents=True, exist_ok=True, mode=0o700)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=root))  # mkdtemp creates it 0o700


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
