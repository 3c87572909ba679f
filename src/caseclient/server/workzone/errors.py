"""How WorkZone's OData service words a failure: OData v4's error JSON, `{"error": {"code",
"message"}}` (unverified: the shape is the OData standard's; no WorkZone error body is public),
and, for 502/503/504, the HTML page of the gateway in front of it.

The 400 text echoes what the request held, CPR number included, as OData's validation messages
echo a bad value: a client's redaction is put to the test.
"""

from __future__ import annotations

import json

# A fictitious CPR number with a valid date, echoed the way a validation message echoes a value.
ECHOED_CPR = "010190-1234"

JSON = "application/json; odata.metadata=minimal; charset=utf-8"
HTML = "text/html; charset=utf-8"

_MESSAGES = {
    400: f"The value '{ECHOED_CPR}' is not valid for the property 'NameCode' of 'WorkZone.Contact'.",
    401: "Authorization has been denied for this request.",
    403: "The user does not have the permission to perform the requested operation.",
    404: "The requested resource was not found.",
    405: "The HTTP method is not allowed for this resource.",
    409: "The record cannot be changed because the case is closed.",
    413: "The request entity is too large.",
    415: "The content type of the request is not supported.",
    429: "Too many requests; try again later.",
    500: "An error has occurred.",
    501: "The requested functionality is not implemented.",
}
_GATEWAY = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


class ODataError(Exception):
    """A request WorkZone answers with `status` and OData's error JSON."""

    def __init__(self, status: int, message: str, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code


def error_body(status: int, message: str, code: str = "") -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False).encode("utf-8")


def error_page(status: int) -> tuple[bytes, str]:
    """The body and content type WorkZone (or the gateway in front of it) answers `status` with."""
    if status in _GATEWAY:
        title = f"{status} {_GATEWAY[status]}"
        page = (f"<!DOCTYPE html>\r\n<html><head><title>{title}</title></head>\r\n"
                f"<body><h1>{title}</h1><p>The gateway could not reach the WorkZone service.</p></body></html>\r\n")
        return page.encode(), HTML
    message = _MESSAGES.get(status) or ("An error has occurred." if status >= 500 else "The request is invalid.")
    return error_body(status, message), JSON
