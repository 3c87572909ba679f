"""The GetOrganized (Netcompany) dialect of the reference service: GO's `/_goapi` Web API with
SharePoint's REST API beside it, over the shared case and document store.

Facts and quirks copied from the vendor's clients (shared docs/backends.md, sections 0b and 1):
CaseIDs `PREFIX-YYYY-NNNNNN`; lookup fields `"<listItemId>;#<label>"` whose ids differ per
installation; FindByCaseProperties answering deleted cases with `"ItemExists": false`; FindCases'
XML inside JSON with its ServiceStatus; files sent inside JSON as byte arrays or base64; big files
through SharePoint's chunked upload, indexed (given a DocID) a moment later; `ows_Dato` month
first on Documents/Metadata; DocumentBytes answering 200 with IIS' 503 page for big files; no
idempotency but `Overwrite` and file names; NTLM sign-in. Choices where the facts run out are
marked `# unverified` where they live.
"""

from __future__ import annotations

from .app import EXTENSION, Simulator, register
from .errors import error_page
from .signin import Accounts, KeepAliveListener

__all__ = ["EXTENSION", "Accounts", "KeepAliveListener", "Simulator", "error_page", "register"]
