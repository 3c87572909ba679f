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
from ..filing import DuplicateGuard, FilingEvents, OutboxWorker, PriorFiling, QueueBusy
from ..store import Filing, OutboxItem, OutboxStatus, PauseReason, QueueState, ServiceAddress, address_of

MAX_PARALLEL = 32
MAX_ITEM = 2**63 - 1  # SQLite's largest row id


def parallel_uploads(text: str) -> int:
    """--parallel: a whole number from 1 to MAX_PARALLEL (argparse turns the ValueError into usage)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= n <= MAX_PARALLEL:
        raise argparse.ArgumentTypeError(f"{n} uploads at a time: give 1 to {MAX_PARALLEL}")
    return n


def add_parser(sub: argparse._SubParsersAction) -> None:
    outbox = sub.add_parser("outbox", help="list the documents waiting to be filed, or steer the queue")
    outbox.add_argument("action", nargs="?", default="list",
                        choices=["list", "run", "retry", "cancel", "pause", "resume", "move"],
                        help="list (default), run (file everything waiting for the service), retry/cancel ITEM|all, "
                             "pause, resume, move --from URL --to URL (items waiting for a service that moved)")
    outbox.add_argument("which", nargs="?", default=None, metavar="ITEM", help="an item number, or all")
    outbox.add_argument("--json", action="store_true", help="print JSON")
    outbox.add_argument("--parallel", type=parallel_uploads, default=2, metavar="N",
                        help=f"uploads at a time for run (1 to {MAX_PARALLEL})")
    outbox.add_argument("--progress", action="store_true", help="print one line per event while running")
    outbox.add_argument("--from", dest="move_from", metavar="URL", help="move: the address the items wait for")
    outbox.add_argument("--to", dest="move_to", metavar="URL", help="move: the service's new address")
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
        if args.action == "move":
            return move_items(filing, args.move_from, args.move_to)
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
            except (ValueError, LookupError) as exc:
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
            "service": None if i.service is None else {"kind": i.service.kind, "url": i.service.url},
        }
        for i in filing.outbox.items()
    ]


def move_items(filing: Filing, source: str | None, target: str | None) -> int:
    """`outbox move --from URL --to URL`: the items waiting for a service that moved follow it."""
    if not source or not target:
        print("caseclient: outbox move needs --from URL (where the items wait) and --to URL (the new address)",
              file=sys.stderr)
        return 2
    try:
        moved = filing.outbox.move(source, target)
    except ValueError as exc:
        print(f"caseclient: {exc}", file=sys.stderr)
        return 1
    if not moved:
        print(f"caseclient: no item waits for {ServiceAddress('', source).url}; `caseclient outbox` shows where "
              f"each one waits", file=sys.stderr)
        return 1
    print(f"moved {_ids(moved)} to {ServiceAddress('', target).url}")
    return 0


def _ids(ids: list[int]) -> str:
    return ("item " if len(ids) == 1 else "items ") + ", ".join(map(str, ids))


def _wait(ids: list[int]) -> str:
    return "waits" if len(ids) == 1 else "wait"


def waiting_elsewhere_sentence(filing: Filing, service: ServiceAddress) -> str | None:
    """Which items wait for which other service, and how to move them (None: none do)."""
    elsewhere = filing.outbox.waiting_elsewhere(service)
    if not elsewhere:
        return None
    parts = [f"{_ids(ids)} {_wait(ids)} for {other}" for other, ids in elsewhere.items()]
    first = next(iter(elsewhere))
    hint = (f"; if that service moved, `caseclient outbox move --from {first.url} --to {service.url}` gives them "
            f"to this one" if not first.embedded and not service.embedded else "")
    return f"Not filed on {service}: {'; '.join(parts)}{hint}."


def print_outbox(filing: Filing, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    state = filing.outbox.queue_state()
    if state.paused:
        why = "the service refused the credentials" if state.reason is PauseReason.AUTH else "by the user"
        print(f"The outbox is paused ({why}); `caseclient outbox resume` continues.", file=out)
    waiting: dict[str, list[int]] = {}
    for item in filing.outbox.items():
        error = f"\t{item.last_error}" if item.last_error and item.status is not OutboxStatus.DONE else ""
        print(f"{item.id}\t{item.status.value}\t{item.attempts}\t{item.case_number}\t{item.title}{error}", file=out)
        if not item.status.finished and item.service is not None:
            waiting.setdefault(str(item.service), []).append(item.id)
    for service, ids in waiting.items():
        print(f"{_ids(ids).capitalize()} {_wait(ids)} for {service}.", file=out)


def select_items(filing: Filing, which: str) -> list[int]:
    """`all`, or one item id; ValueError with a sentence otherwise."""
    if which == "all":
        return [i.id for i in filing.outbox.items()]
    try:
        item_id = int(which)
    except ValueError:
        raise ValueError(f"{which!r} is not an outbox item number (see `caseclient outbox`)") from None
    if not 1 <= item_id <= MAX_ITEM:
        raise ValueError(f"there is no outbox item {which} (see `caseclient outbox`)")
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
    """File everything waiting for `service`; return when nothing for it is queued or uploading (or the
    queue pauses, or the data folder cannot be written). Items waiting for another service stay, and
    a sentence on standard error says which wait for which service."""
    address = address_of(service)
    guard = DuplicateGuard(filing.ledger, filing.outbox, service)
    worker = OutboxWorker(filing.outbox, service, CommandLinePrompts(False), guard=guard,
                          parallelism=parallelism, events=events, service=address)
    try:
        worker.start()
    except QueueBusy:
        print(f"caseclient: another caseclient is already filing the documents in this outbox "
              f"({filing.db.path.parent}); it files these too", file=sys.stderr)
        return 1
    try:
        def idle() -> bool:
            return filing.outbox.waiting_count(address) == 0 or filing.outbox.queue_state().paused

        worker.wait_until(idle)  # raises DataFolderUnavailable (one sentence) when the data folder fails
    finally:
        worker.stop()
    elsewhere = waiting_elsewhere_sentence(filing, address)
    if elsewhere:
        print(f"caseclient: {elsewhere}", file=sys.stderr)
    counts = filing.outbox.counts()
    return 0 if counts[OutboxStatus.QUEUED] == counts[OutboxStatus.FAILED] == 0 else 1
