"""Which document service an outbox item was queued for: its kind and its address.

An item is filed only on the service it was queued for. An admin who moved the service moves the
waiting items explicitly (`caseclient outbox move --from URL --to URL`), never by accident.
The embedded reference service has no fixed address (a free port each start): its items are
recorded as ``embedded``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

EMBEDDED = "embedded"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ATTRIBUTE = "outbox_service_address"


def normalise_url(url: str) -> str:
    """The address as compared: scheme and host in lower case, no default port, no trailing slash,
    no query or fragment. ``embedded`` stays itself."""
    url = url.strip()
    if url.lower() == EMBEDDED:
        return EMBEDDED
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url.rstrip("/")
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"  # no password: it is never stored
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), "", ""))


@dataclass(frozen=True, slots=True)
class ServiceAddress:
    """A document service as the outbox knows it: its kind (``oio``, ``sbsys`` ...) and address."""

    kind: str
    url: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", normalise_url(self.url))

    @property
    def embedded(self) -> bool:
        return self.url == EMBEDDED

    def __str__(self) -> str:
        if self.embedded:
            return f"the embedded reference service ({self.kind})"
        return f"{self.kind} at {self.url}"


def mark_service(service: Any, address: ServiceAddress) -> Any:
    """Remember on a backend object which service it reaches (the composition root does this)."""
    try:
        setattr(service, _ATTRIBUTE, address)
    except AttributeError:  # a backend with __slots__: address_of falls back to its URL
        pass
    return service


def address_of(service: Any) -> ServiceAddress:
    """The address a backend reaches: the one the composition root marked it with, else its kind
    and base URL as far as the object tells."""
    marked = getattr(service, _ATTRIBUTE, None)
    if isinstance(marked, ServiceAddress):
        return marked
    kind = str(getattr(service, "name", "") or type(service).__name__)
    for owner in (service, getattr(service, "http", None)):
        url = getattr(owner, "base_url", None)
        if isinstance(url, str) and url:
            return ServiceAddress(kind, url)
    url = getattr(service, "url", None)
    return ServiceAddress(kind, url if isinstance(url, str) else "")
