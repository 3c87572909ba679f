"""The search index rows of a registration: one row per attribute field, state and relation
value, each with its validity period, text casefolded so that `Æ`/`æ` and `A`/`a` match alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import virkning
from .model import OioClass
from .registration import Registration

# Fields whose text also goes into the trigram index, which makes `%word%` searches fast.
TRIGRAM_FIELDS = frozenset({"titel", "sagsnummer", "brugervendtnoegle"})


def fold(text: str) -> str:
    return text.casefold()


@dataclass(frozen=True, slots=True)
class IndexRows:
    bvn: str  # the brugervendtnoegle valid now (or the latest), for ordering
    attributes: list[tuple[str, str, str, str]]  # field, folded value, from, to
    states: list[tuple[str, str, str, str]]  # state, folded value, from, to
    relations: list[tuple[str, str, str, str, str]]  # name, folded target, objekttype, from, to


def _period(value: dict[str, Any]) -> tuple[str, str]:
    v = value["virkning"]
    return virkning.sort_key(v["from"]), virkning.sort_key(v["to"])


def _text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return fold(str(value))
    return None  # composite values (offentlighedundtaget) are not searchable


def _current_bvn(values: list[dict[str, Any]]) -> str:
    moment = virkning.now()
    current = [v for v in values if virkning.overlaps(v["virkning"], moment,
                                                      virkning.just_after(moment))]
    chosen = current or sorted(values, key=lambda v: virkning.sort_key(v["virkning"]["from"]))
    return fold(str(chosen[-1].get("brugervendtnoegle", ""))) if chosen else ""


def rows(cls: OioClass, registration: Registration) -> IndexRows:
    attributes = []
    for values in registration["attributter"].values():
        for value in values:
            start, end = _period(value)
            for field, item in value.items():
                text = _text(item) if field != "virkning" else None
                if text is not None:
                    attributes.append((field, text, start, end))
    for variant in registration.get("varianter", []):
        if variant.get("varianttekst"):
            attributes.append(("varianttekst", fold(variant["varianttekst"]),
                               *_widest(variant.get("egenskaber", []))))
        for part in variant.get("dele", []):
            if part.get("deltekst"):
                attributes.append(("deltekst", fold(part["deltekst"]),
                                   *_widest(part.get("egenskaber", []))))
    states = [
        (state, fold(value[state]), *_period(value))
        for group, values in registration["tilstande"].items()
        for value in values
        for state in cls.states
        if group == cls.state_group(state) and state in value
    ]
    relations = [
        (name, fold(value.get("uuid") or value.get("urn") or ""), value.get("objekttype", ""),
         *_period(value))
        for name, values in registration["relationer"].items()
        for value in values
    ]
    bvn = _current_bvn(registration["attributter"].get(cls.attribute_group, []))
    return IndexRows(bvn, attributes, states, relations)


def _widest(values: list[dict[str, Any]]) -> tuple[str, str]:
    """Variant and part names have no virkning of their own: they count while any of their
    properties do (always, when they have none)."""
    if not values:
        return virkning.sort_key(virkning.NEG_INFINITY), virkning.sort_key(virkning.INFINITY)
    periods = [_period(v) for v in values]
    return min(p[0] for p in periods), max(p[1] for p in periods)
