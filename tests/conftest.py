"""Shared fixtures: sample files from ../shared/samples (skip when absent), and the reference
OIO service (in-process, on a free loopback port)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from caseclient.server import ReferenceService

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# The whole session logs at DEBUG; afterwards every log file is scanned for CPRs and test secrets.
pytest_plugins = ["log_audit", "qt_leaks"]

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "samples"


@pytest.fixture(scope="session")
def samples() -> Path:
    """The shared sample files; tests that use them skip cleanly when the folder is absent."""
    if not SAMPLES.is_dir():
        pytest.skip(f"sample files not found at {SAMPLES}")
    return SAMPLES


@pytest.fixture
def reference_service(tmp_path: Path) -> Iterator[ReferenceService]:
    """A fresh reference OIO service on a free loopback port with 30 demo cases (seed 1)."""
    service = ReferenceService(tmp_path / "reference-service")
    service.seed_demo(30, seed=1)
    with service:
        yield service


@pytest.fixture(scope="session")
def demo_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReferenceService]:
    """One reference service for the whole session with 300 demo cases (seed 2).

    Shared: tests may add objects to it but must not change or delete its demo cases."""
    service = ReferenceService(tmp_path_factory.mktemp("demo-service"))
    service.seed_demo(300, seed=2)
    with service:
        yield service
