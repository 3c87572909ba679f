"""Time and validity periods (virkning) as LoRa 1.10.0 stores and renders them.

Times are kept as canonical UTC strings `YYYY-MM-DDTHH:MM:SS.ffffff` that sort as text, with the
sentinels `-infinity` and `infinity`. Input without a zone is UTC, as in LoRa. Read-back renders
PostgreSQL's timestamptz text: `2024-01-01 00:00:00+00` (fractions only when present).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any, Callable

INFINITY = "infinity"
NEG_INFINITY = "-infinity"
_SORT_FLOOR = "0"  # sorts before every year
_SORT_CEILING = "9"  # sorts after every year up to 8999


class BadTime(ValueError):
    """A time that PostgreSQL would refuse; the message is the one it gives."""

    def __init__(self, text: str) -> None:
        super().__init__(f'invalid input syntax for type timestamp with time zone: "{text}"')


def canonical(text: str) -> str:
    """The stored form of a time given by a client."""
    value = str(text).strip()
    lowered = value.lower()
    if lowered in (INFINITY, "+infinity"):
        return INFINITY
    if lowered == NEG_INFINITY:
        return NEG_INFINITY
    return _format(parse(value))


def parse(value: str) -> datetime:
    text = value.strip().replace(" ", "T", 1)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    if len(text) > 3 and text[-3] in "+-" and text[-2:].isdigit() and "T" in text:
        text += ":00"  # PostgreSQL's short zone "+00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(text), datetime.min.time())
        except ValueError:
            raise BadTime(value) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _format(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")


def now() -> str:
    return _format(datetime.now(timezone.utc))


def just_after(moment: str) -> str:
    """The canonical time one microsecond later (LoRa's instant as a non-empty period)."""
    if moment in (INFINITY, NEG_INFINITY):
        return moment
    return _format(datetime.fromisoformat(moment).replace(tzinfo=timezone.utc)
                   + timedelta(microseconds=1))


def sort_key(moment: str) -> str:
    """A short text that orders like the time, the sentinels included (used in the search
    index). A zero fraction is left out: `...:00` still sorts before `...:00.5` and `...:01`."""
    if moment == NEG_INFINITY:
        return _SORT_FLOOR
    if moment == INFINITY:
        return _SORT_CEILING
    return moment.removesuffix(".000000")


@lru_cache(maxsize=1 << 16)
def render(moment: str) -> str:
    """PostgreSQL's text for a timestamptz in a UTC session."""
    if moment in (INFINITY, NEG_INFINITY):
        return moment
    day, clock = moment.split("T")
    whole, fraction = clock.split(".")
    fraction = fraction.rstrip("0")
    return f"{day} {whole}{'.' + fraction if fraction else ''}+00"


def normalize(virkning: dict[str, Any]) -> dict[str, Any]:
    """A client's virkning in stored form (raises BadTime)."""
    stored = dict(virkning)
    stored["from"] = canonical(virkning["from"])
    stored["to"] = canonical(virkning["to"])
    return stored


def render_virkning(virkning: dict[str, Any]) -> dict[str, Any]:
    shown = {key: value for key, value in virkning.items() if key not in ("from", "to")}
    shown["from"] = render(virkning["from"])
    shown["to"] = render(virkning["to"])
    shown.setdefault("from_included", True)
    shown.setdefault("to_included", False)
    return shown


def overlaps(virkning: dict[str, Any], start: str, end: str) -> bool:
    """Whether the period [from, to) meets [start, end)."""
    return sort_key(virkning["from"]) < sort_key(end) and sort_key(start) < sort_key(virkning["to"])


def _subtract(period: tuple[str, str], cut: tuple[str, str]) -> list[tuple[str, str]]:
    start, end = period
    cut_start, cut_end = cut
    if sort_key(cut_end) <= sort_key(start) or sort_key(end) <= sort_key(cut_start):
        return [period]
    pieces = []
    if sort_key(start) < sort_key(cut_start):
        pieces.append((start, cut_start))
    if sort_key(cut_end) < sort_key(end):
        pieces.append((cut_end, end))
    return pieces


def _with_period(value: dict[str, Any], start: str, end: str) -> dict[str, Any]:
    return {**value, "virkning": {**value["virkning"], "from": start, "to": end}}


def merge_periods(
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    combine: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]],
) -> list[dict[str, Any]]:
    """LoRa's update of one attribute, state or 0..1 relation: each new value applies to its
    period; where it meets an old value the two combine, outside it the old value stays."""
    result: list[dict[str, Any]] = []
    new_periods = [(n["virkning"]["from"], n["virkning"]["to"]) for n in new]
    for value in old:
        pieces = [(value["virkning"]["from"], value["virkning"]["to"])]
        for cut in new_periods:
            pieces = [rest for piece in pieces for rest in _subtract(piece, cut)]
        result.extend(_with_period(value, start, end) for start, end in pieces)
    for value in new:
        start, end = value["virkning"]["from"], value["virkning"]["to"]
        uncovered = [(start, end)]
        for earlier in old:
            e_start, e_end = earlier["virkning"]["from"], earlier["virkning"]["to"]
            if sort_key(e_start) < sort_key(end) and sort_key(start) < sort_key(e_end):
                lo = max(start, e_start, key=sort_key)
                hi = min(end, e_end, key=sort_key)
                result.append(_with_period(combine(earlier, value), lo, hi))
            uncovered = [rest for piece in uncovered for rest in _subtract(piece, (e_start, e_end))]
        result.extend(_with_period(value, lo, hi) for lo, hi in uncovered)
    result.sort(key=lambda v: sort_key(v["virkning"]["from"]))
    return result
