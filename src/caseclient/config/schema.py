"""Every setting caseclient knows: its key, type, default and the rule its values must follow.

Keys are `table.name`, the way they appear in the TOML files (`[service]` / `url = ...`), in the
Windows policy registry (`HKLM\\Software\\Policies\\caseclient\\service`, value `url`) and on the
command line (`service.url=...`). Secrets have no key at all: they live in the system keyring.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

AUTH_MODES = (
    "none",
    "token",
    "basic",
    "oauth2_client_credentials",
    "oauth2_password",
    "oauth2_authorization_code",
    "negotiate",
    "ntlm",
    "client_certificate",
)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
SECRET_NAMES = frozenset(
    {
        "password", "passwd", "token", "secret", "client_secret", "api_key", "apikey",
        "access_token", "refresh_token", "certificate_password", "passphrase",
    }
)


class InvalidValue(ValueError):
    """The problem with one value, phrased to follow "setting 'key' ..."."""


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    default: object
    help: str
    parse: Callable[[object, Path | None], object]
    """(raw value, folder of the file it came from) -> the checked value, or InvalidValue."""

    @property
    def table(self) -> str:
        return self.key.split(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.split(".", 1)[1]


def _shown(raw: object) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def text(raw: object, _base: Path | None = None) -> str:
    if not isinstance(raw, str):
        raise InvalidValue(f"must be text in quotes, not {_shown(raw)}")
    return raw.strip()


_KIND = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def kind_name(raw: object, _base: Path | None = None) -> str:
    """A kind of document service: a short lower-case name. Which kinds exist is the composition
    root's table (caseclient.connection.BACKENDS), which refuses one it does not know."""
    value = raw.strip().lower() if isinstance(raw, str) else ""
    if not _KIND.match(value):
        raise InvalidValue(f"must be the short name of a kind of document service, such as oio, not {_shown(raw)}")
    return value


def choice(*allowed: str, upper: bool = False) -> Callable[[object, Path | None], str]:
    def parse(raw: object, _base: Path | None = None) -> str:
        value = text(raw)
        value = value.upper() if upper else value.lower()
        if value not in allowed:
            raise InvalidValue(f"must be one of {', '.join(allowed)}, not {_shown(raw)}")
        return value

    return parse


def number(minimum: float, maximum: float, *, whole: bool = False) -> Callable[[object, Path | None], float | int]:
    kind = "a whole number" if whole else "a number"

    def parse(raw: object, _base: Path | None = None) -> float | int:
        value: float | int
        try:
            if isinstance(raw, bool):
                raise ValueError
            if isinstance(raw, str):
                value = int(raw.strip()) if whole else float(raw.strip())
            elif isinstance(raw, int) or (isinstance(raw, float) and not whole):
                value = raw
            else:
                raise ValueError
        except ValueError:
            raise InvalidValue(f"must be {kind} between {minimum:g} and {maximum:g}, not {_shown(raw)}") from None
        if not minimum <= value <= maximum:
            raise InvalidValue(f"must be between {minimum:g} and {maximum:g}, not {value:g}")
        return value

    return parse


def boolean(raw: object, _base: Path | None = None) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):  # a registry DWORD
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in ("true", "yes", "1", "false", "no", "0"):
        return raw.strip().lower() in ("true", "yes", "1")
    raise InvalidValue(f"must be true or false, not {_shown(raw)}")


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def service_address(raw: object, _base: Path | None = None) -> str:
    """An https:// address; plain http only to this machine (the embedded reference service)."""
    value = text(raw)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidValue(f"must be a web address such as https://host/path, not {_shown(raw)}")
    if parts.username or parts.password:
        raise InvalidValue("must not hold a user name or password; caseclient keeps those in the system keyring")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise InvalidValue(f"must use https:// (plain http is allowed only to this machine), not {_shown(raw)}")
    return value


def proxy(raw: object, _base: Path | None = None) -> str:
    value = text(raw)
    if value.lower() in ("system", "none"):
        return value.lower()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https", "socks5", "socks5h") or not parts.hostname:
        raise InvalidValue(f"must be system, none or a proxy address such as http://proxy:8080, not {_shown(raw)}")
    if parts.password:
        raise InvalidValue("must not hold a password; caseclient keeps passwords in the system keyring")
    return value


def existing_file(raw: object, base: Path | None = None) -> str:
    """A file that exists; a relative path is relative to the settings file that names it."""
    value = text(raw)
    if not value:
        return ""
    path = Path(value).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    if not path.is_file():
        raise InvalidValue(f"names a file that does not exist: {path}")
    return str(path)


def _s(key: str, default: object, parse: Callable[[object, Path | None], object], help: str) -> Setting:
    return Setting(key, default, help, parse)


SETTINGS: tuple[Setting, ...] = (
    _s("service.kind", "oio", kind_name, "the kind of document service (oio, sbsys, getorganized, ...)"),
    _s("service.url", "", service_address, "the document service's address; empty: the embedded reference service"),
    _s("service.caseworker", "", text, "who the user is at the document service (an OIO uuid or urn), for My cases"),
    _s("auth.mode", "none", choice(*AUTH_MODES), "how caseclient signs in to the document service"),
    _s("auth.username", "", text, "the user name for basic, NTLM (DOMAIN\\user or user@domain) and OAuth2 password sign-in (the password is in the keyring)"),
    _s("auth.client_id", "", text, "the OAuth2/OIDC client id"),
    _s("auth.scope", "", text, "the OAuth2 scopes to ask for, separated by spaces"),
    _s("auth.oidc_issuer", "", service_address, "an OpenID Connect issuer whose discovery document names the endpoints"),
    _s("auth.token_url", "", service_address, "the OAuth2 token endpoint"),
    _s("auth.authorization_url", "", service_address, "the OAuth2 authorisation endpoint (sign-in in the browser)"),
    _s("auth.sign_in_timeout", 300.0, number(10, 3600), "seconds to wait for a sign-in in the browser"),
    _s("auth.negotiate_service", "HTTP", text, "the Kerberos service class of the document service (SPN prefix)"),
    _s("tls.ca_bundle", "", existing_file, "extra CA certificates (PEM) to trust besides the system's"),
    _s("tls.client_certificate", "", existing_file, "a client certificate: PEM, or PKCS#12 (.p12/.pfx)"),
    _s("tls.client_key", "", existing_file, "the PEM private key of the client certificate, when in its own file"),
    _s("network.proxy", "system", proxy, "system (the machine's proxy settings), none, or a proxy address"),
    _s("network.no_proxy", "", text, "hosts reached without the proxy, separated by commas"),
    _s("network.connect_timeout", 10.0, number(0.5, 300), "seconds to wait for a connection"),
    _s("network.read_timeout", 120.0, number(1, 3600), "seconds to wait for an answer"),
    _s("service.cmis_case_folder", "/Sager", text, "CMIS: the folder whose subfolders are the cases, each named by its case number"),
    _s("service.cmis_case_number_property", "", text, "CMIS: a property that holds the case number, to find case folders by a query on it instead of by path (e.g. esdh:sagsnummer)"),
    _s("service.cmis_case_type", "esdh:sag", text, "CMIS: the folder type of case folders (queried for cases)"),
    _s("service.cmis_case_properties", "title=esdh:titel, kle=esdh:kle, caseworker=esdh:sagsbehandler, status=esdh:status, parties=esdh:parter", text,
       "CMIS: which properties of a case folder hold its title, KLE number, caseworker, status and parties (CPR/CVR)"),
    _s("service.cmis_document_properties", "type=esdh:dokument, date=esdh:dokumentdato, direction=esdh:retning", text,
       "CMIS: the type documents are created as, and which of its properties hold the letter date and the direction (empty: cmis:document alone)"),
    _s("intake.own_addresses", "", text, "the user's own mail addresses, separated by commas: mail from them is outgoing"),
    _s("intake.internal_domains", "", text, "the organisation's mail domains, separated by commas: mail among them is internal"),
    _s("intake.attachments", "separate", choice("separate", "with-mail"),
       "how a mail's attachments are filed: separate (each also as a document beside the mail, as the app "
       "offers them) or with-mail (only the mail, its attachments inside it)"),
    _s("filing.undo_window", 10, number(0, 600, whole=True),
       "seconds a document waits after it is filed before its upload starts, while it can be undone "
       "(Fortryd); 0: no undo window"),
    _s("logging.level", "INFO", choice(*LOG_LEVELS, upper=True), "how much goes into the log files"),
    _s("logging.max_file_mb", 5, number(1, 100, whole=True), "size of one log file before it rotates"),
    _s("logging.keep_files", 5, number(1, 50, whole=True), "how many rotated log files are kept"),
)
BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}
TABLES: frozenset[str] = frozenset(s.table for s in SETTINGS)
