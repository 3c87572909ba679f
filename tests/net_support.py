"""Shared pieces of the network tests: settings from key=value pairs, the reference service
with a sign-in gate, and a fake Kerberos client context."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.config import Settings, SettingsFiles, load_settings
from caseclient.server import ReferenceService
from caseclient.server.auth import FAKE_KERBEROS_REPLY, FAKE_KERBEROS_TICKET

DEMO_CASES = 3


def case_ids(url: str, session=None) -> list[str]:
    """The ids of the open cases a search through `session` finds (the read call of every test)."""
    return [c.id for c in OioService(url, session).search_cases(CaseQuery(limit=10))]


def settings_from(**pairs: str) -> Settings:
    """Settings with these values on the command-line layer (`auth__mode="token"` is auth.mode)."""
    return load_settings(SettingsFiles(command_line={k.replace("__", "."): v for k, v in pairs.items()}))


@pytest.fixture
def reference(tmp_path: Path) -> Iterator[ReferenceService]:
    service = ReferenceService(tmp_path / "reference")
    service.seed_demo(DEMO_CASES)
    service.start()
    try:
        yield service
    finally:
        service.stop()


class FakeKerberos:
    """A client context that checks the header flow: it gives the fake ticket for the expected
    host, and completes only when the server's reply token is the expected one."""

    def __init__(self, host: str, ticket: bytes = FAKE_KERBEROS_TICKET, reply: bytes = FAKE_KERBEROS_REPLY):
        self.host, self.ticket, self.reply = host, ticket, reply
        self.complete = False
        self.steps: list[bytes | None] = []

    def step(self, in_token: bytes | None = None) -> bytes | None:
        self.steps.append(in_token)
        if in_token is None:
            return self.ticket
        if in_token != self.reply:
            raise ValueError("the server's reply token is not the one the KDC would sign")
        self.complete = True
        return None


class FakeKerberosFactory:
    def __init__(self, **kwargs: bytes) -> None:
        self.kwargs = kwargs
        self.contexts: list[FakeKerberos] = []

    def __call__(self, host: str) -> FakeKerberos:
        context = FakeKerberos(host, **self.kwargs)
        self.contexts.append(context)
        return context
