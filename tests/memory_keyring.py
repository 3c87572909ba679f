"""A real keyring backend that keeps secrets in memory, registered with keyring for a test."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend


# The log audit looks for every secret the tests used in every log line: a short or common one
# ("forkert", or "f2-cc", which hides in a uuid like ...b4f2-cc01-...) is found there by chance.
MIN_TEST_SECRET = 10


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        assert len(password) >= MIN_TEST_SECRET, (
            f"a test secret of {len(password)} characters may occur in ordinary log text by chance, and the log "
            f"audit would then report a leak: use at least {MIN_TEST_SECRET} unusual characters")
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
