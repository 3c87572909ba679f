"""The one plan of what is filed for a candidate, shared by the app's drop, `caseclient file` and `watch`."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from caseclient.intake import IntakeSettings, propose, release
from caseclient.intake.documents import AttachmentFiling, documents_to_file

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def mail(tmp_path: Path):
    message = EmailMessage()
    message["From"] = "a@example.dk"
    message["To"] = "b@example.dk"
    message["Subject"] = "Ansøgning"
    message["Date"] = "Tue, 14 Nov 2023 10:00:00 +0100"
    message.set_content("Se bilag.")
    message.add_alternative('<p>Se bilag <img src="cid:logo@x"></p>', subtype="html")
    message.get_payload()[1].add_related(PNG, maintype="image", subtype="png", cid="<logo@x>", filename="image001.png")
    message.add_attachment(b"a;b\n1;2\n", maintype="application", subtype="octet-stream", filename="budget.csv")
    message.add_attachment(b"%PDF-1.4 not really", maintype="application", subtype="pdf", filename="brev.pdf")
    path = tmp_path / "ansøgning.eml"
    path.write_bytes(bytes(message))
    candidate = propose(path, settings=IntakeSettings(scratch_dir=tmp_path / "scratch"))
    yield candidate
    release(candidate)


def test_separate_files_the_included_attachments_beside_the_mail(mail) -> None:
    documents = documents_to_file(mail)
    assert [d.filename for d in documents] == ["ansøgning.eml", "budget.csv", "brev.pdf"]
    assert documents[0].mime_type == "message/rfc822" and documents[0].metadata is mail.metadata
    assert documents[1].mime_type == "text/csv"
    assert documents[2].path.read_bytes() == b"%PDF-1.4 not really"
    assert all(d.metadata.document_date == mail.metadata.document_date for d in documents)


def test_with_mail_files_the_mail_alone_with_the_confirmed_metadata(mail) -> None:
    from dataclasses import replace

    confirmed = replace(mail.metadata, title="Ansøgning om tilskud")
    documents = documents_to_file(mail, confirmed, attachments=AttachmentFiling.WITH_MAIL)
    assert [(d.filename, d.metadata.title) for d in documents] == [("ansøgning.eml", "Ansøgning om tilskud")]


def test_the_users_choice_of_attachments_is_what_is_filed(mail) -> None:
    inline = [a.candidate.filename for a in mail.attachments].index("image001.png")
    assert not mail.attachments[inline].included
    documents = documents_to_file(mail, attachments=[inline])
    assert [d.filename for d in documents] == ["ansøgning.eml", "image001.png"]
    assert documents[1].mime_type == "image/png"


@pytest.mark.parametrize("value", ["separate", " With-Mail "])
def test_the_setting_reads_as_a_mode(value: str) -> None:
    assert AttachmentFiling.parse(value).value == value.strip().lower()
