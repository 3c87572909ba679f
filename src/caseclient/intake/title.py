"""A document title from a mail subject or a file name."""

from __future__ import annotations

import re
from pathlib import PurePath

from .detect import subject_tags
from .settings import IntakeSettings

MAX_TITLE = 250

# Reply and forward markers in the languages Danish caseworkers meet: English, Danish/Norwegian
# (SV, VS, Videresend), Swedish (SV, VB), German (AW, WG), French (TR, RE), with counters "Re[2]:".
_PREFIX = re.compile(
    r"^\s*(?:re|fw|fwd|sv|vs|vb|aw|wg|tr|rif|antw|videresend|vidaresend|fs)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")

# Titles that word processors, scanners and TeX write into a file's metadata without asking anyone.
_GENERATED_TITLE = re.compile(
    r"^(untitled|unbenannt|uden titel|microsoft (word|excel|powerpoint) - .*"
    r"|.*\.(docx?|xlsx?|pptx?|odt|rtf|txt|pdf|tiff?|jpe?g|png)"
    r"|scan[\s_-]*\d*|document\d*|dokument\d*|\s*)$",
    re.IGNORECASE,
)


def clean_subject(subject: str, settings: IntakeSettings) -> str:
    """The subject without reply/forward prefixes, case-number tags, NULs or runs of spaces."""
    text = subject.replace("\x00", "")
    for tag in reversed(subject_tags(text, settings)):
        text = text[: tag.start()] + " " + text[tag.end():]
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return _SPACE.sub(" ", text).strip(" -–:")[:MAX_TITLE].strip()


def title_from_filename(name: str) -> str:
    stem = PurePath(name).stem if PurePath(name).suffix else name
    return _SPACE.sub(" ", stem.replace("_", " ")).strip()[:MAX_TITLE].strip() or name[:MAX_TITLE]


def metadata_title(value: object) -> str | None:
    """A title from a file's own metadata (PDF Info, Office properties), or None when it is no title
    a person chose: empty, generated ("Untitled", "Microsoft Word - x.doc", a file name), or fewer than
    two letters or digits (TeX writes its job name, e.g. "a")."""
    if value is None:
        return None
    text = _SPACE.sub(" ", str(value).replace("\x00", "")).strip()
    if sum(c.isalnum() for c in text) < 2 or _GENERATED_TITLE.match(text):
        return None
    return text[:MAX_TITLE].strip()
