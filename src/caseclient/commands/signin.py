"""`caseclient signin`: put the secret the configured sign-in needs into the system keyring (asked
without echo), or sign in in the browser (OAuth2 authorisation code), and prove it with a read
call. A secret the service refuses is not kept. `--forget` removes caseclient's secrets for the
service."""

from __future__ import annotations

import argparse
import getpass
import webbrowser
from collections.abc import Callable

from ..backends.protocol import CaseQuery
from ..config import Settings
from ..connection import add_service_options
from ..credentials import CredentialStore, SecretKind
from ..domain import AuthError, InputError


def _needed(settings: Settings) -> tuple[SecretKind, str, str] | None:
    """(kind, account, what to ask for) of the secret the sign-in mode needs, if any."""
    mode = settings.text("auth.mode")
    user, client = settings.text("auth.username"), settings.text("auth.client_id")
    return {
        "token": (SecretKind.TOKEN, "", "API token"),
        "basic": (SecretKind.PASSWORD, user, f"password for {user}"),
        "ntlm": (SecretKind.PASSWORD, user, f"Windows password for {user}"),
        "oauth2_password": (SecretKind.PASSWORD, user, f"password for {user}"),
        "oauth2_client_credentials": (SecretKind.CLIENT_SECRET, client, f"client secret of {client}"),
        "oauth2_authorization_code": (SecretKind.REFRESH_TOKEN, client, ""),
    }.get(mode)


def sign_in(
    settings: Settings,
    *,
    ask_secret: Callable[[str], str],
    open_browser: Callable[[str], object],
    credentials: CredentialStore | None = None,
) -> str:
    """Store and check the sign-in; return one sentence saying what was done."""
    from ..connection import backend_for
    from ..net import build_session
    from ..net.auth import OAuth2Auth

    url = settings.text("service.url")
    if not url:
        return "The embedded reference service needs no sign-in."
    store = credentials or CredentialStore()
    needed = _needed(settings)
    previous = None
    if needed is not None:
        kind, account, what = needed
        previous = store.get(url, kind, account)
        if kind is SecretKind.REFRESH_TOKEN:
            store.delete(url, kind, account)  # sign in afresh in the browser
        else:
            secret = ask_secret(f"The {what} at {url}: ")
            if not secret:
                raise InputError(f"No {what} was given; nothing was stored.")
            store.set(url, kind, secret, account)
    try:
        session = build_session(settings, store, open_browser=open_browser)
        if isinstance(session.auth, OAuth2Auth):
            session.auth.access_token()
        backend_for(settings, session).search_cases(CaseQuery(limit=1))
    except AuthError:
        if needed is not None:
            kind, account, _ = needed
            if previous:
                store.set(url, kind, previous, account)
            else:
                store.delete(url, kind, account)
        raise
    mode = settings.text("auth.mode")
    return f"Signed in to {url} ({mode}); the service answered a case search."


def forget(settings: Settings, credentials: CredentialStore | None = None) -> str:
    url = settings.text("service.url")
    store = credentials or CredentialStore()
    user, client = settings.text("auth.username"), settings.text("auth.client_id")
    for kind, account in ((SecretKind.TOKEN, ""), (SecretKind.PASSWORD, user), (SecretKind.CLIENT_SECRET, client),
                          (SecretKind.REFRESH_TOKEN, client),
                          (SecretKind.CERTIFICATE_PASSWORD, settings.text("tls.client_certificate"))):
        store.delete(url, kind, account)
    return f"caseclient's secrets for {url or 'the embedded service'} are removed from the system keyring."


def add_parser(sub: argparse._SubParsersAction) -> None:
    signin = sub.add_parser("signin", help="store the sign-in for the document service in the system keyring")
    signin.add_argument("--forget", action="store_true", help="remove caseclient's stored secrets for the service")
    add_service_options(signin)


def run(args: argparse.Namespace) -> int:
    from ..connection import load_command_line_settings

    settings = load_command_line_settings(args.service, args.set)
    if args.forget:
        print(forget(settings))
    else:
        print(sign_in(settings, ask_secret=getpass.getpass, open_browser=webbrowser.open))
    return 0
