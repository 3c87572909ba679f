"""How SBSYS words a failure: an HTTP status and a free-text body.

The body of a 400 is often the only explanation there is, and it may echo what the request held,
personal data included (AAK's client redacts it for that reason): the simulator's texts do too,
so a client's redaction is put to the test. The Danish wording is the simulator's own.
502 and 503 come from the proxy in front of the Web API (SBSIP), as an HTML page.
"""

from __future__ import annotations

# A fictitious CPR number with a valid date, echoed the way a real 400 may echo one.
ECHOED_CPR = "010190-1234"

TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"

_TEXTS = {
    400: f"Anmodningen kunne ikke behandles: SagsPart med CPR-nummer {ECHOED_CPR} er ikke part på sagen, "
         "og dokumentet blev ikke journaliseret.",
    401: "Adgang nægtet: der mangler et gyldigt adgangstoken, eller det er udløbet.",
    403: "Brugeren har ikke adgang til at se eller ændre sagen.",
    404: "Den ønskede ressource blev ikke fundet.",
    405: "Metoden er ikke tilladt for denne ressource.",
    409: "Sagen er afsluttet og kan ikke ændres.",
    413: "Filen er for stor til at blive journaliseret.",
    415: "Anmodningens indholdstype understøttes ikke.",
    429: "For mange anmodninger; prøv igen senere.",
    500: "Der opstod en uventet fejl i SBSYS.",
}
_PROXY = {502: "Bad Gateway", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out"}


class SbsysError(Exception):
    """A request SBSYS answers with `status` and the free text `text`."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def error_page(status: int) -> tuple[bytes, str]:
    """The body and content type SBSYS (or its proxy) answers `status` with."""
    if status in _PROXY:
        title = f"{status} {_PROXY[status]}"
        page = f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n" \
               "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        return page.encode(), HTML
    text = _TEXTS.get(status) or ("Der opstod en fejl i SBSYS." if status >= 500 else "Anmodningen er ugyldig.")
    return text.encode("utf-8"), TEXT
