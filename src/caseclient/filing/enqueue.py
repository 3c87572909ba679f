"""Putting a document in the outbox, behind the duplicate guard."""

from __future__ import annotations

import logging
from pathlib import Path

from ..domain import BackendError, Case, DocumentMetadata
from ..store import Outbox, OutboxItem, address_of
from .duplicates import DuplicateGuard, PriorFiling
from .prompts import FilingPrompts

log = logging.getLogger(__name__)

# How long a big document's copy may wait, while a worker of this process files it, before it is
# flushed to disk: a copy deleted before it is written back costs no disk writes at all.
WHILE_FILING_FLUSH_GRACE_S = 10.0


class AlreadyFiled(Exception):
    """The document was filed on the case before and the user chose not to file it again."""

    def __init__(self, message: str, prior: PriorFiling) -> None:
        super().__init__(message)
        self.message = message
        self.prior = prior


def file_to_case(
    outbox: Outbox,
    guard: DuplicateGuard,
    prompts: FilingPrompts,
    case: Case,
    path: Path,
    metadata: DocumentMetadata,
    *,
    filename: str | None = None,
    mime_type: str | None = None,
    insist: bool = False,
    flush_grace: float = 0.0,
) -> OutboxItem:
    """Copy `path` into the outbox to be filed on `case` by the worker, under `filename` and as the
    `mime_type` intake detected (without one, the type is guessed from the name).

    Unless `insist`, the same content or Message-ID already on the case (in the ledger, waiting in
    the outbox, or on the server) is put to `prompts.confirm_duplicate`; a no raises AlreadyFiled.
    When the server cannot be asked now, the worker asks it before the first upload.
    Raises InputError (one sentence naming the file) when the file cannot be read. Returns once the
    item is on disk and its copy on disk or filed; `flush_grace` as in Outbox.enqueue (give
    WHILE_FILING_FLUSH_GRACE_S while a worker of this process runs).
    """
    staged = outbox.stage(path, filename=filename, mime_type=mime_type)
    try:
        remote_checked = insist
        prior = None
        if not insist:
            prior = guard.find_local(case.id, staged.sha256, metadata.message_id)
        if prior is None and not insist:
            try:
                prior = guard.find_remote(case.id, case.number, staged.sha256, staged.size, metadata.message_id)
                remote_checked = True
            except BackendError as error:
                log.info("duplicate check on the server postponed to the upload: %s", error.code)
        if prior is not None:
            if not prompts.confirm_duplicate(metadata.title, prior):
                raise AlreadyFiled(f"{Path(path).name} was not filed: {prior.sentence}.", prior)
            remote_checked = True  # the user has decided
        return outbox.enqueue(case, staged, metadata, remote_checked=remote_checked, flush_grace=flush_grace,
                              service=address_of(guard.backend))
    except BaseException:
        outbox.discard(staged)
        raise
