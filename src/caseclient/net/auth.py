"""Sign-in on each request: bearer/API token, OAuth2 (client credentials, or a browser sign-in's
tokens) and Kerberos/Negotiate. Basic sign-in is requests' own HTTPBasicAuth.

Tokens are fetched when first needed, cached until shortly before they expire, remembered by the
redaction filter, and never put in an error message.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase
from requests.utils import rewind_body

from ..domain import AuthError, Transient
from ..redaction import remember_secret

EXPIRY_MARGIN = 30.0  # seconds before expiry a token is renewed
_ERROR_CODE = re.compile(r"^[a-z_]{1,40}$")


class BearerAuth(AuthBase):
    """A fixed API token."""

    def __init__(self, token: str) -> None:
        remember_secret(token)
        self._token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self._token}"
        return r

    def __repr__(self) -> str:
        return "BearerAuth(token=[redacted])"


@dataclass(frozen=True, slots=True)
class Token:
    access_token: str
    expires_at: float  # on the auth's clock
    refresh_token: str | None = None


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


class TokenEndpoint:
    """An OAuth2 token endpoint, reached over a session without sign-in (same TLS and proxies).

    `url` may be a callable that finds it (OIDC discovery) the first time it is needed.
    """

    def __init__(
        self,
        url: str | Callable[[], str],
        client_id: str,
        client_secret: str | None,
        session: requests.Session,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self.client_id = client_id
        self._client_secret = client_secret
        self.session = session
        self.clock = clock
        remember_secret(client_secret)

    @property
    def url(self) -> str:
        if callable(self._url):
            self._url = self._url()
        return self._url

    def request(self, form: dict[str, str]) -> Token:
        url = self.url
        form = {k: v for k, v in form.items() if v}
        auth = None
        if self._client_secret:
            auth = requests.auth.HTTPBasicAuth(self.client_id, self._client_secret)
        else:
            form["client_id"] = self.client_id
        try:
            response = self.session.post(url, data=form, auth=auth, headers={"Accept": "application/json"})
        except requests.RequestException as exc:
            raise Transient(f"The sign-in service at {_host(url)} could not be reached ({type(exc).__name__}).") from None
        try:
            body = response.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        if response.status_code >= 500:
            raise Transient(f"The sign-in service at {_host(url)} failed (HTTP {response.status_code}).",
                            status=response.status_code)
        if response.status_code != 200 or not isinstance(body.get("access_token"), str):
            code = body.get("error")
            why = f" ({code})" if isinstance(code, str) and _ERROR_CODE.match(code) else ""
            raise AuthError(f"The sign-in service at {_host(url)} refused the sign-in{why}.",
                            status=response.status_code)
        access = body["access_token"]
        refresh = body.get("refresh_token") if isinstance(body.get("refresh_token"), str) else None
        remember_secret(access)
        remember_secret(refresh)
        try:
            lifetime = float(body.get("expires_in", 300))
        except (TypeError, ValueError):
            lifetime = 300.0
        return Token(access, self.clock() + lifetime, refresh)


def _resend(response: requests.Response, prepare: Callable[[requests.PreparedRequest], None],
            **kwargs: Any) -> requests.Response | None:
    """Send the response's request again after `prepare`, when its body can be sent again."""
    request = response.request.copy()
    if getattr(request, "_body_position", None) is not None:
        try:
            rewind_body(request)
        except requests.exceptions.UnrewindableBodyError:
            return None
    elif hasattr(request.body, "read"):
        return None
    request.hooks = {"response": []}
    prepare(request)
    response.content  # noqa: B018  (release the connection)
    response.close()
    again = response.connection.send(request, **kwargs)
    again.history.append(response)
    again.request = request
    return again


class OAuth2Auth(AuthBase):
    """A cached access token as `Authorization: Bearer`; renewed shortly before it expires, and
    once more when the service answers 401 (revoked early)."""

    def __init__(self, endpoint: TokenEndpoint) -> None:
        self.endpoint = endpoint
        self._token: Token | None = None
        self._lock = threading.Lock()

    def fetch(self, previous: Token | None) -> Token:  # pragma: no cover - abstract
        raise NotImplementedError

    def access_token(self) -> str:
        with self._lock:
            if self._token is None or self._token.expires_at - EXPIRY_MARGIN <= self.endpoint.clock():
                self._token = self.fetch(self._token)
            return self._token.access_token

    def invalidate(self) -> None:
        with self._lock:
            if self._token is not None:
                self._token = Token("", 0.0, self._token.refresh_token)

    def _apply(self, r: requests.PreparedRequest) -> None:
        r.headers["Authorization"] = f"Bearer {self.access_token()}"

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        self._apply(r)
        r.register_hook("response", self._on_response)
        return r

    def _on_response(self, response: requests.Response, **kwargs: Any) -> requests.Response:
        if response.status_code != 401:
            return response
        self.invalidate()
        return _resend(response, self._apply, **kwargs) or response

    def __repr__(self) -> str:
        return f"{type(self).__name__}(client_id={self.endpoint.client_id!r})"


class ClientCredentialsAuth(OAuth2Auth):
    """OAuth2 client credentials (a service account): the client secret is in the keyring."""

    def __init__(self, endpoint: TokenEndpoint, scope: str = "") -> None:
        super().__init__(endpoint)
        self.scope = scope

    def fetch(self, previous: Token | None) -> Token:
        return self.endpoint.request({"grant_type": "client_credentials", "scope": self.scope})


class PasswordGrantAuth(OAuth2Auth):
    """OAuth2 resource-owner password grant (SBSYS through SBSIP's Keycloak): the user name from
    the settings; the user's password, and the client secret when the client has one, from the
    keyring. An expired or revoked token is replaced by a new grant, as SBSYS's own clients do."""

    def __init__(self, endpoint: TokenEndpoint, username: str, password: str, scope: str = "") -> None:
        super().__init__(endpoint)
        remember_secret(password)
        self.username = username
        self._password = password
        self.scope = scope

    def fetch(self, previous: Token | None) -> Token:
        return self.endpoint.request({"grant_type": "password", "username": self.username,
                                      "password": self._password, "scope": self.scope})

    def __repr__(self) -> str:
        return f"PasswordGrantAuth(client_id={self.endpoint.client_id!r}, username={self.username!r})"


class NegotiateContext(Protocol):
    """One SPNEGO security context (pyspnego's client has this shape)."""

    complete: bool

    def step(self, in_token: bytes | None = None) -> bytes | None: ...


ContextFactory = Callable[[str], NegotiateContext]
"""host name -> a fresh client context for `<service>@host`."""


def spnego_context_factory(service: str = "HTTP") -> ContextFactory:
    """The real Kerberos/Negotiate client: SSPI on Windows, GSSAPI elsewhere (pyspnego)."""
    try:
        import spnego  # type: ignore[import-not-found]
    except ImportError:
        raise AuthError(
            "Kerberos sign-in needs caseclient's optional 'kerberos' part (pyspnego), which is not installed."
        ) from None

    def factory(host: str) -> NegotiateContext:
        return spnego.client(hostname=host, service=service, protocol="negotiate")

    return factory


_NEGOTIATE = re.compile(r"(?i)\bNegotiate\s+([A-Za-z0-9+/=]+)")


class NegotiateAuth(AuthBase):
    """Kerberos single sign-on: a fresh SPNEGO token on every request (so a body is never sent
    twice), and the server's answer token checked (mutual authentication) when it sends one."""

    def __init__(self, context_factory: ContextFactory) -> None:
        self._factory = context_factory

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        host = urlsplit(r.url or "").hostname or ""
        try:
            context = self._factory(host)
            token = context.step(None)
        except AuthError:
            raise
        except Exception as exc:  # GSSAPI/SSPI failures: no ticket, no KDC, unknown SPN
            raise AuthError(
                f"Kerberos sign-in to {host} failed: no valid Windows/Kerberos sign-in ({type(exc).__name__})."
            ) from None
        if not token:
            raise AuthError(f"Kerberos sign-in to {host} produced no token.")
        r.headers["Authorization"] = "Negotiate " + base64.b64encode(token).decode("ascii")
        r._negotiate_context = context  # type: ignore[attr-defined]
        r.register_hook("response", self._on_response)
        return r

    def _on_response(self, response: requests.Response, **_kwargs: Any) -> requests.Response:
        context = getattr(response.request, "_negotiate_context", None)
        if context is None or response.status_code == 401:
            return response
        match = _NEGOTIATE.search(response.headers.get("WWW-Authenticate", ""))
        if match:
            try:
                context.step(base64.b64decode(match.group(1)))
                verified = context.complete
            except Exception:
                verified = False
            if not verified:
                response.close()
                raise AuthError(
                    f"The server {urlsplit(response.url).hostname} could not prove it is the document "
                    "service (Kerberos mutual authentication failed)."
                )
        return response

    def __repr__(self) -> str:
        return "NegotiateAuth()"


NtlmContextFactory = Callable[[str, str, str], NegotiateContext]
"""(user, password, host) -> a fresh NTLM client context."""


def ntlm_context(username: str, password: str, host: str) -> NegotiateContext:
    """pyspnego's own NTLM client (the same on every platform; no SSPI or GSSAPI needed)."""
    import spnego

    return spnego.client(username, password, hostname=host or "unspecified", service="HTTP",
                         protocol="ntlm", options=spnego.NegotiateOptions.use_ntlm)


_NTLM_CHALLENGE = re.compile(r"(?i)\b(?:NTLM|Negotiate)\s+([A-Za-z0-9+/=]+)")


class _ConnectionGate:
    """Lets one NTLM handshake at a time hold the session's connections: from its Type 1 leg
    until its final leg has a connection. A holder that never came back (its first leg failed
    before any answer) is passed over by its own thread's next request, or after `timeout`."""

    def __init__(self, timeout: float) -> None:
        self._timeout = timeout
        self._cond = threading.Condition()
        self._holder: tuple[int, object] | None = None

    def enter(self) -> object:
        token, me = object(), threading.get_ident()
        with self._cond:
            deadline = time.monotonic() + self._timeout
            while self._holder is not None and self._holder[0] != me:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(left)
            self._holder = (me, token)
        return token

    def leave(self, token: object) -> None:
        with self._cond:
            if self._holder is not None and self._holder[1] is token:
                self._holder = None
                self._cond.notify_all()


class _StartSignal:
    """A request body that calls `started` when it starts going out (its connection is taken)."""

    def __init__(self, body: Any, started: Callable[[], None]) -> None:
        self._body = b"" if body is None else body
        self._started = started

    def length(self) -> int | None:
        body = self._body
        if isinstance(body, str):
            return len(body.encode())
        try:
            return len(body)
        except TypeError:
            return None  # a generator: sent chunked

    def __iter__(self) -> Any:
        self._started()
        body = self._body
        if isinstance(body, (bytes, bytearray, str)):
            if body:
                yield body.encode() if isinstance(body, str) else bytes(body)
            return
        if hasattr(body, "read"):
            while block := body.read(1 << 20):
                yield block
            return
        yield from body


class NtlmAuth(AuthBase):
    """Windows NTLM sign-in with a user name (`DOMAIN\\\\user` or `user@domain`) and password:
    GetOrganized's usual sign-in with an AD service account.

    NTLM signs in a connection, not a request: Type 1, the server's 401 with its challenge, then
    Type 3 on the SAME connection. requests gives a connection back to its pool once a response
    is read, and the next request to that host takes the connection given back last (urllib3's
    pool is a LIFO queue), so the Type 3 leg sent right after the challenge was read goes out on
    the challenge's connection; a gate keeps this auth's other requests (other threads) from
    taking a connection in between. A request body goes out once: a request with a body does its
    Type 1 leg as a bodiless HEAD to the same address, and the body goes only with the Type 3 leg.
    Each request does its own handshake (two round trips); none is sent twice.
    """

    def __init__(self, username: str, password: str, *, context_factory: NtlmContextFactory | None = None,
                 gate_timeout: float = 60.0) -> None:
        # pyspnego logs every NTLM message at DEBUG; the Type 3 holds the NTLMv2 response, from
        # which a password can be guessed offline: it never goes into caseclient's log files.
        logging.getLogger("spnego").setLevel(max(logging.getLogger("spnego").level, logging.INFO))
        remember_secret(password)
        self.username = username
        self._password = password
        self._factory = context_factory or ntlm_context
        self._gate = _ConnectionGate(gate_timeout)

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        host = urlsplit(r.url or "").hostname or ""
        token = self._gate.enter()
        try:
            context = self._factory(self.username, self._password, host)
            negotiate = context.step(None)
        except Exception as exc:
            self._gate.leave(token)
            raise AuthError(f"Windows (NTLM) sign-in to {host} could not start ({type(exc).__name__}).") from None
        saved = None
        if r.body is not None and r.method not in ("GET", "HEAD", "DELETE", "OPTIONS"):
            saved = (r.method, r.body, {k: v for k, v in r.headers.items()})
            r.method, r.body = "HEAD", None
            for name in ("Content-Length", "Transfer-Encoding", "Content-Type"):
                r.headers.pop(name, None)
        r.headers["Authorization"] = "NTLM " + base64.b64encode(negotiate or b"").decode("ascii")
        r._ntlm = (context, saved, token)  # type: ignore[attr-defined]
        r.register_hook("response", self._on_response)
        return r

    def _on_response(self, response: requests.Response, **kwargs: Any) -> requests.Response:
        request = response.request
        context, saved, token = getattr(request, "_ntlm", (None, None, None))
        if context is None:
            return response
        request._ntlm = None  # type: ignore[attr-defined]
        host = urlsplit(request.url or "").hostname or ""
        try:
            found = _NTLM_CHALLENGE.search(response.headers.get("WWW-Authenticate", ""))
            if response.status_code != 401 or found is None:
                if saved is None or response.status_code == 401:
                    return response  # answered (no sign-in asked), or refused outright
                request.headers.pop("Authorization", None)  # the service asks no sign-in: send it once as is
                authorization = None
            else:
                try:
                    authenticate = context.step(base64.b64decode(found.group(1)))
                except Exception as exc:
                    raise AuthError(f"Windows (NTLM) sign-in to {host} failed ({type(exc).__name__}).") from None
                authorization = "NTLM " + base64.b64encode(authenticate or b"").decode("ascii")
            if saved is not None:
                request.method, body, headers = saved
                request.headers.clear()
                request.headers.update(headers)
            else:
                body = request.body
            if authorization:
                request.headers["Authorization"] = authorization
            signal = _StartSignal(body, lambda: self._gate.leave(token))
            request.body = signal  # type: ignore[assignment]
            size = signal.length()
            if size is None:
                request.headers.pop("Content-Length", None)
                request.headers["Transfer-Encoding"] = "chunked"
            else:
                request.headers["Content-Length"] = str(size)
                request.headers.pop("Transfer-Encoding", None)
            request.hooks = {"response": []}
            response.content  # noqa: B018  (read: the connection goes back to the pool, on top)
            response.close()
            final = response.connection.send(request, **kwargs)
        finally:
            self._gate.leave(token)
        final.history.append(response)
        final.request = request
        return final

    def __repr__(self) -> str:
        return f"NtlmAuth(username={self.username!r}, password=[redacted])"
