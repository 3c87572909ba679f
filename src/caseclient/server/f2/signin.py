"""Sign-in as F2 has it: OAuth2 tokens from the endpoint the service index names with
`http://cbrain.com/casefile/rel/oauth2-token` (`/F2Rest/oauth2/token`, as itk-dev's client posts).

The password grant (ROPC) with the client authenticated by Basic auth
(`Authorization: Basic base64(client_id:secret)`, form `grant_type=password&username=<F2 user>
[&password]`), and client credentials. Every other `/F2Rest/` request then needs
`Authorization: Bearer <token>`, except the service index (a client must read it to find the
token endpoint). Off by default; a test switches it on:

    f2_simulator(service).sign_in.enable(client_id="caseclient", client_secret="...", users={"jens": "..."})

The client and token bookkeeping is server/keycloak.py's (a password grant for a user without a
password in `users` is refused).
# unverified: the wording of F2's token errors; the OAuth2 error codes (RFC 6749) hold, the
# descriptions are Keycloak's.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, request

from ..keycloak import SignIn
from .errors import JSON, error_page

TOKEN_PATH = "/F2Rest/oauth2/token"

__all__ = ["SignIn", "TOKEN_PATH", "register_sign_in"]


def register_sign_in(app: Flask, sign_in: SignIn, *, open_paths: tuple[str, ...] = ()) -> None:
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
        if (not sign_in.enabled or not request.path.startswith("/F2Rest/") or request.path == TOKEN_PATH
                or request.path in open_paths):
            return None
        if sign_in.verdict(request.headers.get("Authorization", "")) == "accepted":
            return None
        body, _ = error_page(401)
        return Response(body, 401, content_type=JSON, headers={"WWW-Authenticate": 'Bearer realm="F2"'})
