"""A case's documents as a table (date, title, type, direction, filed by), and the view that opens
a document with the system's application and drags it out of caseclient as a real file."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDrag, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from ..domain import DocumentRef
from ..domain.document import Direction

DOCUMENT_ROLE = Qt.ItemDataRole.UserRole + 11
_Index = QModelIndex | QPersistentModelIndex


def file_mime(path: Path) -> QMimeData:
    """What a file manager puts on a drag of one file: its URL (text/uri-list)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


class DocumentListModel(QAbstractTableModel):
    DATE, TITLE, TYPE, DIRECTION, FILED_BY = range(5)

    def __init__(self, copy_of: Callable[[DocumentRef], Path | None], parent=None) -> None:
        super().__init__(parent)
        self._documents: list[DocumentRef] = []
        self._copy_of = copy_of  # the downloaded copy of a document, None when not downloaded yet
        self._headers = [self.tr("Date"), self.tr("Title"), self.tr("Type"), self.tr("Direction"),
                         self.tr("Filed by")]
        self._directions = {Direction.INCOMING: self.tr("Incoming"), Direction.OUTGOING: self.tr("Outgoing"),
                            Direction.INTERNAL: self.tr("Internal")}

    def set_documents(self, documents) -> None:
        self.beginResetModel()
        self._documents = list(documents or ())
        self.endResetModel()

    def document(self, row: int) -> DocumentRef | None:
        return self._documents[row] if 0 <= row < len(self._documents) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._documents)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        document = self.document(index.row()) if index.isValid() else None
        if document is None:
            return None
        if role == DOCUMENT_ROLE:
            return document
        if role == Qt.ItemDataRole.ToolTipRole:
            return document.filename or document.title
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        column = index.column()
        if column == self.DATE:
            when = document.document_date or (document.created.date() if document.created else None)
            return f"{when:%d-%m-%Y}" if when else ""
        if column == self.TITLE:
            return document.title
        if column == self.TYPE:
            return document_kind(document)
        if column == self.DIRECTION:
            return self._directions.get(document.direction, "") if document.direction else ""
        if column == self.FILED_BY:
            return document.extra.get("filed_by") or document.extra.get("creator") or ""
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else flags

    def mimeTypes(self) -> list[str]:
        return ["text/uri-list"]

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeData(self, indexes) -> QMimeData | None:
        """The downloaded copies of the rows as file URLs; None while any is not downloaded."""
        rows = sorted({i.row() for i in indexes if i.isValid()})
        copies = [self._copy_of(d) for d in (self.document(r) for r in rows) if d is not None]
        if not copies or any(c is None for c in copies):
            return None
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(c)) for c in copies])
        return mime


def document_kind(document: DocumentRef) -> str:
    """The document type where the service keeps one (Brev, Notat ...), else the file's kind (PDF)."""
    if document.extra.get("document_type"):
        return document.extra["document_type"]
    suffix = Path(document.filename or "").suffix.lstrip(".")
    if not suffix and document.mime_type:
        suffix = (mimetypes.guess_extension(document.mime_type) or "").lstrip(".")
    return suffix.upper()


class DocumentTable(QTableView):
    """Enter or a double click opens a document; dragging one out gives its downloaded copy. A
    drag that starts before the copy is there waits for it while the button stays down."""

    open_requested = Signal(object)  # DocumentRef
    download_wanted = Signal(object)  # DocumentRef: the drag needs its copy
    menu_requested = Signal(object, object)  # DocumentRef, global position

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.doubleClicked.connect(lambda index: self._request_open(index))
        self._pending_drag: str | None = None

    def setModel(self, model) -> None:  # noqa: N802 - Qt's name
        super().setModel(model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DocumentListModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(40)

    def current_document(self) -> DocumentRef | None:
        index = self.currentIndex()
        return index.data(DOCUMENT_ROLE) if index.isValid() else None

    def mousePressEvent(self, event) -> None:
        super().mousePressEvent(event)
        # A press may start a drag: the copy is fetched now, so it is usually there when the drag is.
        document = self.indexAt(event.position().toPoint()).data(DOCUMENT_ROLE)
        if document is not None and event.button() == Qt.MouseButton.LeftButton:
            self.download_wanted.emit(document)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._request_open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def _request_open(self, index) -> None:
        document = index.data(DOCUMENT_ROLE) if index.isValid() else None
        if document is not None:
            self.open_requested.emit(document)

    def _menu(self, pos) -> None:
        index = self.indexAt(pos)
        if index.isValid():
            self.setCurrentIndex(index)
            self.menu_requested.emit(index.data(DOCUMENT_ROLE), self.viewport().mapToGlobal(pos))

    def startDrag(self, supported_actions) -> None:  # noqa: N802 - Qt's name
        document = self.current_document()
        if document is None:
            return
        mime = self.model().mimeData([self.currentIndex()])
        if mime is None:
            self._pending_drag = document.id  # started again when the copy is there
            self.download_wanted.emit(document)
            return
        self._drag(mime)

    def copy_ready(self, document: DocumentRef) -> None:
        """The copy of `document` is downloaded: a drag that waited for it starts now."""
        if self._pending_drag != document.id:
            return
        self._pending_drag = None
        if QGuiApplication.mouseButtons() & Qt.MouseButton.LeftButton and self.current_document() == document:
            mime = self.model().mimeData([self.currentIndex()])
            if mime is not None:
                self._drag(mime)

    def _drag(self, mime: QMimeData) -> None:
        drag = QDrag(self)
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.CopyAction, Qt.DropAction.CopyAction)
