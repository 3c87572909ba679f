"""Which code page an Outlook item's 8-bit (non-Unicode) strings are written in.

An item saved without Unicode strings says its code page in several places, and they can be wrong:
PR_MESSAGE_CODEPAGE, PR_INTERNET_CPID (often a 7-bit mail charset such as ISO-2022-JP, while the
strings are kept in the Windows code page of that language), and the locale (PR_MESSAGE_LOCALE_ID).
Each candidate is tried on the item's own string bytes; the first that decodes them cleanly and
reads as text (charset-normalizer's mess measure) wins, with charset-normalizer's guess last.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Iterable

log = logging.getLogger(__name__)

FALLBACK = "cp1252"  # what Outlook writes in Western Europe, and what extract-msg would not guess
_SLACK = 0.1  # a later candidate must read this much cleaner (mess ratio) to beat an earlier one
_PLAUSIBLE = 0.4  # a declared code page that reads this cleanly is trusted over a detector's guess

# Code pages that name a mail (wire) charset rather than the one 8-bit strings are stored in.
_STORED_AS = {
    50220: 932, 50221: 932, 50222: 932,  # ISO-2022-JP: Windows keeps Japanese as Shift_JIS
    50225: 949, 52936: 936, 50227: 936,  # ISO-2022-KR, HZ, ISO-2022-CN
    20127: None,  # US-ASCII says nothing about the 8-bit characters
    1200: None, 1201: None, 12000: None,  # UTF-16/32 cannot hold 8-bit strings
}
_CODECS = {
    65001: "utf-8", 20866: "koi8_r", 21866: "koi8_u", 10000: "mac_roman", 10007: "mac_cyrillic",
    51932: "euc_jp", 20932: "euc_jp", 51949: "euc_kr", 54936: "gb18030", 936: "gbk",
    **{28590 + n: f"iso8859_{n}" for n in range(1, 17) if n != 12},
}
# Windows (ANSI) code page of a locale's primary language; Chinese depends on the sub-language.
_LCID_CODE_PAGE = {0x0404: 950, 0x0C04: 950, 0x1404: 950, 0x0804: 936, 0x1004: 936, 0x0C1A: 1251, 0x1C1A: 1251}
_LANGUAGE_CODE_PAGE = {
    0x11: 932, 0x12: 949, 0x1E: 874, 0x2A: 1258, 0x08: 1253, 0x1F: 1254, 0x0D: 1255, 0x3D: 1255,
    **dict.fromkeys((0x01, 0x29, 0x20, 0x8C), 1256),
    **dict.fromkeys((0x25, 0x26, 0x27), 1257),
    **dict.fromkeys((0x19, 0x22, 0x23, 0x02, 0x2F, 0x3F, 0x40, 0x44, 0x50, 0x28, 0x43), 1251),
    **dict.fromkeys((0x05, 0x0E, 0x15, 0x18, 0x1A, 0x1B, 0x1C, 0x24), 1250),
}


def codec_for(code_page: int | None) -> str | None:
    """The Python codec for a Windows code page as 8-bit strings are stored in it, or None."""
    if not isinstance(code_page, int) or code_page <= 0:
        return None
    if code_page in _STORED_AS:
        code_page = _STORED_AS[code_page]
        if code_page is None:
            return None
    name = _CODECS.get(code_page, f"cp{code_page}")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def code_page_of_locale(lcid: int | None) -> int | None:
    if not isinstance(lcid, int) or lcid <= 0:
        return None
    return _LCID_CODE_PAGE.get(lcid & 0xFFFF) or _LANGUAGE_CODE_PAGE.get(lcid & 0x3FF) or 1252


def choose_encoding(strings: Iterable[bytes], declared: Iterable[int | None]) -> str:
    """The codec that reads `strings` as text: the declared code pages in order, then a detector's guess."""
    eight_bit = [s for s in strings if s and max(s) >= 0x80]
    candidates = _unique(codec_for(cp) for cp in declared)
    if not eight_bit:
        return candidates[0] if candidates else FALLBACK
    sample = b"\n".join(eight_bit)[:64_000]
    from charset_normalizer import from_bytes

    declared_scores = _scores(sample, candidates)
    plausible = [(codec, score) for codec, score in declared_scores if score <= _PLAUSIBLE]
    if not plausible:  # no declared code page reads as text: ask the detector too
        best = from_bytes(sample).best()
        plausible = declared_scores + _scores(sample, [_codec_name(best.encoding) if best else None, FALLBACK])
    if not plausible:
        return candidates[0] if candidates else FALLBACK
    lowest = min(score for _, score in plausible)
    chosen = next(codec for codec, score in plausible if score <= lowest + _SLACK)
    if candidates and chosen != candidates[0]:
        log.info("8-bit strings read as %s, not the declared %s", chosen, candidates[0])
    return chosen


def _scores(sample: bytes, codecs_to_try: Iterable[str | None]) -> list[tuple[str, float]]:
    """How messy `sample` reads in each codec that decodes it at all (0 is clean text)."""
    from charset_normalizer.md import mess_ratio

    scored = []
    for codec in _unique(codecs_to_try):
        try:
            text = sample.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        controls = sum(1 for c in text if (ord(c) < 32 and c not in "\r\n\t") or 0x7F <= ord(c) < 0xA0)
        scored.append((codec, mess_ratio(text, 1.0) + controls / max(len(text), 1) * 10))
    return scored


def _codec_name(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def _unique(names: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(n for n in names if n))
