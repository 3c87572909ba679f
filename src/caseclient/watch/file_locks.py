"""Is another program still holding a file? Checked before a scan is taken."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

_BUSY = {errno.EACCES, errno.EAGAIN, errno.EBUSY, errno.EWOULDBLOCK}
if sys.platform == "win32":
    _BUSY.add(13)  # sharing violation surfaces as EACCES


def is_locked(path: Path) -> bool:
    """True when a program holds a lock on `path` or an office lock file sits beside it.

    Windows: the file cannot be opened for writing (a writer that denies sharing).
    Elsewhere: an advisory lock (flock or POSIX record lock) is held by another process.
    A missing file is not locked (the caller sees that it is gone).
    """
    if _lock_file_beside(path):
        return True
    if sys.platform == "win32":
        return _windows_locked(path)
    return _posix_locked(path)


def _lock_file_beside(path: Path) -> bool:
    """A LibreOffice or Office lock file beside `path` (none can exist for a name at the file
    system's length limit: the longer name is refused, and that is no lock)."""
    for lock_name in (f".~lock.{path.name}#", f"~${path.name}"):
        try:
            os.stat(path.parent / lock_name)
        except OSError:
            continue
        return True
    return False


def _windows_locked(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return False
    except OSError as exc:
        return exc.errno in _BUSY
    os.close(fd)
    return False


def _posix_locked(path: Path) -> bool:
    import fcntl

    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        for lock, unlock in ((fcntl.flock, fcntl.flock), (fcntl.lockf, fcntl.lockf)):
            try:
                lock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno in _BUSY:
                    return True
                raise
            unlock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
