"""A case at a glance for the GUI: the case read anew and its documents, off the GUI thread, cached;
and a filed document's bytes downloaded into caseclient's private folder to open or drag out.

Selecting cases in a row (the Down arrow held) must not queue a request per case passed over: a
case is read once the selection has rested `settle_ms` (longer than a keyboard's auto-repeat), one
read runs at a time, and when it ends only the case selected last is read next. What is in the
cache is shown at once; a cached case is read again when it is older than `max_age` seconds or a
filing on it made it stale (`forget`).

Downloaded copies live in one private folder per run (0700, under caseclient's data folder),
read-only, and are removed at exit (`cleanup`) and, after a crash, at the next start
(`remove_leftovers`).
"""

from __future__ import annotations

import os
import shutil
import stat
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from .. import paths
from ..backends.protocol import Capability, DocumentService
from ..domain import Case, DocumentRef, NotSupported
from ..intake.files import private_folder, safe_filename
from .background import Background
from .kle_names import facet_title, kle_title

CACHE_SIZE = 200
MAX_AGE_S = 120.0
SETTLE_MS = 80  # a held arrow key repeats every ~33 ms: the cases it passes over are not read
LATEST = 10  # documents shown on the case's summary
OPEN_FOLDER = "opened-documents"


@dataclass(frozen=True)
class CaseDetails:
    """What the details pane shows of a case. `documents` is None while they are not read yet (or
    the service cannot list them); newest first."""

    case: Case
    documents: tuple[DocumentRef, ...] | None = None
    documents_error: str | None = None
    read_at: float = field(default=0.0, compare=False)

    @property
    def kle_title(self) -> str | None:
        return kle_title(self.case.kle) if self.case.kle else None

    @property
    def facet_title(self) -> str | None:
        return facet_title(self.case.kle_facet) if self.case.kle_facet else None

    @property
    def created(self) -> str | None:
        """When the case was opened (ISO 8601), where the backend tells it."""
        return self.case.created

    @property
    def changed(self) -> str | None:
        """When the case last changed (ISO 8601), where the backend tells it."""
        return self.case.changed

    @property
    def unit(self) -> str | None:
        """The responsible unit, where the backend tells it."""
        return getattr(self.case, "unit", None)

    @property
    def latest_documents(self) -> tuple[DocumentRef, ...]:
        return (self.documents or ())[:LATEST]


def newest_first(documents: list[DocumentRef]) -> tuple[DocumentRef, ...]:
    def key(document: DocumentRef) -> tuple[str, str]:
        when = document.document_date or (document.created.date() if document.created else None)
        stamp = document.created.isoformat() if document.created else ""
        return (when.isoformat() if when else "", stamp)

    return tuple(sorted(documents, key=key, reverse=True))


def document_link(document: DocumentRef) -> str | None:
    """The address a person can open the document at, where the backend gives one."""
    for key in ("web_url", "url", "link"):
        value = document.extra.get(key)
        if value and value.startswith(("https://", "http://")):
            return value
    return None


class CaseDetailsService(QObject):
    details_ready = Signal(object)  # CaseDetails (the case as selected, then as read anew)
    details_failed = Signal(str, str)  # case id, one sentence
    document_ready = Signal(object, str)  # DocumentRef, path of the downloaded copy
    document_failed = Signal(object, str)  # DocumentRef, one sentence
    stale = Signal(str)  # case id: a filing changed it; a pane showing it asks again

    def __init__(self, service: DocumentService, background: Background, *, max_age: float = MAX_AGE_S,
                 settle_ms: int = SETTLE_MS, folder: Path | None = None,
                 clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._background = background
        self._max_age = max_age
        self._clock = clock
        self._cache: OrderedDict[str, CaseDetails] = OrderedDict()
        self._busy = False
        self._pending: Case | None = None
        self._wanted: str | None = None  # the case selected last
        self._root = folder
        self._folder: Path | None = None
        self._folder_lock = threading.Lock()
        self._downloads: dict[str, Path] = {}  # document id -> copy
        self._downloading: set[str] = set()
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(settle_ms)
        self._settle.timeout.connect(self._settled)
        self._stopped = False

    # -- the case --------------------------------------------------------------------------------

    def show(self, case: Case) -> None:
        """Tell `details_ready` what is known of the case now (the cache, or the case as given) and
        read it anew from the service when that is stale."""
        self._wanted = case.id
        cached = self._cache.get(case.id)
        if cached is not None:
            self._cache.move_to_end(case.id)
            self.details_ready.emit(cached)
            if self._clock() - cached.read_at < self._max_age:
                return
        else:
            self.details_ready.emit(CaseDetails(case))
        self._pending = case
        if not self._stopped:
            self._settle.start()  # again: the selection has not rested yet

    def _settled(self) -> None:
        if not self._busy and not self._stopped:
            self._read_next()

    def cached(self, case_id: str) -> CaseDetails | None:
        return self._cache.get(case_id)

    def forget(self, case_id: str) -> None:
        """A filing changed the case: read it anew the next time it is shown."""
        self._cache.pop(case_id, None)
        self.stale.emit(case_id)

    def _read_next(self) -> None:
        case, self._pending = self._pending, None
        if case is None or self._stopped:
            return
        self._busy = True
        service = self._service

        def read() -> CaseDetails:
            fresh = service.get_case(case.id)
            documents = error = None
            if Capability.LIST_DOCUMENTS in service.capabilities:
                try:
                    documents = newest_first(service.list_documents(case.id))
                except NotSupported:
                    documents = None
                except Exception as exc:  # noqa: BLE001 - the case shows; the documents say why not
                    error = getattr(exc, "message", None) or f"unexpected error: {type(exc).__name__}"
            return CaseDetails(fresh, documents, error, read_at=self._clock())

        def done(details: CaseDetails | None, error: str | None) -> None:
            self._busy = False
            if error:
                if case.id == self._wanted:
                    self.details_failed.emit(case.id, error)
            elif details is not None:
                self._cache[case.id] = details
                self._cache.move_to_end(case.id)
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
                if case.id == self._wanted:
                    self.details_ready.emit(details)
            self._read_next()

        self._background.run(read, done)

    # -- documents -------------------------------------------------------------------------------

    def can_read_content(self) -> bool:
        return Capability.READ_CONTENT in self._service.capabilities

    def downloaded(self, document: DocumentRef) -> Path | None:
        """The copy already downloaded (and still there), or None."""
        path = self._downloads.get(document.id)
        return path if path is not None and path.exists() else None

    def download(self, document: DocumentRef) -> None:
        """Bring the document's bytes into the private folder; `document_ready` with its path."""
        ready = self.downloaded(document)
        if ready is not None:
            self.document_ready.emit(document, str(ready))
            return
        if document.id in self._downloading:
            return
        self._downloading.add(document.id)
        service = self._service

        def fetch() -> Path:
            if Capability.READ_CONTENT not in service.capabilities:
                raise NotSupported(f"The document service cannot give {document.title!r} back.")
            folder = Path(private_folder(self._private_root(), "doc-"))
            target = folder / safe_filename(_file_name(document), "dokument")
            try:
                with target.open("wb") as sink:
                    service.read_content(document.id, sink)
                    sink.flush()
                os.chmod(target, stat.S_IRUSR)  # a copy: what is edited in it is not filed
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            return target

        def done(path: Path | None, error: str | None) -> None:
            self._downloading.discard(document.id)
            if error or path is None:
                self.document_failed.emit(document, error or "")
            else:
                self._downloads[document.id] = path
                self.document_ready.emit(document, str(path))

        self._background.run(fetch, done)

    def _private_root(self) -> Path:
        with self._folder_lock:
            if self._folder is None:
                root = self._root or paths.data_dir() / OPEN_FOLDER
                root.mkdir(parents=True, exist_ok=True, mode=0o700)
                self._folder = Path(private_folder(root, f"run-{os.getpid()}-"))
            return self._folder

    def cleanup(self) -> None:
        """At exit: read nothing more, and remove every copy this run downloaded."""
        self._stopped = True
        self._settle.stop()
        with self._folder_lock:
            folder, self._folder = self._folder, None
        self._downloads.clear()
        if folder is not None:
            _remove_tree(folder)

    def remove_leftovers(self) -> None:
        """Copies a crashed earlier run left behind (call at start, off the GUI thread)."""
        root = self._root or paths.data_dir() / OPEN_FOLDER
        with self._folder_lock:  # not this run's folder, even one made while we look
            if not root.is_dir():
                return
            for child in root.iterdir():
                if child != self._folder and child.name.startswith("run-"):
                    _remove_tree(child)


def _file_name(document: DocumentRef) -> str:
    if document.filename:
        return document.filename
    import mimetypes

    suffix = mimetypes.guess_extension(document.mime_type or "") or ""
    return (document.title or document.id) + suffix


def _remove_tree(folder: Path) -> None:
    def writable_then_retry(function, path, _excinfo) -> None:
        try:
            os.chmod(path, stat.S_IRWXU)
            function(path)
        except OSError:
            pass  # open in another program (Windows): removed at the next start

    shutil.rmtree(folder, onerror=writable_then_retry)
