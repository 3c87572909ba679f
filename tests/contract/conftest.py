"""The contract every backend passes, against its simulator in the reference service.

Parametrised over every kind in the composition root's table (caseclient.connection.BACKENDS): a
new backend is done when it passes this suite unchanged. Each kind gets one reference service per
test module, speaking the kind's dialect over the same demo cases, and the backend is built the way
the app builds it (settings -> session -> backend_for).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from backend_contract import DEMO_CASES, KINDS, Subject, settings_for
from caseclient.connection import BACKENDS, backend_for
from caseclient.net import build_session
from caseclient.server import ReferenceService


@pytest.fixture(scope="module", params=KINDS)
def subject(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Subject]:
    kind = request.param
    data = tmp_path_factory.mktemp(f"contract-{kind}")
    service = ReferenceService(data / "service", dialect=BACKENDS[kind].dialect)
    service.seed_demo(DEMO_CASES, seed=3)
    url = service.start()
    try:
        settings = settings_for(kind, url)
        session = build_session(settings)
        yield Subject(kind, service, backend_for(settings, session), session, data)
    finally:
        service.stop()
