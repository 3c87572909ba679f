"""The command line's last word on a fault no command caught: one sentence, never a traceback.

A full disk, a read-only data folder or a damaged database is named as such (with the data
folder); anything else is "an unexpected error" of a named kind, with the details in the log file
(when the command set one up) or shown with CASECLIENT_DEBUG=1.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys

from .. import paths
from ..store.errors import data_folder_error

log = logging.getLogger("caseclient.cli")


def unexpected(error: Exception, command: str | None) -> int:
    """Print one sentence for `error` on standard error; return the exit code (1)."""
    if os.environ.get("CASECLIENT_DEBUG"):
        raise error
    try:
        data_dir = paths.data_dir()
    except Exception:  # noqa: BLE001 - the sentence below still names the fault
        data_dir = None
    known = data_folder_error(error, data_dir) if data_dir is not None else None
    if known is None and isinstance(error, sqlite3.DatabaseError) and data_dir is not None:
        known = data_folder_error(sqlite3.DatabaseError("database disk image is malformed"), data_dir,
                                  data_dir / "caseclient.sqlite3")
    if known is not None:
        print(f"caseclient: {getattr(known, 'message', known)}", file=sys.stderr)
        return 1
    what = f"`caseclient {command}`" if command else "caseclient"
    # Only into a log file: a console handler (or none: logging's last resort) would show the traceback.
    logged = all(isinstance(h, logging.FileHandler) for h in logging.getLogger().handlers) and \
        bool(logging.getLogger().handlers)
    if logged:
        log.error("%s stopped on an unexpected %s", what, type(error).__name__, exc_info=error)
    where = "the details are in caseclient's log" if logged else "CASECLIENT_DEBUG=1 shows the details"
    print(f"caseclient: {what} stopped on an unexpected error ({type(error).__name__}); {where}.", file=sys.stderr)
    return 1
