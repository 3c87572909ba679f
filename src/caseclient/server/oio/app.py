"""The Flask application of the reference service: LoRa 1.10.0's OIO REST subset for
sag/sag, dokument/dokument and klassifikation/klasse, plus its self-description endpoints."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from flask import Flask, Response, g, jsonify, request
from werkzeug.routing import BaseConverter

from . import documents
from ..store.database import Database
from ..store.files import ContentStore, StreamingRequest
from ..store.model import CLASSES, DOKUMENT, OioClass
from .objects import ObjectViews, OioError
from .schema import schema_for
from ..store.search import BadRequest

LORA_VERSION = "1.10.0"
TIMING_HEADER = "Server-Timing"
CPU_TIME_HEADER = "X-Server-CPU-Ms"


class ContentPathConverter(BaseConverter):
    regex = documents.CONTENT_PATH
    part_isolating = False


def _fields(cls: OioClass) -> dict[str, Any]:
    """LoRa's `fields` answer: the class's database structure."""
    return {
        "attributter": {"egenskaber": list(cls.attributes)},
        "attributter_metadata": {"egenskaber": {
            name: {"type": kind, **({"mandatory": True} if name in cls.mandatory else {})}
            for name, kind in cls.attributes.items() if kind != "text" or name in cls.mandatory
        }},
        "tilstande": {state: list(values) for state, values in cls.states.items()},
        "relationer_nul_til_en": list(cls.relations_one),
        "relationer_nul_til_mange": list(cls.relations_many),
    }


def create_app(data_dir: Path) -> Flask:
    """The WSGI application over the database and files in `data_dir`."""
    data_dir.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__)
    app.request_class = StreamingRequest
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.url_map.converters["contentpath"] = ContentPathConverter
    db = Database(data_dir / "oio.sqlite3")
    store = ContentStore(data_dir / "files")
    app.extensions["caseclient.database"] = db
    app.extensions["caseclient.content_store"] = store

    for cls in CLASSES.values():
        ObjectViews(cls, db, store).register(app)
        app.add_url_rule(f"{cls.path}/fields", f"{cls.name}_fields",
                         lambda cls=cls: jsonify(_fields(cls)))
        app.add_url_rule(f"{cls.path}/schema", f"{cls.name}_schema",
                         lambda cls=cls: jsonify(schema_for(cls)))
    app.add_url_rule(f"{DOKUMENT.path}/<contentpath:content_path>", "dokument_download_content",
                     lambda content_path: documents.download(db, store, content_path))

    @app.get("/version")
    def version() -> Response:
        return jsonify({"lora_version": LORA_VERSION})

    @app.get("/site-map")
    def site_map() -> Response:
        return jsonify({"site-map": sorted({rule.rule for rule in app.url_map.iter_rules()
                                            if rule.endpoint != "static"})})

    @app.get("/")
    def root() -> Response:
        return site_map()

    @app.errorhandler(OioError)
    def oio_error(error: OioError) -> tuple[Response, int]:
        return jsonify(error.body), error.status

    @app.errorhandler(BadRequest)
    def bad_request(error: BadRequest) -> tuple[Response, int]:
        return jsonify({"message": str(error)}), 400

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
        store.discard(request.environ.get("caseclient.uploads", []))
        db.release()

    return app

