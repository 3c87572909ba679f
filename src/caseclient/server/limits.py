"""What a request may bring to the reference service, in every dialect: bounded bodies, read so
that a malformed one is a 400 and an oversized one a 413, never a 500 or a server that holds
memory or file handles for it.

- A JSON, form or XML body (anything not a file upload) may hold `body_bytes`; a multipart or raw
  upload `upload_bytes`; a multipart body at most `parts` parts, each non-file field
  `field_bytes`. A declared Content-Length over the limit is refused before a byte is read; a
  chunked body is cut off where it passes the limit. Parts already streamed to disk are removed
  and their files closed when the request ends (app.py).
- A body the client breaks off or whose chunked encoding is broken is a `BrokenBody` (400).
- `json_body()` reads a JSON body (or a multipart body's `json` field) for the dialects: a body
  that is not JSON, nested deeper than `depth` (or than Python's parser goes), or not an object
  is a `BodyRefused` (400).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

MIB = 1024 * 1024


@dataclass(frozen=True)
class BodyLimits:
    body_bytes: int = 16 * MIB  # JSON, form, XML: read into memory
    upload_bytes: int = 4 * 1024 * MIB  # multipart and raw uploads: streamed to disk
    field_bytes: int = 1 * MIB  # one non-file field of a multipart body (werkzeug reads 64 KiB at a time: no less)
    parts: int = 256  # parts of one multipart body
    depth: int = 64  # nesting of a JSON body

    def __post_init__(self) -> None:
        if min(self.body_bytes, self.upload_bytes, self.parts, self.depth) <= 0:
            raise ValueError("request limits must be positive")
        if self.field_bytes < 64 * 1024:
            raise ValueError("a multipart field limit below 64 KiB would refuse every upload")


class BodyRefused(Exception):
    """A request body the service answers with `status` (400, 411, 413) and `message`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class BrokenBody(BodyRefused):
    def __init__(self, detail: str) -> None:
        super().__init__(400, f"The request body could not be read: {detail}.")


_UPLOAD_TYPES = ("multipart/", "application/octet-stream")


def _is_upload(mimetype: str) -> bool:
    return mimetype.startswith(_UPLOAD_TYPES) or not mimetype or not (
        mimetype.endswith(("json", "xml")) or mimetype.startswith("text/")
        or mimetype == "application/x-www-form-urlencoded")


class _GuardedInput(io.RawIOBase):
    """The request's input, where a read that fails (a broken chunk, a client gone mid-body)
    raises BrokenBody instead of an OSError that would end as a 500."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            return self._raw.read(size) if size is not None and size >= 0 else self._raw.read()
        except (OSError, ValueError) as exc:
            raise BrokenBody(str(exc) or type(exc).__name__) from None

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def readline(self, size: int = -1) -> bytes:
        try:
            return self._raw.readline(size) if size is not None and size >= 0 else self._raw.readline()
        except (OSError, ValueError) as exc:
            raise BrokenBody(str(exc) or type(exc).__name__) from None


def install(app: Flask, limits: BodyLimits | None = None, *, small_bodies: bool = True) -> None:
    """Put the limits on every request of `app` (before its views run). `small_bodies`: JSON,
    form and XML bodies are held to `body_bytes` (a dialect whose JSON carries whole documents
    says False, and they are held to `upload_bytes`)."""
    app.extensions["caseclient.limits"] = limits = limits or BodyLimits()
    app.config["MAX_FORM_MEMORY_SIZE"] = limits.field_bytes
    app.config["MAX_FORM_PARTS"] = limits.parts

    @app.before_request
    def bound_the_body() -> None:
        environ = request.environ
        if "wsgi.input" in environ and not isinstance(environ["wsgi.input"], _GuardedInput):
            environ["wsgi.input"] = _GuardedInput(environ["wsgi.input"])
        upload = not small_bodies or _is_upload(request.mimetype)
        limit = limits.upload_bytes if upload else limits.body_bytes
        request.max_content_length = limit  # werkzeug stops a longer (chunked) body with a 413
        length = request.content_length
        if length is not None and length > limit:
            raise BodyRefused(413, f"The request body of {length} bytes is larger than the "
                                   f"{limit} bytes this service takes.")



TOO_LARGE = ("The request body is larger than this service takes (its size, its number of parts "
             "or one of its fields).")


def json_body() -> Any:
    """The request's JSON (a JSON body, else a multipart body's `json` field); None when there
    is none. BodyRefused (400) for anything that is not a JSON object within the nesting limit."""
    limits: BodyLimits = current_app.extensions.get("caseclient.limits") or BodyLimits()
    if request.is_json:
        text = request.get_data()
        limit = request.max_content_length
        if request.content_length is None and limit is not None and len(text) >= limit:
            request.stream.read(1)  # a chunked body cut at the limit: more raises the 413
    elif request.mimetype.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        field = request.form.get("json")
        if field is None:
            return None
        text = field.encode("utf-8", "surrogatepass")
    else:
        return None
    if not text.strip():
        return None
    too_deeply = BodyRefused(400, f"The JSON body is nested deeper than {limits.depth} levels.")
    if too_deep(text, limits.depth):
        raise too_deeply
    try:
        body = json.loads(text)
    except RecursionError:
        raise too_deeply from None
    except ValueError:
        raise BodyRefused(400, "Failed to decode JSON object") from None
    if not isinstance(body, dict):
        raise BodyRefused(400, "The JSON body must be an object.")
    return body


_BRACKETS_ONLY = bytes(b for b in range(256) if b not in b"[]{}")


def too_deep(text: bytes, depth: int) -> bool:
    """True when JSON text nests arrays and objects deeper than `depth` (alternating arrays and
    objects may pass up to twice that), judged by its brackets alone and in C: a run of more
    than `depth` opening brackets is too deep at once; else each pass removes the innermost
    pairs, which merges runs, so a few passes decide. Brackets inside strings can hide depth from
    this; what they hide is refused by the parser (RecursionError), never answered with a 500."""
    brackets = text.translate(None, _BRACKETS_ONLY)
    run = re.compile(rb"[\[{]{%d}" % (depth + 1))
    for _ in range(depth):
        if not brackets:
            return False
        if run.search(brackets):
            return True
        shorter = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if len(shorter) == len(brackets):
            return False  # unbalanced: the parser says what is wrong
        brackets = shorter
    return bool(brackets)
