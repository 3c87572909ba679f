"""`caseclient inspect`: show what caseclient would propose for files, one JSON line each."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..connection import command_line_settings, intake_settings_from


def add_parser(sub: argparse._SubParsersAction) -> None:
    inspect = sub.add_parser("inspect", help="show what caseclient would propose for files, one JSON line each")
    inspect.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    inspect.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                         help="override a setting for this run, e.g. intake.own_addresses=me@example.dk")


def run(args: argparse.Namespace) -> int:
    from ..intake.inspect import inspect_paths

    return inspect_paths(args.paths, sys.stdout, settings=intake_settings_from(command_line_settings(None, args.set)))
