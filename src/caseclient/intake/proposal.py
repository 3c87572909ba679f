"""From a file to a document candidate: read it, then propose title, date, direction and parties."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ..domain import Direction, DocumentMetadata, InputError, Party, sha256_of
from .detect import detect_case_numbers, detect_cprs, detect_cvrs
from .eml import read_eml
from .files import private_folder, shown, unique_path, walk_files, write_private
from .model import AttachmentCandidate, Candidate, ItemKind, ReadAttachment, ReadItem
from .msg import read_msg
from .pdf import read_pdf
from .plain import read_plain
from .settings import IntakeSettings
from .sniff import FileKind, Sniffed, expected_kind, sniff
from .tnef import TNEF_MIME, read_tnef
from .title import clean_subject, title_from_filename

log = logging.getLogger(__name__)

_OUTLOOK_IMAGE_NAME = re.compile(r"^image\d{3}\.(png|jpe?g|gif|bmp)$", re.IGNORECASE)
_SIGNATURE_TYPES = ("application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature")
_KIND_NAMES = {FileKind.MSG: "an Outlook item", FileKind.EML: "a mail message", FileKind.PDF: "a PDF"}


# The document type proposed per kind of item; the user (or a folder's defaults) decides the rest.
_DOCUMENT_TYPES = {ItemKind.EMAIL: "E-mail", ItemKind.APPOINTMENT: "Mødeindkaldelse", ItemKind.NOTE: "Notat"}


@dataclass(frozen=True, slots=True)
class Proposed:
    """One file of a batch: its candidate, or the error that explains why there is none."""

    path: Path
    candidate: Candidate | None = None
    error: InputError | None = None


def propose(path: Path, *, settings: IntakeSettings | None = None) -> Candidate:
    """Read one file and propose it as a document. Raises InputError naming the file and the problem.

    Attachments are unpacked into a private scratch folder (``Candidate.scratch``); call
    :func:`release` once the candidate has been filed or dropped.
    """
    return _propose(Path(path), settings or IntakeSettings(), depth=0, scratch_root=None, parent=None)


def propose_each(paths: Iterable[Path], *, settings: IntakeSettings | None = None) -> Iterator[Proposed]:
    """Every file of `paths` (folders walked, clutter skipped), one outcome each; none stops the batch."""
    settings = settings or IntakeSettings()
    for path in walk_files(Path(p) for p in paths):
        try:
            yield Proposed(path, candidate=propose(path, settings=settings))
        except InputError as exc:
            yield Proposed(path, error=exc)


def release(candidate: Candidate) -> None:
    """Remove the unpacked attachments of a candidate (after filing, or when the user cancels)."""
    if candidate.scratch is not None:
        shutil.rmtree(candidate.scratch, ignore_errors=True)


def read_item(path: Path, settings: IntakeSettings) -> tuple[ReadItem, Sniffed]:
    """The reader chosen by content reads the file. Raises InputError; never anything else."""
    name = shown(path)
    try:
        if path.is_dir():
            raise InputError(f"{name} is a folder, not a file.")
        if not path.is_file() and path.exists():
            raise InputError(f"{name} is not a regular file (a device, pipe or socket).")
        if path.stat().st_size == 0:
            raise InputError(f"{name} is empty (0 bytes).")
        sniffed = sniff(path)
    except FileNotFoundError as exc:
        raise InputError(f"{name} was not found; it may have been moved or deleted.") from exc
    except PermissionError as exc:
        raise InputError(f"{name} could not be opened: permission denied.") from exc
    except OSError as exc:
        raise InputError(f"{name} could not be opened ({exc.strerror or type(exc).__name__}).") from exc
    expected = expected_kind(path.name)
    if expected is FileKind.EML and sniffed.kind is FileKind.OTHER and sniffed.mime_type == "text/plain":
        sniffed = Sniffed(FileKind.EML, "message/rfc822", "a mail message")  # headers unusual, still text
    try:
        item = _read(path, sniffed, settings)
    except InputError:
        raise
    except Exception as exc:  # parsers raise anything on damaged input; one sentence for the user
        log.info("reader failed on %s: %s", name, type(exc).__name__)
        raise InputError(f"{name} could not be read as {sniffed.label}: the file is damaged.") from exc
    if expected is not None and expected is not sniffed.kind:
        item.warnings.insert(0, f"{name} is named like {_KIND_NAMES[expected]} but holds {sniffed.label}; "
                                "it was read as what it holds.")
    return item, sniffed


def _read(path: Path, sniffed: Sniffed, settings: IntakeSettings) -> ReadItem:
    if sniffed.kind is FileKind.MSG:
        return read_msg(path, settings.timezone)
    if sniffed.kind is FileKind.EML:
        return read_eml(path, settings.timezone)
    if sniffed.kind is FileKind.PDF:
        return read_pdf(path, text_pages=settings.pdf_text_pages)
    if sniffed.mime_type == TNEF_MIME:
        return read_tnef(path, settings.timezone)
    return read_plain(path, sniffed, max_chars=settings.max_text_chars)


def _propose(path: Path, settings: IntakeSettings, *, depth: int, scratch_root: Path | None,
             parent: ReadItem | None) -> Candidate:
    if depth > settings.max_depth:
        item, sniffed = _read_as_plain(path, settings), None
    else:
        item, sniffed = _read_for(path, settings, parent)
    digest, size = _hash(path)
    scratch = None
    attachments: tuple[AttachmentCandidate, ...] = ()
    if item.attachments:
        try:
            scratch = private_folder(scratch_root or settings.scratch_dir, "attachments-")
            attachments = _attachment_candidates(item, path, scratch, settings, depth)
        except (OSError, InputError) as exc:
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
            reason = exc.message if isinstance(exc, InputError) else exc.strerror or type(exc).__name__
            raise InputError(f"The attachments of {shown(path)} could not be unpacked ({reason}).") from exc
    subject = item.subject or ""
    text = f"{subject}\n{path.name}\n{item.text[: settings.max_text_chars]}"
    cprs = detect_cprs(text)
    cvrs = detect_cvrs(text)
    # A file attached to a mail is dated, sent and received as the mail; an attached mail as itself.
    source = parent if parent is not None and item.kind in (ItemKind.PDF, ItemKind.FILE) else item
    metadata = DocumentMetadata(
        title=_title(item, path, settings),
        document_date=_document_date(source, item, path, settings),
        direction=_direction(source, settings),
        sender=source.sender,
        recipients=source.recipients,
        parties=tuple(Party(cpr=c) for c in cprs) + tuple(Party(cvr=c) for c in cvrs),
        document_type=_DOCUMENT_TYPES.get(item.kind),
        description=item.description,
        message_id=item.message_id,
    )
    return Candidate(
        metadata=metadata,
        source=path,
        filename=path.name,
        mime_type=sniffed.mime_type if sniffed and item.kind is ItemKind.FILE else item.mime_type,
        size=size,
        sha256=digest,
        kind=item.kind,
        item_class=item.item_class,
        message_id=item.message_id,
        page_count=item.page_count,
        author=item.author,
        encrypted=item.encrypted,
        detected_case_numbers=detect_case_numbers(subject, f"{path.name}\n{item.text[: settings.max_text_chars]}",
                                                  settings),
        detected_cprs=cprs,
        detected_cvrs=cvrs,
        attachments=attachments,
        warnings=tuple(item.warnings),
        scratch=scratch,
    )


def _read_for(path: Path, settings: IntakeSettings, parent: ReadItem | None) -> tuple[ReadItem, Sniffed | None]:
    """Top-level files raise InputError; an attachment that cannot be read stays a plain file."""
    try:
        return read_item(path, settings)
    except InputError as exc:
        if parent is None:
            raise
        item = _read_as_plain(path, settings)
        item.warnings.append(f"Attachment {exc.message} It is kept as it is.")
        return item, None


def _read_as_plain(path: Path, settings: IntakeSettings) -> ReadItem:
    try:
        sniffed = sniff(path)
    except OSError as exc:
        raise InputError(f"{shown(path)} could not be opened ({type(exc).__name__}).") from exc
    return read_plain(path, sniffed, max_chars=settings.max_text_chars)


def _hash(path: Path) -> tuple[str, int]:
    try:
        return sha256_of(path)
    except OSError as exc:
        raise InputError(f"{shown(path)} could not be read to the end ({type(exc).__name__}).") from exc


def _attachment_candidates(item: ReadItem, path: Path, scratch: Path, settings: IntakeSettings,
                           depth: int) -> tuple[AttachmentCandidate, ...]:
    taken: set[str] = set()
    found = []
    for attachment in item.attachments:
        target = unique_path(scratch, attachment.filename, taken)
        write_private(target, attachment.data)
        candidate = _propose(target, settings, depth=depth + 1, scratch_root=scratch, parent=item)
        reason = _left_out_because(attachment, candidate, settings)
        found.append(AttachmentCandidate(candidate, included=reason is None, left_out_because=reason))
    log.debug("%d attachments unpacked from %s", len(found), shown(path))
    return tuple(found)


def _left_out_because(attachment: ReadAttachment, candidate: Candidate, settings: IntakeSettings) -> str | None:
    mime = (attachment.mime_type or "").lower()
    is_image = mime.startswith("image/") or candidate.mime_type.startswith("image/")
    if not attachment.data:
        return "empty"
    if mime in _SIGNATURE_TYPES or attachment.filename.lower() in ("smime.p7s", "signature.asc"):
        return "signature"
    if is_image and not settings.include_inline_images and (
        attachment.inline or _OUTLOOK_IMAGE_NAME.match(attachment.filename)
    ):
        return "inline image"
    return None


def _title(item: ReadItem, path: Path, settings: IntakeSettings) -> str:
    if item.subject:
        cleaned = clean_subject(item.subject, settings)
        if cleaned:
            return cleaned
    return title_from_filename(path.name)


def _document_date(source: ReadItem, item: ReadItem, path: Path, settings: IntakeSettings) -> date:
    """Sent, received or created (of the mail a file came with), else the file's modification time."""
    when = source.sent or source.received or source.created or item.created
    if when is None:
        try:
            when = datetime.fromtimestamp(path.stat().st_mtime, ZoneInfo(settings.timezone))
        except OSError:
            when = datetime.now(ZoneInfo(settings.timezone))
    if when.tzinfo is not None:
        when = when.astimezone(ZoneInfo(settings.timezone))
    return when.date()


def _direction(item: ReadItem, settings: IntakeSettings) -> Direction:
    """Outgoing when the user sent it; internal when everyone is in the own domains; else incoming."""
    if item.sender is None:
        return Direction.INCOMING
    everyone_internal = bool(item.recipients) and all(settings.is_internal(p.email) for p in item.recipients)
    if settings.is_internal(item.sender.email) and everyone_internal:
        return Direction.INTERNAL
    if settings.is_own(item.sender.email):
        return Direction.OUTGOING
    return Direction.INCOMING
