"""`caseclient file`: file documents on a case through the outbox and print their ids.

A mail's attachments are filed as documents of their own beside it, or left inside it
(`--attachments`, default: the setting intake.attachments), through the same plan as the app's drop
(intake.documents), each with the media type intake detected.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..backends.protocol import DocumentService
from ..connection import add_service_options, command_line_settings, intake_settings_from, open_configured_service
from ..domain import CaseclientError, DocumentRef, FilingRoute, InputError
from ..filing import AlreadyFiled, DuplicateGuard, OutboxWorker, QueueBusy, file_to_case
from ..intake import IntakeSettings, propose, release
from ..intake.documents import AttachmentFiling, ToFile, documents_to_file
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
    file.add_argument("--undo-window", nargs="?", type=float, const=-1.0, default=None, metavar="SECONDS",
                      help="wait this long before filing (default: the setting filing.undo_window); Ctrl+C or "
                           "`caseclient undo` takes the documents back meanwhile")
    file.add_argument("--attachments", choices=[m.value for m in AttachmentFiling], default=None,
                      help="a mail's attachments: filed separately beside the mail, or only inside it "
                           "(default: the setting intake.attachments)")
    add_service_options(file)


def run(args: argparse.Namespace) -> int:
    from ..store import open_filing

    settings = command_line_settings(args.service, args.set)
    intake = intake_settings_from(settings)
    if args.attachments:
        intake = replace(intake, attachments=AttachmentFiling(args.attachments))
    with open_configured_service(settings) as service, open_filing() as filing:
        window = _undo_window(args.undo_window, settings)
        results = file_through_outbox(service, filing, args.paths, case_number=args.case, title=args.title,
                                      intake=intake, again=args.again, wait=not args.no_wait, undo_window=window)
    failed = [r for r in results if r.error]
    if args.json:
        print(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            beside = f"\t{r.attachment}" if r.attachment else ""
            if r.ref:
                print(f"{r.ref.id}{beside}")
            elif r.item_id is not None:
                print(f"queued {r.item_id}{beside}")
    for r in results:
        if r.note:
            print(f"caseclient: {r.note}", file=sys.stderr)
    for r in failed:
        print(f"caseclient: {r.error}", file=sys.stderr)
    return 1 if failed else 0


def _undo_window(given: float | None, settings) -> float:
    """--undo-window: none given, no window; given without seconds, the setting's."""
    if given is None:
        return 0.0
    if given < 0:
        return float(settings.number("filing.undo_window"))
    return given


@dataclass
class QueuedFiling:
    path: Path
    attachment: str | None = None  # the attachment of `path` filed as a document of its own
    item_id: int | None = None
    ref: DocumentRef | None = None  # filed now, or found filed before
    note: str | None = None  # said on stderr, not a failure (already filed)
    error: str | None = None

    @property
    def shown(self) -> str:
        """The file as messages name it: the path, and the attachment of it when it is one."""
        return f"{self.path} ({self.attachment})" if self.attachment else str(self.path)

    def as_json(self) -> dict:
        row: dict = {"path": str(self.path)}
        if self.attachment is not None:
            row["attachment"] = self.attachment
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
    undo_window: float = 0.0,
) -> list[QueuedFiling]:
    """Queue every path for the case (and a mail's attachments beside it, as `intake.attachments`
    says), then (with `wait`) file them here and report each one: filed, refused, or still waiting
    after `tries` attempts (it stays in the outbox)."""
    case = service.find_case_by_number(case_number)
    prompts = CommandLinePrompts(again)
    guard = DuplicateGuard(filing.ledger, filing.outbox, service)
    results: list[QueuedFiling] = []
    filing.outbox.undo_window_s = undo_window
    for path in paths:
        try:
            candidate = propose(path, settings=intake)
        except InputError as exc:
            results.append(QueuedFiling(path, error=exc.message))
            continue
        try:
            metadata = replace(candidate.metadata, title=title) if title else candidate.metadata
            mode = (intake or IntakeSettings()).attachments
            document, *attached = documents_to_file(candidate, metadata, attachments=mode)
            results.append(_queue(path, None, document, filing, guard, prompts, case, again))
            if results[-1].error is None:  # attachments go beside a mail that is queued or already filed
                results.extend(_queue(path, a.filename, a, filing, guard, prompts, case, again) for a in attached)
        finally:
            release(candidate)  # the outbox holds its own copies now
    queued = [r for r in results if r.item_id is not None]
    if not wait or not queued:
        return results
    worker = OutboxWorker(filing.outbox, service, prompts, guard=guard)
    try:
        worker.start()
    except QueueBusy:
        for r in queued:
            r.note = f"{r.shown} is queued (item {r.item_id}); the running caseclient files it."
        return results
    if undo_window > 0:
        print(f"caseclient: filing in {undo_window:g} s; press Ctrl+C to undo.", file=sys.stderr, flush=True)
    try:
        worker.wait_until(lambda: all(_settled(filing.outbox.get(r.item_id), tries, filing.outbox) for r in queued))
    except KeyboardInterrupt:
        _undo_waiting(filing.outbox, queued)
    finally:
        worker.stop()
    for r in queued:
        _report(r, filing.outbox.get(r.item_id))
    return results


def _queue(path: Path, attachment: str | None, document: ToFile, filing: Filing, guard: DuplicateGuard,
           prompts: CommandLinePrompts, case, again: bool) -> QueuedFiling:
    try:
        metadata = replace(document.metadata, route=FilingRoute.COMMAND_LINE)  # for the journal
        item = file_to_case(filing.outbox, guard, prompts, case, document.path, metadata,
                            filename=document.filename, mime_type=document.mime_type, insist=again)
        return QueuedFiling(path, attachment, item_id=item.id)
    except AlreadyFiled as refused:
        return _already_filed(path, attachment, case.id, refused)
    except InputError as exc:
        return QueuedFiling(path, attachment, error=exc.message)
    except CaseclientError as exc:
        result = QueuedFiling(path, attachment)
        result.error = f"{result.shown} was not queued: {exc.message}"
        return result


def _already_filed(path: Path, attachment: str | None, case_id: str, refused: AlreadyFiled) -> QueuedFiling:
    prior = refused.prior
    if prior.document_id is None:
        return QueuedFiling(path, attachment, error=refused.message)
    ref = DocumentRef(id=prior.document_id, case_id=case_id, title=prior.title, already_existed=True)
    return QueuedFiling(path, attachment, ref=ref, note=f"{refused.message} Use --again to file it anyway.")


def _undo_waiting(outbox: Outbox, queued: list[QueuedFiling]) -> None:
    """Ctrl+C inside the undo window: take back what has not started; the rest is filed."""
    from ..store.undo import TooLate, undo

    for r in queued:
        try:
            undo(outbox, r.item_id)
        except TooLate:
            continue


def _settled(item: OutboxItem, tries: int, outbox: Outbox) -> bool:
    if item.status.finished or item.status is OutboxStatus.PAUSED or outbox.queue_state().paused:
        return True
    return item.status is OutboxStatus.QUEUED and item.attempts >= tries


def _report(result: QueuedFiling, item: OutboxItem) -> None:
    if item.status is OutboxStatus.DONE:
        result.ref = DocumentRef(id=item.document_id or "", case_id=item.case_id, title=item.title)
    elif item.status is OutboxStatus.CANCELLED and item.last_error_code == "duplicate":
        result.note = item.last_error
    elif item.status is OutboxStatus.CANCELLED and item.last_error_code == "undone":
        result.note = f"{result.shown}: {item.last_error}"
    elif item.status is OutboxStatus.FAILED:
        result.error = f"{result.shown} was not filed: {item.last_error}"
    else:
        reason = f": {item.last_error}" if item.last_error else ""
        result.error = (f"{result.shown} is not filed yet{reason} It stays in the outbox as item {item.id} "
                        "and is filed when caseclient next runs (see `caseclient outbox`).")
