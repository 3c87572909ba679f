"""Running the reference service: in-process start/stop, waiting, serving in the foreground."""

from __future__ import annotations

import threading

import pytest
import requests

from caseclient.server import ReferenceService


def test_start_gives_a_loopback_url_and_stop_frees_it(tmp_path):
    service = ReferenceService(tmp_path)
    url = service.start()
    assert url.startswith("http://127.0.0.1:") and service.url == url
    assert requests.get(f"{url}/version").json() == {"lora_version": "1.10.0"}
    service.stop()
    with pytest.raises(RuntimeError):
        service.url
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/version", timeout=5)


def test_data_survives_a_restart(tmp_path):
    with ReferenceService(tmp_path) as first:
        first.seed_demo(5)
        found = requests.get(f"{first.url}/sag/sag", params={"bvn": "%"}).json()
    with ReferenceService(tmp_path) as second:
        assert requests.get(f"{second.url}/sag/sag", params={"bvn": "%"}).json() == found


def test_wait_returns_when_stopped(tmp_path):
    service = ReferenceService(tmp_path)
    service.start()
    waited = threading.Event()
    waiter = threading.Thread(target=lambda: (service.wait(), waited.set()))
    waiter.start()
    service.stop()
    assert waited.wait(10)
    waiter.join(10)


def test_serve_forever_in_the_foreground_until_stopped(tmp_path):
    service = ReferenceService(tmp_path)
    thread = threading.Thread(target=service.serve_forever)
    thread.start()
    assert service.ready.wait(10)
    assert requests.get(f"{service.url}/version").status_code == 200
    service.stop()
    thread.join(10)
    assert not thread.is_alive() and not service.ready.is_set()
