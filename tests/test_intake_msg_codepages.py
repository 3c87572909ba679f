"""Outlook items without Unicode strings, written here in many languages and code pages: the title,
sender and body are read in the code page the strings really use, whatever page the item names."""

from __future__ import annotations

import struct
import uuid
from pathlib import Path

import pytest
from extract_msg.ole_writer import OleWriter
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from caseclient.intake import IntakeSettings, ItemKind, propose, release

MESSAGE_CODEPAGE, INTERNET_CPID, LOCALE = 0x3FFD0003, 0x3FDE0003, 0x3FF10003

# What a mailbox in each language holds, its Windows code page and an Outlook locale (LCID) using it.
LANGUAGES = {
    "russian": (1251, 1049, ["Автоматический ответ", "Свиридов Дмитрий", "заявление на пособие"]),
    "japanese": (932, 1041, ["コム ドット イグザンプル 殿", "テスト メッセージ", "会議室の予約"]),
    "chinese-simplified": (936, 2052, ["桂 灵君", "收件箱", "会议通知"]),
    "chinese-traditional": (950, 1028, ["格式測試", "張毓倫", "中文測試"]),
    "danish": (1252, 1030, ["Kære Åse – møde på fredag", "Søren Ærø", "Ansøgning om støtte"]),
    "greek": (1253, 1032, ["Αυτόματη απάντηση", "Συνάντηση την Παρασκευή", "Γιώργος Παπαδόπουλος"]),
    "polish": (1250, 1045, ["Zażółć gęślą jaźń", "Wniosek o zasiłek", "Łukasz Żółkiewski"]),
}


def legacy_msg(path: Path, subject: str, sender: str, body: str, code_page: int, declared: dict[int, int]) -> Path:
    """A minimal IPM.Note whose strings are 8-bit (PT_STRING8) in `code_page`; `declared` its code-page props."""
    codec = f"cp{code_page}"
    strings = {0x001A: b"IPM.Note", 0x0037: subject.encode(codec), 0x0C1A: sender.encode(codec),
               0x1000: body.encode(codec)}
    writer = OleWriter()
    writer.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):
        writer.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", data=b"")
    entries = [struct.pack("<IIII", 0x340D0003, 6, 0x00020000, 0)]  # store support: no STORE_UNICODE_OK
    entries += [struct.pack("<IIII", tag, 6, value, 0) for tag, value in declared.items()]
    for prop_id, data in strings.items():
        writer.addEntry(f"__substg1.0_{prop_id:04X}001E", data=data)
        entries.append(struct.pack("<IIII", (prop_id << 16) | 0x001E, 6, len(data) + 1, 0))
    writer.addEntry("__properties_version1.0", data=b"\x00" * 32 + b"".join(entries))
    writer.write(str(path))
    return path


@pytest.fixture
def settings(tmp_path: Path) -> IntakeSettings:
    return IntakeSettings(scratch_dir=tmp_path / "scratch")


def declarations(code_page: int, lcid: int) -> st.SearchStrategy[dict[int, int]]:
    """How Outlook items name their code page: rightly, or wrongly with a locale that tells the truth."""
    right = [{MESSAGE_CODEPAGE: code_page}, {INTERNET_CPID: code_page}, {MESSAGE_CODEPAGE: code_page, LOCALE: lcid}]
    wrong = [{MESSAGE_CODEPAGE: 1252, INTERNET_CPID: 20127, LOCALE: lcid}, {INTERNET_CPID: 20127, LOCALE: lcid},
             {LOCALE: lcid}]
    if code_page == 932:
        wrong.append({INTERNET_CPID: 50220})  # ISO-2022-JP names the mail charset, not the stored one
    if code_page == 1250:
        # Polish in Windows-1250 also reads cleanly as Windows-1252 ('zasi³ek'), so a mail that
        # declares 1252 is read as 1252 when its text is short: a known limit, not tested as solved.
        wrong = [w for w in wrong if 1252 not in w.values()]
    return st.sampled_from(right + (wrong if code_page != 1252 else []))


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(language=st.sampled_from(sorted(LANGUAGES)), data=st.data())
def test_legacy_strings_are_read_in_their_real_code_page(tmp_path: Path, language: str, data: st.DataObject) -> None:
    code_page, lcid, words = LANGUAGES[language]
    subject, sender, body = (data.draw(st.sampled_from(words)) for _ in range(3))
    declared = data.draw(declarations(code_page, lcid))
    path = legacy_msg(tmp_path / f"{uuid.uuid4().hex}.msg", f"Sag 27.24.00-G01-1-24 {subject}", sender,
                      f"{body}\r\n", code_page, declared)
    candidate = propose(path, settings=IntakeSettings(scratch_dir=tmp_path / "scratch"))
    try:
        assert candidate.kind is ItemKind.EMAIL
        assert candidate.metadata.title == f"Sag 27.24.00-G01-1-24 {subject}"
        assert candidate.metadata.sender is not None and candidate.metadata.sender.name == sender
        assert candidate.metadata.sender.email is None  # a name without an address is no address
        assert candidate.warnings == ()
    finally:
        release(candidate)


def test_no_control_characters_reach_the_title(tmp_path: Path, settings: IntakeSettings) -> None:
    """Big5 bytes declared as Latin-1 (C1 controls if taken at their word), with no locale: the detector
    reads them, given a sentence of body text (a few characters alone are as much Korean as Chinese)."""
    body = "這是一封關於申請補助的信件，請查收附件並回覆。謝謝您的協助。"
    path = legacy_msg(tmp_path / "big5.msg", "MSG 格式測試", "張毓倫", body, 950, {MESSAGE_CODEPAGE: 28591})
    candidate = propose(path, settings=settings)
    assert candidate.metadata.title == "MSG 格式測試"
    assert not any(0x80 <= ord(c) < 0xA0 or ord(c) < 32 for c in candidate.metadata.title)


WRONG_PAGE = {MESSAGE_CODEPAGE: 1252, INTERNET_CPID: 20127}


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"danish"}))
@pytest.mark.parametrize("word", range(3))
def test_every_word_opens_though_the_declared_page_cannot_decode_it(tmp_path: Path, language: str, word: int) -> None:
    """extract-msg decodes some strings as it opens, in the declared page: a byte that page lacks
    (0x81 in Shift_JIS text declared as Windows-1252) once refused the whole mail as damaged."""
    code_page, lcid, words = LANGUAGES[language]
    path = legacy_msg(tmp_path / "mail.msg", words[word], words[word], f"{words[word]}\r\n", code_page,
                      {**WRONG_PAGE, LOCALE: lcid})
    candidate = propose(path, settings=IntakeSettings(scratch_dir=tmp_path / "scratch"))
    try:
        assert candidate.kind is ItemKind.EMAIL
        if language != "polish":
            # One short Polish word reads cleanly in Windows-1252 too ('zasi³ek'): with nothing
            # more to go on, the declared page stands (longer Polish mails: the test above).
            assert candidate.metadata.title == words[word]
            assert candidate.metadata.sender is not None and candidate.metadata.sender.name == words[word]
    finally:
        release(candidate)
