"""JSON schemas for the write bodies, built the way LoRa 1.10.0 builds them.

LoRa validates every create, import and update body with jsonschema and answers the best-matching
error's message, so the messages a client sees here (`'virkning' is a required property`,
`Additional properties are not allowed ...`, `'<uuid>' does not match '^$'`) come from the same
schema shapes and the same library.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

import jsonschema

from ..store.model import OFFENTLIGHEDUNDTAGET, SAG, OioClass

BOOLEAN = {"type": "boolean"}
INTEGER = {"type": "integer"}
STRING = {"type": "string"}
EMPTY_STRING = {"type": "string", "pattern": "^$"}
UUID = {
    "type": "string",
    "pattern": "^[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}$",
}
URN = {"type": "string", "pattern": "^urn:."}
VIRKNING = {"$ref": "#/definitions/virkning"}
OFFENTLIGHED_REF = {"$ref": "#/definitions/offentlighedundtaget"}

_TYPES: dict[str, dict[str, Any]] = {
    "text": STRING,
    "boolean": BOOLEAN,
    "int": INTEGER,
    "date": STRING,
    OFFENTLIGHEDUNDTAGET: OFFENTLIGHED_REF,
}


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties,
                              "additionalProperties": False}
    if required:  # draft 4 wants a non-empty list or none
        schema["required"] = required
    return schema


def _array(items: dict[str, Any], max_items: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "array", "items": items}
    if max_items:
        schema["maxItems"] = max_items
    return schema


def _attributes(cls: OioClass, do_create: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {name: _TYPES[kind] for name, kind in cls.attributes.items()}
    fields["virkning"] = VIRKNING
    required = sorted(cls.mandatory) + ["virkning"] if do_create else ["virkning"]
    group = _array(_object(fields, required))
    return _object({cls.attribute_group: group}, [cls.attribute_group] if do_create else [])


def _states(cls: OioClass, do_create: bool) -> dict[str, Any]:
    properties = {
        cls.state_group(state): _array(
            _object({state: {"type": "string", "enum": list(values)}, "virkning": VIRKNING},
                    [state, "virkning"])
        )
        for state, values in cls.states.items()
    }
    return _object(properties, list(properties) if do_create else [])


def _relation_item(cls: OioClass, extra: dict[str, Any], extra_required: list[str]) -> dict:
    """A relation value points at a uuid, at a urn, or at nothing (clearing), as in LoRa."""
    common: dict[str, Any] = {"virkning": VIRKNING, "objekttype": STRING, **extra}
    if cls.indexed_relations:
        common["indeks"] = INTEGER
    return {
        "type": "object",
        "required": ["virkning"],
        "oneOf": [
            _object({"uuid": UUID, **common}, ["uuid", "virkning", *extra_required]),
            _object({"urn": URN, **common}, ["urn", "virkning", *extra_required]),
            _object({"uuid": EMPTY_STRING, "urn": EMPTY_STRING, **common},
                    ["virkning", *extra_required]),
        ],
    }


_JOURNALPOST_EXTRA = {
    "journalpostkode": {"type": "string", "enum": ["journalnotat", "vedlagtdokument"]},
    "journalnotat": _object({"titel": STRING, "notat": STRING, "format": STRING},
                            ["titel", "notat", "format"]),
    "journaldokument": _object({"dokumenttitel": STRING, OFFENTLIGHEDUNDTAGET: OFFENTLIGHED_REF},
                               ["dokumenttitel", OFFENTLIGHEDUNDTAGET]),
}


def _relations(cls: OioClass) -> dict[str, Any]:
    plain = _relation_item(cls, {}, [])
    properties: dict[str, Any] = {name: _array(plain, 1) for name in cls.relations_one}
    properties.update({name: _array(plain) for name in cls.relations_many})
    if cls is SAG:
        properties["journalpost"] = _array(
            _relation_item(cls, _JOURNALPOST_EXTRA, ["journalpostkode"]))
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _variants() -> dict[str, Any]:
    part_properties = _object(
        {"indeks": INTEGER, "indhold": STRING, "lokation": STRING, "mimetype": STRING,
         "virkning": VIRKNING},
        ["virkning"],
    )
    part = _object({"deltekst": STRING, "egenskaber": _array(part_properties)}, ["deltekst"])
    variant_properties = _object(
        {"arkivering": BOOLEAN, "delvisscannet": BOOLEAN, "offentliggoerelse": BOOLEAN,
         "produktion": BOOLEAN, "virkning": VIRKNING},
        ["virkning"],
    )
    return _array(_object(
        {"varianttekst": STRING, "egenskaber": _array(variant_properties), "dele": _array(part)},
        ["varianttekst"],
    ))


@lru_cache(maxsize=None)
def _schema(cls: OioClass, do_create: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "attributter": _attributes(cls, do_create),
        "tilstande": _states(cls, do_create),
        "relationer": _relations(cls),
        "note": STRING,
    }
    if not do_create:
        properties["livscyklus"] = STRING
    if cls.has_variants:
        properties["varianter"] = _variants()
    schema = _object(properties, ["attributter", "tilstande"] if do_create else [])
    schema["$schema"] = "http://json-schema.org/draft-04/schema#"
    schema["definitions"] = {
        "virkning": _object(
            {"from": STRING, "to": STRING, "from_included": BOOLEAN, "to_included": BOOLEAN,
             "aktoerref": UUID, "aktoertypekode": STRING, "notetekst": STRING},
            ["from", "to"],
        ),
        OFFENTLIGHEDUNDTAGET: _object({"alternativtitel": STRING, "hjemmel": STRING},
                                      ["alternativtitel", "hjemmel"]),
    }
    return schema


def schema_for(cls: OioClass, do_create: bool = True) -> dict[str, Any]:
    """The write schema (a copy: callers may serve or change it)."""
    return copy.deepcopy(_schema(cls, do_create))


@lru_cache(maxsize=None)
def validator_for(cls: OioClass, do_create: bool) -> jsonschema.Draft4Validator:
    return jsonschema.Draft4Validator(_schema(cls, do_create))


def first_error(cls: OioClass, body: Any, do_create: bool) -> str | None:
    """LoRa's answer to an invalid body: the best-matching schema error's message."""
    validator = validator_for(cls, do_create)
    if validator.is_valid(body):  # the common case, without collecting and ranking errors
        return None
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    return error.message if error is not None else None
