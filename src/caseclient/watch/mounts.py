"""Which folders live on network file systems, where change notifications do not arrive."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# File systems whose changes made by other machines raise no local events.
NETWORK_FILESYSTEMS = frozenset({
    "cifs", "smb", "smb2", "smb3", "smbfs", "nfs", "nfs4", "afs", "ncpfs", "9p", "ceph", "glusterfs",
    "fuse.sshfs", "fuse.rclone", "fuse.glusterfs", "fuse.s3fs", "davfs", "fuse.davfs2", "lustre", "gpfs",
})
PROC_MOUNTS = Path("/proc/mounts")


def is_network_folder(path: Path, mounts: Path = PROC_MOUNTS) -> bool:
    """True for UNC paths and mapped network drives on Windows, and for folders on a mount of a
    network file system elsewhere (read from /proc/mounts)."""
    if sys.platform == "win32":
        return _windows_remote(path)
    return filesystem_type(path, mounts) in NETWORK_FILESYSTEMS


def filesystem_type(path: Path, mounts: Path = PROC_MOUNTS) -> str | None:
    """The type of the mount holding `path` (the longest matching mount point), or None."""
    try:
        table = mounts.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    target = os.path.realpath(path)
    best, best_type = "", None
    for line in table.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fields[2]
    return best_type


def _windows_remote(path: Path) -> bool:
    text = str(path)
    if text.startswith(("\\\\", "//")) and not text.startswith(("\\\\?\\", "\\\\.\\")):
        return True
    drive = os.path.splitdrive(os.path.abspath(text))[0]
    if not drive:
        return False
    import ctypes

    DRIVE_REMOTE = 4
    return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE  # type: ignore[attr-defined]
