"""Watched scan folders: where scans land, how they are routed and what happens to them after.

Read from a TOML file with one `[[folder]]` table per watched folder (machine policy first, else the
user's own `watch.toml`; see :func:`default_folders_file`)::

    [[folder]]
    path = '\\\\fileserver\\scan\\borgerservice'
    recursive = true
    routing = ["file_name", "cover_sheet", "text"]
    after_filing = "move_to_done"          # or "delete"
    done = "Done"                          # relative to path, or absolute
    failed = "Failed"
    observer = "auto"                      # "native", "polling" or "auto"
    document_type = "Brev"
    sensitivity = "normal"
"""

from __future__ import annotations

import enum
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..config import machine_policy_path
from ..domain import Direction, InputError, Sensitivity


class RoutingRule(str, enum.Enum):
    FILE_NAME = "file_name"  # a case number in the file or folder name
    COVER_SHEET = "cover_sheet"  # a caseclient cover sheet's QR code on the first page
    TEXT = "text"  # a case number or CPR in the first page's text


class AfterFiling(str, enum.Enum):
    MOVE_TO_DONE = "move_to_done"
    DELETE = "delete"


class ObserverKind(str, enum.Enum):
    AUTO = "auto"  # polling where file system events are known not to arrive (network shares)
    NATIVE = "native"  # inotify, ReadDirectoryChangesW, FSEvents
    POLLING = "polling"


DEFAULT_ROUTING = (RoutingRule.FILE_NAME, RoutingRule.COVER_SHEET, RoutingRule.TEXT)


@dataclass(frozen=True, slots=True)
class FolderDefaults:
    """Metadata every scan from a folder starts with (a cover sheet may override them)."""

    direction: Direction = Direction.INCOMING
    document_type: str | None = None
    sensitivity: Sensitivity = Sensitivity.NORMAL


@dataclass(frozen=True, slots=True)
class ScanFolder:
    path: Path
    recursive: bool = True
    routing: tuple[RoutingRule, ...] = DEFAULT_ROUTING
    after_filing: AfterFiling = AfterFiling.MOVE_TO_DONE
    done: Path | None = None  # default: path / "Done"
    failed: Path | None = None  # default: path / "Failed"
    observer: ObserverKind = ObserverKind.AUTO
    defaults: FolderDefaults = field(default_factory=FolderDefaults)

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path))
        object.__setattr__(self, "done", _under(self.path, self.done, "Done"))
        object.__setattr__(self, "failed", _under(self.path, self.failed, "Failed"))

    @property
    def done_folder(self) -> Path:
        assert self.done is not None
        return self.done

    @property
    def failed_folder(self) -> Path:
        assert self.failed is not None
        return self.failed

    @property
    def work_folder(self) -> Path:
        """caseclient's own folder inside the watched one: claims in progress, host heartbeats."""
        return self.path / WORK_FOLDER_NAME


WORK_FOLDER_NAME = ".caseclient"


def _under(root: Path, value: Path | str | None, default: str) -> Path:
    chosen = Path(value) if value else Path(default)
    return chosen if chosen.is_absolute() else root / chosen


def load_scan_folders(file: Path) -> list[ScanFolder]:
    """The folders a TOML file lists, or one InputError sentence naming the file and the problem."""
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{file} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{file} could not be read ({exc}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{file} is not valid TOML: {exc}.") from None
    tables = data.get("folder", [])
    if not isinstance(tables, list):
        raise InputError(f"{file}: 'folder' must be a list of [[folder]] tables.")
    return [_folder(file, n, table) for n, table in enumerate(tables, start=1)]


_KEYS = {"path", "recursive", "routing", "after_filing", "done", "failed", "observer", "direction",
         "document_type", "sensitivity"}


def _folder(file: Path, n: int, table: object) -> ScanFolder:
    where = f"{file}, folder {n}"
    if not isinstance(table, dict):
        raise InputError(f"{where}: must be a [[folder]] table.")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise InputError(f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(_KEYS))}).")
    if not isinstance(table.get("path"), str) or not table["path"].strip():
        raise InputError(f"{where}: 'path' must name the folder to watch.")
    try:
        return ScanFolder(
            path=Path(os.path.expanduser(table["path"])),
            recursive=_bool(table.get("recursive", True), "recursive"),
            routing=tuple(RoutingRule(r) for r in table.get("routing", [r.value for r in DEFAULT_ROUTING])),
            after_filing=AfterFiling(table.get("after_filing", AfterFiling.MOVE_TO_DONE.value)),
            done=table.get("done"),
            failed=table.get("failed"),
            observer=ObserverKind(table.get("observer", ObserverKind.AUTO.value)),
            defaults=FolderDefaults(
                direction=Direction(table.get("direction", Direction.INCOMING.value)),
                document_type=table.get("document_type") or None,
                sensitivity=Sensitivity(table.get("sensitivity", Sensitivity.NORMAL.value)),
            ),
        )
    except (ValueError, TypeError) as exc:
        raise InputError(f"{where}: {exc}.") from None


def _bool(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name!r} must be true or false")
    return value


def default_folders_file() -> Path:
    """The machine policy's watch.toml when there is one (an administrator's scan station), else
    the user's own."""
    policy = machine_policy_path().parent / "watch.toml"
    return policy if policy.is_file() else paths.config_dir() / "watch.toml"
