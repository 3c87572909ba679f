"""Deterministic demo data for the reference service: realistic Danish municipal cases.

`seed_cases(data_dir, n, seed)` makes n cases (and the KLE classes) in one transaction:
case numbers `KLE-facet-serial-year` such as `27.24.00-G01-1-24`, titles such as
"Ansøgning om boligstøtte - Hansen", fictitious parties with format-valid CPR/CVR numbers as
`urn:dk:cpr:person:DDMMYYXXXX` / `urn:dk:cvr:virksomhed:NNNNNNNN`, a fremdrift state, a
caseworker, and documents with small file contents on some cases. The same seed gives the same
data; seeding a data folder that already holds that seed's cases adds nothing.

**How a caseworker is identified**: by a uuid derived from the login, `caseworker_uuid(login)`
(uuid5 in CASEWORKER_NAMESPACE), stored as the case's `primaerbehandler` relation with
`objekttype` "Bruger". "My cases" is therefore `GET /sag/sag?primaerbehandler=<caseworker_uuid>`;
the logins and names are in CASEWORKERS.

Cases point at their KLE subject by `primaerklasse` (the uuid of the klassifikation/klasse with
that number, `kle_class_uuid(number)`) and at their action facet by `handlingsklasse` as
`urn:dk:kle:handlingsfacet:G01`.
"""

from __future__ import annotations

import random
import uuid as uuidlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from . import kle
from .store import virkning
from .store.bulk import bulk_insert
from .store.database import Database
from .store.files import ContentStore, STORE_PREFIX
from .store.model import DOKUMENT, KLASSE, SAG
from .store.registration import ANONYMOUS_USER, IMPORTERET, Registration

DEMO_NAMESPACE = uuidlib.UUID("6f1c0b9e-6d1e-4d43-9a52-1d2b7c1e0a01")
CASEWORKER_NAMESPACE = uuidlib.UUID("0b7f6a38-2a57-4a8e-8f0d-5e6c1a2b3c4d")
KLE_NAMESPACE = uuidlib.UUID("3a1d8c52-9b7e-4f21-a0c4-7d9e2f6b8a13")
MUNICIPALITY = uuidlib.uuid5(DEMO_NAMESPACE, "organisation:Demo Kommune")


@dataclass(frozen=True)
class Caseworker:
    login: str
    name: str

    @property
    def uuid(self) -> str:
        return caseworker_uuid(self.login)


CASEWORKERS: tuple[Caseworker, ...] = (
    Caseworker("abj", "Anne Bjerregaard"),
    Caseworker("mkl", "Mads Kjeldsen"),
    Caseworker("sdh", "Sofie Dahl"),
    Caseworker("jhn", "Jonas Holm Nørgaard"),
    Caseworker("lpe", "Lene Pedersen"),
    Caseworker("tvi", "Thomas Vinther"),
)

SURNAMES = ("Hansen", "Jensen", "Nielsen", "Pedersen", "Andersen", "Christensen", "Larsen",
            "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen",
            "Thomsen", "Poulsen", "Johansen", "Møller", "Mortensen", "Østergaard", "Lauridsen",
            "Ærenlund", "Aagaard", "Søndergaard", "Frølund", "Dahl", "Bæk", "Krøyer")
COMPANIES = ("Bygge & Anlæg ApS", "Nordsjællands Murerforretning ApS", "Grøn Energi A/S",
             "Fjordens Tømrer og Snedker ApS", "Østjysk Kloak A/S", "Søholm Maskinstation I/S",
             "Ålborg Vognmandsforretning ApS", "Kystens Rengøring ApS")
FREMDRIFT_WEIGHTS = {"Opstaaet": 15, "Oplyst": 25, "Afgjort": 20, "Bestilt": 5, "Udfoert": 10,
                     "Afsluttet": 25}
DOCUMENT_TITLES = (("Ansøgning", "Indgående"), ("Kvittering for modtagelse", "Udgående"),
                   ("Partshøring", "Udgående"), ("Notat om telefonsamtale", "Internt"),
                   ("Afgørelse", "Udgående"), ("Supplerende oplysninger", "Indgående"))
CASE_EVERY = 10  # every 10th case carries documents ...
MAX_CASES_WITH_DOCUMENTS = 2000  # ... up to this many, so a million cases stays affordable
_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def caseworker_uuid(login: str) -> str:
    return str(uuidlib.uuid5(CASEWORKER_NAMESPACE, login.lower()))


def kle_class_uuid(number: str) -> str:
    """The klassifikation/klasse uuid of a KLE number or facet code."""
    return str(uuidlib.uuid5(KLE_NAMESPACE, number))


def _virkning(start: str) -> dict[str, Any]:
    return {"from": start, "to": virkning.INFINITY}


def fake_cpr(rng: random.Random) -> str:
    """A format-valid CPR number (a real date; the 7th digit fits the century)."""
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(365 * 65))
    seventh = rng.choice("0123") if born.year < 2000 else "4"
    return f"{born:%d%m%y}{seventh}{rng.randrange(1000):03d}"


def fake_cvr(rng: random.Random) -> str:
    """An 8-digit CVR number with a valid modulus-11 check digit."""
    while True:
        digits = [rng.randrange(1, 10)] + [rng.randrange(10) for _ in range(6)]
        remainder = sum(d * w for d, w in zip(digits, _CVR_WEIGHTS)) % 11
        check = (11 - remainder) % 11
        if check < 10:
            return "".join(map(str, digits)) + str(check)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _registration(attributes: dict, states: dict, relations: dict, registered: str,
                  variants: list | None = None) -> Registration:
    registration: Registration = {
        "attributter": attributes, "tilstande": states, "relationer": relations,
        "note": "Demodata", "livscykluskode": IMPORTERET, "brugerref": ANONYMOUS_USER,
        "fratidspunkt": registered,
    }
    if variants is not None:
        registration["varianter"] = variants
    return registration


@dataclass
class _Document:
    uuid: str
    title: str
    registration: Registration
    content: bytes
    store_path: str


class DemoGenerator:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.serials: dict[tuple[str, str, int], int] = {}
        self.registered = virkning.now()
        self.documents: list[_Document] = []

    def case_uuid(self, index: int) -> str:
        return str(uuidlib.uuid5(DEMO_NAMESPACE, f"sag:{self.seed}:{index}"))

    def cases(self, count: int) -> Iterator[tuple[str, Registration]]:
        for index in range(count):
            yield self.case_uuid(index), self._case(index)

    def _case(self, index: int) -> Registration:
        rng = self.rng
        subject = _weighted(rng, kle.SUBJECT_WEIGHTS)
        facet = rng.choice(list(kle.FACETS))
        opened = datetime(2019, 1, 1, 8, tzinfo=timezone.utc) + timedelta(
            days=rng.randrange(7 * 365), minutes=rng.randrange(600))
        year = opened.year
        serial = self.serials.get((subject, facet, year), 0) + 1
        self.serials[(subject, facet, year)] = serial
        number = f"{subject}-{facet}-{serial}-{year % 100:02d}"
        is_person = rng.random() < 0.75
        if is_person:
            name = rng.choice(SURNAMES)
            party = f"urn:dk:cpr:person:{fake_cpr(rng)}"
        else:
            name = rng.choice(COMPANIES)
            party = f"urn:dk:cvr:virksomhed:{fake_cvr(rng)}"
        title = rng.choice(kle.SUBJECTS[subject][1]).format(name=name)
        worker = rng.choice(CASEWORKERS)
        start = virkning.canonical(opened.isoformat())
        valid = _virkning(start)
        relations: dict[str, list[dict[str, Any]]] = {
            "primaerklasse": [{"uuid": kle_class_uuid(subject), "objekttype": "Klasse",
                               "virkning": valid}],
            "handlingsklasse": [{"urn": f"urn:dk:kle:handlingsfacet:{facet}",
                                 "objekttype": "Klasse", "virkning": valid}],
            "primaerpart": [{"urn": party, "objekttype": "Person" if is_person else "Virksomhed",
                             "virkning": valid}],
            "primaerbehandler": [{"uuid": worker.uuid, "objekttype": "Bruger", "virkning": valid}],
            "ansvarlig": [{"uuid": str(MUNICIPALITY), "objekttype": "Organisation",
                           "virkning": valid}],
        }
        if rng.random() < 0.15:
            relations["sekundaerpart"] = [{"urn": f"urn:dk:cpr:person:{fake_cpr(rng)}",
                                           "objekttype": "Person", "indeks": 1, "virkning": valid}]
        if index % CASE_EVERY == 0 and index // CASE_EVERY < MAX_CASES_WITH_DOCUMENTS:
            relations["journalpost"] = [
                self._journalpost(self._document(index, n, title, opened), n + 1, opened)
                for n in range(1 + rng.randrange(3))
            ]
        attributes = {"sagegenskaber": [{
            "brugervendtnoegle": number, "sagsnummer": number, "titel": title,
            "beskrivelse": f"{kle.SUBJECTS[subject][0]}: {title}", "kassationskode": "K",
            "principiel": False, "virkning": valid,
        }]}
        states = {"sagfremdrift": [{"fremdrift": _weighted(rng, FREMDRIFT_WEIGHTS),
                                    "virkning": valid}]}
        return _registration(attributes, states, relations, self.registered)

    def _document(self, case_index: int, n: int, case_title: str, opened: datetime) -> _Document:
        title, direction = DOCUMENT_TITLES[(case_index + n) % len(DOCUMENT_TITLES)]
        uuid = str(uuidlib.uuid5(DEMO_NAMESPACE, f"dokument:{self.seed}:{case_index}:{n}"))
        dated = opened + timedelta(days=n * 7)
        valid = _virkning(virkning.canonical(dated.isoformat()))
        store_path = f"{STORE_PREFIX}{dated:%Y/%m/%d/%H/%M}/{uuid}.bin"
        content = f"{title}\n\nVedrørende: {case_title}\nDato: {dated:%d-%m-%Y}\n".encode()
        file_name = f"{title}.txt"
        registration = _registration(
            {"dokumentegenskaber": [{
                "brugervendtnoegle": f"{title} {uuid[:8]}", "titel": title,
                "beskrivelse": f"{title} i sagen {case_title}", "brevdato": f"{dated:%Y-%m-%d}",
                "dokumenttype": direction, "virkning": valid}]},
            {"dokumentfremdrift": [{"fremdrift": "Endeligt", "virkning": valid}]},
            {"ejer": [{"uuid": str(MUNICIPALITY), "objekttype": "Organisation",
                       "virkning": valid}]},
            self.registered,
            variants=[{"varianttekst": "original",
                       "egenskaber": [{"arkivering": True, "virkning": valid}],
                       "dele": [{"deltekst": file_name, "egenskaber": [{
                           "indeks": 1, "indhold": store_path, "lokation": file_name,
                           "mimetype": "text/plain", "virkning": valid}]}]}],
        )
        document = _Document(uuid, title, registration, content, store_path)
        self.documents.append(document)
        return document

    @staticmethod
    def _journalpost(document: _Document, indeks: int, opened: datetime) -> dict[str, Any]:
        return {"uuid": document.uuid, "objekttype": "Dokument",
                "journalpostkode": "vedlagtdokument", "indeks": indeks,
                "journaldokument": {"dokumenttitel": document.title,
                                    "offentlighedundtaget": {"alternativtitel": "",
                                                             "hjemmel": ""}},
                "virkning": _virkning(virkning.canonical(opened.isoformat()))}

    def kle_classes(self) -> Iterator[tuple[str, Registration]]:
        valid = _virkning(virkning.canonical("2010-01-01"))
        entries = [(number, title, None) for number, title in kle.MAIN_GROUPS.items()]
        entries += [(number, title, number[:2]) for number, title in kle.groups().items()]
        entries += [(number, title, number[:5]) for number, (title, _) in kle.SUBJECTS.items()]
        entries += [(code, title, None) for code, title in kle.FACETS.items()]
        for number, title, parent in entries:
            relations = {}
            if parent:
                relations["overordnetklasse"] = [{"uuid": kle_class_uuid(parent),
                                                  "objekttype": "Klasse", "virkning": valid}]
            yield kle_class_uuid(number), _registration(
                {"klasseegenskaber": [{"brugervendtnoegle": number, "titel": title,
                                       "virkning": valid}]},
                {"klassepubliceret": [{"publiceret": "Publiceret", "virkning": valid}]},
                relations, self.registered)


def seed_cases(data_dir: Path, count: int, seed: int = 1) -> int:
    """Add `count` demo cases (and the KLE classes, and some documents) to the service's data
    folder in one transaction. Returns how many cases were added: 0 when this seed's cases are
    already there."""
    db = Database(data_dir / "oio.sqlite3")
    try:
        generator = DemoGenerator(seed)
        if count <= 0 or db.load(SAG, generator.case_uuid(0)) is not None:
            return 0
        store = ContentStore(data_dir / "files")
        added = bulk_insert(db, SAG, generator.cases(count))
        if db.load(KLASSE, kle_class_uuid("27")) is None:
            bulk_insert(db, KLASSE, generator.kle_classes())
        bulk_insert(db, DOKUMENT, ((d.uuid, d.registration) for d in generator.documents))
        with db.transaction() as conn:
            for document in generator.documents:
                relative = document.store_path[len(STORE_PREFIX):]
                store.write(relative, document.content)
                db.register_content(conn, document.store_path, document.uuid, "text/plain")
        return added
    finally:
        db.close()
