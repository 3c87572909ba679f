"""Scan folder fixtures: the real `oio` backend on the reference service, and a few open cases."""

from __future__ import annotations

import pytest

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.domain import Case


@pytest.fixture
def backend(reference_service) -> OioService:
    return OioService(reference_service.url)


@pytest.fixture
def cases(backend) -> list[Case]:
    found = [c for c in backend.search_cases(CaseQuery(limit=100)) if not c.closed]
    assert len(found) >= 5
    return found
