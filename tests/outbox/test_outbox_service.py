"""Every queued item belongs to one service: `outbox run` against another one does not file it there."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.cli import main
from caseclient.server import ReferenceService
from caseclient.store import ServiceAddress
from caseclient.store.service_address import normalise_url


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))


@pytest.fixture
def other_service(tmp_path: Path) -> Iterator[ReferenceService]:
    """A second service with the same demo cases (the same case ids): the dangerous case."""
    service = ReferenceService(tmp_path / "other-service")
    service.seed_demo(30, seed=1)
    with service:
        yield service


def _documents(url: str) -> set[str]:
    backend = OioService(url)
    return {d.id for c in backend.search_cases(CaseQuery(limit=30)) for d in backend.list_documents(c.id)}


def _queue(tmp_path: Path, url: str, case_number: str, name: str = "Referat.pdf") -> None:
    doc = tmp_path / name
    doc.write_bytes(os.urandom(2000))
    assert main(["file", str(doc), "--case", case_number, "--no-wait", "--service", url]) == 0


def test_an_item_queued_for_a_is_not_filed_by_a_run_against_b(reference_service, other_service, tmp_path, capsys):
    a, b = reference_service.url, other_service.url
    case = OioService(a).search_cases(CaseQuery(limit=1))[0]
    assert OioService(b).get_case(case.id).number == case.number  # B would take it
    before_a, before_b = _documents(a), _documents(b)
    _queue(tmp_path, a, case.number)
    capsys.readouterr()

    assert main(["outbox", "run", "--service", b]) == 1
    err = capsys.readouterr().err
    assert _documents(b) == before_b
    assert f"item 1 waits for oio at {a}" in err
    assert f"outbox move --from {a} --to {b}" in err
    assert "Traceback" not in err

    assert main(["outbox", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["status"] == "queued" and row["service"] == {"kind": "oio", "url": a}
    assert main(["outbox"]) == 0
    assert f"Item 1 waits for oio at {a}." in capsys.readouterr().out

    assert main(["outbox", "run", "--service", a]) == 0
    assert len(_documents(a) - before_a) == 1 and _documents(b) == before_b


def test_outbox_move_gives_the_items_to_the_new_address(reference_service, other_service, tmp_path, capsys):
    a, b = reference_service.url, other_service.url
    case = OioService(a).search_cases(CaseQuery(limit=1))[0]
    before_a, before_b = _documents(a), _documents(b)
    _queue(tmp_path, a, case.number, "one.pdf")
    _queue(tmp_path, a, case.number, "two.pdf")
    capsys.readouterr()

    assert main(["outbox", "move", "--from", a + "/", "--to", b]) == 0
    assert capsys.readouterr().out.strip() == f"moved items 1, 2 to {b}"
    assert main(["outbox", "run", "--service", b]) == 0
    assert len(_documents(b) - before_b) == 2 and _documents(a) == before_a

    assert main(["outbox", "move", "--from", a, "--to", b]) == 1  # nothing waits for A any more
    assert "no item waits for" in capsys.readouterr().err
    assert main(["outbox", "move", "--from", a]) == 2


def test_a_run_against_the_same_service_files_and_says_nothing_about_others(reference_service, tmp_path, capsys):
    case = OioService(reference_service.url).search_cases(CaseQuery(limit=1))[0]
    _queue(tmp_path, reference_service.url, case.number)
    capsys.readouterr()
    assert main(["outbox", "run", "--service", reference_service.url.upper().replace("HTTP://", "http://") + "/"]) == 0
    assert capsys.readouterr().err == ""


def test_the_embedded_service_is_one_service_whatever_its_port(tmp_path, capsys, monkeypatch):
    """Its port changes at every start; its items are recorded as embedded and filed by the next run."""
    doc = tmp_path / "Notat.txt"
    doc.write_text("notat")
    assert main(["cases", "--json"]) == 0
    number = json.loads(capsys.readouterr().out)[0]["number"]
    assert main(["file", str(doc), "--case", number, "--no-wait"]) == 0
    capsys.readouterr()
    assert main(["outbox", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["service"]["url"] == "embedded"
    assert main(["outbox", "run"]) == 0


@given(st.sampled_from(["http", "HTTP", "https"]), st.sampled_from(["example.org", "EXAMPLE.org", "10.0.0.1"]),
       st.sampled_from(["", "/", "/lora", "/lora/"]))
def test_addresses_compare_as_the_same_service(scheme, host, path):
    default = ":443" if scheme.lower() == "https" else ":80"
    plain = ServiceAddress("oio", f"{scheme}://{host}{path}")
    assert plain == ServiceAddress("oio", f"{scheme.lower()}://{host.lower()}{default}{path.rstrip('/')}")
    assert plain != ServiceAddress("sbsys", f"{scheme}://{host}{path}")
    assert normalise_url(plain.url) == plain.url
