"""How F2 words a failure (F2-REST v13, shared docs/backends.md 4a (e)): a JSON body
`{"Message", "Details", "ReasonCode", "Links"}` with the HTTP status. 409 means the case's state
does not allow the change (`DossierCaseClosed`), 423 that the item is open for editing elsewhere
(`LockedByAnotherUser`, retry later), 503 a deadlock or overload (retry). 502 comes from a proxy in
front of F2, as an HTML page.
"""

from __future__ import annotations

import json

JSON = "application/json; charset=utf-8"
HTML = "text/html; charset=utf-8"

# A fictitious CPR number with a valid date, echoed the way a refused party may be echoed.
ECHOED_CPR = "010190-1234"

# status -> (ReasonCode, Message). The Danish wording is the simulator's own.
_ERRORS = {
    400: ("DossierBadCPR", f"CPR-nummeret {ECHOED_CPR} er ikke gyldigt, og akten blev ikke oprettet."),
    401: ("Unauthorized", "Adgangstokenet mangler, er ugyldigt eller udløbet."),
    403: ("DossierNoWriteAccess", "Brugeren har ikke skriveadgang til sagen."),
    404: ("DossierCaseNotFound", "Sagen findes ikke."),
    405: ("MethodNotAllowed", "Metoden er ikke tilladt for denne ressource."),
    409: ("DossierCaseClosed", "Sagen er afsluttet, og der kan ikke oprettes akter på den."),
    413: ("FileTooLarge", "Filen er for stor."),
    415: ("UnsupportedMediaType", "Indholdstypen understøttes ikke."),
    423: ("LockedByAnotherUser", "Akten er åben til redigering hos en anden bruger; prøv igen senere."),
    429: ("TooManyRequests", "For mange forespørgsler; prøv igen senere."),
    500: ("InternalError", "Der opstod en uventet fejl i F2."),
    503: ("ServiceUnavailable", "F2 er optaget (deadlock eller overbelastning); prøv igen senere."),
}
_PROXY = {502: "Bad Gateway", 504: "Gateway Time-out"}


class F2Error(Exception):
    """A request F2 answers with `status` and its error body."""

    def __init__(self, status: int, message: str, reason: str | None = None, details: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.reason = reason or _ERRORS.get(status, ("Error", ""))[0]
        self.details = details

    def body(self) -> bytes:
        return _json(self.message, self.details, self.reason)


def _json(message: str, details: str, reason: str) -> bytes:
    return json.dumps({"Message": message, "Details": details, "ReasonCode": reason, "Links": []},
                      ensure_ascii=False).encode("utf-8")


def error_page(status: int) -> tuple[bytes, str]:
    """The body and content type F2 (or the proxy in front of it) answers `status` with."""
    if status in _PROXY:
        title = f"{status} {_PROXY[status]}"
        page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1><hr>nginx</body></html>\r\n"
        return page.encode(), HTML
    reason, message = _ERRORS.get(status) or (
        ("InternalError", "Der opstod en fejl i F2.") if status >= 500 else ("BadRequest", "Forespørgslen er ugyldig."))
    return _json(message, "", reason), JSON
