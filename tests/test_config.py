"""Layered settings: every layer, every lock, every invalid-settings sentence."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from caseclient.config import (
    POLICY_REGISTRY_KEY,
    SettingsError,
    SettingsFiles,
    SourceKind,
    load_settings,
    parse_assignments,
    save_user_setting,
)
from caseclient.config.schema import AUTH_MODES


class FakeRegistry:
    """An HKLM with only the keys given: {"Software\\Policies\\caseclient\\service": {"url": ...}}."""

    def __init__(self, keys: dict[str, dict[str, object]]) -> None:
        self.keys = keys

    def subkeys(self, path: str) -> list[str]:
        if path not in self.keys:
            raise FileNotFoundError(path)
        prefix = path + "\\"
        return [k[len(prefix):] for k in self.keys if k.startswith(prefix) and "\\" not in k[len(prefix):]]

    def values(self, path: str) -> dict[str, object]:
        if path not in self.keys:
            raise FileNotFoundError(path)
        return dict(self.keys[path])


@pytest.fixture
def layout(tmp_path: Path):
    """Empty organisation profile, policy and user files in their own folders."""

    class Layout:
        organisation = tmp_path / "install" / "briefcase.toml"
        policy = tmp_path / "etc" / "policy.toml"
        user = tmp_path / "home" / "settings.toml"

        def write(self, path: Path, text: str) -> Path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return path

        def files(self, registry=None, **command_line) -> SettingsFiles:
            return SettingsFiles(self.organisation, self.policy, self.user, registry,
                                 {k.replace("__", "."): v for k, v in command_line.items()})

        def load(self, registry=None, **command_line):
            return load_settings(self.files(registry, **command_line))

    return Layout()


def test_defaults_when_no_file_exists(layout):
    settings = layout.load()
    url = settings.entry("service.url")
    assert (url.value, url.source, url.origin, url.locked) == ("", SourceKind.DEFAULT, "built-in", False)
    assert settings["auth.mode"] == "none"
    assert settings["network.read_timeout"] == 120.0


def test_each_layer_overrides_the_one_below_and_remembers_its_source(layout):
    layout.write(layout.organisation, '[service]\nurl = "https://org.example"\n'
                                      '[logging]\nlevel = "warning"\nkeep_files = 3\n'
                                      '[network]\nread_timeout = 30\nconnect_timeout = 4\n'
                                      '[installer]\nname = "ignored by settings"\n')
    layout.write(layout.policy, '[policy]\nunlocked = ["network.read_timeout", "network.connect_timeout"]\n'
                                '[network]\nread_timeout = 40\nconnect_timeout = 5\n')
    layout.write(layout.user, "[network]\nread_timeout = 50\n[logging]\nlevel = \"DEBUG\"\n")
    settings = layout.load(network__read_timeout="60")

    def where(key):
        e = settings.entry(key)
        return e.value, e.source

    assert where("service.url") == ("https://org.example", SourceKind.ORGANISATION)
    assert where("logging.keep_files") == (3, SourceKind.ORGANISATION)
    assert where("network.connect_timeout") == (5.0, SourceKind.POLICY)  # unlocked machine default
    assert where("logging.level") == ("DEBUG", SourceKind.USER)
    assert where("network.read_timeout") == (60.0, SourceKind.COMMAND_LINE)
    assert settings.entry("logging.level").origin == str(layout.user)
    assert settings.entry("service.url").origin == str(layout.organisation)
    assert settings.entry("network.read_timeout").origin == "the command line"


def test_policy_file_values_are_locked_with_their_reason(layout):
    layout.write(layout.policy, '[policy]\nreason = "Aarhus IT decides (ticket 42)"\n'
                                '[policy.reasons]\n"logging.level" = "Support needs debug logs"\n'
                                '[service]\nurl = "https://lora.aarhus.example"\n'
                                '[logging]\nlevel = "DEBUG"\n')
    layout.write(layout.user, '[service]\nurl = "https://elsewhere.example"\n[logging]\nlevel = "ERROR"\n')
    settings = layout.load()
    url = settings.entry("service.url")
    assert url.value == "https://lora.aarhus.example"  # the user's older value is ignored
    assert url.source is SourceKind.POLICY
    assert url.lock.reason == "Aarhus IT decides (ticket 42)"
    assert url.lock.origin == str(layout.policy)
    assert settings.entry("logging.level").lock.reason == "Support needs debug logs"


def test_policy_lock_without_a_reason_gets_the_default_one(layout):
    layout.write(layout.policy, '[auth]\nmode = "negotiate"\n')
    lock = layout.load().entry("auth.mode").lock
    assert lock.reason == "set by your organisation's IT department"


def test_a_locked_value_cannot_be_changed_from_the_command_line(layout):
    layout.write(layout.policy, '[policy]\nreason = "IT"\n[service]\nurl = "https://lora.example"\n')
    with pytest.raises(SettingsError) as err:
        layout.load(service__url="https://other.example")
    assert err.value.message == (
        f"the command line: setting 'service.url' is locked by {layout.policy} (IT) and cannot be changed."
    )


def test_a_locked_value_cannot_be_saved_by_the_user(layout):
    layout.write(layout.policy, '[policy]\nreason = "IT"\n[auth]\nmode = "negotiate"\n')
    settings = layout.load()
    with pytest.raises(SettingsError, match=r"setting 'auth.mode' is locked by .*policy.toml \(IT\)"):
        save_user_setting(settings, "auth.mode", "token")
    assert not layout.user.exists()


def test_windows_policy_registry_is_a_locked_layer_over_the_policy_file(layout):
    layout.write(layout.policy, '[service]\nurl = "https://from-file.example"\n[network]\nread_timeout = 30\n')
    root = POLICY_REGISTRY_KEY
    registry = FakeRegistry({
        root: {"Reason": "Group Policy: Borgerservice"},
        root + "\\service": {"url": "https://from-gpo.example"},
        root + "\\network": {"connect_timeout": 7},  # REG_DWORD
        root + "\\logging": {"level": "debug"},  # REG_SZ
    })
    settings = layout.load(registry)
    url = settings.entry("service.url")
    assert url.value == "https://from-gpo.example"
    assert url.origin == "HKLM\\" + root
    assert url.lock.reason == "Group Policy: Borgerservice"
    assert settings["network.connect_timeout"] == 7
    assert settings["logging.level"] == "DEBUG"
    assert settings.entry("network.read_timeout").lock.origin == str(layout.policy)


def test_no_policy_registry_key_means_no_layer(layout):
    settings = layout.load(FakeRegistry({}))
    assert settings.entry("service.url").source is SourceKind.DEFAULT


def test_registry_value_errors_name_the_key(layout):
    root = POLICY_REGISTRY_KEY
    with pytest.raises(SettingsError) as err:
        layout.load(FakeRegistry({root: {}, root + "\\network": {"read_timeout": "soon"}}))
    assert err.value.message == (
        f"HKLM\\{root}: setting 'network.read_timeout' must be a number between 1 and 3600, not 'soon'."
    )
    with pytest.raises(SettingsError, match=r"setting 'url' must sit in a subkey named after its table"):
        layout.load(FakeRegistry({root: {"url": "https://x.example"}}))


def test_user_setting_is_written_read_back_and_removed(layout):
    layout.write(layout.user, '[logging]\nlevel = "WARNING"\n')
    save_user_setting(layout.load(), "service.url", "https://lora.example/")
    assert tomllib.loads(layout.user.read_text()) == {
        "logging": {"level": "WARNING"}, "service": {"url": "https://lora.example/"}}
    assert layout.load().entry("service.url").source is SourceKind.USER
    save_user_setting(layout.load(), "service.url", None)
    assert layout.load().entry("service.url").source is SourceKind.DEFAULT
    with pytest.raises(SettingsError, match=r"setting 'network.read_timeout' must be between 1 and 3600, not 0"):
        save_user_setting(layout.load(), "network.read_timeout", 0)


def test_relative_file_names_are_relative_to_the_settings_file(layout):
    ca = layout.write(layout.organisation.parent / "corporate-ca.pem", "-----BEGIN CERTIFICATE-----\n")
    layout.write(layout.organisation, '[tls]\nca_bundle = "corporate-ca.pem"\n')
    assert layout.load()["tls.ca_bundle"] == str(ca)


def test_parse_assignments():
    assert parse_assignments(["service.url=https://x.example/a=b"]) == {"service.url": "https://x.example/a=b"}
    with pytest.raises(SettingsError, match=r"the command line: '--set service.url' must look like table.name=value."):
        parse_assignments(["service.url"])


INVALID = [
    ('[service]\nurl = "ftp://host"\n', "setting 'service.url' must be a web address such as https://host/path, not 'ftp://host'"),
    ('[service]\nurl = "http://lora.example"\n', "setting 'service.url' must use https:// (plain http is allowed only to this machine), not 'http://lora.example'"),
    ('[service]\nurl = "https://bob:pw@lora.example"\n', "setting 'service.url' must not hold a user name or password; caseclient keeps those in the system keyring"),
    ('[service]\nkind = "share point"\n', "setting 'service.kind' must be the short name of a kind of document service, such as oio, not 'share point'"),
    ('[service]\nurl = 5\n', "setting 'service.url' must be text in quotes, not 5"),
    ('[servce]\nurl = "https://x"\n', "setting 'servce.url' is not a setting caseclient knows (check the spelling)"),
    ('[auth]\npassword = "hunter2"\n', "setting 'auth.password' is a secret, and secrets are never read from settings; caseclient keeps them in the system keyring"),
    ('[auth]\nmode = "magic"\n', "setting 'auth.mode' must be one of " + ", ".join(AUTH_MODES) + ", not 'magic'"),
    ('[auth]\nmode = "basic"\n', "setting 'auth.mode' is basic, which also needs auth.username, and no settings file sets it"),
    ('[auth]\nmode = "oauth2_client_credentials"\nclient_id = "c"\n', "setting 'auth.mode' is oauth2_client_credentials, which also needs auth.token_url or auth.oidc_issuer, and no settings file sets it"),
    ('[auth]\nmode = "client_certificate"\n', "setting 'auth.mode' is client_certificate, which also needs tls.client_certificate, and no settings file sets it"),
    ('[network]\nread_timeout = "soon"\n', "setting 'network.read_timeout' must be a number between 1 and 3600, not 'soon'"),
    ('[network]\nread_timeout = 0\n', "setting 'network.read_timeout' must be between 1 and 3600, not 0"),
    ('[network]\nproxy = "proxy.example"\n', "setting 'network.proxy' must be system, none or a proxy address such as http://proxy:8080, not 'proxy.example'"),
    ('[network]\nproxy = "http://u:p@proxy.example:8080"\n', "setting 'network.proxy' must not hold a password; caseclient keeps passwords in the system keyring"),
    ('[logging]\nkeep_files = 2.5\n', "setting 'logging.keep_files' must be a whole number between 1 and 50, not 2.5"),
    ('[logging]\nlevel = ["DEBUG"]\n', "setting 'logging.level' must be a single value, not a table or a list"),
    ('[tls]\nclient_key = "key.pem"\n', "setting 'tls.client_key' names a file that does not exist: {dir}/key.pem"),
]


@pytest.mark.parametrize("content, expected", INVALID)
def test_invalid_setting_is_one_sentence_naming_file_key_and_problem(layout, content, expected):
    path = layout.write(layout.user, content)
    with pytest.raises(SettingsError) as err:
        layout.load()
    assert err.value.message == f"{path}: " + expected.format(dir=path.parent) + "."
    assert "hunter2" not in err.value.message


def test_client_key_needs_a_certificate(layout):
    key = layout.write(layout.user.parent / "key.pem", "x")
    path = layout.write(layout.user, f'[tls]\nclient_key = "{key}"\n')
    with pytest.raises(SettingsError) as err:
        layout.load()
    assert err.value.message == f"{path}: setting 'tls.client_key' is set, but tls.client_certificate is not."


@pytest.mark.parametrize("content, expected", [
    ("[service\nurl = 1", "is not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 9)."),
    ('service = "https://x"\n', "'service' must be a [table] such as [auth], [filing], [intake], [logging], [network], [service], [tls], not a single value."),
    ('[policy]\nreason = 3\n', "setting 'policy.reason' must be text in quotes."),
    ('[policy]\nlocked = ["service.url"]\n', "setting 'policy.locked' is not known (use reason, reasons or unlocked)."),
    ('[policy]\nunlocked = ["service.urll"]\n', "setting 'service.urll' is not a setting caseclient knows (check the spelling)."),
])
def test_invalid_policy_file(layout, content, expected):
    path = layout.write(layout.policy, content)
    with pytest.raises(SettingsError) as err:
        layout.load()
    assert err.value.message.startswith(str(path))
    assert err.value.message.endswith(expected)


def test_unreadable_and_misplaced_files(layout):
    layout.user.mkdir(parents=True)
    with pytest.raises(SettingsError) as err:
        layout.load()
    assert err.value.message == f"{layout.user} is a folder, not a settings file."
    layout.user.rmdir()
    layout.write(layout.user, "").write_bytes(b"[logging]\nlevel = '\xff'\n")
    with pytest.raises(SettingsError) as err:
        layout.load()
    assert err.value.message == f"{layout.user} is not UTF-8 text."


def test_invalid_command_line_value(layout):
    with pytest.raises(SettingsError) as err:
        layout.load(logging__level="loud")
    assert err.value.message == (
        "the command line: setting 'logging.level' must be one of DEBUG, INFO, WARNING, ERROR, not 'loud'.")


def test_the_undo_window_defaults_to_ten_seconds_and_policy_can_lock_it(layout):
    assert layout.load()["filing.undo_window"] == 10
    layout.write(layout.user, '[filing]\nundo_window = 0\n')
    assert layout.load()["filing.undo_window"] == 0  # the user may turn it off ...
    layout.write(layout.policy, '[policy]\nreason = "Databeskyttelse"\n[filing]\nundo_window = 30\n')
    entry = layout.load().entry("filing.undo_window")
    assert (entry.value, entry.source, entry.lock.reason) == (30, SourceKind.POLICY, "Databeskyttelse")  # ... unless IT locks it
    with pytest.raises(SettingsError, match="setting 'filing.undo_window' is locked"):
        layout.load(filing__undo_window="0")


@pytest.mark.parametrize("value", ["-1", "601", "ti"])
def test_an_undo_window_out_of_range_is_one_sentence(layout, value):
    layout.write(layout.user, f'[filing]\nundo_window = "{value}"\n')
    with pytest.raises(SettingsError, match=r"setting 'filing.undo_window' must be"):
        layout.load()
