"""The CMIS dialect: a CMIS 1.1 browser-binding repository (the OASIS standard Alfresco, Nuxeo
and others share) over the shared case store."""

from __future__ import annotations

from .app import BROWSER, EXTENSION, REPOSITORY_ID, CmisSimulator, SignIn, cmis_simulator, register
from .errors import error_page

__all__ = ["BROWSER", "EXTENSION", "REPOSITORY_ID", "CmisSimulator", "SignIn", "cmis_simulator", "error_page",
           "register"]
