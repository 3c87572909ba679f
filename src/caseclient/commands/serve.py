"""`caseclient serve`: run the reference document service, in the OIO REST dialect or as a
simulator of a vendor's API (`--dialect sbsys`, `--dialect getorganized`, ...)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import paths
from ..domain import InputError
from ..redaction import remember_secret


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
    serve.add_argument("--token-file", type=Path, default=None, metavar="FILE",
                       help="demand the token in FILE (Authorization: Bearer <token>) from every request; "
                            "a missing FILE is created with a new token. Needed to listen beyond this machine "
                            f"(or set {TOKEN_VARIABLE})")
    serve.add_argument("--no-auth", action="store_true",
                       help="listen beyond this machine without a token (anyone who reaches it can read "
                            "and change every case)")
    serve.add_argument("--max-upload-mib", type=int, default=None, metavar="MIB",
                       help="the largest upload taken, in MiB (default 4096); JSON bodies take at most 16 MiB")


TOKEN_VARIABLE = "CASECLIENT_SERVE_TOKEN"


def _token(args: argparse.Namespace) -> str | None:
    """The token the service demands: from --token-file (made when missing) or the environment."""
    from ..server.access import MIN_TOKEN_LENGTH, new_token

    if args.token_file is None:
        token = os.environ.get(TOKEN_VARIABLE, "").strip() or None
    else:
        file = args.token_file
        try:
            if not file.exists():
                file.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    out.write(new_token() + "\n")
                print(f"A new token for the service is in {file}.", file=sys.stderr, flush=True)
            token = file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"The token file {file} could not be read or made ({exc.strerror or exc}).") from None
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise InputError(f"The service's token must be at least {MIN_TOKEN_LENGTH} characters long.")
    if token:
        remember_secret(token)
    return token


def _few_malloc_arenas() -> None:
    """glibc gives every thread that allocates its own malloc arena, and the service runs a
    thread per connection: a flood of large (refused) bodies would leave the freed memory spread
    over dozens of arenas, held for good. Two arenas keep the service's memory bounded
    (bench/serve_hostile.py, 20 s: a peak of +490 MiB becomes +121 MiB). Elsewhere: nothing to do."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass  # not glibc (musl has no arenas to limit)


def run(args: argparse.Namespace) -> int:
    from ..server import FaultConfig, ReferenceService
    from ..server.access import is_loopback
    from ..server.limits import MIB, BodyLimits

    token = _token(args)
    if token is None and not is_loopback(args.host):
        if not args.no_auth:
            raise InputError(f"caseclient serve will not listen on {args.host} without a token: anyone "
                             f"who reaches it could read and change every case. Give --token-file FILE "
                             f"(or set {TOKEN_VARIABLE}), or --no-auth if you mean it.")
        print(f"WARNING: the service listens on {args.host} WITHOUT A TOKEN: anyone who reaches this "
              "machine can read and change every case and document in it.", file=sys.stderr, flush=True)
    if args.max_upload_mib is not None and args.max_upload_mib <= 0:
        raise InputError("--max-upload-mib must be a positive number of MiB.")
    limits = BodyLimits(upload_bytes=args.max_upload_mib * MIB) if args.max_upload_mib else None
    try:
        faults = FaultConfig.parse(args.faults) if args.faults else None
    except ValueError as exc:
        raise InputError(f"--faults: {exc}.") from None
    data = args.data or paths.reference_service_dir()
    _few_malloc_arenas()
    service = ReferenceService(data, host=args.host, port=args.port, faults=faults, dialect=args.dialect,
                               token=token, limits=limits)
    if args.demo_cases:
        service.seed_demo(args.demo_cases)
    url = service.start()
    print(url, flush=True)
    if token is not None:
        where = args.token_file or f"${TOKEN_VARIABLE}"
        print(f"Every request needs 'Authorization: Bearer <the token in {where}>'.", file=sys.stderr, flush=True)
    try:
        service.wait()
    except KeyboardInterrupt:
        pass
    finally:
        service.stop()
    return 0
