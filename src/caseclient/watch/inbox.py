"""The scan inbox: scans no rule could place, kept in the private data folder until a person
drops each on a case (or sends it to the service's inbox with the person it concerns).

One folder per scan: the file, `scan.json` (its proposed metadata without any CPR number, where
it came from and why it is here) and `preview.png` (its first page). `scan.json` is written last,
so a folder without it is an unfinished add that the next add of the same claim completes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ..backends.protocol import Capability, DocumentService, MemoryResumeState
from ..domain import Case, Cpr, DocumentMetadata, DocumentRef, NotSupported, Party, UploadSource, redact_cprs
from ..intake.files import safe_filename
from ..intake.proposal import propose, release
from ..intake.settings import IntakeSettings
from ..intake.sniff import sniff
from ..store.metadata_json import metadata_from_json, metadata_to_json
from ..translatable import filled
from .first_page import PageUnreadable, write_preview
from .handoff import Handed, OutboxHandOff
from .names import decoded
from .routing import Routed

log = logging.getLogger(__name__)

ENTRY_FILE = "scan.json"
PREVIEW_FILE = "preview.png"


@dataclass(frozen=True, slots=True)
class InboxEntry:
    folder: Path
    filename: str
    metadata: DocumentMetadata  # without parties: CPR numbers are read from the file when needed
    source_folder: str
    relative_path: str
    reason: str  # a marked text (watch.routing), %1 for reason_values
    received_at: float
    reason_values: tuple[str, ...] = ()

    @property
    def reason_text(self) -> str:
        return filled(self.reason, *self.reason_values)

    @property
    def file(self) -> Path:
        return self.folder / self.filename

    @property
    def preview(self) -> Path | None:
        path = self.folder / PREVIEW_FILE
        return path if path.is_file() else None

    @property
    def key(self) -> str:
        return self.folder.name


class ScanInbox:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def add(self, routed: Routed) -> InboxEntry:
        """Keep a routed-to-nowhere scan (a copy of the claimed file); safe to repeat."""
        folder = self.root / routed.claim.token
        existing = self._read(folder)
        if existing is not None:
            return existing
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        filename = safe_filename(redact_cprs(routed.filename), "scan")  # scan.json names it
        partial = folder / (filename + ".part")
        shutil.copyfile(routed.upload_path, partial)
        os.replace(partial, folder / filename)
        try:
            write_preview(folder / filename, folder / PREVIEW_FILE)
        except (PageUnreadable, OSError, ValueError) as exc:
            log.info("watch: no preview for %s: %s", redact_cprs(filename), type(exc).__name__)
        entry = InboxEntry(
            folder=folder,
            filename=filename,
            metadata=dataclasses.replace(routed.metadata, parties=(), title=redact_cprs(routed.metadata.title),
                                         description=redact_cprs(routed.metadata.description)),
            source_folder=decoded(str(routed.claim.folder.path)),
            relative_path=redact_cprs(decoded(str(routed.claim.relative))),  # kept as UTF-8 text
            reason=routed.reason,
            reason_values=routed.reason_values,
            received_at=time.time(),
        )
        data = {
            "filename": entry.filename, "metadata": json.loads(metadata_to_json(entry.metadata)),
            "source_folder": entry.source_folder, "relative_path": entry.relative_path,
            "reason": entry.reason, "reason_values": list(entry.reason_values), "received_at": entry.received_at,
        }
        partial = folder / (ENTRY_FILE + ".part")
        partial.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, folder / ENTRY_FILE)
        return entry

    def entries(self) -> list[InboxEntry]:
        if not self.root.is_dir():
            return []
        found = [e for e in (self._read(p) for p in self.root.iterdir() if p.is_dir()) if e is not None]
        return sorted(found, key=lambda e: e.received_at)

    def remove(self, entry: InboxEntry) -> None:
        shutil.rmtree(entry.folder, ignore_errors=True)

    def place_on_case(self, entry: InboxEntry, case: Case, handoff: OutboxHandOff,
                      metadata: DocumentMetadata | None = None) -> Handed:
        """Queue the scan for `case` (a person dropped it there); the entry leaves the inbox."""
        handed = handoff.enqueue(case, entry.file, entry.filename, metadata or entry.metadata,
                                 mime_type=_media_type(entry.file))
        self.remove(entry)
        return handed

    def detected_cprs_count(self, entry: InboxEntry, intake: IntakeSettings | None = None) -> int:
        """How many persons the scan's first page names (the numbers themselves stay in the file)."""
        return len(self._cprs(entry, intake))

    def send_to_service_inbox(self, entry: InboxEntry, backend: DocumentService,
                              intake: IntakeSettings | None = None) -> DocumentRef:
        """Place the scan in the document service's inbox with the persons its first page names
        (INBOX_WITH_PARTIES). Blocking: call from a worker thread. Safe to repeat."""
        if Capability.INBOX_WITH_PARTIES not in backend.capabilities:
            raise NotSupported(f"{backend.name} cannot place a document without a case.")
        parties = tuple(Party(cpr=c) for c in self._cprs(entry, intake))
        source = UploadSource.from_path(entry.file, mime_type=_media_type(entry.file))
        key = hashlib.sha256(f"scan-inbox|{backend.name}|{source.sha256}".encode()).hexdigest()
        ref = backend.upload_to_inbox(
            source, dataclasses.replace(entry.metadata, parties=parties),
            idempotency_key=key, state=MemoryResumeState(),
        )
        self.remove(entry)
        return ref

    def _cprs(self, entry: InboxEntry, intake: IntakeSettings | None) -> tuple[Cpr, ...]:
        settings = dataclasses.replace(intake or IntakeSettings(), pdf_text_pages=1)
        candidate = propose(entry.file, settings=settings)
        release(candidate)
        return candidate.detected_cprs

    def _read(self, folder: Path) -> InboxEntry | None:
        try:
            data = json.loads((folder / ENTRY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return InboxEntry(
            folder=folder, filename=data["filename"],
            metadata=metadata_from_json(json.dumps(data["metadata"])),
            source_folder=data["source_folder"], relative_path=data["relative_path"],
            reason=data["reason"], reason_values=tuple(data.get("reason_values", ())),
            received_at=data["received_at"],
        )


def _media_type(path: Path) -> str | None:
    """What the scan holds, told from its content (a scanner's file may have no extension)."""
    try:
        return sniff(path).mime_type
    except OSError:
        return None
