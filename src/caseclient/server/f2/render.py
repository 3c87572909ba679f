"""F2's JSON shapes of case files, matters (akter) and documents, and the server-local times.

Every resource carries `Links`: `[{"rel", "href", "title"}]`, the relations a client follows
(F2 is hypermedia: only the service index has a fixed address). Times are the server's local time
without a zone designator (`2026-12-03T14:05:00`, shared docs/backends.md 0b).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from ..demo import CASEWORKERS
from ..sbsys.render import _danish_offset
from ..store.cases import StoredCase, StoredDocument

REL = "http://cbrain.com/casefile/rel/"
DIALECT = "f2"
LOCAL_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
KINDS = {"Inbound": "Indgående", "Outbound": "Udgående", "Internal": "Internt"}
TYPES = {v: k for k, v in KINDS.items()}
_CASEWORKER_BY_UUID = {w.uuid: w for w in CASEWORKERS}


def local_time(value: str | None) -> str | None:
    """A stored UTC time (ISO text) as F2 writes times: local, to the second, no zone."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T").replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return (moment + _danish_offset(moment)).strftime("%Y-%m-%dT%H:%M:%S")


def case_number(case: StoredCase) -> str:
    """The F2 case number of a demo case: `<year it arose> - <its id>`, like `2022 - 1172`.
    unverified: F2 numbers case files by year and a running number; the store's row id is the
    running number here, so it is unique across years (a real F2 restarts it each year)."""
    return f"{(case.opened or '2000')[:4]} - {case.row_id}"


def parse_case_number(text: str) -> tuple[str, int] | None:
    match = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d+)\s*", text)
    return (match.group(1), int(match.group(2))) if match else None


def link(rel: str, href: str, title: str = "") -> dict[str, str]:
    # unverified: the JSON form of an item's links. The XML has `<Link rel href title/>` (what
    # itk-dev's client reads); the JSON here is a `Links` list of the same three attributes, the
    # shape F2's error body shows (`"Links": []`).
    return {"rel": rel if rel.startswith(("http", "self", "down", "up", "alternate")) else REL + rel,
            "href": href, "title": title}


def responsible(case: StoredCase) -> dict[str, Any] | None:
    worker = _CASEWORKER_BY_UUID.get(case.caseworker or "")
    if worker is None:
        return None
    # unverified: how F2 names a user in `Responsible` (a party reference); Name + UserName here.
    return {"Name": worker.name, "UserName": worker.login}


def case_status(case: StoredCase) -> str:
    # unverified: the name and values of a case file's state (the docs name closed cases only
    # through the ReasonCode DossierCaseClosed).
    return "Closed" if case.closed else "Open"


def case_row(case: StoredCase, href: str) -> dict[str, Any]:
    """A row of `case-search-filter`'s JSON answer (Table 108/109)."""
    cpr = next((p.number for p in case.parties if p.kind == "cpr" and p.relation == "primaerpart"), None)
    return {"Id": case.row_id, "CaseNumber": case_number(case), "Title": case.title, "CprNumber": cpr,
            "ExternalId": case.uuid, "Created": local_time(case.opened), "Updated": local_time(case.changed),
            "alternate": href}


def case_file(case: StoredCase, links: list[dict[str, str]]) -> dict[str, Any]:
    row = case_row(case, "")
    row.pop("alternate")
    return {**row, "Status": case_status(case), "Responsible": responsible(case),
            # KLE is kept as the case's keyword codes, so a search for "27.24" finds it
            "KeywordCodes": [case.kle] if case.kle else [],
            "InvolvedParties": [{"CprNumber": p.number} if p.kind == "cpr" else {"CvrNumber": p.number}
                                for p in case.parties],
            "Links": links}


def document(stored: StoredDocument, links: list[dict[str, str]]) -> dict[str, Any]:
    # The docs name `Id, Title, FileType, ContentType, Size, Links`; unverified: `FileName` and
    # `Created` beside them.
    extension = stored.file_name.rsplit(".", 1)[1].lower() if "." in stored.file_name else ""
    return {"Id": stored.file_row_id, "Title": stored.title, "FileName": stored.file_name,
            "FileType": extension, "ContentType": stored.mime_type, "Size": stored.size,
            "Created": local_time(stored.registered), "Links": links}


def matter(matter_id: int, case: StoredCase, fields: dict[str, Any], documents: list[dict[str, Any]],
           links: list[dict[str, str]]) -> dict[str, Any]:
    """A matter (akt): its fields as filed, its documents inside it.
    unverified: that a matter's JSON embeds its documents (the `down` relation also lists them)."""
    # unverified: `MatterNumber`'s form and a `CaseId` field (the `up` link also leads to the case).
    return {"Id": matter_id, "MatterNumber": f"{case_number(case)} - {matter_id}", "CaseId": case.row_id,
            **fields, "Documents": documents, "Links": links}
