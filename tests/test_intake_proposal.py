"""Proposal rules on mails made here: titles, dates, direction, CPR/CVR and case numbers, attachments."""

from __future__ import annotations

import logging
from datetime import date, datetime, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest

from caseclient.domain import Direction, InputError, PartyRole
from caseclient.intake import IntakeSettings, ItemKind, candidate_as_dict, propose, propose_each
from caseclient.intake.detect import detect_case_numbers, detect_cvrs
from caseclient.intake.files import walk_files
from caseclient.intake.title import clean_subject

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
CPR = "010190-1234"  # format-valid; used only inside test files


@pytest.fixture
def settings(tmp_path: Path) -> IntakeSettings:
    return IntakeSettings(own_addresses=frozenset({"Sagsbehandler@Kommune.dk"}),
                          scratch_dir=tmp_path / "scratch")


def write_mail(folder: Path, *, subject: str = "Ansøgning", sender: str = "borger@example.dk",
               to: str = "sagsbehandler@kommune.dk", body: str = "Hej", when: str = "Tue, 14 Nov 2023 23:30:00 +0000",
               attachments: tuple[tuple[str, str, bytes, bool], ...] = (), name: str = "mail.eml") -> Path:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = when
    message["Message-ID"] = "<abc@example.dk>"
    message.set_content(body)
    if any(a[3] for a in attachments):
        message.add_alternative(f"<p>{body}</p><img src='cid:logo'>", subtype="html")
    for filename, mime, data, inline in attachments:
        maintype, subtype = mime.split("/")
        if inline:
            message.get_payload()[1].add_related(data, maintype, subtype, cid="<logo>", filename=filename)
        else:
            message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    path = folder / name
    path.write_bytes(message.as_bytes())
    return path


@pytest.mark.parametrize("subject, title", [
    ("SV: VS: Re: Fwd: Ansøgning om tilskud", "Ansøgning om tilskud"),
    ("AW: TR: FW: WG: Budget", "Budget"),
    ("Re[2]: Møde", "Møde"),
    ("SV: Byggesag [27.24.00-G01-1-24]", "Byggesag"),
    ("Referat: styregruppe", "Referat: styregruppe"),
    ("Svar på høring", "Svar på høring"),
    ("Subject\x00", "Subject"),
    ("  many   spaces  ", "many spaces"),
])
def test_subject_cleaning(subject: str, title: str) -> None:
    assert clean_subject(subject, IntakeSettings()) == title


def test_case_numbers_from_tags_and_patterns() -> None:
    settings = IntakeSettings(case_number_patterns=(r"\bSAG-(\d{4}-\d+)\b",))
    found = detect_case_numbers("SV: Svar [2024-0042] [EXTERNAL]", "se også SAG-2023-17", settings)
    assert found == ("2024-0042", "2023-17")
    demo = detect_case_numbers("Byggesag", "Jeres sag 27.24.00-G01-1-24 og 27.24.00-G01-1-24", IntakeSettings())
    assert demo == ("27.24.00-G01-1-24",)
    assert detect_case_numbers("Telefon 12345678 [1/2]", "", IntakeSettings()) == ()


def test_cvr_needs_its_label_and_check_digit() -> None:
    found = detect_cvrs("CVR-nr. 29 18 97 06, tlf 12345678, CVR 12345678, SE: DK61126228")
    assert [c.digits for c in found] == ["29189706", "61126228"]


def test_incoming_mail_proposal(tmp_path: Path, settings: IntakeSettings, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    path = write_mail(tmp_path, subject=f"SV: Ansøgning [27.24.00-G01-1-24] {CPR}",
                      body=f"Vedr. cpr {CPR} og CVR 29189706", sender="Åse Borger <Borger@Example.dk>",
                      to="Sagsbehandler <sagsbehandler@kommune.dk>, chef@kommune.dk")
    candidate = propose(path, settings=settings)
    metadata = candidate.metadata
    assert metadata.title == f"Ansøgning {CPR}"  # the document's own title keeps it; displays mask it
    assert metadata.document_date == date(2023, 11, 15)  # 23:30 UTC is the next day in Copenhagen
    assert metadata.direction is Direction.INCOMING
    assert metadata.sender.name == "Åse Borger" and metadata.sender.email == "borger@example.dk"
    assert metadata.sender.role is PartyRole.SENDER
    assert [p.email for p in metadata.recipients] == ["sagsbehandler@kommune.dk", "chef@kommune.dk"]
    assert candidate.detected_case_numbers == ("27.24.00-G01-1-24",)
    assert [c.digits for c in candidate.detected_cprs] == ["0101901234"]
    assert [c.digits for c in candidate.detected_cvrs] == ["29189706"]
    assert {p.cpr.digits for p in metadata.parties if p.cpr} == {"0101901234"}
    assert metadata.message_id == "<abc@example.dk>"
    shown = str(candidate_as_dict(candidate)) + repr(candidate) + caplog.text
    assert "0101901234" not in shown and "010190-1234" not in shown
    assert "010190-xxxx" in str(candidate_as_dict(candidate))


def test_own_mail_is_outgoing_and_internal_domains_make_internal(tmp_path: Path, settings: IntakeSettings) -> None:
    path = write_mail(tmp_path, sender="sagsbehandler@kommune.dk", to="borger@example.dk")
    assert propose(path, settings=settings).metadata.direction is Direction.OUTGOING
    internal = IntakeSettings(own_addresses=settings.own_addresses, internal_domains=frozenset({"kommune.dk"}),
                              scratch_dir=settings.scratch_dir)
    colleague = write_mail(tmp_path, sender="kollega@kommune.dk", to="sagsbehandler@kommune.dk", name="b.eml")
    assert propose(colleague, settings=internal).metadata.direction is Direction.INTERNAL
    assert propose(path, settings=internal).metadata.direction is Direction.OUTGOING


def test_inline_logo_left_out_unless_asked(tmp_path: Path, settings: IntakeSettings) -> None:
    path = write_mail(tmp_path, attachments=(("image001.png", "image/png", PNG, True),
                                             ("bilag.pdf", "application/pdf", b"%PDF-1.4 broken", False),
                                             ("image002.png", "image/png", PNG, False)))
    candidate = propose(path, settings=settings)
    states = [(a.candidate.filename, a.included, a.left_out_because) for a in candidate.attachments]
    assert states == [("image001.png", False, "inline image"), ("bilag.pdf", True, None),
                      ("image002.png", False, "inline image")]
    broken = candidate.attachments[1].candidate
    assert broken.kind is ItemKind.FILE  # a damaged PDF attachment stays a plain file, with a warning
    assert any("bilag.pdf" in w and "damaged" in w for w in broken.warnings)
    assert any("bilag.pdf" in w for w in candidate.all_warnings())
    keep = IntakeSettings(include_inline_images=True, scratch_dir=settings.scratch_dir)
    assert all(a.included for a in propose(path, settings=keep).attachments)


def test_repeated_attachment_names_get_distinct_files(tmp_path: Path, settings: IntakeSettings) -> None:
    path = write_mail(tmp_path, attachments=(("a.txt", "text/plain", b"one", False),
                                             ("A.txt", "text/plain", b"two", False),
                                             ("../../evil:name?.txt", "text/plain", b"three", False)))
    files = [a.candidate.source for a in propose(path, settings=settings).attachments]
    assert [f.read_bytes() for f in files] == [b"one", b"two", b"three"]
    assert len({f.name.lower() for f in files}) == 3
    assert all(f.parent.parent == settings.scratch_dir for f in files)


def test_mail_with_odd_extension_is_read_by_content(tmp_path: Path, settings: IntakeSettings) -> None:
    path = write_mail(tmp_path, name="saved.msg", subject="Gemt")
    candidate = propose(path, settings=settings)
    assert candidate.kind is ItemKind.EMAIL and candidate.metadata.title == "Gemt"
    assert any("named like an Outlook item" in w for w in candidate.warnings)


def test_mail_without_date_uses_file_time(tmp_path: Path, settings: IntakeSettings) -> None:
    path = tmp_path / "undated.eml"
    path.write_bytes(b"From: a@example.dk\r\nSubject: Udateret\r\nDate: 31 Feb yesterday\r\n\r\nHej\r\n")
    candidate = propose(path, settings=settings)
    mtime = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).astimezone()
    assert abs((candidate.metadata.document_date - mtime.date()).days) <= 1
    assert any("date" in w for w in candidate.warnings)


def test_other_files_and_errors(tmp_path: Path, settings: IntakeSettings) -> None:
    (tmp_path / "note.txt").write_text(f"Borger {CPR}", encoding="utf-8")
    (tmp_path / "picture.dat").write_bytes(PNG)
    (tmp_path / f"{CPR} scan.pdf").write_bytes(b"")
    candidate = propose(tmp_path / "note.txt", settings=settings)
    assert candidate.kind is ItemKind.FILE and candidate.mime_type == "text/plain"
    assert [c.digits for c in candidate.detected_cprs] == ["0101901234"]
    assert propose(tmp_path / "picture.dat", settings=settings).mime_type == "image/png"
    with pytest.raises(InputError) as empty:
        propose(tmp_path / f"{CPR} scan.pdf", settings=settings)
    assert "010190-xxxx scan.pdf is empty" in empty.value.message and "1234" not in empty.value.message
    with pytest.raises(InputError, match="was not found"):
        propose(tmp_path / "missing.eml", settings=settings)
    with pytest.raises(InputError, match="is a folder"):
        propose(tmp_path, settings=settings)


def test_folder_walk_skips_clutter(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    (folder / "sub" / ".hidden").mkdir(parents=True)
    for name in ("a.pdf", "~$b.docx", ".DS_Store", "Thumbs.db", "c.tmp", "sub/d.eml", "sub/.hidden/e.pdf"):
        (folder / name).write_bytes(b"x")
    assert [p.relative_to(folder).as_posix() for p in walk_files([folder])] == ["a.pdf", "sub/d.eml"]


def test_batch_continues_after_broken_files(tmp_path: Path, settings: IntakeSettings) -> None:
    (tmp_path / "empty.pdf").write_bytes(b"")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    write_mail(tmp_path)
    outcomes = {o.path.name: o for o in propose_each([tmp_path], settings=settings)}
    assert outcomes["mail.eml"].candidate is not None
    assert "empty.pdf is empty" in outcomes["empty.pdf"].error.message
    assert "broken.pdf" in outcomes["broken.pdf"].error.message


def test_unwritable_scratch_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    path = write_mail(tmp_path, attachments=(("a.txt", "text/plain", b"one", False),))
    with pytest.raises(InputError, match="The attachments of mail.eml could not be unpacked"):
        propose(path, settings=IntakeSettings(scratch_dir=blocker / "scratch"))


def test_a_mail_is_proposed_as_document_type_email_and_a_plain_file_as_nothing(tmp_path):
    from email.message import EmailMessage

    from caseclient.intake import propose

    mail = EmailMessage()
    mail["Subject"] = "Svar"
    mail["From"] = "a@example.dk"
    mail.set_content("Hej")
    path = tmp_path / "svar.eml"
    path.write_bytes(bytes(mail))
    assert propose(path).metadata.document_type == "E-mail"
    other = tmp_path / "noter.txt"
    other.write_text("noter")
    assert propose(other).metadata.document_type is None
