"""`caseclient doctor` and `caseclient signin` on the command line."""

from __future__ import annotations

import json

import pytest
from memory_keyring import memory_keyring  # noqa: F401  (fixture)
from net_support import reference  # noqa: F401  (fixture)

from caseclient.cli import main
from caseclient.credentials import CredentialStore, SecretKind


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("CASECLIENT_PROFILE", raising=False)


def test_doctor_prints_a_plain_report(reference, memory_keyring, capsys):
    assert main(["doctor", "--service", reference.url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("caseclient doctor, ")
    assert "[  OK   ] read: a case search answered (1 case)" in out
    assert f"  service.url = '{reference.url}'  (command line)" in out


def test_doctor_json_and_a_failing_check_exit_1(reference, memory_keyring, capsys):
    code = main(["doctor", "--json", "--service", reference.url, "--set", "auth.mode=token"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["ok"] is False
    sign_in = next(c for c in report["checks"] if c["name"] == "sign-in")
    assert sign_in == {"name": "sign-in", "status": "failed", "millis": sign_in["millis"],
                       "detail": f"Sign-in to {reference.url} needs an API token, and the system keyring holds none."}


def test_doctor_with_a_bad_setting_is_one_sentence(capsys):
    assert main(["doctor", "--set", "network.read_timeout=soon"]) == 1
    assert capsys.readouterr().err == (
        "caseclient: the command line: setting 'network.read_timeout' must be a number between 1 and 3600, "
        "not 'soon'.\n")


def test_signin_forget_on_the_command_line(reference, memory_keyring, capsys):
    CredentialStore().set(reference.url, SecretKind.TOKEN, "tok-to-forget")
    assert main(["signin", "--forget", "--service", reference.url]) == 0
    assert capsys.readouterr().out == (
        f"caseclient's secrets for {reference.url} are removed from the system keyring.\n")
    assert memory_keyring.secrets == {}


def test_set_service_url_counts_when_no_service_option_is_given(tmp_path, monkeypatch):
    from caseclient.connection import load_command_line_settings

    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))
    settings = load_command_line_settings(None, ["service.url=https://lora.example.dk"])
    assert settings.text("service.url") == "https://lora.example.dk"
    assert load_command_line_settings("https://other.example.dk", ["service.url=https://lora.example.dk"]).text(
        "service.url") == "https://other.example.dk"
