"""The Formpipe Acadre dialect of the reference service: PWS `AcadreServiceV7.asmx` (SOAP 1.1).

Answers from the real WSDL/XSD set, read from ../shared/reference/acadre-pws-v7 beside the
repository (or the folder in CASECLIENT_ACADRE_CONTRACT), never from a copy: without it the
simulator refuses to start. Facts copied from the vendor's contract and clients (shared
docs/backends.md 0b and 4c): CreateMainDocument's required fields and its bare DocumentIdentifier
answer; the internal CaseFileReference apart from the shown case number; faults naming their kind
through ErrorListEnum (GetErrorType); the acting user in the SOAP header; NTLM sign-in (IIS).
Choices where the facts run out are marked `# unverified` where they live.
"""

from __future__ import annotations

from .app import EXTENSION, Simulator, register
from .contract import ContractMissing
from .errors import error_page

__all__ = ["EXTENSION", "ContractMissing", "Simulator", "error_page", "register"]
