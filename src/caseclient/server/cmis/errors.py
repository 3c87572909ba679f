"""How a CMIS 1.1 browser-binding server words a failure (shared docs/backends.md 5): the HTTP
status and a JSON body `{"exception": "<name>", "message": "...", "stacktrace"?: ...}` whose name
says the kind: invalidArgument 400, objectNotFound 404, permissionDenied 403, notSupported 405,
constraint / contentAlreadyExists / nameConstraintViolation / updateConflict / versioning 409,
filterNotValid 400, streamNotSupported 403, runtime and storage 500. A 401 comes from the
servlet's authentication (OpenCMIS: `unauthorized`). 413, 429, 502, 503 and 504 are not CMIS's:
they come from the proxy or the servlet container in front of the repository, as an HTML page.
"""

from __future__ import annotations

import json

JSON = "application/json;charset=UTF-8"  # as the transcripts' server writes it
HTML = "text/html; charset=utf-8"

# A fictitious CPR number with a valid date, echoed the way a refused query may echo a value.
ECHOED_CPR = "010190-1234"

# status -> (exception, message). The messages are the simulator's own, in the style of OpenCMIS's.
_EXCEPTIONS = {
    400: ("invalidArgument", f"Invalid statement: unknown value '{ECHOED_CPR}' in WHERE clause!"),
    # unverified: the 401 body. OpenCMIS's servlets answer CmisUnauthorizedException as JSON
    # `unauthorized`; a repository behind a login filter may answer an HTML page instead.
    401: ("unauthorized", "Unauthorized"),
    403: ("permissionDenied", "Permission denied!"),
    404: ("objectNotFound", "Unknown object id!"),
    405: ("notSupported", "Operation not supported!"),
    409: ("constraint", "The operation violates a repository constraint!"),
    500: ("runtime", "An internal error occurred in the repository."),
}
_FRONT = {413: "Request Entity Too Large", 429: "Too Many Requests", 502: "Bad Gateway",
          503: "Service Unavailable", 504: "Gateway Time-out"}


class CmisError(Exception):
    """A request the repository refuses with `status` and the CMIS exception `exception`."""

    def __init__(self, status: int, exception: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.exception = exception
        self.message = message

    def body(self) -> bytes:
        return _json(self.exception, self.message)


def _json(exception: str, message: str) -> bytes:
    return json.dumps({"exception": exception, "message": message}, ensure_ascii=False).encode("utf-8")


def error_page(status: int) -> tuple[bytes, str]:
    """The body and content type the repository (or what stands in front of it) answers `status` with."""
    if status in _FRONT:
        title = f"{status} {_FRONT[status]}"
        page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1><hr>nginx</body></html>\r\n"
        return page.encode(), HTML
    exception, message = _EXCEPTIONS.get(status) or (
        ("runtime", "An internal error occurred.") if status >= 500 else ("invalidArgument", "Invalid request!"))
    return _json(exception, message), JSON
