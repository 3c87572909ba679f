"""Read-back: a stored registration as LoRa 1.10.0 shows it.

LoRa shows only the values whose virkning meets the asked period (now, by default), renders
times as PostgreSQL text with `from_included`/`to_included`, drops `false`, empty strings and
empty containers, and renames the journalpost keys (`journalpostkode` -> `reltypespec`,
`journaldokument` -> `journaldokumentattr`).
"""

from __future__ import annotations

from typing import Any

from . import virkning
from .registration import Registration

_RENAMED = {"journalpostkode": "reltypespec", "journaldokument": "journaldokumentattr"}


def _clean(value: Any) -> Any:
    """Drop false, empty strings and empty containers, as LoRa's output does."""
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            item = item if key == "virkning" else _clean(item)
            if item is None or item is False or item == "" or item == {} or item == []:
                continue
            cleaned[key] = item
        return cleaned
    if isinstance(value, list):
        return [c for c in (_clean(item) for item in value) if c not in (None, "", {}, [])]
    return value


def _values(values: list[dict[str, Any]], start: str, end: str) -> list[dict[str, Any]]:
    return [
        {**{_RENAMED.get(k, k): v for k, v in value.items() if k != "virkning"},
         "virkning": virkning.render_virkning(value["virkning"])}
        for value in values
        if virkning.overlaps(value["virkning"], start, end)
    ]


def _groups(groups: dict[str, list[dict[str, Any]]], start: str, end: str) -> dict[str, Any]:
    return {name: _values(values, start, end) for name, values in groups.items()}


def _variants(variants: list[dict[str, Any]], start: str, end: str) -> list[dict[str, Any]]:
    return [
        {**variant,
         "egenskaber": _values(variant.get("egenskaber", []), start, end),
         "dele": [{**part, "egenskaber": _values(part.get("egenskaber", []), start, end)}
                  for part in variant.get("dele", [])]}
        for variant in variants
    ]


def registration(stored: Registration, start: str, end: str) -> dict[str, Any]:
    """One registration as read back, showing the values valid in [start, end)."""
    shown: dict[str, Any] = {
        "fratidspunkt": {"tidsstempeldatotid": virkning.render(stored["fratidspunkt"]),
                         "graenseindikator": True},
        "tiltidspunkt": {"tidsstempeldatotid": virkning.INFINITY},
        "livscykluskode": stored["livscykluskode"],
        "brugerref": stored["brugerref"],
        "note": stored.get("note", ""),
        "attributter": _groups(stored["attributter"], start, end),
        "tilstande": _groups(stored["tilstande"], start, end),
        "relationer": _groups(stored["relationer"], start, end),
    }
    if "varianter" in stored:
        shown["varianter"] = _variants(stored["varianter"], start, end)
    return _clean(shown)


def object_(uuid: str, stored: Registration, start: str, end: str) -> dict[str, Any]:
    return {"id": uuid, "registreringer": [registration(stored, start, end)]}
