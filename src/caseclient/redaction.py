"""Masking what must never be shown: CPR numbers, passwords, tokens, Authorization headers.

`redact(text)` is applied to every log record (logging_setup) and to error text before a user or
a support report sees it. Besides the shapes below, every secret caseclient reads from the keyring
or receives from a token endpoint is remembered (`remember_secret`) and masked wherever it appears.

What is kept at rest (the outbox, the ledger, the scan inbox, reason files) goes through one of
two functions, so that no plain CPR number reaches a file:

- `cpr_free(text)`: for text that is only shown (a file name, a title): CPR numbers masked.
- `cpr_free_key(text)`: for text that is compared later (a Message-ID, a name used to find a
  duplicate): unchanged when it holds no CPR number, else `sha256:<hex>` of the whole text, so
  equal values still match and the number cannot be read back. Compare stored keys with the
  key of the new value, never with the value itself.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import unicodedata

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


KEY_PREFIX = "sha256:"


def cpr_free(text: str) -> str:
    """`text` with every CPR number masked (`070761-xxxx`), for text that is kept to be shown."""
    return redact_cprs(text) if text else text


def cpr_free_key(text: str | None) -> str | None:
    """`text` as kept at rest when it is compared later: itself when it holds no CPR number (or is
    absent), else a digest of the whole text (equal texts give equal keys; the digits cannot be
    read back)."""
    if not text or text.startswith(KEY_PREFIX) or redact_cprs(text) == text:
        return text
    return KEY_PREFIX + hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


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


def _escaped(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _needs_escape(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def shown_name(name: "str | os.PathLike[str]") -> str:
    """A file or folder name as it may appear in a message, a log line or a reason file: its CPR
    numbers masked, and every character that could forge a line or reorder what a reader sees
    (newlines, control and escape characters, bidirectional controls, bytes that were not UTF-8)
    written as `\\xNN` / `\\uNNNN`, so one name is always one visible run of text."""
    text = os.fspath(name)
    if isinstance(name, os.PathLike):
        text = os.path.basename(text) or text
    return shown_text(text)


def shown_text(text: str) -> str:
    """Free text that may carry a name (an error sentence): escaped and masked like `shown_name`."""
    if not text:
        return text
    return redact_cprs("".join(_escaped(c) if _needs_escape(c) else c for c in redact_cprs(text)))
