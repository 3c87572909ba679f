"""Reading a SOAP request whose base64 content may be hundreds of MiB, without holding it.

`CreateMainDocument` carries the file as `XMLBinary` (xsd:base64Binary) inside the envelope. The
envelope around it is small: it is kept, while the element's text is decoded block by block into
the content store's upload file as it arrives. What is parsed afterwards is the envelope with an
empty XMLBinary.
"""

from __future__ import annotations

import binascii
import re
from typing import IO, BinaryIO

BLOCK = 1 << 20
MAX_ENVELOPE = 16 << 20  # the envelope without the file: more is not a PWS request
_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?XMLBinary(?:\s[^>]*)?(/?)>")
_SPACE = b" \t\r\n"


class BadEnvelope(ValueError):
    pass


def read(stream: BinaryIO, length: int, upload: IO[bytes] | None) -> tuple[bytes, int | None]:
    """The envelope (XMLBinary emptied) and how many file bytes went to `upload` (None when the
    request has no XMLBinary text or no upload file was given)."""
    head = bytearray()
    left = length
    while left > 0:
        block = stream.read(min(BLOCK, left))
        if not block:
            raise BadEnvelope("the request ended before its Content-Length")
        left -= len(block)
        head += block
        if upload is None:
            if len(head) > MAX_ENVELOPE:
                raise BadEnvelope("the request is larger than any PWS request without a file")
            continue
        match = _START.search(head, max(0, len(head) - len(block) - 200))
        if match is None:
            if len(head) > MAX_ENVELOPE:
                raise BadEnvelope("the request is larger than any PWS request without a file")
            continue
        if match.group(1):  # <XMLBinary/>: no file
            continue
        rest = bytes(head[match.end():])
        del head[match.end():]
        return _content(stream, left, rest, bytes(head), upload)
    return bytes(head), None


def _content(stream: BinaryIO, left: int, first: bytes, head: bytes, upload: IO[bytes]) -> tuple[bytes, int]:
    pending = b""
    written = 0
    data = first
    while True:
        end = data.find(b"<")
        text = data if end < 0 else data[:end]
        pending += text.translate(None, _SPACE)
        usable = len(pending) - len(pending) % 4
        if usable:
            try:
                decoded = binascii.a2b_base64(pending[:usable], strict_mode=True)
            except binascii.Error:
                raise BadEnvelope("XMLBinary is not base64") from None
            upload.write(decoded)
            written += len(decoded)
            pending = pending[usable:]
        if end >= 0:
            tail = bytearray(data[end:])
            break
        if left <= 0:
            raise BadEnvelope("the request ended inside XMLBinary")
        data = stream.read(min(BLOCK, left))
        if not data:
            raise BadEnvelope("the request ended before its Content-Length")
        left -= len(data)
    if pending:
        raise BadEnvelope("XMLBinary is not base64")
    while left > 0:
        block = stream.read(min(BLOCK, left))
        if not block:
            raise BadEnvelope("the request ended before its Content-Length")
        left -= len(block)
        tail += block
        if len(tail) > MAX_ENVELOPE:
            raise BadEnvelope("the envelope after XMLBinary is too large")
    return head + bytes(tail), written
