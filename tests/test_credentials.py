"""Secrets live in the system keyring only; plaintext keyrings are refused."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import chainer, fail
from keyring.backends import SecretService, Windows, macOS
from keyrings.alt.file import PlaintextKeyring
from memory_keyring import MemoryKeyring, memory_keyring  # noqa: F401  (fixture)

from caseclient.credentials import CredentialStore, KeyringError, SecretKind
from caseclient.redaction import redact


def test_secrets_round_trip_per_service_kind_and_account(memory_keyring):
    store = CredentialStore()  # the registered backend
    assert store.backend is memory_keyring
    store.set("https://lora.example/", SecretKind.PASSWORD, "Sommer2026!", account="jens")
    store.set("https://other.example", SecretKind.PASSWORD, "Vinter2026!", account="jens")
    store.set("https://lora.example", SecretKind.TOKEN, "tok-123456")
    assert store.get("https://lora.example", SecretKind.PASSWORD, "jens") == "Sommer2026!"
    assert store.get("https://other.example", SecretKind.PASSWORD, "jens") == "Vinter2026!"
    assert store.get("https://lora.example", SecretKind.PASSWORD, "anne") is None
    assert memory_keyring.secrets[("caseclient https://lora.example", "token")] == "tok-123456"
    store.delete("https://lora.example", SecretKind.TOKEN)
    store.delete("https://lora.example", SecretKind.TOKEN)  # already gone: fine
    assert store.get("https://lora.example", SecretKind.TOKEN) is None


def test_a_secret_once_seen_is_masked_everywhere(memory_keyring):
    memory_keyring.set_password("caseclient https://lora.example", "client_secret", "zq-91-unusual")
    CredentialStore().get("https://lora.example", SecretKind.CLIENT_SECRET)
    assert redact("login failed with zq-91-unusual as secret") == "login failed with [redacted] as secret"


def test_plaintext_keyring_is_refused():
    with pytest.raises(KeyringError) as err:
        CredentialStore(PlaintextKeyring())
    assert err.value.message == (
        "caseclient cannot keep your sign-in safe: the keyring backend keyrings.alt.file.PlaintextKeyring "
        "stores secrets in plain text; install or unlock the system keyring "
        "(Windows Credential Manager, macOS Keychain, GNOME Keyring or KWallet).")


def test_plaintext_keyring_inside_a_chain_is_refused():
    chain = chainer.ChainerBackend()
    chain.__dict__["backends"] = [MemoryKeyring(), PlaintextKeyring()]
    with pytest.raises(KeyringError, match="PlaintextKeyring stores secrets in plain text"):
        CredentialStore(chain)


def test_no_keyring_at_all_is_refused():
    with pytest.raises(KeyringError, match="no system keyring is available"):
        CredentialStore(fail.Keyring())


def test_system_keyrings_are_accepted():
    for backend in (SecretService.Keyring(), Windows.WinVaultKeyring(), macOS.Keyring()):
        assert CredentialStore(backend).backend is backend


def test_the_default_backend_is_whatever_keyring_chose(memory_keyring):
    assert CredentialStore().backend_name == "memory_keyring.MemoryKeyring"
    assert keyring.get_keyring() is memory_keyring
