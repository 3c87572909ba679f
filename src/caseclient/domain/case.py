"""A case (sag) as the user sees it, whatever the backend."""

from __future__ import annotations

from dataclasses import dataclass, field

from .party import Party


@dataclass(frozen=True, slots=True)
class Case:
    id: str  # the backend's key for the case (an OIO uuid, a GO CaseID, ...)
    number: str  # the human case number, e.g. 27.24.00-G01-1-24
    title: str
    status: str | None = None
    caseworker: str | None = None
    kle: str | None = None  # KLE subject number, e.g. 27.24.00
    kle_facet: str | None = None  # KLE action facet, e.g. G01
    parties: tuple[Party, ...] = ()
    closed: bool = False
    web_url: str | None = None
    # Where the service tells them, as ISO 8601 text (kept in the case index as it is); not part of
    # a case's identity, so a case read at another time is still the same case.
    created: str | None = field(default=None, compare=False)  # when the case was opened
    changed: str | None = field(default=None, compare=False)  # when it last changed

    @property
    def kle_main_group(self) -> str | None:
        return self.kle[:2] if self.kle else None
