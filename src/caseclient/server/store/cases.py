"""The store's cases and documents as every wire dialect sees them.

The reference service keeps its data as OIO registrations (the richest model the Danish
standards give: LoRa's sag and dokument, with their history rules). The OIO dialect serves them
as they are; the vendor simulators (SBSYS, GetOrganized, ...) read and write them through this
module, which speaks of cases, parties and documents and hides the registrations. A document a
simulator files is therefore a real OIO dokument with a journalpost on its sag: the same demo
cases and documents, whichever dialect asks.

A dialect's own fields of a document (SBSYS `Eksternid`, GetOrganized's metadata attributes) are
kept as JSON in the dokument's `integrationsdata`, under the dialect's name. Integer ids that
vendors expose (SBSYS `Id`, GetOrganized `DocId`) are the store's own row ids: stable, unique
per class, never reused.
"""

from __future__ import annotations

import json
import sqlite3
import uuid as uuidlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug.datastructures import MultiDict

from . import registration as reg
from . import virkning
from .database import Database
from .files import STORE_PREFIX, ContentStore
from .index import fold
from .model import DOKUMENT, KLASSE, SAG
from .registration import Registration
from .search import search

CPR_URN = "urn:dk:cpr:person:"
CVR_URN = "urn:dk:cvr:virksomhed:"
PARTY_RELATIONS = ("primaerpart", "sekundaerpart")
CLOSED = "Afsluttet"


@dataclass(frozen=True, slots=True)
class StoredParty:
    kind: str  # "cpr" | "cvr"
    number: str  # digits only
    relation: str  # "primaerpart" | "sekundaerpart"

    @property
    def urn(self) -> str:
        return (CPR_URN if self.kind == "cpr" else CVR_URN) + self.number


@dataclass(frozen=True, slots=True)
class StoredCase:
    uuid: str
    row_id: int  # the store's integer id of the case, stable and never reused
    number: str
    title: str
    description: str
    status: str  # OIO fremdrift: Opstaaet, Oplyst, Afgjort, Bestilt, Udfoert, Afsluttet
    kle: str | None  # "27.24.00"
    kle_title: str | None
    facet: str | None  # "G01"
    caseworker: str | None  # the primaerbehandler's uuid
    parties: tuple[StoredParty, ...]
    opened: str  # ISO time the case arose
    changed: str  # ISO time of its latest registration

    @property
    def closed(self) -> bool:
        return self.status == CLOSED


@dataclass(frozen=True, slots=True)
class StoredDocument:
    uuid: str
    row_id: int
    case_uuid: str
    title: str
    description: str
    letter_date: str  # YYYY-MM-DD
    kind: str  # OIO dokumenttype: Indgående, Udgående, Internt, ...
    file_name: str
    mime_type: str
    size: int
    content: str  # the `store:` path of the file
    file_row_id: int  # the store's integer id of the file
    registered: str  # ISO time it was filed
    fields: dict[str, Any] = field(default_factory=dict)  # the dialect's own fields


@dataclass(frozen=True, slots=True)
class NewDocument:
    """What a simulator files: the upload is a finished temporary file in the content store."""

    upload: str  # path of the uploaded file (ContentStore.new_upload), moved into the store
    title: str
    file_name: str
    mime_type: str
    letter_date: str  # YYYY-MM-DD
    kind: str  # Indgående / Udgående / Internt
    description: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    parties: tuple[str, ...] = ()  # urns


def _current(values: list[dict[str, Any]] | None) -> dict[str, Any]:
    """The value valid now (the last whose period holds now), or {}."""
    now = virkning.now()
    chosen: dict[str, Any] = {}
    for value in values or []:
        if virkning.overlaps(value.get("virkning", {}), now, virkning.just_after(now)):
            chosen = value
    return chosen or ((values or [{}])[-1])


def _digits(urn: str, prefix: str) -> str | None:
    return urn[len(prefix):] if urn.startswith(prefix) else None


class CaseStore:
    """Cases and documents over the service's database and content store (thread-safe like the
    database: one connection per thread; call `db.release()` when a request ends)."""

    def __init__(self, db: Database, files: ContentStore) -> None:
        self.db = db
        self.files = files
        self._kle: dict[str, tuple[str, str] | None] = {}

    # -- cases ----------------------------------------------------------------------------------

    def search(self, *, number_prefix: str | None = None, number_from: str | None = None,
               number_to: str | None = None, title: str | None = None, party: str | None = None,
               caseworker: str | None = None, kle_prefix: str | None = None,
               include_closed: bool = True, limit: int = 50, offset: int = 0) -> list[StoredCase]:
        """Cases matching every given criterion, ordered by number. `title` matches words
        (each must occur, case-insensitive); `party` is a CPR/CVR urn on any party relation;
        `number_from`/`number_to` is the half-open interval [from, to) of case numbers."""
        args = MultiDict()
        if number_prefix:
            args.add("sagsnummer", _like(number_prefix) + "%")
        for word in (title or "").split():
            args.add("titel", "%" + _like(word) + "%")
        if caseworker:
            args.add("primaerbehandler", caseworker)
        if kle_prefix:
            return self._filtered(args, lambda case: (case.kle or "").startswith(kle_prefix),
                                  include_closed, limit, offset)
        if number_from or number_to:
            low, high = number_from or "", number_to or "\U0010ffff"
            return self._filtered(args, lambda case: low <= case.number < high,
                                  include_closed, limit, offset)
        if not party:
            if include_closed:
                return self._cases(self._uuids(args, limit, offset))
            return self._filtered(args, lambda case: True, False, limit, offset)
        found: dict[str, None] = {}
        for relation in PARTY_RELATIONS:  # LoRa asks per relation; the answers are merged
            one = MultiDict(args)
            one.add(relation, party)
            found.update(dict.fromkeys(self._uuids(one, -1, 0)))
        cases = sorted(self._cases(found), key=lambda c: (c.number, c.uuid))
        cases = [c for c in cases if include_closed or not c.closed]
        return cases[offset:offset + limit if limit >= 0 else None]

    def _filtered(self, args: MultiDict, keep, include_closed: bool, limit: int,
                  offset: int) -> list[StoredCase]:
        """Cases the OIO search cannot select alone: walked in number order, in pages."""
        result: list[StoredCase] = []
        skipped, page, start = 0, 500, 0
        while len(result) < limit or limit < 0:
            uuids = self._uuids(args, page, start)
            for case in self._cases(uuids):
                if keep(case) and (include_closed or not case.closed):
                    if skipped < offset:
                        skipped += 1
                    else:
                        result.append(case)
            if len(uuids) < page:
                break
            start += page
        return result[:limit] if limit >= 0 else result

    def _uuids(self, args: MultiDict, limit: int, offset: int) -> list[str]:
        args = MultiDict(args)
        if limit >= 0:
            args["maximalantalresultater"] = str(limit)
        args["foersteresultat"] = str(offset)
        return search(self.db, SAG, args)

    def _cases(self, uuids: Iterable[str]) -> list[StoredCase]:
        uuids = list(uuids)
        stored = self.db.load_many(SAG, uuids)
        rows = self._row_ids(SAG.path, uuids)
        return [self._case(u, stored[u], rows[u]) for u in uuids
                if u in stored and stored[u]["livscykluskode"] != reg.SLETTET]

    def find(self, *, number: str | None = None, number_from: str | None = None,
             number_to: str | None = None, title: str | None = None, party: str | None = None,
             primary_party: bool = False, caseworker: str | None = None,
             statuses: Iterable[str] | None = None, limit: int = 50,
             offset: int = 0) -> tuple[list[StoredCase], int]:
        """One page of the cases matching every given criterion, in number order, and how many
        match in all (for vendors whose searches answer a total). `number` is exact (ignoring
        case); `number_from`/`number_to` the half-open interval [from, to) of case numbers;
        `title` words that must each occur; `party` a CPR/CVR urn, on the primary party relation
        only when `primary_party`; `statuses` the fremdrift values allowed."""
        args = MultiDict()
        if number:
            args.add("sagsnummer", _like(number))
        low, high = number_from or "", number_to or "\U0010ffff"
        interval = bool(number_from or number_to)
        if interval:
            common = ""
            for a, b in zip(low, high):
                if a != b:
                    break
                common += a
            if low and high == low[:-1] + chr(ord(low[-1]) + 1):  # [p, p's successor): all start with p
                common = low
            if common:  # an index range narrows the walk; the interval itself is checked below
                args.add("sagsnummer", _like(common) + "%")
        for word in (title or "").split():
            args.add("titel", "%" + _like(word) + "%")
        if caseworker:
            args.add("primaerbehandler", caseworker)
        if party and primary_party:
            args.add("primaerpart", party)
        ordered = self._uuids(args, -1, 0)
        if party and not primary_party:
            holders: set[str] = set()
            for relation in PARTY_RELATIONS:
                one = MultiDict(args)
                one.add(relation, party)
                holders.update(self._uuids(one, -1, 0))
            ordered = [u for u in ordered if u in holders]
        if statuses is not None:
            allowed: set[str] = set()
            for status in set(statuses):
                one = MultiDict(args)
                one.add("fremdrift", status)
                allowed.update(self._uuids(one, -1, 0))
            ordered = [u for u in ordered if u in allowed]
        if not interval:
            page = ordered[offset:offset + limit] if limit >= 0 else ordered[offset:]
            return self._cases(page), len(ordered)
        matching: list[StoredCase] = []
        for start in range(0, len(ordered), 500):
            matching += [c for c in self._cases(ordered[start:start + 500]) if low <= c.number < high]
        return (matching[offset:offset + limit] if limit >= 0 else matching[offset:]), len(matching)

    def case(self, uuid: str) -> StoredCase | None:
        found = self._cases([uuid.lower()])
        return found[0] if found else None

    def case_by_row(self, row_id: int) -> StoredCase | None:
        uuid = self._uuid_of_row(SAG.path, row_id)
        return self.case(uuid) if uuid else None

    def case_by_number(self, number: str) -> StoredCase | None:
        args = MultiDict({"sagsnummer": _like(number)})
        found = [c for c in self._cases(self._uuids(args, 2, 0)) if c.number == number]
        return found[0] if found else None

    def cases_by_row(self, first_row: int = 0, limit: int = 500) -> list[StoredCase]:
        """Live cases in the order of their row ids, from `first_row` on (for vendors whose case
        ids are the row ids: a walk in id order)."""
        found = self.db.connection().execute(
            "SELECT uuid FROM objects WHERE class = ? AND id >= ? AND lifecycle != ? "
            "ORDER BY id LIMIT ?", (SAG.path, first_row, reg.SLETTET, limit)).fetchall()
        return sorted(self._cases([u for (u,) in found]), key=lambda c: c.row_id)

    def deleted_cases(self) -> list[StoredCase]:
        """The deleted cases as they were before deletion, in row order (for vendors whose
        searches still show them)."""
        found = self.db.connection().execute(
            "SELECT o.uuid, o.id, r.registration FROM objects o JOIN registrations r "
            "ON r.object = o.id WHERE o.class = ? AND o.lifecycle = ? ORDER BY o.id",
            (SAG.path, reg.SLETTET)).fetchall()
        return [self._case(uuid, json.loads(text), row) for uuid, row, text in found]

    def delete_case(self, uuid: str) -> bool:
        with self.db.transaction() as conn:
            old = self.db.load(SAG, uuid)
            if old is None or old["livscykluskode"] == reg.SLETTET:
                return False
            self.db.store(conn, SAG, uuid, reg.deleted(old, "deleted through a simulator"))
        return True

    def _case(self, uuid: str, registration: Registration, row_id: int) -> StoredCase:
        attributes = _current(registration["attributter"].get("sagegenskaber"))
        state = _current(registration["tilstande"].get("sagfremdrift"))
        relations = registration["relationer"]
        kle_uuid = _current(relations.get("primaerklasse")).get("uuid")
        kle = self._kle_of(kle_uuid) if kle_uuid else None
        facet_urn = _current(relations.get("handlingsklasse")).get("urn") or ""
        parties = []
        for relation in PARTY_RELATIONS:
            for value in relations.get(relation, []):
                urn = value.get("urn") or ""
                for kind, prefix in (("cpr", CPR_URN), ("cvr", CVR_URN)):
                    if (number := _digits(urn, prefix)) is not None:
                        parties.append(StoredParty(kind, number, relation))
        opened = (attributes.get("virkning") or {}).get("from") or registration["fratidspunkt"]
        return StoredCase(
            uuid=uuid, row_id=row_id, number=attributes.get("sagsnummer") or "",
            title=attributes.get("titel") or "", description=attributes.get("beskrivelse") or "",
            status=state.get("fremdrift") or "", kle=kle[0] if kle else None,
            kle_title=kle[1] if kle else None,
            facet=facet_urn.rsplit(":", 1)[-1] if facet_urn else None,
            caseworker=_current(relations.get("primaerbehandler")).get("uuid"),
            parties=tuple(parties), opened=opened, changed=registration["fratidspunkt"])

    def _kle_of(self, uuid: str) -> tuple[str, str] | None:
        if uuid not in self._kle:
            found = self.db.load(KLASSE, uuid)
            props = _current(found["attributter"].get("klasseegenskaber")) if found else {}
            self._kle[uuid] = ((props["brugervendtnoegle"], props.get("titel") or "")
                               if props.get("brugervendtnoegle") else None)
        return self._kle[uuid]

    # -- documents ------------------------------------------------------------------------------

    def documents(self, case_uuid: str) -> list[StoredDocument]:
        """The case's filed documents in journal order (deleted ones left out)."""
        stored = self.db.load(SAG, case_uuid)
        if stored is None or stored["livscykluskode"] == reg.SLETTET:
            return []
        posts = sorted(stored["relationer"].get("journalpost", []), key=lambda v: v.get("indeks", 0))
        uuids = list(dict.fromkeys(p["uuid"] for p in posts if p.get("uuid")))
        return self._documents(uuids, case_uuid.lower())

    def documents_named(self, case_uuid: str, file_name: str) -> list[StoredDocument]:
        """The case's documents whose file is named `file_name`, ignoring case (as SharePoint
        and Windows compare names), found through the name index rather than by reading every
        document of the case."""
        conn = self.db.connection()
        uuids = [row[0] for row in conn.execute(
            "SELECT o.uuid FROM attribute_index a JOIN objects o ON o.id = a.object "
            "WHERE a.field = 'deltekst' AND a.value = ? AND o.class = ?", (fold(file_name), DOKUMENT.path))]
        if not uuids:
            return []
        case = self.db.load(SAG, case_uuid)
        if case is None or case["livscykluskode"] == reg.SLETTET:
            return []
        on_case = {p.get("uuid") for p in case["relationer"].get("journalpost", [])}
        wanted = fold(file_name)
        return [d for d in self._documents([u for u in uuids if u in on_case], case_uuid.lower())
                if fold(d.file_name) == wanted]

    def document(self, uuid: str) -> StoredDocument | None:
        found = self._documents([uuid.lower()], None)
        return found[0] if found else None

    def document_by_row(self, row_id: int) -> StoredDocument | None:
        uuid = self._uuid_of_row(DOKUMENT.path, row_id)
        return self.document(uuid) if uuid else None

    def document_by_file_row(self, row_id: int) -> StoredDocument | None:
        found = self.db.connection().execute(
            "SELECT document FROM content WHERE rowid = ?", (row_id,)).fetchone()
        return self.document(found[0]) if found else None

    def _documents(self, uuids: list[str], case_uuid: str | None) -> list[StoredDocument]:
        stored = self.db.load_many(DOKUMENT, uuids)
        rows = self._row_ids(DOKUMENT.path, uuids)
        result = []
        for uuid in uuids:
            registration = stored.get(uuid)
            if registration is None or registration["livscykluskode"] == reg.SLETTET:
                continue
            document = self._document(uuid, registration, rows[uuid], case_uuid)
            if document is not None:
                result.append(document)
        return result

    def _document(self, uuid: str, registration: Registration, row_id: int,
                  case_uuid: str | None) -> StoredDocument | None:
        props = _current(registration["attributter"].get("dokumentegenskaber"))
        parts = [(part, properties) for variant in registration.get("varianter", [])
                 for part in variant.get("dele", [])
                 for properties in part.get("egenskaber", []) if properties.get("indhold")]
        if not parts:
            return None  # a document without a file is not a filed document here
        part, properties = parts[0]
        content = properties["indhold"]
        path = self.files.path_of(content[len(STORE_PREFIX):])
        file_row = self.db.connection().execute(
            "SELECT rowid FROM content WHERE path = ?", (content,)).fetchone()
        if case_uuid is None:
            case_uuid = self._case_of_document(uuid) or ""
        try:
            extra = json.loads(props.get("integrationsdata") or "{}")
        except ValueError:
            extra = {}
        return StoredDocument(
            uuid=uuid, row_id=row_id, case_uuid=case_uuid, title=props.get("titel") or "",
            description=props.get("beskrivelse") or "", letter_date=props.get("brevdato") or "",
            kind=props.get("dokumenttype") or "",
            file_name=properties.get("lokation") or part.get("deltekst") or "",
            mime_type=properties.get("mimetype") or "application/octet-stream",
            size=path.stat().st_size if path.is_file() else 0, content=content,
            file_row_id=file_row[0] if file_row else 0, registered=registration["fratidspunkt"],
            fields=extra if isinstance(extra, dict) else {})

    def _case_of_document(self, uuid: str) -> str | None:
        found = self.db.connection().execute(
            "SELECT o.uuid FROM relation_index r JOIN objects o ON o.id = r.object "
            "WHERE r.name = 'journalpost' AND r.target = ? AND o.class = ? LIMIT 1",
            (uuid.lower(), SAG.path)).fetchone()
        return found[0] if found else None

    def content_path(self, document: StoredDocument) -> Path:
        return self.files.path_of(document.content[len(STORE_PREFIX):])

    def add_document(self, case_uuid: str, new: NewDocument, *,
                     also: Callable[[sqlite3.Connection, str], None] | None = None) -> StoredDocument:
        """File a new document on the case in one transaction: a dokument with the file and a
        journalpost on the sag, and whatever `also` writes given the transaction and the new
        document's uuid (a dialect's own index). Raises LookupError when the case does not exist
        (or is deleted)."""
        uuid = str(uuidlib.uuid4())
        with self.db.transaction() as conn:
            case = self.db.load(SAG, case_uuid)
            if case is None or case["livscykluskode"] == reg.SLETTET:
                raise LookupError(f"no case {case_uuid}")
            self._store_document(conn, uuid, new, None)
            if also is not None:
                also(conn, uuid)
            post = {"uuid": uuid, "objekttype": "Dokument", "journalpostkode": "vedlagtdokument",
                    "journaldokument": {"dokumenttitel": new.title[:255],
                                        "offentlighedundtaget": {"alternativtitel": "",
                                                                 "hjemmel": ""}},
                    "virkning": {"from": virkning.now(), "to": virkning.INFINITY}}
            self.db.store(conn, SAG, case_uuid, reg.updated(SAG, case, {"relationer": {"journalpost": [post]}}))
        document = self.document(uuid)
        assert document is not None
        return document

    def replace_document(self, uuid: str, new: NewDocument) -> StoredDocument:
        """Give an existing document a new file and fields (an overwrite)."""
        with self.db.transaction() as conn:
            old = self.db.load(DOKUMENT, uuid)
            if old is None or old["livscykluskode"] == reg.SLETTET:
                raise LookupError(f"no document {uuid}")
            self._store_document(conn, uuid, new, old)
        document = self.document(uuid)
        assert document is not None
        return document

    def update_fields(self, uuid: str, dialect: str, fields: dict[str, Any]) -> None:
        """Merge a dialect's own fields of a document (no new file)."""
        with self.db.transaction() as conn:
            old = self.db.load(DOKUMENT, uuid)
            if old is None or old["livscykluskode"] == reg.SLETTET:
                raise LookupError(f"no document {uuid}")
            props = _current(old["attributter"].get("dokumentegenskaber"))
            extra = json.loads(props.get("integrationsdata") or "{}")
            extra.setdefault(dialect, {}).update(fields)
            new = reg.updated(DOKUMENT, old, {
                "attributter": {"dokumentegenskaber": [{
                    "integrationsdata": json.dumps(extra, ensure_ascii=False),
                    "virkning": {"from": virkning.now(), "to": virkning.INFINITY}}]},
                "varianter": old.get("varianter", [])})
            self.db.store(conn, DOKUMENT, uuid, new)

    def update_document(self, uuid: str, *, title: str | None = None, letter_date: str | None = None,
                        kind: str | None = None, dialect: str | None = None,
                        fields: dict[str, Any] | None = None) -> StoredDocument:
        """Change a document's title, letter date, kind and (merged under `dialect`) its dialect's
        own fields, keeping its file (a metadata update)."""
        with self.db.transaction() as conn:
            old = self.db.load(DOKUMENT, uuid)
            if old is None or old["livscykluskode"] == reg.SLETTET:
                raise LookupError(f"no document {uuid}")
            props = dict(_current(old["attributter"].get("dokumentegenskaber")))
            props.pop("virkning", None)
            if title is not None:
                props["titel"] = title
            if letter_date is not None:
                props["brevdato"] = letter_date
            if kind is not None:
                props["dokumenttype"] = kind
            if dialect is not None and fields:
                extra = json.loads(props.get("integrationsdata") or "{}")
                extra.setdefault(dialect, {}).update(fields)
                props["integrationsdata"] = json.dumps(extra, ensure_ascii=False)
            props["virkning"] = {"from": virkning.now(), "to": virkning.INFINITY}
            new = reg.updated(DOKUMENT, old, {"attributter": {"dokumentegenskaber": [props]},
                                              "varianter": old.get("varianter", [])})
            self.db.store(conn, DOKUMENT, uuid, new)
        document = self.document(uuid)
        assert document is not None
        return document

    def delete_document(self, uuid: str) -> bool:
        with self.db.transaction() as conn:
            old = self.db.load(DOKUMENT, uuid)
            if old is None or old["livscykluskode"] == reg.SLETTET:
                return False
            self.db.store(conn, DOKUMENT, uuid, reg.deleted(old, "deleted through a simulator"))
        return True

    def _store_document(self, conn: sqlite3.Connection, uuid: str, new: NewDocument,
                        old: Registration | None) -> None:
        content = self.files.accept(new.upload)
        valid = {"from": virkning.now(), "to": virkning.INFINITY}
        body = {
            "attributter": {"dokumentegenskaber": [{
                "brugervendtnoegle": f"{new.title[:200]} {uuid[:8]}", "titel": new.title,
                "beskrivelse": new.description or new.title, "brevdato": new.letter_date,
                "dokumenttype": new.kind,
                "integrationsdata": json.dumps(new.fields, ensure_ascii=False),
                "virkning": valid}]},
            "tilstande": {"dokumentfremdrift": [{"fremdrift": "Endeligt", "virkning": valid}]},
            "relationer": {"parter": [{"urn": urn, "virkning": valid} for urn in new.parties]},
            "varianter": [{"varianttekst": "original",
                           "egenskaber": [{"arkivering": True, "virkning": valid}],
                           "dele": [{"deltekst": new.file_name, "egenskaber": [{
                               "indeks": 1, "indhold": content, "lokation": new.file_name,
                               "mimetype": new.mime_type, "virkning": valid}]}]}],
        }
        if old is None:
            registration = reg.from_body(DOKUMENT, body, reg.IMPORTERET)
        else:
            registration = reg.updated(DOKUMENT, old, body)
        self.db.store(conn, DOKUMENT, uuid, registration)
        self.db.register_content(conn, content, uuid, new.mime_type)

    # -- ids --------------------------------------------------------------------------------------

    def _row_ids(self, cls_path: str, uuids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        conn = self.db.connection()
        for start in range(0, len(uuids), 500):
            chunk = [u.lower() for u in uuids[start:start + 500]]
            marks = ",".join("?" * len(chunk))
            found.update(conn.execute(f"SELECT uuid, id FROM objects WHERE class = ? AND uuid IN ({marks})",
                                      (cls_path, *chunk)).fetchall())
        return found

    def _uuid_of_row(self, cls_path: str, row_id: int) -> str | None:
        found = self.db.connection().execute(
            "SELECT uuid FROM objects WHERE class = ? AND id = ?", (cls_path, row_id)).fetchone()
        return found[0] if found else None

    def setting(self, name: str, make: Any) -> str:
        """A value of this installation, made by `make()` the first time and kept for good (the
        per-installation ids a simulator hands out)."""
        conn = self.db.connection()
        conn.execute("CREATE TABLE IF NOT EXISTS installation (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("INSERT OR IGNORE INTO installation (name, value) VALUES (?, ?)", (name, str(make())))
        return conn.execute("SELECT value FROM installation WHERE name = ?", (name,)).fetchone()[0]


def _like(text: str) -> str:
    """`text` for the OIO search's ILIKE, which has no escape character: a `%` or `_` the user
    typed matches like a wildcard (a few more results, never fewer)."""
    return text
