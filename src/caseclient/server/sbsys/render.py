"""The store's cases and documents as SBSYS Web API objects (SagDto, DokumentMetadataDto).

Field names and casing follow public fixtures and client code (shared docs/backends.md 0b and 2):
a case's title is `SagsTitel`, its caseworker `Behandler{Id,LogonId,Navn,Uuid}`, its number both
`Nummer` and `SagsNummer{EmneplanNummer{Nummer,Navn},Facet{ID,Nummer},Aarstal,SekvensNummer}`
(the facet's own id is `ID`, upper case, in the fixture); the primary party's CPR is
`PrimaryPart.CPRnummer`, the other persons' `Personer[].CprNummer`, companies'
`Firmaer[].CvrNummer`, and CPR numbers always carry the hyphen (`010490-9989`). Times are the
server's local time with its offset, as .NET's DateTimeOffset writes them.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ..demo import COMPANIES, SURNAMES
from ..kle import FACETS
from ..store.cases import StoredCase, StoredDocument, StoredParty
from .installation import Installation

DIALECT = "sbsys"  # the key of this dialect's own fields of a stored document
_NUMBER = re.compile(r"^(?P<kle>\d\d\.\d\d\.\d\d)-(?P<facet>[A-ZÆØÅ]\d\d)-(?P<serial>\d+)-(?P<year>\d\d)$")
_FIRST_NAMES = ("Anna", "Mette", "Jens", "Peter", "Karen", "Lars", "Hanne", "Søren", "Ida", "Mikkel")
FAGOMRAADE = {"Uuid": "b168ec95-d6e4-480a-8c82-30c1cab68209", "Id": 1, "Navn": "Standard"}


# -- time ---------------------------------------------------------------------------------------

def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1) if month < 12 else date(year, 12, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def _danish_offset(moment: datetime) -> timedelta:
    """Central European time: +02:00 from the last Sunday of March 01:00 UTC to the last Sunday
    of October 01:00 UTC, +01:00 otherwise (no time zone database needed, also on Windows)."""
    start = datetime.combine(_last_sunday(moment.year, 3), datetime.min.time()) + timedelta(hours=1)
    end = datetime.combine(_last_sunday(moment.year, 10), datetime.min.time()) + timedelta(hours=1)
    naive = moment.replace(tzinfo=None)
    return timedelta(hours=2) if start <= naive < end else timedelta(hours=1)


def local_time(value: str | datetime | None) -> str | None:
    """A stored UTC time (ISO text, no zone) as SBSYS writes times: `2019-11-18T09:24:48.507+01:00`."""
    if not value:
        return None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace(" ", "T").rstrip("Z"))
        except ValueError:
            return None
    else:
        moment = value
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    offset = _danish_offset(moment)
    local = (moment + offset).replace(tzinfo=timezone(offset))
    return local.isoformat(timespec="milliseconds")


def local_date(value: str) -> str | None:
    """A date (YYYY-MM-DD) as a local midnight DateTimeOffset."""
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return None
    midnight = datetime.combine(day, datetime.min.time())
    offset = _danish_offset(midnight)
    return midnight.replace(tzinfo=timezone(offset)).isoformat()


# -- parties ------------------------------------------------------------------------------------

def hyphenated(cpr_digits: str) -> str:
    return f"{cpr_digits[:6]}-{cpr_digits[6:]}"


def _pick(options: tuple[str, ...], value: str, salt: str) -> str:
    digest = hashlib.sha256(f"{salt}:{value}".encode()).digest()
    return options[digest[0] % len(options)]


def party_name(party: StoredParty) -> str:
    """The store keeps no party names: a fictitious one, the same every time."""
    if party.kind == "cvr":
        return _pick(COMPANIES, party.number, "firma")
    return f"{_pick(_FIRST_NAMES, party.number, 'fornavn')} {_pick(SURNAMES, party.number, 'efternavn')}"


def part_id(party: StoredParty, installation: Installation) -> int:
    return installation.stable_id("part", party.urn, 1_000)


def _party_uuid(party: StoredParty, installation: Installation) -> str:
    digest = hashlib.sha256(f"{installation.seed}:partuuid:{party.urn}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-a{digest[17:20]}-{digest[20:32]}"


def primary_part(party: StoredParty, installation: Installation) -> dict[str, Any]:
    """`PrimaryPart`, a PartDto: the number under `CPRnummer` or `CVRnummer` (this casing)."""
    body: dict[str, Any] = {"PartId": part_id(party, installation),
                            "PartType": "Firma" if party.kind == "cvr" else "Person"}
    if party.kind == "cvr":
        body["CVRnummer"] = party.number
    else:
        body["CPRnummer"] = hyphenated(party.number)
    body["Navn"] = party_name(party)
    return body


def _person(party: StoredParty, installation: Installation) -> dict[str, Any]:
    return {"CprNummer": hyphenated(party.number), "TilmeldtDigitalPost": True,
            "Uuid": _party_uuid(party, installation), "Id": part_id(party, installation),
            "Navn": party_name(party)}


def _firma(party: StoredParty, installation: Installation) -> dict[str, Any]:
    return {"Reklamebeskyttelse": False, "CvrNummer": party.number, "ErJuridiskEnhed": True,
            "TilmeldtDigitalPost": True, "Uuid": _party_uuid(party, installation),
            "Id": part_id(party, installation), "Navn": party_name(party)}


# -- cases --------------------------------------------------------------------------------------

def user(installation: Installation, caseworker_uuid: str | None) -> dict[str, Any] | None:
    found = installation.user_by_uuid(caseworker_uuid)
    if found is None:
        return None
    return {"LogonId": found.login or None, "Uuid": found.uuid, "Id": found.id, "Navn": found.name or None}


def sag(case: StoredCase, installation: Installation, *, with_parties: bool = True) -> dict[str, Any]:
    """A SagDto. Search answers leave out `Personer` and `Firmaer` unless asked to include them."""
    status = installation.status_of(case.status)
    primary = next((p for p in case.parties if p.relation == "primaerpart"), None)
    body: dict[str, Any] = {"SagsTitel": case.title}
    if with_parties:
        body["Personer"] = [_person(p, installation) for p in case.parties if p.kind == "cpr"]
        body["Firmaer"] = [_firma(p, installation) for p in case.parties if p.kind == "cvr"]
    body.update({
        "PrimaryPart": primary_part(primary, installation) if primary else None,
        "Id": case.row_id,
        "SagIdentity": case.uuid,
        "Opstaaet": local_time(case.opened),
        "Nummer": case.number,
        "Fagomraade": FAGOMRAADE,
        "Kommentar": case.description,
        "BevaringId": 20,
        "SenesteStatusAendringKommentar": f"Sagsstatus ændret til {status.name}",
        "Oprettet": local_time(case.opened),
        "SenestAendret": local_time(case.changed),
        "ErBeskyttet": False,
        "ErBesluttet": status.state != "Aktiv",
        "Behandler": user(installation, case.caseworker),
        "SagsStatus": {"Id": status.id, "Navn": status.name, "Orden": status.order,
                       "SagsTilstand": status.state, "RequireComments": False,
                       "SagsStatusKommentar": f"Sagsstatus ændret til {status.name}"},
        "SagsNummer": _sagsnummer(case, installation),
    })
    return body


def _sagsnummer(case: StoredCase, installation: Installation) -> dict[str, Any] | None:
    match = _NUMBER.match(case.number)
    kle = case.kle or (match.group("kle") if match else None)
    facet = case.facet or (match.group("facet") if match else None)
    if not (kle or match):
        return None
    return {
        "EmneplanNummer": {"Id": installation.stable_id("emneplannummer", kle or "", 10_000),
                           "EmneplanID": 90, "Nummer": kle, "Navn": case.kle_title or "",
                           "Niveau": 2, "ErUdgaaet": False, "AfloserNumre": []} if kle else None,
        "Facet": {"ID": installation.stable_id("facet", facet, 100), "FacetTypeID": 1337,
                  "Nummer": facet, "Navn": FACETS.get(facet, "")} if facet else None,
        "Aarstal": 2000 + int(match.group("year")) if match else None,
        "SekvensNummer": int(match.group("serial")) if match else None,
    }


# -- documents ----------------------------------------------------------------------------------

def split_file_name(name: str) -> tuple[str, str]:
    """(name without extension, extension without its dot), as SBSYS keeps a file.

    unverified: that `Filer[].Navn` holds the name without its extension. The SBSYS database
    keeps FileName ("mail") and FileExtension (".pdf") apart; AAK's client documents
    `Filendelse` "without a leading dot". Joining the two with a dot gives the name back.
    """
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or not extension or " " in extension:
        return name, ""
    return stem, extension


def sbsys_fields(document: StoredDocument) -> dict[str, Any]:
    own = document.fields.get(DIALECT)
    return own if isinstance(own, dict) else {}


def _description(document: StoredDocument, own: dict[str, Any]) -> str | None:
    """The description as filed here (the store gives a document without one its title)."""
    return (own["Beskrivelse"] if "Beskrivelse" in own else document.description) or None


def dokument(document: StoredDocument, case: StoredCase | None,
             installation: Installation) -> dict[str, Any]:
    """A DokumentMetadataDto (the shape of `/api/sag/{id}/dokumenter` rows, `/api/dokument/{id}`
    and the journaliser answer): AAK reads `Id, Navn, SagID, DokumentDato, Filer`, Odense reads
    `DokumentIdentity, DokumentNavn, RegistreringsDato, Behandler`; the DTO has both.
    The external id reads back as `EksternId` (the V10 DTO's casing), whatever casing it was sent in.
    """
    own = sbsys_fields(document)
    art = installation.art_by_id(own.get("DokumentArt") or 0) or installation.art_of_kind(document.kind)
    stem, extension = split_file_name(document.file_name)
    registered = own.get("RegistreringsDato") or document.registered
    return {
        "EksternId": own.get("EksternId"),
        "SagID": case.row_id if case else None,
        "DokumentID": document.row_id,
        "RegistreretAfID": own.get("RegistreretAfID") or 0,
        "RegistreringsDato": local_time(registered),
        "DokumentIdentity": document.uuid,
        "Beskrivelse": _description(document, own),
        "DokumentNavn": document.title,
        "SagsPart": own.get("SagsPart"),
        "Behandler": user(installation, case.caseworker) if case else None,
        "SagsNummer": case.number if case else None,
        "PaaPostliste": bool(own.get("PaaPostliste", False)),
        "PostlisteTitel": own.get("PostlisteTitel"),
        "DokumentArt": {"Uuid": art.uuid, "Id": art.id, "Navn": art.name},
        "Filer": [{"Id": document.file_row_id, "Navn": stem, "Filendelse": extension,
                   "Size": document.size}],
        "OmfattetAfAktindsigt": bool(own.get("OmfattetAfAktindsigt", True)),
        "AktindsigtKommentar": own.get("AktindsigtKommentar"),
        "Id": document.row_id,
        "Navn": document.title,
        "DokumentDato": local_date(document.letter_date),
    }


def kladde(document: StoredDocument, case: StoredCase | None) -> dict[str, Any]:
    """A draft as the simulator lists it (unverified shape: no public client reads drafts)."""
    own = sbsys_fields(document)
    stem, extension = split_file_name(document.file_name)
    return {"Id": document.row_id, "SagID": case.row_id if case else None, "Navn": document.title,
            "Emne": own.get("Emne"), "Beskrivelse": _description(document, own),
            "Oprettet": local_time(document.registered),
            "Filer": [{"Id": document.file_row_id, "Navn": stem, "Filendelse": extension,
                       "Size": document.size}]}
