"""The command line against the reference service, in-process and as a real subprocess."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.cli import main


def _run(*args: str, home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CASECLIENT_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "caseclient", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """The CLI keeps its outbox and embedded service under CASECLIENT_HOME: one per test."""
    home = tmp_path / "home"
    monkeypatch.setenv("CASECLIENT_HOME", str(home))
    return home


@pytest.fixture
def service(reference_service):
    return OioService(reference_service.url)


@pytest.fixture
def some_case(service):
    return service.search_cases(CaseQuery(limit=1))[0]


def test_version_as_a_real_command(tmp_path):
    result = _run("--version", home=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("caseclient ")


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert all(word in shown for word in ("serve", "cases", "file", "outbox"))


def test_cases_finds_by_number_prefix_as_json(reference_service, some_case, capsys):
    prefix = some_case.number.split("-")[0]
    assert main(["cases", prefix, "--json", "--service", reference_service.url]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found and all(c["number"].startswith(prefix) for c in found)
    assert some_case.number in {c["number"] for c in found}


def test_file_prints_id_and_a_retry_files_nothing_twice(reference_service, service, some_case, tmp_path, capsys):
    doc = tmp_path / "Høring om vejbump på Ærøvej.pdf"
    doc.write_bytes(b"%PDF-1.4\n" + os.urandom(5000))
    args = ["file", str(doc), "--case", some_case.number, "--service", reference_service.url]
    assert main(args) == 0
    first = capsys.readouterr().out.strip()
    assert main(args) == 0
    assert capsys.readouterr().out.strip() == first
    on_case = [d for d in service.list_documents(some_case.id) if d.id == first]
    assert len(on_case) == 1 and on_case[0].title == "Høring om vejbump på Ærøvej"


def test_file_json_reports_each_file_and_one_bad_file_stops_nothing(
    reference_service, service, some_case, tmp_path, capsys
):
    good = tmp_path / "notat.txt"
    good.write_text("Notat om samtale", encoding="utf-8")
    missing = tmp_path / "findes-ikke.pdf"
    folder = tmp_path / "mappe"
    folder.mkdir()
    unreadable = Path("/proc/self/mem")  # opens, but reading from offset 0 fails with EIO, even for root
    code = main(
        ["file", str(missing), str(folder), str(unreadable), str(good), "--case", some_case.number,
         "--title", "Samtalenotat", "--json", "--service", reference_service.url]
    )
    assert code == 1
    out = capsys.readouterr()
    rows = json.loads(out.out)
    assert [("document_id" in r) for r in rows] == [False, False, False, True]
    assert "does not exist" in rows[0]["error"] and str(missing) in rows[0]["error"]
    assert "is a folder" in rows[1]["error"]
    assert "cannot be read" in rows[2]["error"]
    assert len(out.err.strip().splitlines()) == 3
    assert rows[3]["document_id"] in {d.id for d in service.list_documents(some_case.id)}


def test_unknown_case_number_is_one_clear_sentence(reference_service, tmp_path, capsys):
    f = tmp_path / "a.txt"
    f.write_text("x")
    assert main(["file", str(f), "--case", "99.99.99-Z99-9-99", "--service", reference_service.url]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("caseclient: ") and "99.99.99-Z99-9-99" in err and len(err.splitlines()) == 1


def test_server_down_is_one_clear_sentence(tmp_path, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["cases", "bolig", "--service", f"http://127.0.0.1:{port}"]) == 1
    err = capsys.readouterr().err.strip()
    assert "cannot reach" in err.lower() and len(err.splitlines()) == 1


def test_server_error_files_nothing(reference_service, service, some_case, tmp_path, capsys):
    before = len(service.list_documents(some_case.id))
    f = tmp_path / "brev.txt"
    f.write_text("Kære borger")
    reference_service.faults.error_rate = 1.0
    try:
        assert main(["file", str(f), "--case", some_case.number, "--service", reference_service.url]) == 1
    finally:
        reference_service.faults.error_rate = 0.0
    assert "caseclient: " in capsys.readouterr().err
    assert len(service.list_documents(some_case.id)) == before


def test_embedded_service_is_the_default_with_demo_cases(tmp_path):
    listed = _run("cases", "--json", "--limit", "5", home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    cases = json.loads(listed.stdout)
    assert len(cases) == 5
    doc = tmp_path / "scan.pdf"
    doc.write_bytes(b"%PDF-1.4 scan")
    filed = _run("file", str(doc), "--case", cases[0]["number"], home=tmp_path)
    assert filed.returncode == 0, filed.stderr
    assert len(filed.stdout.split()) == 1
    assert (tmp_path / "data" / "reference-service").is_dir()
