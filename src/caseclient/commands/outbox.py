"""`caseclient outbox`: see the documents waiting to be filed, and steer the queue. The command
line's answers to the outbox worker's questions are here too (`caseclient file` uses them)."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import TextIO

from ..backends.protocol import DocumentService
from ..connection import add_service_options, open_command_line_service
from ..filing import DuplicateGuard, FilingEvents, OutboxWorker, PriorFiling
from ..store import Filing, OutboxItem, OutboxStatus, PauseReason, QueueState


def add_parser(sub: argparse._SubParsersAction) -> None:
    outbox = sub.add_parser("outbox", help="list the documents waiting to be filed, or steer the queue")
    outbox.add_argument("action", nargs="?", default="list",
                        choices=["list", "run", "retry", "cancel", "pause", "resume"],
                        help="list (default), run (file everything waiting), retry/cancel ITEM|all, pause, resume")
    outbox.add_argument("which", nargs="?", default=None, metavar="ITEM", help="an item number, or all")
    outbox.add_argument("--json", action="store_true", help="print JSON")
    outbox.add_argument("--parallel", type=int, default=2, metavar="N", help="uploads at a time for run")
    outbox.add_argument("--progress", action="store_true", help="print one line per event while running")
    add_service_options(outbox)


def run(args: argparse.Namespace) -> int:
    from ..store import open_filing

    with open_filing() as filing:
        if args.action == "list":
            if args.json:
                print(json.dumps(outbox_rows(filing), ensure_ascii=False, indent=2))
            else:
                print_outbox(filing)
            return 0
        if args.action == "pause":
            filing.outbox.pause()
            return 0
        if args.action == "resume":
            filing.outbox.resume()
            return 0
        if args.action == "run":
            with open_command_line_service(args.service, args.set) as service:
                events = PrintedProgress(sys.stdout) if args.progress else None
                return run_outbox(service, filing, parallelism=args.parallel, events=events)
        if args.which is None:
            print(f"caseclient: outbox {args.action} needs an item number or all", file=sys.stderr)
            return 2
        try:
            items = select_items(filing, args.which)
        except (ValueError, LookupError) as exc:
            print(f"caseclient: {exc}", file=sys.stderr)
            return 2
        command = filing.outbox.retry if args.action == "retry" else filing.outbox.cancel
        failed = 0
        for item_id in items:
            try:
                command(item_id)
            except ValueError as exc:
                if args.which != "all":
                    print(f"caseclient: {exc}", file=sys.stderr)
                    failed += 1
        return 1 if failed else 0


class CommandLinePrompts:
    """No questions on the command line: `--again` answers the duplicate question in advance."""

    def __init__(self, again: bool) -> None:
        self.again = again

    def confirm_duplicate(self, title: str, prior: PriorFiling) -> bool:
        return self.again

    def ask_credentials(self, service_name: str, message: str) -> bool:
        return False


def outbox_rows(filing: Filing) -> list[dict]:
    return [
        {
            "id": i.id, "status": i.status.value, "attempts": i.attempts, "case": i.case_number,
            "title": i.title, "file": i.filename, "size": i.size, "document_id": i.document_id,
            "error_code": i.last_error_code, "error": i.last_error,
        }
        for i in filing.outbox.items()
    ]


def print_outbox(filing: Filing, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    state = filing.outbox.queue_state()
    if state.paused:
        why = "the service refused the credentials" if state.reason is PauseReason.AUTH else "by the user"
        print(f"The outbox is paused ({why}); `caseclient outbox resume` continues.", file=out)
    for row in outbox_rows(filing):
        error = f"\t{row['error']}" if row["error"] and row["status"] != "done" else ""
        print(f"{row['id']}\t{row['status']}\t{row['attempts']}\t{row['case']}\t{row['title']}{error}", file=out)


def select_items(filing: Filing, which: str) -> list[int]:
    """`all`, or one item id; ValueError with a sentence otherwise."""
    if which == "all":
        return [i.id for i in filing.outbox.items()]
    try:
        item_id = int(which)
    except ValueError:
        raise ValueError(f"{which!r} is not an outbox item number (see `caseclient outbox`)") from None
    filing.outbox.get(item_id)
    return [item_id]


class PrintedProgress(FilingEvents):
    """One line per event on `out`, for scripts and tests: `<status> <item>`, `sent <item> <n>/<total>`."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self._lock = threading.Lock()  # whole lines from many worker threads

    def item_changed(self, item: OutboxItem) -> None:
        self._line(f"{item.status.value} {item.id}")

    def bytes_sent(self, item_id: int, sent: int, total: int) -> None:
        self._line(f"sent {item_id} {sent}/{total}")

    def queue_changed(self, state: QueueState) -> None:
        self._line("paused" if state.paused else "resumed")

    def _line(self, text: str) -> None:
        with self._lock:
            self.out.write(text + "\n")
            self.out.flush()


def run_outbox(
    service: DocumentService, filing: Filing, *, parallelism: int, events: FilingEvents | None = None
) -> int:
    """File everything waiting; return when nothing is queued or uploading (or the queue pauses)."""
    guard = DuplicateGuard(filing.ledger, filing.outbox, service)
    worker = OutboxWorker(filing.outbox, service, CommandLinePrompts(False), guard=guard,
                          parallelism=parallelism, events=events)
    worker.start()
    try:
        def idle() -> bool:
            counts = filing.outbox.counts()
            waiting = counts[OutboxStatus.QUEUED] + counts[OutboxStatus.UPLOADING]
            return waiting == 0 or filing.outbox.queue_state().paused

        worker.wait_until(idle)
    finally:
        worker.stop()
    counts = filing.outbox.counts()
    return 0 if counts[OutboxStatus.QUEUED] == counts[OutboxStatus.FAILED] == 0 else 1
