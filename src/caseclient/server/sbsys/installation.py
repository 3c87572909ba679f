"""What differs from one SBSYS installation to the next: the ids of its lookups.

SBSYS keeps case statuses, document kinds (DokumentArt), users, parties and sub-processes
(delforløb) as rows of its own database, so their integer ids differ between municipalities and
between test and production ("Opstået" is 6 on one, 9 on another: shared docs/backends.md 0b).
The simulator draws them once per data folder from one random seed kept with `CaseStore.setting`,
so a backend that hard-codes an id works on one data folder and fails on the next. Every id is
drawn from 10 and up: the ids public client code shows (DokumentArt 1 "Indgående", status 6 or 9)
never occur, so hard-coding them fails on every simulated installation.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import uuid as uuidlib
from dataclasses import dataclass, field

from ..demo import CASEWORKERS
from ..store.cases import CaseStore

SEED_SETTING = "sbsys.installation_seed"

# OIO fremdrift (the store's case state) -> SBSYS status name and its SagsTilstand.
# unverified: the status names and the SagsTilstand values. Public fixtures show "Opstået" with
# SagsTilstand "Aktiv", Randers filters on the name "Aktiv", and Odense on SagsTilstand
# "Afsluttet"; the other names follow the OIO states one for one.
STATUSES: tuple[tuple[str, str, str], ...] = (
    ("Opstaaet", "Opstået", "Aktiv"),
    ("Oplyst", "Oplyst", "Aktiv"),
    ("Afgjort", "Afgjort", "Aktiv"),
    ("Bestilt", "Bestilt", "Aktiv"),
    ("Udfoert", "Udført", "Aktiv"),
    ("Afsluttet", "Afsluttet", "Afsluttet"),
)

# DokumentArt names and the OIO dokumenttype the store keeps for each.
# unverified: an installation's DokumentArt list. Only "Indgående" (id 1 on Randers') is seen in
# public code; "Udgående", "Internt" and "Notat" are the other kinds municipalities use.
DOKUMENTARTER: tuple[tuple[str, str], ...] = (
    ("Indgående", "Indgående"),
    ("Udgående", "Udgående"),
    ("Internt", "Internt"),
    ("Notat", "Notat"),
)

# unverified: the titles of a case's delforløb; each simulated case has these two.
DELFORLOEB_TITLES = ("Sagsbehandling", "Afgørelse")
_DELFORLOEB_PER_CASE = 4  # room in the id space per case


@dataclass(frozen=True)
class Status:
    id: int
    name: str
    state: str  # SagsTilstand
    order: int
    fremdrift: str


@dataclass(frozen=True)
class DokumentArt:
    id: int
    name: str
    uuid: str
    kind: str  # the OIO dokumenttype


@dataclass(frozen=True)
class User:
    id: int
    login: str
    name: str
    uuid: str


@dataclass
class Installation:
    """One simulated installation's ids, all derived from its seed."""

    seed: int
    statuses: list[Status] = field(default_factory=list)
    arter: list[DokumentArt] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    delforloeb_base: int = 0

    @classmethod
    def of(cls, cases: CaseStore) -> "Installation":
        """The installation of this data folder (its seed drawn the first time)."""
        return cls.from_seed(int(cases.setting(SEED_SETTING, lambda: secrets.randbits(48))))

    @classmethod
    def from_seed(cls, seed: int) -> "Installation":
        rng = random.Random(seed)
        status_ids = rng.sample(range(10, 100), len(STATUSES))
        art_ids = rng.sample(range(10, 100), len(DOKUMENTARTER))
        user_ids = rng.sample(range(10, 1000), len(CASEWORKERS))
        return cls(
            seed=seed,
            statuses=[Status(i, name, state, n + 1, fremdrift)
                      for n, (i, (fremdrift, name, state)) in enumerate(zip(status_ids, STATUSES))],
            arter=[DokumentArt(i, name, str(uuidlib.UUID(int=rng.getrandbits(128), version=4)), kind)
                   for i, (name, kind) in zip(art_ids, DOKUMENTARTER)],
            users=[User(i, w.login, w.name, w.uuid) for i, w in zip(user_ids, CASEWORKERS)],
            delforloeb_base=rng.randrange(1000, 50_000),
        )

    # -- statuses ------------------------------------------------------------------------------

    def status_of(self, fremdrift: str) -> Status:
        for status in self.statuses:
            if status.fremdrift == fremdrift:
                return status
        return self.statuses[0]  # a state SBSYS has no name for shows as the first status

    def status_by_id(self, status_id: int) -> Status | None:
        return next((s for s in self.statuses if s.id == status_id), None)

    # -- document kinds ------------------------------------------------------------------------

    def art_by_id(self, art_id: int) -> DokumentArt | None:
        return next((a for a in self.arter if a.id == art_id), None)

    def art_by_uuid(self, value: str) -> DokumentArt | None:
        return next((a for a in self.arter if a.uuid == value.lower()), None)

    def art_of_kind(self, kind: str) -> DokumentArt:
        """The DokumentArt a stored document of this OIO dokumenttype shows as."""
        for art in self.arter:
            if art.kind.casefold() == kind.casefold():
                return art
        return self.arter[0]

    # -- users ---------------------------------------------------------------------------------

    def user_by_uuid(self, value: str | None) -> User | None:
        if not value:
            return None
        found = next((u for u in self.users if u.uuid == value.lower()), None)
        if found is None:  # a caseworker the demo does not know: an id of its own, no login
            found = User(self.stable_id("bruger", value, 10_000), "", "", value.lower())
        return found

    def user_by_id(self, user_id: int) -> User | None:
        return next((u for u in self.users if u.id == user_id), None)

    def user_by_login(self, login: str) -> User | None:
        return next((u for u in self.users if u.login.casefold() == login.casefold()), None)

    # -- parties and sub-processes -------------------------------------------------------------

    def stable_id(self, kind: str, value: str, start: int) -> int:
        """An id for `value` of this installation, from `start` up (parties, unknown users)."""
        digest = hashlib.sha256(f"{self.seed}:{kind}:{value}".encode()).digest()
        return start + int.from_bytes(digest[:4], "big") % 900_000

    def delforloeb_ids(self, case_row: int) -> list[int]:
        first = self.delforloeb_base + case_row * _DELFORLOEB_PER_CASE
        return [first + n for n in range(len(DELFORLOEB_TITLES))]

    def delforloeb(self, delforloeb_id: int) -> tuple[int, str] | None:
        """(case row id, title) of a delforløb id, or None when it names none."""
        case_row, n = divmod(delforloeb_id - self.delforloeb_base, _DELFORLOEB_PER_CASE)
        if delforloeb_id < self.delforloeb_base or n >= len(DELFORLOEB_TITLES):
            return None
        return case_row, DELFORLOEB_TITLES[n]
