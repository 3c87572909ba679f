"""The GetOrganized simulator: its state, its routes and how a request finds its handler.

Everything below `/_goapi/` is GO's Web API (ASP.NET routing: the path's case does not matter,
and a sub-web may stand before it); everything below `/_api/` is SharePoint's REST API on the
web before it; `/cases/<site>/<CaseID>/Dokumenter/<file>` is the file itself.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, Request, Response, request

from ..store.cases import CaseStore
from . import goapi, sharepoint
from .errors import GoError, exception, web_api_error
from .ids import Installation
from .signin import Accounts, SignInGate

EXTENSION = "caseclient.getorganized"
REQUEST_LIMIT = 262_144_000  # SharePoint refuses a single request above 250 MB
# unverified: how long GO takes to give a file uploaded through SharePoint its DocID (oomtm
# waits up to 6 x 5 s); short here so tests stay quick, and changeable per simulator.
INDEXING_DELAY = 0.3
# unverified: the size above which DocumentBytes answers 200 with IIS' 503 page (~10 MB seen).
DOCUMENT_BYTES_LIMIT = 10 * 1024 * 1024
UPLOAD_SESSION_SECONDS = 3600.0  # unverified: an unfinished chunked upload is forgotten after this


@dataclass
class UploadSession:
    document_uuid: str
    case_uuid: str
    path: Path  # the bytes received so far
    offset: int
    started: float


@dataclass
class Simulator:
    """GO's state beside the store: sign-in, per-installation ids, upload sessions, quirks."""

    cases: CaseStore
    installation: Installation
    accounts: Accounts
    indexing_delay: float = INDEXING_DELAY
    document_bytes_limit: int = DOCUMENT_BYTES_LIMIT
    request_limit: int = REQUEST_LIMIT
    sessions: dict[str, UploadSession] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)  # name checks + adds, sessions

    def expire_sessions(self) -> None:
        now = time.monotonic()
        with self.lock:
            for upload_id, session in list(self.sessions.items()):
                if now - session.started > UPLOAD_SESSION_SECONDS:
                    del self.sessions[upload_id]
                    session.path.unlink(missing_ok=True)


def register(app: Flask, cases: CaseStore) -> None:
    simulator = Simulator(cases, Installation(cases), Accounts(cases.files.root.parent))
    app.extensions[EXTENSION] = simulator
    app.wsgi_app = SignInGate(app.wsgi_app, simulator.accounts)  # type: ignore[method-assign]
    methods = ["GET", "POST", "PUT", "PATCH", "MERGE", "DELETE", "HEAD", "OPTIONS"]

    @app.route("/", methods=methods)
    def root() -> Response:
        # OS2forms pings `GET /` and takes 400 as "the API is alive".
        raise web_api_error(400, "The request is invalid.")

    @app.route("/<path:path>", methods=methods)
    def anything(path: str) -> Response:
        return dispatch(simulator, "/" + path, request)

    @app.errorhandler(GoError)
    def go_error(error: GoError) -> Response:
        return Response(error.body, status=error.status, content_type=error.content_type)

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        from werkzeug.exceptions import HTTPException

        if isinstance(error, HTTPException):
            return error  # type: ignore[return-value]
        app.logger.exception("GetOrganized simulator failure")
        found = exception(f"{type(error).__name__}: {error}")
        return Response(found.body, status=found.status, content_type=found.content_type)


def dispatch(simulator: Simulator, path: str, req: Request) -> Response:
    lowered = path.lower()
    if "/_goapi/" in lowered + "/":
        at = lowered.index("/_goapi")
        return goapi.handle(simulator, path[:at], path[at + len("/_goapi/"):], req)
    if "/_api/" in lowered or lowered.endswith("/_api"):
        at = lowered.index("/_api")
        return sharepoint.handle(simulator, path[:at], path[at + len("/_api/"):], req)
    if lowered.startswith("/cases/") and req.method in ("GET", "HEAD"):
        return sharepoint.download(simulator, path, req)
    raise web_api_error(404, "No HTTP resource was found that matches the request URI.")
