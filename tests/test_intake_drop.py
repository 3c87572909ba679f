"""Drop decoding on synthetic drop descriptions, one per drag source (no Qt)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from outlook_drag import (
    CLASSIC_OUTLOOK_MAIL_FORMATS,
    MAC_OUTLOOK_FORMATS,
    NEW_OUTLOOK_FORMATS,
    OUTLOOK_ATTACHMENT_FORMATS,
    THUNDERBIRD_FORMATS,
    FakeMailItem,
    FakeOutlook,
    file_group_descriptor,
)

from caseclient.intake import IntakeSettings, ItemKind, propose
from caseclient.intake.drop import (
    DropDecoder,
    DropDescription,
    DropOrigin,
    NothingReadable,
    OutlookAutomation,
    file_contents_format,
    parse_file_group_descriptor,
    windows_format,
)
from caseclient.intake.drop.outlook import names_match

DESCRIPTOR_W = windows_format("FileGroupDescriptorW")
DESCRIPTOR_A = windows_format("FileGroupDescriptor")


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    return tmp_path / "staging"


def test_descriptor_parsing_wide_ansi_and_truncated() -> None:
    wide = file_group_descriptor([("Møde.msg", 10), ("Møde.msg", None), ("bilag æøå.pdf", 2**33)])
    parsed = parse_file_group_descriptor(wide, wide=True)
    assert [(d.name, d.size) for d in parsed] == [("Møde.msg", 10), ("Møde.msg", None), ("bilag æøå.pdf", 2**33)]
    assert parsed[0].written is not None and parsed[0].written.year == 2022
    ansi = parse_file_group_descriptor(file_group_descriptor([("Tilbud ÆØÅ.docx", 5)], wide=False), wide=False)
    assert [(d.name, d.size) for d in ansi] == [("Tilbud ÆØÅ.docx", 5)]
    assert len(parse_file_group_descriptor(wide[:-10], wide=True)) == 2  # the cut record is dropped
    assert parse_file_group_descriptor(b"\xff\xff", wide=True) == []
    assert parse_file_group_descriptor(b"\xff\xff\xff\xff", wide=True) == []  # a huge count, no records


def test_outlook_attachments_become_private_copies_with_distinct_names(staging: Path) -> None:
    drop = DropDescription(
        offered=tuple(OUTLOOK_ATTACHMENT_FORMATS),
        data={DESCRIPTOR_W: file_group_descriptor([("bilag.pdf", 3), ("bilag.pdf", 4), ("kort.png", 99)]),
              file_contents_format(0): b"one", file_contents_format(1): b"four", file_contents_format(2): b"short"},
    )
    result = DropDecoder(staging_root=staging).decode(drop)
    assert [(i.name, i.path.name, i.path.read_bytes()) for i in result.items] == [
        ("bilag.pdf", "bilag.pdf", b"one"), ("bilag.pdf", "bilag (2).pdf", b"four")]
    assert all(i.origin is DropOrigin.VIRTUAL_FILE and i.copied for i in result.items)
    assert all(i.path.stat().st_mode & 0o077 == 0 for i in result.items)
    assert result.staging is not None and result.staging.stat().st_mode & 0o077 == 0
    assert result.staging.parent == staging
    assert result.problems == ["kort.png arrived incomplete (5 of 99 bytes); drag it again."]
    assert result.nothing_readable is None
    result.remove_copies()
    assert not result.staging.exists() and staging.exists()


def test_rtf_mail_attachments_carry_only_the_ansi_descriptor(staging: Path) -> None:
    drop = DropDescription(
        offered=(DESCRIPTOR_A, windows_format("FileContents")),
        data={DESCRIPTOR_A: file_group_descriptor([("Notat.txt", None)], wide=False), file_contents_format(0): b"hej"},
    )
    result = DropDecoder(staging_root=staging).decode(drop)
    assert [(i.name, i.path.read_bytes()) for i in result.items] == [("Notat.txt", b"hej")]


def two_mails_with_the_same_name() -> DropDescription:
    """Two mails with the same subject: names repeat, and Qt reads no bytes for them (IStorage)."""
    return DropDescription(
        offered=tuple(CLASSIC_OUTLOOK_MAIL_FORMATS),
        data={DESCRIPTOR_W: file_group_descriptor([("SV: Ansøgning.msg", None), ("SV: Ansøgning.msg", None)]),
              file_contents_format(0): b"", file_contents_format(1): b""},
    )


def test_outlook_mails_saved_through_automation_and_matched_by_name(samples: Path, staging: Path,
                                                                    tmp_path: Path) -> None:
    content = (samples / "msg" / "TxtSampleEmail.msg").read_bytes()
    first, second = FakeMailItem("SV: Ansøgning", content), FakeMailItem("SV: Ansøgning", content)
    other = FakeMailItem("Nyhedsbrev", b"never saved")
    outlook = OutlookAutomation(connect=lambda: FakeOutlook([other, first, second]))
    result = DropDecoder(staging_root=staging, outlook=outlook).decode(two_mails_with_the_same_name())
    assert [(i.name, i.path.name, i.origin) for i in result.items] == [
        ("SV: Ansøgning.msg", "SV_ Ansøgning.msg", DropOrigin.OUTLOOK_ITEM),
        ("SV: Ansøgning.msg", "SV_ Ansøgning (2).msg", DropOrigin.OUTLOOK_ITEM)]
    assert first.saved_as[0][1] == 9 and second.saved_as[0][1] == 9 and other.saved_as == []
    assert result.problems == [] and result.nothing_readable is None
    candidate = propose(result.items[1].path, settings=IntakeSettings(scratch_dir=tmp_path / "scratch"))
    assert candidate.kind is ItemKind.EMAIL and candidate.metadata.title == "TxtSampleEmail"


def test_outlook_selection_that_differs_from_the_drag(staging: Path) -> None:
    only_one = FakeMailItem("SV: Ansøgning", b"msg bytes")
    outlook = OutlookAutomation(connect=lambda: FakeOutlook([only_one, FakeMailItem("Andet", b"x")]))
    result = DropDecoder(staging_root=staging, outlook=outlook).decode(two_mails_with_the_same_name())
    assert len(result.items) == 1
    assert result.problems == ["SV: Ansøgning.msg is no longer selected in Outlook; select it and drag it again, "
                               "or save it from Outlook and drop the file."]


def test_outlook_mails_without_automation_explain_the_way_forward(staging: Path) -> None:
    result = DropDecoder(staging_root=staging, outlook=None).decode(two_mails_with_the_same_name())
    assert result.items == []
    assert result.nothing_readable is NothingReadable.OUTLOOK_ITEMS
    assert "Save it from Outlook" in result.explanation


def test_outlook_not_running(staging: Path) -> None:
    def refuse() -> None:
        raise OSError("Operation unavailable")

    result = DropDecoder(staging_root=staging, outlook=OutlookAutomation(connect=refuse)).decode(
        two_mails_with_the_same_name())
    assert result.items == [] and result.nothing_readable is NothingReadable.OUTLOOK_ITEMS
    assert "did not hand over" in result.problems[0]


def test_thunderbird_temp_mails_are_copied_at_once(staging: Path, tmp_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    mails = []
    for n in (1, 2):
        mail = temp / "nsmail.eml" if n == 1 else temp / "nsmail-1.eml"
        mail.write_bytes(f"From: a@example.dk\r\nSubject: Mail {n}\r\nDate: Tue, 14 Nov 2023 10:00:00 +0100\r\n\r\nx"
                         .encode())
        mails.append(mail)
    drop = DropDescription(offered=tuple(THUNDERBIRD_FORMATS), files=tuple(mails))
    result = DropDecoder(staging_root=staging, temp_roots=(temp,)).decode(drop)
    for mail in mails:
        mail.unlink()  # Thunderbird deletes them half a second after the drop
    assert [i.origin for i in result.items] == [DropOrigin.TEMP_COPY, DropOrigin.TEMP_COPY]
    titles = [propose(i.path, settings=IntakeSettings(scratch_dir=tmp_path / "s")).metadata.title for i in result.items]
    assert titles == ["Mail 1", "Mail 2"]
    assert all(i.path.stat().st_mode & 0o077 == 0 for i in result.items)


def test_explorer_files_and_folders_are_read_in_place(staging: Path, tmp_path: Path) -> None:
    folder = tmp_path / "Sag 42"
    (folder / "bilag").mkdir(parents=True)
    for name in ("brev.pdf", "~$brev.docx", "Thumbs.db", "bilag/foto.jpg", ".git/config"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"x")
    single = tmp_path / "notat.txt"
    single.write_text("hej")
    empty = tmp_path / "tom"
    empty.mkdir()
    drop = DropDescription(offered=("text/uri-list",),
                           files=(single, folder, empty, tmp_path / "gone.pdf"))
    result = DropDecoder(staging_root=staging, temp_roots=(tmp_path / "elsewhere",)).decode(drop)
    assert [(i.path, i.origin) for i in result.items] == [
        (single, DropOrigin.FILE), (folder / "brev.pdf", DropOrigin.FOLDER), (folder / "bilag" / "foto.jpg", DropOrigin.FOLDER)]
    assert not any(i.copied for i in result.items) and result.staging is None
    assert result.problems == ["The folder tom holds no files to file.",
                               "gone.pdf is no longer there; it may have been moved or deleted."]


@pytest.mark.parametrize("formats, reason, words", [
    (NEW_OUTLOOK_FORMATS, NothingReadable.NEW_OUTLOOK, "new Outlook"),
    (MAC_OUTLOOK_FORMATS, NothingReadable.FILE_PROMISE, "promised file"),
    (["text/plain"], NothingReadable.TEXT_ONLY, "only text"),
    ([], NothingReadable.UNKNOWN, "Nothing that caseclient can read"),
])
def test_drags_without_files_get_an_explanation(staging: Path, formats: list[str], reason: NothingReadable,
                                                words: str) -> None:
    drop = DropDescription(offered=tuple(formats), data={f: b'{"itemIds": ["AAMk"]}' for f in formats})
    result = DropDecoder(staging_root=staging).decode(drop)
    assert result.items == [] and result.nothing_readable is reason and words in result.explanation
    assert result.staging is None


def test_intake_and_drop_decoding_load_no_qt() -> None:
    code = ("import sys, caseclient.intake, caseclient.intake.drop; "
            "sys.exit(any(m.startswith('PySide6') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0


@settings(max_examples=500, deadline=None, database=None, derandomize=True)
@given(data=st.binary(max_size=2000), wide=st.booleans())
def test_any_descriptor_bytes_parse_without_error(data: bytes, wide: bool) -> None:
    for descriptor in parse_file_group_descriptor(data, wide=wide):
        assert isinstance(descriptor.name, str)


def test_virtual_mails_without_content_from_new_outlook(staging: Path) -> None:
    drop = DropDescription(
        offered=("chromium/x-web-custom-data", DESCRIPTOR_W, windows_format("FileContents")),
        data={DESCRIPTOR_W: file_group_descriptor([("Ansøgning.eml", None)]), file_contents_format(0): b""},
    )
    outlook = OutlookAutomation(connect=lambda: FakeOutlook([FakeMailItem("Ansøgning", b"x")]))
    result = DropDecoder(staging_root=staging, outlook=outlook).decode(drop)
    assert result.items == [] and result.problems == ["Ansøgning.eml came without its content."]
    assert result.nothing_readable is NothingReadable.NEW_OUTLOOK  # classic Outlook is not asked


def test_dropped_files_that_are_gone_are_problems_not_explanations(staging: Path, tmp_path: Path) -> None:
    result = DropDecoder(staging_root=staging).decode(
        DropDescription(offered=("text/uri-list",), files=(tmp_path / "gone.pdf",)))
    assert result.items == [] and result.nothing_readable is None and len(result.problems) == 1


@pytest.mark.parametrize("name, subject, same", [
    ("SV_ Ansøgning.msg", "SV: Ansøgning", True),
    ("Re  Møde om budget 2024.msg", "Re: Møde om budget 2024?", True),
    ("Ansøgning om byggetilladelse til carport på matri.msg",
     "Ansøgning om byggetilladelse til carport på matrikel 12a", True),
    ("Ansøgning.msg", "Ansøgning om tilskud", False),
    ("Møde.msg", "Mode", False),
])
def test_descriptor_names_match_outlook_subjects(name: str, subject: str, same: bool) -> None:
    assert names_match(name, subject) is same
