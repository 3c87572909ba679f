"""Document file content: uploads streamed straight to disk, and the `store:` paths LoRa uses.

`StreamingRequest` makes werkzeug's multipart parser write every file part into a temporary file
inside the store folder as it reads the body, so an upload of any size costs the server a few
buffers of memory. Accepted parts are then renamed into `YYYY/MM/DD/HH/MM/<uuid>.bin` (same file
system: no second copy); parts nobody claimed are removed when the request ends.
"""

from __future__ import annotations

import os
import tempfile
import uuid as uuidlib
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import IO

from flask import Request, current_app

STORE_PREFIX = "store:"
PRIVATE_FOLDER = 0o700  # the service's folders and files are its owner's only, whoever made
PRIVATE_FILE = 0o600  # the data folder first (documents and the database hold personal data)
FIELD_PREFIX = "field:"
UPLOAD_FOLDER = ".uploads"
REFUSED = ".refused"  # never created: where a content path that leaves the store points


class StreamingRequest(Request):
    """A Flask request whose file parts land in temporary files in the content store."""

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None,
                         content_length: int | None = None) -> IO[bytes]:
        store: ContentStore = current_app.extensions["caseclient.content_store"]
        stream = store.new_upload()
        self.environ.setdefault("caseclient.uploads", []).append(stream.name)
        self.environ.setdefault("caseclient.upload_streams", []).append(stream)
        return stream


class ContentStore:
    """Files under `<data>/files`; an upload in progress lives in its `.uploads` folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.uploads = root / UPLOAD_FOLDER
        self.uploads.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)

    def new_upload(self) -> IO[bytes]:
        return tempfile.NamedTemporaryFile(dir=self.uploads, prefix="part-", suffix=".tmp",
                                           delete=False)

    def accept(self, upload_path: str) -> str:
        """Move a finished upload into place; returns its `store:` reference."""
        now = datetime.now(timezone.utc)
        relative = f"{now:%Y/%m/%d/%H/%M}/{uuidlib.uuid4()}.bin"
        target = self.root / relative
        target.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
        os.replace(upload_path, target)  # a temporary file: owner-only from its creation
        return STORE_PREFIX + relative

    def write(self, relative: str, content: bytes) -> None:
        """Store `content` at a content path (demo data), owner-only like every upload."""
        target = self.path_of(relative)
        target.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
        write_private(target, content)

    def path_of(self, relative: str) -> Path:
        """The file of a content path as given in a download URL (without `store:`). A path that
        would leave the store (`..`, absolute) names a file that never exists: content stored
        before the service refused foreign `indhold` references is not served from elsewhere."""
        parts = PurePosixPath(relative.replace("\\", "/")).parts
        if not parts or ".." in parts or relative.startswith(("/", "\\")) or ":" in relative:
            return self.root / REFUSED
        return self.root / relative

    @staticmethod
    def discard(paths: list[str]) -> None:
        """Remove the temporary files of a request that were not accepted."""
        for path in paths:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass


def write_private(path: Path, content: bytes) -> None:
    """Write a file readable by its owner only (an existing one is made so first)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), PRIVATE_FILE)
    try:
        make_private(fd)
        with os.fdopen(fd, "wb") as out:
            fd = -1
            out.write(content)
    finally:
        if fd >= 0:
            os.close(fd)


def make_private(fd: int) -> None:
    """Take group and other access away from an open file of ours (no-op where modes do not apply)."""
    if os.name == "nt":
        return
    mode = os.fstat(fd).st_mode
    if mode & 0o077:
        try:
            os.fchmod(fd, mode & 0o700)
        except PermissionError:  # not ours: say nothing, the owner decides
            pass
