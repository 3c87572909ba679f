"""Dokument file parts: multipart upload, idempotent PUT, download and LoRa's quirks."""

from __future__ import annotations

import hashlib
import io
import json
import os
import uuid

import requests
from oio_bodies import current, dokument_body


def _upload(url: str, document: str, content: bytes, field: str = "fil1", **body_options):
    body = dokument_body(**body_options)
    return requests.put(f"{url}/dokument/dokument/{document}", data={"json": json.dumps(body)},
                        files={field: ("brev æøå.pdf", io.BytesIO(content), "application/pdf")})


def _parts(url: str, document: str) -> list[dict]:
    registration = current(requests.get(f"{url}/dokument/dokument/{document}").json(), document)
    return [part for variant in registration.get("varianter", [])
            for part in variant.get("dele", [])]


def test_upload_rewrites_indhold_and_downloads_byte_identical(url):
    document = str(uuid.uuid4())
    content = os.urandom(300_000) + "æøå".encode()
    assert _upload(url, document, content).status_code == 200

    (part,) = _parts(url, document)
    assert part["deltekst"] == "brev æøå.pdf"
    properties = part["egenskaber"][0]
    assert properties["indhold"].startswith("store:")
    path = properties["indhold"].removeprefix("store:")
    assert path.endswith(".bin") and path.count("/") == 5

    download = requests.get(f"{url}/dokument/dokument/{path}")
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Length"] == str(len(content))
    assert download.headers["ETag"]
    assert "Content-Disposition" not in download.headers


def test_an_empty_file_round_trips(url):
    document = str(uuid.uuid4())
    assert _upload(url, document, b"").status_code == 200
    path = _parts(url, document)[0]["egenskaber"][0]["indhold"].removeprefix("store:")
    download = requests.get(f"{url}/dokument/dokument/{path}")
    assert (download.status_code, download.content) == (200, b"")


def test_put_again_overwrites_and_says_rettet(url):
    document = str(uuid.uuid4())
    _upload(url, document, b"first")
    assert current(requests.get(f"{url}/dokument/dokument/{document}").json(),
                   document)["livscykluskode"] == "Importeret"
    _upload(url, document, b"second")
    registration = current(requests.get(f"{url}/dokument/dokument/{document}").json(), document)
    assert registration["livscykluskode"] == "Rettet"
    path = _parts(url, document)[0]["egenskaber"][0]["indhold"].removeprefix("store:")
    assert requests.get(f"{url}/dokument/dokument/{path}").content == b"second"


def test_a_field_reference_without_its_file_is_a_400(url, reference_service):
    document = str(uuid.uuid4())
    answer = _upload(url, document, b"data", field="other")
    assert answer.status_code == 400
    assert "fil1" in answer.json()["message"]
    assert requests.get(f"{url}/dokument/dokument/{document}").status_code == 404
    uploads = reference_service.data_dir / "files" / ".uploads"
    assert list(uploads.iterdir()) == []  # the unclaimed upload is gone


def test_unknown_content_path_is_a_500_as_in_lora(url):
    answer = requests.get(f"{url}/dokument/dokument/2024/01/15/10/30/{uuid.uuid4()}.bin")
    assert answer.status_code == 500


def test_patch_without_varianter_drops_the_file_parts(url):
    """LoRa 1.10.0's quirk, reproduced: clients must resend varianter or use PUT."""
    document = str(uuid.uuid4())
    _upload(url, document, b"content")
    patched = requests.patch(f"{url}/dokument/dokument/{document}", json={
        "attributter": {"dokumentegenskaber": [
            {"titel": "Ny titel", "virkning": {"from": "2024-01-01", "to": "infinity"}}]}})
    assert patched.status_code == 200
    assert _parts(url, document) == []


def test_create_by_post_with_multipart(url):
    content = b"%PDF-1.7 demo"
    answer = requests.post(f"{url}/dokument/dokument",
                           data={"json": json.dumps(dokument_body(field="hoveddokument"))},
                           files={"hoveddokument": ("a.pdf", io.BytesIO(content), "application/pdf")})
    assert answer.status_code == 201
    document = answer.json()["uuid"]
    path = _parts(url, document)[0]["egenskaber"][0]["indhold"].removeprefix("store:")
    assert hashlib.sha256(requests.get(f"{url}/dokument/dokument/{path}").content).digest() == (
        hashlib.sha256(content).digest())
