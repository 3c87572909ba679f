"""Log files: rotating, in the user's log folder, at the level the settings (or policy) choose,
with every handler behind the redaction filter so no CPR number, password or token is written."""

from __future__ import annotations

import logging
import os
import logging.handlers
from pathlib import Path

from . import paths
from .config import Settings
from .redaction import redact

LOG_FILE = "caseclient.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


class RedactingFilter(logging.Filter):
    """Rewrites a record's message, exception text and stack in place, masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not break logging, nor leak its arguments
            message = f"{record.msg} (unformattable arguments)"
        record.msg, record.args = redact(str(message)), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def add_redaction(handler: logging.Handler) -> logging.Handler:
    """Put the redaction filter on a handler (once). Every handler that writes anywhere needs it."""
    if not any(isinstance(f, RedactingFilter) for f in handler.filters):
        handler.addFilter(RedactingFilter())
    return handler


class _CaseclientFileHandler(logging.handlers.RotatingFileHandler):
    """Marks the handler configure_logging owns, so calling it again replaces it. Its files are
    the user's only (a log may name cases and files), whoever made the log folder."""

    def _open(self):  # type: ignore[override]
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if os.name != "nt" and os.fstat(fd).st_mode & 0o077:
            try:
                os.fchmod(fd, 0o600)
            except PermissionError:
                pass
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)


def configure_logging(
    level: str = "INFO",
    *,
    log_dir: Path | None = None,
    max_bytes: int = 5 * 1024 * 1024,
    keep_files: int = 5,
) -> Path:
    """Log to rotating files in `log_dir` (default: the user's log folder); return the file's path.

    Every handler on the root logger, ours and any already there, gets the redaction filter.
    """
    folder = log_dir or paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / LOG_FILE
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _CaseclientFileHandler)]:
        root.removeHandler(old)
        old.close()
    handler = _CaseclientFileHandler(path, maxBytes=max_bytes, backupCount=keep_files, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    for h in root.handlers:
        add_redaction(h)
    logging.captureWarnings(True)
    return path


def configure_logging_from(settings: Settings, *, log_dir: Path | None = None) -> Path:
    """`logging.level` (lockable by policy), `logging.max_file_mb` and `logging.keep_files`."""
    return configure_logging(
        settings.text("logging.level"),
        log_dir=log_dir,
        max_bytes=int(settings.number("logging.max_file_mb") * 1024 * 1024),
        keep_files=int(settings.number("logging.keep_files")),
    )
