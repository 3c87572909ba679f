"""Routing a claimed scan: to a case by the folder's rules in their order, else to the inbox.

Rules (see :class:`RoutingRule`): a case number in the file or folder names; a caseclient cover
sheet's QR code on the first page (the sheet itself is then taken off); a case number, or a CPR
number that belongs to exactly one open case, in the first page's text. Reading the file is
intake's job (`propose`, first page only); a file intake cannot read raises InputError, which the
runner turns into a move to the Failed folder.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from dataclasses import dataclass
from pathlib import Path, PurePath

from ..backends.protocol import CaseQuery, DocumentService
from ..domain import Case, Cpr, DocumentMetadata, NotFound, Party
from ..intake.detect import detect_case_numbers
from ..intake.model import Candidate, ItemKind
from ..intake.proposal import propose
from ..intake.settings import IntakeSettings
from ..translatable import QT_TRANSLATE_NOOP, filled
from .claims import Claim
from .first_page import PageUnreadable, read_cover_sheet, write_without_first_page
from .names import clean_text, document_name
from .folders import FolderDefaults, RoutingRule

log = logging.getLogger(__name__)

# Why a scan went where it went: shown in the app's inbox in the user's language.
BY_FILE_NAME = QT_TRANSLATE_NOOP("ScanRouting", "case number in the file name")
BY_PAGE_CASE_NUMBER = QT_TRANSLATE_NOOP("ScanRouting", "case number on the first page")
BY_PAGE_CPR = QT_TRANSLATE_NOOP("ScanRouting", "CPR number on the first page")
BY_COVER_SHEET = QT_TRANSLATE_NOOP("ScanRouting", "cover sheet")
SHEET_CASE_NOT_FOUND = QT_TRANSLATE_NOOP("ScanRouting", "the cover sheet names case %1, which was not found")
ONLY_A_COVER_SHEET = QT_TRANSLATE_NOOP("ScanRouting", "the scan holds only a cover sheet")
NO_OPEN_CASE = QT_TRANSLATE_NOOP("ScanRouting", "the case numbers found name no open case")
NOT_ONE_CASE_FOR_CPR = QT_TRANSLATE_NOOP("ScanRouting", "the CPR numbers found do not point to exactly one case")
NOTHING_FOUND = QT_TRANSLATE_NOOP("ScanRouting", "no case number, cover sheet or CPR number was found")


@dataclass(frozen=True, slots=True)
class Routed:
    """Where a scan goes and what it is filed as. `case` None: the inbox."""

    claim: Claim
    candidate: Candidate
    metadata: DocumentMetadata
    upload_path: Path  # the claimed file, or a copy without the cover sheet in the scratch folder
    filename: str
    case: Case | None = None
    rule: RoutingRule | None = None
    reason: str = ""  # why it went where it went (a marked text, %1 for reason_values; no CPR numbers)
    reason_values: tuple[str, ...] = ()

    @property
    def reason_text(self) -> str:
        """The reason in English, for the log and the command line."""
        return filled(self.reason, *self.reason_values)

    @property
    def cprs(self) -> tuple[Cpr, ...]:
        return self.candidate.detected_cprs


CASE_CACHE_SECONDS = 60.0  # a batch of scans for one case asks the service once


class Router:
    def __init__(self, backend: DocumentService, scratch: Path, intake: IntakeSettings | None = None) -> None:
        self.backend = backend
        self.scratch = scratch
        base = intake or IntakeSettings()
        self.intake = dataclasses.replace(base, pdf_text_pages=1)
        self._cases: dict[str, tuple[Case, float]] = {}

    def route(self, claim: Claim) -> Routed:
        """Raises InputError for an unreadable file and BackendError when the service cannot be
        asked (the runner retries those later)."""
        candidate = propose(claim.path, settings=self.intake)
        metadata = _with_defaults(candidate.metadata, claim.folder.defaults)
        metadata = dataclasses.replace(metadata, title=clean_text(metadata.title or "") or "scan")
        base = Routed(claim, candidate, metadata, claim.path, document_name(claim.relative.name))
        name_numbers = _numbers_in_names(claim.relative, self.intake)
        for rule in claim.folder.routing:
            if rule is RoutingRule.FILE_NAME:
                if case := self._first_case(name_numbers):
                    return dataclasses.replace(base, case=case, rule=rule, reason=BY_FILE_NAME)
            elif rule is RoutingRule.COVER_SHEET and candidate.kind is ItemKind.PDF and not candidate.encrypted:
                if routed := self._by_cover_sheet(base):
                    return routed
            elif rule is RoutingRule.TEXT:
                text_numbers = [n for n in candidate.detected_case_numbers if n not in name_numbers]
                if case := self._first_case(text_numbers):
                    return dataclasses.replace(base, case=case, rule=rule, reason=BY_PAGE_CASE_NUMBER)
                if case := self._only_case_of(candidate.detected_cprs):
                    return dataclasses.replace(base, case=case, rule=rule, reason=BY_PAGE_CPR)
        return dataclasses.replace(base, reason=_inbox_reason(name_numbers, candidate))

    def _by_cover_sheet(self, base: Routed) -> Routed | None:
        try:
            sheet = read_cover_sheet(base.claim.path)
        except PageUnreadable as exc:
            log.info("watch: first page of %s not rendered: %s", base.filename, exc)
            return None
        if sheet is None:
            return None
        case = self._first_case([sheet.case_number])
        if case is None:
            return dataclasses.replace(base, reason=SHEET_CASE_NOT_FOUND, reason_values=(sheet.case_number,))
        target = self.scratch / f"{base.claim.token}.pdf"
        self.scratch.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            write_without_first_page(base.claim.path, target)
        except PageUnreadable:
            return dataclasses.replace(base, reason=ONLY_A_COVER_SHEET)
        return dataclasses.replace(
            base, case=case, rule=RoutingRule.COVER_SHEET, reason=BY_COVER_SHEET,
            metadata=_with_defaults(base.metadata, sheet.defaults), upload_path=target,
        )

    def _first_case(self, numbers: list[str] | tuple[str, ...]) -> Case | None:
        for number in numbers:
            try:
                case = self._case(number)
            except NotFound:
                continue
            if not case.closed:
                return case
        return None

    def _case(self, number: str) -> Case:
        now = time.monotonic()
        cached = self._cases.get(number)
        if cached is not None and cached[1] > now:
            return cached[0]
        case = self.backend.find_case_by_number(number)
        self._cases[number] = (case, now + CASE_CACHE_SECONDS)
        return case

    def _only_case_of(self, cprs: tuple[Cpr, ...]) -> Case | None:
        """The one open case of the one person the page names; None when that is not clear."""
        if len(cprs) != 1:
            return None
        found = self.backend.search_cases(CaseQuery(party=Party(cpr=cprs[0]), limit=2))
        return found[0] if len(found) == 1 else None


def _numbers_in_names(relative: PurePath, settings: IntakeSettings) -> list[str]:
    """Case numbers in the file name first, then in the folder names from the nearest up."""
    names = [relative.name, *(part for part in reversed(relative.parent.parts))]
    found: dict[str, None] = {}
    for name in names:
        for number in detect_case_numbers("", name, settings):
            found.setdefault(number)
    return list(found)


def _with_defaults(metadata: DocumentMetadata, defaults: FolderDefaults) -> DocumentMetadata:
    return dataclasses.replace(
        metadata,
        direction=defaults.direction,
        document_type=defaults.document_type or metadata.document_type,
        sensitivity=defaults.sensitivity,
    )


def _inbox_reason(name_numbers: list[str], candidate: Candidate) -> str:
    if name_numbers or candidate.detected_case_numbers:
        return NO_OPEN_CASE
    if candidate.detected_cprs:
        return NOT_ONE_CASE_FOR_CPR
    return NOTHING_FOUND
