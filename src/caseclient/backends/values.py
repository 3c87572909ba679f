"""Small readings and renderings every backend needs from the wire: a file name fit for a message,
ISO dates and times, and a CPR or CVR number typed as free text."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..domain import Cpr, Cvr, Party, redact_cprs


def shown_name(filename: str) -> str:
    """A file name quoted for a message, with any CPR number in it masked."""
    return repr(redact_cprs(filename))


def iso_datetime(value: Any) -> datetime | None:
    """An ISO 8601 date or time from the wire (a trailing Z included); None when it is not one."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def iso_date(value: Any) -> date | None:
    moment = iso_datetime(value)
    return moment.date() if moment else None


def party_in_text(text: str) -> Party | None:
    """The person or company when free text is a whole CPR or CVR number (spaces ignored)."""
    compact = text.replace(" ", "")
    if not compact:
        return None
    for kind in (Cpr, Cvr):
        try:
            value = kind.parse(compact)
        except ValueError:
            continue
        return Party(cpr=value) if kind is Cpr else Party(cvr=value)
    return None
