"""`caseclient journal`: everything this user filed (the filing journal), or its CSV for the records office.

Each row: when, the undo state (filed, undone, waiting in its undo window), the title, case, system,
the document's id, the file's name, size and sha256, and by which route it came (drop, scan,
command line). No CPR number in clear. `--csv FILE` writes what a Danish spreadsheet opens as it is
(UTF-8 with a byte order mark, semicolon-separated).
"""

from __future__ import annotations

import argparse
import json
import sys

from ..connection import add_service_options, command_line_settings
from ..store.journal import JournalEntry, local_time, parse_since, read_journal, write_journal_csv


def add_parser(sub: argparse._SubParsersAction) -> None:
    journal = sub.add_parser("journal", help="everything you filed: when, what, where, by which route")
    journal.add_argument("--since", metavar="DATE", help="only from this date on (2026-12-03 or 03-12-2026)")
    journal.add_argument("--csv", metavar="FILE", help="write the journal as CSV for a spreadsheet (UTF-8, semicolons)")
    journal.add_argument("--json", action="store_true", help="print JSON")
    add_service_options(journal)


def _json(e: JournalEntry) -> dict:
    return {
        "at": e.at.isoformat(), "state": e.state.value, "title": e.title, "filename": e.filename, "size": e.size,
        "sha256": e.sha256, "case_number": e.case_number, "case_id": e.case_id, "system": e.system,
        "service_url": e.service_url, "document_id": e.document_id, "link": e.link, "route": e.route,
        "outbox_item": e.outbox_item_id,
    }


def run(args: argparse.Namespace) -> int:
    from ..store import open_filing

    try:
        since = parse_since(args.since) if args.since else None
    except ValueError as exc:
        print(f"caseclient: {exc}", file=sys.stderr)
        return 2
    settings = command_line_settings(args.service, args.set)
    service = (settings.text("service.kind"), settings.text("service.url"))
    with open_filing() as filing:
        entries = read_journal(filing.db, since=since, service=service, now=filing.outbox.now())
    if args.csv:
        try:
            n = write_journal_csv(entries, args.csv)
        except OSError as exc:
            print(f"caseclient: {args.csv} cannot be written ({exc.strerror or exc}).", file=sys.stderr)
            return 1
        print(f"{n} filing(s) written to {args.csv}", file=sys.stderr)
        return 0
    if args.json:
        print(json.dumps([_json(e) for e in entries], ensure_ascii=False, indent=2))
        return 0
    for e in entries:
        print("\t".join((local_time(e.at), e.state.value, e.case_number, e.title, e.filename, e.document_id,
                         e.system, e.route)))
    if not entries:
        print("Nothing filed yet." if since is None else "Nothing filed since then.", file=sys.stderr)
    return 0
