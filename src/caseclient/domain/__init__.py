"""The caseworker's world in plain dataclasses: standard library only."""

from .case import Case
from .document import CHUNK, Direction, DocumentMetadata, DocumentRef, FilingRoute, Sensitivity, UploadSource, sha256_of
from .errors import (
    AuthError,
    BackendError,
    CaseclientError,
    Conflict,
    Duplicate,
    InputError,
    Locked,
    NotFound,
    NotSupported,
    OutcomeUnknown,
    RateLimited,
    TooLarge,
    Transient,
    ValidationFailed,
)
from .identifiers import Cpr, Cvr, find_cprs, is_cpr, is_cvr, is_kle_facet, is_kle_number, redact_cprs
from .party import Party, PartyRole

__all__ = [
    "AuthError", "BackendError", "CHUNK", "Case", "CaseclientError", "Conflict", "Cpr", "Cvr",
    "Direction", "DocumentMetadata", "DocumentRef", "Duplicate", "InputError", "Locked", "NotFound",
    "NotSupported", "OutcomeUnknown", "Party", "PartyRole", "RateLimited", "Sensitivity", "FilingRoute", "TooLarge",
    "Transient", "UploadSource", "ValidationFailed", "find_cprs", "is_cpr", "is_cvr",
    "is_kle_facet", "is_kle_number", "redact_cprs", "sha256_of",
]
