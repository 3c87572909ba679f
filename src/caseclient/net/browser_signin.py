"""OAuth2/OIDC sign-in for people: authorisation code with PKCE in the system browser, answered on
a loopback redirect listener (RFC 8252), then kept alive with the refresh token in the keyring."""

from __future__ import annotations

import base64
import hashlib
import html
import http.server
import secrets
import threading
from collections.abc import Callable
from urllib.parse import parse_qs, urlencode, urlsplit

from ..domain import AuthError
from .auth import OAuth2Auth, Token, TokenEndpoint

CALLBACK_PATH = "/callback"
_DONE_PAGE = (
    "<!doctype html><meta charset=utf-8><title>caseclient</title>"
    "<p>{}</p><p>Du kan lukke dette vindue. / You can close this window.</p>"
)


class LoopbackListener:
    """A one-shot HTTP listener on 127.0.0.1 that catches the browser's redirect."""

    def __init__(self) -> None:
        self.result: dict[str, str] = {}
        self._arrived = threading.Event()
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                if parts.path != CALLBACK_PATH or listener._arrived.is_set():
                    self.send_error(404)
                    return
                listener.result = {k: v[0] for k, v in parse_qs(parts.query).items()}
                ok = "code" in listener.result
                text = "caseclient er logget ind. / caseclient is signed in." if ok else "Log-ind mislykkedes. / Sign-in failed."
                body = _DONE_PAGE.format(html.escape(text)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                listener._arrived.set()

            def log_message(self, format: str, *args: object) -> None:  # the query holds the code
                pass

        self._server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="signin-listener", daemon=True)
        self._thread.start()

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{CALLBACK_PATH}"

    def wait(self, timeout: float) -> dict[str, str] | None:
        return self.result if self._arrived.wait(timeout) else None

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


def pkce_pair() -> tuple[str, str]:
    """(code verifier, S256 code challenge)."""
    verifier = secrets.token_urlsafe(64)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign_in_with_browser(
    endpoint: TokenEndpoint,
    authorization_url: str,
    scope: str,
    open_browser: Callable[[str], object],
    *,
    timeout: float = 300.0,
) -> Token:
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(24)
    listener = LoopbackListener()
    try:
        query = urlencode({
            "response_type": "code",
            "client_id": endpoint.client_id,
            "redirect_uri": listener.redirect_uri,
            "scope": scope,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        })
        open_browser(authorization_url + ("&" if "?" in authorization_url else "?") + query)
        answer = listener.wait(timeout)
    finally:
        listener.close()
    if answer is None:
        raise AuthError(f"Sign-in in the browser did not finish within {timeout:g} seconds.")
    if answer.get("state") != state:
        raise AuthError("Sign-in in the browser answered for another sign-in (state mismatch); try again.")
    if "code" not in answer:
        error = answer.get("error", "no code")
        raise AuthError(f"Sign-in in the browser was refused ({error[:40]}).")
    return endpoint.request({
        "grant_type": "authorization_code",
        "code": answer["code"],
        "redirect_uri": listener.redirect_uri,
        "code_verifier": verifier,
    })


class AuthorizationCodeAuth(OAuth2Auth):
    """A person's OAuth2 sign-in: the refresh token (keyring) renews access; without a usable one,
    the browser sign-in runs when `open_browser` is given, else AuthError asks for it."""

    def __init__(
        self,
        endpoint: TokenEndpoint,
        authorization_url: str | Callable[[], str],
        scope: str,
        *,
        refresh_token: str | None,
        save_refresh_token: Callable[[str], None],
        open_browser: Callable[[str], object] | None,
        timeout: float = 300.0,
    ) -> None:
        super().__init__(endpoint)
        self._authorization_url = authorization_url
        self.scope = scope
        self._refresh_token = refresh_token
        self._save = save_refresh_token
        self._open_browser = open_browser
        self._timeout = timeout

    def fetch(self, previous: Token | None) -> Token:
        refresh = (previous.refresh_token if previous else None) or self._refresh_token
        token: Token | None = None
        if refresh:
            try:
                token = self.endpoint.request({"grant_type": "refresh_token", "refresh_token": refresh,
                                               "scope": self.scope})
            except AuthError:
                token = None  # expired or revoked: sign in again
        if token is None:
            if self._open_browser is None:
                raise AuthError("Sign-in in the browser is needed first.")
            url = self._authorization_url() if callable(self._authorization_url) else self._authorization_url
            token = sign_in_with_browser(self.endpoint, url, self.scope, self._open_browser, timeout=self._timeout)
        if token.refresh_token and token.refresh_token != refresh:
            self._refresh_token = token.refresh_token
            self._save(token.refresh_token)
        elif refresh and not token.refresh_token:
            token = Token(token.access_token, token.expires_at, refresh)
        return token
