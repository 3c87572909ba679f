"""`PUT api/Case/GetList`: the criteria Nova takes, as the store's search (shared docs/backends.md 4b).

Seen in public client code (AAK): `paging{startRow,numberOfRows}` (rows counted from 1, at most
500 a page), `caseAttributes{userFriendlyCaseNumber,title}`, `caseParty{identificationType,
identification}` and the output selection `caseGetOutput`. The answer is
`{"pagingInformation": {"numberOfRows": n}, "cases": [...]}`. Property names bind in any casing
(ASP.NET Core's JSON binding).
"""

from __future__ import annotations

import re
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Any

from ..store.cases import CPR_URN, CVR_URN, CaseStore, StoredCase
from . import render
from .errors import NovaError

MAX_ROWS = 500  # AAK: "The maximum number of cases to find (1-500)"
# unverified: a search without `paging` answers the first 100 rows.
DEFAULT_ROWS = 100


def folded(value: Any) -> Any:
    """A JSON value with every object's keys casefolded (ASP.NET Core binds names in any casing)."""
    if isinstance(value, dict):
        return {str(k).casefold(): folded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [folded(v) for v in value]
    return value


def text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list, bool)):
        raise NovaError(400, errors={name: [f"The JSON value could not be converted to System.String. Path: $.{name}"]})
    return str(value)


def integer(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not value.is_integer()):
        raise NovaError(400, errors={name: [f"The JSON value could not be converted to System.Int32. Path: $.{name}"]})
    return int(value)


def pattern(value: str) -> re.Pattern[str] | None:
    """unverified: `*` in a text criterion matches any run of characters (no public client sends
    one); without one, a case number must match whole and a title must contain the text.
    Matching ignores case."""
    if not value:
        return None
    return re.compile(".*".join(re.escape(part) for part in value.split("*")), re.IGNORECASE | re.DOTALL)


@dataclass
class Search:
    case_uuid: str | None = None
    number: str = ""
    title: str = ""
    kle: str = ""
    party: str | None = None  # urn
    user: str | None = None  # caseworker uuid (kspIdentity)
    unit: render.Unit | None = None  # losIdentity
    nothing: bool = False
    start_row: int = 1
    rows: int = DEFAULT_ROWS
    output: Any = field(default=None)


def parse(body: dict[str, Any]) -> Search:
    criteria = folded(body)
    search = Search()
    common = criteria.get("common")
    if not isinstance(common, dict) or not common.get("transactionid"):
        # unverified: a request without common.transactionId is refused (every public client sends one).
        raise NovaError(400, errors={"common.transactionId": ["The transactionId field is required."]})
    _uuid(common["transactionid"], "common.transactionId")
    if common.get("uuid"):
        # unverified: common.uuid on a GetList narrows it to that case.
        search.case_uuid = _uuid(common["uuid"], "common.uuid")
    paging = criteria.get("paging")
    if paging is not None:
        if not isinstance(paging, dict):
            raise NovaError(400, errors={"paging": ["The paging field must be an object."]})
        search.start_row = integer(paging.get("startrow", 1), "paging.startRow")
        search.rows = integer(paging.get("numberofrows", DEFAULT_ROWS), "paging.numberOfRows")
        if search.start_row < 1:
            raise NovaError(400, errors={"paging.startRow": ["startRow skal være 1 eller større."]})
        if not 1 <= search.rows <= MAX_ROWS:
            raise NovaError(400, errors={"paging.numberOfRows": [f"numberOfRows skal være mellem 1 og {MAX_ROWS}."]})
    attributes = criteria.get("caseattributes") or {}
    if isinstance(attributes, dict):
        search.number = text(attributes.get("userfriendlycasenumber"), "caseAttributes.userFriendlyCaseNumber").strip()
        search.title = text(attributes.get("title"), "caseAttributes.title").strip()
    classification = criteria.get("caseclassification") or {}
    kle = classification.get("klenumber") if isinstance(classification, dict) else None
    if isinstance(kle, dict):
        # unverified: the KLE number is a search criterion, like the case number.
        search.kle = text(kle.get("code"), "caseClassification.kleNumber.code").strip()
    party = criteria.get("caseparty")
    if isinstance(party, dict) and party.get("identification"):
        kind = text(party.get("identificationtype"), "caseParty.identificationType")
        ident = text(party["identification"], "caseParty.identification").strip()
        if kind not in render.IDENTIFICATION_TYPES:
            raise NovaError(400, errors={"caseParty.identificationType": [f"'{kind[:40]}' er ikke en gyldig identifikationstype."]})
        # unverified: only the bare digits match (a CPR number with its hyphen matches no one).
        if kind == "CprNummer" and re.fullmatch(r"\d{10}", ident):
            search.party = CPR_URN + ident
        elif kind == "CvrNummer" and re.fullmatch(r"\d{8}", ident):
            search.party = CVR_URN + ident
        else:
            search.nothing = True
    worker = criteria.get("caseworker")
    if isinstance(worker, dict):
        # unverified: the caseworker criterion, named like the case's own caseworker field.
        ksp, los = worker.get("kspidentity"), worker.get("losidentity")
        if isinstance(ksp, dict) and (ksp.get("novauserid") or ksp.get("racfid")):
            if ksp.get("novauserid"):
                search.user = _uuid(ksp["novauserid"], "caseworker.kspIdentity.novaUserId")
            else:
                search.user = render.user_by_racf(text(ksp["racfid"], "caseworker.kspIdentity.racfId"))
            search.nothing |= search.user is None
        elif isinstance(los, dict) and (los.get("novaunitid") or los.get("administrativeunitid")):
            search.unit = render.unit_by(los.get("novaunitid"), los.get("administrativeunitid"))
            search.nothing |= search.unit is None
    search.output = criteria.get("casegetoutput")
    return search


def _uuid(value: Any, name: str) -> str:
    try:
        return str(uuidlib.UUID(str(value)))
    except ValueError:
        raise NovaError(400, errors={name: [f"The JSON value could not be converted to System.Guid. Path: $.{name}"]}) from None


def _sort_key(case: StoredCase) -> tuple[int, int]:
    return render.year_of(case), case.row_id


def run(cases: CaseStore, search: Search) -> tuple[list[StoredCase], int]:
    """The page of matching cases (in case number order) and how many match in all."""
    if search.nothing:
        return [], 0
    if search.case_uuid:
        found = cases.case(search.case_uuid)
        candidates = [found] if found else []
    else:
        kwargs: dict[str, Any] = {}
        words = " ".join(w for w in search.title.replace("*", " ").split())
        if words:
            kwargs["title"] = words
        if search.party:
            kwargs["party"] = search.party
        if search.user:
            kwargs["caseworker"] = search.user
        exact = render.parse_case_number(search.number) if search.number and "*" not in search.number else None
        if exact is not None:
            one = cases.case_by_row(exact[1])
            candidates = [one] if one else []
        else:
            candidates, _ = cases.find(**kwargs, limit=-1)
    number, title, kle = pattern(search.number), search.title, pattern(search.kle)
    title_pattern = pattern(title if "*" in title else f"*{title}*") if title else None
    matching = []
    for case in candidates:
        if number and not number.fullmatch(render.case_number(case)):
            continue
        if title_pattern and not title_pattern.fullmatch(case.title):
            continue
        if kle and not kle.fullmatch(case.kle or ""):
            continue
        if search.party and not any(p.urn == search.party for p in case.parties):
            continue
        if search.user and (case.caseworker != search.user or render.has_unit_caseworker(case)):
            continue
        if search.unit and not (render.has_unit_caseworker(case) and render.unit_of(case) == search.unit):
            continue
        matching.append(case)
    matching.sort(key=_sort_key)
    first = search.start_row - 1
    return matching[first:first + search.rows], len(matching)
