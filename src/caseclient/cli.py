"""The `caseclient` command line: scriptable, stable, one clear sentence per error.

Exit codes: 0 success, 1 a command failed (for `file`: at least one document was not filed),
2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, paths
from .connection import (
    add_service_options,
    command_line_settings,
    intake_settings_from,
    open_command_line_service,
    open_configured_service,
)
from .domain import Case, CaseclientError
from .signin_command import add_signin_command, signin_command
from .watch.commands import WATCH_COMMANDS, add_watch_commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="caseclient",
        description="File emails, letters and scans on their case in Danish document services.",
    )
    parser.add_argument("--version", action="version", version=f"caseclient {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the reference OIO REST document service")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=0, help="port (default: a free port)")
    serve.add_argument("--data", type=Path, default=None, help="data folder (default: the user's data folder)")
    serve.add_argument("--demo-cases", type=int, default=0, metavar="N", help="make sure N demo cases exist")
    serve.add_argument("--faults", default=None, metavar="SPEC",
                       help="test only: inject faults, e.g. error=0.3,drop=0.1,latency=0.1:2.0,busy=0.1:30,seed=7")

    cases = sub.add_parser("cases", help="search cases")
    cases.add_argument("query", nargs="?", default="", help="case number prefix or words of the title")
    cases.add_argument("--limit", type=int, default=50)
    cases.add_argument("--json", action="store_true", help="print JSON")
    add_service_options(cases)

    file = sub.add_parser("file", help="file documents on a case and print their ids")
    file.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    file.add_argument("--case", required=True, metavar="NUMBER", help="the case number")
    file.add_argument("--title", help="the document title (default: proposed from the file)")
    file.add_argument("--json", action="store_true", help="print JSON")
    file.add_argument("--again", action="store_true", help="file it even if it was filed on the case before")
    file.add_argument("--no-wait", action="store_true", help="only queue the documents; the outbox files them")
    add_service_options(file)
    inspect = sub.add_parser("inspect", help="show what caseclient would propose for files, one JSON line each")
    inspect.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    inspect.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                         help="override a setting for this run, e.g. intake.own_addresses=me@example.dk")

    _add_outbox_parser(sub)
    _add_doctor_parser(sub)
    add_signin_command(sub)
    add_watch_commands(sub)
    return parser


def _add_outbox_parser(sub: argparse._SubParsersAction) -> None:
    outbox = sub.add_parser("outbox", help="list the documents waiting to be filed, or steer the queue")
    outbox.add_argument("action", nargs="?", default="list",
                        choices=["list", "run", "retry", "cancel", "pause", "resume"],
                        help="list (default), run (file everything waiting), retry/cancel ITEM|all, pause, resume")
    outbox.add_argument("which", nargs="?", default=None, metavar="ITEM", help="an item number, or all")
    outbox.add_argument("--json", action="store_true", help="print JSON")
    outbox.add_argument("--parallel", type=int, default=2, metavar="N", help="uploads at a time for run")
    outbox.add_argument("--progress", action="store_true", help="print one line per event while running")
    add_service_options(outbox)


def _add_doctor_parser(sub: argparse._SubParsersAction) -> None:
    doctor = sub.add_parser("doctor", help="check settings, keyring, network and sign-in; print a report for support")
    doctor.add_argument("--json", action="store_true", help="print JSON")
    add_service_options(doctor)


def _doctor(args: argparse.Namespace) -> int:
    from .connection import (
        backend_for,
        load_command_line_settings,
        open_embedded_service,
    )
    from .doctor import run_doctor

    settings = load_command_line_settings(args.service, args.set)
    if settings.text("service.url"):
        report = run_doctor(settings, connect=lambda session: backend_for(settings, session))
    else:
        with open_embedded_service() as embedded:
            report = run_doctor(settings, connect=lambda _session: embedded)
    print(json.dumps(report.as_json(), ensure_ascii=False, indent=2) if args.json else report.as_text(), end="")
    return 0 if report.ok else 1


def _serve(args: argparse.Namespace) -> int:
    from .server import FaultConfig, ReferenceService

    faults = FaultConfig.parse(args.faults) if args.faults else None
    data = args.data or paths.reference_service_dir()
    service = ReferenceService(data, host=args.host, port=args.port, faults=faults)
    if args.demo_cases:
        service.seed_demo(args.demo_cases)
    url = service.start()
    print(url, flush=True)
    try:
        service.wait()
    except KeyboardInterrupt:
        pass
    finally:
        service.stop()
    return 0


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


def _cases(args: argparse.Namespace) -> int:
    from .backends.protocol import CaseQuery

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


def _file(args: argparse.Namespace) -> int:
    from .outbox_command import file_through_outbox
    from .store import open_filing

    settings = command_line_settings(args.service, args.set)
    with open_configured_service(settings) as service, open_filing() as filing:
        results = file_through_outbox(service, filing, args.paths, case_number=args.case, title=args.title,
                                      intake=intake_settings_from(settings),
                                      again=args.again, wait=not args.no_wait)
    failed = [r for r in results if r.error]
    if args.json:
        print(json.dumps([r.as_json() for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            if r.ref:
                print(r.ref.id)
            elif r.item_id is not None:
                print(f"queued {r.item_id}")
    for r in results:
        if r.note:
            print(f"caseclient: {r.note}", file=sys.stderr)
    for r in failed:
        print(f"caseclient: {r.error}", file=sys.stderr)
    return 1 if failed else 0


def _outbox(args: argparse.Namespace) -> int:
    from .outbox_command import (
        PrintedProgress,
        outbox_rows,
        print_outbox,
        run_outbox,
        select_items,
    )
    from .store import open_filing

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


def _inspect(args: argparse.Namespace) -> int:
    from .intake.inspect import inspect_paths

    return inspect_paths(args.paths, sys.stdout, settings=intake_settings_from(command_line_settings(None, args.set)))


COMMANDS = {"serve": _serve, "cases": _cases, "file": _file, "outbox": _outbox, "inspect": _inspect, "doctor": _doctor,
            "signin": signin_command}
COMMANDS.update(WATCH_COMMANDS)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if not args.command:
            from .app import run_gui

            return run_gui()
        return COMMANDS[args.command](args)
    except CaseclientError as exc:
        print(f"caseclient: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
