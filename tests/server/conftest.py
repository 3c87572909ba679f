"""Fixtures of the reference service tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def url(reference_service) -> str:
    return reference_service.url
