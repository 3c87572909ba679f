"""Confirm what is about to be filed: the proposed metadata, the target case shown large, Enter to file."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import Case, Cpr, Direction, DocumentMetadata, Sensitivity
from .theme import make_warning

DOCUMENT_TYPES = ("Brev", "E-mail", "Notat", "Ansøgning", "Afgørelse", "Høring", "Kvittering", "Scanning")


@dataclass(frozen=True)
class AttachmentChoice:
    label: str  # file name as the user knows it
    included: bool  # proposed: inline images are left out


def cprs_not_on_case(detected: list[Cpr], case: Case) -> list[Cpr]:
    on_case = {p.cpr.digits for p in case.parties if p.cpr}
    return [c for c in detected if c.digits not in on_case]


class MetadataDialog(QDialog):
    def __init__(
        self,
        case: Case,
        proposal: DocumentMetadata,
        *,
        attachments: list[AttachmentChoice] = (),
        detected_cprs: list[Cpr] = (),
        detected_case_numbers: list[str] = (),
        source_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("File document"))
        self.setAccessibleName(self.tr("File document"))
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)  # parties' addresses fit
        self._case = case
        self._proposal = proposal

        self.case_label = QLabel(f"{case.number}\n{case.title}")
        font = QFont(self.case_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.case_label.setFont(font)
        self.case_label.setWordWrap(True)
        self.case_label.setAccessibleName(self.tr("Target case"))

        self.source_label = QLabel(source_name)
        self.source_label.setAccessibleName(self.tr("Dropped file"))

        self.title = QLineEdit(proposal.title)
        self.title.setAccessibleName(self.tr("Title"))
        self.date = QDateEdit(QDate(proposal.document_date.year, proposal.document_date.month, proposal.document_date.day))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd-MM-yyyy")
        self.date.setAccessibleName(self.tr("Document date"))

        self.direction = QComboBox()
        self.direction.setAccessibleName(self.tr("Direction"))
        for value, text in (
            (Direction.INCOMING, self.tr("Incoming")),
            (Direction.OUTGOING, self.tr("Outgoing")),
            (Direction.INTERNAL, self.tr("Internal")),
        ):
            self.direction.addItem(text, value)
        self.direction.setCurrentIndex(self.direction.findData(proposal.direction))

        self.document_type = QComboBox()
        self.document_type.setEditable(True)
        self.document_type.setAccessibleName(self.tr("Document type"))
        self.document_type.addItems(DOCUMENT_TYPES)
        self.document_type.setCurrentText(proposal.document_type or "")

        self.sensitivity = QComboBox()
        self.sensitivity.setAccessibleName(self.tr("Sensitivity"))
        for value, text in (
            (Sensitivity.NORMAL, self.tr("Not confidential")),
            (Sensitivity.CONFIDENTIAL, self.tr("Confidential")),
            (Sensitivity.SENSITIVE, self.tr("Sensitive personal data")),
            (Sensitivity.SPECIAL, self.tr("Especially sensitive")),
        ):
            self.sensitivity.addItem(text, value)
        self.sensitivity.setCurrentIndex(self.sensitivity.findData(proposal.sensitivity))

        self.parties = QListWidget()
        self.parties.setAccessibleName(self.tr("Parties"))
        people = ([proposal.sender] if proposal.sender else []) + list(proposal.recipients) + list(proposal.parties)
        for party in people:
            self.parties.addItem(party.label)
        self.parties.setMaximumHeight(90)

        self.attachments = QListWidget()
        self.attachments.setAccessibleName(self.tr("Attachments to file"))
        for choice in attachments:
            item = QListWidgetItem(choice.label)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if choice.included else Qt.CheckState.Unchecked)
            self.attachments.addItem(item)
        self.attachments.setVisible(bool(attachments))
        self.attachments.setMaximumHeight(self.fontMetrics().height() * 6)

        strangers = cprs_not_on_case(list(detected_cprs), case)
        self.cpr_warning = QLabel(
            self.tr("The document mentions CPR number(s) %1 that are not parties of this case. Is it the right case?")
            .replace("%1", ", ".join(str(c) for c in strangers))
        )
        self.cpr_warning.setWordWrap(True)
        make_warning(self.cpr_warning)
        self.cpr_warning.setAccessibleName(self.tr("Warning"))
        self.cpr_warning.setVisible(bool(strangers))

        other_cases = [n for n in detected_case_numbers if n.casefold() != case.number.casefold()]
        self.case_warning = QLabel(
            self.tr("The document names case %1, not this case. Is it the right case?")
            .replace("%1", ", ".join(other_cases))
        )
        self.case_warning.setWordWrap(True)
        make_warning(self.case_warning)
        self.case_warning.setAccessibleName(self.tr("Warning"))
        self.case_warning.setVisible(bool(other_cases) and case.number not in detected_case_numbers)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("File"))
        ok.setDefault(True)
        ok.setAutoDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        self.title.textChanged.connect(lambda text: ok.setEnabled(bool(text.strip())))

        form = QFormLayout()
        form.addRow(self.tr("&Title"), self.title)
        form.addRow(self.tr("&Date"), self.date)
        form.addRow(self.tr("D&irection"), self.direction)
        form.addRow(self.tr("Document t&ype"), self.document_type)
        form.addRow(self.tr("&Sensitivity"), self.sensitivity)
        form.addRow(self.tr("Parties"), self.parties)
        if attachments:
            form.addRow(self.tr("&Attachments"), self.attachments)
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label and field and isinstance(label.widget(), QLabel):
                label.widget().setBuddy(field.widget())

        layout = QVBoxLayout(self)
        layout.addWidget(self.case_label)
        layout.addWidget(self.source_label)
        layout.addWidget(self.case_warning)
        layout.addWidget(self.cpr_warning)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.title.setFocus()
        self.title.selectAll()

    def _accept_if_valid(self) -> None:
        if self.title.text().strip():
            self.accept()

    def metadata(self) -> DocumentMetadata:
        d = self.date.date()
        return replace(
            self._proposal,
            title=self.title.text().strip(),
            document_date=date(d.year(), d.month(), d.day()),
            direction=Direction(self.direction.currentData()),  # Qt hands str-enums back as plain str
            document_type=self.document_type.currentText().strip() or None,
            sensitivity=Sensitivity(self.sensitivity.currentData()),
        )

    def included_attachments(self) -> list[int]:
        """Positions of the attachments the user chose to file."""
        return [
            row for row in range(self.attachments.count())
            if self.attachments.item(row).checkState() == Qt.CheckState.Checked
        ]
