"""Sign-in, search and filing flows at DEBUG, with CPR numbers and secrets in play: afterwards no
log file holds a CPR number, a token or a password, and neither does any error message."""

from __future__ import annotations

import logging
from datetime import date

import pytest
import requests
from log_audit import log_files, scan_log_files
from memory_keyring import memory_keyring  # noqa: F401  (fixture)
from net_support import FakeKerberosFactory, case_ids, reference, settings_from  # noqa: F401  (fixture)

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery, MemoryResumeState
from caseclient.credentials import CredentialStore, SecretKind
from caseclient.domain import CaseclientError, Cpr, DocumentMetadata, Party, UploadSource
from caseclient.logging_setup import configure_logging
from caseclient.net import build_session
from caseclient.redaction import redact
from caseclient.server.auth import AuthSwitches, protect

CPR_PLAIN, CPR_HYPHEN = "2406841234", "170352-4321"
SECRETS = {"tok-audit-4f1e9a", "Audit-Pass-Ø9", "cs-audit-77b3"}


@pytest.fixture
def debug_logs(tmp_path):
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    folder = tmp_path / "logs"
    configure_logging("DEBUG", log_dir=folder, max_bytes=4_000, keep_files=50)
    logging.getLogger("urllib3").setLevel(logging.DEBUG)
    yield folder
    for h in list(root.handlers):
        if h not in saved_handlers:
            root.removeHandler(h)
            h.close()
    for h in saved_handlers:
        if h not in root.handlers:
            root.addHandler(h)
    root.setLevel(saved_level)


def _messages(errors: list[str], call) -> None:
    """Run a flow that may fail; keep the message a user would see."""
    try:
        call()
    except CaseclientError as exc:
        errors.append(exc.message)
        logging.getLogger("caseclient.test").exception("flow failed: %s", exc.message)


def test_flows_at_debug_leave_no_cpr_token_or_password_in_logs_or_messages(reference, tmp_path, debug_logs,
                                                                          memory_keyring):
    log = logging.getLogger("caseclient.test")
    errors: list[str] = []
    store = CredentialStore()
    token, password, client_secret = sorted(SECRETS)[2], sorted(SECRETS)[0], sorted(SECRETS)[1]
    url = reference.url

    # token: first a wrong one (401), then the right one; a search by CPR puts it in a URL
    gate = protect(reference, AuthSwitches("token", token=token))
    store.set(url, SecretKind.TOKEN, token + "-wrong")
    _messages(errors, lambda: case_ids(url, build_session(settings_from(service__url=url, auth__mode="token"))))
    store.set(url, SecretKind.TOKEN, token)
    service = OioService(url, build_session(settings_from(service__url=url, auth__mode="token")))
    service.search_cases(CaseQuery(text=CPR_PLAIN))
    service.search_cases(CaseQuery(party=Party(cpr=Cpr(CPR_HYPHEN))))
    _messages(errors, lambda: service.find_case_by_number(CPR_HYPHEN))
    case = service.search_cases(CaseQuery(limit=1))[0]
    letter = tmp_path / f"Brev om {CPR_PLAIN}.txt"
    letter.write_text(f"Vedr. CPR {CPR_HYPHEN}", encoding="utf-8")
    metadata = DocumentMetadata(title=f"Brev vedr. {CPR_HYPHEN}", document_date=date(2026, 11, 2),
                                parties=(Party(name="Borger", cpr=Cpr(CPR_PLAIN)),))
    service.upload_document(case.id, UploadSource.from_path(letter), metadata, idempotency_key="audit-1",
                            state=MemoryResumeState())
    log.debug("request headers %s", {"Authorization": f"Bearer {token}", "X-Party": CPR_PLAIN})

    # basic, wrong and right
    gate.switches = AuthSwitches("basic", username="jens", password=password)
    basic = settings_from(service__url=url, auth__mode="basic", auth__username="jens")
    store.set(url, SecretKind.PASSWORD, password[::-1], account="jens")
    _messages(errors, lambda: case_ids(url, build_session(basic)))
    store.set(url, SecretKind.PASSWORD, password, account="jens")
    case_ids(url, build_session(basic))

    # OAuth2 client credentials (wrong secret, then right), and a browser sign-in with PKCE
    gate.switches = AuthSwitches("oauth2", client_id="svc", client_secret=client_secret)
    gate.issuer.switches = gate.switches
    oauth = settings_from(service__url=url, auth__mode="oauth2_client_credentials", auth__client_id="svc",
                          auth__token_url=url + "/oauth2/token")
    store.set(url, SecretKind.CLIENT_SECRET, client_secret + "x", account="svc")
    _messages(errors, lambda: case_ids(url, build_session(oauth)))
    store.set(url, SecretKind.CLIENT_SECRET, client_secret, account="svc")
    case_ids(url, build_session(oauth))
    browser = settings_from(service__url=url, auth__mode="oauth2_authorization_code", auth__client_id="svc",
                            auth__oidc_issuer=url)
    case_ids(url, build_session(browser, open_browser=lambda u: requests.get(u, timeout=10)))

    # Negotiate, refused and accepted
    gate.switches = AuthSwitches("negotiate")
    negotiate = settings_from(service__url=url, auth__mode="negotiate")
    _messages(errors, lambda: case_ids(url, build_session(negotiate, negotiate_context=FakeKerberosFactory(
        ticket=b"wrong"))))
    case_ids(url, build_session(negotiate, negotiate_context=FakeKerberosFactory()))

    logging.shutdown()  # flush
    files = log_files(debug_logs)
    assert len(files) > 1  # enough went on at DEBUG to rotate
    written = "".join(p.read_text(encoding="utf-8") for p in files)
    assert "Authorization" in written and "010190" not in written
    assert "240684-xxxx" in written  # the CPR was there, masked
    issued = [t for t in gate.issuer.access_tokens] + list(gate.issuer.refresh_tokens)
    assert issued
    assert scan_log_files(files, SECRETS | set(issued)) == []
    assert len(errors) == 5
    for message in errors:
        assert redact(message) == message
        assert not any(s in message for s in SECRETS | {CPR_PLAIN, "1703524321", CPR_HYPHEN})


def test_the_scan_finds_what_slipped_through(tmp_path):
    from caseclient.redaction import remember_secret

    remember_secret("zz-leaked-secret-1")
    leaky = tmp_path / "leaky.txt"  # not a log file name: the session's own audit must not see it
    leaky.write_text(f"party {CPR_HYPHEN} token zz-leaked-secret-1\n", encoding="utf-8")
    clean = tmp_path / "caseclient.log"
    clean.write_text(redact(leaky.read_text(encoding="utf-8")), encoding="utf-8")
    assert log_files(tmp_path) == [clean]
    assert scan_log_files([clean, leaky]) == [
        f"{leaky}: 1 CPR number(s), e.g. 170352-xxxx",
        f"{leaky}: 1 secret(s) of the tests, e.g. one of 18 characters",
    ]
