"""`caseclient file`: file documents on a case through the outbox and print their ids."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..backends.protocol import DocumentService
from ..connection import add_service_options, command_line_settings, intake_settings_from, open_configured_service
from ..domain import CaseclientError, DocumentMetadata, DocumentRef, InputError
from ..filing import AlreadyFiled, DuplicateGuard, OutboxWorker, QueueBusy, file_to_case
from ..intake import IntakeSettings, propose, release
from ..store import Filing, Outbox, OutboxItem, OutboxStatus
from .outbox import CommandLinePrompts


def add_parser(sub: argparse._SubParsersAction) -> None:
    file = sub.add_parser("file", help="file documents on a case and print their ids")
    file.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    file.add_argument("--case", required=True, metavar="NUMBER", help="the case number")
    file.add_argument("--title", help="the document title (default: proposed from the file)")
    file.add_argument("--json", action="store_true", help="print JSON")
    file.add_argument("--again", action="store_true", help="file it even if it was filed on the case before")
    file.add_argument("--no-wait", action="store_true", help="only queue the documents; the outbox files them")
    add_service_options(file)


def run(args: argparse.Namespace) -> int:
    from ..store import open_filing

    settings = command_line_settings(args.service, args.set)
    with open_configured_service(settings) as service, open_filing() as filing:
        results = file_through_outbox(service, filing, args.paths, case_number=args.case, title=args.title,
                                      intake=intake_settings_from(settings),
                                      again=args.again, wait=not args.no_wait)
    failed = [r for r in results if r.error]
    if args.json:
        print(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            if r.ref:
                print(r.ref.id)
            elif r.item_id is not None:
                print(f"queued {r.item_id}")
    for r in results:
        if r.note:
            print(f"caseclient: {r.note}", file=sys.stderr)
    for r in failed:
        print(f"caseclient: {r.error}", file=sys.stderr)
    return 1 if failed else 0


@dataclass
class QueuedFiling:
    path: Path
    item_id: int | None = None
    ref: DocumentRef | None = None  # filed now, or found filed before
    note: str | None = None  # said on stderr, not a failure (already filed)
    error: str | None = None

    def as_json(self) -> dict:
        row: dict = {"path": str(self.path)}
        if self.item_id is not None:
            row["outbox_item"] = self.item_id
        if self.ref is not None:
            row.update(document_id=self.ref.id, case_id=self.ref.case_id, title=self.ref.title,
                       already_filed=self.ref.already_existed)
        if self.error:
            row["error"] = self.error
        return row


def file_through_outbox(
    service: DocumentService,
    filing: Filing,
    paths: Sequence[Path],
    *,
    case_number: str,
    title: str | None = None,
    again: bool = False,
    wait: bool = True,
    tries: int = 3,
    intake: IntakeSettings | None = None,
) -> list[QueuedFiling]:
    """Queue every path for the case, then (with `wait`) file them here and report each one:
    filed, refused, or still waiting after `tries` attempts (it stays in the outbox)."""
    case = service.find_case_by_number(case_number)
    prompts = CommandLinePrompts(again)
    guard = DuplicateGuard(filing.ledger, filing.outbox, service)
    results: list[QueuedFiling] = []
    for path in paths:
        try:
            metadata = proposed_metadata(path, title, intake)
            item = file_to_case(filing.outbox, guard, prompts, case, path, metadata, insist=again)
            results.append(QueuedFiling(path, item_id=item.id))
        except AlreadyFiled as refused:
            results.append(_already_filed(path, case.id, refused))
        except InputError as exc:
            results.append(QueuedFiling(path, error=exc.message))
        except CaseclientError as exc:
            results.append(QueuedFiling(path, error=f"{path} was not queued: {exc.message}"))
    queued = [r for r in results if r.item_id is not None]
    if not wait or not queued:
        return results
    worker = OutboxWorker(filing.outbox, service, prompts, guard=guard)
    try:
        worker.start()
    except QueueBusy:
        for r in queued:
            r.note = f"{r.path} is queued (item {r.item_id}); the running caseclient files it."
        return results
    try:
        worker.wait_until(lambda: all(_settled(filing.outbox.get(r.item_id), tries, filing.outbox) for r in queued))
    finally:
        worker.stop()
    for r in queued:
        _report(r, filing.outbox.get(r.item_id))
    return results


def proposed_metadata(path: Path, title: str | None, settings: IntakeSettings | None = None) -> DocumentMetadata:
    """What intake proposes for the file (subject, date, direction, parties ...), with the title
    given on the command line taking precedence. InputError (naming the file) when it cannot be read."""
    candidate = propose(path, settings=settings)
    release(candidate)  # the command line files the file itself, not its unpacked attachments
    return replace(candidate.metadata, title=title) if title else candidate.metadata


def _already_filed(path: Path, case_id: str, refused: AlreadyFiled) -> QueuedFiling:
    prior = refused.prior
    if prior.document_id is None:
        return QueuedFiling(path, error=refused.message)
    ref = DocumentRef(id=prior.document_id, case_id=case_id, title=prior.title, already_existed=True)
    return QueuedFiling(path, ref=ref, note=f"{refused.message} Use --again to file it anyway.")


def _settled(item: OutboxItem, tries: int, outbox: Outbox) -> bool:
    if item.status.finished or item.status is OutboxStatus.PAUSED or outbox.queue_state().paused:
        return True
    return item.status is OutboxStatus.QUEUED and item.attempts >= tries


def _report(result: QueuedFiling, item: OutboxItem) -> None:
    if item.status is OutboxStatus.DONE:
        result.ref = DocumentRef(id=item.document_id or "", case_id=item.case_id, title=item.title)
    elif item.status is OutboxStatus.CANCELLED and item.last_error_code == "duplicate":
        result.note = item.last_error
    elif item.status is OutboxStatus.FAILED:
        result.error = f"{result.path} was not filed: {item.last_error}"
    else:
        reason = f": {item.last_error}" if item.last_error else ""
        result.error = (f"{result.path} is not filed yet{reason} It stays in the outbox as item {item.id} "
                        "and is filed when caseclient next runs (see `caseclient outbox`).")
