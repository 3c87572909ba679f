"""Names a scan station meets, made fit to file: any bytes a scanner or a share may use.

A name on disk may be bytes that are not UTF-8 (a Windows-1252 scanner writing to a Samba share),
hold newlines, control or bidirectional characters, or reach the file system's length limit. The
watcher keeps the file under the name it has (claims, Done and Failed use the bytes as they are);
what is filed and shown is `document_name(name)`: decoded as UTF-8 or else Windows-1252, with
control characters turned into spaces and bidirectional controls dropped, in NFC. Names that
must be made longer (`name (2).pdf`, `name.reason.txt`) are cut to fit first (`fitting_name`).
"""

from __future__ import annotations

import os
import re
import unicodedata

NAME_MAX_BYTES = 255  # ext4, NTFS (in UTF-16 units, which UTF-8 bytes never undercount), APFS
_SPACES = re.compile(r"\s+")


def decoded(name: str) -> str:
    """A name read with surrogateescape (os.fsdecode) as text: UTF-8, else Windows-1252."""
    raw = os.fsencode(name)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return "".join(raw[i:i + 1].decode("cp1252", errors="replace") if b >= 0x80 else chr(b)
                       for i, b in enumerate(raw))


def clean_text(text: str) -> str:
    """Text fit for a title or a document name: no control, format (bidi) or separator-line
    characters, one space between words, NFC."""
    kept = []
    for char in decoded(text) if any(0xDC80 <= ord(c) <= 0xDCFF for c in text) else text:
        category = unicodedata.category(char)
        if category in ("Cc", "Zl", "Zp"):
            kept.append(" ")
        elif category not in ("Cf", "Cs", "Co", "Cn"):
            kept.append(char)
    return unicodedata.normalize("NFC", _SPACES.sub(" ", "".join(kept)).strip())


def document_name(name: str, fallback: str = "scan") -> str:
    """The name a scan is filed under."""
    cleaned = clean_text(name).strip(" .")
    return cleaned or fallback


def fitting_name(name: str, suffix: str = "", *, keep_extension: bool = True) -> str:
    """`name` + `suffix`, with `name`'s stem cut (never its extension, nor inside a character) so
    the whole fits NAME_MAX_BYTES."""
    raw, tail = os.fsencode(name), os.fsencode(suffix)
    if len(raw) + len(tail) <= NAME_MAX_BYTES:
        return name + suffix
    stem, dot, extension = raw.rpartition(b".")
    if not (keep_extension and dot and stem and len(extension) <= 16):
        stem, dot, extension = raw, b"", b""
    room = NAME_MAX_BYTES - len(tail) - len(dot) - len(extension)
    stem = stem[:max(room, 1)]
    while stem and _cuts_a_character(stem):
        stem = stem[:-1]
    return os.fsdecode(stem + dot + extension) + suffix


def _cuts_a_character(raw: bytes) -> bool:
    """True when `raw` ends inside a UTF-8 sequence (bytes that are not UTF-8 are kept as they are)."""
    for back in range(1, min(4, len(raw)) + 1):
        byte = raw[-back]
        if byte < 0x80:
            return False
        if byte >= 0xC0:  # a lead byte: complete when the sequence it starts fits
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return back < need
    return False
