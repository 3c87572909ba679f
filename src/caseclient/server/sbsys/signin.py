"""Sign-in as SBSYS installations have it: bearer tokens from SBSIP's Keycloak realm `sbsip`.

`POST /auth/realms/sbsip/protocol/openid-connect/token` takes the password grant
(`grant_type=password&client_id&client_secret&username&password`, Randers' and AAK's clients) and
`client_credentials`, with the client's secret in the form or as Basic auth (Keycloak takes both),
and answers `access_token` and `expires_in`. Every `/api/` request then needs
`Authorization: Bearer <token>`; a missing, unknown or expired token is a 401.

Off by default, so `caseclient serve --dialect sbsys` and the contract suite work without
credentials. A test switches it on through the simulator in the app's extensions:

    sign_in = sbsys_simulator(service.app).sign_in.enable(
        client_id="caseclient", client_secret="...", users={"jens": "..."})
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

from flask import Flask, Response, jsonify, request

from .errors import TEXT, error_page

TOKEN_PATH = "/auth/realms/sbsip/protocol/openid-connect/token"
REFRESH_LIFETIME = 1800


@dataclass
class SignIn:
    """The realm's one client and its users; tokens kept in memory."""

    enabled: bool = False
    client_id: str = ""
    client_secret: str | None = None  # None: a public client (no secret)
    users: dict[str, str] = field(default_factory=dict)  # username -> password
    token_lifetime: int = 300
    clock: Callable[[], float] = time.monotonic
    grants: list[str] = field(default_factory=list)  # grant types asked for, in order
    seen: list[str] = field(default_factory=list)  # "accepted" | "missing" | "refused" per API request
    _access: dict[str, float] = field(default_factory=dict)  # token -> expiry on `clock`
    _refresh: dict[str, str] = field(default_factory=dict)  # refresh token -> username
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def enable(self, *, client_id: str, client_secret: str | None = None,
               users: dict[str, str] | None = None, token_lifetime: int = 300,
               clock: Callable[[], float] | None = None) -> "SignIn":
        self.client_id, self.client_secret = client_id, client_secret
        self.users = dict(users or {})
        self.token_lifetime = token_lifetime
        if clock is not None:
            self.clock = clock
        self.enabled = True
        return self

    def disable(self) -> None:
        self.enabled = False

    def revoke_all(self) -> None:
        with self._lock:
            self._access.clear()

    def valid(self, token: str) -> bool:
        with self._lock:
            expiry = self._access.get(token)
        return expiry is not None and expiry > self.clock()

    def _issue(self, username: str | None) -> dict[str, Any]:
        access = "eyJhbGciOiJSUzI1NiJ9." + secrets.token_urlsafe(32)
        body: dict[str, Any] = {"access_token": access, "expires_in": self.token_lifetime,
                                "refresh_expires_in": REFRESH_LIFETIME if username else 0,
                                "token_type": "Bearer", "not-before-policy": 0,
                                "scope": "profile email"}
        with self._lock:
            self._access[access] = self.clock() + self.token_lifetime
            if username:
                refresh = "eyJhbGciOiJIUzI1NiJ9." + secrets.token_urlsafe(32)
                self._refresh[refresh] = username
                body["refresh_token"] = refresh
        return body

    def token(self, form: dict[str, str], authorization: str) -> tuple[dict[str, Any], int]:
        """The token endpoint's answer (JSON body, status) to a form."""
        client = _basic(authorization) or (form.get("client_id", ""), form.get("client_secret"))
        grant = form.get("grant_type", "")
        self.grants.append(grant)
        if client[0] != self.client_id or (self.client_secret is not None and client[1] != self.client_secret):
            return {"error": "invalid_client", "error_description": "Invalid client or Invalid client credentials"}, 401
        if grant == "password":
            username = form.get("username", "")
            if not username or self.users.get(username) != form.get("password"):
                return {"error": "invalid_grant", "error_description": "Invalid user credentials"}, 401
            return self._issue(username), 200
        if grant == "client_credentials":
            if self.client_secret is None:
                return {"error": "unauthorized_client",
                        "error_description": "Public client not allowed to retrieve service account"}, 400
            return self._issue(None), 200
        if grant == "refresh_token":
            with self._lock:
                username = self._refresh.get(form.get("refresh_token", ""))
            if username is None:
                return {"error": "invalid_grant", "error_description": "Invalid refresh token"}, 400
            return self._issue(username), 200
        return {"error": "unsupported_grant_type", "error_description": "Unsupported grant_type"}, 400


def _basic(header: str) -> tuple[str, str | None] | None:
    if not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return unquote_plus(user), unquote_plus(password)


def register_sign_in(app: Flask, sign_in: SignIn) -> None:
    @app.post(TOKEN_PATH)
    def token() -> tuple[Response, int] | Response:
        if not sign_in.enabled:
            body, content_type = error_page(404)
            return Response(body, 404, content_type=content_type)
        form = {key: request.form.get(key, "") for key in request.form}
        body, status = sign_in.token(form, request.headers.get("Authorization", ""))
        return jsonify(body), status

    @app.before_request
    def check_token() -> Response | None:
        if not sign_in.enabled or not request.path.startswith("/api/"):
            return None
        header = request.headers.get("Authorization", "")
        if not header:
            verdict = "missing"
        else:
            verdict = "accepted" if header.startswith("Bearer ") and sign_in.valid(header[7:]) else "refused"
        sign_in.seen.append(verdict)
        if verdict == "accepted":
            return None
        body, _ = error_page(401)
        return Response(body, 401, content_type=TEXT,
                        headers={"WWW-Authenticate": 'Bearer realm="sbsip"'})
