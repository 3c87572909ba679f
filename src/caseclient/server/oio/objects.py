"""The OIO object operations (create, import, read, list, search, update, delete) for one class,
with LoRa 1.10.0's status codes and `{"message": ...}` error bodies."""

from __future__ import annotations

import uuid as uuidlib
from typing import Any, Callable

from flask import Flask, Response, jsonify, request

from ..limits import json_body
from ..store import registration as reg
from . import render
from ..store import search, virkning
from ..store.database import Database
from .documents import check_file_fields, claim_files
from ..store.files import ContentStore
from ..store.model import OioClass
from .schema import first_error


class OioError(Exception):
    """An error LoRa answers with a JSON body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body)
        self.status = status
        self.body = body


def _bad(message: str) -> OioError:
    return OioError(400, {"message": message})


def _body() -> Any:
    """The JSON body, from a JSON request or the `json` text field of a multipart one (a JSON
    object within the service's limits, else a 400: server.limits)."""
    return json_body()


class ObjectViews:
    def __init__(self, cls: OioClass, db: Database, store: ContentStore) -> None:
        self.cls = cls
        self.db = db
        self.store = store

    def register(self, app: Flask) -> None:
        path, name = self.cls.path, self.cls.name
        app.add_url_rule(path, f"{name}_get_objects", self.get_objects, methods=["GET"])
        app.add_url_rule(path, f"{name}_create", self.create, methods=["POST"])
        one = f"{path}/<uuid:uuid>"
        app.add_url_rule(one, f"{name}_read", self.read, methods=["GET"])
        app.add_url_rule(one, f"{name}_import", self.import_, methods=["PUT"])
        app.add_url_rule(one, f"{name}_update", self.update, methods=["PATCH"])
        app.add_url_rule(one, f"{name}_delete", self.delete, methods=["DELETE"])

    # -- helpers -------------------------------------------------------------------------------

    def _not_found(self, uuid: str) -> OioError:
        return OioError(404, {"message": f"No {self.cls.title} with ID {uuid} found in service "
                                         f"{self.cls.service}"})

    def _valid_body(self, do_create: bool) -> dict[str, Any]:
        body = _body()
        if not body:
            raise OioError(400, {"uuid": None})
        message = first_error(self.cls, body, do_create)
        if message:
            raise _bad(message)
        return body

    def _save(self, uuid: str, make: Callable[[reg.Registration | None], reg.Registration]
              ) -> None:
        """Store what `make` builds from the current registration (None when there is none),
        reading and writing in one transaction so concurrent changes cannot lose each other."""
        with self.db.transaction() as conn:
            registration = make(self.db.load(self.cls, uuid))
            check_file_fields(registration, request, self.db)
            files = claim_files(registration, request, self.store)
            self.db.store(conn, self.cls, uuid, registration)
            for path, mimetype in files:
                self.db.register_content(conn, path, uuid, mimetype)

    def _from_body(self, body: dict[str, Any], lifecycle: str) -> reg.Registration:
        try:
            return reg.from_body(self.cls, body, lifecycle)
        except virkning.BadTime as error:
            raise _bad(str(error)) from None

    # -- operations ----------------------------------------------------------------------------

    def create(self) -> tuple[Response, int]:
        search.verify(self.cls, search.lowered(request.args), search=False, temporality=False)
        body = self._valid_body(do_create=True)
        uuid = str(uuidlib.uuid4())
        self._save(uuid, lambda _old: self._from_body(body, reg.OPSTAAET))
        return jsonify({"uuid": uuid}), 201

    def import_(self, uuid) -> Response:
        uuid = str(uuid)
        search.verify(self.cls, search.lowered(request.args), search=False, temporality=False)
        body = self._valid_body(do_create=True)

        def imported(old: reg.Registration | None) -> reg.Registration:
            fresh = old is None or old["livscykluskode"] in (reg.SLETTET, reg.PASSIVERET)
            return self._from_body(body, reg.IMPORTERET if fresh else reg.RETTET)

        self._save(uuid, imported)
        return jsonify({"uuid": uuid})

    def update(self, uuid) -> Response:
        uuid = str(uuid)
        if self.db.load(self.cls, uuid) is None:
            raise self._not_found(uuid)
        body = self._valid_body(do_create=False)

        def updated(old: reg.Registration | None) -> reg.Registration:
            if old is None:
                raise self._not_found(uuid)
            if old["livscykluskode"] == reg.SLETTET:
                raise _bad(f"Unable to update {self.cls.name} with uuid [{uuid}], "
                           f"being in life cycle '{reg.SLETTET}'.")
            if str(body.get("livscyklus", "")).lower() == "passiv":
                return {**old, "livscykluskode": reg.PASSIVERET, "note": body.get("note", ""),
                        "fratidspunkt": virkning.now()}
            try:
                return reg.updated(self.cls, old, body)
            except virkning.BadTime as error:
                raise _bad(str(error)) from None

        self._save(uuid, updated)
        return jsonify({"uuid": uuid})

    def delete(self, uuid) -> tuple[Response, int]:
        uuid = str(uuid)
        search.verify(self.cls, search.lowered(request.args), search=False, temporality=False)
        body = _body() or {}

        def deleted(old: reg.Registration | None) -> reg.Registration:
            if old is None:
                raise self._not_found(uuid)
            return reg.deleted(old, str(body.get("note", "")))

        self._save(uuid, deleted)
        return jsonify({"uuid": uuid}), 202

    def read(self, uuid) -> Response:
        uuid = str(uuid)
        args = search.lowered(request.args)
        search.verify(self.cls, args, search=False, temporality=True)
        start, end = search.period(args)
        stored = self.db.load(self.cls, uuid)
        if stored is None:
            raise self._not_found(uuid)
        if stored["livscykluskode"] == reg.SLETTET:
            raise OioError(410, {"message": "This object has been deleted."})
        return jsonify({uuid: [render.object_(uuid, stored, start, end)]})

    def get_objects(self) -> Response:
        args = search.lowered(request.args)
        search.verify(self.cls, args, search=True, temporality=True)
        start, end = search.period(args)
        if search.is_list_operation(args):
            return jsonify({"results": [self._listed(args.getlist("uuid"), start, end)]})
        found = search.search(self.db, self.cls, args)
        if "list" in args:
            return jsonify({"results": [self._listed(found, start, end)]})
        return jsonify({"results": [found]})

    def _listed(self, uuids: list[str], start: str, end: str) -> list[dict[str, Any]]:
        """The listed objects as LoRa 1.10.0 answers a list: a deleted object is included (state
        Slettet, no file variants), and the whole list fails with 410 only when the first uuid
        asked for is a deleted object."""
        wanted = list(dict.fromkeys(u.lower() for u in uuids))
        stored = self.db.load_many(self.cls, wanted)
        if wanted and wanted[0] in stored and stored[wanted[0]]["livscykluskode"] == reg.SLETTET:
            raise OioError(410, {"message": f"The object with UUID {wanted[0]} has been deleted."})
        return [render.object_(uuid, stored[uuid], start, end) for uuid in wanted if uuid in stored]
