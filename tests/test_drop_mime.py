"""QMimeData built by hand for each mail client's format list, through the adapter and the decoder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from outlook_drag import (
    CLASSIC_OUTLOOK_MAIL_FORMATS,
    MAC_OUTLOOK_FORMATS,
    NEW_OUTLOOK_FORMATS,
    THUNDERBIRD_FORMATS,
    FakeMailItem,
    FakeOutlook,
    file_group_descriptor,
)
from PySide6.QtCore import QByteArray, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from caseclient.intake.drop import (
    DropDecoder,
    DropOrigin,
    NothingReadable,
    OutlookAutomation,
    file_contents_format,
    windows_format,
)
from caseclient.services.drop_mime import accepted_drop_action, describe_mime_data


def mime_with(formats: dict[str, bytes], urls: list[QUrl] | None = None) -> QMimeData:
    mime = QMimeData()
    for name, data in formats.items():
        mime.setData(name, QByteArray(data))
    if urls:
        mime.setUrls(urls)
    return mime


def test_classic_outlook_two_mails_with_repeated_names(qapp, tmp_path: Path) -> None:
    formats = {name: b"" for name in CLASSIC_OUTLOOK_MAIL_FORMATS}
    formats[windows_format("RenPrivateMessages")] = b"\x01\x00\x00\x00entry-ids"
    formats[windows_format("FileGroupDescriptorW")] = file_group_descriptor([("Møde.msg", None), ("Møde.msg", None)])
    formats["text/plain"] = b"From\tSubject\r\nA\tM\xc3\xb8de\r\nB\tM\xc3\xb8de"
    mime = mime_with(formats)  # the FileContents;index=N are empty: Qt cannot read IStorage
    description = describe_mime_data(mime)
    assert description.offered == tuple(formats)
    assert description.data[file_contents_format(0)] == b"" and description.data[file_contents_format(1)] == b""
    items = [FakeMailItem("Møde", b"mail one"), FakeMailItem("Møde", b"mail two")]
    decoder = DropDecoder(staging_root=tmp_path, outlook=OutlookAutomation(connect=lambda: FakeOutlook(items)))
    result = decoder.decode(description)
    assert [(i.path.name, i.path.read_bytes(), i.origin) for i in result.items] == [
        ("Møde.msg", b"mail one", DropOrigin.OUTLOOK_ITEM), ("Møde (2).msg", b"mail two", DropOrigin.OUTLOOK_ITEM)]


def test_classic_outlook_attachments_are_read_per_index(qapp, tmp_path: Path) -> None:
    mime = mime_with({
        windows_format("FileGroupDescriptorW"): file_group_descriptor([("bilag.pdf", 8), ("bilag.pdf", 5)]),
        windows_format("FileContents"): b"",
        file_contents_format(0): b"%PDF-1.4",
        file_contents_format(1): b"other",
    })
    result = DropDecoder(staging_root=tmp_path).decode(describe_mime_data(mime))
    assert [(i.path.name, i.path.read_bytes()) for i in result.items] == [("bilag.pdf", b"%PDF-1.4"),
                                                                         ("bilag (2).pdf", b"other")]


def test_thunderbird_files_from_urls(qapp, tmp_path: Path) -> None:
    mail = tmp_path / "nsmail.eml"
    mail.write_bytes(b"From: a@example.dk\r\nSubject: Hej\r\n\r\nx")
    formats = {name: b"imap://server/INBOX?number=7" for name in THUNDERBIRD_FORMATS if name != "text/uri-list"}
    mime = mime_with(formats, [QUrl.fromLocalFile(str(mail)), QUrl("imap://server/INBOX?number=7")])
    description = describe_mime_data(mime)
    assert description.files == (mail,) and description.links == ("imap://server/INBOX?number=7",)
    result = DropDecoder(staging_root=tmp_path / "staging", temp_roots=(tmp_path,)).decode(description)
    mail.unlink()
    assert [i.origin for i in result.items] == [DropOrigin.TEMP_COPY]
    assert result.items[0].path.read_bytes().startswith(b"From: a@example.dk")


def test_new_outlook_drag_explains_itself(qapp, tmp_path: Path) -> None:
    mime = mime_with({name: b'{"itemType":"mail","ids":["AAMk"]}' for name in NEW_OUTLOOK_FORMATS})
    result = DropDecoder(staging_root=tmp_path).decode(describe_mime_data(mime))
    assert result.items == [] and result.nothing_readable is NothingReadable.NEW_OUTLOOK
    assert "Save the mail first" in result.explanation


def test_file_manager_files_and_folders(qapp, tmp_path: Path) -> None:
    folder = tmp_path / "Sag"
    (folder / ".skjult").mkdir(parents=True)
    (folder / "brev.pdf").write_bytes(b"%PDF")
    (folder / ".skjult" / "x.pdf").write_bytes(b"%PDF")
    (folder / "~$notat.docx").write_bytes(b"lock")
    single = tmp_path / "bilag æøå.txt"
    single.write_text("x", encoding="utf-8")
    mime = mime_with({"text/plain": str(single).encode()}, [QUrl.fromLocalFile(str(single)), QUrl.fromLocalFile(str(folder))])
    result = DropDecoder(staging_root=tmp_path / "staging", temp_roots=(tmp_path / "tmp",)).decode(describe_mime_data(mime))
    assert [(i.path, i.origin) for i in result.items] == [(single, DropOrigin.FILE), (folder / "brev.pdf", DropOrigin.FOLDER)]


def test_outlook_for_mac_file_promises_explain_the_way_forward(qapp, tmp_path: Path) -> None:
    mime = mime_with({name: b"" for name in MAC_OUTLOOK_FORMATS})
    result = DropDecoder(staging_root=tmp_path).decode(describe_mime_data(mime))
    assert result.items == [] and result.nothing_readable is NothingReadable.FILE_PROMISE


@pytest.mark.parametrize("possible, accepted", [
    (Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, Qt.DropAction.CopyAction),
    (Qt.DropAction.CopyAction | Qt.DropAction.MoveAction | Qt.DropAction.LinkAction, Qt.DropAction.CopyAction),
    (Qt.DropAction.MoveAction, Qt.DropAction.IgnoreAction),
])
def test_a_drop_is_accepted_only_as_a_copy(qapp, possible: Qt.DropAction, accepted: Qt.DropAction) -> None:
    event = QDropEvent(QPointF(1, 1), possible, QMimeData(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    assert event.possibleActions() == possible
    event.setDropAction(accepted_drop_action(event.possibleActions()))
    assert event.dropAction() == accepted


def test_the_adapter_needs_only_qtcore() -> None:
    code = ("import sys, caseclient.services.drop_mime; "
            "sys.exit(any(m.startswith(('PySide6.QtGui', 'PySide6.QtWidgets')) for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0
