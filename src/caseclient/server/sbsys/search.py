"""`POST /api/sag/search`: the criteria SBSYS takes, as the store's search.

Criteria seen in public client code (shared docs/backends.md 0b and 2): `NummerInterval{From,To}`,
`SagsTitel` and `Titel` (installations differ), `PrimaerPerson{CprNummer}` and
`AllePersoner{CprNummer}` (a swagger-derived Randers template), `SagsStatusId` and
`SagsStatusIds`, and paging by `PageNumber`/`PageSize` (AAK) or `Limit`/`Skip` (Odense). The
answer is `{"Results": [...], "TotalNumberOfResults": n}`; nothing found is 200 with no results.
Property names match in any casing, as ASP.NET's JSON.NET binds them; a property the search does
not know is ignored, as JSON.NET ignores it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..store.cases import CPR_URN, CVR_URN, CaseStore, StoredCase
from .errors import SbsysError
from .installation import Installation

# unverified: the page size of a search that names none. AAK's client pages by 100, and Odense
# asks for "Limit": 2000 to get all of a citizen's cases, so the default is below that.
DEFAULT_PAGE_SIZE = 100

# unverified: only the hyphen form `010101-1234` matches. SBSYS keeps CPR numbers with the hyphen,
# and every public client adds it before searching ("SBSYS is inconsistent about the hyphen across
# endpoints"); a number without it is a text that matches no one: 200, no results.
_CPR_FORM = re.compile(r"^\d{6}-\d{4}$")
_CVR_FORM = re.compile(r"^\d{8}$")

# unverified: the company criteria, named after PrimaerPerson/AllePersoner.
COMPANY_CRITERIA = {"primaerfirma": True, "allefirmaer": False}
PERSON_CRITERIA = {"primaerperson": True, "allepersoner": False}

# unverified: the caseworker criterion, `Behandler` like the case's own field, by Id, LogonId or Uuid.
CASEWORKER_CRITERION = "behandler"

# unverified: `Nummer` (Odense sends it with a whole case number) matches that number exactly.
NUMBER_CRITERION = "nummer"


def folded(value: Any) -> Any:
    """A JSON value with every object's keys casefolded (JSON.NET binds names in any casing)."""
    if isinstance(value, dict):
        return {str(k).casefold(): folded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [folded(v) for v in value]
    return value


def integer(value: Any, name: str) -> int:
    """An int as JSON.NET converts one: a number or a text of digits."""
    if isinstance(value, bool):
        raise SbsysError(400, f"Error converting value {value!r} to type 'System.Int32'. Path '{name}'.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,9}", value.strip()):
        return int(value)
    raise SbsysError(400, f"Error converting value {str(value)[:40]!r} to type 'System.Int32'. Path '{name}'.")


def text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise SbsysError(400, f"Unexpected character encountered while parsing value. Path '{name}'.")
    return str(value)


@dataclass
class Search:
    """The store search one request asks for, or `nothing` when it cannot match any case."""

    kwargs: dict[str, Any] = field(default_factory=dict)
    nothing: bool = False
    parties: list[tuple[str, bool]] = field(default_factory=list)  # (urn, primary only)
    offset: int = 0
    limit: int = DEFAULT_PAGE_SIZE


def parse(body: dict[str, Any], installation: Installation) -> Search:
    criteria = folded(body)
    search = Search()
    interval = criteria.get("nummerinterval")
    if isinstance(interval, dict):
        low, high = text(interval.get("from"), "NummerInterval.From"), text(interval.get("to"), "NummerInterval.To")
        # unverified: the interval is [From, To); SQL Server's case-insensitive collation is
        # copied by comparing upper case (every stored number's letters are upper case).
        if low:
            search.kwargs["number_from"] = low.upper()
        if high:
            search.kwargs["number_to"] = high.upper()
    if isinstance(criteria.get(NUMBER_CRITERION), str) and criteria[NUMBER_CRITERION].strip():
        search.kwargs["number"] = criteria[NUMBER_CRITERION].strip()
    words = [text(criteria.get(name), name) for name in ("sagstitel", "titel")]
    # unverified: a title criterion matches cases whose title holds each of its words.
    if any(w.strip() for w in words):
        search.kwargs["title"] = " ".join(w for w in words if w.strip())
    for name, primary in PERSON_CRITERIA.items():
        person = criteria.get(name)
        if isinstance(person, dict) and person.get("cprnummer"):
            cpr = text(person["cprnummer"], f"{name}.CprNummer").strip()
            if not _CPR_FORM.match(cpr):
                search.nothing = True
            search.parties.append((CPR_URN + cpr.replace("-", ""), primary))
    for name, primary in COMPANY_CRITERIA.items():
        company = criteria.get(name)
        if isinstance(company, dict) and company.get("cvrnummer"):
            cvr = text(company["cvrnummer"], f"{name}.CvrNummer").strip()
            if not _CVR_FORM.match(cvr):
                search.nothing = True
            search.parties.append((CVR_URN + cvr, primary))
    worker = criteria.get(CASEWORKER_CRITERION)
    if isinstance(worker, dict) and any(worker.get(k) for k in ("id", "logonid", "uuid")):
        found = None
        if worker.get("id"):
            found = installation.user_by_id(integer(worker["id"], "Behandler.Id"))
        elif worker.get("logonid"):
            found = installation.user_by_login(text(worker["logonid"], "Behandler.LogonId"))
        else:
            found = installation.user_by_uuid(text(worker["uuid"], "Behandler.Uuid"))
        if found is None:
            search.nothing = True
        else:
            search.kwargs["caseworker"] = found.uuid
    ids: list[int] = []
    if criteria.get("sagsstatusid") not in (None, 0, ""):
        ids.append(integer(criteria["sagsstatusid"], "SagsStatusId"))
    if isinstance(criteria.get("sagsstatusids"), list):
        ids += [integer(v, "SagsStatusIds") for v in criteria["sagsstatusids"]]
    if ids:
        statuses = [s.fremdrift for s in (installation.status_by_id(i) for i in ids) if s]
        if not statuses:
            search.nothing = True
        search.kwargs["statuses"] = statuses
    _paging(criteria, search)
    return search


def _paging(criteria: dict[str, Any], search: Search) -> None:
    if criteria.get("pagesize") is not None or criteria.get("pagenumber") is not None:
        size = integer(criteria.get("pagesize") or DEFAULT_PAGE_SIZE, "PageSize")
        number = integer(criteria.get("pagenumber") or 1, "PageNumber")
        if size <= 0 or number <= 0:
            raise SbsysError(400, "PageNumber og PageSize skal være større end 0.")
        search.limit, search.offset = size, (number - 1) * size
    elif criteria.get("limit") is not None or criteria.get("skip") is not None:
        search.limit = integer(criteria.get("limit") or DEFAULT_PAGE_SIZE, "Limit")
        search.offset = integer(criteria.get("skip") or 0, "Skip")
        if search.limit <= 0 or search.offset < 0:
            raise SbsysError(400, "Limit skal være større end 0, og Skip må ikke være negativ.")


def run(cases: CaseStore, search: Search) -> tuple[list[StoredCase], int]:
    """The page of matching cases and how many match in all."""
    if search.nothing:
        return [], 0
    parties = list(dict.fromkeys(search.parties))
    if not parties:
        return cases.find(**search.kwargs, limit=search.limit, offset=search.offset)
    (first, primary), rest = parties[0], parties[1:]
    if not rest:
        return cases.find(**search.kwargs, party=first, primary_party=primary,
                          limit=search.limit, offset=search.offset)
    found, _ = cases.find(**search.kwargs, party=first, primary_party=primary, limit=-1)
    for urn, primary in rest:  # every named party must be on the case (few cases: checked here)
        found = [c for c in found if any(p.urn == urn and (p.relation == "primaerpart" or not primary)
                                         for p in c.parties)]
    return found[search.offset:search.offset + search.limit], len(found)
