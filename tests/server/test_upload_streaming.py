"""A 1 GiB upload is streamed to disk: the server's memory hardly grows."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from oio_bodies import current, dokument_body

GIB = 1 << 30
BLOCK = os.urandom(1 << 20)
STATUS = Path("/proc/self/status")


def _peak_rss_reset() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # Linux: reset VmHWM to the current RSS


def _rss_kib(field: str) -> int:
    for line in STATUS.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"{field} not in {STATUS}")


def _multipart(body: dict, size: int, boundary: str) -> tuple[list[bytes], int]:
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"json\"\r\n\r\n"
            f"{json.dumps(body)}\r\n--{boundary}\r\nContent-Disposition: form-data; "
            f"name=\"fil1\"; filename=\"stor.bin\"\r\nContent-Type: application/octet-stream"
            f"\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    return [head, tail], len(head) + size + len(tail)


def _stream(head: bytes, size: int, tail: bytes, digest) -> Iterator[bytes]:
    yield head
    for _ in range(size // len(BLOCK)):
        digest.update(BLOCK)
        yield BLOCK
    yield tail


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
def test_one_gib_upload_keeps_memory_flat(reference_service):
    document = str(uuid.uuid4())
    boundary = uuid.uuid4().hex
    (head, tail), length = _multipart(dokument_body(mimetype="application/octet-stream"),
                                      GIB, boundary)
    sent = hashlib.sha256()
    target = urlsplit(reference_service.url)
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=300)
    _peak_rss_reset()
    before = _rss_kib("VmRSS")
    connection.request("PUT", f"/dokument/dokument/{document}",
                       body=_stream(head, GIB, tail, sent),
                       headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                "Content-Length": str(length)})
    answer = connection.getresponse()
    assert (answer.status, json.loads(answer.read())) == (200, {"uuid": document})
    growth_mib = (_rss_kib("VmHWM") - before) / 1024
    print(f"peak RSS growth during a 1 GiB upload: {growth_mib:.1f} MiB")
    assert growth_mib < 16, f"peak RSS grew by {growth_mib:.1f} MiB during a 1 GiB upload"

    registration = current(requests.get(f"{reference_service.url}/dokument/dokument/"
                                        f"{document}").json(), document)
    indhold = registration["varianter"][0]["dele"][0]["egenskaber"][0]["indhold"]
    received = hashlib.sha256()
    with requests.get(f"{reference_service.url}/dokument/dokument/"
                      f"{indhold.removeprefix('store:')}", stream=True) as download:
        assert download.headers["Content-Length"] == str(GIB)
        for chunk in download.iter_content(1 << 20):
            received.update(chunk)
    assert received.digest() == sent.digest()
