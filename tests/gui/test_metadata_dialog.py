"""The metadata dialog: prefilled, Enter files, a warning for CPR numbers that are not parties."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from caseclient.domain import Case, Cpr, Direction, DocumentMetadata, Party, PartyRole, Sensitivity
from caseclient.gui.metadata_dialog import AttachmentChoice, MetadataDialog

CASE = Case(
    id="c1", number="27.24.00-G01-1-24", title="Anbringelse - Hansen",
    parties=(Party(name="Ib Hansen", cpr=Cpr("0101701234"), role=PartyRole.PRIMARY),),
)
PROPOSAL = DocumentMetadata(
    title="Svar på ansøgning", document_date=date(2024, 3, 5), direction=Direction.INCOMING,
    sender=Party(name="Ib Hansen", email="ib@example.dk", role=PartyRole.SENDER), document_type="E-mail",
)


def test_prefilled_and_enter_files_it(qtbot):
    dialog = MetadataDialog(CASE, PROPOSAL, source_name="svar.msg")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "27.24.00-G01-1-24" in dialog.case_label.text()
    assert dialog.title.text() == "Svar på ansøgning"
    assert dialog.date.date().toString("yyyy-MM-dd") == "2024-03-05"
    assert dialog.parties.item(0).text() == "Ib Hansen <ib@example.dk>"
    assert dialog.cpr_warning.isHidden()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
    assert dialog.metadata() == PROPOSAL


def test_changes_reach_the_metadata(qtbot):
    dialog = MetadataDialog(CASE, PROPOSAL)
    qtbot.addWidget(dialog)
    dialog.title.setText("  Nyt svar  ")
    dialog.direction.setCurrentIndex(dialog.direction.findData(Direction.OUTGOING))
    dialog.sensitivity.setCurrentIndex(dialog.sensitivity.findData(Sensitivity.SENSITIVE))
    dialog.document_type.setCurrentText("Notat")
    got = dialog.metadata()
    assert (got.title, got.direction, got.sensitivity, got.document_type) == (
        "Nyt svar", Direction.OUTGOING, Sensitivity.SENSITIVE, "Notat")
    assert got.direction is Direction.OUTGOING and got.sensitivity is Sensitivity.SENSITIVE  # enums, not str


def test_empty_title_cannot_be_filed(qtbot):
    dialog = MetadataDialog(CASE, PROPOSAL)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.title.setText("   ")
    qtbot.keyClick(dialog.title, Qt.Key.Key_Return)
    assert dialog.result() == 0 and dialog.isVisible()


def test_cpr_not_on_the_case_is_warned_about_masked(qtbot):
    dialog = MetadataDialog(CASE, PROPOSAL, detected_cprs=[Cpr("0101701234"), Cpr("0202802345")])
    qtbot.addWidget(dialog)
    assert not dialog.cpr_warning.isHidden()
    assert "020280-xxxx" in dialog.cpr_warning.text() and "2345" not in dialog.cpr_warning.text()
    assert "010170" not in dialog.cpr_warning.text()


def test_attachments_can_be_left_out(qtbot):
    dialog = MetadataDialog(CASE, PROPOSAL, attachments=[AttachmentChoice("bilag.pdf", True), AttachmentChoice("image001.png", False)])
    qtbot.addWidget(dialog)
    assert dialog.included_attachments() == [0]
    dialog.attachments.item(1).setCheckState(Qt.CheckState.Checked)
    dialog.attachments.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert dialog.included_attachments() == [1]


def test_a_document_naming_another_case_is_warned_about(qtbot):
    other = MetadataDialog(CASE, PROPOSAL, detected_case_numbers=["02.00.05-K01-2-23"])
    qtbot.addWidget(other)
    assert not other.case_warning.isHidden() and "02.00.05-K01-2-23" in other.case_warning.text()
    same = MetadataDialog(CASE, PROPOSAL, detected_case_numbers=["27.24.00-G01-1-24", "02.00.05-K01-2-23"])
    qtbot.addWidget(same)
    assert same.case_warning.isHidden()  # it names this case too
