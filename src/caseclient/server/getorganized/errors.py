"""How GetOrganized's servers word an error.

`/_goapi` is an ASP.NET Web API: an error is `{"Message": ...}`, and an unhandled exception adds
`ExceptionMessage` and `ExceptionType` (when the installation shows error details). SharePoint's
`/_api` answers OData errors. IIS itself answers its HTML pages (a stopped application pool's
"HTTP Error 503. The service is unavailable.", a refused sign-in's 401 page).
"""

from __future__ import annotations

import json
from html import escape as html_escape

from werkzeug.http import HTTP_STATUS_CODES

# Something personal in the bodies of 400 and 500, as real servers echo what they were sent: a
# client that shows server text must mask it. (A made-up, format-valid CPR number.)
PERSONAL_CPR = "0708614433"


class GoError(Exception):
    """An answer other than success: status, body and content type."""

    def __init__(self, status: int, body: bytes, content_type: str) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.content_type = content_type


def web_api_error(status: int, message: str, exception_message: str | None = None,
                  exception_type: str | None = None) -> GoError:
    body: dict[str, object] = {"Message": message}
    if exception_message is not None:
        body["ExceptionMessage"] = exception_message
        body["ExceptionType"] = exception_type or "System.Exception"
        body["StackTrace"] = None
    return GoError(status, json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8")


def exception(message: str, exception_type: str = "System.InvalidOperationException") -> GoError:
    """An unhandled .NET exception in a `_goapi` controller: HTTP 500 with its details.
    # unverified: whether an installation shows ExceptionMessage to remote callers (the Web API
    # default IncludeErrorDetailPolicy shows it to local callers only); this one does.
    """
    return web_api_error(500, "An error has occurred.", message, exception_type)


def odata_error(status: int, code: str, message: str, verbose: bool = False) -> GoError:
    """SharePoint REST's error (JSON light, or the verbose form with `odata=verbose`)."""
    error = {"code": code, "message": {"lang": "en-US", "value": message}}
    body = {"error": error} if verbose else {"odata.error": error}
    return GoError(status, json.dumps(body, ensure_ascii=False).encode(), "application/json;odata=minimalmetadata;charset=utf-8")


def iis_page(status: int, title: str, detail: str) -> GoError:
    page = (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\r\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\r\n<head>\r\n'
        f'<title>{html_escape(title)}</title>\r\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=us-ascii" />\r\n</head>\r\n'
        f'<body><h2>{html_escape(title)}</h2>\r\n<hr><p>{html_escape(detail)}</p>\r\n</body></html>\r\n'
    )
    return GoError(status, page.encode("ascii", "xmlcharrefreplace"), "text/html; charset=us-ascii")


SERVICE_UNAVAILABLE_PAGE = iis_page(503, "Service Unavailable", "HTTP Error 503. The service is unavailable.")


def error_for_status(status: int) -> GoError:
    """The shape each status takes on a GetOrganized server (used by the fault injector).
    # unverified: which layer answers which status on a real installation; chosen: IIS HTML for
    # 401 and for 5xx other than 500 (application pool or proxy failures), Web API JSON otherwise.
    """
    reason = HTTP_STATUS_CODES.get(status, "Error")
    if status == 400:
        return web_api_error(400, f"The request is invalid: no contact with CPR {PERSONAL_CPR} on the case.")
    if status == 401:
        return iis_page(401, "401 - Unauthorized: Access is denied due to invalid credentials.",
                        "You do not have permission to view this directory or page using the credentials that you supplied.")
    if status == 403:
        return web_api_error(403, "Access denied. You do not have permission to perform this action or access this resource.")
    if status == 404:
        return web_api_error(404, "No HTTP resource was found that matches the request URI.")
    if status == 409:
        return web_api_error(409, "Save Conflict. Your changes conflict with those made concurrently by another user.")
    if status == 413:
        return web_api_error(413, "The request message is too big. The server does not allow messages larger than 262144000 bytes.")
    if status == 429:
        return web_api_error(429, "The request has been throttled.")
    if status == 500:
        return exception(f"Could not update the contact data of {PERSONAL_CPR}: object reference not set to an instance of an object.",
                         "System.NullReferenceException")
    if status == 503:
        return SERVICE_UNAVAILABLE_PAGE
    if status >= 500:
        return iis_page(status, f"{status} - {reason}", f"HTTP Error {status}. {reason}.")
    return web_api_error(status, reason)


def error_page(status: int) -> tuple[bytes, str]:
    error = error_for_status(status)
    return error.body, error.content_type
