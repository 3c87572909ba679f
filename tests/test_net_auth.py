"""Each sign-in mode against the reference service with its matching test switch."""

from __future__ import annotations

import threading

import pytest
import requests
from memory_keyring import memory_keyring  # noqa: F401  (fixture)
from net_support import FakeKerberosFactory, case_ids, reference, settings_from  # noqa: F401  (fixture)

from caseclient.credentials import CredentialStore, SecretKind
from caseclient.domain import AuthError, CaseclientError
from caseclient.net import MissingSecret, build_session
from caseclient.net.auth import EXPIRY_MARGIN
from caseclient.redaction import redact
from caseclient.server.auth import AuthSwitches, protect

TOKEN = "tok-5b1d6f0e-aa71-4c3a"
PASSWORD = "Sommer-2026-blå"
CLIENT_SECRET = "cs-8a7d2e1f9b"


@pytest.fixture
def expected(reference) -> list[str]:
    """What an unguarded search finds, before any gate is put up."""
    ids = case_ids(reference.url)
    assert ids
    return ids


def _refused(url: str, session: requests.Session) -> CaseclientError:
    with pytest.raises(AuthError) as err:
        case_ids(url, session)
    return err.value


def test_bearer_token(reference, expected, memory_keyring):
    gate = protect(reference, AuthSwitches("token", token=TOKEN))
    settings = settings_from(service__url=reference.url, auth__mode="token")
    with pytest.raises(MissingSecret) as missing:
        build_session(settings)
    assert missing.value.message == f"Sign-in to {reference.url} needs an API token, and the system keyring holds none."
    store = CredentialStore()
    store.set(reference.url, SecretKind.TOKEN, "tok-wrong-000")
    error = _refused(reference.url, build_session(settings))
    assert error.status == 401 and "tok-wrong-000" not in error.message
    store.set(reference.url, SecretKind.TOKEN, TOKEN)
    assert case_ids(reference.url, build_session(settings)) == expected
    assert gate.seen[-1] == ("accepted", "token")
    assert _refused(reference.url, requests.Session()).status == 401  # no sign-in, no cases


def test_basic(reference, expected, memory_keyring):
    gate = protect(reference, AuthSwitches("basic", username="jens", password=PASSWORD))
    settings = settings_from(service__url=reference.url, auth__mode="basic", auth__username="jens")
    with pytest.raises(MissingSecret) as missing:
        build_session(settings)
    assert (missing.value.kind, missing.value.account) == (SecretKind.PASSWORD, "jens")
    CredentialStore().set(reference.url, SecretKind.PASSWORD, "not-" + PASSWORD, account="jens")
    assert PASSWORD not in _refused(reference.url, build_session(settings)).message
    CredentialStore().set(reference.url, SecretKind.PASSWORD, PASSWORD, account="jens")
    assert case_ids(reference.url, build_session(settings)) == expected
    assert gate.seen[-1] == ("accepted", "basic")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _oauth(reference, **extra: str):
    gate = protect(reference, AuthSwitches("oauth2", client_id="caseclient-svc", client_secret=CLIENT_SECRET,
                                           token_lifetime=600))
    CredentialStore().set(reference.url, SecretKind.CLIENT_SECRET, CLIENT_SECRET, account="caseclient-svc")
    settings = settings_from(service__url=reference.url, auth__mode="oauth2_client_credentials",
                             auth__client_id="caseclient-svc", **extra)
    return gate, settings


def test_oauth2_client_credentials_with_a_local_token_endpoint(reference, expected, memory_keyring):
    gate, settings = _oauth(reference, auth__token_url=reference.url + "/oauth2/token", auth__scope="oio")
    clock = Clock()
    session = build_session(settings, clock=clock)
    assert case_ids(reference.url, session) == expected
    assert gate.issuer.requests == ["client_credentials"]  # one token for all the search's requests
    clock.now += 600 - EXPIRY_MARGIN  # shortly before it expires, it is renewed
    assert case_ids(reference.url, session) == expected
    assert gate.issuer.requests == ["client_credentials"] * 2
    gate.issuer.revoke_all()  # revoked early: the 401 fetches a new token and the request is repeated
    assert case_ids(reference.url, session) == expected
    assert gate.issuer.requests == ["client_credentials"] * 3
    assert ("refused", "oauth2") in gate.seen


def test_oauth2_endpoints_by_oidc_discovery(reference, expected, memory_keyring):
    gate, settings = _oauth(reference, auth__oidc_issuer=reference.url)
    assert case_ids(reference.url, build_session(settings)) == expected
    assert gate.issuer.requests == ["client_credentials"]


def test_oauth2_wrong_client_secret(reference, memory_keyring):
    _gate, settings = _oauth(reference, auth__token_url=reference.url + "/oauth2/token")
    CredentialStore().set(reference.url, SecretKind.CLIENT_SECRET, "cs-guessed-1", account="caseclient-svc")
    with pytest.raises(AuthError) as err:
        case_ids(reference.url, build_session(settings))
    host = reference.url.split("//")[1]
    assert err.value.message == f"The sign-in service at {host} refused the sign-in (invalid_client)."


def _browser(log: list[str]):
    """The system browser stand-in: follows the authorisation page's redirect to the listener."""

    def open_browser(url: str) -> None:
        log.append(url)
        requests.get(url, timeout=10)

    return open_browser


def test_oauth2_authorization_code_with_pkce_in_the_browser(reference, expected, memory_keyring):
    gate = protect(reference, AuthSwitches("oauth2", client_id="caseclient-desktop"))
    settings = settings_from(service__url=reference.url, auth__mode="oauth2_authorization_code",
                             auth__client_id="caseclient-desktop", auth__oidc_issuer=reference.url)
    with pytest.raises(AuthError, match="Sign-in in the browser is needed first."):
        case_ids(reference.url, build_session(settings))  # no refresh token, no browser allowed
    opened: list[str] = []
    assert case_ids(reference.url, build_session(settings, open_browser=_browser(opened))) == expected
    assert len(opened) == 1 and "code_challenge_method=S256" in opened[0]
    assert "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in opened[0]
    assert gate.issuer.requests == ["authorization_code"]
    refresh = CredentialStore().get(reference.url, SecretKind.REFRESH_TOKEN, "caseclient-desktop")
    assert refresh and refresh.startswith("rt-") and redact(f"got {refresh}") == "got [redacted]"
    # the next start signs in with the stored refresh token, no browser
    assert case_ids(reference.url, build_session(settings)) == expected
    assert gate.issuer.requests == ["authorization_code", "refresh_token"]


def test_browser_sign_in_refused_or_forged(reference, memory_keyring):
    protect(reference, AuthSwitches("oauth2", client_id="caseclient-desktop"))
    settings = settings_from(service__url=reference.url, auth__mode="oauth2_authorization_code",
                             auth__client_id="caseclient-desktop", auth__oidc_issuer=reference.url)

    def forged(url: str) -> None:  # another page's redirect arrives at the listener
        redirect = requests.utils.unquote(url.split("redirect_uri=")[1].split("&")[0])
        threading.Thread(target=requests.get, args=(redirect + "?code=stolen&state=other",),
                         kwargs={"timeout": 10}).start()

    with pytest.raises(AuthError, match=r"state mismatch"):
        case_ids(reference.url, build_session(settings, open_browser=forged))


def test_negotiate_header_flow_with_a_fake_kerberos(reference, expected):
    gate = protect(reference, AuthSwitches("negotiate"))
    kerberos = FakeKerberosFactory()
    settings = settings_from(service__url=reference.url, auth__mode="negotiate")
    assert case_ids(reference.url, build_session(settings, negotiate_context=kerberos)) == expected
    assert kerberos.contexts and all(c.host == "127.0.0.1" and c.complete for c in kerberos.contexts)
    assert all(len(c.steps) == 2 and c.steps[0] is None for c in kerberos.contexts)  # token out, reply in
    assert set(gate.seen) == {("accepted", "negotiate")}
    assert len(gate.seen) == len(kerberos.contexts)  # one token per request, never a second try


def test_negotiate_refused_ticket_and_failed_mutual_authentication(reference):
    protect(reference, AuthSwitches("negotiate"))
    settings = settings_from(service__url=reference.url, auth__mode="negotiate")
    bad_ticket = build_session(settings, negotiate_context=FakeKerberosFactory(ticket=b"someone-else"))
    assert _refused(reference.url, bad_ticket).status == 401
    impostor = build_session(settings, negotiate_context=FakeKerberosFactory(reply=b"the-real-server"))
    with pytest.raises(AuthError, match=r"Kerberos mutual authentication failed"):
        case_ids(reference.url, impostor)


def test_negotiate_without_the_kerberos_extra_is_one_sentence(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_spnego(name, *args, **kwargs):
        if name == "spnego":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_spnego)
    with pytest.raises(AuthError) as err:
        build_session(settings_from(auth__mode="negotiate"))
    assert err.value.message == ("Kerberos sign-in needs caseclient's optional 'kerberos' part (pyspnego), "
                                 "which is not installed.")


def test_real_kerberos_client_without_a_ticket_is_one_sentence(reference, monkeypatch, tmp_path):
    """pyspnego itself, on a machine with no Kerberos sign-in: refused before anything is sent."""
    monkeypatch.setenv("KRB5CCNAME", f"FILE:{tmp_path / 'no-ticket-cache'}")
    gate = protect(reference, AuthSwitches("negotiate"))
    session = build_session(settings_from(service__url=reference.url, auth__mode="negotiate"))
    with pytest.raises(AuthError) as err:
        case_ids(reference.url, session)
    assert err.value.message.startswith("Kerberos sign-in to 127.0.0.1 failed: no valid Windows/Kerberos sign-in (")
    assert gate.seen == []
