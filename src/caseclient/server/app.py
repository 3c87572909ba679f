"""The reference service's Flask application: the shared case and document store, served in
one wire dialect (`DIALECTS`), with the timing headers and request clean-up every dialect shares."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, g, jsonify, request

from werkzeug.exceptions import RequestEntityTooLarge

from .limits import TOO_LARGE, BodyLimits, BodyRefused
from .limits import install as install_limits
from .store.cases import CaseStore
from .store.database import Database
from .store.files import ContentStore, StreamingRequest

TIMING_HEADER = "Server-Timing"
CPU_TIME_HEADER = "X-Server-CPU-Ms"


ErrorPage = Callable[[int], tuple[bytes, str]]


@dataclass(frozen=True, slots=True)
class Dialect:
    """One wire dialect: how it puts its routes on the app, and how its server words an error
    status (for the fault injector, so injected errors look like the vendor's)."""

    register: Callable[[Flask, CaseStore], None]
    error_page: ErrorPage
    missing: Callable[[], str | None] = lambda: None  # what it needs and lacks here, in one sentence


def _oio_register(app: Flask, cases: CaseStore) -> None:
    from .oio.app import register

    register(app, cases.db, cases.files)


def _oio_error_page(status: int) -> tuple[bytes, str]:
    from .oio.app import error_page

    return error_page(status)


def _sbsys_register(app: Flask, cases: CaseStore) -> None:
    from .sbsys import register

    register(app, cases)


def _sbsys_error_page(status: int) -> tuple[bytes, str]:
    from .sbsys import error_page

    return error_page(status)


def _getorganized_register(app: Flask, cases: CaseStore) -> None:
    from .getorganized import register

    register(app, cases)


def _getorganized_error_page(status: int) -> tuple[bytes, str]:
    from .getorganized import error_page

    return error_page(status)


def _workzone_register(app: Flask, cases: CaseStore) -> None:
    from .workzone import register

    register(app, cases)


def _workzone_error_page(status: int) -> tuple[bytes, str]:
    from .workzone import error_page

    return error_page(status)


def _nova_register(app: Flask, cases: CaseStore) -> None:
    from .nova import register

    register(app, cases)


def _nova_error_page(status: int) -> tuple[bytes, str]:
    from .nova import error_page

    return error_page(status)


def _f2_register(app: Flask, cases: CaseStore) -> None:
    from .f2 import register

    register(app, cases)


def _f2_error_page(status: int) -> tuple[bytes, str]:
    from .f2 import error_page

    return error_page(status)


def _acadre_register(app: Flask, cases: CaseStore) -> None:
    from .acadre import register

    register(app, cases)


def _acadre_missing() -> str | None:
    from .acadre.contract import ContractMissing, folder

    try:
        folder()
    except ContractMissing as missing:
        return str(missing)
    return None


def _acadre_error_page(status: int) -> tuple[bytes, str]:
    from .acadre import error_page

    return error_page(status)


def _cmis_register(app: Flask, cases: CaseStore) -> None:
    from .cmis import register

    register(app, cases)


def _cmis_error_page(status: int) -> tuple[bytes, str]:
    from .cmis import error_page

    return error_page(status)


DIALECTS: dict[str, Dialect] = {
    "oio": Dialect(_oio_register, _oio_error_page),  # LoRa 1.10.0's OIO REST
    "sbsys": Dialect(_sbsys_register, _sbsys_error_page),  # SBSYS Web API (SBSIP)
    # GetOrganized's /_goapi, with SharePoint's REST for listing and big uploads
    "getorganized": Dialect(_getorganized_register, _getorganized_error_page),
    "workzone": Dialect(_workzone_register, _workzone_error_page),  # KMD WorkZone's OData v4 (/OData4/)
    "nova": Dialect(_nova_register, _nova_error_page),  # KMD Nova's REST API (?api-version=2.0-Case)
    "f2": Dialect(_f2_register, _f2_error_page),  # cBrain F2-REST v13 (hypermedia, Post-Once-Exactly)
    "cmis": Dialect(_cmis_register, _cmis_error_page),  # CMIS 1.1 browser binding (Alfresco, Nuxeo, ...)
    "acadre": Dialect(_acadre_register, _acadre_error_page, _acadre_missing),  # Formpipe Acadre PWS (SOAP, AcadreServiceV7.asmx)
}


def create_app(data_dir: Path, dialect: str = "oio", limits: BodyLimits | None = None) -> Flask:
    """The WSGI application over the database and files in `data_dir`, speaking `dialect`, taking
    request bodies within `limits` (server.limits)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; known: {', '.join(DIALECTS)}")
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    app = Flask(__name__)
    app.request_class = StreamingRequest
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    db = Database(data_dir / "oio.sqlite3")
    store = ContentStore(data_dir / "files")
    app.extensions["caseclient.database"] = db
    app.extensions["caseclient.content_store"] = store
    app.extensions["caseclient.dialect"] = dialect
    install_limits(app, limits, small_bodies=dialect == "oio")
    DIALECTS[dialect].register(app, CaseStore(db, store))

    @app.errorhandler(BodyRefused)
    def body_refused(error: BodyRefused) -> Response:
        """A body too large (413) or malformed (400): in LoRa's JSON shape for OIO, else in the
        dialect's own error shape."""
        if dialect == "oio":
            response = jsonify({"message": error.message})
        else:
            body, content_type = DIALECTS[dialect].error_page(error.status)
            response = Response(body, content_type=content_type)
        response.status_code = error.status
        if error.status == 413:
            response.headers["Connection"] = "close"
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_error: RequestEntityTooLarge) -> Response:
        return body_refused(BodyRefused(413, TOO_LARGE))

    @app.errorhandler(RecursionError)
    def nested_too_deeply(_error: RecursionError) -> Response:
        return body_refused(BodyRefused(400, "The request is nested too deeply."))

    @app.before_request
    def start_clock() -> None:
        g.started = (time.perf_counter(), time.thread_time())

    @app.after_request
    def report_time(response: Response) -> Response:
        """`Server-Timing: app;dur=<ms>`, the app's time, and in CPU_TIME_HEADER its thread's CPU
        time (which other processes on a busy machine do not inflate)."""
        started = g.get("started")
        if started is not None:
            response.headers[TIMING_HEADER] = (
                f"app;dur={(time.perf_counter() - started[0]) * 1000:.2f}")
            response.headers[CPU_TIME_HEADER] = f"{(time.thread_time() - started[1]) * 1000:.2f}"
        return response

    @app.teardown_request
    def finish(_error: BaseException | None) -> None:
        for stream in request.environ.get("caseclient.upload_streams", []):
            stream.close()  # a body refused half-way leaves no open file behind
        store.discard(request.environ.get("caseclient.uploads", []))
        db.release()

    return app
