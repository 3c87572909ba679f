"""Sign-in to the GetOrganized simulator as IIS does it: NTLM (and basic), off by default.

NTLM is bound to the TCP connection. The client sends a Type 1 message, IIS answers 401 with a
Type 2 challenge, and the client's Type 3 must come on the same connection; the connection then
stays signed in (IIS' default for NTLM) until it closes. A Type 3 on another connection is
refused. The acceptor is pyspnego's NTLM server, which checks the answer against the users in
the file named by NTLM_USER_FILE (written here from `Accounts`).

werkzeug's development server closes every connection after one response ("Connection: close",
werkzeug 3.1), so over it the handshake cannot complete, exactly as NTLM through a proxy that
does not keep connections fails. `KeepAliveListener` serves an application with HTTP/1.1
keep-alive connections, which NTLM needs.

A test switches sign-in on through the accounts object in the application's extensions:

    accounts = service.app.extensions["caseclient.getorganized"].accounts
    accounts.add("KOMMUNE\\\\svc-caseclient", "Sommer-2026")
    accounts.methods = {"ntlm"}
"""

from __future__ import annotations

import base64
import os
import socket
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .errors import iis_page

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
METHODS = ("ntlm", "basic")
_NTLM_ENV_LOCK = threading.Lock()
DRAIN_LIMIT = 1024 * 1024  # an unread request body up to this is read and dropped; more closes the connection


@dataclass
class _Connection:
    pending: Any = None  # the acceptor waiting for this connection's Type 3
    scheme: str = "NTLM"
    user: str | None = None  # signed in by NTLM


class Accounts:
    """Who may sign in and how. `methods` empty: no sign-in asked (the default).

    `seen` records each request's verdict in order: (verdict, method, user) with verdict one of
    "challenge" (a Type 2 sent), "accepted", "refused", "missing"; `requests` records
    (method, path, Content-Length, verdict) so a test can count the bodies that arrived."""

    def __init__(self, folder: Path) -> None:
        self.methods: set[str] = set()
        self.user_file = folder / "getorganized-ntlm-users"
        self._users: dict[str, str] = {}
        self.seen: list[tuple[str, str, str | None]] = []
        self.requests: list[tuple[str, str, int, str]] = []
        self.lock = threading.Lock()

    def add(self, user: str, password: str) -> None:
        """A user as `DOMAIN\\\\name`, `name@domain` or `name`, with its password."""
        if any(ch in user + password for ch in ":\r\n"):
            raise ValueError("the simulator's user file cannot hold ':' or line breaks")
        with self.lock:
            self._users[user] = password
            lines = []
            for name, secret in self._users.items():
                domain, sep, account = name.partition("\\")
                lines.append(f"{domain}:{account}:{secret}" if sep else f":{name}:{secret}")
            self.user_file.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.user_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")

    def basic_ok(self, user: str, password: str) -> bool:
        with self.lock:
            return bool(user) and self._users.get(user) == password

    def record(self, environ: dict[str, Any], verdict: str, method: str, user: str | None = None) -> None:
        with self.lock:
            self.seen.append((verdict, method, user))
            self.requests.append((environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""),
                                  int(environ.get("CONTENT_LENGTH") or 0), verdict))


@contextmanager
def _ntlm_users(path: Path) -> Iterator[None]:
    """pyspnego's acceptor reads its users from the file named by NTLM_USER_FILE (when the
    context is made and when it checks the Type 3): pointed at this simulator's file for those
    calls, and afterwards back to what it was, or to empty (which pyspnego reads as unset, so a
    Negotiate client in the same process does not fall back to NTLM with these users). The key is
    never removed: other threads read the environment at any time (requests looks for proxy
    settings in it on every request), and a key removed while they walk it fails them with KeyError."""
    with _NTLM_ENV_LOCK:
        previous = os.environ.get("NTLM_USER_FILE")
        os.environ["NTLM_USER_FILE"] = str(path)
        try:
            yield
        finally:
            os.environ["NTLM_USER_FILE"] = previous or ""


def _message_type(token: bytes) -> int:
    if len(token) < 12 or not token.startswith(b"NTLMSSP\x00"):
        return 0
    return int.from_bytes(token[8:12], "little")


class SignInGate:
    """WSGI middleware in front of the GetOrganized routes: IIS' Windows and basic sign-in."""

    def __init__(self, app: WsgiApp, accounts: Accounts) -> None:
        self.app = app
        self.accounts = accounts
        self._connections: weakref.WeakKeyDictionary[Any, _Connection] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _state(self, environ: dict[str, Any]) -> _Connection | None:
        sock = environ.get("werkzeug.socket")
        if sock is None:
            return None
        with self._lock:
            state = self._connections.get(sock)
            if state is None:
                state = self._connections[sock] = _Connection()
            return state

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        methods = set(self.accounts.methods)
        if not methods:
            return self.app(environ, start_response)
        state = self._state(environ) or _Connection()
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
        scheme = scheme.lower()
        if "ntlm" in methods and scheme in ("ntlm", "negotiate") and token.strip():
            return self._ntlm(environ, start_response, state, scheme, token.strip())
        state.pending = None  # anything but the Type 3 ends a handshake in progress
        if "basic" in methods and scheme == "basic":
            user, password = _basic(token)
            if self.accounts.basic_ok(user, password):
                self.accounts.record(environ, "accepted", "basic", user)
                environ["REMOTE_USER"] = user
                return self.app(environ, start_response)
            self.accounts.record(environ, "refused", "basic", user or None)
            return self._unauthorized(environ, start_response, methods)
        if not scheme and state.user:
            self.accounts.record(environ, "accepted", "ntlm-connection", state.user)
            environ["REMOTE_USER"] = state.user
            return self.app(environ, start_response)
        self.accounts.record(environ, "missing" if not scheme else "refused", scheme or "-")
        return self._unauthorized(environ, start_response, methods)

    def _ntlm(self, environ: dict[str, Any], start_response: Callable[..., Any], state: _Connection,
              scheme: str, token: str) -> Iterable[bytes]:
        import spnego

        try:
            message = base64.b64decode(token, validate=True)
        except ValueError:
            message = b""
        kind = _message_type(message)
        shown = "Negotiate" if scheme == "negotiate" else "NTLM"
        if kind == 1:
            state.user = None  # a new handshake on a signed-in connection starts over
            with _ntlm_users(self.accounts.user_file):
                acceptor = spnego.server(protocol="ntlm", options=spnego.NegotiateOptions.use_ntlm)
                challenge = acceptor.step(message)
            state.pending, state.scheme = acceptor, shown
            self.accounts.record(environ, "challenge", "ntlm")
            answer = f"{shown} {base64.b64encode(challenge or b'').decode()}"
            return self._page(environ, start_response, [("WWW-Authenticate", answer)])
        acceptor, state.pending = state.pending, None
        if kind == 3 and acceptor is not None:
            try:
                with _ntlm_users(self.accounts.user_file):
                    acceptor.step(message)
                user = acceptor.client_principal if acceptor.complete else None
            except Exception:  # a wrong password, an unknown user, a garbled message
                user = None
            if user:
                state.user = user
                self.accounts.record(environ, "accepted", "ntlm", user)
                environ["REMOTE_USER"] = user
                return self.app(environ, start_response)
        self.accounts.record(environ, "refused", "ntlm")
        return self._unauthorized(environ, start_response, self.accounts.methods)

    def _unauthorized(self, environ: dict[str, Any], start_response: Callable[..., Any],
                      methods: set[str]) -> Iterable[bytes]:
        challenges = []
        if "ntlm" in methods:
            challenges += [("WWW-Authenticate", "Negotiate"), ("WWW-Authenticate", "NTLM")]
        if "basic" in methods:
            challenges.append(("WWW-Authenticate", 'Basic realm="go"'))
        return self._page(environ, start_response, challenges)

    @staticmethod
    def _page(environ: dict[str, Any], start_response: Callable[..., Any],
              headers: list[tuple[str, str]]) -> Iterable[bytes]:
        page = iis_page(401, "401 - Unauthorized: Access is denied due to invalid credentials.",
                        "You do not have permission to view this directory or page using the credentials that you supplied.")
        body = b"" if environ.get("REQUEST_METHOD") == "HEAD" else page.body
        start_response("401 Unauthorized", [("Content-Type", page.content_type),
                                             ("Content-Length", str(len(page.body))), *headers])
        return [body]


def _basic(token: str) -> tuple[str, str]:
    try:
        raw = base64.b64decode(token.strip())
    except ValueError:
        return "", ""
    try:
        text = raw.decode("utf-8")  # RFC 7617's charset="UTF-8", as caseclient sends
    except UnicodeDecodeError:
        text = raw.decode("latin-1")  # what older clients send
    user, _, password = text.partition(":")
    return user, password


# -- a server that keeps connections ------------------------------------------------------------

class _BodyInput:
    """The request body, limited to its Content-Length, counting what the application read."""

    def __init__(self, stream: Any, length: int) -> None:
        self._stream = stream
        self.left = length

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        if size is None or size < 0 or size > self.left:
            size = self.left
        data = self._stream.read(size)
        self.left -= len(data)
        if not data:
            self.left = 0
        return data

    def readline(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        if size is None or size < 0 or size > self.left:
            size = self.left
        data = self._stream.readline(size)
        self.left -= len(data)
        return data

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line


class KeepAliveRequestHandler(WSGIRequestHandler):
    """HTTP/1.1 with persistent connections (werkzeug's own handler closes each one): the body a
    response did not read is read and dropped (or, when large, the connection is closed)."""

    protocol_version = "HTTP/1.1"
    timeout = 60  # an idle kept connection is closed after this many seconds

    def setup(self) -> None:
        super().setup()
        self.server.open_connections.add(self.connection)  # type: ignore[attr-defined]

    def finish(self) -> None:
        self.server.open_connections.discard(self.connection)  # type: ignore[attr-defined]
        super().finish()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass

    def run_wsgi(self) -> None:  # noqa: C901 - one request, start to end
        if self.headers.get("Expect", "").lower().strip() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        self.environ = environ = self.make_environ()
        chunked_request = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        body: _BodyInput | None = None
        if not chunked_request:
            body = _BodyInput(self.rfile, int(self.headers.get("Content-Length") or 0))
            environ["wsgi.input"] = body
        keep = not self.close_connection and not chunked_request
        state: dict[str, Any] = {"status": None, "headers": None, "sent": False, "chunked": False}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            if exc_info and state["sent"]:
                raise exc_info[1].with_traceback(exc_info[2])
            state["status"], state["headers"] = status, headers
            return write

        def write(data: bytes) -> None:
            if not state["sent"]:
                code, _, reason = state["status"].partition(" ")
                self.send_response(int(code), reason)
                names = set()
                for name, value in state["headers"]:
                    if name.lower() == "connection":
                        continue
                    self.send_header(name, value)
                    names.add(name.lower())
                if "content-length" not in names and environ["REQUEST_METHOD"] != "HEAD" \
                        and int(code) not in (204, 304):
                    state["chunked"] = True
                    self.send_header("Transfer-Encoding", "chunked")
                self.send_header("Connection", "keep-alive" if keep else "close")
                self.end_headers()
                state["sent"] = True
            if data:
                if state["chunked"]:
                    self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                else:
                    self.wfile.write(data)

        application = None
        try:
            application = self.server.app(environ, start_response)
            for data in application:
                write(data)
            if not state["sent"]:
                write(b"")
            if state["chunked"]:
                self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (ConnectionError, socket.timeout, OSError):
            self.close_connection = True
            return
        except Exception:
            self.close_connection = True
            if not state["sent"]:
                keep = False
                state["status"], state["headers"] = "500 Internal Server Error", [
                    ("Content-Type", "text/plain"), ("Content-Length", "21")]
                try:
                    write(b"Internal Server Error")
                    self.wfile.flush()
                except OSError:
                    pass
            self.log_error("error on request %s", self.path)
            return
        finally:
            if hasattr(application, "close"):
                application.close()  # type: ignore[union-attr]
        if keep and body is not None and body.left:
            if body.left > DRAIN_LIMIT:
                keep = False
            else:
                while body.read(65536):
                    pass
        if not keep:
            self.close_connection = True


class KeepAliveListener:
    """Serve a WSGI app on 127.0.0.1 at a free port with persistent connections (what NTLM
    needs), from a daemon thread; `stop()` also closes the connections still open."""

    def __init__(self, app: WsgiApp, host: str = "127.0.0.1", ssl_context: Any = None) -> None:
        self._server: BaseWSGIServer = make_server(host, 0, app, threaded=True, ssl_context=ssl_context,
                                                   request_handler=KeepAliveRequestHandler)
        self._server.open_connections = weakref.WeakSet()  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="go-keepalive-listener", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        scheme = "https" if self._server.ssl_context else "http"
        return f"{scheme}://{self._server.server_address[0]}:{self._server.server_port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()
        for connection in list(self._server.open_connections):  # type: ignore[attr-defined]
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._server.server_close()

    def __enter__(self) -> "KeepAliveListener":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
