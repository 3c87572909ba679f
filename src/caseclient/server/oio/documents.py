"""Dokument file parts: claiming the uploaded files a body refers to, and downloads."""

from __future__ import annotations

from flask import Request, Response, send_file

from ..store.database import Database
from ..store.files import FIELD_PREFIX, STORE_PREFIX, ContentStore
from ..store.registration import Registration, content_references
from ..store.search import BadRequest

CONTENT_PATH = r"\d{4}/\d{2}/\d{2}/\d{2}/\d{2}/[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-" \
               r"[a-fA-F0-9]{4}-[a-fA-F0-9]{12}\.bin"
DEFAULT_MIMETYPE = "application/octet-stream"


def check_file_fields(registration: Registration, request: Request, db: Database) -> None:
    """Every `field:<name>` must name a file part of the request (LoRa: 400), and every other
    `indhold` must be a file this service stores (`store:...` in its content table): a path, a
    URL or a `store:` reference of its own making would otherwise be served back later."""
    for properties in content_references(registration):
        reference = properties["indhold"]
        if not isinstance(reference, str):
            raise BadRequest(f"'indhold' must be a text, not {type(reference).__name__}")
        if reference.startswith(FIELD_PREFIX):
            name = reference[len(FIELD_PREFIX):]
            if name not in request.files:
                raise BadRequest(f"No file uploaded in the field '{name}' named by {reference}")
        elif not (reference.startswith(STORE_PREFIX) and db.content(reference) is not None):
            raise BadRequest(f"'indhold' must name a file part of the request (field:<name>) or a "
                             f"file this service stores (store:...), not {reference[:200]!r}")


def claim_files(registration: Registration, request: Request, store: ContentStore
                ) -> list[tuple[str, str]]:
    """Move the referenced uploads into the store and rewrite `indhold` to their `store:` path.

    Returns (store path, mimetype) per file, for the content table. A field referenced twice is
    stored once.
    """
    claimed: dict[str, str] = {}
    result = []
    for properties in content_references(registration):
        reference = properties["indhold"]
        if not reference.startswith(FIELD_PREFIX):
            continue
        name = reference[len(FIELD_PREFIX):]
        if name not in claimed:
            upload = request.files[name]
            upload.stream.close()
            claimed[name] = store.accept(upload.stream.name)
        properties["indhold"] = claimed[name]
        result.append((claimed[name], properties.get("mimetype") or DEFAULT_MIMETYPE))
    return result


def download(db: Database, store: ContentStore, content_path: str) -> Response:
    """The raw bytes of a stored file. An unknown path fails like LoRa: a 500 error."""
    found = db.content(STORE_PREFIX + content_path)
    path = store.path_of(content_path)
    if found is None or not path.is_file():
        raise LookupError(f"no document content stored at {STORE_PREFIX}{content_path}")
    _, mimetype = found
    response = send_file(path, mimetype=mimetype, conditional=True, etag=True)
    # LoRa 1.10.0 names no file: the client keeps the name in deltekst/lokation.
    del response.headers["Content-Disposition"]
    return response
