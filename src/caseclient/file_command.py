"""`caseclient file`: file documents on a case, each independently, exactly once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .backends.protocol import DocumentService, MemoryResumeState
from .domain import (
    CaseclientError,
    Direction,
    DocumentMetadata,
    DocumentRef,
    InputError,
    UploadSource,
)


@dataclass
class FileResult:
    path: Path
    ref: DocumentRef | None = None
    error: str | None = None

    def as_json(self) -> dict:
        if self.ref is None:
            return {"path": str(self.path), "error": self.error}
        return {
            "path": str(self.path),
            "document_id": self.ref.id,
            "case_id": self.ref.case_id,
            "title": self.ref.title,
            "already_filed": self.ref.already_existed,
        }


def read_source(path: Path) -> UploadSource:
    """The file to upload, or one InputError sentence naming the file and the problem."""
    try:
        return UploadSource.from_path(path)
    except IsADirectoryError:
        raise InputError(f"{path} is a folder, not a file; name the files in it") from None
    except FileNotFoundError:
        raise InputError(f"{path} does not exist") from None
    except PermissionError:
        raise InputError(f"{path} cannot be read (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{path} cannot be read ({exc.strerror or exc})") from None


def propose_metadata(source: UploadSource, title: str | None) -> DocumentMetadata:
    modified = datetime.fromtimestamp(source.path.stat().st_mtime).date()
    return DocumentMetadata(
        title=title or source.path.stem.strip() or source.filename,
        document_date=min(modified, date.today()),
        direction=Direction.INCOMING,
    )


def idempotency_key(service: DocumentService, case_id: str, source: UploadSource, title: str) -> str:
    """The same file with the same title on the same case is one filing, however often it is tried."""
    return hashlib.sha256(f"{service.name}|{case_id}|{source.sha256}|{title}".encode()).hexdigest()


def file_paths(
    service: DocumentService, paths: list[Path], *, case_number: str, title: str | None = None
) -> list[FileResult]:
    case = service.find_case_by_number(case_number)
    results: list[FileResult] = []
    for path in paths:
        try:
            source = read_source(path)
            metadata = propose_metadata(source, title)
            ref = service.upload_document(
                case.id,
                source,
                metadata,
                idempotency_key=idempotency_key(service, case.id, source, metadata.title),
                state=MemoryResumeState(),
            )
            results.append(FileResult(path, ref=ref))
        except InputError as exc:  # already names the file
            results.append(FileResult(path, error=exc.message))
        except CaseclientError as exc:
            results.append(FileResult(path, error=f"{path} was not filed: {exc.message}"))
    return results
