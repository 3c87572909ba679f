"""The text of an RTF body, for finding CPR and case numbers: HTML kept inside RTF (Outlook's
\\fromhtml) is taken out with RTFDE; native RTF is stripped of its control words here."""

from __future__ import annotations

import codecs
import logging
import re

from .htmltext import html_to_text

log = logging.getLogger(__name__)

_TOKEN = re.compile(rb"\\([a-zA-Z]+)(-?\d+)? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z])|([{}])|([^\\{}\r\n]+)|[\r\n]+")
# Destinations whose content is not text of the document.
_SKIPPED = {
    b"fonttbl", b"colortbl", b"stylesheet", b"info", b"pict", b"themedata", b"colorschememapping",
    b"datastore", b"latentstyles", b"listtable", b"listoverridetable", b"rsidtbl", b"generator",
    b"xmlnstbl", b"mmathPr", b"object", b"objdata", b"header", b"footer", b"fldinst", b"pgdsctbl",
    b"filetbl", b"revtbl", b"userprops", b"wgrffmtfilter", b"bkmkstart", b"bkmkend",
}
_BREAKS = {b"par": "\n", b"line": "\n", b"tab": "\t", b"cell": "\t", b"row": "\n", b"page": "\n", b"sect": "\n"}


def rtf_to_text(rtf: bytes) -> str:
    """Plain text of an RTF document; never raises (an unreadable body gives "")."""
    try:
        if b"\\fromhtml" in rtf[:2048] or b"\\fromtext" in rtf[:2048]:
            return _encapsulated(rtf)
        return _strip(rtf)
    except Exception as exc:  # RTF from the wild: any parser error means "no text"
        log.debug("rtf body unreadable: %s", type(exc).__name__)
        return ""


def _encapsulated(rtf: bytes) -> str:
    from RTFDE.deencapsulate import DeEncapsulator

    logging.getLogger("RTFDE").setLevel(logging.WARNING)  # it logs every token at DEBUG
    document = DeEncapsulator(rtf)
    document.deencapsulate()
    if document.get_content_type() == "html":
        html = document.html
        return html_to_text(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
    text = document.text
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else (text or "")


def _strip(rtf: bytes) -> str:
    match = re.search(rb"\\ansicpg(\d+)", rtf[:1024])
    encoding = _codec(f"cp{match.group(1).decode()}" if match else "cp1252")
    out: list[str] = []
    pending = bytearray()  # \'hh bytes, decoded together (a double-byte character is two of them)
    stack: list[tuple[bool, int]] = []
    skipping, unicode_skip, to_skip = False, 1, 0

    def flush() -> None:
        if pending:
            out.append(pending.decode(encoding, "replace"))
            pending.clear()

    for token in _TOKEN.finditer(rtf):
        word, argument, hex_byte, symbol, brace, text = token.groups()
        if hex_byte is not None:
            if to_skip:
                to_skip -= 1
            elif not skipping:
                pending.append(int(hex_byte, 16))
            continue
        flush()
        if brace == b"{":
            stack.append((skipping, unicode_skip))
        elif brace == b"}":
            skipping, unicode_skip = stack.pop() if stack else (False, 1)
        elif symbol is not None:
            if symbol == b"*":
                skipping = True
            elif not skipping and symbol in (b"\\", b"{", b"}"):
                out.append(symbol.decode())
            elif not skipping and symbol == b"~":
                out.append("\u00a0")
        elif word is not None:
            if word in _SKIPPED:
                skipping = True
            elif word == b"uc" and argument:
                unicode_skip = int(argument)
            elif word == b"u" and argument and not skipping:
                out.append(chr(int(argument) % 0x10000))
                to_skip = unicode_skip
            elif not skipping and word in _BREAKS:
                out.append(_BREAKS[word])
        elif text is not None and not skipping:
            if to_skip:
                skipped = min(to_skip, len(text))
                text, to_skip = text[skipped:], to_skip - skipped
            out.append(text.decode(encoding, "replace"))
    flush()
    return "".join(out).replace("\x00", "").strip()


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "cp1252"
