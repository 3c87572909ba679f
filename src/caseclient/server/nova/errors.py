"""How KMD Nova words a failure.

Nova's API is ASP.NET Core behind a gateway (`cap-novaapi.kmd.dk`). The error body format is not
documented anywhere public (shared docs/backends.md 4b: "HTTP status; body format unknown").
unverified: the simulator answers as an ASP.NET Core `[ApiController]` does by default: RFC 7807
problem details (`application/problem+json`) with `type` (an address), `title`, `status` and
`traceId`, and for a 400 the model-validation `errors` object, which may echo what the request held
(a CPR number included), so a client's redaction is put to the test. A 401 or 403 from the JWT
bearer handler has an empty body. 502-504 come from the gateway in front, as an HTML page.
API versioning's own 400s (`ApiVersionUnspecified`, `UnsupportedApiVersion`) have the
`{"error": {"code", "message"}}` shape of Microsoft's ASP.NET API Versioning, whose message names
the request's address.
"""

from __future__ import annotations

import json
import secrets

PROBLEM = "application/problem+json; charset=utf-8"
JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"

# A fictitious CPR number with a valid date, echoed the way a validation error may echo one.
ECHOED_CPR = "0101901234"

_TYPES = {
    400: "https://tools.ietf.org/html/rfc7231#section-6.5.1",
    404: "https://tools.ietf.org/html/rfc7231#section-6.5.4",
    405: "https://tools.ietf.org/html/rfc7231#section-6.5.5",
    409: "https://tools.ietf.org/html/rfc7231#section-6.5.8",
    413: "https://tools.ietf.org/html/rfc7231#section-6.5.11",
    415: "https://tools.ietf.org/html/rfc7231#section-6.5.13",
    429: "https://tools.ietf.org/html/rfc6585#section-4",
    500: "https://tools.ietf.org/html/rfc7231#section-6.6.1",
}
_TITLES = {
    400: "One or more validation errors occurred.",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Payload Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "An error occurred while processing your request.",
}
_GATEWAY = {502: "Bad Gateway", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out"}


class NovaError(Exception):
    """A request Nova answers with `status` and a problem-details body (`detail`, `errors`)."""

    def __init__(self, status: int, detail: str | None = None, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail or _TITLES.get(status, "Error"))
        self.status = status
        self.detail = detail
        self.errors = errors


def problem(status: int, detail: str | None = None, errors: dict[str, list[str]] | None = None) -> bytes:
    body: dict = {"type": _TYPES.get(status, _TYPES[500] if status >= 500 else _TYPES[400]),
                  "title": _TITLES.get(status, "Error"), "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body["traceId"] = f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-00"
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def error_page(status: int) -> tuple[bytes, str]:
    """The body and content type Nova (or its gateway) answers `status` with."""
    if status in (401, 403):
        return b"", TEXT
    if status in _GATEWAY:
        title = f"{status} {_GATEWAY[status]}"
        page = (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n"
                "<hr><center>Microsoft-Azure-Application-Gateway/v2</center>\r\n</body>\r\n</html>\r\n")
        return page.encode(), HTML
    if status == 400:
        return problem(400, errors={"caseParty.identification": [
            f"Der findes ingen part med identifikationen {ECHOED_CPR}."]}), PROBLEM
    return problem(status), PROBLEM


def version_error(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message, "innerError": None}}).encode("utf-8")
