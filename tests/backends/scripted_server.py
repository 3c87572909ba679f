"""A tiny scripted HTTP server for the failures a real service shows only now and then: garbage,
error pages, dropped connections, answers that never come."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Script:
    """What the server does with every request: answer, drop the connection, or hold it."""

    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    mode: str = "answer"  # answer | drop | hold
    released: threading.Event = field(default_factory=threading.Event)
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path)

    def answer(self, status: int, body: bytes | dict | str, headers: dict[str, str] | None = None) -> None:
        if isinstance(body, dict):
            body, headers = json.dumps(body).encode(), {"Content-Type": "application/json", **(headers or {})}
        self.status, self.mode = status, "answer"
        self.body = body.encode() if isinstance(body, str) else body
        self.headers = headers if headers is not None else {"Content-Type": "text/html"}


class ScriptedServer:
    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.script = Script()
        script = self.script

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                script.requests.append((self.command, self.path))
                length = int(self.headers.get("Content-Length") or 0)
                while length and (chunk := self.rfile.read(min(length, 1 << 20))):
                    length -= len(chunk)
                if script.mode == "drop":
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                if script.mode == "hold":
                    script.released.wait(10)
                    self.close_connection = True
                    return
                self.send_response(script.status)
                for key, value in script.headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(script.body)))
                self.end_headers()
                self.wfile.write(script.body)

            do_GET = do_PUT = do_PATCH = do_POST = do_DELETE = _any

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        if tls:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> "ScriptedServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.script.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)
