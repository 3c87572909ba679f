"""Drops onto the main window (outside a case node) and onto the drop zone: the selected case, or
the one case the documents name; otherwise one sentence asks to drop onto a case. Always a copy."""

from __future__ import annotations

from pathlib import Path

from desktop_support import WAIT_MS, drag_and_drop, search_and_pick
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent
from PySide6.QtWidgets import QApplication

from caseclient.backends.protocol import CaseQuery
from caseclient.gui.case_tree_model import Group
from caseclient.store import OutboxStatus


def _files(*paths: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def _note(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _filed_titles(desktop, case) -> list[str]:
    return [d.title for d in desktop.service.list_documents(case.id)]


def test_a_drop_on_a_group_row_goes_to_the_selected_case(desktop, qtbot, tmp_path):
    case = desktop.service.search_cases(CaseQuery(limit=1))[0]
    window = desktop.window
    window.tree.setCurrentIndex(search_and_pick(desktop, qtbot, case.number))
    group_row = window.tree.visualRect(window.model.group_index(Group.MINE)).center()
    drop = drag_and_drop(window.tree.viewport(), group_row, _files(_note(tmp_path, "Referat.txt", "Møde")))
    assert drop.isAccepted() and drop.dropAction() == Qt.DropAction.CopyAction
    qtbot.waitUntil(lambda: desktop.filing.counts().get(OutboxStatus.DONE, 0) == 1, timeout=WAIT_MS)
    assert "Referat" in _filed_titles(desktop, case)


def test_without_a_selection_the_case_the_document_names_is_used(desktop, qtbot, tmp_path):
    case = desktop.service.search_cases(CaseQuery(limit=3))[2]
    assert desktop.window.selected_case() is None
    letter = _note(tmp_path, "Brev.txt", f"Vedrørende sag {case.number}: vi sender de ønskede papirer.")
    drop = drag_and_drop(desktop.window, QPoint(5, 5), _files(letter))
    assert drop.isAccepted() and drop.dropAction() == Qt.DropAction.CopyAction
    qtbot.waitUntil(lambda: desktop.filing.counts().get(OutboxStatus.DONE, 0) == 1, timeout=WAIT_MS)
    assert "Brev" in _filed_titles(desktop, case)
    qtbot.waitUntil(lambda: [c.id for c in desktop.index.recent()] == [case.id], timeout=WAIT_MS)  # marked on DONE


def test_without_a_selection_or_a_case_number_the_user_is_told_to_drop_onto_a_case(desktop, qtbot, tmp_path):
    drag_and_drop(desktop.window, QPoint(5, 5), _files(_note(tmp_path, "Notat.txt", "Intet sagsnummer her.")))
    qtbot.waitUntil(lambda: "onto a case" in desktop.window.status.text(), timeout=WAIT_MS)
    assert desktop.window.status.text() == \
        "Drop the documents onto a case: they name no single case of the service."
    assert desktop.filing.items() == []


def test_a_document_naming_two_cases_is_not_guessed(desktop, qtbot, tmp_path):
    first, second = desktop.service.search_cases(CaseQuery(limit=2))
    letter = _note(tmp_path, "Brev.txt", f"Sagerne {first.number} og {second.number} hænger sammen.")
    drag_and_drop(desktop.window, QPoint(5, 5), _files(letter))
    qtbot.waitUntil(lambda: "onto a case" in desktop.window.status.text(), timeout=WAIT_MS)
    assert desktop.filing.items() == []


def test_a_move_only_drag_is_refused(desktop, tmp_path):
    mime = _files(_note(tmp_path, "Notat.txt", "x"))
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(desktop.drop_zone, enter)
    assert not enter.isAccepted()


def test_the_drop_zone_is_toggled_from_window_and_tray_and_files_on_the_selected_case(desktop, qtbot, tmp_path):
    case = desktop.service.search_cases(CaseQuery(limit=2))[1]
    window = desktop.window
    window.tree.setCurrentIndex(search_and_pick(desktop, qtbot, case.number))
    window.drop_zone_action.trigger()
    zone = desktop.drop_zone
    qtbot.waitUntil(zone.isVisible)
    assert desktop.tray.drop_zone_action.isChecked()
    assert zone.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert zone.accessibleName()
    drop = drag_and_drop(zone, zone.rect().center(), _files(_note(tmp_path, "Kvittering.txt", "Tak")))
    assert drop.isAccepted() and drop.dropAction() == Qt.DropAction.CopyAction
    qtbot.waitUntil(lambda: desktop.filing.counts().get(OutboxStatus.DONE, 0) == 1, timeout=WAIT_MS)
    assert "Kvittering" in _filed_titles(desktop, case)
    desktop.tray.drop_zone_action.trigger()
    assert not zone.isVisible() and not window.drop_zone_action.isChecked()
