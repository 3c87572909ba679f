"""The case at a glance: selecting a case shows its details and documents beside the tree; a
document opens from a downloaded copy, is dragged out as a real file, and the copies go at exit."""

from __future__ import annotations

import io
import threading
from datetime import datetime
from pathlib import Path

import pytest
from desktop_support import WAIT_MS, drag_and_drop
from PySide6.QtCore import QPoint, Qt, QUrl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from caseclient.backends.protocol import Capability
from caseclient.domain import Case, DocumentRef
from caseclient.gui.case_tree_model import DOCUMENT_ROLE, Group
from caseclient.gui.document_list import DocumentListModel
from caseclient.gui.translations import install_translator
from caseclient.server import CASEWORKERS
from caseclient.server.demo import DemoGenerator
from caseclient.services.background import Background
from caseclient.services.case_details_service import CaseDetailsService

DEMO_CASE = DemoGenerator(1).case_uuid(0)  # the reference service's first demo case (seed 1): it has documents


@pytest.fixture
def opened() -> list[QUrl]:
    return []


@pytest.fixture
def danish(qapp):
    """The interface in Danish (asked for before the desktop, so its widgets are made in Danish)."""
    translator = install_translator(qapp, "da")
    yield
    qapp.removeTranslator(translator)


@pytest.fixture
def desktop_options(opened) -> dict:
    return {"open_url": opened.append}


def show_case(desktop, qtbot, case_id: str):
    """Select the case in the tree as a user does (a single selection, no second click)."""
    window = desktop.window
    case = desktop.service.get_case(case_id)
    window.model.set_cases(Group.SEARCH, [case])
    assert window.select_case(case_id)
    pane = desktop.details_pane
    qtbot.waitUntil(lambda: pane.shown is not None and pane.shown.case.id == case_id
                    and pane.shown.documents is not None, timeout=WAIT_MS)
    return case, pane


def test_selecting_the_demo_case_shows_its_fields_and_documents(desktop, qtbot):
    case, pane = show_case(desktop, qtbot, DEMO_CASE)
    service = desktop.service
    assert pane.number.text() == case.number
    assert pane.title.text() == case.title
    status = {"Udfoert": "Udført", "Opstaaet": "Opstået"}.get(case.status, case.status)
    assert pane.field_text("status").startswith(status)
    kle = pane.field_text("kle")
    assert kle.startswith(case.kle) and case.kle_facet in kle
    assert any(c.isalpha() for c in kle.split(",")[0][len(case.kle):])  # the KLE subject's Danish name
    parties = pane.field_text("parties")
    for party in case.parties:
        if party.cpr:
            assert party.cpr.masked in parties and party.cpr.digits not in parties
    expected_worker = "You" if case.caseworker == CASEWORKERS[0].uuid else case.caseworker
    assert pane.field_text("caseworker") == expected_worker
    documents = service.list_documents(case.id)
    assert documents
    model = pane.documents_model
    assert model.rowCount() == len(documents)
    titles = {model.index(r, DocumentListModel.TITLE).data() for r in range(model.rowCount())}
    assert titles == {d.title for d in documents}
    first = model.document(0)
    assert model.index(0, DocumentListModel.DATE).data() == f"{first.document_date:%d-%m-%Y}"
    assert model.index(0, DocumentListModel.DIRECTION).data() in ("Incoming", "Outgoing", "Internal")
    assert model.index(0, DocumentListModel.TYPE).data() == "TXT"
    assert pane.drop_target.case.id == case.id and case.number in pane.drop_target.label.text()
    opened = datetime.fromisoformat(case.created)  # the demo case's opening, as the service keeps it
    assert pane.field_text("created") == f"{opened.astimezone():%d-%m-%Y %H:%M}"
    assert pane.field_text("changed")  # the registration's time


def test_the_drop_target_names_lights_and_files_on_the_shown_case(desktop, qtbot, tmp_path):
    case, pane = show_case(desktop, qtbot, DEMO_CASE)
    dropped = []
    desktop.window.model.case_dropped.disconnect()  # only see where the drop goes
    desktop.window.model.case_dropped.connect(lambda c, mime: dropped.append((c.id, [u.toLocalFile() for u in mime.urls()])))
    note = tmp_path / "Notat.txt"
    note.write_text("notat", encoding="utf-8")
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QDragEnterEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(note))])
    target = pane.drop_target
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)
    assert target.highlighted and case.number in target.label.text()
    drag_and_drop(target, QPoint(5, 5), mime)
    assert dropped == [(case.id, [str(note)])]
    assert not target.highlighted


def test_opening_a_document_gives_the_services_bytes_in_a_private_copy(desktop, qtbot, opened):
    case, pane = show_case(desktop, qtbot, DEMO_CASE)
    document = pane.documents_model.document(0)
    pane.documents.setCurrentIndex(pane.documents_model.index(0, 0))
    qtbot.keyClick(pane.documents, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT_MS)
    copy = Path(opened[0].toLocalFile())
    served = io.BytesIO()
    desktop.service.read_content(document.id, served)
    assert copy.read_bytes() == served.getvalue() and served.getvalue()
    assert copy.name == document.filename
    assert (copy.parent.stat().st_mode & 0o077) == 0  # only the user can look in
    assert copy.stat().st_mode & 0o222 == 0  # a copy: changes are not filed, so it says so by being read-only
    desktop.stop()
    assert not copy.exists()


def test_dragging_a_document_out_gives_a_drop_target_a_file_with_its_bytes(desktop, qtbot):
    case, pane = show_case(desktop, qtbot, DEMO_CASE)
    table, model = pane.documents, pane.documents_model
    row = model.rowCount() - 1
    document = model.document(row)
    table.setCurrentIndex(model.index(row, 0))
    assert model.mimeData([model.index(row, 0)]) is None  # no drag of a file that is not there yet
    with qtbot.waitSignal(desktop.details.document_ready, timeout=WAIT_MS):
        table.startDrag(Qt.DropAction.CopyAction)  # the drag waits for the copy
    mime = model.mimeData([model.index(row, 0)])

    received: list[QUrl] = []

    class Target(QWidget):  # what a file manager or Outlook's compose window does with a file drop
        def __init__(self) -> None:
            super().__init__()
            self.setAcceptDrops(True)

        def dragEnterEvent(self, event) -> None:
            event.acceptProposedAction() if event.mimeData().hasUrls() else event.ignore()

        def dragMoveEvent(self, event) -> None:
            event.acceptProposedAction()

        def dropEvent(self, event) -> None:
            received.extend(event.mimeData().urls())
            event.acceptProposedAction()

    target = Target()
    qtbot.addWidget(target)
    drag_and_drop(target, QPoint(1, 1), mime, Qt.DropAction.CopyAction)
    assert len(received) == 1 and received[0].isLocalFile()
    served = io.BytesIO()
    desktop.service.read_content(document.id, served)
    assert Path(received[0].toLocalFile()).read_bytes() == served.getvalue()


def test_a_document_link_is_copied_only_where_the_service_gives_one(desktop, qtbot):
    case, pane = show_case(desktop, qtbot, DEMO_CASE)
    document = pane.documents_model.document(0)
    assert not pane.copy_link(document)
    assert "no link" in desktop.window.status.text()
    linked = DocumentRef(id="x", case_id=case.id, title="Afgørelse", extra={"web_url": "https://esdh.example/doc/x"})
    assert pane.copy_link(linked)
    assert QApplication.clipboard().text() == "https://esdh.example/doc/x"
    QApplication.clipboard().clear()


def test_the_first_run_says_in_danish_what_to_drop_where(reference_service, tmp_path, monkeypatch, qtbot, qapp):
    translator = install_translator(qapp, "da")
    try:
        from caseclient.gui.case_details_pane import CaseDetailsPane
        from caseclient.gui.shortcuts_help import ShortcutsDialog

        background = Background()
        try:
            pane = CaseDetailsPane(CaseDetailsService(_NoService(), background, folder=tmp_path))
            qtbot.addWidget(pane)
            assert pane.showing_first_run()
            text = pane.first_run.text()
            assert "Find sagen" in text and "Outlook" in text and "Ctrl+F" in text and "Enter" in text
            dialog = ShortcutsDialog()
            qtbot.addWidget(dialog)
            keys = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
            what = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
            assert "Ctrl+F" in keys and "Ctrl+V" in keys and "Ctrl+D" in keys and "F1" in keys
            assert any("Find en sag" in w for w in what)
        finally:
            background.shutdown()
    finally:
        qapp.removeTranslator(translator)


def test_help_lists_the_shortcuts_and_f1_opens_it(desktop, qtbot):
    window = desktop.window
    action = window.help_menu.shortcuts_action
    assert action.shortcut().toString() == "F1"
    action.trigger()
    dialog = window.help_menu.dialog
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    actions = {window.favourite_action, window.cover_sheet_action, window.drop_zone_action,
               desktop.details_pane.copy_link_action}
    listed = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    for a in actions:
        assert a.shortcut().toString() in listed
    dialog.reject()


class _NoService:
    name = "none"
    capabilities = Capability.NONE


class _GatedService:
    """get_case waits for the gate the first time, so cases selected meanwhile pile up."""

    name = "gated"
    capabilities = Capability.LIST_DOCUMENTS

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.reads: list[str] = []

    def get_case(self, case_id: str) -> Case:
        self.reads.append(case_id)
        self.gate.wait(30)
        return Case(id=case_id, number=f"27.24.00-G01-{case_id}-24", title="Ansøgning om boligstøtte")

    def list_documents(self, case_id: str) -> list[DocumentRef]:
        return []


def test_cases_passed_over_with_the_arrow_held_are_not_read_only_where_it_rests(qtbot, tmp_path):
    service = _GatedService()
    service.gate.set()
    background = Background()
    try:
        details = CaseDetailsService(service, background, folder=tmp_path)  # the default settle time
        cases = [Case(id=str(n), number=f"27.24.00-G01-{n}-24", title="x") for n in range(20)]
        for case in cases:
            details.show(case)  # faster than any key repeat
        qtbot.waitUntil(lambda: details.cached("19") is not None, timeout=WAIT_MS)
        assert service.reads == ["19"]
    finally:
        background.shutdown()


def test_one_read_at_a_time_then_only_the_last_case_selected(qtbot, tmp_path):
    service = _GatedService()
    background = Background()
    try:
        details = CaseDetailsService(service, background, settle_ms=0, folder=tmp_path)
        shown = []
        details.details_ready.connect(lambda d: shown.append(d))
        cases = [Case(id=str(n), number=f"27.24.00-G01-{n}-24", title="x") for n in range(20)]
        details.show(cases[0])
        qtbot.waitUntil(lambda: service.reads == ["0"], timeout=WAIT_MS)  # read, and waiting at the gate
        for case in cases[1:]:
            details.show(case)
        assert [d.case.id for d in shown] == [c.id for c in cases]  # each is shown at once as known
        service.gate.set()
        qtbot.waitUntil(lambda: details.cached("19") is not None, timeout=WAIT_MS)
        assert service.reads == ["0", "19"]  # the one in flight, then only the last selected
        details.show(cases[19])
        assert service.reads == ["0", "19"]  # cached and fresh: not read again
        details.forget("19")
        details.show(cases[19])
        qtbot.waitUntil(lambda: len(service.reads) == 3, timeout=WAIT_MS)
    finally:
        background.shutdown()


def test_a_document_filed_on_the_shown_case_appears_in_its_list(desktop, qtbot, tmp_path):
    case, pane = show_case(desktop, qtbot, DEMO_CASE)
    before = pane.documents_model.rowCount()
    assert case.number in desktop.drop_zone.label.text()  # the drop zone files on the same case
    letter = tmp_path / "Partshøring.txt"
    letter.write_text("Partshøring før afgørelse", encoding="utf-8")
    from PySide6.QtCore import QMimeData

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(letter))])
    drag_and_drop(pane.drop_target, QPoint(5, 5), mime)
    qtbot.waitUntil(lambda: pane.documents_model.rowCount() == before + 1, timeout=WAIT_MS)
    titles = [pane.documents_model.document(r).title for r in range(pane.documents_model.rowCount())]
    assert "Partshøring" in titles


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1), names=st.lists(st.one_of(st.none(), st.text(st.characters(whitelist_categories=("L", "Zs")),
                                                                             min_size=1, max_size=20)), max_size=4),
       kle=st.sampled_from([None, "27.24.00", "27.24.99", "02.34.02", "99.01.00", "17"]))
def test_the_pane_never_shows_a_full_cpr_number_and_names_any_kle_it_can(qtbot, tmp_path, seed, names, kle):
    import random

    from caseclient.domain import Cpr, Party
    from caseclient.gui.case_details_pane import CaseDetailsPane
    from caseclient.server.demo import fake_cpr
    from caseclient.services.case_details_service import CaseDetails

    rng = random.Random(seed)
    parties = tuple(Party(name=name, cpr=Cpr(fake_cpr(rng))) for name in names)
    case = Case(id="c", number="27.24.00-G01-1-24", title="Ansøgning om boligstøtte", kle=kle, parties=parties)
    background = Background()
    try:
        pane = CaseDetailsPane(CaseDetailsService(_NoService(), background, folder=tmp_path))
        pane.case = case
        pane._show_details(CaseDetails(case, documents=()))
        shown = "\n".join(label.text() for label in pane.findChildren(QLabel))
        for party in parties:
            digits = party.cpr.digits
            assert digits not in shown and f"{digits[:6]}-{digits[6:]}" not in shown
            assert (party.name or party.cpr.masked) in shown
        if kle in ("27.24.00", "27.24.99", "02.34.02", "17"):
            assert pane.field_text("kle").startswith(kle + " ") and len(pane.field_text("kle")) > len(kle) + 2
        pane.deleteLater()
    finally:
        background.shutdown()


def test_a_document_under_its_case_in_the_tree_opens_on_a_double_click(desktop, qtbot, opened):
    case, pane = show_case(desktop, qtbot, DEMO_CASE)
    window = desktop.window
    case_index = window.model.case_index(case.id)
    window.tree.expand(case_index)
    qtbot.waitUntil(lambda: window.model.rowCount(case_index) > 0
                    and window.model.index(0, 0, case_index).data(DOCUMENT_ROLE) is not None, timeout=WAIT_MS)
    document_index = window.model.index(0, 0, case_index)
    window.tree.doubleClicked.emit(document_index)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=WAIT_MS)
    served = io.BytesIO()
    desktop.service.read_content(document_index.data(DOCUMENT_ROLE).id, served)
    assert Path(opened[0].toLocalFile()).read_bytes() == served.getvalue()


def test_created_changed_and_unit_show_where_the_backend_gives_them(qtbot, tmp_path):
    from dataclasses import dataclass
    from datetime import date, timezone

    from caseclient.gui.case_details_pane import CaseDetailsPane
    from caseclient.services.case_details_service import CaseDetails

    @dataclass(frozen=True)
    class CaseWithUnit(Case):  # a backend whose cases carry a unit (the protocol's Case has none yet)
        unit: str | None = None

    background = Background()
    try:
        pane = CaseDetailsPane(CaseDetailsService(_NoService(), background, folder=tmp_path))
        qtbot.addWidget(pane)
        plain = Case(id="p", number="27.24.00-G01-1-24", title="Ansøgning om boligstøtte")
        pane.case = plain
        pane._show_details(CaseDetails(plain, documents=()))
        assert pane.field_text("created") == pane.field_text("changed") == pane.field_text("unit") == ""
        assert pane.fields["created"].isHidden()
        dated = CaseWithUnit(id="d", number="27.24.00-G01-2-24", title="Genberegning af boligstøtte",
                             created=date(2024, 3, 1).isoformat(),
                             changed=datetime(2024, 11, 18, 9, 14, tzinfo=timezone.utc).isoformat(),
                             unit="Borgerservice")
        pane.case = dated
        pane._show_details(CaseDetails(dated, documents=()))
        assert pane.field_text("created") == "01-03-2024"
        assert pane.field_text("changed").startswith("18-11-2024")
        assert pane.field_text("unit") == "Borgerservice"
        assert not pane.fields["created"].isHidden()
    finally:
        background.shutdown()


class _CasesOnlyService:
    name = "cases-only"
    capabilities = Capability.NONE

    def get_case(self, case_id: str) -> Case:
        return Case(id=case_id, number="27.24.00-G01-7-24", title="Ansøgning om boligstøtte")


def test_a_service_that_lists_no_documents_says_so_instead_of_reading_forever(qtbot, tmp_path):
    from caseclient.gui.case_details_pane import CaseDetailsPane

    background = Background()
    try:
        details = CaseDetailsService(_CasesOnlyService(), background, settle_ms=0, folder=tmp_path)
        pane = CaseDetailsPane(details)
        qtbot.addWidget(pane)
        pane.show_case(Case(id="7", number="27.24.00-G01-7-24", title="x"))
        assert "Reading" in pane.documents_note.text()
        qtbot.waitUntil(lambda: details.cached("7") is not None, timeout=WAIT_MS)
        assert pane.documents_note.text() == "This document service does not list a case's documents."
        assert pane.title.text() == "Ansøgning om boligstøtte"  # as read anew
    finally:
        background.shutdown()
