"""`caseclient signin`: secrets go to the keyring only when the service accepts them."""

from __future__ import annotations

import pytest
import requests
from memory_keyring import memory_keyring  # noqa: F401  (fixture)
from net_support import case_ids, reference, settings_from  # noqa: F401  (fixture)

from caseclient.commands.signin import forget, sign_in
from caseclient.credentials import CredentialStore, SecretKind
from caseclient.domain import AuthError, InputError
from caseclient.server.auth import AuthSwitches, protect

PASSWORD = "Vinter-2026-øst"


def _no_browser(url: str) -> None:
    raise AssertionError("no browser expected")


def test_basic_password_is_stored_once_the_service_accepts_it(reference, memory_keyring):
    protect(reference, AuthSwitches("basic", username="jens", password=PASSWORD))
    settings = settings_from(service__url=reference.url, auth__mode="basic", auth__username="jens")
    prompts: list[str] = []
    with pytest.raises(AuthError):
        sign_in(settings, ask_secret=lambda p: prompts.append(p) or "guessed-password-1", open_browser=_no_browser)
    assert CredentialStore().get(reference.url, SecretKind.PASSWORD, "jens") is None  # refused: not kept
    assert prompts == [f"The password for jens at {reference.url}: "]
    done = sign_in(settings, ask_secret=lambda p: PASSWORD, open_browser=_no_browser)
    assert done == f"Signed in to {reference.url} (basic); the service answered a case search."
    assert CredentialStore().get(reference.url, SecretKind.PASSWORD, "jens") == PASSWORD
    with pytest.raises(AuthError):  # a wrong one later leaves the good one in place
        sign_in(settings, ask_secret=lambda p: "wrong-password-2", open_browser=_no_browser)
    assert CredentialStore().get(reference.url, SecretKind.PASSWORD, "jens") == PASSWORD
    with pytest.raises(InputError, match="No password for jens was given; nothing was stored."):
        sign_in(settings, ask_secret=lambda p: "", open_browser=_no_browser)
    forget(settings)
    assert memory_keyring.secrets == {}


def test_browser_sign_in_stores_the_refresh_token(reference, memory_keyring):
    gate = protect(reference, AuthSwitches("oauth2", client_id="desk"))
    settings = settings_from(service__url=reference.url, auth__mode="oauth2_authorization_code",
                             auth__client_id="desk", auth__oidc_issuer=reference.url)
    sign_in(settings, ask_secret=lambda p: "", open_browser=lambda u: requests.get(u, timeout=10))
    assert CredentialStore().get(reference.url, SecretKind.REFRESH_TOKEN, "desk")
    assert gate.issuer.requests == ["authorization_code"]


def test_embedded_service_needs_no_sign_in(memory_keyring):
    assert sign_in(settings_from(), ask_secret=lambda p: "", open_browser=_no_browser) == (
        "The embedded reference service needs no sign-in.")


def test_the_password_grant_asks_for_the_users_password_and_keeps_it_once_accepted(tmp_path, memory_keyring):
    """`caseclient signin` with auth.mode = oauth2_password (SBSYS through SBSIP's Keycloak)."""
    from caseclient.server import ReferenceService
    from caseclient.server.sbsys import TOKEN_PATH, sbsys_simulator

    served = ReferenceService(tmp_path / "sbsys", dialect="sbsys")
    served.seed_demo(3)
    with served:
        sbsys_simulator(served).sign_in.enable(client_id="caseclient", client_secret="cs-signin-1",
                                              users={"jens": PASSWORD}, token_lifetime=600)
        CredentialStore().set(served.url, SecretKind.CLIENT_SECRET, "cs-signin-1", account="caseclient")
        settings = settings_from(service__url=served.url, service__kind="sbsys", auth__mode="oauth2_password",
                                 auth__username="jens", auth__client_id="caseclient",
                                 auth__token_url=served.url + TOKEN_PATH)
        prompts: list[str] = []
        with pytest.raises(AuthError):
            sign_in(settings, ask_secret=lambda p: prompts.append(p) or "guessed-password-1", open_browser=_no_browser)
        assert prompts == [f"The password for jens at {served.url}: "]
        assert CredentialStore().get(served.url, SecretKind.PASSWORD, "jens") is None
        done = sign_in(settings, ask_secret=lambda p: PASSWORD, open_browser=_no_browser)
        assert done == f"Signed in to {served.url} (oauth2_password); the service answered a case search."
        assert CredentialStore().get(served.url, SecretKind.PASSWORD, "jens") == PASSWORD
