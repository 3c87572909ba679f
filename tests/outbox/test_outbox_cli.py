"""`caseclient file` through the outbox and `caseclient outbox`, in-process against the reference service."""

from __future__ import annotations

import json
import os

import pytest

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.cli import main


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))


@pytest.fixture
def case(reference_service):
    return OioService(reference_service.url).search_cases(CaseQuery(limit=1))[0]


def _outbox_json(capsys) -> list[dict]:
    assert main(["outbox", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_no_wait_queues_then_outbox_run_files_and_the_list_shows_it(reference_service, case, tmp_path, capsys):
    doc = tmp_path / "Referat.pdf"
    doc.write_bytes(os.urandom(3000))
    assert main(["file", str(doc), "--case", case.number, "--no-wait", "--service", reference_service.url]) == 0
    assert capsys.readouterr().out.split() == ["queued", "1"]
    [row] = _outbox_json(capsys)
    assert (row["id"], row["status"], row["case"], row["title"]) == (1, "queued", case.number, "Referat")

    assert main(["outbox", "run", "--service", reference_service.url, "--progress"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "uploading 1" and lines[-1] == "done 1" and "sent 1 3000/3000" in lines
    [row] = _outbox_json(capsys)
    assert row["status"] == "done"
    assert row["document_id"] in {d.id for d in OioService(reference_service.url).list_documents(case.id)}

    assert main(["outbox"]) == 0
    assert capsys.readouterr().out.startswith(f"1\tdone\t1\t{case.number}\tReferat")


def test_the_same_file_again_is_already_filed_unless_again(reference_service, case, tmp_path, capsys):
    doc = tmp_path / "Svar.txt"
    doc.write_text("Ja tak")
    args = ["file", str(doc), "--case", case.number, "--service", reference_service.url]
    assert main(args) == 0
    first = capsys.readouterr().out.strip()
    assert main(args) == 0
    out = capsys.readouterr()
    assert out.out.strip() == first
    assert f"already filed on {case.number} at " in out.err and "--again" in out.err
    assert main([*args, "--again"]) == 0
    second = capsys.readouterr().out.strip()
    assert second != first
    ids = [d.id for d in OioService(reference_service.url).list_documents(case.id)]
    assert ids.count(first) == ids.count(second) == 1


def test_cancel_retry_pause_and_resume_from_the_command_line(reference_service, case, tmp_path, capsys):
    doc = tmp_path / "Notat.txt"
    doc.write_text("Notat")
    assert main(["file", str(doc), "--case", case.number, "--no-wait", "--service", reference_service.url]) == 0
    capsys.readouterr()
    assert main(["outbox", "cancel", "1"]) == 0
    assert _outbox_json(capsys)[0]["status"] == "cancelled"
    assert main(["outbox", "cancel", "1"]) == 1
    assert capsys.readouterr().err.strip() == "caseclient: outbox item 1 is cancelled and cannot be cancelled"
    assert main(["outbox", "retry", "7"]) == 2
    assert capsys.readouterr().err.strip() == "caseclient: there is no outbox item 7"
    assert main(["outbox", "retry", "all"]) == 0
    assert main(["outbox", "pause"]) == 0
    capsys.readouterr()
    assert main(["outbox"]) == 0
    assert capsys.readouterr().out.startswith("The outbox is paused (by the user)")
    assert main(["outbox", "resume"]) == 0
    assert main(["outbox", "run", "--service", reference_service.url]) == 0
    assert _outbox_json(capsys)[0]["status"] == "done"
