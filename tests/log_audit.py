"""The whole test session logs at DEBUG into caseclient's rotating log files; at the end every
such file is scanned for CPR numbers and for every secret the tests used (each secret that passed
through the keyring, a token endpoint or a sign-in is remembered by caseclient.redaction).
A finding fails the session."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from caseclient.domain import find_cprs
from caseclient.logging_setup import LOG_FILE, configure_logging
from caseclient.redaction import remembered_secrets

_FOLDER_KEY = pytest.StashKey[Path]()


def scan_log_files(files: list[Path], extra_secrets: set[str] = frozenset()) -> list[str]:
    """One line per finding: the file and what kind of secret (never the secret itself)."""
    secrets = remembered_secrets() | extra_secrets
    findings = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if cprs := find_cprs(text):
            findings.append(f"{path}: {len(cprs)} CPR number(s), e.g. {cprs[0].masked}")
        leaked = [s for s in secrets if s in text]
        if leaked:
            findings.append(f"{path}: {len(leaked)} secret(s) of the tests, e.g. one of {len(leaked[0])} characters")
    return findings


def log_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob(LOG_FILE + "*") if p.is_file())


def pytest_sessionstart(session: pytest.Session) -> None:
    folder = session.config._tmp_path_factory.mktemp("session-logs", numbered=False)  # type: ignore[attr-defined]
    session.stash[_FOLDER_KEY] = folder
    # generous rotation: nothing the session logs may rotate away before it is scanned
    configure_logging("DEBUG", log_dir=folder, max_bytes=20 * 1024 * 1024, keep_files=200)


def pytest_runtest_setup(item: pytest.Item) -> None:
    # A command run in-process configures logging from its settings (INFO, its own folder):
    # every test starts again at DEBUG into the session's folder.
    folder = item.session.stash.get(_FOLDER_KEY, None)
    if folder is not None and logging.getLogger().level != logging.DEBUG:
        configure_logging("DEBUG", log_dir=folder, max_bytes=20 * 1024 * 1024, keep_files=200)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    folder = session.stash.get(_FOLDER_KEY, None)
    if folder is None:
        return
    logging.shutdown()
    # the session's own log files, and those the tests configured in their temporary folders
    basetemp = session.config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    findings = scan_log_files(log_files(basetemp))
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write("\n")
    if findings:
        if reporter is not None:
            reporter.write_sep("=", "log audit: secrets or CPR numbers found in log files", red=True)
            for line in findings:
                reporter.write_line(line)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif reporter is not None:
        count = len(log_files(basetemp))
        reporter.write_sep("-", f"log audit: {count} log file(s) at DEBUG hold no CPR number and no test secret")
