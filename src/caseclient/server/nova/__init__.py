"""The KMD Nova dialect of the reference service: Nova's REST API (`api/Case/GetList`,
`api/Document/GetList|GetFile|UploadFile|Import`, every call with `?api-version=`) over the shared
case and document store, with KMD's Keycloak realm `NovaIntegration` for sign-in that tests
switch on.

Facts and quirks copied from the vendor's clients (shared docs/backends.md, sections 0b and 4b):
`common{transactionId,uuid}` in every body; case numbers `S<year>-<serial>`; paging from row 1,
1-500 rows; output selection (`caseGetOutput`, `getOutput`) honoured, fields not asked for absent;
the caseworker a user (`kspIdentity`) or a unit (`losIdentity`); the two-phase upload with a
client-chosen document uuid; sensitivity and document type enumerations. Choices where the facts
run out are marked `# unverified` where they live.
"""

from __future__ import annotations

from .app import EXTENSION, NovaSimulator, nova_simulator, register
from .errors import error_page
from .signin import TOKEN_PATH

__all__ = ["EXTENSION", "NovaSimulator", "TOKEN_PATH", "error_page", "nova_simulator", "register"]
