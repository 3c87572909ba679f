"""A Keycloak realm's token endpoint as the simulators need it: one client, its users, bearer
tokens kept in memory. SBSYS's SBSIP (realm `sbsip`) and KMD Nova (realm `NovaIntegration`) sign in
through Keycloak; each dialect puts the endpoint at its own path and answers a refused request in
its own words. F2's own OAuth2 endpoint borrows it (see server/f2/signin.py).

Off until `enable()`: the simulators then serve without sign-in.
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

    def verdict(self, authorization: str) -> str:
        """"accepted", "missing" or "refused" for a request's Authorization header, recorded in `seen`."""
        if not authorization:
            verdict = "missing"
        else:
            verdict = "accepted" if authorization.startswith("Bearer ") and self.valid(authorization[7:]) else "refused"
        self.seen.append(verdict)
        return verdict

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
