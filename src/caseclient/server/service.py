"""Run the reference service: in-process on a loopback port (tests, the embedded default) or in
the foreground (`caseclient serve`)."""

from __future__ import annotations

import threading
from pathlib import Path
from types import TracebackType

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .access import TokenGate, url_for
from .app import DIALECTS, create_app
from .limits import BodyLimits
from .demo import seed_cases
from .faults import FaultConfig, FaultInjector


POLL_SECONDS = 0.05  # how soon `stop()` is noticed


REQUEST_TIMEOUT = 30.0  # seconds a connection may stay silent (a slow or stalled client)


class _QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request (errors are still logged); a connection that sends nothing
    for `timeout` seconds is closed, so a flood of slow clients cannot hold the server's threads
    and sockets for ever."""

    timeout = REQUEST_TIMEOUT

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class ReferenceService:
    """The reference service over the data in `data_dir`, speaking `dialect` (see DIALECTS).

    `start()` serves from a daemon thread and returns the base URL (port 0: a free port), `wait()`
    blocks until it stops; `serve_forever()` serves in the calling thread until interrupted.
    `faults` may be replaced (or changed in place) at any time to inject errors, latency or
    dropped connections.
    """

    def __init__(self, data_dir: Path, host: str = "127.0.0.1", port: int = 0,
                 faults: FaultConfig | None = None, dialect: str = "oio", *,
                 token: str | None = None, limits: BodyLimits | None = None,
                 request_timeout: float | None = REQUEST_TIMEOUT) -> None:
        """`token`: every request must carry it (server.access); `limits`: what a request body
        may hold (server.limits); `request_timeout`: how long a connection may stay silent."""
        self.data_dir = Path(data_dir)
        self.host = host
        self.port = port
        self.dialect = dialect
        self.request_timeout = request_timeout
        self.app = create_app(self.data_dir, dialect, limits)
        self._injector = FaultInjector(self.app.wsgi_app, faults, DIALECTS[dialect].error_page)
        self.app.wsgi_app = self._injector
        if token is not None:
            self.app.wsgi_app = TokenGate(self.app.wsgi_app, token)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()  # set once the socket is bound and `url` is known

    @property
    def faults(self) -> FaultConfig:
        return self._injector.config

    @faults.setter
    def faults(self, config: FaultConfig) -> None:
        self._injector.config = config

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the reference service is not running")
        return url_for("http", self._server.server_address[0], self._server.server_port)

    def seed_demo(self, count: int, seed: int = 1) -> int:
        """Add `count` deterministic demo cases; returns how many were added."""
        return seed_cases(self.data_dir, count, seed)

    def _bind(self) -> BaseWSGIServer:
        if self._server is not None:
            raise RuntimeError("the reference service is already running")
        handler = type("RequestHandler", (_QuietRequestHandler,), {"timeout": self.request_timeout})
        self._server = make_server(self.host, self.port, self.app, threaded=True,
                                   request_handler=handler)
        self.ready.set()
        return self._server

    def start(self) -> str:
        server = self._bind()
        self._thread = threading.Thread(target=server.serve_forever, args=(POLL_SECONDS,),
                                        name="reference-service", daemon=True)
        self._thread.start()
        return self.url

    def wait(self) -> None:
        """Block until a started service stops (`stop()` from another thread); Ctrl-C
        interrupts the wait."""
        thread = self._thread
        if thread is not None:
            thread.join()

    def serve_forever(self) -> None:
        """Serve in this thread until KeyboardInterrupt or `stop()` from another thread."""
        server = self._bind()
        try:
            server.serve_forever(POLL_SECONDS)
        finally:
            self._close()

    def stop(self) -> None:
        """Stop serving; a foreground `serve_forever()` then returns and cleans up itself."""
        if self._server is None:
            return
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join()
            self._close()

    def _close(self) -> None:
        self.ready.clear()
        if self._server is not None:
            self._server.server_close()
        self._server = None
        self._thread = None
        self.app.extensions["caseclient.database"].close()

    def __enter__(self) -> "ReferenceService":
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
