"""Outlook item classes beyond mails, and signed/encrypted .eml files, made from real files here."""

from __future__ import annotations

from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import extract_msg
import pytest
from extract_msg.ole_writer import OleWriter

from caseclient.domain import InputError
from caseclient.intake import IntakeSettings, ItemKind, propose

MESSAGE_CLASS = "__substg1.0_001A001F"


@pytest.fixture
def settings(tmp_path: Path) -> IntakeSettings:
    return IntakeSettings(scratch_dir=tmp_path / "scratch")


def with_message_class(template: Path, target: Path, message_class: str) -> Path:
    """A copy of an Outlook file whose message class says it is another kind of item."""
    with extract_msg.openMsg(str(template)) as item:
        writer = OleWriter()
        writer.fromMsg(item)
    writer.editEntry(MESSAGE_CLASS, data=message_class.encode("utf-16-le"))
    writer.write(str(target))
    return target


@pytest.mark.parametrize("message_class, kind", [
    ("IPM.Appointment", ItemKind.APPOINTMENT),
    ("IPM.Schedule.Meeting.Request", ItemKind.APPOINTMENT),
    ("IPM.Contact", ItemKind.CONTACT),
    ("IPM.Task", ItemKind.TASK),
    ("IPM.StickyNote", ItemKind.NOTE),
    ("IPM.Post", ItemKind.NOTE),
    ("IPM.Organisation.CustomForm", ItemKind.NOTE),
])
def test_outlook_item_classes(samples: Path, tmp_path: Path, settings: IntakeSettings, message_class: str,
                              kind: ItemKind) -> None:
    path = with_message_class(samples / "msg" / "TxtSampleEmail.msg", tmp_path / "item.msg", message_class)
    candidate = propose(path, settings=settings)
    assert candidate.kind is kind and candidate.item_class == message_class
    assert candidate.metadata.title == "TxtSampleEmail"  # the subject, for every class
    assert candidate.sha256 and candidate.warnings == ()


def test_office_file_named_msg_is_refused_clearly(tmp_path: Path, settings: IntakeSettings) -> None:
    writer = OleWriter()
    writer.addEntry("WordDocument", b"\x00" * 600)
    path = tmp_path / "Referat.msg"
    writer.write(str(path))
    with pytest.raises(InputError, match="Referat.msg is not an Outlook item"):
        propose(path, settings=settings)


def test_signed_eml_is_opened_and_the_signature_left_out(tmp_path: Path, settings: IntakeSettings) -> None:
    content = MIMEMultipart("mixed")
    content.attach(MIMEText("Afgørelse vedr. 27.24.00-G01-1-24", "plain", "utf-8"))
    content.attach(MIMEApplication(b"%PDF-1.4\n%%EOF\n", "pdf", Name="afgoerelse.pdf"))
    content["Content-Disposition"] = "inline"
    content.get_payload()[1]["Content-Disposition"] = 'attachment; filename="afgoerelse.pdf"'
    signed = MIMEMultipart("signed", protocol="application/pkcs7-signature", micalg="sha-256")
    signed.attach(content)
    signature = MIMEApplication(b"0\x82\x01\x00signature", "pkcs7-signature", Name="smime.p7s")
    signature["Content-Disposition"] = 'attachment; filename="smime.p7s"'
    signed.attach(signature)
    signed["From"], signed["Subject"], signed["Date"] = "myndighed@example.dk", "Afgørelse", "Mon, 2 Jan 2023 9:00 +0100"
    path = tmp_path / "signed.eml"
    path.write_bytes(signed.as_bytes())
    candidate = propose(path, settings=settings)
    assert candidate.encrypted is False
    assert candidate.detected_case_numbers == ("27.24.00-G01-1-24",)
    assert [(a.candidate.filename, a.included, a.left_out_because) for a in candidate.attachments] == [
        ("afgoerelse.pdf", True, None), ("smime.p7s", False, "signature")]


def test_encrypted_eml_gives_metadata_only(tmp_path: Path, settings: IntakeSettings) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.dk", "b@kommune.dk", "Fortroligt"
    message["Date"] = "Mon, 2 Jan 2023 09:00:00 +0100"
    message.set_content(b"0\x80\x06\t*\x86H\x86\xf7\r\x01\x07\x03", maintype="application", subtype="pkcs7-mime",
                        params={"smime-type": "enveloped-data", "name": "smime.p7m"}, filename="smime.p7m")
    path = tmp_path / "encrypted.eml"
    path.write_bytes(message.as_bytes())
    candidate = propose(path, settings=settings)
    assert candidate.encrypted is True and candidate.attachments == ()
    assert candidate.metadata.title == "Fortroligt" and candidate.metadata.sender.email == "a@example.dk"
    assert any("encrypted.eml is encrypted" in w for w in candidate.warnings)
