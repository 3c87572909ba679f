"""Sign-in as Nova has it: bearer tokens from KMD's Keycloak realm `NovaIntegration`.

`POST https://novaauth.kmd.dk/realms/NovaIntegration/protocol/openid-connect/token` with
`grant_type=client_credentials&client_id&client_secret&scope=client` (AAK's client) answers
`access_token` and `expires_in`; every `/api/` request then carries `Authorization: Bearer`. The
simulator serves the token endpoint on its own address (the real one is another host). A missing,
unknown or expired token is a 401 with an empty body and `WWW-Authenticate: Bearer`, as ASP.NET
Core's JWT bearer handler answers.

Off by default, so `caseclient serve --dialect nova` and the contract suite work without
credentials. A test switches it on through the simulator in the app's extensions:

    nova_simulator(service).sign_in.enable(client_id="caseclient", client_secret="...")

Keycloak's token logic is the one the SBSYS simulator has (the same product); this realm allows
only the client credentials grant.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, request

from ..keycloak import SignIn
from .errors import TEXT

TOKEN_PATH = "/realms/NovaIntegration/protocol/openid-connect/token"
GRANTS = ("client_credentials",)  # unverified: the realm offers no other grant to integrations


def register_sign_in(app: Flask, sign_in: SignIn) -> None:
    @app.post(TOKEN_PATH)
    def token() -> tuple[Response, int] | Response:
        if not sign_in.enabled:
            return Response(b"", 404, content_type=TEXT)
        form = {key: request.form.get(key, "") for key in request.form}
        if form.get("grant_type") not in GRANTS:
            sign_in.grants.append(form.get("grant_type", ""))
            return jsonify({"error": "unauthorized_client",
                            "error_description": "Client not allowed for this grant type"}), 400
        body, status = sign_in.token(form, request.headers.get("Authorization", ""))
        return jsonify(body), status

    @app.before_request
    def check_token() -> Response | None:
        if not sign_in.enabled or not request.path.startswith("/api/"):
            return None
        if sign_in.verdict(request.headers.get("Authorization", "")) == "accepted":
            return None
        return Response(b"", 401, content_type=TEXT, headers={"WWW-Authenticate": "Bearer"})
