"""`caseclient undo [ITEM]`: take back a document still inside its undo window (nothing is sent).

Without ITEM: the one queued last. A document whose filing has begun cannot be undone here.
"""

from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    undo = sub.add_parser("undo", help="take back a document still inside its undo window")
    undo.add_argument("item", nargs="?", type=int, metavar="ITEM", help="the outbox item (default: the newest)")


def run(args: argparse.Namespace) -> int:
    from ..store import open_filing
    from ..store.undo import TooLate, UnknownItem, undo, undoable

    with open_filing() as filing:
        item_id = args.item
        if item_id is None:
            waiting = undoable(filing.outbox)
            if not waiting:
                print("caseclient: nothing is waiting in its undo window.", file=sys.stderr)
                return 1
            item_id = max(waiting, key=lambda i: (i.created_at, i.id)).id
        try:
            item = undo(filing.outbox, item_id)
        except (TooLate, UnknownItem) as exc:
            print(f"caseclient: {exc}", file=sys.stderr)
            return 1
    print(f"undone {item.id}\t{item.filename}\t{item.case_number}")
    return 0
