"""Who may use the reference service when it listens beyond this machine (`caseclient serve
--token-file`): a WSGI gate in front of everything that lets through a request carrying the
service's token, as a bearer token or as the password of basic authentication (any user name),
and answers anything else 401 in LoRa's JSON shape. The token is compared in constant time."""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
import json
import secrets
import socket
from collections.abc import Callable, Iterable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

MIN_TOKEN_LENGTH = 16


def new_token() -> str:
    return secrets.token_urlsafe(32)


class TokenGate:
    def __init__(self, app: WsgiApp, token: str) -> None:
        if len(token) < MIN_TOKEN_LENGTH:
            raise ValueError(f"the service's token must be at least {MIN_TOKEN_LENGTH} characters long")
        self.app = app
        self._token = token.encode("utf-8")

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if self._allowed(environ.get("HTTP_AUTHORIZATION", "")):
            return self.app(environ, start_response)
        body = json.dumps({"message": "This service needs its token: send it as "
                                      "'Authorization: Bearer <token>'."}).encode()
        start_response("401 UNAUTHORIZED", [
            ("Content-Type", "application/json"), ("Content-Length", str(len(body))),
            ("WWW-Authenticate", 'Bearer realm="caseclient"'), ("Connection", "close")])
        return [body]

    def _allowed(self, header: str) -> bool:
        scheme, _, value = header.strip().partition(" ")
        value = value.strip()
        if scheme.lower() == "bearer":
            offered = value.encode("utf-8", "replace")
        elif scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(value, validate=True)
            except (binascii.Error, ValueError):
                return False
            offered = decoded.partition(b":")[2]
        else:
            return False
        return hmac.compare_digest(offered, self._token)


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        try:
            return all(ipaddress.ip_address(info[4][0]).is_loopback
                       for info in socket.getaddrinfo(host, None))
        except (OSError, ValueError):
            return False


def reachable_host(bound: str) -> str:
    """The host name to put in a URL for a server bound to `bound`: a wildcard address
    (0.0.0.0, ::) is not an address a client can use, so the machine's outward address is."""
    if bound not in ("0.0.0.0", "::", ""):
        return bound
    family = socket.AF_INET6 if bound == "::" else socket.AF_INET
    probe = "2001:db8::1" if family == socket.AF_INET6 else "192.0.2.1"  # documentation ranges
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            s.connect((probe, 9))  # no packet is sent: this only picks the outgoing interface
            return s.getsockname()[0]
    except OSError:
        return socket.gethostname()


def url_for(scheme: str, host: str, port: int) -> str:
    host = reachable_host(host)
    return f"{scheme}://[{host}]:{port}" if ":" in host else f"{scheme}://{host}:{port}"
