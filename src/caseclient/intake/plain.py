"""Any other file: its content type comes from sniffing; text files are searched for numbers; Office
files and pictures give the title, author and date their own metadata holds (office.py, exif.py)."""

from __future__ import annotations

from pathlib import Path

from .exif import EXIF_TYPES, add_photo_date
from .htmltext import html_to_text
from .model import ItemKind, ReadItem
from .office import add_office_facts, is_office
from .sniff import Sniffed

_TEXT_TYPES = ("text/", "application/xml", "application/json", "application/csv")


def read_plain(path: Path, sniffed: Sniffed, *, max_chars: int) -> ReadItem:
    read = ReadItem(kind=ItemKind.FILE, mime_type=sniffed.mime_type)
    if sniffed.mime_type.startswith(_TEXT_TYPES):
        with path.open("rb") as f:
            text = f.read(max_chars).decode("utf-8", "replace")
        read.text = html_to_text(text) if sniffed.mime_type == "text/html" else text
    elif is_office(sniffed.mime_type):
        add_office_facts(read, path)
    elif sniffed.mime_type in EXIF_TYPES:
        add_photo_date(read, path)
    return read
