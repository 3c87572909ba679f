"""Classic Outlook's dragged mails through Outlook automation (Windows only).

Qt reads Outlook's virtual files only when they come as streams; mails come as IStorage, which Qt
never asks for, so their bytes are empty. Outlook can save the selected items itself:
`MailItem.SaveAs(path, 9)` (9 = olMSGUnicode). The selection may differ from what was dragged,
so each saved item is matched against the names in the drag's file group descriptor.

pywin32 is imported only when the real Outlook is asked for, and only on Windows; the matching
and saving run against any object shaped like Outlook's automation model (tests use a fake).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..files import shown, unique_path

log = logging.getLogger(__name__)

OL_MSG_UNICODE = 9
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_CUT_NAME = 30  # letters and digits a shortened name must keep to be matched by its start


@dataclass(slots=True)
class SavedItems:
    paths: dict[int, Path] = field(default_factory=dict)  # descriptor index -> saved .msg
    problems: list[str] = field(default_factory=list)


class OutlookItemSaver(Protocol):
    def save_items(self, names: dict[int, str], folder: Path) -> SavedItems:
        """Save the dragged items named `names` (descriptor index -> file name) into `folder`."""


def match_key(name: str) -> str:
    """What a descriptor name and an item's subject have in common once Outlook has cleaned the name."""
    stem = name[:-4] if name.lower().endswith(".msg") else name
    return _NOT_WORD.sub("", stem.casefold())


def names_match(descriptor_name: str, subject: str) -> bool:
    """The same item: equal keys, or a long name that Outlook cut short (its file names have a limit)."""
    name_key, subject_key = match_key(descriptor_name), match_key(subject)
    return name_key == subject_key or (len(name_key) >= _CUT_NAME and subject_key.startswith(name_key))


class OutlookAutomation:
    """Saves dragged items through the running classic Outlook's automation interface."""

    def __init__(self, connect: Callable[[], Any] | None = None) -> None:
        self._connect = connect or connect_to_running_outlook

    def save_items(self, names: dict[int, str], folder: Path) -> SavedItems:
        outcome = SavedItems()
        try:
            selection = self._connect().ActiveExplorer().Selection
            items = [selection.Item(n) for n in range(1, int(selection.Count) + 1)]
        except Exception as exc:  # COM errors: Outlook closed, no explorer window, security refusal
            log.info("outlook automation unavailable: %s", type(exc).__name__)
            outcome.problems.append(
                "Outlook did not hand over the dragged mails; save them from Outlook (File > Save as) "
                "and drop the saved files here."
            )
            return outcome
        unused = list(items)
        taken: set[str] = set()
        for index, name in names.items():
            item = next((i for i in unused if names_match(name, _subject(i))), None)
            if item is None:
                outcome.problems.append(
                    f"{shown(name)} is no longer selected in Outlook; select it and drag it again, "
                    "or save it from Outlook and drop the file."
                )
                continue
            unused.remove(item)
            target = unique_path(folder, name if name.lower().endswith(".msg") else f"{name}.msg", taken)
            try:
                item.SaveAs(str(target), OL_MSG_UNICODE)
            except Exception as exc:  # COM error from SaveAs (prompt refused, item locked)
                log.info("outlook SaveAs failed: %s", type(exc).__name__)
                outcome.problems.append(f"Outlook could not save {shown(name)}; save it from Outlook and drop the file.")
                continue
            if target.is_file() and target.stat().st_size:
                target.chmod(0o600)
                outcome.paths[index] = target
            else:
                outcome.problems.append(f"Outlook saved nothing for {shown(name)}; save it from Outlook and drop the file.")
        return outcome


def _subject(item: Any) -> str:
    try:
        return str(item.Subject or "")
    except Exception:  # COM property access on a deleted or inaccessible item
        return ""


def connect_to_running_outlook() -> Any:
    """The running Outlook.Application (pywin32, Windows only)."""
    if sys.platform != "win32":
        raise OSError("Outlook automation exists on Windows only")
    import win32com.client  # noqa: PLC0415 - Windows-only dependency, imported on use

    return win32com.client.GetActiveObject("Outlook.Application")


def default_outlook_saver() -> OutlookItemSaver | None:
    """The automation path on Windows; None elsewhere (Outlook for Mac and new Outlook have none)."""
    return OutlookAutomation() if sys.platform == "win32" else None

