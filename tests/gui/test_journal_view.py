"""The filing journal tab with the real widgets: a dropped document appears with its route and
state (CPR masked), and the tab exports the CSV for the records office."""

from __future__ import annotations

from desktop_support import WAIT_MS, search_and_pick
from PySide6.QtCore import QMimeData, Qt, QUrl

from caseclient.backends.protocol import CaseQuery
from caseclient.gui.journal_view import JournalModel
from caseclient.gui.translations import install_translator
from caseclient.gui.undo_bar import UndoBar
from caseclient.store import OutboxStatus


def test_a_dropped_document_shows_in_the_journal_and_exports_as_csv(desktop, qtbot, tmp_path):
    case = desktop.service.search_cases(CaseQuery(limit=1))[0]
    index = search_and_pick(desktop, qtbot, case.number)
    letter = tmp_path / "Ansøgning 010190-1234.txt"
    letter.write_text("Ansøgning om støtte fra 010190-1234.", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(letter))])
    assert desktop.window.model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, index)
    qtbot.waitUntil(lambda: desktop.filing.counts().get(OutboxStatus.DONE, 0) == 1, timeout=WAIT_MS)

    view = desktop.safety_net.journal_view
    desktop.window.tabs.setCurrentWidget(view)  # shown: read anew
    model = view.model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=WAIT_MS)
    cell = lambda column: model.index(0, column).data()  # noqa: E731
    assert (cell(JournalModel.STATE), cell(JournalModel.ROUTE), cell(JournalModel.CASE)) == ("Filed", "Drop", case.number)
    assert cell(JournalModel.FILE) == "Ansøgning 010190-xxxx.txt" and "1234" not in cell(JournalModel.TITLE)
    assert cell(JournalModel.DOCUMENT) == desktop.filing.items()[0].document_id
    assert view.status.text() == "1 filing(s)"

    target = tmp_path / "journal.csv"
    with qtbot.waitSignal(view._journal.exported, timeout=WAIT_MS):
        view.export(target)
    text = target.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") and "Ansøgning 010190-xxxx.txt".encode() in text
    assert "written to" in view.status.text()


def test_the_undo_button_speaks_danish(desktop, qtbot, qapp):
    translator = install_translator(qapp, "da")
    try:
        bar = UndoBar(desktop.filing)
        qtbot.addWidget(bar)
        assert bar.undo_button.text() == "&Fortryd"
        assert JournalModel().headerData(JournalModel.WHEN, Qt.Orientation.Horizontal) == "Tidspunkt"
    finally:
        qapp.removeTranslator(translator)
