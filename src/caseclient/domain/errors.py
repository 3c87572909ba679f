"""The error taxonomy that every backend maps its failures to.

Each class has a stable `code` for logs and a `retryable` flag for the outbox. Messages are one
sentence a user can read; they never hold a CPR number, a password or a token.
"""

from __future__ import annotations


class CaseclientError(Exception):
    code = "error"
    retryable = False

    def __init__(self, message: str, *, status: int | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status  # HTTP status when there was one
        self.detail = detail  # server text, already redacted, for the log only


class BackendError(CaseclientError):
    """The document service refused or failed a request."""

    code = "backend"


class AuthError(BackendError):
    code = "auth"


class NotFound(BackendError):
    code = "not_found"


class Conflict(BackendError):
    """The request clashes with the server's state (closed case, name exists, ...)."""

    code = "conflict"


class Duplicate(Conflict):
    """The server refused the document as already present."""

    code = "duplicate"


class Locked(BackendError):
    code = "locked"
    retryable = True


class ValidationFailed(BackendError):
    code = "validation"


class TooLarge(ValidationFailed):
    code = "too_large"


class NotSupported(BackendError):
    """The backend cannot do this at all (see its capability flags)."""

    code = "not_supported"


class RateLimited(BackendError):
    code = "rate_limited"
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class Transient(BackendError):
    """Network failure, 5xx, a server restarting: try again later."""

    code = "transient"
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kw) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class OutcomeUnknown(BackendError):
    """A write may or may not have landed: ask the backend (find_upload) before trying again."""

    code = "outcome_unknown"
    retryable = True


class InputError(CaseclientError):
    """The user's input is unusable: a missing file, a folder, an unreadable file."""

    code = "input"
