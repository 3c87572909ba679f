"""The desktop app end to end against the reference service: find a case, drop, confirm, filed."""

from __future__ import annotations

import shutil

from desktop_support import WAIT_MS, search_and_pick
from pypdf import PdfWriter
from PySide6.QtCore import QMimeData, Qt, QTimer, QUrl

from caseclient.backends.protocol import CaseQuery
from caseclient.gui.case_tree_model import CASE_ROLE, Group
from caseclient.server import CASEWORKERS
from caseclient.store import OutboxStatus


def _files_on(service, case_id):
    return service.list_documents(case_id)


def test_drop_on_a_found_case_files_it_once(desktop, qtbot, tmp_path):
    case = desktop.service.search_cases(CaseQuery(limit=1))[0]
    index = search_and_pick(desktop, qtbot, case.number)
    letter = tmp_path / "Partshøring før afgørelse.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(letter)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(letter))])
    assert desktop.window.model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, index)
    filing = desktop.filing
    qtbot.waitUntil(lambda: filing.counts().get(OutboxStatus.DONE, 0) == 1, timeout=WAIT_MS)
    docs = [d for d in _files_on(desktop.service, case.id) if d.title == "Partshøring før afgørelse"]
    assert len(docs) == 1
    view = desktop.outbox_view.model
    qtbot.waitUntil(lambda: view.rowCount() == 1 and view.index(0, view.STATUS).data() == "Filed", timeout=WAIT_MS)
    recent = desktop.window.model.group_index(Group.RECENT)
    qtbot.waitUntil(lambda: desktop.window.model.rowCount(recent) == 1, timeout=WAIT_MS)  # written off the GUI thread
    assert [c.id for c in desktop.index.recent()] == [case.id]


def test_a_mail_with_attachments_files_the_mail_and_chosen_attachments(desktop, qtbot, samples, tmp_path):
    case = desktop.service.search_cases(CaseQuery(limit=2))[1]
    index = search_and_pick(desktop, qtbot, case.number)
    mail = tmp_path / "mail.msg"
    shutil.copyfile(samples / "msg" / "HtmlSampleEmailWithAttachment.msg", mail)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(mail))])
    desktop.window.model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, index)
    qtbot.waitUntil(lambda: len(desktop.asked) == 1, timeout=WAIT_MS)
    candidate = desktop.asked[0][1]
    expected = 1 + sum(1 for a in candidate.attachments if a.included)
    assert expected >= 2
    qtbot.waitUntil(lambda: desktop.filing.counts().get(OutboxStatus.DONE, 0) == expected, timeout=WAIT_MS)
    titles = [d.title for d in _files_on(desktop.service, case.id)]
    assert candidate.metadata.title in titles


def test_nothing_readable_explains_the_way_forward(desktop, qtbot):
    case = desktop.service.search_cases(CaseQuery(limit=1))[0]
    index = search_and_pick(desktop, qtbot, case.number)
    mime = QMimeData()
    mime.setText("Subject\tFrom\tReceived")
    desktop.window.model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, index)
    assert "only text" in desktop.window.status.text()


def test_keyboard_only_paste_a_path_onto_a_case(desktop, qtbot, tmp_path, clipboard_files):
    case = desktop.service.search_cases(CaseQuery(limit=1))[0]
    window = desktop.window
    qtbot.keyClicks(window.search_field, case.number)
    qtbot.waitUntil(lambda: window.model.rowCount(window.model.group_index(Group.SEARCH)) > 0, timeout=WAIT_MS)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Down)
    assert window.selected_case().number == case.number
    note = tmp_path / "Telefonnotat.txt"
    note.write_text("Borgeren ringede.", encoding="utf-8")
    clipboard_files(note)
    window.paste_shortcut.activated.emit()
    qtbot.waitUntil(lambda: desktop.filing.counts().get(OutboxStatus.DONE, 0) == 1, timeout=WAIT_MS)
    assert "Telefonnotat" in [d.title for d in _files_on(desktop.service, case.id)]


def test_my_cases_are_synced_into_the_tree(desktop, qtbot):
    expected = {c.id for c in desktop.service.search_cases(CaseQuery(caseworker=CASEWORKERS[0].uuid, limit=500))}
    assert expected
    model = desktop.window.model
    mine = model.group_index(Group.MINE)
    qtbot.waitUntil(lambda: model.rowCount(mine) == len(expected), timeout=WAIT_MS)
    assert {model.index(r, 0, mine).data(CASE_ROLE).id for r in range(model.rowCount(mine))} == expected
    assert {c.id for c in desktop.index.mine()} == expected


def test_the_explanation_is_shown_in_danish_when_the_interface_is_danish(desktop, qtbot, qapp):
    from caseclient.gui.translations import install_translator

    translator = install_translator(qapp, "da")
    try:
        case = desktop.service.search_cases(CaseQuery(limit=1))[0]
        index = search_and_pick(desktop, qtbot, case.number)
        mime = QMimeData()
        mime.setText("Emne\tFra")
        desktop.window.model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, index)
        assert desktop.window.status.text().startswith("Der fulgte kun tekst med")
    finally:
        qapp.removeTranslator(translator)


def _press_enter_in_the_dialog_when_it_opens(qtbot, seen: list) -> QTimer:
    """The dialog runs its own event loop: a timer (which fires inside it) types Enter like a user."""
    from PySide6.QtWidgets import QApplication

    from caseclient.gui.metadata_dialog import MetadataDialog

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, MetadataDialog) and dialog.isVisible():
            seen.append((dialog.case_label.text(), dialog.title.text()))
            qtbot.keyClick(dialog.title, Qt.Key.Key_Return)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(look)
    timer.start()
    return timer


def test_a_sample_msg_dropped_is_confirmed_in_the_real_dialog_and_filed(desktop, qtbot, samples, tmp_path, real_dialog):
    case = desktop.service.search_cases(CaseQuery(limit=1))[0]
    index = search_and_pick(desktop, qtbot, case.number)
    desktop.window.tree.expand(index)  # documents are fetched lazily
    mail = tmp_path / "TxtSampleEmail.msg"
    shutil.copyfile(samples / "msg" / "TxtSampleEmail.msg", mail)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(mail))])
    seen: list = []
    timer = _press_enter_in_the_dialog_when_it_opens(qtbot, seen)
    try:
        with qtbot.waitSignal(desktop.filing.item_changed, timeout=WAIT_MS,
                              check_params_cb=lambda item: item.status is OutboxStatus.DONE) as filed:
            desktop.window.model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, index)
    finally:
        timer.stop()
    assert seen and case.number in seen[0][0], seen
    item = filed.args[0]
    on_server = [d for d in desktop.service.list_documents(case.id) if d.id == item.document_id]
    assert [d.title for d in on_server] == [seen[0][1]]


def test_keyboard_only_with_the_real_dialog(desktop, qtbot, tmp_path, real_dialog, clipboard_files):
    case = desktop.service.search_cases(CaseQuery(limit=1))[0]
    window = desktop.window
    qtbot.keyClicks(window.search_field, case.number)
    qtbot.waitUntil(lambda: window.model.rowCount(window.model.group_index(Group.SEARCH)) > 0, timeout=WAIT_MS)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Down)
    note = tmp_path / "Aktindsigt.txt"
    note.write_text("Anmodning om aktindsigt.", encoding="utf-8")
    clipboard_files(note)
    seen: list = []
    timer = _press_enter_in_the_dialog_when_it_opens(qtbot, seen)
    try:
        with qtbot.waitSignal(desktop.filing.item_changed, timeout=WAIT_MS,
                              check_params_cb=lambda item: item.status is OutboxStatus.DONE):
            qtbot.keyClick(window.tree, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    finally:
        timer.stop()
    assert "Aktindsigt" in [d.title for d in desktop.service.list_documents(case.id)]
