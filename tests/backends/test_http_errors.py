"""Every HTTP failure becomes one domain error with one clear sentence (backends/http.py)."""

from __future__ import annotations

import ssl

import pytest
import requests
from scripted_server import ScriptedServer
from pki import TestCA

from caseclient.backends.http import ServiceHttp
from caseclient.domain import (
    AuthError,
    Conflict,
    Locked,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    TooLarge,
    Transient,
    ValidationFailed,
)

CPR_DIGITS = "0101701234"


@pytest.mark.parametrize(
    ("status", "error", "words"),
    [
        (400, ValidationFailed, "'virkning' is a required property"),
        (401, AuthError, "refused access"),
        (403, AuthError, "refused access"),
        (404, NotFound, "found nothing"),
        (410, NotFound, "found nothing"),
        (409, Conflict, "conflict"),
        (413, TooLarge, "too large"),
        (423, Locked, "locked"),
        (500, Transient, "HTTP 500"),
        (502, Transient, "HTTP 502"),
    ],
)
def test_status_maps_to_the_taxonomy(scripted_server, status, error, words):
    scripted_server.script.answer(status, {"message": "'virkning' is a required property"})
    http = ServiceHttp(scripted_server.url)
    with pytest.raises(error) as caught:
        http.request("GET", "sag/sag", action="searching cases")
    assert type(caught.value) is error
    assert words in caught.value.message
    assert caught.value.status == status
    assert caught.value.message.count(". ") == 0, "one sentence"


def test_rate_limit_carries_retry_after(scripted_server):
    scripted_server.script.answer(429, {"message": "slow down"}, {"Retry-After": "7"})
    with pytest.raises(RateLimited) as caught:
        ServiceHttp(scripted_server.url).request("GET", "sag/sag", action="searching cases")
    assert caught.value.retry_after == 7.0
    assert caught.value.retryable


def test_html_error_page_is_transient_without_the_html(scripted_server):
    scripted_server.script.answer(500, "<html><body><h1>Internal Server Error</h1></body></html>")
    with pytest.raises(Transient) as caught:
        ServiceHttp(scripted_server.url).request("GET", "sag/sag", action="searching cases")
    assert "<html" not in caught.value.message
    assert "Internal Server Error" in caught.value.detail


def test_garbage_instead_of_json_is_transient(scripted_server):
    scripted_server.script.answer(200, b"\x00\xffnot json at all", {"Content-Type": "application/json"})
    http = ServiceHttp(scripted_server.url)
    response = http.request("GET", "sag/sag", action="searching cases")
    with pytest.raises(Transient, match="not JSON"):
        http.json(response, action="searching cases")


def test_server_message_with_a_cpr_is_masked(scripted_server):
    scripted_server.script.answer(400, {"message": f"bad urn urn:dk:cpr:person:{CPR_DIGITS}"})
    with pytest.raises(ValidationFailed) as caught:
        ServiceHttp(scripted_server.url).request("GET", "sag/sag", action="searching cases")
    assert CPR_DIGITS not in caught.value.message and CPR_DIGITS not in caught.value.detail
    assert "010170-xxxx" in caught.value.message


def test_closed_port_is_transient_and_names_the_host(closed_port):
    http = ServiceHttp(f"http://127.0.0.1:{closed_port}")
    with pytest.raises(Transient) as caught:
        http.request("GET", "sag/sag", params={"vilkaarligrel": f"urn:dk:cpr:person:{CPR_DIGITS}"},
                     action="searching cases", idempotent=False)
    assert caught.value.message == (
        f"Cannot reach the document service at 127.0.0.1:{closed_port} while searching cases."
    )
    assert CPR_DIGITS not in caught.value.message


def test_unknown_host_is_transient():
    with pytest.raises(Transient, match="Cannot reach the document service at no-such-host.invalid"):
        ServiceHttp("http://no-such-host.invalid").request("GET", "version", action="checking the service")


def test_dropped_connection_during_a_write_is_outcome_unknown(scripted_server):
    scripted_server.script.mode = "drop"
    http = ServiceHttp(scripted_server.url)
    with pytest.raises(OutcomeUnknown, match="not known whether the change landed"):
        http.request("PATCH", "sag/sag/x", json={}, action="putting a document on the case", idempotent=False)
    with pytest.raises(Transient, match="lost its connection"):
        http.request("PUT", "dokument/dokument/x", data=b"x", action="sending a file", idempotent=True)


def test_timeout_during_a_write_is_outcome_unknown(scripted_server):
    scripted_server.script.mode = "hold"
    http = ServiceHttp(scripted_server.url, timeout=(2, 0.2))
    with pytest.raises(OutcomeUnknown, match="timed out"):
        http.request("PATCH", "sag/sag/x", json={}, action="putting a document on the case", idempotent=False)
    with pytest.raises(Transient, match="timed out"):
        http.request("GET", "sag/sag", action="searching cases")


def test_tls_verification_cannot_be_switched_off():
    session = requests.Session()
    session.verify = False
    with pytest.raises(ValueError, match="verification"):
        ServiceHttp("https://esdh.example.dk", session)


def test_an_untrusted_server_certificate_is_refused_before_anything_is_sent(tmp_path):
    ca = TestCA(tmp_path / "ca")
    issued = ca.server()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(issued.certificate, issued.key)
    with ScriptedServer(tls=context) as server:
        with pytest.raises(AuthError) as caught:
            ServiceHttp(server.url).request("PATCH", "sag/sag/x", json={}, action="putting a document on the case",
                                            idempotent=False)
        assert caught.value.message == (
            f"The document service at 127.0.0.1:{server.httpd.server_port} showed a certificate this computer "
            "does not trust while putting a document on the case; nothing was sent."
        )
        assert server.script.requests == []
        trusting = requests.Session()
        trusting.verify, trusting.trust_env = str(ca.pem), False  # REQUESTS_CA_BUNDLE would win otherwise
        ServiceHttp(server.url, trusting).request("GET", "version", action="checking the service").close()
        assert server.script.requests == [("GET", "/version")]
