"""`caseclient doctor`'s text keeps its words when it redacts: only secrets and CPR numbers go."""

from __future__ import annotations

import pytest
from memory_keyring import memory_keyring  # noqa: F401  (fixture)
from net_support import reference, settings_from  # noqa: F401  (fixture)

from caseclient.backends.oio import OioService
from caseclient.commands.doctor import OK, DoctorReport, check_data_folder, run_doctor, sign_in_sentence
from caseclient.credentials import CredentialStore, SecretKind
from caseclient.redaction import redact
from caseclient.server.auth import AuthSwitches, protect

SECRET = "Doctor-Secret-5fa9c1"


def test_the_sign_in_line_reads_the_same_before_and_after_redaction(reference, memory_keyring):
    protect(reference, AuthSwitches("basic", username="jens", password=SECRET))
    CredentialStore().set(reference.url, SecretKind.PASSWORD, SECRET, account="jens")
    settings = settings_from(service__url=reference.url, auth__mode="basic", auth__username="jens")
    report = run_doctor(settings, connect=lambda s: OioService(reference.url, s))
    sign_in = next(c for c in report.checks if c.name == "sign-in")
    assert sign_in.status == OK
    assert sign_in.detail == "the secret is in the keyring (sign-in mode basic)"  # was "basic: the [redacted] ..."
    assert "[redacted]" not in report.as_text() and SECRET not in report.as_text()


@pytest.mark.parametrize("mode", ["none", "token", "basic", "ntlm", "negotiate", "client_certificate",
                                  "oauth2_client_credentials", "oauth2_password", "oauth2_authorization_code"])
@pytest.mark.parametrize("oauth2", [False, True])
def test_every_sign_in_sentence_survives_redaction_word_for_word(mode, oauth2):
    sentence = sign_in_sentence(mode, oauth2=oauth2)
    assert redact(sentence) == sentence
    assert redact(f"[  OK   ] sign-in: {sentence} (12 ms)") == f"[  OK   ] sign-in: {sentence} (12 ms)"


def test_the_data_folder_line_keeps_its_words(tmp_path):
    data = tmp_path / "data-070761"
    (data / "outbox-kept-20260101-000000").mkdir(parents=True)
    (data / "outbox-kept-20260101-000000" / ("0" * 36 + ".bin")).write_bytes(b"x")
    report = DoctorReport()
    check_data_folder(report, data)
    [check] = report.checks
    assert check.detail == redact(check.detail)
    assert "1 document copy from a lost outbox database" in check.detail
