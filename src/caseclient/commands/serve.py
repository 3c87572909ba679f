"""`caseclient serve`: run the reference document service, in the OIO REST dialect or as a
simulator of a vendor's API (`--dialect sbsys`, `--dialect getorganized`, ...)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import paths


def add_parser(sub: argparse._SubParsersAction) -> None:
    from ..connection import BACKENDS

    dialects = list(dict.fromkeys(kind.dialect for kind in BACKENDS.values()))
    serve = sub.add_parser("serve", help="run the reference document service (OIO REST, or a vendor's API)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=0, help="port (default: a free port)")
    serve.add_argument("--data", type=Path, default=None, help="data folder (default: the user's data folder)")
    serve.add_argument("--demo-cases", type=int, default=0, metavar="N", help="make sure N demo cases exist")
    serve.add_argument("--dialect", default="oio", choices=dialects,
                       help="the wire dialect to speak: oio (LoRa's OIO REST, the default) or a vendor's API")
    serve.add_argument("--faults", default=None, metavar="SPEC",
                       help="test only: inject faults, e.g. error=0.3,drop=0.1,latency=0.1:2.0,busy=0.1:30,seed=7")


def run(args: argparse.Namespace) -> int:
    from ..server import FaultConfig, ReferenceService

    faults = FaultConfig.parse(args.faults) if args.faults else None
    data = args.data or paths.reference_service_dir()
    service = ReferenceService(data, host=args.host, port=args.port, faults=faults, dialect=args.dialect)
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
