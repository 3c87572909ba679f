"""No traceback reaches a user from a command: a second `outbox run`, absurd item numbers,
`--parallel 0`, an unexpected fault anywhere; each is one sentence on standard error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseclient import cli
from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.cli import main
from caseclient.store import DATABASE_NAME, ProcessLock


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASECLIENT_DEBUG", raising=False)


def _one_sentence(err: str) -> str:
    assert "Traceback" not in err and 'File "' not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_a_second_outbox_run_says_another_caseclient_is_filing(reference_service, tmp_path, capsys):
    case = OioService(reference_service.url).search_cases(CaseQuery(limit=1))[0]
    doc = tmp_path / "Brev.txt"
    doc.write_text("brev")
    assert main(["file", str(doc), "--case", case.number, "--no-wait", "--service", reference_service.url]) == 0
    capsys.readouterr()
    data = tmp_path / "home" / "data"
    running = ProcessLock(Path(str(data / DATABASE_NAME) + ".worker-lock"))  # the first run, still going
    assert running.acquire()
    try:
        assert main(["outbox", "run", "--service", reference_service.url]) == 1
        line = _one_sentence(capsys.readouterr().err)
        assert "already filing" in line and str(data) in line
    finally:
        running.release()
    assert main(["outbox", "run", "--service", reference_service.url]) == 0


@pytest.mark.parametrize("which", ["99999999999999999999999", "9223372036854775808", "0", "-1", "1e9", "nan",
                                   "0x10", " ", "1 2", "٣"])
@pytest.mark.parametrize("action", ["retry", "cancel"])
def test_absurd_item_numbers_are_one_sentence(capsys, action, which):
    assert main(["outbox", action, "--", which]) == 2
    assert "outbox item" in _one_sentence(capsys.readouterr().err)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.text(min_size=1, max_size=30) | st.integers().map(str))
def test_any_item_argument_is_a_sentence_never_a_traceback(capsys, which):
    code = main(["outbox", "retry", "--", which])
    captured = capsys.readouterr()
    assert code == 2 or (code == 0 and which == "all")
    if code:
        _one_sentence(captured.err)


@pytest.mark.parametrize("parallel", ["0", "-3", "x", "100000", "1.5", ""])
def test_parallel_outside_one_to_32_is_a_usage_error(capsys, parallel):
    with pytest.raises(SystemExit) as exited:
        main(["outbox", "run", "--parallel", parallel])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "--parallel" in err.splitlines()[-1]


def test_an_unexpected_fault_in_any_command_is_one_sentence(capsys, monkeypatch):
    def broken(args):
        raise TypeError("unsupported operand type(s) for +: 'Cpr' and 'int' 070761-4285")

    monkeypatch.setitem(cli.COMMANDS, "outbox", type("Broken", (), {"run": staticmethod(broken),
                                                                     "add_parser": cli.COMMANDS["outbox"].add_parser}))
    assert main(["outbox"]) == 1
    line = _one_sentence(capsys.readouterr().err)
    assert "`caseclient outbox` stopped on an unexpected error (TypeError)" in line
    assert "4285" not in line  # the exception's own text (and what it quotes) stays out of sight

    monkeypatch.setenv("CASECLIENT_DEBUG", "1")
    with pytest.raises(TypeError):
        main(["outbox"])


def test_a_full_disk_from_any_command_names_the_data_folder(capsys, monkeypatch, tmp_path):
    def full(args):
        raise OSError(28, os.strerror(28), "/somewhere/else/source.pdf")

    monkeypatch.setitem(cli.COMMANDS, "outbox", type("Full", (), {"run": staticmethod(full),
                                                                   "add_parser": cli.COMMANDS["outbox"].add_parser}))
    assert main(["outbox"]) == 1
    line = _one_sentence(capsys.readouterr().err)
    assert str(tmp_path / "home" / "data") in line and "full" in line and "source.pdf" not in line


def test_a_damaged_database_is_one_line_on_the_real_command_line(tmp_path):
    """In a process of its own: no log line or traceback beside the sentence."""
    import subprocess
    import sys

    data = tmp_path / "home" / "data"
    data.mkdir(parents=True)
    (data / DATABASE_NAME).write_bytes(b"Dette er ikke en database\n" * 10)
    env = {**os.environ, "CASECLIENT_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-m", "caseclient", "outbox"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1
    line = _one_sentence(done.stderr)
    assert line.startswith("caseclient: caseclient's outbox database") and "is damaged" in line
    done = subprocess.run([sys.executable, "-m", "caseclient", "outbox", "--json"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "[]" and done.stderr == ""
