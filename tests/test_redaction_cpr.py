"""CPR numbers are masked wherever they hide (issue 15, point 5): touching hyphens, en dashes,
underscores or letters, percent-encoded in URLs, and in what is kept at rest."""

from __future__ import annotations

import re
from datetime import date, timedelta
from urllib.parse import quote, unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseclient.domain import redact_cprs
from caseclient.redaction import KEY_PREFIX, cpr_free, cpr_free_key, redact, shown_name


@pytest.mark.parametrize("text", [
    "2024-070761-4285.pdf",
    "070761-4285-notat",
    "070761–4285",  # en dash
    "070761—4285",  # em dash
    "070761_4285",
    "scan_0707614285_side1.pdf",
    "brev0707614285.pdf",
    "cpr070761-4285x",
    "https://esdh.example/sag?cpr=070761%2D4285&x=1",
    "https://esdh.example/dok/scan%200707614285.pdf",
    "https://esdh.example/dok/070761%E2%80%934285",
    "<070761-4285.1234@mail.example.dk>",
    "070761+4285",
])
def test_the_issues_examples_are_masked(text):
    for masked in (redact(text), redact_cprs(text), cpr_free(text), shown_name(text)):
        assert "4285" not in masked, masked
        assert "070761" in masked  # the date part stays: the mask says what was there


@pytest.mark.parametrize("text", [
    "sag 2024-1234567",  # too short after the year
    "12345678901",  # eleven digits: no CPR
    "3213801234",  # no such date
    "tlf 12345678",
    "00.01.00-P24-1-19",
])
def test_what_is_no_cpr_number_is_kept(text):
    assert redact(text) == text


def _valid_cprs():
    first = date(1900, 1, 1)
    return st.builds(lambda days, serial: (first + timedelta(days=days)).strftime("%d%m%y") + f"{serial:04d}",
                     st.integers(0, 36000), st.integers(0, 9999)).filter(
        lambda cpr: redact_cprs(cpr) != cpr)


_SEPARATORS = st.sampled_from(["", "-", " ", "–", "—", "_", "‐", "−"])
_NO_DIGITS = st.text(alphabet=st.characters(blacklist_categories=("Nd", "Cs")), max_size=12)


@given(cpr=_valid_cprs(), separator=_SEPARATORS, before=_NO_DIGITS, after=_NO_DIGITS)
def test_a_cpr_number_is_masked_whatever_touches_it(cpr, separator, before, after):
    text = before + cpr[:6] + separator + cpr[6:] + after
    masked = redact(text)
    assert cpr not in re.sub(r"\D", "", masked)
    assert redact(masked) == masked  # masking twice changes nothing


@given(cpr=_valid_cprs(), separator=_SEPARATORS, before=_NO_DIGITS, after=_NO_DIGITS)
def test_a_percent_encoded_cpr_number_is_masked(cpr, separator, before, after):
    url = "https://esdh.example/" + quote(before + cpr[:6] + separator + cpr[6:] + after)
    masked = unquote(redact(url))
    assert cpr not in re.sub(r"\D", "", masked), masked


@given(st.text())
def test_redaction_never_fails(text):
    redact(text)
    cpr_free_key(text)


@given(cpr=_valid_cprs(), local=st.text(alphabet="abcdef0123456789.", max_size=20).map(lambda s: s + "."))
def test_a_message_id_is_kept_as_a_key_that_matches_without_the_number(cpr, local):
    message_id = f"<{local}{cpr[:6]}-{cpr[6:]}@kommune.dk>"
    key = cpr_free_key(message_id)
    assert key.startswith(KEY_PREFIX) and cpr not in key and cpr[6:] not in key[:len(KEY_PREFIX)]
    assert cpr_free_key(message_id) == key and cpr_free_key(key) == key
    assert cpr_free_key("<abc@kommune.dk>") == "<abc@kommune.dk>"
