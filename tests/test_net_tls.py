"""TLS always verified with the OS trust store plus an optional CA bundle, client certificates
over real TLS on loopback, proxies and timeouts."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from memory_keyring import memory_keyring  # noqa: F401  (fixture)
from net_support import case_ids, reference, settings_from  # noqa: F401  (fixture)
from pki import TestCA

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.credentials import CredentialStore, SecretKind
from caseclient.domain import BackendError
from caseclient.net import CertificateError, build_session
from caseclient.server.auth import AuthSwitches, TlsListener, protect, server_tls_context


@pytest.fixture(scope="module")
def ca(tmp_path_factory) -> TestCA:
    return TestCA(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def https_service(reference, ca) -> Iterator[str]:
    """The reference service over TLS with a certificate from the test CA."""
    server = ca.server()
    with TlsListener(reference.app, server_tls_context(server.certificate, server.key)) as listener:
        yield listener.url()


def test_self_made_ca_is_refused_by_default_and_accepted_once_configured(reference, https_service, ca):
    plain = build_session(settings_from(service__url=https_service))
    with pytest.raises(requests.exceptions.SSLError, match="CERTIFICATE_VERIFY_FAILED"):
        plain.get(https_service + "/sag/sag", params={"bvn": "%"})
    trusting = build_session(settings_from(service__url=https_service, tls__ca_bundle=str(ca.pem)))
    assert trusting.get(https_service + "/sag/sag", params={"bvn": "%"}).status_code == 200
    assert case_ids(https_service, trusting) == case_ids(reference.url)


def test_verification_cannot_be_turned_off_nor_replaced_from_the_environment(https_service, ca, monkeypatch):
    session = build_session(settings_from(service__url=https_service))
    with pytest.raises(ValueError, match="cannot be turned off"):
        session.get(https_service, verify=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca.pem))  # trust comes from the settings only
    with pytest.raises(requests.exceptions.SSLError):
        session.get(https_service + "/sag/sag", params={"bvn": "%"})


def test_host_name_is_checked(https_service, ca):
    other_ca = TestCA(ca.folder / "other", "Another CA")
    session = build_session(settings_from(service__url=https_service, tls__ca_bundle=str(other_ca.pem)))
    with pytest.raises(requests.exceptions.SSLError):
        session.get(https_service)
    # the right CA, but a name the certificate does not carry
    session = build_session(settings_from(tls__ca_bundle=str(ca.pem)))
    wrong_name = https_service.replace("127.0.0.1", "127.0.0.2")
    with pytest.raises(requests.exceptions.RequestException):
        session.get(wrong_name)


def test_a_bad_ca_bundle_is_one_sentence(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate")
    with pytest.raises(CertificateError) as err:
        build_session(settings_from(tls__ca_bundle=str(bundle)))
    assert err.value.message == f"{bundle} holds no usable CA certificate (PEM expected)."


@pytest.fixture
def mtls_service(reference, ca) -> Iterator[tuple[str, object, list[str]]]:
    """TLS demanding a client certificate from the test CA; the gate checks the name in it.
    Yields the URL, the gate and the case ids an unguarded search finds."""
    expected = case_ids(reference.url)
    server = ca.server()
    gate = protect(reference, AuthSwitches("client_certificate", client_names=("Jens Hansen",)))
    context = server_tls_context(server.certificate, server.key, client_ca=ca.pem)
    with TlsListener(reference.app, context) as listener:
        yield listener.url(), gate, expected


def _cert_settings(url: str, ca: TestCA, certificate: Path, key: Path | None = None):
    pairs = {"service__url": url, "tls__ca_bundle": str(ca.pem), "auth__mode": "client_certificate",
             "tls__client_certificate": str(certificate)}
    if key is not None:
        pairs["tls__client_key"] = str(key)
    return settings_from(**pairs)


def test_client_certificate_pem(mtls_service, ca):
    url, gate, expected = mtls_service
    jens = ca.client("Jens Hansen")
    session = build_session(_cert_settings(url, ca, jens.certificate, jens.key))
    assert case_ids(url, session) == expected
    assert gate.seen[-1] == ("accepted", "client_certificate")


def test_client_certificate_pkcs12_with_password_from_the_keyring(mtls_service, ca, memory_keyring):
    url, gate, expected = mtls_service
    jens = ca.client("Jens Hansen", password="p12-Pass-æøå")
    settings = _cert_settings(url, ca, jens.pkcs12)
    CredentialStore().set(url, SecretKind.CERTIFICATE_PASSWORD, "p12-Pass-æøå", account=str(jens.pkcs12))
    session = build_session(settings)
    assert case_ids(url, session) == expected
    leftovers = [p for p in Path(jens.pkcs12).parent.iterdir() if p.name.startswith("caseclient-cert-")]
    assert leftovers == []


def test_client_certificate_wrong_password_is_one_sentence(mtls_service, ca, memory_keyring):
    url, _gate, _expected = mtls_service
    jens = ca.client("Jens Hansen", password="right-one")
    CredentialStore().set(url, SecretKind.CERTIFICATE_PASSWORD, "wrong-pkcs12-pass-1", account=str(jens.pkcs12))
    with pytest.raises(CertificateError) as err:
        build_session(_cert_settings(url, ca, jens.pkcs12))
    assert err.value.message == (f"The client certificate {jens.pkcs12} could not be opened: it is not PKCS#12, "
                                 "or the password in the keyring is wrong.")
    assert "wrong-pkcs12-pass-1" not in err.value.message and "right-one" not in err.value.message


def test_without_or_with_a_foreign_client_certificate_the_service_refuses(mtls_service, ca):
    url, gate, expected = mtls_service
    no_cert = build_session(settings_from(service__url=url, tls__ca_bundle=str(ca.pem)))
    with pytest.raises(BackendError):
        OioService(url, no_cert).search_cases(CaseQuery(limit=1))
    anne = ca.client("Anne Jensen")  # the right CA, but not a user the service accepts
    session = build_session(_cert_settings(url, ca, anne.certificate, anne.key))
    with pytest.raises(BackendError) as err:
        OioService(url, session).search_cases(CaseQuery(limit=1))
    assert err.value.status == 401
    assert gate.seen[-1] == ("refused", "client_certificate")


class _RecordingProxy(http.server.ThreadingHTTPServer):
    """A forward proxy for plain http that records the absolute URLs it was asked for."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                proxy.seen.append(self.path)
                answer = requests.get(self.path, proxies={"http": None}, timeout=10)
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("Content-Type", "text/plain"))
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def stop(self) -> None:
        self.shutdown()
        self.thread.join()
        self.server_close()


@pytest.fixture
def proxy() -> Iterator[_RecordingProxy]:
    server = _RecordingProxy()
    try:
        yield server
    finally:
        server.stop()


def test_proxy_from_the_settings(reference, proxy, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "*")  # the system says: no proxy; the settings win
    session = build_session(settings_from(network__proxy=proxy.url))
    assert case_ids(reference.url, session) == case_ids(reference.url, build_session(settings_from()))
    assert proxy.seen and all(seen.startswith(reference.url + "/") for seen in proxy.seen)


def test_proxy_from_the_system_and_none(reference, proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    build_session(settings_from()).get(reference.url + "/sag/sag", params={"bvn": "%"})
    assert len(proxy.seen) == 1
    build_session(settings_from(network__proxy="none")).get(reference.url + "/sag/sag", params={"bvn": "%"})
    assert len(proxy.seen) == 1


def test_a_silent_server_times_out_by_the_settings():
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        session = build_session(settings_from(network__read_timeout="1"))
        with pytest.raises(requests.exceptions.ReadTimeout):
            session.get(url)
