"""How Acadre's PWS (an ASMX service on IIS) words a failure.

A refusal by Acadre itself is a SOAP 1.1 fault, HTTP 500, as ASMX sends every exception: faultcode
`soap:Server`, a faultstring naming the .NET exception, and a `detail`. PWS names the kind of
failure through `ErrorListEnum` (ConfigurationService7 `GetErrorType(ErrorCode) -> ErrorType`).
A status that never reaches the service (sign-in, size limits, a busy server) is IIS's own HTML
page.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
ERROR_NS = "http://www.traen.com/2008/01/20"  # the namespace of ErrorCode and ErrorType
XML = "text/xml; charset=utf-8"
HTML = "text/html"

# The ErrorListEnum values the simulator raises, and the .NET exception each one names.
CASE_NOT_FOUND = "Acadre_CM_Model_CaseNotFoundException"
CASE_CLOSED = "Acadre_CM_Framework_Security_CaseClosedException"
DOCUMENT_LOCKED = "Acadre_CM_Model_Documents_DocumentIsLockedException"
NOT_AUTHORIZED = "Acadre_CM_Framework_Security_NotAuthorizedToAccessCodeException"
AUTHENTICATION = "Acadre_CM_Framework_Security_Authentication_AuthenticationException"
DUPLICATE_NAME = "System_Data_DuplicateNameException"
ARGUMENT = "System_ArgumentException"
ARGUMENT_NULL = "System_ArgumentNullException"
NO_VERSION = "Acadre_CM_Model_Documents_NoDocumentVersionFoundException"


def error_code(kind: str) -> str:
    """The ErrorCode a fault carries for an ErrorListEnum value."""
    # unverified: what PWS puts in a fault's ErrorCode. Read here as the exception's .NET type
    # name (the enum values are those names with '_' for '.'), carried in the fault's <detail>.
    return kind.replace("_", ".")


def error_type(code: str, known: frozenset[str]) -> str | None:
    """GetErrorType: the ErrorListEnum value of an ErrorCode, or None."""
    kind = code.strip().replace(".", "_")
    return kind if kind in known else None


class AcadreFault(Exception):
    """A request PWS refuses with a SOAP fault of `kind` (an ErrorListEnum value)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def soap_fault(message: str, kind: str | None = None, *, client: bool = False) -> bytes:
    """An ASMX SOAP 1.1 fault. `kind` (an ErrorListEnum value) adds the ErrorCode in <detail>."""
    exception = (error_code(kind) if kind else "System.Exception")
    text = (f"System.Web.Services.Protocols.SoapException: Server was unable to process request. "
            f"---> {exception}: {message}")
    if client:
        text = f"System.Web.Services.Protocols.SoapException: {message}"
    detail = (f'<detail><ErrorCode xmlns="{ERROR_NS}">{escape(error_code(kind))}</ErrorCode></detail>'
              if kind else "<detail />")
    return (f'<?xml version="1.0" encoding="utf-8"?>'
            f'<soap:Envelope xmlns:soap="{SOAP_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soap:Body><soap:Fault>'
            f'<faultcode>soap:{"Client" if client else "Server"}</faultcode>'
            f'<faultstring>{escape(text)}</faultstring>{detail}'
            f'</soap:Fault></soap:Body></soap:Envelope>').encode("utf-8")


_IIS = {
    400: ("Bad Request", "The request could not be understood by the server due to malformed syntax."),
    401: ("Unauthorized", "401 - Unauthorized: Access is denied due to invalid credentials."),
    403: ("Forbidden", "403 - Forbidden: Access is denied."),
    404: ("Not Found", "404 - File or directory not found."),
    409: ("Conflict", "The request could not be completed due to a conflict with the current state of the resource."),
    413: ("Request Entity Too Large", "The page was not displayed because the request entity is too large."),
    429: ("Too Many Requests", "The client has sent too many requests in a given amount of time."),
    502: ("Bad Gateway", "502 - Web server received an invalid response while acting as a gateway or proxy server."),
    503: ("Service Unavailable", "HTTP Error 503. The service is unavailable."),
}


def iis_page(status: int) -> bytes:
    title, text = _IIS.get(status, ("Error", "An error occurred on the server."))
    return (f'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            f'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\r\n<html xmlns="http://www.w3.org/1999/xhtml">'
            f"<head><title>{status} - {title}</title></head><body><div id=\"header\"><h1>Server Error</h1></div>"
            f"<div id=\"content\"><fieldset><h2>{escape(text)}</h2></fieldset></div></body></html>").encode()


def error_page(status: int) -> tuple[bytes, str]:
    """The body and content type Acadre's server answers `status` with: a SOAP fault for 500
    (an exception without an ErrorCode), IIS's page for anything else."""
    if status == 500:
        # unverified: the wording of a fault PWS sends for an exception outside ErrorListEnum.
        return soap_fault("Timeout expired. The timeout period elapsed prior to completion of the operation."), XML
    return iis_page(status), HTML
