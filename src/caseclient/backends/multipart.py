"""A `multipart/form-data` request body that streams its file from disk.

requests builds a multipart body in memory; this one has a known length, so requests sends a
`Content-Length` (not chunked encoding), and reads the file from disk in large blocks while it
goes out. It reports how many file bytes have gone out.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..domain import CHUNK, InputError
from .protocol import ProgressCallback


@dataclass(frozen=True, slots=True)
class TextField:
    name: str
    value: str
    content_type: str = "text/plain; charset=utf-8"


@dataclass(frozen=True, slots=True)
class FileField:
    name: str
    path: Path
    filename: str
    content_type: str
    size: int


def _quoted(value: str) -> str:
    """A header parameter value as browsers send it: UTF-8, with quote and line breaks escaped."""
    return value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


class MultipartBody:
    """`multipart/form-data` with text fields first and then file fields, produced on demand.

    Pass it as `data=` with `headers={"Content-Type": body.content_type}`. It is an iterable of
    blocks with a length: requests sends a Content-Length and hands each block to the socket as
    is. (A file-like body would be read in urllib3's 16 KiB blocks, at half the speed.) Iterating
    again starts over, which is what a redirect needs. The file must keep the size it was measured
    with; a file that shrinks or grows while it is sent raises InputError.
    """

    def __init__(
        self,
        fields: list[TextField],
        files: list[FileField],
        *,
        progress: ProgressCallback | None = None,
        block_size: int = CHUNK,
    ) -> None:
        self.boundary = secrets.token_hex(16)
        self.content_type = f"multipart/form-data; boundary={self.boundary}"
        self._segments: list[bytes | FileField] = []
        for field in fields:
            self._segments.append(
                self._head(f'name="{_quoted(field.name)}"', field.content_type)
                + field.value.encode("utf-8") + b"\r\n"
            )
        for file in files:
            self._segments.append(
                self._head(f'name="{_quoted(file.name)}"; filename="{_quoted(file.filename)}"', file.content_type)
            )
            self._segments.append(file)
            self._segments.append(b"\r\n")
        self._segments.append(f"--{self.boundary}--\r\n".encode("ascii"))
        self._length = sum(s.size if isinstance(s, FileField) else len(s) for s in self._segments)
        self._file_total = sum(f.size for f in files)
        self._progress = progress
        self._block_size = block_size

    def _head(self, disposition: str, content_type: str) -> bytes:
        return (
            f"--{self.boundary}\r\n"
            f"Content-Disposition: form-data; {disposition}\r\n"
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode("utf-8")

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        for segment in self._segments:
            if not isinstance(segment, FileField):
                yield segment
                continue
            for block in self._file_blocks(segment):
                yield block  # back here once the block is on its way
                sent += len(block)
                if self._progress:
                    self._progress(sent, self._file_total)

    def _file_blocks(self, field: FileField) -> Iterator[bytes]:
        try:
            file = open(field.path, "rb", buffering=0)  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"Cannot read {field.filename}: {exc.strerror or exc}.") from None
        with file:
            left = field.size
            while left:
                block = file.read(min(left, self._block_size))
                if not block:
                    raise InputError(f"{field.filename} changed while it was being sent (it shrank); file it again.")
                left -= len(block)
                yield block
            if file.read(1):
                raise InputError(f"{field.filename} changed while it was being sent (it grew); file it again.")
