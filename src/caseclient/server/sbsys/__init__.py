"""The SBSYS dialect: SBSYS's Web API (reached through SBSIP) over the shared case store."""

from __future__ import annotations

from .app import EXTENSION, SbsysSimulator, register, sbsys_simulator
from .errors import error_page
from .signin import TOKEN_PATH, SignIn

__all__ = ["EXTENSION", "SbsysSimulator", "SignIn", "TOKEN_PATH", "error_page", "register", "sbsys_simulator"]
