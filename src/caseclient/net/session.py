"""The one `requests.Session` factory: TLS verification that cannot be turned off, the OS trust
store plus an optional extra CA bundle, a client certificate, proxies from the system or the
settings, a timeout on every request, and the sign-in the settings ask for.

The session goes to the backend (`OioService(url, session=...)`) and to nothing else.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from requests.auth import AuthBase, HTTPBasicAuth

from .. import __version__
from ..config import Settings
from ..config.schema import is_loopback
from ..credentials import CredentialStore, KeyringError, SecretKind
from ..domain import AuthError, Transient
from .auth import BearerAuth, ClientCredentialsAuth, ContextFactory, NegotiateAuth, TokenEndpoint, spnego_context_factory
from .auth import NtlmAuth, PasswordGrantAuth
from .browser_signin import AuthorizationCodeAuth
from .tls import make_ssl_context


class MissingSecret(AuthError):
    """The keyring holds no secret the sign-in needs; the GUI asks for it and stores it."""

    code = "missing_secret"

    def __init__(self, message: str, *, kind: SecretKind, account: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.account = account


class TrustedAdapter(HTTPAdapter):
    """Every connection through one SSLContext (verification required); a default timeout."""

    def __init__(self, ssl_context: ssl.SSLContext, timeout: tuple[float, float]) -> None:
        self._ssl_context = ssl_context
        self._timeout = timeout
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._ssl_context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs["ssl_context"] = self._ssl_context
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def build_connection_pool_key_attributes(self, request: requests.PreparedRequest, verify: Any,
                                             cert: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
        host_params, _ = super().build_connection_pool_key_attributes(request, True, None)
        return host_params, {"ssl_context": self._ssl_context, "cert_reqs": "CERT_REQUIRED"}

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        """Trust comes from the SSLContext alone (not certifi, not REQUESTS_CA_BUNDLE)."""

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None,
             verify: Any = True, cert: Any = None, proxies: Any = None) -> requests.Response:
        if verify is False:
            raise ValueError("TLS certificate verification cannot be turned off in caseclient")
        return super().send(request, stream=stream, timeout=timeout or self._timeout, verify=True,
                            cert=None, proxies=proxies)


def plain_session(settings: Settings, ssl_context: ssl.SSLContext) -> requests.Session:
    """A session with TLS, proxies and timeouts from the settings, and no sign-in."""
    session = requests.Session()
    session.headers["User-Agent"] = f"caseclient/{__version__} {session.headers['User-Agent']}"
    timeout = (settings.number("network.connect_timeout"), settings.number("network.read_timeout"))
    adapter = TrustedAdapter(ssl_context, timeout)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    proxy = settings.text("network.proxy")
    if proxy == "none":
        session.trust_env = False
    elif proxy != "system":
        session.trust_env = False
        session.proxies = {"http": proxy, "https": proxy}
        if no_proxy := settings.text("network.no_proxy"):
            session.proxies["no_proxy"] = no_proxy
    return session


def build_session(
    settings: Settings,
    credentials: CredentialStore | None = None,
    *,
    open_browser: Callable[[str], object] | None = None,
    negotiate_context: ContextFactory | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> requests.Session:
    """The document service's session as the settings describe it.

    Secrets come from `credentials` (default: the system keyring, refused if it is plaintext).
    `open_browser` allows the OAuth2 browser sign-in (the GUI passes webbrowser.open; the CLI
    passes it only when asked to sign in). Raises MissingSecret, KeyringError, CertificateError.
    """
    store = _Secrets(settings, credentials)
    ctx = make_ssl_context(
        ca_bundle=settings.text("tls.ca_bundle"),
        client_certificate=settings.text("tls.client_certificate"),
        client_key=settings.text("tls.client_key"),
        certificate_password=store.certificate_password(),
    )
    session = plain_session(settings, ctx)
    session.auth = _auth(settings, store, lambda: plain_session(settings, ctx), open_browser, negotiate_context, clock)
    return session


class _Secrets:
    def __init__(self, settings: Settings, credentials: CredentialStore | None) -> None:
        self.settings = settings
        self.url = settings.text("service.url")
        self._store = credentials

    def store(self) -> CredentialStore:
        if self._store is None:
            self._store = CredentialStore()
        return self._store

    def get(self, kind: SecretKind, account: str = "") -> str | None:
        return self.store().get(self.url, kind, account)

    def need(self, kind: SecretKind, account: str, what: str) -> str:
        value = self.get(kind, account)
        if not value:
            where = self.url or "the embedded service"
            raise MissingSecret(f"Sign-in to {where} needs {what}, and the system keyring holds none.",
                                kind=kind, account=account)
        return value

    def certificate_password(self) -> str | None:
        certificate = self.settings.text("tls.client_certificate")
        if not certificate:
            return None
        try:
            return self.get(SecretKind.CERTIFICATE_PASSWORD, certificate)
        except KeyringError:
            return None  # an unprotected certificate needs no keyring


def _auth(settings: Settings, secrets: _Secrets, token_session: Callable[[], requests.Session],
          open_browser: Callable[[str], object] | None, negotiate_context: ContextFactory | None,
          clock: Callable[[], float]) -> AuthBase | None:
    mode = settings.text("auth.mode")
    if mode in ("none", "client_certificate"):
        return None
    if mode == "token":
        return BearerAuth(secrets.need(SecretKind.TOKEN, "", "an API token"))
    if mode == "basic":
        user = settings.text("auth.username")
        password = secrets.need(SecretKind.PASSWORD, user, f"the password of {user}")
        return HTTPBasicAuth(user.encode(), password.encode())  # UTF-8 (RFC 7617), so æøå work
    if mode == "ntlm":  # GetOrganized and other IIS services with an AD account
        user = settings.text("auth.username")
        if not user:
            raise AuthError("Windows (NTLM) sign-in needs a user name (auth.username, as DOMAIN\\user or user@domain).")
        return NtlmAuth(user, secrets.need(SecretKind.PASSWORD, user, f"the password of {user}"))
    if mode == "negotiate":
        return NegotiateAuth(negotiate_context or spnego_context_factory(settings.text("auth.negotiate_service")))
    client_id = settings.text("auth.client_id")
    session = token_session()
    oidc = _Discovery(settings.text("auth.oidc_issuer"), session)
    token_url = settings.text("auth.token_url") or (lambda: oidc.endpoint("token_endpoint"))
    if not settings.text("auth.token_url") and not settings.text("auth.oidc_issuer") \
            and settings.text("service.kind") == "f2":  # F2 names its token endpoint in its service index
        token_url = lambda: _f2_token_url(settings.text("service.url"), session)  # noqa: E731
    if mode == "oauth2_client_credentials":
        secret = secrets.need(SecretKind.CLIENT_SECRET, client_id, f"the client secret of {client_id}")
        endpoint = TokenEndpoint(token_url, client_id, secret, session, clock=clock)
        return ClientCredentialsAuth(endpoint, settings.text("auth.scope"))
    if mode == "oauth2_password":  # SBSYS through SBSIP's Keycloak
        user = settings.text("auth.username")
        password = secrets.need(SecretKind.PASSWORD, user, f"the password of {user}")
        secret = secrets.get(SecretKind.CLIENT_SECRET, client_id)  # a public client has none
        endpoint = TokenEndpoint(token_url, client_id, secret, session, clock=clock)
        return PasswordGrantAuth(endpoint, user, password, settings.text("auth.scope"))
    assert mode == "oauth2_authorization_code", mode
    endpoint = TokenEndpoint(token_url, client_id, None, session, clock=clock)
    return AuthorizationCodeAuth(
        endpoint,
        settings.text("auth.authorization_url") or (lambda: oidc.endpoint("authorization_endpoint")),
        settings.text("auth.scope") or "openid offline_access",
        refresh_token=secrets.get(SecretKind.REFRESH_TOKEN, client_id),
        save_refresh_token=lambda t: secrets.store().set(secrets.url, SecretKind.REFRESH_TOKEN, t, client_id),
        open_browser=open_browser,
        timeout=settings.number("auth.sign_in_timeout"),
    )


def _f2_token_url(service_url: str, session: requests.Session) -> str:
    from ..backends.f2 import oauth2_token_url

    url = oauth2_token_url(service_url, session)
    if not _secure_address(url):
        raise AuthError("F2's service index names a token endpoint that is not https; no password is sent there.")
    return url


def _secure_address(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and is_loopback(parts.hostname))


class _Discovery:
    """An OpenID Connect issuer's endpoints, read once from its discovery document."""

    def __init__(self, issuer: str, session: requests.Session) -> None:
        self.issuer = issuer.rstrip("/")
        self.session = session
        self._document: dict[str, Any] | None = None

    def endpoint(self, name: str) -> str:
        if self._document is None:
            url = self.issuer + "/.well-known/openid-configuration"
            try:
                response = self.session.get(url)
                response.raise_for_status()
                document = response.json()
            except (requests.RequestException, ValueError) as exc:
                raise Transient(f"The sign-in service {self.issuer} could not be asked for its "
                                f"endpoints ({type(exc).__name__}).") from None
            self._document = document if isinstance(document, dict) else {}
        value = self._document.get(name)
        if not isinstance(value, str) or not _secure_address(value):
            raise AuthError(f"The sign-in service {self.issuer} names no https {name.replace('_', ' ')}.")
        return value
