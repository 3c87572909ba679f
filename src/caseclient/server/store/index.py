"""The search index rows of a registration: one row per attribute field, state and relation
value, each with its validity period, text casefolded and composed (NFC) so that `Æ`/`æ`, `A`/`a`
and `å`/`a`+ring match alike.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from . import virkning
from .model import OioClass
from .registration import Registration

# Fields whose text also goes into the trigram index, which makes `%word%` searches fast, with
# the code that keys their row: trigram rowid = object id * TRIGRAM_KEYS + code.
TRIGRAM_FIELDS = {"titel": 1, "sagsnummer": 2, "brugervendtnoegle": 3}
TRIGRAM_KEYS = 8
TRIGRAM_SEPARATOR = "\n"  # between the values of one field (one per period)


def fold(text: str) -> str:
    """Text as the index keeps and compares it: casefolded and composed (NFC), so `Å` typed as
    one letter and `A` + combining ring (NFD, as macOS and some scanners write it) match alike."""
    folded = text.casefold()
    return folded if folded.isascii() else unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


@dataclass(frozen=True, slots=True)
class IndexRows:
    bvn: str  # the brugervendtnoegle valid now (or the latest), for ordering
    attributes: list[tuple[str, str, str, str]]  # field, folded value, from, to
    states: list[tuple[str, str, str, str]]  # state, folded value, from, to
    relations: list[tuple[str, str, str, str, str]]  # name, folded target, objekttype, from, to
    # when every attribute value is valid from some time on to infinity: the latest such start
    # (searches at or after it see all values); None when some value ends or is missing
    stable_since: str | None

    def trigram_rows(self, object_id: int) -> list[tuple[int, str]]:
        """(rowid, text) per trigram field: the field's values of all periods, one per line."""
        texts: dict[str, list[str]] = {}
        for field, value, _, _ in self.attributes:
            if field in TRIGRAM_FIELDS:
                texts.setdefault(field, []).append(value)
        return [(object_id * TRIGRAM_KEYS + TRIGRAM_FIELDS[field], TRIGRAM_SEPARATOR.join(values))
                for field, values in texts.items()]


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
    ceiling = virkning.sort_key(virkning.INFINITY)
    stable = attributes and all(end == ceiling for _, _, _, end in attributes)
    stable_since = max(start for _, _, start, _ in attributes) if stable else None
    return IndexRows(bvn, attributes, states, relations, stable_since)


def _widest(values: list[dict[str, Any]]) -> tuple[str, str]:
    """Variant and part names have no virkning of their own: they count while any of their
    properties do (always, when they have none)."""
    if not values:
        return virkning.sort_key(virkning.NEG_INFINITY), virkning.sort_key(virkning.INFINITY)
    periods = [_period(v) for v in values]
    return min(p[0] for p in periods), max(p[1] for p in periods)
