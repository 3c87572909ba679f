"""The embedded service is safe to start anywhere (issue 15, point 6): a token for use beyond
loopback, bounded request bodies (413 without holding memory or files), malformed requests a 400
in LoRa's JSON shape (never a 500), only its own `indhold` references, and a server that keeps
answering through and after a flood of slow clients. The real service in-process on a free port,
and `caseclient serve` as a real process."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
from oio_bodies import dokument_body, sag_body

from caseclient.cli import main
from caseclient.server import ReferenceService
from caseclient.server.limits import BodyLimits

KIB = 1024
LIMITS = BodyLimits(body_bytes=64 * KIB, upload_bytes=256 * KIB, field_bytes=128 * KIB, parts=4, depth=64)
WAIT = 30.0


def _until(condition, what: str, timeout: float = WAIT) -> None:
    """Wait for a condition another thread brings about (polled, with a deadline)."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        pause.wait(0.02)


@pytest.fixture
def service(tmp_path):
    service = ReferenceService(tmp_path / "svc", limits=LIMITS, request_timeout=1.0)
    service.seed_demo(3)
    with service:
        yield service


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def _uploads_left(service) -> list[str]:
    return os.listdir(service.data_dir / "files" / ".uploads")


def _lora_error(answer: requests.Response, status: int) -> str:
    assert answer.status_code == status, (answer.status_code, answer.text[:300])
    assert answer.headers["Content-Type"].startswith("application/json")
    return answer.json()["message"]


# -- sizes ---------------------------------------------------------------------------------------

def test_a_json_body_over_the_limit_is_a_413_before_it_is_read(service):
    body = json.dumps(sag_body(title="x" * (80 * KIB)))
    message = _lora_error(requests.post(f"{service.url}/sag/sag", data=body,
                                        headers={"Content-Type": "application/json"}), 413)
    assert "larger than" in message


def test_a_chunked_json_body_is_cut_off_at_the_limit(service):
    def chunks():
        yield b'{"note": "'
        for _ in range(200):
            yield b"x" * KIB
        yield b'"}'

    answer = requests.post(f"{service.url}/sag/sag", data=chunks(), headers={"Content-Type": "application/json"})
    _lora_error(answer, 413)


@pytest.mark.parametrize("case", ["declared", "chunked", "parts", "field"])
def test_a_multipart_body_over_a_limit_is_a_413_and_leaves_no_file_open_or_behind(service, case):
    document = str(uuid.uuid4())
    body = {"json": json.dumps(dokument_body())}
    before = _open_files()
    url = f"{service.url}/dokument/dokument/{document}"
    if case == "declared":
        answer = requests.put(url, data=body, files={"fil1": ("a.pdf", io.BytesIO(os.urandom(300 * KIB)))})
    elif case == "chunked":
        prepared = requests.Request("PUT", url, data=body, files={
            "fil1": ("a.pdf", io.BytesIO(os.urandom(300 * KIB)))}).prepare()
        payload = prepared.body

        def chunks():
            for start in range(0, len(payload), 16 * KIB):
                yield payload[start:start + 16 * KIB]

        answer = requests.put(url, data=chunks(), headers={"Content-Type": prepared.headers["Content-Type"]})
    elif case == "parts":
        answer = requests.put(url, data=body, files={f"fil{n}": (f"{n}.pdf", io.BytesIO(b"%PDF")) for n in range(8)})
    else:
        answer = requests.put(url, data={**body, "note": "y" * (200 * KIB)},
                              files={"fil1": ("a.pdf", io.BytesIO(b"%PDF"))})
    _lora_error(answer, 413)
    _until(lambda: _uploads_left(service) == [], "the parts streamed to disk are removed")
    _until(lambda: _open_files() <= before, "the server closes what it opened")
    assert requests.get(f"{url}").status_code == 404  # nothing was stored


def test_an_upload_within_the_limits_is_still_taken(service):
    document = str(uuid.uuid4())
    answer = requests.put(f"{service.url}/dokument/dokument/{document}",
                          data={"json": json.dumps(dokument_body())},
                          files={"fil1": ("a.pdf", io.BytesIO(os.urandom(200 * KIB)))})
    assert answer.status_code == 200, answer.text


# -- malformed -------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [
    b"{not json", b"\xff\xfe{}", b'{"a": 1', b"[1, 2, 3]", b'"a string"', b"42",
    b"[" * 30_000 + b"]" * 30_000,  # deeper than Python's parser goes
    b"[" * 70 + b"]" * 70,  # deeper than the service takes
    b'{"attributter": ' + b'{"x": ' * 65 + b"1" + b"}" * 65 + b"}",
])
def test_a_malformed_json_body_is_a_400_in_loras_shape(service, body):
    answer = requests.post(f"{service.url}/sag/sag", data=body, headers={"Content-Type": "application/json"})
    assert _lora_error(answer, 400)
    multipart = requests.post(f"{service.url}/sag/sag", files={"json": (None, body)})
    assert _lora_error(multipart, 400)


@pytest.mark.parametrize("name, value", [
    ("maximalantalresultater", "x"), ("maximalantalresultater", "-1"), ("foersteresultat", "1e3"),
    ("foersteresultat", "99999999999999999999999"), ("maximalantalresultater", "٣"), ("foersteresultat", ""),
])
def test_a_bad_paging_value_is_a_400(service, name, value):
    params = {"brugervendtnoegle": "%", "maximalantalresultater": "10", name: value}
    if name == "foersteresultat" and value == "":
        params[name] = " "
    assert name in _lora_error(requests.get(f"{service.url}/sag/sag", params=params), 400)


def _raw(service, request: bytes) -> bytes:
    host, port = service.url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=WAIT) as sock:
        sock.sendall(request)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("chunks", [
    b"ZZ\r\n{}\r\n0\r\n\r\n",  # not a chunk size
    b"-5\r\n{}\r\n0\r\n\r\n",  # a negative one
    b"10\r\n{}\r\n",  # shorter than it says, then the client stops
    b"2\r\n{}XX0\r\n\r\n",  # no line end after the chunk
])
def test_broken_chunking_is_a_400_not_a_500(service, chunks):
    answer = _raw(service, b"POST /sag/sag HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks)
    status_line = answer.split(b"\r\n", 1)[0]
    assert b" 400 " in status_line, answer[:300]
    assert b'"message"' in answer


@pytest.mark.parametrize("indhold", [
    "store:../../../../etc/passwd", "file:///etc/passwd", "http://example.org/x.pdf",
    "store:2024/01/01/00/00/00000000-0000-0000-0000-000000000000.bin", "/etc/passwd", "urn:x",
])
def test_an_indhold_that_is_not_one_of_the_services_own_is_refused(service, indhold):
    body = dokument_body()
    body["varianter"][0]["dele"][0]["egenskaber"][0]["indhold"] = indhold
    document = str(uuid.uuid4())
    answer = requests.put(f"{service.url}/dokument/dokument/{document}", json=body)
    assert "indhold" in _lora_error(answer, 400)
    assert requests.get(f"{service.url}/dokument/dokument/{document}").status_code == 404


def test_an_indhold_the_service_stored_may_be_named_again(service):
    first = str(uuid.uuid4())
    requests.put(f"{service.url}/dokument/dokument/{first}", data={"json": json.dumps(dokument_body())},
                 files={"fil1": ("a.pdf", io.BytesIO(b"%PDF-1.4"))}).raise_for_status()
    stored = requests.get(f"{service.url}/dokument/dokument/{first}").json()[first][0]["registreringer"][0]
    reference = stored["varianter"][0]["dele"][0]["egenskaber"][0]["indhold"]
    body = dokument_body()
    body["varianter"][0]["dele"][0]["egenskaber"][0]["indhold"] = reference
    assert requests.put(f"{service.url}/dokument/dokument/{uuid.uuid4()}", json=body).status_code == 200


# -- slow clients ------------------------------------------------------------------------------------

def test_the_service_answers_through_and_after_a_flood_of_slow_clients(service):
    host, port = service.url.removeprefix("http://").rsplit(":", 1)
    requests.get(f"{service.url}/version", timeout=WAIT)
    threads_before = threading.active_count()
    slow = []
    for _ in range(150):
        sock = socket.create_connection((host, int(port)), timeout=WAIT)
        sock.sendall(b"GET /sag/sag?brugervendtnoegle=%25 HTTP/1.1\r\nHost: x\r\n")  # never finished
        slow.append(sock)
    try:
        answer = requests.get(f"{service.url}/sag/sag", params={"brugervendtnoegle": "%"}, timeout=WAIT)
        assert answer.status_code == 200
        for sock in slow:  # the server gives up on each silent client (request_timeout)
            assert sock.recv(1024) == b""
    finally:
        for sock in slow:
            sock.close()
    _until(lambda: threading.active_count() <= threads_before + 2, "the server's threads for the slow clients end")
    answer = requests.get(f"{service.url}/sag/sag", params={"brugervendtnoegle": "%"}, timeout=WAIT)
    assert answer.status_code == 200


# -- serve: a token beyond loopback, a usable URL ----------------------------------------------------

def test_serve_refuses_a_non_loopback_address_without_a_token(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CASECLIENT_SERVE_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0", "--data", str(tmp_path / "d")]) == 1
    err = capsys.readouterr().err
    assert "without a token" in err and "--token-file" in err and "Traceback" not in err
    assert not (tmp_path / "d").exists()


def _serve(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "CASECLIENT_HOME": str(tmp_path / "home")}
    env.pop("CASECLIENT_SERVE_TOKEN", None)
    process = subprocess.Popen([sys.executable, "-m", "caseclient", "serve", "--data", str(tmp_path / "d"), *args],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    url = process.stdout.readline().strip()
    return process, url


def _stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        _out, err = process.communicate(timeout=WAIT)
    except subprocess.TimeoutExpired:
        process.kill()
        _out, err = process.communicate()
    return err


def test_serve_with_a_token_file_demands_the_token_and_prints_a_usable_url(tmp_path):
    token_file = tmp_path / "token"
    process, url = _serve(tmp_path, "--host", "0.0.0.0", "--token-file", str(token_file))
    try:
        assert url.startswith("http://") and "0.0.0.0" not in url, url
        token = token_file.read_text().strip()
        assert len(token) >= 32 and (token_file.stat().st_mode & 0o077) == 0
        refused = requests.get(f"{url}/version", timeout=WAIT)
        assert refused.status_code == 401 and "token" in refused.json()["message"]
        assert requests.get(f"{url}/version", headers={"Authorization": "Bearer wrong-token-0000000"},
                            timeout=WAIT).status_code == 401
        allowed = requests.get(f"{url}/version", headers={"Authorization": f"Bearer {token}"}, timeout=WAIT)
        assert allowed.status_code == 200
        assert requests.get(f"{url}/version", auth=("anyone", token), timeout=WAIT).status_code == 200
    finally:
        err = _stop(process)
    assert token not in err


def test_serve_without_a_token_beyond_loopback_warns_loudly_when_told_to(tmp_path):
    process, url = _serve(tmp_path, "--host", "0.0.0.0", "--no-auth")
    try:
        assert "0.0.0.0" not in url
        assert requests.get(f"{url}/version", timeout=WAIT).status_code == 200
    finally:
        err = _stop(process)
    assert "WARNING" in err and "WITHOUT A TOKEN" in err


@pytest.mark.parametrize("relative", ["../../../../etc/passwd", "/etc/passwd", "a/../../b", "..\\..\\x", "C:/x"])
def test_a_content_path_that_leaves_the_store_names_no_file(tmp_path, relative):
    """Content stored before foreign references were refused is never served from elsewhere."""
    from caseclient.server.store.files import ContentStore

    store = ContentStore(tmp_path / "files")
    path = store.path_of(relative)
    assert path.is_relative_to(store.root) and not path.exists()
