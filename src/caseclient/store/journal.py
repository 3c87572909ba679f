"""The user's filing journal: everything this user filed, read from the filing ledger.

One row per document: when, what (title, file name, size, sha256), on which case and system, the
document's id (and a link where the system has one), by which route (drop, scan, command line) and
its undo state: filed, undone inside its undo window, or still waiting in it. Filed documents come
from the ledger; the outbox row the ledger names adds the file name, size, route and system. Items
undone or still in their window are in the outbox only (they were never filed).

No CPR number in clear: titles, file names and case numbers are masked as they are read (the ledger
and a filed item's row are masked already; a file name may still carry one).

The CSV export is what a Danish spreadsheet opens as it is: UTF-8 with a byte order mark (Excel
reads æ, ø and å right only then), semicolons between fields, CRLF between rows, a header row in
Danish, and a text that begins like a formula (=, +, -, @) prefixed by an apostrophe.
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from ..domain import redact_cprs
from .database import Database
from .undo import UNDONE


class JournalState(str, enum.Enum):
    FILED = "filed"
    UNDONE = "undone"
    WAITING = "waiting"  # inside its undo window: it can still be undone


@dataclass(frozen=True, slots=True)
class JournalEntry:
    at: datetime  # filed (or undone, or queued) at, in UTC
    state: JournalState
    title: str
    filename: str
    size: int | None
    sha256: str
    case_number: str
    case_id: str
    system: str  # the kind of document service (oio, sbsys, ...); "" when not recorded
    service_url: str  # its address ("" for the built-in reference service or when not recorded)
    document_id: str
    link: str
    route: str  # drop, scan, command line; "" when not recorded (filed before caseclient noted it)
    outbox_item_id: int | None


def _columns(conn, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def document_link(system: str, service_url: str, document_id: str) -> str:
    """A link to the document where the kind of system has a fixed address for it (OIO/LoRa)."""
    if system == "oio" and service_url.startswith(("https://", "http://")) and document_id:
        return f"{service_url.rstrip('/')}/dokument/dokument/{document_id}"
    return ""


def _route(metadata_json: str | None) -> str:
    if not metadata_json:
        return ""
    try:
        return json.loads(metadata_json).get("route") or ""
    except (ValueError, AttributeError):
        return ""


def read_journal(
    db: Database, *, since: datetime | None = None, service: tuple[str, str] | None = None,
    now: float | None = None,
) -> list[JournalEntry]:
    """The journal, newest first. `since`: only entries from then on. `service` (kind, address):
    the system named for rows that recorded none (filed before caseclient noted the service)."""
    after = since.timestamp() if since is not None else float("-inf")
    kind_default, url_default = service or ("", "")
    with db.read() as conn:
        item_columns = _columns(conn, "outbox_item")
        has_service = "service_url" in item_columns
        service_sql = "o.service_kind, o.service_url" if has_service else "NULL AS service_kind, NULL AS service_url"
        filed = conn.execute(
            f"""SELECT l.filed_at AS at, l.title, l.sha256, l.case_number, l.case_id, l.document_id,
                       l.outbox_item_id, o.filename, o.size, o.metadata, {service_sql}
                FROM filing_ledger l LEFT JOIN outbox_item o ON o.id = l.outbox_item_id
                WHERE l.filed_at >= ?""",
            (after,),
        ).fetchall()
        pending = conn.execute(
            f"""SELECT id, status, attempts, next_attempt_at, created_at, finished_at, metadata, filename, size,
                       sha256, case_number, case_id, last_error_code, {service_sql.replace('o.', '')}
                FROM outbox_item
                WHERE ((status = 'cancelled' AND last_error_code = ?)
                       OR (status = 'queued' AND attempts = 0 AND next_attempt_at > ?))
                  AND coalesce(finished_at, created_at) >= ?""",
            (UNDONE, now if now is not None else datetime.now(timezone.utc).timestamp(), after),
        ).fetchall()
    entries: list[JournalEntry] = []
    for row in filed:
        system = row["service_kind"] or (kind_default if row["service_url"] is None else "")
        url = row["service_url"] if row["service_url"] is not None else url_default
        entries.append(JournalEntry(
            at=datetime.fromtimestamp(row["at"], tz=timezone.utc),
            state=JournalState.FILED,
            title=redact_cprs(row["title"]),
            filename=redact_cprs(row["filename"] or ""),
            size=row["size"],
            sha256=row["sha256"],
            case_number=redact_cprs(row["case_number"]),
            case_id=row["case_id"],
            system=system,
            service_url=url,
            document_id=row["document_id"],
            link=document_link(system, url, row["document_id"]),
            route=_route(row["metadata"]),
            outbox_item_id=row["outbox_item_id"],
        ))
    for row in pending:
        undone = row["status"] == "cancelled"
        title = json.loads(row["metadata"]).get("title", "")
        entries.append(JournalEntry(
            at=datetime.fromtimestamp(row["finished_at"] if undone else row["created_at"], tz=timezone.utc),
            state=JournalState.UNDONE if undone else JournalState.WAITING,
            title=redact_cprs(title),
            filename=redact_cprs(row["filename"]),
            size=row["size"],
            sha256=row["sha256"],
            case_number=redact_cprs(row["case_number"]),
            case_id=row["case_id"],
            system=row["service_kind"] or (kind_default if row["service_url"] is None else ""),
            service_url=row["service_url"] if row["service_url"] is not None else url_default,
            document_id="",
            link="",
            route=_route(row["metadata"]),
            outbox_item_id=row["id"],
        ))
    entries.sort(key=lambda e: (e.at, e.outbox_item_id or 0), reverse=True)
    return entries


CSV_HEADER = ("Tidspunkt", "Status", "Titel", "Filnavn", "Størrelse (bytes)", "SHA-256", "Sag", "System",
              "Adresse", "Dokument-id", "Link", "Vej")
STATE_DA = {JournalState.FILED: "journaliseret", JournalState.UNDONE: "fortrudt",
            JournalState.WAITING: "venter (kan fortrydes)"}
ROUTE_DA = {"drop": "træk og slip", "scan": "scanning", "command line": "kommandolinje", "": ""}


def _cell(text: str) -> str:
    """A text a spreadsheet shows as text: one that begins like a formula gets an apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def local_time(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def csv_rows(entries: Iterable[JournalEntry]) -> Iterable[tuple[str, ...]]:
    yield CSV_HEADER
    for e in entries:
        yield (
            local_time(e.at), STATE_DA[e.state], _cell(e.title), _cell(e.filename),
            "" if e.size is None else str(e.size), e.sha256, _cell(e.case_number), e.system, e.service_url,
            _cell(e.document_id), e.link, ROUTE_DA.get(e.route, e.route),
        )


def journal_csv(entries: Iterable[JournalEntry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(csv_rows(entries))
    return out.getvalue()


def write_journal_csv(entries: Iterable[JournalEntry], path: Path) -> int:
    """Write the journal as CSV for a Danish spreadsheet; returns how many entries."""
    text = journal_csv(list(entries))
    Path(path).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return text.count("\r\n") - 1


def parse_since(text: str) -> datetime:
    """A date (2026-12-03 or 03-12-2026) or a date and time, as the start of that local day or
    moment. ValueError with one sentence when it is neither."""
    value = text.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.strptime(value, fmt).astimezone()
        except ValueError:
            continue
    raise ValueError(f"--since {text!r} is not a date; give it as 2026-12-03 (or 03-12-2026).")


def today_start() -> datetime:
    return datetime.combine(date.today(), datetime.min.time()).astimezone()
