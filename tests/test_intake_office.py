"""Office files and pictures the tests make: title, author and date come from the file's own metadata
before its modification time; a password-protected Office file is flagged; a camera with a wrong clock
is not believed."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from PIL import Image

from caseclient.intake import IntakeSettings, ItemKind, propose
from caseclient.intake.exif import PhotoDates, choose_date
from caseclient.intake.office import parse_w3cdtf

OLD = datetime(2001, 2, 3, 12, 0, tzinfo=timezone.utc).timestamp()  # the files' modification time

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def settings(tmp_path: Path) -> IntakeSettings:
    return IntakeSettings(scratch_dir=tmp_path / "scratch")


def aged(path: Path) -> Path:
    os.utime(path, (OLD, OLD))
    return path


def docx(path: Path, core: str | None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/package/2006/"
                                                "content-types'/>")
        archive.writestr("word/document.xml", "<w:document xmlns:w='urn:w'/>")
        if core is not None:
            archive.writestr("docProps/core.xml", core)
    return aged(path)


def core_xml(title: str, creator: str, created: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created></cp:coreProperties>'
    )


def test_ooxml_core_properties_give_title_author_and_date(tmp_path: Path, settings: IntakeSettings) -> None:
    path = docx(tmp_path / "skabelon_v2.docx", core_xml("Afgørelse om boligstøtte", "Åse Ærø",
                                                         "2023-12-31T23:30:00Z"))
    candidate = propose(path, settings=settings)
    assert candidate.kind is ItemKind.FILE and candidate.mime_type == DOCX
    assert candidate.metadata.title == "Afgørelse om boligstøtte"
    assert candidate.author == "Åse Ærø"
    assert candidate.metadata.document_date == date(2024, 1, 1)  # 00:30 in Copenhagen
    assert candidate.warnings == () and not candidate.encrypted


@pytest.mark.parametrize("core", [None, core_xml("", "", ""), core_xml("Microsoft Word - x.docx", "", "never"),
                                  "<not xml", core_xml("a", "b", "0000-00-00T00:00:00Z")])
def test_missing_or_useless_properties_fall_back_to_name_and_file_date(tmp_path: Path, settings: IntakeSettings,
                                                                       core: str | None) -> None:
    candidate = propose(docx(tmp_path / "Referat_møde.docx", core), settings=settings)
    assert candidate.metadata.title == "Referat møde"
    assert candidate.metadata.document_date == date(2001, 2, 3)
    assert candidate.warnings == ()


def test_opendocument_meta_is_read(tmp_path: Path, settings: IntakeSettings) -> None:
    path = tmp_path / "notat.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("meta.xml", (
            '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<office:meta><dc:title>Notat om tilsyn</dc:title><meta:initial-creator>Bo Ek</meta:initial-creator>"
            "<meta:creation-date>2022-05-06T10:11:12</meta:creation-date></office:meta></office:document-meta>"))
    candidate = propose(aged(path), settings=settings)
    assert (candidate.metadata.title, candidate.author, candidate.metadata.document_date) == \
        ("Notat om tilsyn", "Bo Ek", date(2022, 5, 6))


def test_password_protected_ooxml_is_flagged(tmp_path: Path, settings: IntakeSettings) -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    plain = docx(tmp_path / "plain.docx", core_xml("Hemmelig titel", "X Y", "2020-01-01T00:00:00Z"))
    protected = tmp_path / "Fortroligt brev.docx"
    with plain.open("rb") as source, protected.open("wb") as target:
        ooxml.OOXMLFile(source).encrypt("hemmeligt", target)
    candidate = propose(aged(protected), settings=settings)
    assert candidate.encrypted
    assert candidate.metadata.title == "Fortroligt brev"
    assert candidate.mime_type == DOCX
    assert any("Fortroligt brev.docx" in w and "protected by a password" in w for w in candidate.warnings)


def jpeg(path: Path, *, taken: str | None = None, saved: str | None = None, offset: str | None = None) -> Path:
    exif = Image.Exif()
    if saved:
        exif[0x0132] = saved
    details = exif.get_ifd(0x8769)
    if taken:
        details[0x9003] = taken
    if offset:
        details[0x9011] = offset
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "JPEG", exif=exif.tobytes())
    path.write_bytes(buffer.getvalue())
    return aged(path)


def test_photo_date_is_when_it_was_taken(tmp_path: Path, settings: IntakeSettings) -> None:
    path = jpeg(tmp_path / "IMG_0001.jpg", taken="2019:06:01 23:30:00", saved="2020:01:01 10:00:00",
                offset="-04:00")
    candidate = propose(path, settings=settings)
    assert candidate.metadata.document_date == date(2019, 6, 2)  # 05:30 in Copenhagen
    assert candidate.mime_type == "image/jpeg" and candidate.warnings == ()


def test_a_camera_clock_ahead_of_the_save_date_is_not_believed(tmp_path: Path, settings: IntakeSettings) -> None:
    path = jpeg(tmp_path / "IMG_0002.jpg", taken="2030:01:01 08:00:00", saved="2015:03:04 09:00:00")
    candidate = propose(path, settings=settings)
    assert candidate.metadata.document_date == date(2015, 3, 4)
    assert any("IMG_0002.jpg" in w and "clock was wrong" in w for w in candidate.warnings)


@pytest.mark.parametrize("exif", [dict(), dict(taken="0000:00:00 00:00:00"), dict(taken="garbage")])
def test_pictures_without_a_usable_date_keep_the_file_date(tmp_path: Path, settings: IntakeSettings,
                                                           exif: dict) -> None:
    candidate = propose(jpeg(tmp_path / "pic.jpg", **exif), settings=settings)
    assert candidate.metadata.document_date == date(2001, 2, 3) and candidate.warnings == ()


def test_a_damaged_picture_is_still_proposed(tmp_path: Path, settings: IntakeSettings) -> None:
    path = jpeg(tmp_path / "cut.jpg", taken="2019:06:01 10:00:00")
    path.write_bytes(path.read_bytes()[:40])
    candidate = propose(aged(path), settings=settings)
    assert candidate.kind is ItemKind.FILE and candidate.metadata.document_date == date(2001, 2, 3)


moments = st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1))


@given(taken=st.none() | moments, saved=st.none() | moments, now=moments)
def test_the_chosen_photo_date_is_never_after_the_save_date_nor_in_the_future(
        taken: datetime | None, saved: datetime | None, now: datetime) -> None:
    chosen, warning = choose_date(PhotoDates(taken=taken, saved=saved), now)
    if chosen is not None and chosen is taken:
        assert saved is None or taken <= saved + timedelta(days=1)
        assert taken <= now + timedelta(days=1)
        assert warning is None
    assert chosen in (taken, saved, None)
    assert (warning is not None) == (taken is not None and chosen is not taken)


@pytest.mark.parametrize(("text", "expected"), [
    ("2008-01-04T11:51:36Z", datetime(2008, 1, 4, 11, 51, 36, tzinfo=timezone.utc)),
    ("2008-01-04T11:51:36.123+02:00", datetime(2008, 1, 4, 11, 51, 36, tzinfo=timezone(timedelta(hours=2)))),
    ("2008-01-04", datetime(2008, 1, 4)),
    ("1601-01-01T00:00:00Z", None), ("", None), ("2008-13-01T00:00:00Z", None), ("tomorrow", None),
])
def test_w3cdtf_dates(text: str, expected: datetime | None) -> None:
    assert parse_w3cdtf(text) == expected


def property_set(properties: list[tuple[int, bytes]], *, count: int | None = None) -> bytes:
    """A SummaryInformation stream: header, one section, the given (id, typed value) properties."""
    import struct

    table = b""
    values = b""
    base = 8 + 8 * len(properties)
    for pid, value in properties:
        table += struct.pack("<II", pid, base + len(values))
        values += value + b"\x00" * (-len(value) % 4)
    section = struct.pack("<II", 8 + len(table) + len(values), len(properties) if count is None else count)
    header = struct.pack("<HHI16sI16sI", 0xFFFE, 0, 0x00020006, b"\x00" * 16, 1, b"\xe0\x85\x9f\xf2" + b"\x00" * 12,
                         48)
    return header + section + table + values


def lpstr(text: bytes) -> bytes:
    import struct

    return struct.pack("<HHI", 0x1E, 0, len(text) + 1) + text + b"\x00"


def test_a_property_set_is_read_in_its_code_page_parts() -> None:
    import struct

    from caseclient.intake.office import parse_property_set

    seconds = int(datetime(2008, 7, 23, 11, 38, tzinfo=timezone.utc).timestamp()) + 11_644_473_600  # since 1601
    filetime = struct.pack("<HHQ", 0x40, 0, seconds * 10_000_000)
    data = property_set([(1, struct.pack("<HHh", 2, 0, 1255)),
                         (2, lpstr("שלום עולם".encode("cp1255"))), (4, lpstr(b"IBM User")), (12, filetime)])
    values = parse_property_set(data)
    assert values[1] == 1255 and values[2].decode("cp1255") == "שלום עולם" and values[4] == b"IBM User"
    assert values[12] == datetime(2008, 7, 23, 11, 38, tzinfo=timezone.utc)


def test_a_claimed_count_of_billions_costs_nothing() -> None:
    from caseclient.intake.office import parse_property_set

    values = parse_property_set(property_set([(2, lpstr(b"Titel"))], count=0x7FFFFFFF))
    assert values == {2: b"Titel"}


@given(data=st.binary(max_size=600), cut=st.integers(min_value=0, max_value=200), noise=st.binary(max_size=8))
def test_any_property_set_bytes_give_values_or_nothing(data: bytes, cut: int, noise: bytes) -> None:
    from caseclient.intake.office import parse_property_set

    valid = property_set([(2, lpstr(b"Titel")), (4, lpstr(b"Forfatter"))])
    mutated = valid[:cut] + noise + valid[cut + len(noise):]
    for candidate in (data, mutated, valid[:cut], b"\xfe\xff" + data):
        values = parse_property_set(candidate)
        assert all(isinstance(v, (int, bytes, str, datetime)) for v in values.values())


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["office", "image"])
def test_mutated_office_files_and_pictures_give_a_candidate_or_a_clear_error(samples: Path, tmp_path: Path,
                                                                             kind: str) -> None:
    """As tests/test_intake_fuzz.py for mails and PDFs: damaged properties or EXIF never stop a file."""
    import random

    from caseclient.domain import InputError
    from caseclient.intake import release

    sources = [(p.name, p.read_bytes()) for p in sorted((samples / kind).iterdir()) if p.stat().st_size <= 300_000]
    chance = random.Random(16)
    settings = IntakeSettings(scratch_dir=tmp_path / "scratch")
    for _ in range(int(os.environ.get("INTAKE_FUZZ_EXAMPLES", "700")) // 4):
        name, data = chance.choice(sources)
        buffer = bytearray(data)
        for _ in range(chance.randint(1, 4)):
            at = chance.randrange(len(buffer))
            if chance.random() < 0.7:
                buffer[at:at + 4] = chance.randbytes(4)
            else:
                del buffer[at:]
                if not buffer:
                    buffer = bytearray(b"x")
        path = tmp_path / name
        path.write_bytes(bytes(buffer))
        try:
            candidate = propose(path, settings=settings)
        except InputError as error:
            assert name in error.message
        else:
            assert candidate.metadata.title.strip() and candidate.kind is ItemKind.FILE
            assert all(name in w for w in candidate.warnings), candidate.warnings
            release(candidate)


@pytest.mark.parametrize(("sample", "name", "mime"), [
    ("SampleDoc.doc", "brev.bin", "application/msword"),
    ("SampleDoc.doc", "brev", "application/msword"),
    ("Bug45473.doc", "regneark.xls", "application/msword"),  # what it holds, not what its name says
])
def test_legacy_office_files_are_typed_by_their_streams(samples: Path, tmp_path: Path, settings: IntakeSettings,
                                                        sample: str, name: str, mime: str) -> None:
    path = tmp_path / name
    path.write_bytes((samples / "office" / sample).read_bytes())
    candidate = propose(path, settings=settings)
    assert candidate.mime_type == mime
    assert candidate.author in ("Nick Burch", "IBM User")  # its properties are read whatever its name
