"""GetOrganized's names for the store's cases and documents, and this installation's ids.

A store case is GO case `PREFIX-YYYY-NNNNNN` (its row id, the year it arose), living in the
SharePoint web `cases/<PREFIX><n>/<CaseID>`; a store document's DocID is its row id. Lookup
fields carry list item ids (`"318;#27.24.00 Boligstøtte"`) that differ between installations:
they are drawn once per data folder.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from dataclasses import dataclass

from ..demo import CASEWORKERS, caseworker_uuid
from ..store.cases import CaseStore, StoredCase

# unverified: case type prefixes are installation-specific (BOR, EMN, GEO, PER, AKT ...); every
# store case is shown as an "emnesag".
CASE_TYPE_PREFIX = "EMN"
# unverified: how many cases share a site collection (cases/EMN1, cases/EMN2, ...).
CASES_PER_SITE = 1000
DOCUMENT_LIBRARY = "Dokumenter"
CASE_ID = re.compile(r"^([A-ZÆØÅ]{2,6})-(\d{4})-(\d{6,})(?:-(\d{3}))?$", re.IGNORECASE)
OPEN = "Åben"
CLOSED = "Afsluttet"


@dataclass(frozen=True, slots=True)
class CaseIdParts:
    prefix: str
    year: str
    row: int
    sub: str | None  # "001" for a sub-case id


def case_id_of(case: StoredCase) -> str:
    return f"{CASE_TYPE_PREFIX}-{case.opened[:4]}-{case.row_id:06d}"


def parse_case_id(text: str) -> CaseIdParts | None:
    match = CASE_ID.match(text.strip())
    if not match:
        return None
    return CaseIdParts(match.group(1).upper(), match.group(2), int(match.group(3)), match.group(4))


def site_of(case: StoredCase) -> str:
    return f"{CASE_TYPE_PREFIX}{1 + case.row_id // CASES_PER_SITE}"


def case_url(case: StoredCase) -> str:
    """The case's web, relative to the server root, without a leading slash."""
    return f"cases/{site_of(case)}/{case_id_of(case)}"


def library_path(case: StoredCase) -> str:
    """The server-relative path of the case's document library."""
    return f"/{case_url(case)}/{DOCUMENT_LIBRARY}"


def find_case(cases: CaseStore, case_id: str, *, allow_sub_case: bool = False) -> StoredCase | None:
    """The live store case a GO case id names. A sub-case id (`-001`) names its base case where
    GO looks sub-cases up that way (`allow_sub_case`), and no case elsewhere."""
    parts = parse_case_id(case_id)
    if parts is None or parts.prefix != CASE_TYPE_PREFIX or (parts.sub and not allow_sub_case):
        return None
    case = cases.case_by_row(parts.row)
    if case is None or case.opened[:4] != parts.year:
        return None
    return case


LOGINS = {caseworker_uuid(c.login): c.login.upper() for c in CASEWORKERS}


def login_of(caseworker_uuid_: str | None) -> str | None:
    return LOGINS.get(caseworker_uuid_ or "")


class Installation:
    """The ids this installation hands out: list item ids of lookup values, SharePoint user
    ids, view ids, the form digest key. Drawn once per data folder and kept there."""

    def __init__(self, cases: CaseStore) -> None:
        self._cases = cases
        self._seed: str | None = None
        self._lock = threading.Lock()

    @property
    def seed(self) -> str:
        if self._seed is None:
            with self._lock:
                if self._seed is None:
                    self._seed = self._cases.setting("getorganized.installation", lambda: secrets.token_hex(16))
        return self._seed

    def _number(self, kind: str, value: str, low: int, high: int) -> int:
        digest = hashlib.sha256(f"{self.seed}|{kind}|{value}".encode()).digest()
        return low + int.from_bytes(digest[:6], "big") % (high - low)

    def lookup_id(self, kind: str, label: str) -> int:
        """The list item id of a lookup value (a KLE number, a facet, a contact)."""
        return self._number(kind, label, 1, 5000)

    def user_id(self, login: str) -> int:
        return self._number("user", login.upper(), 7, 900)

    def guid(self, kind: str) -> str:
        digest = hashlib.sha256(f"{self.seed}|guid|{kind}".encode()).hexdigest()
        return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"

    def digest_key(self) -> bytes:
        return hashlib.sha256(f"{self.seed}|form-digest".encode()).digest()
