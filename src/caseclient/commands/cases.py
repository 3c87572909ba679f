"""`caseclient cases`: search cases."""

from __future__ import annotations

import argparse
import json
import sys

from ..connection import add_service_options, open_command_line_service
from ..domain import Case


def add_parser(sub: argparse._SubParsersAction) -> None:
    cases = sub.add_parser("cases", help="search cases")
    cases.add_argument("query", nargs="?", default="", help="case number prefix or words of the title")
    cases.add_argument("--limit", type=int, default=50)
    cases.add_argument("--json", action="store_true", help="print JSON")
    add_service_options(cases)


def _case_json(case: Case) -> dict:
    return {
        "id": case.id,
        "number": case.number,
        "title": case.title,
        "status": case.status,
        "kle": case.kle,
        "caseworker": case.caseworker,
        "closed": case.closed,
    }


def run(args: argparse.Namespace) -> int:
    from ..backends.protocol import CaseQuery

    with open_command_line_service(args.service, args.set) as service:
        found = service.search_cases(CaseQuery(text=args.query or None, limit=args.limit))
    if args.json:
        print(json.dumps([_case_json(c) for c in found], ensure_ascii=False, indent=2))
    else:
        for c in found:
            print(f"{c.number}\t{c.title}\t{c.status or ''}")
        if not found:
            print("No cases found.", file=sys.stderr)
    return 0
