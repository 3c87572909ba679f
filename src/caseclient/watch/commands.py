"""The `caseclient watch` and `caseclient coversheet` commands (the CLI adds them with
:func:`add_watch_commands`)."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from pathlib import Path

from .. import paths
from ..connection import add_service_options, open_command_line_service
from ..domain import InputError
from .folders import FolderDefaults, ScanFolder, default_folders_file, load_scan_folders
from .watcher import WatchOptions


def add_watch_commands(sub: argparse._SubParsersAction) -> None:
    watch = sub.add_parser("watch", help="file the scans that land in the scan folders (no GUI)")
    watch.add_argument("--folders", type=Path, default=None, metavar="FILE",
                       help="the scan folders' settings (default: watch.toml in the machine policy "
                            "folder, else in the user's config folder)")
    watch.add_argument("--folder", type=Path, action="append", default=[], metavar="PATH",
                       help="watch this folder too, with the default rules (repeatable)")
    watch.add_argument("--host-id", default=None, help="this instance's name in the shared folders "
                                                       "(default: the computer's name)")
    watch.add_argument("--stability-delay", type=float, default=None, metavar="SECONDS",
                       help="seconds a file must stay unchanged before it is taken (default 2)")
    watch.add_argument("--rescan", type=float, default=None, metavar="SECONDS",
                       help="seconds between full rescans, the safety net for missed events (default 60)")
    add_service_options(watch)

    cover = sub.add_parser("coversheet", help="write a scanning cover sheet (PDF with a QR code) for a case")
    cover.add_argument("--case", required=True, metavar="NUMBER", help="the case number")
    cover.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="the PDF to write")
    cover.add_argument("--document-type", default=None, help="the document type scans get, e.g. Brev")
    add_service_options(cover)


def watch_command(args: argparse.Namespace) -> int:
    from .headless import watch_from_command_line

    folders = _folders(args)
    overrides = {"host_id": args.host_id, "stability_delay": args.stability_delay, "rescan_interval": args.rescan}
    options = dataclasses.replace(WatchOptions(), **{k: v for k, v in overrides.items() if v is not None})
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
    return watch_from_command_line(folders, args.service, paths.data_dir(), options, settings=args.set)


def coversheet_command(args: argparse.Namespace) -> int:
    from .cover_sheet import write_cover_sheet

    with open_command_line_service(args.service, args.set) as backend:
        case = backend.find_case_by_number(args.case)
    write_cover_sheet(case, args.output, FolderDefaults(document_type=args.document_type))
    print(args.output)
    return 0


def _folders(args: argparse.Namespace) -> list[ScanFolder]:
    extra = [ScanFolder(p.expanduser().resolve()) for p in args.folder]
    file = args.folders or default_folders_file()
    if args.folders is None and not file.is_file():
        if extra:
            return extra
        raise InputError(f"No scan folders are configured: write {file} or name folders with --folder.")
    return load_scan_folders(file) + extra


WATCH_COMMANDS = {"watch": watch_command, "coversheet": coversheet_command}
