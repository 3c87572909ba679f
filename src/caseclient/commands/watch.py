"""`caseclient watch`: file the scans that land in the scan folders, without the GUI."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from pathlib import Path

from .. import paths
from ..connection import add_service_options
from ..domain import InputError
from ..intake.documents import AttachmentFiling
from ..watch.folders import ScanFolder, default_folders_file, load_scan_folders
from ..watch.watcher import WatchOptions


def add_parser(sub: argparse._SubParsersAction) -> None:
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
    watch.add_argument("--attachments", choices=[m.value for m in AttachmentFiling], default=None,
                       help="a mail's attachments: filed separately beside the mail, or only inside it "
                            "(default: the setting intake.attachments)")
    add_service_options(watch)


def run(args: argparse.Namespace) -> int:
    from ..watch.headless import watch_from_command_line

    folders = _folders(args)
    overrides = {"host_id": args.host_id, "stability_delay": args.stability_delay, "rescan_interval": args.rescan}
    options = dataclasses.replace(WatchOptions(), **{k: v for k, v in overrides.items() if v is not None})
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
    attachments = AttachmentFiling(args.attachments) if args.attachments else None
    return watch_from_command_line(folders, args.service, paths.data_dir(), options, settings=args.set,
                                   attachments=attachments)


def _folders(args: argparse.Namespace) -> list[ScanFolder]:
    extra = [ScanFolder(p.expanduser().resolve()) for p in args.folder]
    file = args.folders or default_folders_file()
    if args.folders is None and not file.is_file():
        if extra:
            return extra
        raise InputError(f"No scan folders are configured: write {file} or name folders with --folder.")
    return load_scan_folders(file) + extra
