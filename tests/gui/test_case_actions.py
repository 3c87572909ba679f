"""A case's own actions: pin/unpin (context menu, Ctrl+D), print its cover sheet, and open it
from the notification about a filing."""

from __future__ import annotations

from pathlib import Path

import pytest
from desktop_support import WAIT_MS, search_and_pick
from pypdf import PdfReader
from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, QUrl
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu

from caseclient.backends.protocol import CaseQuery
from caseclient.gui.case_tree_model import CASE_ROLE, Group
from caseclient.store import OutboxStatus
from caseclient.watch import CoverSheet
from caseclient.watch.first_page import read_cover_sheet


@pytest.fixture
def opened() -> list[QUrl]:
    return []


@pytest.fixture
def desktop_options(tmp_path, opened) -> dict:
    return {"cover_sheet_path": lambda case: tmp_path / "sheets" / f"Forside {case.number}.pdf",
            "open_url": opened.append}


def _favourite_ids(model) -> list[str]:
    group = model.group_index(Group.FAVOURITES)
    return [model.index(r, 0, group).data(CASE_ROLE).id for r in range(model.rowCount(group))]


def test_ctrl_d_pins_a_case_and_its_context_menu_unpins_it(desktop, qtbot):
    case = desktop.service.search_cases(CaseQuery(limit=1))[0]
    window = desktop.window
    window.tree.setCurrentIndex(search_and_pick(desktop, qtbot, case.number))
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: _favourite_ids(window.model) == [case.id], timeout=WAIT_MS)
    assert [c.id for c in desktop.index.favourites()] == [case.id]

    menu = window.case_menu(case)
    assert menu.accessibleName() == f"Case {case.number}"
    unpin = menu.actions()[0]
    assert unpin.text() == "Remove from &favourites" and unpin.shortcut().toString() == "Ctrl+D"
    unpin.trigger()
    qtbot.waitUntil(lambda: _favourite_ids(window.model) == [], timeout=WAIT_MS)
    assert desktop.index.favourites() == []
    assert window.case_menu(case).actions()[0].text() == "Add to &favourites"


def test_without_a_case_the_case_actions_are_disabled(desktop):
    desktop.window.tree.setCurrentIndex(desktop.window.model.group_index(Group.MINE))
    assert not desktop.window.favourite_action.isEnabled()
    assert not desktop.window.cover_sheet_action.isEnabled()


def test_print_cover_sheet_writes_the_pdf_and_opens_it(desktop, qtbot, tmp_path, opened):
    case = desktop.service.search_cases(CaseQuery(limit=1))[0]
    window = desktop.window
    window.tree.setCurrentIndex(search_and_pick(desktop, qtbot, case.number))
    assert "Print cover sheet" in window.case_menu(case).actions()[1].text()
    with qtbot.waitSignal(desktop.cover_sheets.written, timeout=WAIT_MS) as written:
        window.cover_sheet_action.trigger()
    path = Path(written.args[0])
    assert path == tmp_path / "sheets" / f"Forside {case.number}.pdf"
    text = PdfReader(path).pages[0].extract_text()
    assert case.number in text
    assert read_cover_sheet(path) == CoverSheet(case.number)  # the QR code, as the scan watcher reads it
    assert opened == [QUrl.fromLocalFile(str(path))]
    assert str(path) in window.status.text()


def test_a_cover_sheet_that_cannot_be_written_is_one_sentence(desktop, qtbot, tmp_path, desktop_options):
    case = desktop.service.search_cases(CaseQuery(limit=1))[0]
    (tmp_path / "sheets").write_text("a file where the folder should be")
    with qtbot.waitSignal(desktop.cover_sheets.failed, timeout=WAIT_MS) as failed:
        desktop.cover_sheets.write(case, desktop_options["cover_sheet_path"](case))
    assert failed.args[0].startswith("The cover sheet ") and "could not be written" in failed.args[0]
    assert failed.args[0] == desktop.window.status.text()


def test_clicking_the_filed_message_shows_the_case_selected(desktop, qtbot, tmp_path):
    case = desktop.service.search_cases(CaseQuery(limit=2))[1]
    index = search_and_pick(desktop, qtbot, case.number)
    note = tmp_path / "Notat.txt"
    note.write_text("Samtale med borgeren.", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(note))])
    with qtbot.waitSignal(desktop.filing.item_changed, timeout=WAIT_MS,
                          check_params_cb=lambda item: item.status is OutboxStatus.DONE):
        desktop.window.model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, index)
    window = desktop.window
    window.search_field.clear()  # the search results go; the case is still in Recent
    qtbot.waitUntil(lambda: window.model.rowCount(window.model.group_index(Group.SEARCH)) == 0, timeout=WAIT_MS)
    window.tree.setCurrentIndex(window.model.group_index(Group.MINE))
    window.tabs.setCurrentIndex(1)
    window.showMinimized()
    desktop.tray.icon.messageClicked.emit()
    assert window.selected_case().id == case.id
    assert window.tabs.currentIndex() == 0 and not window.isMinimized()


def test_a_message_about_a_case_outside_the_tree_looks_it_up(desktop, qtbot):
    case = desktop.service.search_cases(CaseQuery(limit=30))[-1]
    assert not desktop.window.model.case_index(case.id).isValid()
    desktop.tray.notify("Filed", "x", case_id=case.id)
    desktop.tray.icon.messageClicked.emit()
    qtbot.waitUntil(lambda: getattr(desktop.window.selected_case(), "id", None) == case.id, timeout=WAIT_MS)
    assert desktop.window.model.rowCount(desktop.window.model.group_index(Group.SEARCH)) == 1


def test_the_menu_key_opens_the_menu_of_the_current_case(desktop, qtbot):
    case = desktop.service.search_cases(CaseQuery(limit=1))[0]
    window = desktop.window
    window.tree.setCurrentIndex(search_and_pick(desktop, qtbot, case.number))
    seen: list = []

    def look() -> None:  # the menu runs its own event loop: close it like a user pressing Escape
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            seen.append((menu.accessibleName(), [a.text() for a in menu.actions()]))
            qtbot.keyClick(menu, Qt.Key.Key_Escape)

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(look)
    timer.start()
    try:
        # Far from the current row: the keyboard's menu is for the current row, not the pointer's.
        viewport = window.tree.viewport()
        event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(1, 1), viewport.mapToGlobal(QPoint(1, 1)),
                                  Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)
    finally:
        timer.stop()
    assert seen == [(f"Case {case.number}", ["Add to &favourites", "&Print cover sheet …"])]
