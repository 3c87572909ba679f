"""The OIO dialect: LoRa 1.10.0's OIO REST subset for sag/sag, dokument/dokument and
klassifikation/klasse, plus its self-description endpoints."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.routing import BaseConverter

from ..store.database import Database
from ..store.files import ContentStore
from ..store.model import CLASSES, DOKUMENT, OioClass
from ..store.search import BadRequest
from . import documents
from .objects import ObjectViews, OioError
from .schema import schema_for

LORA_VERSION = "1.10.0"


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


def register(app: Flask, db: Database, store: ContentStore) -> None:
    """LoRa's OIO REST routes on the reference service's application."""
    app.url_map.converters["contentpath"] = ContentPathConverter
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


def error_page(status: int) -> tuple[bytes, str]:
    """How LoRa words an error status: a JSON object with a message."""
    return json.dumps({"message": f"{status} {HTTP_STATUS_CODES.get(status, 'Error')}"}).encode(), "application/json"
