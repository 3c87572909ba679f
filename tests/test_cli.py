"""The command line against the reference service, in-process and as a real subprocess."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfWriter

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.cli import main


def _pdf(path: Path, title: str = "") -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title or path.stem})
    with path.open("wb") as f:
        writer.write(f)
    return path


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
    doc = _pdf(tmp_path / "Høring om vejbump på Ærøvej.pdf", title="")
    args = ["file", str(doc), "--case", some_case.number, "--service", reference_service.url]
    assert main(args) == 0
    first = capsys.readouterr().out.strip()
    assert main(args) == 0
    assert capsys.readouterr().out.strip() == first
    on_case = [d for d in service.list_documents(some_case.id) if d.id == first]
    assert len(on_case) == 1 and on_case[0].title == "Høring om vejbump på Ærøvej"


@pytest.fixture
def unreadable_file(tmp_path) -> Path:
    """A file that exists but cannot be read, even by root (who ignores permission bits)."""
    if os.geteuid() != 0:
        locked = tmp_path / "låst.pdf"
        locked.write_bytes(b"%PDF-1.4")
        locked.chmod(0)
        return locked
    for candidate in sorted(Path("/sys/bus").glob("*/uevent")):  # write-only attributes
        try:
            candidate.open("rb").close()
        except PermissionError:
            return candidate
    pytest.skip("no file here that root cannot read")


def test_file_json_reports_each_file_and_one_bad_file_stops_nothing(
    reference_service, service, some_case, tmp_path, capsys, unreadable_file
):
    good = tmp_path / "notat.txt"
    good.write_text("Notat om samtale", encoding="utf-8")
    missing = tmp_path / "findes-ikke.pdf"
    folder = tmp_path / "mappe"
    folder.mkdir()
    empty = tmp_path / "tom.pdf"
    empty.write_bytes(b"")
    code = main(
        ["file", str(missing), str(folder), str(unreadable_file), str(empty), str(good), "--case", some_case.number,
         "--title", "Samtalenotat", "--json", "--service", reference_service.url]
    )
    assert code == 1
    out = capsys.readouterr()
    rows = json.loads(out.out)
    assert [("document_id" in r) for r in rows] == [False, False, False, False, True]
    assert "findes-ikke.pdf was not found" in rows[0]["error"]
    assert "mappe is a folder" in rows[1]["error"]
    assert f"{unreadable_file.name} could not be opened: permission denied" in rows[2]["error"]
    assert "tom.pdf is empty" in rows[3]["error"]
    assert len(out.err.strip().splitlines()) == 4
    filed = [d for d in service.list_documents(some_case.id) if d.id == rows[4]["document_id"]]
    assert [d.title for d in filed] == ["Samtalenotat"]


def test_file_takes_the_proposal_of_intake(reference_service, service, some_case, tmp_path, capsys):
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["Subject"] = "SV: Klage over afgørelse"
    mail["From"] = "Ole Hansen <ole@example.dk>"
    mail["Date"] = "Tue, 05 Mar 2024 10:00:00 +0100"
    mail.set_content("Jeg klager hermed.")
    path = tmp_path / "klage.eml"
    path.write_bytes(bytes(mail))
    assert main(["file", str(path), "--case", some_case.number, "--service", reference_service.url]) == 0
    document_id = capsys.readouterr().out.strip()
    filed = next(d for d in service.list_documents(some_case.id) if d.id == document_id)
    assert filed.title == "Klage over afgørelse"
    assert str(filed.document_date) == "2024-03-05"


def test_inspect_prints_one_json_line_per_file_with_cpr_masked(tmp_path, capsys):
    note = tmp_path / "notat 010170-1234.txt"
    note.write_text("Borgeren med CPR 0101701234 ringede om sag 27.24.00-G01-1-24.", encoding="utf-8")
    missing = tmp_path / "væk.pdf"
    assert main(["inspect", str(note), str(missing)]) == 1
    out = capsys.readouterr().out
    lines = [json.loads(line) for line in out.strip().splitlines()]
    assert len(lines) == 2
    assert "27.24.00-G01-1-24" in lines[0]["detected_case_numbers"]
    assert "1234" not in out.replace("27.24.00", "")
    assert "error" in lines[1] and "væk.pdf" in lines[1]["error"]


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
    doc = _pdf(tmp_path / "scan.pdf")
    filed = _run("file", str(doc), "--case", cases[0]["number"], home=tmp_path)
    assert filed.returncode == 0, filed.stderr
    assert len(filed.stdout.split()) == 1
    assert (tmp_path / "data" / "reference-service").is_dir()


def test_own_addresses_from_the_settings_make_a_mail_outgoing(reference_service, service, some_case, tmp_path, capsys):
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["Subject"] = "Afgørelse"
    mail["From"] = "Sagsbehandler <sb@kommune.example.dk>"
    mail["To"] = "borger@example.dk"
    mail.set_content("Hermed afgørelsen.")
    path = tmp_path / "afgoerelse.eml"
    path.write_bytes(bytes(mail))
    assert main(["inspect", str(path), "--set", "intake.own_addresses=sb@kommune.example.dk"]) == 0
    assert json.loads(capsys.readouterr().out)["direction"] == "outgoing"
    assert main(["file", str(path), "--case", some_case.number, "--service", reference_service.url,
                 "--set", "intake.own_addresses=Other@Example.dk, SB@kommune.example.dk"]) == 0
    document_id = capsys.readouterr().out.strip()
    filed = next(d for d in service.list_documents(some_case.id) if d.id == document_id)
    assert filed.direction.value == "outgoing"


def test_a_reader_that_goes_away_ends_the_command_quietly(demo_service, tmp_path):
    """`caseclient cases | head -1`: no traceback when the pipe closes early."""
    import subprocess
    import sys

    command = subprocess.Popen([sys.executable, "-m", "caseclient", "cases", "--json", "--limit", "300",
                                "--service", demo_service.url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "CASECLIENT_HOME": str(tmp_path)})
    command.stdout.readline()
    command.stdout.close()  # the reader is gone
    stderr = command.stderr.read().decode()
    command.wait(timeout=60)
    assert "Traceback" not in stderr and command.returncode in (0, 141), stderr
