"""LoRa 1.10.0's list and search operations over the index tables.

Argument names are case-insensitive (`bvn` is `brugervendtnoegle`); an argument LoRa does not know
for the class gives 400 "Unsupported argument(s): ...". Attribute values match like PostgreSQL's
ILIKE (`%` and `_` wildcards, case-insensitive, Danish letters included); states and relations
match exactly. Every criterion sees only values valid in the asked period, which is *now* unless
`virkningstid` or `virkningfra`/`virkningtil` say otherwise. Results are ordered by
brugervendtnoegle and paged with `foersteresultat`/`maximalantalresultater`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from . import virkning
from .database import Database
from .index import TRIGRAM_FIELDS, fold
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


@dataclass
class _Query:
    start: str
    end: str
    clauses: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)

    def valid(self, alias: str) -> str:
        self.params.extend([virkning.sort_key(self.end), virkning.sort_key(self.start)])
        return f"{alias}.valid_from < ? AND {alias}.valid_to > ?"

    def attribute(self, name: str | None, pattern: str) -> None:
        """Objects with an attribute value (of field `name`, or any) LIKE the folded pattern."""
        text = fold(pattern)
        literal = re.split(r"[%_]", text)
        head = literal[0]
        named = "a.field = ? AND " if name else ""
        name_params = [name] if name else []
        if text == head:  # no wildcard: equality
            sql = f"SELECT a.object FROM attribute_index a WHERE {named}a.value = ? AND "
            params = [*name_params, text]
        elif head and name:  # a prefix: a range scan of the (field, value) index
            sql = ("SELECT a.object FROM attribute_index a WHERE a.field = ? AND a.value >= ? "
                   "AND a.value < ? AND a.value LIKE ? AND ")
            params = [name, head, head[:-1] + chr(ord(head[-1]) + 1), text]
        elif name in TRIGRAM_FIELDS and max(map(len, literal)) >= 3:
            sql = ("SELECT a.object FROM attribute_trigram t JOIN attribute_index a "
                   "ON a.id = t.rowid WHERE t.value LIKE ? AND a.field = ? AND ")
            params = [text, name]
        else:
            sql = f"SELECT a.object FROM attribute_index a WHERE {named}a.value LIKE ? AND "
            params = [*name_params, text]
        self.params.extend(params)
        self.clauses.append(f"o.id IN ({sql}{self.valid('a')})")

    def state(self, name: str, value: str) -> None:
        self.params.extend([name, fold(value)])
        self.clauses.append("o.id IN (SELECT s.object FROM state_index s WHERE s.state = ? "
                            f"AND s.value = ? AND {self.valid('s')})")

    def relation(self, name: str | None, target: str, objekttype: str | None = None) -> None:
        conditions = ["r.target = ?"]
        params: list = [fold(target)]
        if name:
            conditions.insert(0, "r.name = ?")
            params.insert(0, name)
        if objekttype:
            conditions.append("r.objekttype = ?")
            params.append(objekttype)
        self.params.extend(params)
        self.clauses.append(f"o.id IN (SELECT r.object FROM relation_index r WHERE "
                            f"{' AND '.join(conditions)} AND {self.valid('r')})")


def search(db: Database, cls: OioClass, args: MultiDict) -> list[str]:
    """The uuids of the objects matching the (lowered, verified) search arguments."""
    start, end = period(args)
    query = _Query(start, end)
    for name, value in args.items(multi=True):
        base = name.split(":")[0]
        if name in cls.attributes or name in cls.extra_search_fields:
            query.attribute(name, value)
        elif name in cls.states:
            query.state(name, value)
        elif base in cls.relation_names:
            query.relation(base, value, name.partition(":")[2] or None)
        elif name == "vilkaarligattr":
            query.attribute(None, value)
        elif name == "vilkaarligrel":
            query.relation(None, value)
    uuids = args.getlist("uuid")
    if len(uuids) > 1:
        raise BadRequest("Multiple uuid parameters passed to search operation. "
                         "Only one uuid parameter is supported.")
    if uuids:
        query.clauses.append("o.uuid = ?")
        query.params.append(uuids[0].lower())
    lifecycle = args.get("livscykluskode")
    if lifecycle:
        query.clauses.append("o.lifecycle = ?")
        query.params.append(lifecycle)
    else:
        query.clauses.append("o.lifecycle != ?")
        query.params.append(SLETTET)
    for name, key in (("brugerref", "brugerref"), ("notetekst", "note")):
        if args.get(name):
            query.clauses.append(f"json_extract(o.registration, '$.{key}') = ?")
            query.params.append(args[name])
    sql = (f"SELECT o.uuid FROM objects o WHERE o.class = ? AND {' AND '.join(query.clauses)} "
           "ORDER BY o.bvn, o.uuid")
    params: list = [cls.path, *query.params]
    limit, offset = args.get("maximalantalresultater"), args.get("foersteresultat")
    if limit is not None or offset is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [int(limit) if limit is not None else -1, int(offset or 0)]
    return [row[0] for row in db.connection().execute(sql, params)]
