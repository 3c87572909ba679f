"""`caseclient doctor`: a plain report of every check, with nothing secret in it."""

from __future__ import annotations

import socket

import pytest
from memory_keyring import memory_keyring  # noqa: F401  (fixture)
from net_support import FakeKerberosFactory, reference, settings_from  # noqa: F401  (fixture)
from pki import TestCA

from caseclient.backends.oio import OioService
from caseclient.commands.doctor import FAILED, OK, SKIPPED, WARNING, run_doctor
from caseclient.credentials import CredentialStore, SecretKind
from caseclient.server.auth import AuthSwitches, TlsListener, protect, server_tls_context

PASSWORD = "Doctor-Pass-77x"


def _statuses(report) -> dict[str, str]:
    return {c.name: c.status for c in report.checks}


def test_all_checks_pass_with_basic_sign_in_and_no_secret_in_the_report(reference, memory_keyring):
    protect(reference, AuthSwitches("basic", username="jens", password=PASSWORD))
    CredentialStore().set(reference.url, SecretKind.PASSWORD, PASSWORD, account="jens")
    settings = settings_from(service__url=reference.url, auth__mode="basic", auth__username="jens")
    report = run_doctor(settings, connect=lambda s: OioService(reference.url, s))
    assert _statuses(report) == {"settings": OK, "system": OK, "keyring": OK, "proxy": OK, "dns": OK, "tls": SKIPPED,
                                 "sign-in": OK, "read": OK, "write": SKIPPED}
    assert report.ok
    text = report.as_text()
    assert PASSWORD not in text and PASSWORD not in str(report.as_json())
    assert "[  OK   ] dns: 127.0.0.1 is 127.0.0.1" in text
    assert "[SKIPPED] write: the oio backend has no harmless write check" in text
    assert "  auth.mode = 'basic'  (command line)" in text
    assert "keyring: memory_keyring.MemoryKeyring" in text


def test_missing_password_fails_sign_in_and_skips_the_calls(reference, memory_keyring):
    settings = settings_from(service__url=reference.url, auth__mode="basic", auth__username="jens")
    report = run_doctor(settings, connect=lambda s: OioService(reference.url, s))
    sign_in = next(c for c in report.checks if c.name == "sign-in")
    assert sign_in.status == FAILED
    assert sign_in.detail == f"Sign-in to {reference.url} needs the password of jens, and the system keyring holds none."
    assert _statuses(report)["read"] == SKIPPED and not report.ok


def test_refused_sign_in_fails_the_read_check(reference, memory_keyring):
    protect(reference, AuthSwitches("negotiate"))
    settings = settings_from(service__url=reference.url, auth__mode="negotiate")
    report = run_doctor(settings, connect=lambda s: OioService(reference.url, s),
                        negotiate_context=FakeKerberosFactory(ticket=b"not-a-ticket"))
    read = next(c for c in report.checks if c.name == "read")
    assert read.status == FAILED and "HTTP 401" in read.detail


def test_untrusted_tls_is_named_and_a_trusted_one_described(reference, tmp_path, memory_keyring):
    ca = TestCA(tmp_path / "pki")
    server = ca.server()
    with TlsListener(reference.app, server_tls_context(server.certificate, server.key)) as listener:
        url = listener.url()
        report = run_doctor(settings_from(service__url=url), connect=lambda s: OioService(url, s))
        tls = next(c for c in report.checks if c.name == "tls")
        assert tls.status == FAILED
        assert tls.detail.startswith("the certificate of 127.0.0.1 is not trusted (")
        trusted = run_doctor(settings_from(service__url=url, tls__ca_bundle=str(ca.pem)),
                             connect=lambda s: OioService(url, s))
    tls = next(c for c in trusted.checks if c.name == "tls")
    assert tls.status == OK and "from caseclient Test Root CA" in tls.detail
    assert _statuses(trusted)["read"] == OK


def test_unknown_host_and_plaintext_keyring(memory_keyring):
    from keyrings.alt.file import PlaintextKeyring

    def no_dns(*_args, **_kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    report = run_doctor(settings_from(service__url="https://lora.invalid"), resolve=no_dns,
                        credentials=None)
    dns = next(c for c in report.checks if c.name == "dns")
    assert (dns.status, dns.detail) == (FAILED, "the name lora.invalid cannot be found (Name or service not known)")
    import keyring

    keyring.set_keyring(PlaintextKeyring())
    report = run_doctor(settings_from(auth__mode="token"))
    statuses = _statuses(report)
    assert statuses["keyring"] == FAILED and statuses["sign-in"] == FAILED
    assert _statuses(run_doctor(settings_from()))["keyring"] == WARNING  # no secrets needed: a warning


@pytest.mark.parametrize("mode", ["oauth2_client_credentials"])
def test_oauth2_sign_in_gets_a_token(reference, memory_keyring, mode):
    protect(reference, AuthSwitches("oauth2", client_id="svc", client_secret="cs-doctor-1"))
    CredentialStore().set(reference.url, SecretKind.CLIENT_SECRET, "cs-doctor-1", account="svc")
    settings = settings_from(service__url=reference.url, auth__mode=mode, auth__client_id="svc",
                             auth__token_url=reference.url + "/oauth2/token")
    report = run_doctor(settings, connect=lambda s: OioService(reference.url, s))
    assert _statuses(report)["sign-in"] == OK and _statuses(report)["read"] == OK
    assert "cs-doctor-1" not in report.as_text()


def test_client_certificate_service_passes_tls_and_read(reference, tmp_path, memory_keyring):
    ca = TestCA(tmp_path / "pki")
    server, jens = ca.server(), ca.client("Jens Hansen", password="p12-doctor")
    protect(reference, AuthSwitches("client_certificate", client_names=("Jens Hansen",)))
    context = server_tls_context(server.certificate, server.key, client_ca=ca.pem)
    with TlsListener(reference.app, context) as listener:
        url = listener.url()
        CredentialStore().set(url, SecretKind.CERTIFICATE_PASSWORD, "p12-doctor", account=str(jens.pkcs12))
        settings = settings_from(service__url=url, tls__ca_bundle=str(ca.pem), auth__mode="client_certificate",
                                 tls__client_certificate=str(jens.pkcs12))
        report = run_doctor(settings, connect=lambda s: OioService(url, s))
    assert _statuses(report) == {"settings": OK, "system": OK, "keyring": OK, "proxy": OK, "dns": OK, "tls": OK,
                                 "sign-in": OK, "read": OK, "write": SKIPPED}
    assert "p12-doctor" not in report.as_text()


def test_the_report_names_the_system_and_refuses_a_kind_caseclient_does_not_speak(reference, memory_keyring):
    from caseclient.backends.sbsys import SbsysService
    from caseclient.server import ReferenceService

    sbsys = ReferenceService(reference.data_dir.parent / "sbsys", dialect="sbsys")
    sbsys.seed_demo(3)
    url = sbsys.start()
    try:
        settings = settings_from(service__url=url, service__kind="sbsys")
        report = run_doctor(settings, connect=lambda s: SbsysService(url, s))
        system = next(c for c in report.checks if c.name == "system")
        assert (system.status, system.detail) == (OK, "SBSYS (service.kind = sbsys)")
        assert _statuses(report)["read"] == OK and report.ok
    finally:
        sbsys.stop()
    report = run_doctor(settings_from(service__url="https://esdh.example.dk/", service__kind="acme"))
    system = next(c for c in report.checks if c.name == "system")
    assert system.status == FAILED and "acme" in system.detail and "getorganized" in system.detail
    assert _statuses(report)["read"] == SKIPPED and not report.ok
