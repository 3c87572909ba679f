"""`caseclient coversheet`: write a scanning cover sheet (PDF with a QR code) for a case."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..connection import add_service_options, open_command_line_service
from ..watch.folders import FolderDefaults


def add_parser(sub: argparse._SubParsersAction) -> None:
    cover = sub.add_parser("coversheet", help="write a scanning cover sheet (PDF with a QR code) for a case")
    cover.add_argument("--case", required=True, metavar="NUMBER", help="the case number")
    cover.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="the PDF to write")
    cover.add_argument("--document-type", default=None, help="the document type scans get, e.g. Brev")
    add_service_options(cover)


def run(args: argparse.Namespace) -> int:
    from ..watch.cover_sheet import write_cover_sheet

    with open_command_line_service(args.service, args.set) as backend:
        case = backend.find_case_by_number(args.case)
    write_cover_sheet(case, args.output, FolderDefaults(document_type=args.document_type))
    print(args.output)
    return 0
