"""Sign-in as WorkZone in the cloud has it: Entra ID (Azure AD) client credentials.

`POST /{tenant}/oauth2/v2.0/token` takes `grant_type=client_credentials`, `client_id`,
`client_secret` (or Basic auth) and `scope={WorkZone application ID URI}/.default`, and answers
`{"token_type": "Bearer", "expires_in", "ext_expires_in", "access_token"}` (KMD's
AzureAuthentication.cs, shared docs/backends.md 3). Errors are Entra's JSON
(`error`, `error_description` with an AADSTS code, `error_codes`). Every `/OData4/` request then
needs `Authorization: Bearer <token>`; a missing, unknown or expired token is a 401.

Off by default, so `caseclient serve --dialect workzone` and the contract suite work without
credentials. A test switches it on:

    workzone_simulator(service).sign_in.enable(client_id="...", client_secret="...",
                                               app_id_uri="api://workzone")
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

from .errors import JSON, error_body

TOKEN_PATH = "/<tenant>/oauth2/v2.0/token"
SERVICE_ROOT = "/OData4/"


def token_path(tenant: str) -> str:
    return f"/{tenant}/oauth2/v2.0/token"


@dataclass
class SignIn:
    enabled: bool = False
    client_id: str = ""
    client_secret: str = ""
    app_id_uri: str = ""
    token_lifetime: int = 3599
    clock: Callable[[], float] = time.monotonic
    scopes: list[str] = field(default_factory=list)  # scopes asked for, in order
    seen: list[str] = field(default_factory=list)  # "accepted" | "missing" | "refused" per API request
    _access: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def enable(self, *, client_id: str, client_secret: str, app_id_uri: str, token_lifetime: int = 3599,
               clock: Callable[[], float] | None = None) -> "SignIn":
        self.client_id, self.client_secret, self.app_id_uri = client_id, client_secret, app_id_uri.rstrip("/")
        self.token_lifetime = token_lifetime
        if clock is not None:
            self.clock = clock
        self.enabled = True
        return self

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

    def token(self, form: dict[str, str], authorization: str) -> tuple[dict[str, Any], int]:
        client = _basic(authorization) or (form.get("client_id", ""), form.get("client_secret", ""))
        scope = form.get("scope", "")
        self.scopes.append(scope)
        if form.get("grant_type") != "client_credentials":
            return _aad("unsupported_grant_type", 70003, "The app requested an unsupported grant type."), 400
        if client[0] != self.client_id:
            return _aad("unauthorized_client", 700016,
                        "Application was not found in the directory."), 400
        if client[1] != self.client_secret:
            return _aad("invalid_client", 7000215, "Invalid client secret provided."), 401
        if scope != f"{self.app_id_uri}/.default":
            # Entra wants the resource's application ID URI with `/.default` for client credentials.
            return _aad("invalid_scope", 1002012, "The provided value for scope is not valid. "
                        "Client credential flows must have a scope value with /.default suffixed "
                        "to the resource identifier (application ID URI)."), 400
        access = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + secrets.token_urlsafe(40)
        with self._lock:
            self._access[access] = self.clock() + self.token_lifetime
        return {"token_type": "Bearer", "expires_in": self.token_lifetime,
                "ext_expires_in": self.token_lifetime, "access_token": access}, 200


def _aad(error: str, code: int, text: str) -> dict[str, Any]:
    return {"error": error, "error_description": f"AADSTS{code}: {text}", "error_codes": [code],
            "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())}


def _basic(header: str) -> tuple[str, str] | None:
    if not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return unquote_plus(user), unquote_plus(password)


def register_sign_in(app: Flask, sign_in: SignIn) -> None:
    @app.post(TOKEN_PATH)
    def token(tenant: str) -> tuple[Response, int] | Response:
        if not sign_in.enabled:
            return Response(error_body(404, "The requested resource was not found."), 404, content_type=JSON)
        form = {key: request.form.get(key, "") for key in request.form}
        body, status = sign_in.token(form, request.headers.get("Authorization", ""))
        return jsonify(body), status

    @app.before_request
    def check_token() -> Response | None:
        if not sign_in.enabled or not request.path.startswith(SERVICE_ROOT):
            return None
        if sign_in.verdict(request.headers.get("Authorization", "")) == "accepted":
            return None
        return Response(error_body(401, "Authorization has been denied for this request."), 401,
                        content_type=JSON, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
