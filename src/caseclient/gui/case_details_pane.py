"""The case at a glance, beside the tree: the selected case's number, title, status, KLE, caseworker,
parties and documents, and a drop target that names the case a drop files on. Before any case is
selected it shows how to work with caseclient (the first-run state).

Everything it shows comes from CaseDetailsService signals; it never reads the network or disk.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QMimeData, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain import Case, DocumentRef
from ..services.case_details_service import CaseDetails, CaseDetailsService, document_link
from ..translatable import filled
from .case_tree_model import DOCUMENT_ROLE as TREE_DOCUMENT_ROLE
from .document_list import DocumentListModel, DocumentTable
from .drop_zone import accept_as_copy

STATUS_NAMES = {  # OIO fremdrift values as a Danish caseworker reads them; others are shown as given
    "Opstaaet": "Opstået", "Oplyst": "Oplyst", "Afgjort": "Afgjort", "Bestilt": "Bestilt",
    "Udfoert": "Udført", "Afsluttet": "Afsluttet",
}


class CaseDropTarget(QFrame):
    """Names the case a drop here files on, and lights up while something is dragged over it."""

    dropped = Signal(object, QMimeData)  # Case, the dropped data (read before the slot returns)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseDropTarget")
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        self.case: Case | None = None
        self.highlighted = False
        self.set_case(None)

    def set_case(self, case: Case | None) -> None:
        self.case = case
        if case is None:
            self.label.setText(self.tr("Choose a case, then drop mails and files here"))
        else:
            self.label.setText(filled(self.tr("Drop mails and files here to file them on %1"), case.number))
        self.setAccessibleName(self.label.text())

    def _set_highlighted(self, on: bool) -> None:
        self.highlighted = on
        if on:
            self.setStyleSheet("#caseDropTarget { border: 2px solid palette(highlight); "
                               "background: palette(highlight); } #caseDropTarget QLabel { color: palette(highlighted-text); }")
            if self.case is not None:
                self.label.setText(filled(self.tr("Release to file on %1  %2"), self.case.number, self.case.title))
        else:
            self.setStyleSheet("")
            self.set_case(self.case)

    def dragEnterEvent(self, event) -> None:
        if self.case is not None and accept_as_copy(event):
            self._set_highlighted(True)
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self.case is None or not accept_as_copy(event):
            event.ignore()

    def dragLeaveEvent(self, event) -> None:
        self._set_highlighted(False)

    def dropEvent(self, event) -> None:
        self._set_highlighted(False)
        if self.case is not None and accept_as_copy(event):
            self.dropped.emit(self.case, event.mimeData())


class FirstRunPage(QWidget):
    """What to do first, in the interface's language: find a case, drop on it, confirm."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("How to file with caseclient"))
        heading = QLabel(self.tr("File a mail or a document in three steps"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)
        steps = QLabel(
            "<ol style='margin-left: -20px'>"
            + "".join(f"<li style='margin-bottom: 8px'>{step}</li>" for step in (
                self.tr("<b>Find the case.</b> Type a case number, words of the title or a party's name in the "
                        "search field (Ctrl+F), or open <i>My cases</i>. Down arrow goes to the first hit."),
                self.tr("<b>Drop on the case.</b> Drag mails from Outlook, or files and folders from the file "
                        "manager, onto the case in the list, or onto the field beside it once the case is selected. "
                        "Or select the case and paste (Ctrl+V)."),
                self.tr("<b>Confirm.</b> Check the proposed title, date and direction and press Enter. caseclient "
                        "files in the background, exactly once; the Outbox tab shows how far it is."),
            ))
            + "</ol>")
        steps.setWordWrap(True)
        steps.setTextFormat(Qt.TextFormat.RichText)
        more = QLabel(self.tr("Select a case to see its parties and documents here. Help > Keyboard shortcuts "
                              "(F1) lists every shortcut."))
        more.setWordWrap(True)
        self.labels = (heading, steps, more)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(steps)
        layout.addWidget(more)
        layout.addStretch(1)

    def text(self) -> str:
        return "\n".join(label.text() for label in self.labels)


def _when(value: datetime | date | str | None) -> str:
    if isinstance(value, str):  # ISO 8601 text, as the domain's Case keeps it
        try:
            value = datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
        except ValueError:
            return value
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value.astimezone():%d-%m-%Y %H:%M}" if value.tzinfo else f"{value:%d-%m-%Y %H:%M}"
    return f"{value:%d-%m-%Y}"


class CaseDetailsPane(QWidget):
    """The selected case's details and documents. `show_case` is cheap: it shows what is known at
    once and the service brings the rest."""

    case_dropped = Signal(object, QMimeData)  # Case, dropped data: file it on that case
    message = Signal(str)  # one sentence for the status line

    def __init__(self, details: CaseDetailsService, *, own_caseworker: str = "",
                 open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Case details"))
        self._details = details
        self._own_caseworker = own_caseworker
        self._open_url = open_url
        self._to_open: set[str] = set()
        self.case: Case | None = None
        self.shown: CaseDetails | None = None

        self.first_run = FirstRunPage()
        self.number = QLabel()
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.number.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.number.setFont(font)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, label in (("status", self.tr("Status")), ("kle", self.tr("KLE")),
                           ("caseworker", self.tr("Caseworker")), ("unit", self.tr("Unit")),
                           ("parties", self.tr("Parties")), ("created", self.tr("Created")),
                           ("changed", self.tr("Last changed"))):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            value.setAccessibleName(label)
            form.addRow(label + ":", value)
            self.fields[key] = value
        self._form = form
        self.drop_target = CaseDropTarget()
        self.drop_target.dropped.connect(self.case_dropped)
        self.documents_heading = QLabel(self.tr("Documents"))
        heading_font = self.documents_heading.font()
        heading_font.setBold(True)
        self.documents_heading.setFont(heading_font)
        self.documents_note = QLabel()
        self.documents_note.setWordWrap(True)
        self.documents_model = DocumentListModel(details.downloaded, self)
        self.documents = DocumentTable()
        self.documents.setModel(self.documents_model)
        self.documents.setAccessibleName(self.tr("Documents on the case"))
        self.documents.setMinimumHeight(120)
        self.documents.open_requested.connect(self.open_document)
        self.documents.download_wanted.connect(self._prefetch)
        self.documents.menu_requested.connect(self._document_menu)

        self.open_action = QAction(self.tr("&Open"), self.documents)
        self.open_action.triggered.connect(lambda: self.open_document(self.documents.current_document()))
        self.copy_link_action = QAction(self.tr("Copy &link"), self.documents)
        self.copy_link_action.setShortcut(QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_C))
        self.copy_link_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.copy_link_action.triggered.connect(lambda: self.copy_link(self.documents.current_document()))
        self.documents.addAction(self.copy_link_action)

        details_page = QWidget()
        page = QVBoxLayout(details_page)
        page.addWidget(self.number)
        page.addWidget(self.title)
        page.addLayout(form)
        page.addWidget(self.drop_target)
        page.addWidget(self.documents_heading)
        page.addWidget(self.documents_note)
        page.addWidget(self.documents, 1)
        self.pages = QStackedWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.first_run)
        self.pages.addWidget(scroll)
        self.pages.addWidget(details_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self.setMinimumWidth(0)

        details.details_ready.connect(self._show_details)
        details.details_failed.connect(self._failed)
        details.document_ready.connect(self._document_ready)
        details.document_failed.connect(self._document_failed)
        details.stale.connect(self._read_again)

    # -- the case --------------------------------------------------------------------------------

    def show_case(self, case: Case | None) -> None:
        if case is None:
            self.case = self.shown = None
            self.drop_target.set_case(None)
            self.pages.setCurrentIndex(0)
            return
        if self.case is not None and self.case.id == case.id and self.shown is not None:
            return
        self.case = case
        self.drop_target.set_case(case)
        self.pages.setCurrentIndex(1)
        self._details.show(case)

    def _read_again(self, case_id: str) -> None:
        if self.case is not None and self.case.id == case_id:
            self._details.show(self.case)

    def showing_first_run(self) -> bool:
        return self.pages.currentIndex() == 0

    def _show_details(self, details: CaseDetails) -> None:
        if self.case is None or details.case.id != self.case.id:
            return
        self.shown = details
        case = details.case
        self.number.setText(case.number)
        self.title.setText(case.title)
        status = STATUS_NAMES.get(case.status or "", case.status or "")
        if case.closed:
            status = filled(self.tr("%1 (closed)"), status) if status else self.tr("Closed")
        kle = case.kle or ""
        if kle and details.kle_title:
            kle = f"{kle} {details.kle_title}"
        if case.kle_facet:
            facet = f"{case.kle_facet} {details.facet_title}" if details.facet_title else case.kle_facet
            kle = f"{kle}, {facet}" if kle else facet
        caseworker = case.caseworker or ""
        if caseworker and caseworker == self._own_caseworker:
            caseworker = self.tr("You")
        parties = "\n".join(dict.fromkeys(p.label for p in case.parties))  # Party.label never shows a full CPR
        values = {"status": status, "kle": kle, "caseworker": caseworker, "unit": details.unit or "",
                  "parties": parties, "created": _when(details.created), "changed": _when(details.changed)}
        for key, text in values.items():
            self._set_field(key, text)
        if details.documents is None:
            self.documents_model.set_documents([])
            if details.documents_error:
                note = details.documents_error
            elif details.read_at:  # read, and the service does not list documents
                note = self.tr("This document service does not list a case's documents.")
            else:
                note = self.tr("Reading the documents …")
            self.documents_note.setText(note)
            self.documents_note.show()
        else:
            self.documents_model.set_documents(details.latest_documents)
            model = self.documents_model
            for column in (DocumentListModel.TYPE, DocumentListModel.FILED_BY):  # no empty columns
                self.documents.setColumnHidden(column, not any(model.index(row, column).data()
                                                               for row in range(model.rowCount())))
            if not details.documents:
                self.documents_note.setText(self.tr("No documents on the case yet."))
            elif len(details.documents) > len(details.latest_documents):
                self.documents_note.setText(filled(self.tr("The latest %1 of %2 documents."),
                                                   str(len(details.latest_documents)), str(len(details.documents))))
            else:
                self.documents_note.setText("")
            self.documents_note.setVisible(bool(self.documents_note.text()))

    def _set_field(self, key: str, text: str) -> None:
        label = self.fields[key]
        label.setText(text)
        label.setVisible(bool(text))
        self._form.labelForField(label).setVisible(bool(text))

    def _failed(self, case_id: str, message: str) -> None:
        if self.case is not None and self.case.id == case_id:
            self.documents_note.setText(message)
            self.documents_note.show()

    def field_text(self, key: str) -> str:
        return self.fields[key].text()

    # -- documents -------------------------------------------------------------------------------

    def open_document(self, document: DocumentRef | None) -> None:
        if document is None:
            return
        if not self._details.can_read_content():
            self.message.emit(self.tr("This document service cannot give documents back to open."))
            return
        self._to_open.add(document.id)
        self.message.emit(filled(self.tr("Opening %1 …"), document.title))
        self._details.download(document)

    def _prefetch(self, document: DocumentRef) -> None:
        if self._details.can_read_content():
            self._details.download(document)

    def _document_ready(self, document: DocumentRef, path: str) -> None:
        self.documents.copy_ready(document)
        if document.id in self._to_open:
            self._to_open.discard(document.id)
            self._open_url(QUrl.fromLocalFile(path))
            self.message.emit(filled(self.tr("%1 is open as a copy; what you change in it is not filed."),
                                     document.title))

    def _document_failed(self, document: DocumentRef, message: str) -> None:
        self._to_open.discard(document.id)
        self.message.emit(filled(self.tr("%1 could not be fetched: %2"), document.title, message))

    def copy_link(self, document: DocumentRef | None) -> bool:
        link = document_link(document) if document is not None else None
        if link is None:
            self.message.emit(self.tr("The document service gives no link to this document."))
            return False
        QGuiApplication.clipboard().setText(link)
        self.message.emit(self.tr("The link is copied."))
        return True

    def _document_menu(self, document: DocumentRef, where) -> None:
        self.copy_link_action.setEnabled(document_link(document) is not None)
        self.open_action.setEnabled(self._details.can_read_content())
        menu = QMenu(self.documents)
        menu.addAction(self.open_action)
        menu.addAction(self.copy_link_action)
        menu.exec(where)
        menu.deleteLater()


def attach_case_details(window, details: CaseDetailsService, *, own_caseworker: str = "",
                        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl) -> CaseDetailsPane:
    """Put the details pane beside the main window's tree: the current case shows in it (no second
    click), a drop on it files like a drop on the case's node, its messages go to the status line."""
    pane = CaseDetailsPane(details, own_caseworker=own_caseworker, open_url=open_url)
    window.case_splitter.set_pane(pane)
    window.tree.selectionModel().currentChanged.connect(lambda *_: pane.show_case(window.selected_case()))
    pane.case_dropped.connect(lambda case, mime: window.model.case_dropped.emit(case, mime))
    pane.message.connect(window.show_message)
    # A document under its case in the tree opens as it does in the pane's list.
    window.tree.doubleClicked.connect(lambda index: pane.open_document(index.data(TREE_DOCUMENT_ROLE)))
    return pane
