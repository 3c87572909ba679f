"""Search criteria as SQL, and the plan that keeps searches fast at a hundred thousand cases.

Every criterion can be written two ways: as the *set* of matching object ids, found through an
index (a range of (field, value), a trigram MATCH, a relation target), or as a *check* of one
object (`EXISTS ... WHERE object = o.id`). The plan probes each set with a capped count: the
smallest set drives the query and the others are checked per row. When a paged search has no set
below the cap (every criterion matches tens of thousands), the objects are walked in
brugervendtnoegle order and checked one by one, which finds a page within a few hundred rows;
when the matches come late in that order (a broad case-number prefix late in the alphabet) the
walk runs out of its step budget and the smallest set drives after all.

Text searches with a leading `%` go through the trigram index, one row per object and field:
its MATCH gives candidate objects without touching the value rows. `%word%` needs nothing more
for an object whose values are all valid from a time before the searched period on; any other
pattern, or object, is confirmed against the value rows.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

from . import virkning
from .index import TRIGRAM_FIELDS, TRIGRAM_KEYS, fold

_TABLES = {"a": "attribute_index", "s": "state_index", "r": "relation_index"}
PROBE_CAP = 20_000  # a set larger than this is not worth materializing for a page ...
SCAN_BUDGET = 1_000_000  # ... unless walking the objects takes more SQLite steps than this
_TRIGRAM_UNSAFE = re.compile(r'["\n]')  # cannot go into a MATCH phrase, or spans values


@dataclass(frozen=True)
class Criterion:
    set_sql: str  # SELECT <object ids>: all matching objects, maybe more (see refine)
    set_params: tuple
    check_sql: str  # an exact condition on `o`
    check_params: tuple
    estimate_sql: str  # SELECT the set's object ids, or a cheaper superset of them
    estimate_params: tuple
    refine_sql: str = ""  # a condition on `o` that makes the set exact, if it is a superset
    refine_params: tuple = ()


class CriteriaBuilder:
    """Criteria that see only values valid in [start, end)."""

    def __init__(self, start: str, end: str) -> None:
        self._end = virkning.sort_key(end)
        self._valid = (self._end, virkning.sort_key(start))
        self.criteria: list[Criterion] = []

    def _check(self, alias: str, where: str, params: tuple) -> tuple[str, tuple]:
        return (f"EXISTS (SELECT 1 FROM {_TABLES[alias]} {alias} WHERE {alias}.object = o.id "
                f"AND {where} AND {alias}.valid_from < ? AND {alias}.valid_to > ?)",
                (*params, *self._valid))

    def _add(self, alias: str, where: str, params: tuple,
             check: tuple[str, tuple] | None = None) -> None:
        """A criterion on index table `alias`; `check` is its exact per-object condition, when
        it differs from `where` (a range condition that only makes the index usable)."""
        set_sql = (f"SELECT {alias}.object FROM {_TABLES[alias]} {alias} WHERE {where} "
                   f"AND {alias}.valid_from < ? AND {alias}.valid_to > ?")
        set_params = (*params, *self._valid)
        self.criteria.append(Criterion(set_sql, set_params, *self._check(alias, *(check or (
            where, params))), set_sql, set_params))

    def _add_trigram(self, name: str, text: str, like: tuple[str, tuple]) -> bool:
        """A `%...` pattern on a trigram field through the trigram index; False if it cannot."""
        segments = [s for s in re.split(r"[%_]", text) if len(s) >= 3]
        if name not in TRIGRAM_FIELDS or not segments or _TRIGRAM_UNSAFE.search(text):
            return False
        candidates = (f"SELECT rowid / {TRIGRAM_KEYS} FROM attribute_trigram WHERE "
                      f"attribute_trigram MATCH ? AND rowid % {TRIGRAM_KEYS} = ?",
                      (" AND ".join(f'"{s}"' for s in segments), TRIGRAM_FIELDS[name]))
        check_sql, check_params = self._check("a", *like)
        if text == f"%{segments[0]}%":  # a stable object's values all count: no need to look
            refine = (f"(o.stable_since < ? OR {check_sql})", (self._end, *check_params))
        else:
            refine = (check_sql, check_params)
        self.criteria.append(Criterion(*candidates, check_sql, check_params, *candidates,
                                       *refine))
        return True

    def attribute(self, name: str | None, pattern: str) -> None:
        """Objects with a value of attribute `name` (or of any) LIKE the pattern, casefolded."""
        text = fold(pattern)
        head = re.split(r"[%_]", text)[0]
        field = ("a.field = ? AND ", (name,)) if name else ("", ())
        like = (f"{field[0]}a.value LIKE ?", (*field[1], text))
        if name and not text.strip("%"):  # only `%`: any value of the field will do
            self._add("a", "a.field = ?", (name,))
        elif text == head:
            self._add("a", f"{field[0]}a.value = ?", (*field[1], text))
        elif head and name:  # a prefix: a range of the (field, value) index
            upper = head[:-1] + chr(ord(head[-1]) + 1)
            self._add("a", "a.field = ? AND a.value >= ? AND a.value < ? AND a.value LIKE ?",
                      (name, head, upper, text), like)
        elif not (name and self._add_trigram(name, text, like)):
            self._add("a", *like)

    def state(self, name: str, value: str) -> None:
        self._add("s", "s.state = ? AND s.value = ?", (name, fold(value)))

    def relation(self, name: str | None, target: str, objekttype: str | None = None) -> None:
        conditions, params = ["r.target = ?"], [fold(target)]
        if name:
            conditions.insert(0, "r.name = ?")
            params.insert(0, name)
        if objekttype:
            conditions.append("r.objekttype = ?")
            params.append(objekttype)
        self._add("r", " AND ".join(conditions), tuple(params))


@dataclass(frozen=True)
class Plan:
    """How to find the criteria's objects: `driver` is the criterion whose set drives the query,
    or None to walk the objects in brugervendtnoegle order (worth it for a page out of a large
    set, as long as the walk finds the page soon: see SCAN_BUDGET)."""

    criteria: list[Criterion]
    probes: list[list[int] | None]  # each criterion's estimate (at most PROBE_CAP + 1 object
    # ids), None when not probed
    driver: int | None

    def conditions(self) -> tuple[list[str], list]:
        """Conditions on `o` and their parameters."""
        clauses, params = [], []
        for number, criterion in enumerate(self.criteria):
            if number == self.driver:
                probe = self.probes[number]
                if probe is not None and len(probe) <= PROBE_CAP:  # the probe found them all
                    clauses.append("o.id IN (SELECT value FROM json_each(?))")
                    params.append(json.dumps(probe))
                else:
                    clauses.append(f"o.id IN ({criterion.set_sql})")
                    params.extend(criterion.set_params)
                if criterion.refine_sql:
                    clauses.append(criterion.refine_sql)
                    params.extend(criterion.refine_params)
            else:
                clauses.append(criterion.check_sql)
                params.extend(criterion.check_params)
        return clauses, params

    def driven_by_smallest(self) -> "Plan":
        smallest = min(range(len(self.criteria)), key=lambda n: len(self.probes[n] or ()))
        return Plan(self.criteria, self.probes, smallest)


def plan(conn: sqlite3.Connection, criteria: list[Criterion], paged: bool) -> Plan:
    """Probe the criteria's sets (keeping what a probe finds, so a small set is read once) and
    choose how to search. A lone criterion of an unpaged search drives without a probe."""
    if len(criteria) == 1 and not paged:
        return Plan(criteria, [None], 0)
    probes: list[list[int] | None] = [[row[0] for row in conn.execute(f"{c.estimate_sql} LIMIT {PROBE_CAP + 1}",
                                              c.estimate_params)] for c in criteria]
    chosen = Plan(criteria, probes, None)
    if criteria and not (paged and min(len(p or ()) for p in probes) > PROBE_CAP):
        chosen = chosen.driven_by_smallest()
    return chosen
