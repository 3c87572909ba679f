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

from flask import Flask, Response, jsonify, request

from ..keycloak import SignIn
from .errors import TEXT, error_page

TOKEN_PATH = "/auth/realms/sbsip/protocol/openid-connect/token"


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
        if sign_in.verdict(request.headers.get("Authorization", "")) == "accepted":
            return None
        body, _ = error_page(401)
        return Response(body, 401, content_type=TEXT,
                        headers={"WWW-Authenticate": 'Bearer realm="sbsip"'})
