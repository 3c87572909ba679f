"""The F2 dialect: cBrain F2's REST API (F2-REST v13, hypermedia with Post-Once-Exactly) over the
shared case store."""

from __future__ import annotations

from .app import EXTENSION, SERVICE_INDEX, F2Simulator, f2_simulator, register
from .errors import error_page
from .signin import TOKEN_PATH, SignIn

__all__ = ["EXTENSION", "F2Simulator", "SERVICE_INDEX", "SignIn", "TOKEN_PATH", "error_page", "f2_simulator",
           "register"]
