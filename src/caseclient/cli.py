"""The `caseclient` command line: scriptable, stable, one clear sentence per error.

Exit codes: 0 success, 1 a command failed (for `file`: at least one document was not filed),
2 bad usage.

The commands live in :mod:`caseclient.commands`, one module per command, each with
`add_parser(sub)` and `run(args) -> int`; :data:`COMMANDS` lists them in the order of the help.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from . import __version__
from .commands import cases, coversheet, doctor, file, inspect, journal, outbox, serve, signin, undo, watch
from .domain import CaseclientError

COMMANDS = {"serve": serve, "cases": cases, "file": file, "inspect": inspect, "outbox": outbox, "doctor": doctor,
            "signin": signin, "watch": watch, "coversheet": coversheet, "undo": undo, "journal": journal}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="caseclient",
        description="File emails, letters and scans on their case in Danish document services.",
    )
    parser.add_argument("--version", action="version", version=f"caseclient {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS.values():
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.raiseExceptions = False  # a log file on a full disk is skipped, not printed as a traceback
    if not logging.getLogger().handlers:  # until a command sets up its log file: nothing on the screen
        logging.getLogger().addHandler(logging.NullHandler())
    try:
        if not args.command:
            from .app import run_gui

            return run_gui()
        return COMMANDS[args.command].run(args)
    except CaseclientError as exc:
        print(f"caseclient: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`caseclient cases | head`): stop quietly, as Unix tools do.
        # Standard output is pointed at devnull so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # no traceback reaches a user: one sentence here, the details in the log
        from .commands.faults import unexpected

        return unexpected(exc, args.command)
    finally:
        from .store import take_notices

        for sentence in take_notices():
            print(f"caseclient: {sentence}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
