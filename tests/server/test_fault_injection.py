"""Test-only fault injection in front of the reference service."""

from __future__ import annotations

import time

import pytest
import requests

from caseclient.server import FaultConfig


def test_parse_reads_the_command_line_form():
    config = FaultConfig.parse("error=0.3,drop=0.1,latency=0.1:2.0,busy=0.2:90,seed=7")
    assert config == FaultConfig(error_rate=0.3, drop_rate=0.1, latency_rate=0.1,
                                 latency_seconds=2.0, busy_rate=0.2, retry_after_seconds=90, seed=7)
    assert FaultConfig.parse("") == FaultConfig()
    assert not FaultConfig.parse("").active


@pytest.mark.parametrize("text", ["error=2", "drop=x", "sometimes=0.1", "error"])
def test_parse_refuses_nonsense_with_a_sentence(text):
    with pytest.raises(ValueError, match="fault"):
        FaultConfig.parse(text)


def test_error_rate_one_answers_500_html(reference_service):
    reference_service.faults = FaultConfig(error_rate=1.0)
    answer = requests.get(f"{reference_service.url}/version")
    assert answer.status_code == 500
    assert answer.headers["Content-Type"].startswith("text/html")
    reference_service.faults = FaultConfig()
    assert requests.get(f"{reference_service.url}/version").status_code == 200


def test_a_busy_server_answers_503_with_retry_after(reference_service):
    reference_service.faults = FaultConfig(busy_rate=1.0, retry_after_seconds=90)
    answer = requests.get(f"{reference_service.url}/version")
    assert (answer.status_code, answer.headers["Retry-After"]) == (503, "90")
    reference_service.faults = FaultConfig()
    assert requests.get(f"{reference_service.url}/version").status_code == 200


def test_faults_can_be_changed_in_place(reference_service):
    reference_service.faults.error_rate = 1.0
    assert requests.get(f"{reference_service.url}/version").status_code == 500
    reference_service.faults.error_rate = 0.0
    assert requests.get(f"{reference_service.url}/version").status_code == 200


def test_dropped_connections_give_no_answer(reference_service):
    reference_service.faults = FaultConfig(drop_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        requests.post(f"{reference_service.url}/sag/sag", data=b"x" * 500_000,
                      headers={"Content-Type": "application/json"}, timeout=10)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{reference_service.url}/version", timeout=10)


def test_latency_delays_answers(reference_service):
    reference_service.faults = FaultConfig(latency_rate=1.0, latency_seconds=0.3)
    started = time.monotonic()
    assert requests.get(f"{reference_service.url}/version").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_a_seed_repeats_the_same_faults(reference_service):
    def statuses() -> list[int]:
        reference_service.faults = FaultConfig(error_rate=0.5, seed=7)
        return [requests.get(f"{reference_service.url}/version").status_code for _ in range(20)]

    first = statuses()
    assert set(first) == {200, 500}
    assert statuses() == first
