"""Secrets in the operating system's keyring, and nowhere else.

Windows Credential Manager, macOS Keychain, the Secret Service (GNOME Keyring, KWallet) are fine.
Backends that keep secrets in plain text (keyrings.alt's PlaintextKeyring and its kind), or no
backend at all, are refused with one clear sentence. Every secret read or stored is remembered by
the redaction filter, so it is masked should it ever reach a log line or an error message.
"""

from __future__ import annotations

import enum

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from .domain import CaseclientError
from .redaction import remember_secret

_NO_KEYRING = {
    "keyring.backends.fail.Keyring",
    "keyring.backends.null.Keyring",
}
_PLAINTEXT_WORDS = ("plaintext", "plain_text", "unencrypted", "uncrypted")


class KeyringError(CaseclientError):
    """The system keyring is missing, refused, locked or failed."""

    code = "keyring"


class SecretKind(enum.Enum):
    TOKEN = "token"  # a bearer/API token
    PASSWORD = "password"  # basic sign-in
    CLIENT_SECRET = "client_secret"  # OAuth2 client credentials
    REFRESH_TOKEN = "refresh_token"  # OAuth2 authorisation code sign-in
    CERTIFICATE_PASSWORD = "certificate_password"  # a PKCS#12 file's or PEM key's password
    CASE_INDEX_KEY = "case_index_key"  # the local case index's key for CPR/CVR hashes (hex)


def backend_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _why_refused(backend: KeyringBackend) -> str | None:
    name = backend_name(backend)
    if name in _NO_KEYRING:
        return "no system keyring is available"
    if any(word in name.lower() for word in _PLAINTEXT_WORDS):
        return f"the keyring backend {name} stores secrets in plain text"
    children = getattr(backend, "backends", None)  # keyring's ChainerBackend
    if isinstance(children, list):
        if not children:
            return "no system keyring is available"
        for child in children:
            if why := _why_refused(child):
                return why
    return None


def check_backend(backend: KeyringBackend) -> None:
    """Raise KeyringError when secrets would not be safe in this backend."""
    why = _why_refused(backend)
    if why:
        raise KeyringError(
            f"caseclient cannot keep your sign-in safe: {why}; install or unlock the system keyring "
            "(Windows Credential Manager, macOS Keychain, GNOME Keyring or KWallet)."
        )


class CredentialStore:
    """Secrets per document service: `get(url, SecretKind.PASSWORD, "jens")`."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self.backend = backend if backend is not None else keyring.get_keyring()
        check_backend(self.backend)

    @property
    def backend_name(self) -> str:
        return backend_name(self.backend)

    @staticmethod
    def _address(service_url: str, kind: SecretKind, account: str) -> tuple[str, str]:
        service = f"caseclient {service_url.rstrip('/') or 'embedded service'}"
        return service, f"{kind.value}:{account}" if account else kind.value

    def get(self, service_url: str, kind: SecretKind, account: str = "") -> str | None:
        try:
            value = self.backend.get_password(*self._address(service_url, kind, account))
        except keyring.errors.KeyringError as exc:
            raise KeyringError(f"The system keyring could not be read ({type(exc).__name__}).") from None
        remember_secret(value)
        return value

    def set(self, service_url: str, kind: SecretKind, value: str, account: str = "") -> None:
        remember_secret(value)
        try:
            self.backend.set_password(*self._address(service_url, kind, account), value)
        except keyring.errors.KeyringError as exc:
            raise KeyringError(f"The system keyring could not store the secret ({type(exc).__name__}).") from None

    def delete(self, service_url: str, kind: SecretKind, account: str = "") -> None:
        try:
            self.backend.delete_password(*self._address(service_url, kind, account))
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            raise KeyringError(f"The system keyring could not delete the secret ({type(exc).__name__}).") from None
