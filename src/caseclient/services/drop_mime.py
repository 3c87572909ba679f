"""QMimeData to a Qt-free drop description, and the drop action caseclient accepts (QtCore only).

Call both inside dropEvent: Outlook's data object and Thunderbird's temp files live only that long.

    description = describe_mime_data(event.mimeData())
    event.setDropAction(accepted_drop_action(event.possibleActions()))
    event.accept()
    result = decoder.decode(description)   # still inside dropEvent: it copies the temp files
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt

from ..intake.drop import DropDescription, file_contents_format, parse_file_group_descriptor, read_eagerly
from ..intake.drop.description import FILE_GROUP_DESCRIPTOR, FILE_GROUP_DESCRIPTOR_W


def describe_mime_data(mime: QMimeData) -> DropDescription:
    offered = tuple(mime.formats())
    data = {name: bytes(mime.data(name).data()) for name in offered if read_eagerly(name)}
    description = DropDescription(offered=offered, data=data)
    wide = description.windows(FILE_GROUP_DESCRIPTOR_W)
    descriptor = wide or description.windows(FILE_GROUP_DESCRIPTOR)
    if descriptor:
        for index in range(len(parse_file_group_descriptor(descriptor, wide=bool(wide)))):
            name = file_contents_format(index)
            data[name] = bytes(mime.data(name).data())  # Qt asks the source for item `index` only
    urls = mime.urls() if mime.hasUrls() else []
    return DropDescription(
        offered=offered,
        data=data,
        files=tuple(Path(u.toLocalFile()) for u in urls if u.isLocalFile()),
        links=tuple(u.toString() for u in urls if not u.isLocalFile()),
    )


def accepted_drop_action(possible: Qt.DropAction) -> Qt.DropAction:
    """Always a copy: accepting a move makes Outlook delete the dragged mail. No copy, no drop."""
    if possible & Qt.DropAction.CopyAction:
        return Qt.DropAction.CopyAction
    return Qt.DropAction.IgnoreAction

