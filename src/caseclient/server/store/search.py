"""LoRa 1.10.0's list and search operations: arguments, periods and the search query.

Argument names are case-insensitive (`bvn` is `brugervendtnoegle`); an argument LoRa does not know
for the class gives 400 "Unsupported argument(s): ...". Attribute values match like PostgreSQL's
ILIKE (`%` and `_` wildcards, case-insensitive, Danish letters included); states and relations
match exactly. Every criterion sees only values valid in the asked period, which is *now* unless
`virkningstid` or `virkningfra`/`virkningtil` say otherwise. Results are ordered by
brugervendtnoegle and paged with `foersteresultat`/`maximalantalresultater`.
"""

from __future__ import annotations

import sqlite3
import uuid as uuidlib

from werkzeug.datastructures import MultiDict

from . import virkning
from .database import Database
from .criteria import SCAN_BUDGET, CriteriaBuilder, Plan, plan
from .model import OioClass
from .registration import SLETTET

GENERAL = frozenset({"brugerref", "foersteresultat", "livscykluskode", "maximalantalresultater",
                     "notetekst", "uuid", "vilkaarligattr", "vilkaarligrel", "list"})
TEMPORALITY = frozenset({"registreretfra", "registrerettil", "registreringstid", "virkningfra",
                         "virkningtil", "virkningstid"})
CONSOLIDATE = frozenset({"konsolider"})
ALIASES = {"bvn": "brugervendtnoegle"}


class BadRequest(ValueError):
    """A request LoRa answers with 400 and this message."""


MAX_PAGING_VALUE = 2**31 - 1


def paging_value(name: str, text: str) -> int:
    """A paging parameter: a whole number from 0 up (BadRequest, a 400, for anything else)."""
    value = text.strip()
    if not value.isascii() or not value.isdigit() or int(value) > MAX_PAGING_VALUE:
        raise BadRequest(f"{name} must be a whole number from 0 to {MAX_PAGING_VALUE}, not {text[:40]!r}")
    return int(value)


def lowered(args: MultiDict) -> MultiDict:
    """Query arguments with LoRa's case-insensitive names and aliases."""
    result: MultiDict = MultiDict()
    for key, value in args.items(multi=True):
        name = key.lower()
        result.add(ALIASES.get(name, name), value)
    return result


def verify(cls: OioClass, args: MultiDict, *, search: bool, temporality: bool) -> None:
    unknown = set(args.keys())
    if temporality:
        unknown -= TEMPORALITY | CONSOLIDATE
    if search:
        unknown -= GENERAL | TEMPORALITY
        unknown -= set(cls.attributes) | set(cls.extra_search_fields) | set(cls.states)
        unknown = {name for name in unknown if name.split(":")[0] not in cls.relation_names}
    if unknown:
        raise BadRequest(f"Unsupported argument(s): {', '.join(sorted(unknown))}")


def period(args: MultiDict) -> tuple[str, str]:
    """The virkning period a read, list or search looks at: [from, to)."""
    instant = args.get("virkningstid")
    start, end = args.get("virkningfra"), args.get("virkningtil")
    try:
        if instant:
            if start or end:
                raise BadRequest("'virkningfra'/'virkningtil' conflict with 'virkningstid'")
            moment = virkning.canonical(instant)
            return moment, virkning.just_after(moment)
        if start is None and end is None:
            moment = virkning.now()
            return moment, virkning.just_after(moment)
        return (virkning.canonical(start) if start else virkning.NEG_INFINITY,
                virkning.canonical(end) if end else virkning.INFINITY)
    except virkning.BadTime as error:
        raise BadRequest(str(error)) from None


def is_list_operation(args: MultiDict) -> bool:
    """Only uuids and temporality: LoRa lists whole objects instead of searching."""
    return set(args.keys()) <= (TEMPORALITY | CONSOLIDATE | {"uuid"}) and "uuid" in args


def _uuid_only(value: str) -> str:
    """LoRa 1.10.0 compares `vilkaarligrel` with the relations' uuid column only, so PostgreSQL
    refuses a urn (a CPR or CVR party) there: search per relation instead (primaerpart=urn:...)."""
    try:
        return str(uuidlib.UUID(value))
    except ValueError:
        raise BadRequest(f'invalid input syntax for type uuid: "{value}"') from None


def search(db: Database, cls: OioClass, args: MultiDict) -> list[str]:
    """The uuids of the objects matching the (lowered, verified) search arguments."""
    start, end = period(args)
    builder = CriteriaBuilder(start, end)
    for name, value in args.items(multi=True):
        base = name.split(":")[0]
        if name in cls.attributes or name in cls.extra_search_fields:
            builder.attribute(name, value)
        elif name in cls.states:
            builder.state(name, value)
        elif base in cls.relation_names:
            builder.relation(base, value, name.partition(":")[2] or None)
        elif name == "vilkaarligattr":
            builder.attribute(None, value)
        elif name == "vilkaarligrel":
            builder.relation(None, _uuid_only(value))
    uuids = args.getlist("uuid")
    if len(uuids) > 1:
        raise BadRequest("Multiple uuid parameters passed to search operation. "
                         "Only one uuid parameter is supported.")
    limit, offset = args.get("maximalantalresultater"), args.get("foersteresultat")
    paging = (paging_value("maximalantalresultater", limit) if limit is not None else -1,
              paging_value("foersteresultat", offset or "0"))
    conn = db.connection()
    chosen = plan(conn, builder.criteria, paged=limit is not None)
    extra, extra_params = ["o.class = ?"], [cls.path]
    if uuids:
        extra.append("o.uuid = ?")
        extra_params.append(uuids[0].lower())
    lifecycle = args.get("livscykluskode")
    extra.append("o.lifecycle = ?" if lifecycle else "o.lifecycle != ?")
    extra_params.append(lifecycle or SLETTET)
    for name, key in (("brugerref", "brugerref"), ("notetekst", "note")):
        if args.get(name):
            extra.append("o.id IN (SELECT object FROM registrations WHERE "
                         f"json_extract(registration, '$.{key}') = ?)")
            extra_params.append(args[name])

    def run(chosen: Plan) -> list[str]:
        clauses, params = chosen.conditions()
        sql = (f"SELECT o.uuid FROM objects o WHERE {' AND '.join(clauses + extra)} "
               "ORDER BY o.bvn, o.uuid LIMIT ? OFFSET ?")
        return [row[0] for row in conn.execute(sql, [*params, *extra_params, *paging])]

    if chosen.driver is not None or not chosen.criteria:
        return run(chosen)
    conn.set_progress_handler(lambda: 1, SCAN_BUDGET)  # a walk that takes long is abandoned
    try:
        return run(chosen)
    except sqlite3.OperationalError as error:
        if "interrupted" not in str(error):
            raise
    finally:
        conn.set_progress_handler(None, 0)
    return run(chosen.driven_by_smallest())
