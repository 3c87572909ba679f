"""The kinds of document service as test parameters: a kind whose simulator lacks what it needs
here (the vendor's contract, read from ../shared/reference, never copied in) is skipped with the
simulator's own sentence."""

from __future__ import annotations

import pytest

from caseclient.connection import BACKENDS
from caseclient.server import DIALECTS


def simulated_kinds() -> list:
    return [pytest.param(kind, marks=pytest.mark.skip(reason=why)) if (why := DIALECTS[spec.dialect].missing())
            else kind for kind, spec in BACKENDS.items()]
