"""Composition root for the document service: a configured service URL, or the embedded one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from . import paths
from .backends.protocol import DocumentService

EMBEDDED_DEMO_CASES = 500


@contextmanager
def open_service(url: str | None) -> Iterator[DocumentService]:
    """The `oio` backend on `url`; without one, on the embedded reference service, started
    in-process on a free loopback port with its data in the user's data folder (and demo cases
    the first time)."""
    from .backends.oio import OioService

    if url:
        yield OioService(url)
        return
    from .server import ReferenceService

    embedded = ReferenceService(paths.reference_service_dir())
    embedded.seed_demo(EMBEDDED_DEMO_CASES)  # only the first time: a no-op once they exist
    try:
        yield OioService(embedded.start())
    finally:
        embedded.stop()
