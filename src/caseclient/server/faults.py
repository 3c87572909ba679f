"""Test-only fault injection for the reference service, kept outside the OIO application.

`FaultInjector` is a WSGI middleware in front of the app. Per request it draws, from one seeded
random generator, whether to drop the connection (read part of the request body, then shut the
socket without any response), to answer a 500 HTML page, to answer 503 with a Retry-After
header (a server that asks for time), to answer a chosen error status in the served dialect's own
error shape (how each vendor's server words it), and whether to delay the request.
Its `config` can be replaced at run time (which restarts the seeded generator), or changed in
place (`service.faults.error_rate = 1.0`): every request reads the current values.
`FaultConfig.parse` reads the command line form `error=0.3,drop=0.1,latency=0.1:2.0,busy=0.1:30,seed=7`.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from werkzeug.exceptions import InternalServerError, ServiceUnavailable
from werkzeug.http import HTTP_STATUS_CODES

DROP_READ_BYTES = 64 * 1024  # how much of the body a dropped request reads first


@dataclass
class FaultConfig:
    error_rate: float = 0.0  # share of requests answered 500
    drop_rate: float = 0.0  # share of requests whose connection is cut without an answer
    latency_rate: float = 0.0  # share of requests delayed ...
    latency_seconds: float = 0.0  # ... by this long
    busy_rate: float = 0.0  # share of requests answered 503 with Retry-After ...
    retry_after_seconds: int = 30  # ... asking for this many seconds
    status_rate: float = 0.0  # share of requests answered with `status` in the dialect's error shape
    status: int = 500
    seed: int | None = None

    def __post_init__(self) -> None:
        for name in ("error_rate", "drop_rate", "latency_rate", "busy_rate", "status_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"fault {name} must be between 0 and 1, not {value}")
        if self.latency_seconds < 0 or self.retry_after_seconds < 0:
            raise ValueError("fault latency and Retry-After must not be negative")
        if not 400 <= self.status <= 599:
            raise ValueError(f"fault status must be an HTTP error status (400-599), not {self.status}")

    @property
    def active(self) -> bool:
        return bool(self.error_rate or self.drop_rate or self.busy_rate or self.status_rate
                    or (self.latency_rate and self.latency_seconds))

    @classmethod
    def parse(cls, text: str) -> "FaultConfig":
        """`error=0.3,drop=0.1,latency=0.1:2.0,status=409:0.5,seed=7` (every item optional)."""
        values: dict[str, Any] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            key, sep, value = item.partition("=")
            if key not in ("error", "drop", "latency", "busy", "status", "seed") or not sep:
                raise ValueError(f"unknown fault setting '{item}' (use error=RATE, drop=RATE, "
                                 "latency=RATE:SECONDS, busy=RATE:SECONDS, status=CODE:RATE, seed=N)")
            try:
                if key == "error":
                    values["error_rate"] = float(value)
                elif key == "drop":
                    values["drop_rate"] = float(value)
                elif key == "latency":
                    rate, _, seconds = value.partition(":")
                    values["latency_rate"] = float(rate)
                    values["latency_seconds"] = float(seconds or 1.0)
                elif key == "busy":
                    rate, _, seconds = value.partition(":")
                    values["busy_rate"] = float(rate)
                    values["retry_after_seconds"] = int(seconds or 30)
                elif key == "status":
                    code, _, rate = value.partition(":")
                    values["status"] = int(code)
                    values["status_rate"] = float(rate or 1.0)
                else:
                    values["seed"] = int(value)
            except ValueError:
                raise ValueError(f"fault setting '{item}' needs a number") from None
        return cls(**values)


WsgiApp = Callable[[dict[str, Any], Callable], Iterable[bytes]]
ErrorPage = Callable[[int], tuple[bytes, str]]
"""status -> (body, content type): how the served dialect answers that status."""


def plain_error_page(status: int) -> tuple[bytes, str]:
    return f"HTTP {status}".encode(), "text/plain; charset=utf-8"


class FaultInjector:
    """WSGI middleware that injects the configured faults before the wrapped app runs."""

    def __init__(self, app: WsgiApp, config: FaultConfig | None = None,
                 error_page: ErrorPage = plain_error_page) -> None:
        self.app = app
        self.error_page = error_page
        self._lock = threading.Lock()
        self.config = config or FaultConfig()

    @property
    def config(self) -> FaultConfig:
        return self._config

    @config.setter
    def config(self, config: FaultConfig) -> None:
        with self._lock:
            self._config = config
            self._random = random.Random(config.seed)

    def _draw(self) -> tuple[bool, bool, int | None, float, int | None]:
        with self._lock:
            config, rng = self._config, self._random
            drop = rng.random() < config.drop_rate
            error = rng.random() < config.error_rate
            delay = config.latency_seconds if rng.random() < config.latency_rate else 0.0
            busy = config.retry_after_seconds if rng.random() < config.busy_rate else None
            status = config.status if config.status_rate and rng.random() < config.status_rate else None
        return drop, error, busy, delay, status

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if not self._config.active:
            return self.app(environ, start_response)
        drop, error, busy, delay, status = self._draw()
        if delay:
            time.sleep(delay)
        if drop:
            return self._drop(environ)
        if error:
            return InternalServerError()(environ, start_response)
        if busy is not None:
            return ServiceUnavailable(retry_after=busy)(environ, start_response)
        if status is not None:
            return self._answer(status, environ, start_response)
        return self.app(environ, start_response)

    def _answer(self, status: int, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        """The status in the dialect's own error shape (the request body is read first, as a
        server that answers after the upload would)."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        stream = environ["wsgi.input"]
        while length > 0:
            block = stream.read(min(length, 1 << 20))
            if not block:
                break
            length -= len(block)
        body, content_type = self.error_page(status)
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        if status in (429, 503):
            headers.append(("Retry-After", "7"))
        start_response(f"{status} {HTTP_STATUS_CODES.get(status, 'Error')}", headers)
        return [body]

    @staticmethod
    def _drop(environ: dict[str, Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            environ["wsgi.input"].read(min(length, DROP_READ_BYTES))
        sock = environ.get("werkzeug.socket")
        if sock is None:
            raise RuntimeError("dropping connections needs werkzeug's server")
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the client went away first
        return []
