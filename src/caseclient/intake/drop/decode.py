"""From a drop to the files intake reads, per client (docs: drag-and-drop.md).

- Explorer, Finder, file managers: `text/uri-list` files and folders (walked, clutter skipped).
  They stay where they are, except files in a temp folder (Thunderbird writes dragged mails
  there and deletes them half a second later): those are copied at once.
- Classic Outlook: `FileGroupDescriptorW`/`FileGroupDescriptor` names + `FileContents;index=N`
  bytes (attachments); mails come without bytes and are saved through Outlook automation when
  that is available (Windows).
- Anything else: no items, and an explanation the user can act on.

Everything copied goes into a private staging folder in caseclient's data folder.
"""

from __future__ import annotations

import enum
import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ...translatable import QT_TRANSLATE_NOOP
from ..files import private_folder, shown, unique_path, walk_files, write_private
from .description import (
    CHROMIUM_CUSTOM,
    FILE_GROUP_DESCRIPTOR,
    FILE_GROUP_DESCRIPTOR_W,
    FILE_PROMISE_MARKERS,
    OUTLOOK_MARKERS,
    DropDescription,
    file_contents_format,
)
from .descriptor import FileDescriptor, parse_file_group_descriptor
from .outlook import OutlookItemSaver

log = logging.getLogger(__name__)


class DropOrigin(str, enum.Enum):
    FILE = "file"  # a file the user dropped, read where it is
    FOLDER = "folder"  # a file found in a dropped folder
    TEMP_COPY = "temp_copy"  # a short-lived temp file (Thunderbird) copied at once
    VIRTUAL_FILE = "virtual_file"  # bytes from a file group descriptor (Outlook attachments)
    OUTLOOK_ITEM = "outlook_item"  # a mail or other item saved through Outlook


class NothingReadable(str, enum.Enum):
    NEW_OUTLOOK = "new_outlook"
    OUTLOOK_ITEMS = "outlook_items"
    FILE_PROMISE = "file_promise"
    TEXT_ONLY = "text_only"
    UNKNOWN = "unknown"


EXPLANATIONS = {  # marked for Qt Linguist: the GUI shows them translated
    NothingReadable.NEW_OUTLOOK: QT_TRANSLATE_NOOP(
        "DropExplanation",
        "The new Outlook does not hand over the mail itself when it is dragged. Save the mail first "
        "(File > Save as, or drag it to the desktop) and drop the saved file here, or drag it from the "
        "message list of classic Outlook."
    ),
    NothingReadable.OUTLOOK_ITEMS: QT_TRANSLATE_NOOP(
        "DropExplanation",
        "Outlook did not hand over the dragged mail. Save it from Outlook (File > Save as) and drop the "
        "saved file here, or drag its attachments one by one."
    ),
    NothingReadable.FILE_PROMISE: QT_TRANSLATE_NOOP(
        "DropExplanation",
        "This program offers the mail only as a promised file, which caseclient cannot receive yet. "
        "Drag the mail to the desktop (or Finder) first, then drop the saved file here."
    ),
    NothingReadable.TEXT_ONLY: QT_TRANSLATE_NOOP(
        "DropExplanation",
        "The drag carried only text, not a file. Drop a mail, a document or a folder, or save the text "
        "as a file first."
    ),
    NothingReadable.UNKNOWN: QT_TRANSLATE_NOOP(
        "DropExplanation",
        "Nothing that caseclient can read came with this drag. Save the item as a file first and drop "
        "the file here."
    ),
}


@dataclass(frozen=True, slots=True)
class DropItem:
    path: Path
    origin: DropOrigin
    name: str  # as the user knows it (descriptor name, file name)

    @property
    def copied(self) -> bool:
        return self.origin in (DropOrigin.TEMP_COPY, DropOrigin.VIRTUAL_FILE, DropOrigin.OUTLOOK_ITEM)


@dataclass(slots=True)
class DropResult:
    items: list[DropItem] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one sentence per thing that was not taken
    nothing_readable: NothingReadable | None = None
    staging: Path | None = None  # private folder of copies; remove it once the items are filed

    @property
    def explanation(self) -> str | None:
        return EXPLANATIONS[self.nothing_readable] if self.nothing_readable else None

    def remove_copies(self) -> None:
        """Delete the private copies (after filing, or when the user cancels); originals stay."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)


class DropDecoder:
    """Turns drop descriptions into items. Must run inside dropEvent: temp files vanish right after."""

    def __init__(self, *, staging_root: Path | None = None, temp_roots: tuple[Path, ...] | None = None,
                 outlook: OutlookItemSaver | None = None) -> None:
        self._staging_root = staging_root
        self._temp_roots = tuple(p.resolve() for p in (temp_roots or (Path(tempfile.gettempdir()),)))
        self._outlook = outlook

    def decode(self, drop: DropDescription) -> DropResult:
        result = DropResult()
        if drop.files:
            self._take_files(drop, result)
        else:
            self._take_virtual_files(drop, result)
        if not result.items and result.nothing_readable is None and not drop.files:
            result.nothing_readable = _why_nothing(drop)
        if result.nothing_readable:
            log.info("drop without readable files (%s); formats: %s", result.nothing_readable.value,
                     ", ".join(drop.offered)[:500])
        return result

    def _staging(self, result: DropResult) -> Path:
        if result.staging is None:
            result.staging = private_folder(self._staging_root, "drop-")
        return result.staging

    def _take_files(self, drop: DropDescription, result: DropResult) -> None:
        taken: set[str] = set()
        for dropped in drop.files:
            if dropped.is_dir():
                found = list(walk_files([dropped]))
                result.items.extend(DropItem(p, DropOrigin.FOLDER, p.name) for p in found)
                if not found:
                    result.problems.append(f"The folder {shown(dropped)} holds no files to file.")
            elif not dropped.is_file():
                result.problems.append(f"{shown(dropped)} is no longer there; it may have been moved or deleted.")
            elif self._is_temporary(dropped):
                target = unique_path(self._staging(result), dropped.name, taken)
                try:
                    shutil.copyfile(dropped, target)
                    target.chmod(0o600)
                except OSError as exc:
                    log.info("temp copy failed: %s", type(exc).__name__)
                    result.problems.append(f"{shown(dropped)} disappeared before it could be copied; drag it again.")
                    continue
                result.items.append(DropItem(target, DropOrigin.TEMP_COPY, dropped.name))
            else:
                result.items.append(DropItem(dropped, DropOrigin.FILE, dropped.name))

    def _is_temporary(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved.is_relative_to(root) for root in self._temp_roots)

    def _take_virtual_files(self, drop: DropDescription, result: DropResult) -> None:
        descriptors = _descriptors(drop)
        taken: set[str] = set()
        waiting: dict[int, str] = {}  # items whose bytes Qt could not read (Outlook mails: IStorage)
        for index, descriptor in enumerate(descriptors):
            data = drop.data.get(file_contents_format(index), b"")
            if not data and descriptor.name.lower().endswith(".msg"):
                waiting[index] = descriptor.name  # an Outlook item: only Outlook can save it
                continue
            if not data and descriptor.size != 0:
                result.problems.append(f"{shown(descriptor.name)} came without its content.")
                continue
            if descriptor.size and len(data) < descriptor.size:
                result.problems.append(
                    f"{shown(descriptor.name)} arrived incomplete ({len(data)} of {descriptor.size} bytes); drag it again."
                )
                continue
            target = unique_path(self._staging(result), descriptor.name, taken)
            write_private(target, data)
            result.items.append(DropItem(target, DropOrigin.VIRTUAL_FILE, descriptor.name))
        if waiting:
            self._take_outlook_items(waiting, result)

    def _take_outlook_items(self, waiting: dict[int, str], result: DropResult) -> None:
        if self._outlook is None:
            result.problems.extend(f"{shown(name)} came without its content." for name in waiting.values())
            result.nothing_readable = NothingReadable.OUTLOOK_ITEMS
            return
        saved = self._outlook.save_items(waiting, self._staging(result))
        for index, path in sorted(saved.paths.items()):
            result.items.append(DropItem(path, DropOrigin.OUTLOOK_ITEM, waiting[index]))
        result.problems.extend(saved.problems)
        if not saved.paths:
            result.nothing_readable = NothingReadable.OUTLOOK_ITEMS


def _descriptors(drop: DropDescription) -> list[FileDescriptor]:
    wide = drop.windows(FILE_GROUP_DESCRIPTOR_W)
    if wide:
        return parse_file_group_descriptor(wide, wide=True)
    ansi = drop.windows(FILE_GROUP_DESCRIPTOR)
    return parse_file_group_descriptor(ansi, wide=False) if ansi else []


def _why_nothing(drop: DropDescription) -> NothingReadable:
    if drop.offers(*CHROMIUM_CUSTOM):
        return NothingReadable.NEW_OUTLOOK
    if drop.offers(*OUTLOOK_MARKERS):
        return NothingReadable.OUTLOOK_ITEMS
    if drop.offers(*FILE_PROMISE_MARKERS):
        return NothingReadable.FILE_PROMISE
    if drop.offers("text/plain", "text/html", "text/uri-list") or drop.links:
        return NothingReadable.TEXT_ONLY
    return NothingReadable.UNKNOWN
