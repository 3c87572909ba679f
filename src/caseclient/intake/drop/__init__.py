"""Drop decoding: what a drag from a mail program or file manager carries, as files intake can read.

Qt-free: the services layer turns a QMimeData into a :class:`DropDescription` inside dropEvent;
:class:`DropDecoder` does the rest. A drop is always accepted as a copy, never a move.
"""

from .decode import EXPLANATIONS, DropDecoder, DropItem, DropOrigin, DropResult, NothingReadable
from .description import DropDescription, file_contents_format, read_eagerly, windows_format
from .descriptor import FileDescriptor, parse_file_group_descriptor
from .outlook import OutlookAutomation, OutlookItemSaver, SavedItems, default_outlook_saver

__all__ = [
    "EXPLANATIONS", "DropDecoder", "DropDescription", "DropItem", "DropOrigin", "DropResult", "FileDescriptor",
    "NothingReadable", "OutlookAutomation", "OutlookItemSaver", "SavedItems", "default_outlook_saver",
    "file_contents_format", "parse_file_group_descriptor", "read_eagerly", "windows_format",
]
