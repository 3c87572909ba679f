from datetime import date

import pytest

from caseclient.domain import (
    Cpr,
    Cvr,
    DocumentMetadata,
    Party,
    PartyRole,
    UploadSource,
    find_cprs,
    is_cpr,
    is_cvr,
    is_kle_facet,
    is_kle_number,
    redact_cprs,
)
from caseclient.domain.identifiers import cpr_birth_date


@pytest.mark.parametrize(
    "text, born",
    [
        ("0101701234", date(1970, 1, 1)),
        ("010170-1234", date(1970, 1, 1)),
        ("290200-4321", date(2000, 2, 29)),  # 7th digit 4, year 00 -> 2000, leap day
        ("311299-5555", date(1899, 12, 31)),  # 7th digit 5, year 99 -> 1800s
        ("150520-9876", date(2020, 5, 15)),
    ],
)
def test_cpr_parses_valid_dates_and_centuries(text, born):
    assert Cpr(text).birth_date == born


@pytest.mark.parametrize("text", ["3201701234", "0113701234", "290201-1234", "12345", "010170-12345", "abcdefghij"])
def test_cpr_rejects_bad_formats(text):
    with pytest.raises(ValueError):
        Cpr(text)
    assert not is_cpr(text)


def test_cpr_never_shows_its_last_four_digits():
    cpr = Cpr("010170-1234")
    for shown in (str(cpr), repr(cpr), f"{cpr}", repr(Party(cpr=cpr)), str([cpr]), Party(cpr=cpr).label):
        assert "1234" not in shown
    assert cpr.digits == "0101701234"


def test_error_message_for_bad_cpr_does_not_echo_input():
    with pytest.raises(ValueError) as info:
        Cpr("3201701234")
    assert "3201701234" not in str(info.value)


def test_cvr_check_digit():
    assert Cvr("29189846").digits == "29189846"  # a valid CVR check digit
    assert is_cvr("DK29189846")
    assert not is_cvr("29189847")
    assert not is_cvr("1234567")


def test_redact_and_find_cprs_in_text():
    text = "Borger 010170-1234 og 0202801234, ikke 3213801234 eller tlf 12345678 eller 1234567890123"
    assert redact_cprs(text) == "Borger 010170-xxxx og 020280-xxxx, ikke 3213801234 eller tlf 12345678 eller 1234567890123"
    assert [c.digits for c in find_cprs(text + " 0101701234")] == ["0101701234", "0202801234"]


def test_century_table_edge():
    assert cpr_birth_date("010137", "4000") == date(1937, 1, 1)
    assert cpr_birth_date("010136", "4000") == date(2036, 1, 1)


def test_kle_shapes():
    assert is_kle_number("27.24.00") and is_kle_number("27") and not is_kle_number("27.2")
    assert is_kle_facet("G01") and not is_kle_facet("g01")


def test_party_needs_an_identity_and_keeps_role():
    with pytest.raises(ValueError):
        Party()
    p = Party(name="Anna", email="anna@example.dk").with_role(PartyRole.SENDER)
    assert p.role is PartyRole.SENDER and p.label == "Anna <anna@example.dk>"


def test_metadata_needs_title():
    with pytest.raises(ValueError):
        DocumentMetadata(title="  ", document_date=date(2024, 1, 1))


def test_upload_source_hashes_and_refuses_folders(tmp_path):
    f = tmp_path / "brev æøå.pdf"
    f.write_bytes(b"%PDF-1.4 hello")
    src = UploadSource.from_path(f)
    assert src.size == 14 and src.mime_type == "application/pdf" and len(src.sha256) == 64
    with pytest.raises(IsADirectoryError):
        UploadSource.from_path(tmp_path)
    with pytest.raises(FileNotFoundError):
        UploadSource.from_path(tmp_path / "missing.pdf")
