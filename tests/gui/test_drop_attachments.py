"""The drop's confirmation ticks a mail's attachments as the organisation files them (intake.attachments)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from caseclient.domain import Case
from caseclient.gui import drop_flow
from caseclient.intake import IntakeSettings, propose, release
from caseclient.intake.documents import AttachmentFiling

CASE = Case(id="c1", number="27.24.00-G01-1-24", title="Anbringelse - Hansen")


@pytest.fixture
def mail(tmp_path: Path):
    message = EmailMessage()
    message["From"] = "a@example.dk"
    message["Subject"] = "Ansøgning"
    message.set_content("Se bilag.")
    message.add_attachment(b"a;b\n", maintype="text", subtype="csv", filename="budget.csv")
    message.add_attachment(b"", maintype="application", subtype="pdf", filename="tom.pdf")  # empty: left out
    path = tmp_path / "mail.eml"
    path.write_bytes(bytes(message))
    candidate = propose(path, settings=IntakeSettings(scratch_dir=tmp_path / "scratch"))
    yield candidate
    release(candidate)


@pytest.mark.parametrize(("mode", "ticked"), [(AttachmentFiling.SEPARATE, [0]), (AttachmentFiling.WITH_MAIL, [])])
def test_the_dialog_ticks_attachments_as_the_setting_says(qtbot, monkeypatch, mail, mode, ticked):
    monkeypatch.setattr(drop_flow.MetadataDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    answer = drop_flow.dialog_confirm(None, mode)(CASE, mail)
    assert answer is not None and answer.attachments == ticked
