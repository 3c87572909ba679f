"""A streaming reader of the JSON body of `AddToDocumentLibrary` / `AddToCase`.

Those bodies carry the whole file inside the JSON: `"bytes":[137,80,78,...]` (an array of byte
values) or `"Bytes":"iVBORw0..."` (base64; Json.NET reads a `byte[]` from either). This reader
walks the body in blocks and writes the file member straight into a temporary file while it
reads, so a request costs the server a few blocks of memory (about 2 x BLOCK), whatever the size
of the file; the other members are small and parsed as usual.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import IO, Any

BLOCK = 256 * 1024
MAX_MEMBER = 4 * 1024 * 1024  # a member other than the file (the metadata row) is at most this


class BodyError(ValueError):
    """The body is not the JSON object expected."""


class _Reader:
    def __init__(self, stream: IO[bytes], length: int) -> None:
        self.stream = stream
        self.left = length
        self.buffer = b""
        self.pos = 0

    def fill(self) -> bool:
        """Read one more block into the buffer (dropping what was consumed); False at the end.
        A length below 0 means "to the end of the stream" (a chunked request)."""
        if self.left == 0:
            return False
        block = self.stream.read(BLOCK if self.left < 0 else min(BLOCK, self.left))
        if not block:
            if self.left < 0:
                self.left = 0
                return False
            raise BodyError("the body ended before its Content-Length")
        if self.left > 0:
            self.left -= len(block)
        self.buffer = self.buffer[self.pos:] + block
        self.pos = 0
        return True

    def peek(self) -> int:
        """The next non-blank byte, not consumed; -1 at the end."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in b" \t\r\n":
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.fill():
                return -1

    def expect(self, char: bytes) -> None:
        if self.peek() != char[0]:
            raise BodyError(f"expected {char.decode()!r}")
        self.pos += 1

    def value(self) -> Any:
        """One small JSON value, parsed with the standard decoder."""
        self.peek()
        decoder = json.JSONDecoder()
        while True:
            raw = self.buffer[self.pos:]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:  # a character cut at the block's end, or garbage
                if self.left == 0:
                    raise BodyError("the body is not UTF-8") from None
                text = raw[:exc.start].decode("utf-8")
            try:
                value, end = decoder.raw_decode(text)
                complete = end < len(text) or self.left == 0  # a number may go on in the next block
            except json.JSONDecodeError as exc:
                if self.left == 0:
                    raise BodyError(f"invalid JSON: {exc.msg}") from None
                complete = False
            if complete:
                self.pos += len(text[:end].encode("utf-8"))
                return value
            if len(raw) > MAX_MEMBER:
                raise BodyError("a member of the body is too long")
            self.fill()

    def byte_array(self, sink: IO[bytes]) -> int:
        """`[1,2,...]` streamed into `sink`; returns the number of bytes."""
        self.expect(b"[")
        written = 0
        while True:
            end = self.buffer.find(b"]", self.pos)
            if end >= 0:
                written += _write_values(self.buffer[self.pos:end], sink, last=True)
                self.pos = end + 1
                return written
            cut = self.buffer.rfind(b",", self.pos)
            if cut >= 0:
                written += _write_values(self.buffer[self.pos:cut], sink, last=False)
                self.pos = cut + 1
            if not self.fill():
                raise BodyError("the byte array is not closed")

    def base64_string(self, sink: IO[bytes]) -> int:
        """`"...."` (base64, JSON-escaped slashes allowed) decoded into `sink`."""
        self.expect(b'"')
        written = 0
        pending = b""
        while True:
            end = self.buffer.find(b'"', self.pos)
            stop = end if end >= 0 else len(self.buffer)
            if end < 0 and self.buffer.endswith(b"\\", self.pos):
                stop -= 1  # an escape cut at the block's end: read it with the next block
            chunk = self.buffer[self.pos:stop]
            self.pos = end + 1 if end >= 0 else stop
            if b"\\" in chunk:
                chunk = chunk.replace(b"\\/", b"/")
                if b"\\" in chunk:
                    raise BodyError("an escape other than \\/ inside base64")
            pending += chunk.translate(None, b" \t\r\n")
            usable = len(pending) - len(pending) % 4 if end < 0 else len(pending)
            if usable:
                try:
                    data = base64.b64decode(pending[:usable], validate=True)
                except (binascii.Error, ValueError):
                    raise BodyError("the file is not valid base64") from None
                sink.write(data)
                written += len(data)
                pending = pending[usable:]
            if end >= 0:
                return written
            if not self.fill():
                raise BodyError("the base64 string is not closed")


def _write_values(text: bytes, sink: IO[bytes], *, last: bool) -> int:
    if not text.strip():
        if last:
            return 0
        raise BodyError("an empty item in the byte array")
    try:  # json's C parser reads numbers about twice as fast as int() per item
        data = bytes(json.loads(b"[" + text + b"]"))
    except (ValueError, TypeError):
        raise BodyError("the byte array holds something other than numbers 0-255") from None
    sink.write(data)
    return len(data)


def read_upload(stream: IO[bytes], length: int, file_members: tuple[str, ...], sink: IO[bytes]
                ) -> tuple[dict[str, Any], str | None, int]:
    """Read a JSON object; the first of `file_members` present goes to `sink` as bytes.

    Returns (the other members, the file member's name or None, the file's size)."""
    reader = _Reader(stream, length)
    members: dict[str, Any] = {}
    found: str | None = None
    size = 0
    reader.expect(b"{")
    if reader.peek() == ord("}"):
        reader.pos += 1
        return members, None, 0
    while True:
        name = reader.value()
        if not isinstance(name, str):
            raise BodyError("a member name must be a string")
        reader.expect(b":")
        if name in file_members and found is None:
            kind = reader.peek()
            if kind == ord("["):
                size = reader.byte_array(sink)
                found = name
            elif kind == ord('"'):
                size = reader.base64_string(sink)
                found = name
            else:
                members[name] = reader.value()  # null or something odd: the caller decides
        else:
            members[name] = reader.value()
        separator = reader.peek()
        reader.pos += 1
        if separator == ord("}"):
            break
        if separator != ord(","):
            raise BodyError("expected ',' or '}' between members")
    if reader.peek() != -1:
        raise BodyError("something follows the JSON object")
    return members, found, size
