"""The HTTP layer every REST backend shares: one session, one base URL, and one mapping of
requests' failures and HTTP statuses onto the domain error taxonomy.

A backend says for each call whether repeating it is harmless (`idempotent`). When a
non-idempotent write times out or loses its connection after the request went out, nobody knows
whether it landed: that becomes `OutcomeUnknown`, and the caller must ask before trying again.
Nothing here puts a URL, a request body or a server text with a CPR number into a message.
(urllib3 logs request URLs at DEBUG level, a party search's with a CPR urn in it: every log
handler sits behind logging_setup's redaction filter.)
"""

from __future__ import annotations

import email.utils
import ssl
import time
from typing import Any, Mapping
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import NewConnectionError

from .. import __version__
from ..domain import (
    AuthError,
    BackendError,
    Conflict,
    Locked,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    TooLarge,
    Transient,
    ValidationFailed,
    redact_cprs,
)

DEFAULT_TIMEOUT = (10.0, 120.0)  # (connect, read) seconds
_SERVER_TEXT_LIMIT = 300

# The kind of service each backend's ServiceHttp speaks to, by the name it gives it (connection.py
# BACKENDS holds the kinds); a web page where the kind answers in its own shape names the kind.
KIND_OF_SERVICE = {
    "the document service": "oio", "SBSYS": "sbsys", "GetOrganized": "getorganized", "KMD Nova": "nova",
    "F2": "f2", "WorkZone": "workzone", "Acadre": "acadre", "the CMIS repository": "cmis",
}
# Statuses a plain web server (or a wrong address on a real one) answers with a web page where the
# service itself would answer in its own shape: nothing at this path, not this method.
_NO_SERVICE_HERE = (404, 405, 410, 501)


class NotADocumentService(NotFound):
    """The address answers, but not as a document service of the configured kind (a plain web
    server, a portal, a wrong path): a setting to fix, not a case or document that is missing."""

    code = "not_a_service"


def new_session() -> requests.Session:
    """A session with caseclient's User-Agent; auth and client certificates are added by the caller."""
    session = requests.Session()
    session.headers["User-Agent"] = f"caseclient/{__version__} {session.headers['User-Agent']}"
    return session


class ServiceHttp:
    """A base URL, a session and a timeout, with every failure turned into a domain error."""

    def __init__(
        self,
        base_url: str,
        session: requests.Session | None = None,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        service_name: str = "the document service",
        kind: str | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"not a usable service address: {base_url!r}")
        self.session = session if session is not None else new_session()
        if self.session.verify is False:
            raise ValueError("TLS certificate verification must stay on")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.host = parts.hostname + (f":{parts.port}" if parts.port else "")
        self.service_name = service_name
        self.kind = kind or KIND_OF_SERVICE.get(service_name, service_name)

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        action: str,
        idempotent: bool = True,
        params: Any = None,
        json: Any = None,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """Send one request; return the response when its status is 2xx, else raise a domain error.

        `action` names what was being done, for messages: "searching cases", "filing 'Brev.pdf'".
        """
        try:
            response = self.session.request(
                method, self.url(path), params=params, json=json, data=data, headers=headers,
                stream=stream, timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise self.error_for_exception(exc, action=action, idempotent=idempotent) from None
        if response.status_code >= 300:
            error = self.error_for_response(response, action=action)
            response.close()
            raise error
        return response

    def json(self, response: requests.Response, *, action: str) -> Any:
        """The response's JSON body; an HTML page or garbage is a Transient error."""
        try:
            return response.json()
        except ValueError:
            if _is_web_page(response):
                raise self._not_a_service(response, action) from None
            raise Transient(
                f"{self._service} answered {action} with something that is not JSON; "
                "it may be misconfigured or behind a proxy error page.",
                status=response.status_code, detail=_server_text(response),
            ) from None

    def error_for_exception(self, exc: requests.RequestException, *, action: str, idempotent: bool) -> BackendError:
        if _never_connected(exc):
            return Transient(f"Cannot reach {self.service_name} at {self.host} while {action}.")
        if isinstance(exc, requests.exceptions.SSLError):
            if _caused_by(exc, ssl.SSLCertVerificationError):
                return AuthError(
                    f"{self._service} showed a certificate this computer does not trust while {action}; "
                    "nothing was sent.",
                    detail=type(exc).__name__,
                )
            return Transient(f"The secure connection to {self._service} failed while {action}.",
                             detail=type(exc).__name__)
        lost = "timed out" if isinstance(exc, requests.Timeout) else "lost its connection"
        if not idempotent:
            return OutcomeUnknown(
                f"{self._service} {lost} while {action}; it is not known whether the change landed.",
                detail=type(exc).__name__,
            )
        return Transient(f"{self._service} {lost} while {action}.", detail=type(exc).__name__)

    def error_for_response(self, response: requests.Response, *, action: str) -> BackendError:
        status = response.status_code
        text = _server_message(response)
        said = f": {text}" if text else "."
        kw = {"status": status, "detail": _server_text(response)}
        if status in _NO_SERVICE_HERE and _is_web_page(response):
            return self._not_a_service(response, action)
        if status in (401, 403):
            return AuthError(f"{self._service} refused access while {action} (HTTP {status}); check the login.", **kw)
        if status in (404, 410):
            return NotFound(f"{self._service} found nothing while {action}{said}", **kw)
        if status == 409:
            return Conflict(f"{self._service} refused {action} as a conflict{said}", **kw)
        if status == 413:
            return TooLarge(f"{self._service} refused {action}: the file is too large.", **kw)
        if status == 423:
            return Locked(f"{self._service} refused {action}: it is locked for editing.", **kw)
        if status == 429:
            return RateLimited(
                f"{self._service} asks to slow down ({action}); try again later.",
                retry_after=_retry_after(response), **kw,
            )
        if 400 <= status < 500:
            return ValidationFailed(f"{self._service} refused {action}{said}", **kw)
        if status >= 500:
            return Transient(
                f"{self._service} failed while {action} (HTTP {status}); try again later.",
                retry_after=_retry_after(response), **kw,
            )
        return Transient(f"{self._service} answered {action} with an unexpected HTTP {status}.", **kw)

    def _not_a_service(self, response: requests.Response, action: str) -> NotADocumentService:
        return NotADocumentService(
            f"The address {self.host} is not a document service of kind {self.kind}: it answered "
            f"{action} with a web page (HTTP {response.status_code}); check the service address.",
            status=response.status_code, detail=_server_text(response))

    @property
    def _service(self) -> str:
        return f"{self.service_name[:1].upper()}{self.service_name[1:]} at {self.host}"


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """Whether `kind` is somewhere in the chain requests and urllib3 wrap around a failure."""
    seen: set[int] = set()
    pending: list[object] = [exc]
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        pending += [*current.args, getattr(current, "reason", None), current.__cause__, current.__context__]
    return False


def _never_connected(exc: requests.RequestException) -> bool:
    """True when the request never left this machine: refused, unknown host, connect timeout,
    a proxy that cannot be reached."""
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.ProxyError)):
        return True
    if isinstance(exc, requests.ConnectionError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        return isinstance(reason, NewConnectionError)
    return False


def _is_web_page(response: requests.Response) -> bool:
    """An HTML page: what a plain web server, a portal or IIS answers, never a service's data."""
    content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type in ("text/html", "application/xhtml+xml"):
        return True
    try:
        start = response.text[:512].lstrip().lower()
    except (requests.RequestException, ValueError):
        return False
    return start.startswith(("<!doctype html", "<html"))


def _server_text(response: requests.Response) -> str:
    """The start of the body, CPR numbers masked: for the log, never shown as is."""
    try:
        return redact_cprs(response.text[:_SERVER_TEXT_LIMIT])
    except (requests.RequestException, ValueError):
        return ""


def _server_message(response: requests.Response) -> str:
    """LoRa-style `{"message": ...}` (or `{"error": ...}`), masked and on one line; "" for HTML."""
    try:
        body = response.json()
    except (ValueError, requests.RequestException):
        return ""
    if not isinstance(body, dict):
        return ""
    message = body.get("message") or body.get("Message") or body.get("error") or ""
    if isinstance(message, dict):
        message = message.get("message", "")
    message = " ".join(str(message).split())[:_SERVER_TEXT_LIMIT]
    return redact_cprs(message).rstrip(".") + "." if message else ""


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
