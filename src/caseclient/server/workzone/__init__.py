"""The KMD WorkZone dialect of the reference service: WorkZone's OData v4 service (`/OData4/`)
over the shared case and document store, with an Entra ID style token endpoint that tests switch on.

Facts and quirks copied from KMD's OData4 samples and CSDL (shared docs/backends.md, sections 0b
and 3); choices where the facts run out are marked `# unverified` where they live.
"""

from __future__ import annotations

from .app import EXTENSION, ON_BEHALF_OF_HEADER, PAGE_SIZE, WorkZoneSimulator, register, workzone_simulator
from .errors import error_page
from .signin import SignIn, token_path

__all__ = ["EXTENSION", "ON_BEHALF_OF_HEADER", "PAGE_SIZE", "SignIn", "WorkZoneSimulator", "error_page",
           "register", "token_path", "workzone_simulator"]
