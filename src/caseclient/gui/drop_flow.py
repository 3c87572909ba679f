"""From a drop on a case to documents in the outbox: decode, read, confirm, queue.

The drop is decoded at once (inside the drop event: Outlook's data and Thunderbird's temp files
live only that long); reading the files and checking the case run off the GUI thread; then the
user confirms each document's metadata and it goes to the outbox.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QMimeData, QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from ..backends.protocol import DocumentService
from ..domain import Case, DocumentMetadata, NotFound
from ..intake import Candidate, IntakeSettings, propose_each, release
from ..intake.documents import AttachmentFiling, documents_to_file
from ..intake.drop import DropDecoder
from ..services.background import Background
from ..services.drop_mime import describe_mime_data
from ..services.filing_service import FilingService
from .metadata_dialog import AttachmentChoice, MetadataDialog


@dataclass(frozen=True)
class Confirmed:
    metadata: DocumentMetadata
    attachments: list[int]  # positions of the attachments to file too


Confirm = Callable[[Case, Candidate], Confirmed | None]


def dialog_confirm(parent: QWidget | None, attachments: AttachmentFiling = AttachmentFiling.SEPARATE) -> Confirm:
    """Ask with the metadata dialog (the default; tests inject their own answer). The attachments
    intake includes are ticked when the organisation files attachments separately (intake.attachments)."""
    separate = attachments is AttachmentFiling.SEPARATE

    def confirm(case: Case, candidate: Candidate) -> Confirmed | None:
        dialog = MetadataDialog(
            case,
            candidate.metadata,
            attachments=[AttachmentChoice(a.candidate.filename, a.included and separate)
                         for a in candidate.attachments],
            detected_cprs=list(candidate.detected_cprs),
            detected_case_numbers=list(candidate.detected_case_numbers),
            source_name=candidate.filename,
            parent=parent,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return Confirmed(dialog.metadata(), dialog.included_attachments())

    return confirm


class DropFlow(QObject):
    message = Signal(str)  # one sentence for the user (nothing readable, a broken file, ...)
    case_chosen = Signal(object)  # Case: the documents of a drop go there (confirmation still to come)

    def __init__(
        self,
        service: DocumentService,
        filing: FilingService,
        background: Background,
        confirm: Confirm,
        *,
        decoder: DropDecoder | None = None,
        intake_settings: IntakeSettings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._filing = filing
        self._background = background
        self._confirm = confirm
        self._decoder = decoder or DropDecoder()
        self._settings = intake_settings or IntakeSettings()

    def handle(self, case: Case, mime: QMimeData) -> None:
        """Call inside the drop event (or with the clipboard's data for a paste)."""
        # current parties (for the CPR warning), and is the case still there?
        self._handle(mime, lambda _proposed: self._service.get_case(case.id))

    def handle_anywhere(self, mime: QMimeData) -> None:
        """A drop with no case under it: file on the case the documents name, when they name exactly one."""
        self._handle(mime, self._the_case_named_in)

    def _the_case_named_in(self, proposed: list) -> Case | None:
        numbers = {n for o in proposed if o.candidate is not None for n in o.candidate.detected_case_numbers}
        found: dict[str, Case] = {}
        for number in numbers:
            try:
                case = self._service.find_case_by_number(number)
            except NotFound:
                continue
            found[case.id] = case
        return next(iter(found.values())) if len(found) == 1 else None

    def _handle(self, mime: QMimeData, choose_case: Callable[[list], Case | None]) -> None:
        result = self._decoder.decode(describe_mime_data(mime))  # at once: the source's data lives that long
        for problem in result.problems:
            self.message.emit(problem)
        if result.explanation:
            self.message.emit(QCoreApplication.translate("DropExplanation", result.explanation))
        if not result.items:
            self._remove(result.staging)
            return
        paths = [item.path for item in result.items]

        def read() -> tuple[Case | None, list]:
            proposed = list(propose_each(paths, settings=self._settings))
            return choose_case(proposed), proposed

        def done(answer, error: str | None) -> None:
            if error:
                self.message.emit(error)
                self._remove(result.staging)
                return
            case, proposed = answer
            if case is None:
                self.message.emit(self.tr("Drop the documents onto a case: they name no single case of the service."))
                for outcome in proposed:
                    if outcome.candidate is not None:
                        release(outcome.candidate)
                self._remove(result.staging)
                return
            self.case_chosen.emit(case)
            pending = _Pending(lambda: self._remove(result.staging))
            for outcome in proposed:
                if outcome.error is not None:
                    self.message.emit(outcome.error.message)
                else:
                    self._confirm_and_queue(case, outcome.candidate, pending)
            pending.close()

        self._background.run(read, done)

    def _confirm_and_queue(self, case: Case, candidate: Candidate, pending: "_Pending") -> None:
        for warning in candidate.warnings:
            self.message.emit(warning)
        answer = self._confirm(case, candidate)
        if answer is None:
            release(candidate)
            return
        remaining = _Pending(lambda: release(candidate))
        for document in documents_to_file(candidate, answer.metadata, attachments=answer.attachments):
            pending.open()
            remaining.open()
            self._filing.enqueue(case, document.path, document.metadata, filename=document.filename,
                                 mime_type=document.mime_type, then=lambda: (remaining.done(), pending.done()))
        remaining.close()

    @staticmethod
    def _remove(folder) -> None:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


class _Pending:
    """Counts outstanding enqueues and runs a clean-up when the last one is done (and closed)."""

    def __init__(self, finished: Callable[[], None]) -> None:
        self._count = 1  # the opener's own hold, released by close()
        self._finished = finished

    def open(self) -> None:
        self._count += 1

    def done(self) -> None:
        self._count -= 1
        if self._count == 0:
            self._finished()

    close = done
