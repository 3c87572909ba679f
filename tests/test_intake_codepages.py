"""Outlook items without Unicode strings: their code page is found, even when the item names a wrong one."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings, strategies as st

from caseclient.intake.codepages import choose_encoding, code_page_of_locale, codec_for

# Words a mailbox in each language holds, and the Windows code page Outlook keeps them in.
TEXTS = {
    1251: ["Автоматический ответ", "Свиридов Дмитрий", "Почта России", "подсистемы обмена данными"],
    932: ["コム ドット イグザンプル 殿", "テスト メッセージ", "会議室の予約", "東京都千代田区"],
    936: ["桂 灵君", "收件箱", "会议通知", "请查收附件"],
    950: ["格式測試", "張毓倫", "中文測試", "會議通知"],
    1252: ["Kære Åse – møde på fredag", "Søren Ærø", "Un sujet bien défini Àéroport", "Grüße aus Köln"],
    1253: ["Αυτόματη απάντηση", "Συνάντηση την Παρασκευή"],
    1250: ["Zażółć gęślą jaźń", "Příliš žluťoučký kůň"],
}
LOCALES = {1251: 1049, 932: 1041, 936: 2052, 950: 1028, 1252: 1030, 1253: 1032, 1250: 1045}


def strings_of(code_page: int, words: list[str]) -> list[bytes]:
    return [w.encode(codecs.lookup(f"cp{code_page}").name) for w in words] + [b"IPM.Note", b"SMTP"]


@pytest.mark.parametrize("code_page", sorted(TEXTS))
def test_the_declared_code_page_reads_the_strings(code_page: int) -> None:
    chosen = choose_encoding(strings_of(code_page, TEXTS[code_page]), [code_page])
    assert [s.decode(chosen) for s in strings_of(code_page, TEXTS[code_page])][:-2] == TEXTS[code_page]


@settings(max_examples=40, deadline=None)
@given(code_page=st.sampled_from(sorted(set(TEXTS) - {1252})), data=st.data())
def test_a_wrong_western_code_page_loses_to_the_locale(code_page: int, data: st.DataObject) -> None:
    """Outlook wrote PR_MESSAGE_CODEPAGE 1252 (or US-ASCII) but the strings are in the locale's code page."""
    words = data.draw(st.lists(st.sampled_from(TEXTS[code_page]), min_size=2, max_size=4))
    wrong = data.draw(st.sampled_from([1252, 20127, 28591]))
    strings = strings_of(code_page, words)
    chosen = choose_encoding(strings, [wrong, code_page_of_locale(LOCALES[code_page])])
    assert [s.decode(chosen) for s in strings][:-2] == words


def test_iso_2022_jp_is_read_as_shift_jis() -> None:
    """contactAnsi.msg's case: PR_INTERNET_CPID 50220 is the mail charset; the strings are Shift_JIS."""
    strings = strings_of(932, TEXTS[932])
    assert choose_encoding(strings, [50220]) == "cp932"
    assert codec_for(50220) == "cp932" and codec_for(20127) is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(min_size=1, max_size=40), max_size=6), st.lists(st.integers(-5, 70000), max_size=4))
def test_any_bytes_and_any_declared_pages_give_a_usable_codec(strings: list[bytes], declared: list[int]) -> None:
    codecs.lookup(choose_encoding(strings, declared))  # never raises, whatever an item declares


def test_ascii_only_strings_keep_the_declared_code_page() -> None:
    assert choose_encoding([b"Subject", b"Body"], [1251]) == "cp1251"
    assert choose_encoding([b"Subject"], []) == "cp1252"


def test_locales_map_to_their_windows_code_page() -> None:
    assert [code_page_of_locale(lcid) for lcid in (1049, 1041, 2052, 1028, 1030, 1031, 0, None)] == \
        [1251, 932, 936, 950, 1252, 1252, None, None]
