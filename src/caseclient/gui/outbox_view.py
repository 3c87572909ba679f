"""The outbox view: per-document progress and state, retry and cancel, pause and resume all."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..services.filing_service import FilingService
from ..store import OutboxStatus
from ..store.undo import in_undo_window
from .case_layout import ButtonRow
from .outbox_model import ITEM_ROLE, PROGRESS_ROLE, OutboxModel


class _ProgressDelegate(QStyledItemDelegate):
    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)
        bar.minimum, bar.maximum = 0, 100
        bar.progress = int(index.data(PROGRESS_ROLE) or 0)
        bar.text = f"{bar.progress} %"
        bar.textVisible = True
        bar.state = option.state
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)


class OutboxView(QWidget):
    def __init__(self, filing: FilingService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Outbox"))
        self._filing = filing
        self.model = OutboxModel(self)
        self.model.now = filing.now
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Documents being filed"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(OutboxModel.DOCUMENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(OutboxModel.MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.setItemDelegateForColumn(OutboxModel.PROGRESS, _ProgressDelegate(self.table))

        self.retry_button = QPushButton(self.tr("&Retry"))
        self.retry_button.setAccessibleName(self.tr("Retry the selected document"))
        self.cancel_button = QPushButton(self.tr("&Cancel filing"))
        self.cancel_button.setAccessibleName(self.tr("Cancel the selected document"))
        self.undo_button = QPushButton(self.tr("&Undo"))
        self.undo_button.setAccessibleName(self.tr("Undo the selected document before it is sent"))
        self.pause_button = QPushButton(self.tr("&Pause all"))
        self.pause_button.setCheckable(True)
        self.pause_button.setAccessibleName(self.tr("Pause or resume all filing"))

        buttons = ButtonRow([self.undo_button, self.retry_button, self.cancel_button], [self.pause_button])
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)  # stacked in a 400 px sidebar

        self.retry_button.clicked.connect(lambda: self._on_selected(filing.retry))
        self.cancel_button.clicked.connect(lambda: self._on_selected(filing.cancel))
        self.undo_button.clicked.connect(lambda: self._on_selected(filing.undo))
        self.pause_button.toggled.connect(filing.set_paused)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        filing.item_changed.connect(self._item_changed)
        filing.bytes_sent.connect(self.model.update_progress)
        filing.queue_changed.connect(self._queue_changed)
        self.model.set_items(filing.items())
        self._update_buttons()

    def _item_changed(self, item) -> None:
        self.model.update_item(item)
        self._update_buttons()

    def _queue_changed(self, state) -> None:
        self.pause_button.blockSignals(True)
        self.pause_button.setChecked(state.paused)
        self.pause_button.setText(self.tr("&Resume all") if state.paused else self.tr("&Pause all"))
        self.pause_button.blockSignals(False)

    def _selected(self):
        index = self.table.currentIndex()
        return index.siblingAtColumn(0).data(ITEM_ROLE) if index.isValid() else None

    def _on_selected(self, command) -> None:
        item = self._selected()
        if item is not None:
            command(item.id)

    def _update_buttons(self) -> None:
        item = self._selected()
        status = item.status if item else None
        self.retry_button.setEnabled(status in (OutboxStatus.FAILED, OutboxStatus.CANCELLED))
        self.undo_button.setEnabled(item is not None and in_undo_window(item, self._filing.now()))
        self.cancel_button.setEnabled(status in (OutboxStatus.QUEUED, OutboxStatus.UPLOADING, OutboxStatus.PAUSED,
                                                 OutboxStatus.FAILED))
