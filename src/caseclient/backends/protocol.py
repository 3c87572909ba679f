"""The one interface every document service is reached through.

Designed for the services caseclient bridges (facts in shared docs/backends.md):
- two-phase uploads (WorkZone Document→Record, Nova UploadFile→Import, GO SharePoint path) hide
  behind `upload_document`, and record their phases in the caller's durable `ResumeState` *before*
  each risky call, so a retry resumes instead of creating anything twice;
- servers with exactly-once semantics (F2 POE, OIO PUT with a client-chosen uuid) and servers with
  none (SBSYS, Acadre: search before create) both answer `find_upload` ("did my last attempt land?");
- drafts before journalising: `DocumentMetadata.finalize` plus the FINALIZE / DRAFTS capabilities;
- case-level vs document-level KLE: the DOC_KLE capability says whether `metadata.kle` is used.

Implementations raise only the `caseclient.domain.errors` taxonomy, never requests' exceptions.
Calls are synchronous and meant for worker threads.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import BinaryIO, Callable, Protocol, runtime_checkable

from ..domain import Case, DocumentMetadata, DocumentRef, Party, UploadSource


class Capability(enum.Flag):
    NONE = 0
    SEARCH_FULLTEXT = enum.auto()  # free text over titles, numbers and parties
    SEARCH_BY_PARTY = enum.auto()  # by CPR/CVR
    SEARCH_BY_CASEWORKER = enum.auto()
    LIST_DOCUMENTS = enum.auto()
    READ_CONTENT = enum.auto()  # download a filed document's bytes
    INBOX_WITH_PARTIES = enum.auto()  # place a document by parties, no case (DUBU style)
    SERVER_IDEMPOTENT = enum.auto()  # the server itself makes a retried upload exactly-once
    NAME_CONFLICT = enum.auto()  # the server refuses a second document of the same name
    CHUNKED_UPLOAD = enum.auto()
    RESUMABLE_UPLOAD = enum.auto()  # the server tells how much of an upload it holds
    DOC_RECIPIENTS = enum.auto()  # sender and recipients are stored on the document
    DOC_SENSITIVITY = enum.auto()
    DOC_KLE = enum.auto()  # KLE on the document (else on the case only)
    DRAFTS = enum.auto()  # a document can be stored unjournalised first
    FINALIZE = enum.auto()  # journalise/approve as a separate step


@dataclass(frozen=True, slots=True)
class CaseQuery:
    """What to search for. Unset fields do not restrict; set fields combine with AND."""

    text: str | None = None  # free text: case number prefix, title words, party names
    case_number: str | None = None  # exact, or a prefix ending in '*'
    title: str | None = None  # words that must occur in the title
    party: Party | None = None  # by CPR/CVR (never logged)
    caseworker: str | None = None  # backend id or login of the caseworker
    include_closed: bool = False
    limit: int = 50
    offset: int = 0


ProgressCallback = Callable[[int, int], None]
"""Called with (bytes sent, total bytes) as an upload proceeds."""


class ResumeState(Protocol):
    """A durable scratchpad per upload, owned by the caller (the outbox persists it).

    A backend writes what it must remember *before* the call that could half-succeed: the chosen
    document uuid, an upload session URL, a POE URL, which phase is done. A put survives the
    process being killed; a `durable` one (the default) also survives a power cut, which costs a
    flush to disk that waits for every other file being flushed. Put `durable=False` only what the
    backend can do without after a power cut (something it can derive or ask the service again).
    """

    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str, *, durable: bool = True) -> None: ...


class MemoryResumeState(dict):
    """A ResumeState for one process (the CLI without an outbox, tests)."""

    def get(self, key: str) -> str | None:  # type: ignore[override]
        return super().get(key)

    def put(self, key: str, value: str, *, durable: bool = True) -> None:
        self[key] = value


@runtime_checkable
class DocumentService(Protocol):
    name: str  # e.g. "oio"
    capabilities: Capability
    max_upload_bytes: int | None  # None: no known limit

    def search_cases(self, query: CaseQuery) -> list[Case]: ...

    def get_case(self, case_id: str) -> Case: ...

    def find_case_by_number(self, number: str) -> Case:
        """The case with exactly this number; NotFound when there is none."""
        ...

    def list_documents(self, case_id: str) -> list[DocumentRef]: ...

    def upload_document(
        self,
        case_id: str,
        source: UploadSource,
        metadata: DocumentMetadata,
        *,
        idempotency_key: str,
        state: ResumeState,
        progress: ProgressCallback | None = None,
    ) -> DocumentRef:
        """File `source` on the case. Safe to call again with the same key and state after any
        failure: the result is one document on the case, never two. An empty state tells the
        backend that no earlier attempt with this key sent anything (it may skip looking for one),
        so a caller that tries again must pass the state of the earlier attempts."""
        ...

    def find_upload(self, idempotency_key: str, state: ResumeState) -> DocumentRef | None:
        """The document an earlier attempt with this key filed completely, or None if none did."""
        ...

    def upload_to_inbox(
        self,
        source: UploadSource,
        metadata: DocumentMetadata,
        *,
        idempotency_key: str,
        state: ResumeState,
        progress: ProgressCallback | None = None,
    ) -> DocumentRef:
        """Place a document by its parties (metadata.parties) with no case, where the service
        offers that (INBOX_WITH_PARTIES); NotSupported elsewhere."""
        ...

    def read_content(self, document_id: str, sink: BinaryIO) -> int:
        """Write the document's file bytes to `sink`; return how many (READ_CONTENT)."""
        ...
