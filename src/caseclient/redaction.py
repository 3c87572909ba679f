"""Masking what must never be shown: CPR numbers, passwords, tokens, Authorization headers.

`redact(text)` is applied to every log record (logging_setup) and to error text before a user or
a support report sees it. Besides the shapes below, every secret caseclient reads from the keyring
or receives from a token endpoint is remembered (`remember_secret`) and masked wherever it appears.
"""

from __future__ import annotations

import re
import threading

from .domain import redact_cprs

MASK = "[redacted]"
_MIN_SECRET_LENGTH = 4

_AUTH_HEADER = re.compile(
    r"""(?i)((?:proxy-)?(?:authorization|www-authenticate|cookie|set-cookie)['"]?\s*[:=]\s*['"]?)([^'"\r\n}]+)"""
)
_SCHEME_TOKEN = re.compile(r"(?i)\b(Bearer|Basic|Negotiate|NTLM|Digest)\s+[A-Za-z0-9._~+/=-]{6,}")
_KEY_VALUE = re.compile(
    r"""(?i)\b((?:password|passwd|pwd|passphrase|secret|client_secret|token|access_token|refresh_token|"""
    r"""id_token|api_key|apikey|code_verifier|assertion)['"]?\s*[:=]\s*['"]?)([^\s'"&,;}]+)"""
)
_QUERY_CODE = re.compile(r"(?i)([?&](?:code|code_verifier|ticket|session_state)=)([^&\s#'\"]+)")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_URL_PASSWORD = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)([^/\s@]+)(@)")

_known: set[str] = set()
_known_lock = threading.Lock()


def remember_secret(value: str | None) -> None:
    """Mask this exact value from now on, wherever it shows up (a password, a token, a PIN)."""
    if value and len(value) >= _MIN_SECRET_LENGTH:
        with _known_lock:
            _known.add(value)


def remembered_secrets() -> frozenset[str]:
    """Every secret remembered so far (for audits that prove none reached a file)."""
    with _known_lock:
        return frozenset(_known)


def redact(text: str) -> str:
    if not text:
        return text
    with _known_lock:
        known = sorted(_known, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + MASK, text)
    text = _SCHEME_TOKEN.sub(lambda m: f"{m.group(1)} {MASK}", text)
    text = _KEY_VALUE.sub(lambda m: m.group(1) + MASK, text)
    text = _QUERY_CODE.sub(lambda m: m.group(1) + MASK, text)
    text = _JWT.sub(MASK, text)
    text = _URL_PASSWORD.sub(lambda m: m.group(1) + MASK + m.group(3), text)
    return redact_cprs(text)
