"""Find CPR and CVR numbers and case numbers in a document's subject and text."""

from __future__ import annotations

import re
from functools import lru_cache

from ..domain import Cpr, Cvr, find_cprs
from .settings import IntakeSettings

# A CVR number counts only next to its label: Danish phone numbers are eight digits too.
_CVR_IN_TEXT = re.compile(
    r"\b(?:CVR|SE)(?:[\s.-]*(?:nr|nummer|no)\.?)?[\s.:#-]*(?:DK[\s-]?)?(\d{2}\s?\d{2}\s?\d{2}\s?\d{2})(?!\d)",
    re.IGNORECASE,
)


def detect_cprs(*texts: str) -> tuple[Cpr, ...]:
    """Distinct format-checked CPR numbers, in order of first appearance."""
    return tuple(find_cprs("\n".join(texts)))


def detect_cvrs(*texts: str) -> tuple[Cvr, ...]:
    found: dict[str, Cvr] = {}
    for match in _CVR_IN_TEXT.finditer("\n".join(texts)):
        try:
            cvr = Cvr(match.group(1).replace(" ", ""))
        except ValueError:
            continue
        found.setdefault(cvr.digits, cvr)
    return tuple(found.values())


def subject_tags(subject: str, settings: IntakeSettings) -> list[re.Match[str]]:
    """The `[case number]` tags in a subject line."""
    if not settings.subject_tag_pattern:
        return []
    return list(_compiled(settings.subject_tag_pattern).finditer(subject))


def detect_case_numbers(subject: str, text: str, settings: IntakeSettings) -> tuple[str, ...]:
    """Case numbers from subject tags first, then the configured patterns over subject and text."""
    found: dict[str, None] = {}
    for tag in subject_tags(subject, settings):
        found.setdefault(tag.group(1))
    for pattern in settings.case_number_patterns:
        for match in _compiled(pattern).finditer(f"{subject}\n{text}"):
            found.setdefault(match.group(1) if match.groups() else match.group(0))
    return tuple(found)


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)
