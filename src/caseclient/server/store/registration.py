"""Registrations as the reference service stores them, and LoRa's rules for changing them.

A stored registration holds the client's attributter/tilstande/relationer (and varianter for a
Dokument) with every virkning in canonical form, plus livscykluskode, note, brugerref and the
registration time. Create and import store the body as given; update (PATCH) merges:
attributes merge field by field per period, states and 0..1 relations replace per period,
indexed 0..n relations (Sag) append without `indeks` and replace by `indeks`, other 0..n
relations are replaced as a whole, and a Dokument PATCH without `varianter` loses its file parts.
An update that changes nothing LoRa compares (life cycle code, attributes, states, relations) makes
no new registration: LoRa 1.10.0 answers 200 and keeps the previous one, varianter included.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from . import virkning
from .model import OioClass

# The user LoRa records when authentication is off, as a real 1.10.0 does.
ANONYMOUS_USER = "42c432e8-9c4a-11e6-9f62-873cf34a735f"

OPSTAAET = "Opstaaet"
IMPORTERET = "Importeret"
RETTET = "Rettet"
SLETTET = "Slettet"
PASSIVERET = "Passiveret"

Registration = dict[str, Any]


def _normalize_values(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**value, "virkning": virkning.normalize(value["virkning"])} for value in values]


def _normalize_variants(variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result = []
    for variant in variants:
        stored = dict(variant)
        stored["egenskaber"] = _normalize_values(variant.get("egenskaber", []))
        stored["dele"] = [
            {**part, "egenskaber": _normalize_values(part.get("egenskaber", []))}
            for part in variant.get("dele", [])
        ]
        result.append(stored)
    return result


def _assign_indexes(cls: OioClass, relations: dict[str, list[dict[str, Any]]],
                    existing: dict[str, list[dict[str, Any]]] | None = None) -> None:
    """Give indexed 0..n relation values without `indeks` the next free number."""
    if not cls.indexed_relations:
        return
    for name in cls.relations_many:
        values = relations.get(name)
        if not values:
            continue
        taken = [v["indeks"] for v in (existing or {}).get(name, []) + values if "indeks" in v]
        next_index = max(taken, default=0) + 1
        for value in values:
            if "indeks" not in value:
                value["indeks"] = next_index
                next_index += 1


def from_body(cls: OioClass, body: dict[str, Any], lifecycle: str) -> Registration:
    """A new registration from a validated create/import body (raises virkning.BadTime)."""
    relations = {
        name: _normalize_values(values)
        for name, values in body.get("relationer", {}).items()
        if values
    }
    _assign_indexes(cls, relations)
    registration: Registration = {
        "attributter": {group: _normalize_values(values)
                        for group, values in body.get("attributter", {}).items()},
        "tilstande": {group: _normalize_values(values)
                      for group, values in body.get("tilstande", {}).items()},
        "relationer": relations,
        "note": body.get("note", ""),
        "livscykluskode": lifecycle,
        "brugerref": ANONYMOUS_USER,
        "fratidspunkt": virkning.now(),
    }
    if cls.has_variants:
        registration["varianter"] = _normalize_variants(body.get("varianter", []))
    return registration


def _is_cleared(value: dict[str, Any]) -> bool:
    return not value.get("uuid") and not value.get("urn")


def updated(cls: OioClass, old: Registration, body: dict[str, Any]) -> Registration:
    """The registration a PATCH body makes of `old` (raises virkning.BadTime)."""
    new = copy.deepcopy(old)
    for group, values in body.get("attributter", {}).items():
        new["attributter"][group] = virkning.merge_periods(
            new["attributter"].get(group, []), _normalize_values(values),
            lambda earlier, later: {**earlier, **later})
    for group, values in body.get("tilstande", {}).items():
        new["tilstande"][group] = virkning.merge_periods(
            new["tilstande"].get(group, []), _normalize_values(values),
            lambda earlier, later: later)
    incoming = {name: _normalize_values(values)
                for name, values in body.get("relationer", {}).items() if values}
    _assign_indexes(cls, incoming, new["relationer"])
    for name, values in incoming.items():
        current = new["relationer"].get(name, [])
        if name in cls.relations_one:
            merged = virkning.merge_periods(current, values, lambda earlier, later: later)
        elif cls.indexed_relations:
            replaced = {v["indeks"] for v in values}
            merged = [v for v in current if v.get("indeks") not in replaced] + values
            merged.sort(key=lambda v: v.get("indeks", 0))
        else:
            merged = values
        new["relationer"][name] = [v for v in merged if not _is_cleared(v)]
    if cls.has_variants:
        if "varianter" in body:
            new["varianter"] = _normalize_variants(body["varianter"])
        else:  # LoRa 1.10.0's quirk: the new registration keeps no file parts
            new["varianter"] = [{**variant, "dele": []} for variant in new.get("varianter", [])]
    new["note"] = body.get("note", "")
    new["livscykluskode"] = RETTET
    new["fratidspunkt"] = virkning.now()
    return old if _same_content(old, new) else new


def _canonical(registration: Registration) -> str:
    """What LoRa compares to tell a change from a no-op: the life cycle code, attributes,
    states and relations (not note, times or varianter), in a stable order."""
    def ordered(groups: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
        return {name: sorted(json.dumps(v, sort_keys=True) for v in values)
                for name, values in groups.items() if values}

    return json.dumps([registration["livscykluskode"],
                       *(ordered(registration[part])
                         for part in ("attributter", "tilstande", "relationer"))],
                      sort_keys=True)


def _same_content(old: Registration, new: Registration) -> bool:
    return _canonical(old) == _canonical(new)


def deleted(old: Registration, note: str) -> Registration:
    new = copy.deepcopy(old)
    new.update(note=note, livscykluskode=SLETTET, fratidspunkt=virkning.now())
    return new


def content_references(registration: Registration) -> list[dict[str, Any]]:
    """Every file part's properties (the dicts that carry `indhold`), for rewriting and lookup."""
    return [
        properties
        for variant in registration.get("varianter", [])
        for part in variant.get("dele", [])
        for properties in part.get("egenskaber", [])
        if properties.get("indhold")
    ]
