"""service.kind picks the backend from the composition root's one table; every kind works on the
embedded reference service too, which then speaks that kind's dialect."""

from __future__ import annotations

import pytest

from caseclient.backends.protocol import CaseQuery, DocumentService
from caseclient.config import SettingsError, SettingsFiles, load_settings
from caseclient.connection import BACKENDS, backend_for, backend_kind, open_configured_service, system_name
from caseclient.server import DIALECTS
from kinds import simulated_kinds


def _settings(**pairs: str):
    return load_settings(SettingsFiles(command_line={k.replace("__", "."): v for k, v in pairs.items()}))


def test_every_kind_has_a_backend_and_a_simulator() -> None:
    assert {"oio", "sbsys", "getorganized"} <= set(BACKENDS)
    for name, kind in BACKENDS.items():
        assert kind.dialect in DIALECTS, name
        assert kind.system


def test_an_unknown_kind_is_refused_in_one_sentence_naming_the_known_ones() -> None:
    settings = _settings(service__kind="sharepoint", service__url="https://esdh.example.dk/")
    with pytest.raises(SettingsError) as raised:
        backend_kind(settings)
    message = str(raised.value)
    assert "sharepoint" in message and all(kind in message for kind in BACKENDS)
    assert system_name(settings) == "sharepoint"


@pytest.mark.parametrize("kind", list(BACKENDS))
def test_each_kind_builds_its_backend_for_a_configured_address(kind: str) -> None:
    import requests

    backend = backend_for(_settings(service__kind=kind, service__url="https://esdh.example.dk/"), requests.Session())
    assert isinstance(backend, DocumentService)
    assert backend.name == kind


@pytest.mark.parametrize("kind", simulated_kinds())
def test_without_an_address_each_kind_runs_on_the_embedded_service_in_its_dialect(
        kind: str, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path))
    with open_configured_service(_settings(service__kind=kind)) as service:
        assert service.name == kind
        assert service.search_cases(CaseQuery(limit=3))


@pytest.mark.parametrize("kind", simulated_kinds())
def test_my_cases_on_the_embedded_service_are_the_demo_caseworkers_in_every_kind(
        kind: str, tmp_path, monkeypatch) -> None:
    from caseclient.connection import embedded_caseworker

    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path))
    settings = _settings(service__kind=kind)
    with open_configured_service(settings) as service:
        mine = service.search_cases(CaseQuery(caseworker=embedded_caseworker(settings), limit=500,
                                              include_closed=True))
    assert len(mine) > 20 and {c.caseworker for c in mine} == {mine[0].caseworker}
