"""Test-only sign-in switches for the reference service, kept outside the OIO application.

`AuthGate` is a WSGI middleware in front of the app (like the fault injector) that demands one
sign-in mode: a bearer token, basic, OAuth2 access tokens from its own tiny token endpoint
(client credentials, and authorisation code with PKCE with an authorisation page that approves at
once), a fake Kerberos/Negotiate exchange, or a client certificate (checked on the TLS socket).
`TlsListener` serves any WSGI app over real TLS on loopback, optionally demanding client
certificates from a given CA. `protect(service, gate)` puts a gate in front of a ReferenceService.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

MODES = ("token", "basic", "oauth2", "negotiate", "client_certificate")
FAKE_KERBEROS_TICKET = b"fake-kerberos-ap-req"
FAKE_KERBEROS_REPLY = b"fake-kerberos-ap-rep"
OAUTH_PREFIX = "/oauth2"


@dataclass
class AuthSwitches:
    """What the gate demands. Only the fields of the chosen mode matter."""

    mode: str
    token: str = ""  # token
    username: str = ""  # basic
    password: str = ""  # basic
    client_id: str = ""  # oauth2 (both grants)
    client_secret: str = ""  # oauth2 client credentials
    token_lifetime: int = 300  # oauth2: expires_in of issued access tokens
    client_names: tuple[str, ...] = ()  # client_certificate: accepted subject common names

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown sign-in mode {self.mode!r} (use {', '.join(MODES)})")


@dataclass
class _Grant:
    challenge: str
    redirect_uri: str


@dataclass
class OAuth2Issuer:
    """A tiny OAuth2/OIDC provider for tests: tokens are random strings kept in memory."""

    switches: AuthSwitches
    base_url: str = ""  # set by the gate from the first request's host
    access_tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (time.monotonic)
    refresh_tokens: set[str] = field(default_factory=set)
    grants: dict[str, _Grant] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)  # grant types asked for, in order
    lock: threading.Lock = field(default_factory=threading.Lock)

    def revoke_all(self) -> None:
        with self.lock:
            self.access_tokens.clear()

    def valid(self, token: str) -> bool:
        with self.lock:
            expiry = self.access_tokens.get(token)
        return expiry is not None and expiry > time.monotonic()

    def _issue(self, with_refresh: bool) -> dict[str, Any]:
        access = "at-" + secrets.token_urlsafe(24)
        body: dict[str, Any] = {"access_token": access, "token_type": "Bearer",
                                "expires_in": self.switches.token_lifetime}
        with self.lock:
            self.access_tokens[access] = time.monotonic() + self.switches.token_lifetime
            if with_refresh:
                refresh = "rt-" + secrets.token_urlsafe(24)
                self.refresh_tokens.add(refresh)
                body["refresh_token"] = refresh
        return body

    def handle(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/.well-known/openid-configuration":
            return _json(start_response, 200, {
                "issuer": self.base_url,
                "token_endpoint": self.base_url + OAUTH_PREFIX + "/token",
                "authorization_endpoint": self.base_url + OAUTH_PREFIX + "/authorize",
                "code_challenge_methods_supported": ["S256"],
            })
        if path == OAUTH_PREFIX + "/authorize" and environ["REQUEST_METHOD"] == "GET":
            return self._authorize(environ, start_response)
        if path == OAUTH_PREFIX + "/token" and environ["REQUEST_METHOD"] == "POST":
            return self._token(environ, start_response)
        return _json(start_response, 404, {"message": "Not found"})

    def _authorize(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        q = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        redirect = q.get("redirect_uri", "")
        target = urlsplit(redirect)
        if q.get("client_id") != self.switches.client_id or target.scheme != "http" \
                or target.hostname != "127.0.0.1":
            return _json(start_response, 400, {"error": "invalid_request"})
        if q.get("response_type") != "code" or q.get("code_challenge_method") != "S256" \
                or not q.get("code_challenge"):
            answer = {"error": "invalid_request", "state": q.get("state", "")}
        else:
            code = "code-" + secrets.token_urlsafe(16)
            with self.lock:
                self.grants[code] = _Grant(q["code_challenge"], redirect)
            answer = {"code": code, "state": q.get("state", "")}
        start_response("302 Found", [("Location", redirect + "?" + urlencode(answer)), ("Content-Length", "0")])
        return [b""]

    def _token(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
        grant = form.get("grant_type", "")
        self.requests.append(grant)
        s = self.switches
        if grant == "client_credentials":
            if _basic_credentials(environ) != (s.client_id, s.client_secret):
                return _json(start_response, 401, {"error": "invalid_client"})
            return _json(start_response, 200, self._issue(with_refresh=False))
        if grant == "authorization_code":
            with self.lock:
                pending = self.grants.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if pending is None or form.get("client_id") != s.client_id or pending.challenge != challenge \
                    or pending.redirect_uri != form.get("redirect_uri"):
                return _json(start_response, 400, {"error": "invalid_grant"})
            return _json(start_response, 200, self._issue(with_refresh=True))
        if grant == "refresh_token":
            with self.lock:
                known = form.get("refresh_token") in self.refresh_tokens
            if not known or form.get("client_id") != s.client_id:
                return _json(start_response, 400, {"error": "invalid_grant"})
            return _json(start_response, 200, self._issue(with_refresh=False))
        return _json(start_response, 400, {"error": "unsupported_grant_type"})


def _json(start_response: Callable[..., Any], status: int, body: dict[str, Any],
          headers: list[tuple[str, str]] | None = None) -> Iterable[bytes]:
    data = json.dumps(body).encode()
    reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found"}[status]
    start_response(f"{status} {reason}", [("Content-Type", "application/json"),
                                          ("Content-Length", str(len(data))), *(headers or [])])
    return [data]


def _basic_credentials(environ: dict[str, Any]) -> tuple[str, str] | None:
    header = environ.get("HTTP_AUTHORIZATION", "")
    if not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return user, password


class AuthGate:
    """WSGI middleware: the OAuth2 endpoints under /oauth2 (and OIDC discovery), and every other
    request only with the sign-in `switches.mode` demands. `seen` records what arrived, in order:
    ("missing" | "accepted" | "refused", mode)."""

    def __init__(self, app: WsgiApp, switches: AuthSwitches) -> None:
        self.app = app
        self.switches = switches
        self.issuer = OAuth2Issuer(switches)
        self.seen: list[tuple[str, str]] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if self.switches.mode == "oauth2" and (path.startswith(OAUTH_PREFIX + "/")
                                               or path == "/.well-known/openid-configuration"):
            if not self.issuer.base_url:
                self.issuer.base_url = f"{environ['wsgi.url_scheme']}://{environ['HTTP_HOST']}"
            return self.issuer.handle(environ, start_response)
        verdict, extra = self._check(environ)
        self.seen.append((verdict, self.switches.mode))
        if verdict != "accepted":
            challenge = {"token": "Bearer", "oauth2": "Bearer", "basic": 'Basic realm="caseclient"',
                         "negotiate": "Negotiate", "client_certificate": "Certificate"}[self.switches.mode]
            return _json(start_response, 401, {"message": "Unauthorized"}, [("WWW-Authenticate", challenge)])
        if not extra:
            return self.app(environ, start_response)

        def add_headers(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, [*headers, *extra], exc_info)

        return self.app(environ, add_headers)

    def _check(self, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
        s = self.switches
        header = environ.get("HTTP_AUTHORIZATION", "")
        if s.mode == "client_certificate":
            sock = environ.get("werkzeug.socket")
            peer = sock.getpeercert() if isinstance(sock, ssl.SSLSocket) else None
            names = {v for rdn in (peer or {}).get("subject", ()) for k, v in rdn if k == "commonName"}
            return ("accepted" if names & set(s.client_names) else "refused"), []
        if not header:
            return "missing", []
        if s.mode == "token":
            return ("accepted" if header == f"Bearer {s.token}" else "refused"), []
        if s.mode == "basic":
            return ("accepted" if _basic_credentials(environ) == (s.username, s.password) else "refused"), []
        if s.mode == "oauth2":
            ok = header.startswith("Bearer ") and self.issuer.valid(header[7:])
            return ("accepted" if ok else "refused"), []
        # negotiate: the client's token must be the fake ticket; the reply proves the server
        ok = header == "Negotiate " + base64.b64encode(FAKE_KERBEROS_TICKET).decode()
        reply = [("WWW-Authenticate", "Negotiate " + base64.b64encode(FAKE_KERBEROS_REPLY).decode())]
        return ("accepted", reply) if ok else ("refused", [])


def protect(service: Any, switches: AuthSwitches) -> AuthGate:
    """Put a gate in front of a ReferenceService's app (its fault injector stays behind it)."""
    gate = AuthGate(service.app.wsgi_app, switches)
    service.app.wsgi_app = gate
    return gate


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def server_tls_context(certificate: Path, key: Path, client_ca: Path | None = None) -> ssl.SSLContext:
    """A server context; with `client_ca`, clients must present a certificate that CA issued."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(certificate, key)
    if client_ca is not None:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(cafile=client_ca)
    return ctx


class TlsListener:
    """Serve a WSGI app over TLS on 127.0.0.1 at a free port, from a daemon thread."""

    def __init__(self, app: WsgiApp, ssl_context: ssl.SSLContext, host: str = "127.0.0.1") -> None:
        self._server: BaseWSGIServer = make_server(host, 0, app, threaded=True, ssl_context=ssl_context,
                                                   request_handler=_QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="tls-listener", daemon=True)
        self._thread.start()

    def url(self, host: str = "127.0.0.1") -> str:
        return f"https://{host}:{self._server.server_port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()
        self._server.server_close()

    def __enter__(self) -> "TlsListener":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
