"""winmail.dat (TNEF): raw files read as the mail or meeting they carry, parts of mails unpacked into
their files. The TNEF streams are written here, attribute by attribute (MS-OXTNEF)."""

from __future__ import annotations

import struct
import uuid
from datetime import datetime, timezone
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from caseclient.domain import InputError
from caseclient.intake import IntakeSettings, ItemKind, propose, release

IMESSAGE_SIG = b"\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"
APPOINTMENT = uuid.UUID("00062002-0000-0000-c000-000000000046")
UNICODE, INT, SYSTIME, BINARY, OBJECT = 0x001F, 0x0003, 0x0040, 0x0102, 0x000D


def attribute(level: int, name: int, kind: int, data: bytes) -> bytes:
    return struct.pack("<BHHI", level, name, kind, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def padded(data: bytes) -> bytes:
    return data + b"\x00" * (-len(data) % 4)


def value(kind: int, data: object) -> bytes:
    if kind == UNICODE:
        encoded = (str(data) + "\x00").encode("utf-16-le")
        return struct.pack("<II", 1, len(encoded)) + padded(encoded)
    if kind in (BINARY, OBJECT):
        return struct.pack("<II", 1, len(data)) + padded(data)  # type: ignore[arg-type]
    if kind == INT:
        return struct.pack("<i", data)
    assert isinstance(data, datetime)
    return struct.pack("<Q", int((data - datetime(1601, 1, 1, tzinfo=timezone.utc)).total_seconds() * 10**7))


def props(*entries: tuple) -> bytes:
    """MAPI properties: (kind, id, value) or (kind, (guid, named id), value) for named ones."""
    out = [struct.pack("<I", len(entries))]
    for number, (kind, prop_id, data) in enumerate(entries):
        if isinstance(prop_id, tuple):
            guid, named = prop_id
            out.append(struct.pack("<HH", kind, 0x8000 + number) + guid.bytes_le + struct.pack("<II", 0, named))
        else:
            out.append(struct.pack("<HH", kind, prop_id))
        out.append(value(kind, data))
    return b"".join(out)


def tnef(message_class: str = "IPM.Microsoft Mail.Note", message: tuple = (),
         attachments: list[tuple[str, bytes]] = (), embedded: list[bytes] = ()) -> bytes:
    stream = [struct.pack("<IH", 0x223E9F78, 1),
              attribute(1, 0x9006, 0x0008, struct.pack("<I", 0x10000)),
              attribute(1, 0x9007, 0x0006, struct.pack("<II", 1252, 0)),
              attribute(1, 0x8008, 0x0007, message_class.encode() + b"\x00")]
    if message:
        stream.append(attribute(1, 0x9003, 0x0006, props(*message)))
    for filename, data in attachments:
        stream += [attribute(2, 0x9002, 0x0006, b"\x01\x00" + b"\xff" * 12),
                   attribute(2, 0x8010, 0x0001, b"ATTACH~1.BIN\x00"),
                   attribute(2, 0x800F, 0x0006, data),
                   attribute(2, 0x9005, 0x0006, props((UNICODE, 0x3707, filename)))]
    for inner in embedded:
        stream += [attribute(2, 0x9002, 0x0006, b"\x01\x00" + b"\xff" * 12),
                   attribute(2, 0x9005, 0x0006, props((OBJECT, 0x3701, IMESSAGE_SIG + inner)))]
    return b"".join(stream)


def mail_with_winmail(path: Path, winmail: bytes, *, plain: list[tuple[str, bytes]] = ()) -> Path:
    mail = EmailMessage()
    mail["From"] = "Søren Ærø <soren@example.dk>"
    mail["To"] = "sag@kommune.dk"
    mail["Subject"] = "Ansøgning med bilag"
    mail["Date"] = "Tue, 14 Nov 2023 10:00:00 +0100"
    mail.set_content("Se vedhæftede.")
    for filename, data in plain:
        mail.add_attachment(data, maintype="application", subtype="octet-stream", filename=filename)
    mail.add_attachment(winmail, maintype="application", subtype="ms-tnef", filename="winmail.dat")
    path.write_bytes(mail.as_bytes(policy=SMTP))
    return path


@pytest.fixture
def settings(tmp_path: Path) -> IntakeSettings:
    return IntakeSettings(scratch_dir=tmp_path / "scratch")


FILE_NAMES = st.lists(
    st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzæøåÆØÅäöü0123456789 -_"), min_size=1, max_size=30)
    .map(str.strip).filter(bool).map(lambda stem: f"{stem}.txt"),
    min_size=1, max_size=4, unique_by=str.lower)


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=FILE_NAMES, data=st.data())
def test_a_winmail_dat_part_gives_way_to_the_files_it_holds(tmp_path: Path, names: list[str],
                                                             data: st.DataObject) -> None:
    contents = [data.draw(st.binary(min_size=1, max_size=300)) for _ in names]
    settings = IntakeSettings(scratch_dir=tmp_path / f"scratch-{uuid.uuid4().hex}")
    path = mail_with_winmail(tmp_path / f"{uuid.uuid4().hex}.eml", tnef(attachments=list(zip(names, contents))),
                             plain=[("skema.pdf.bin", b"before the winmail.dat")])
    candidate = propose(path, settings=settings)
    try:
        found = [(a.candidate.filename, a.candidate.source.read_bytes(), a.included) for a in candidate.attachments]
        assert found == [("skema.pdf.bin", b"before the winmail.dat", True)] + \
            [(name, content, True) for name, content in zip(names, contents)]
        assert candidate.metadata.title == "Ansøgning med bilag" and candidate.warnings == ()
    finally:
        release(candidate)


def test_an_empty_winmail_dat_is_left_out(tmp_path: Path, settings: IntakeSettings) -> None:
    winmail = tnef(message=((UNICODE, 0x0037, "Ansøgning med bilag"), (UNICODE, 0x1000, "Se vedhæftede.")))
    candidate = propose(mail_with_winmail(tmp_path / "mail.eml", winmail), settings=settings)
    try:
        assert candidate.attachments == () and candidate.warnings == ()
    finally:
        release(candidate)


def test_a_raw_tnef_meeting_is_read_as_the_meeting(tmp_path: Path, settings: IntakeSettings) -> None:
    start = datetime(2024, 1, 15, 8, 0, tzinfo=timezone.utc)  # winter: 09:00 in Copenhagen
    path = tmp_path / "winmail.dat"
    path.write_bytes(tnef("IPM.Appointment", message=(
        (UNICODE, 0x0037, "Møde om sag 27.24.00-G01-1-24"),
        (UNICODE, 0x0C1A, "Åse Ødegård"), (UNICODE, 0x0C1E, "SMTP"), (UNICODE, 0x0C1F, "ase@kommune.dk"),
        (SYSTIME, 0x0039, datetime(2024, 1, 10, 12, 0, tzinfo=timezone.utc)),
        (SYSTIME, (APPOINTMENT, 0x820D), start),
        (SYSTIME, (APPOINTMENT, 0x820E), datetime(2024, 7, 15, 9, 30, tzinfo=timezone.utc)),  # summer: 11:30
        (UNICODE, (APPOINTMENT, 0x8208), "Rådhuset, lokale 2"),
    )))
    candidate = propose(path, settings=settings)
    metadata = candidate.metadata
    assert candidate.kind is ItemKind.APPOINTMENT and candidate.mime_type == "application/vnd.ms-tnef"
    assert metadata.title == "Møde om sag 27.24.00-G01-1-24"
    assert metadata.sender.email == "ase@kommune.dk" and metadata.sender.name == "Åse Ødegård"
    assert "2024-01-15 09:00 to 2024-07-15 11:30" in metadata.description
    assert "Rådhuset, lokale 2" in metadata.description and "ase@kommune.dk" in metadata.description
    assert candidate.detected_case_numbers == ("27.24.00-G01-1-24",)


def test_an_embedded_message_becomes_an_attached_mail(tmp_path: Path, settings: IntakeSettings) -> None:
    inner = tnef(message=((UNICODE, 0x0037, "Oprindelig henvendelse"), (UNICODE, 0x1000, "Hej med dig")),
                 attachments=[("bilag.txt", b"indhold")])
    path = tmp_path / "outer.tnef"
    path.write_bytes(tnef(message=((UNICODE, 0x0037, "Videresendt"),), embedded=[inner]))
    candidate = propose(path, settings=settings)
    try:
        [attached] = candidate.attachments
        assert attached.candidate.filename == "Oprindelig henvendelse.eml"
        assert attached.candidate.kind is ItemKind.EMAIL
        assert attached.candidate.metadata.title == "Oprindelig henvendelse"
        assert [a.candidate.filename for a in attached.candidate.attachments] == ["bilag.txt"]
    finally:
        release(candidate)


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=7, max_value=400), flip=st.integers(min_value=6, max_value=400))
def test_a_damaged_tnef_gives_a_candidate_or_a_clear_error(tmp_path: Path, cut: int, flip: int) -> None:
    whole = tnef(message=((UNICODE, 0x0037, "Emne"),), attachments=[("a.txt", b"x" * 50), ("b.txt", b"y" * 50)])
    damaged = bytearray(whole[:cut])
    if flip < len(damaged):
        damaged[flip] ^= 0xFF
    path = tmp_path / "winmail.dat"
    path.write_bytes(bytes(damaged))
    settings = IntakeSettings(scratch_dir=tmp_path / f"scratch-{uuid.uuid4().hex}")
    try:
        candidate = propose(path, settings=settings)
    except InputError as exc:
        assert "winmail.dat" in exc.message
    else:
        release(candidate)
    inside = mail_with_winmail(tmp_path / "mail.eml", bytes(damaged))
    candidate = propose(inside, settings=settings)  # one damaged part never costs the mail
    release(candidate)


def test_an_invitation_sent_as_winmail_dat_is_the_meeting(tmp_path: Path, settings: IntakeSettings) -> None:
    winmail = tnef("IPM.Microsoft Schedule.MtgReq", message=(
        (UNICODE, 0x0037, "Ansøgning med bilag"),
        (SYSTIME, (APPOINTMENT, 0x820D), datetime(2023, 11, 20, 13, 0, tzinfo=timezone.utc)),
        (SYSTIME, (APPOINTMENT, 0x820E), datetime(2023, 11, 20, 14, 0, tzinfo=timezone.utc)),
        (UNICODE, (APPOINTMENT, 0x8208), "Borgerservice")))
    candidate = propose(mail_with_winmail(tmp_path / "invitation.eml", winmail), settings=settings)
    assert candidate.kind is ItemKind.APPOINTMENT and candidate.item_class == "IPM.Schedule.Meeting.Request"
    assert "2023-11-20 14:00 to 15:00" in candidate.metadata.description
    assert "Borgerservice" in candidate.metadata.description and candidate.attachments == ()
    assert candidate.metadata.sender.email == "soren@example.dk"  # the mail's own sender


@pytest.mark.timeout(60)
@pytest.mark.parametrize("damaged_byte", [0, 1, 2, 3])
def test_a_damaged_property_count_is_refused_not_counted_to_four_billion(
        tmp_path: Path, settings: IntakeSettings, damaged_byte: int) -> None:
    message = props((UNICODE, 0x0037, "Emne"), (INT, 0x3FFD, 1252))
    whole = bytearray(tnef(message=((UNICODE, 0x0037, "Emne"), (INT, 0x3FFD, 1252))))
    whole[whole.index(message) + damaged_byte] ^= 0xFF  # the count of the message's properties
    path = tmp_path / "winmail.dat"
    path.write_bytes(bytes(whole))
    with pytest.raises(InputError, match="winmail.dat .*damaged"):
        propose(path, settings=settings)
