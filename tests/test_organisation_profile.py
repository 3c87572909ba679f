"""The organisation profile (briefcase.toml): documented, valid, carried into the app, and its
values and locks reach the app's settings."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import uuid
from pathlib import Path

import pytest

from caseclient.config import (
    BY_KEY,
    SettingsError,
    SettingsFiles,
    SourceKind,
    load_settings,
    save_user_setting,
)
from caseclient.domain import Direction, Sensitivity
from caseclient.watch.folders import AfterFiling, ObserverKind, RoutingRule, load_scan_folders

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "briefcase.toml"
PACKAGE = ROOT / "src" / "caseclient"
EXAMPLE = re.compile(r"^# (?P<line>.*)$")
EXAMPLE_KEY = re.compile(r"^# (?P<name>[a-z_]+) = ")
TABLE = re.compile(r"^\[(?P<table>[a-z_]+)\]$")


def with_examples(text: str) -> str:
    """The profile with every example line ("# ...", not "## ...") switched on."""
    return "\n".join(m["line"] if (m := EXAMPLE.match(line)) else line for line in text.splitlines()) + "\n"


def documented_keys(text: str) -> set[str]:
    keys: set[str] = set()
    table = None
    for line in text.splitlines():
        if m := TABLE.match(line):
            table = m["table"]
        elif table and (m := EXAMPLE_KEY.match(line)):
            keys.add(f"{table}.{m['name']}")
    return keys


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The shipped profile with all its examples on, as an admin would fill it in; the certificate
    files it names are made in tmp_path."""
    text = with_examples(PROFILE.read_text(encoding="utf-8"))
    for name in ("corporate-ca.pem", "client.pem", "client.key"):
        (tmp_path / name).write_text("-----BEGIN PLACEHOLDER-----\n", encoding="utf-8")
        text = text.replace(f'"/etc/caseclient/{name}"', f'"{name}"')
    path = tmp_path / "briefcase.toml"
    path.write_text(text, encoding="utf-8")
    return path


def files(organisation: Path, tmp_path: Path, **layers: str) -> SettingsFiles:
    """Settings from `organisation`, plus policy/user files with the given contents."""
    written = {}
    for kind in ("policy", "user"):
        written[kind] = tmp_path / kind / f"{kind}.toml"
        if kind in layers:
            written[kind].parent.mkdir(parents=True, exist_ok=True)
            written[kind].write_text(layers[kind], encoding="utf-8")
    return SettingsFiles(organisation=organisation, policy=written["policy"], user=written["user"])


def test_every_setting_is_documented_with_an_example():
    missing = sorted(set(BY_KEY) - documented_keys(PROFILE.read_text(encoding="utf-8")))
    assert not missing, f"briefcase.toml has no commented example for {', '.join(missing)}"


def test_the_shipped_profile_sets_nothing_so_an_unedited_build_runs_the_demo(tmp_path):
    settings = load_settings(files(PROFILE, tmp_path))
    assert {entry.source for entry in settings} == {SourceKind.DEFAULT}
    assert settings["service.url"] == ""


def test_the_examples_reach_the_settings_as_organisation_values(sample, tmp_path):
    settings = load_settings(files(sample, tmp_path))
    expected = {
        "service.kind": "oio",
        "service.url": "https://lora.aarhus.example.dk/",
        "auth.mode": "oauth2_authorization_code",
        "auth.client_id": "caseclient-desktop",
        "auth.oidc_issuer": "https://login.aarhus.example.dk/realms/kommune",
        "auth.sign_in_timeout": 300,
        "tls.ca_bundle": str(tmp_path / "corporate-ca.pem"),
        "network.proxy": "http://proxy.aarhus.example.dk:8080",
        "network.read_timeout": 120,
        "logging.level": "INFO",
    }
    assert {key: settings[key] for key in expected} == expected
    everything = {entry.key: (entry.source, entry.origin) for entry in settings}
    assert everything == {key: (SourceKind.ORGANISATION, str(sample)) for key in BY_KEY}


def test_locked_values_carry_their_reason_and_the_rest_stay_open(sample, tmp_path):
    settings = load_settings(files(sample, tmp_path))
    url = settings.entry("service.url")
    assert url.locked and url.lock is not None
    assert url.lock.reason == "Aarhus Kommune IT decides where documents are filed (ask the service desk)"
    assert url.lock.origin == str(sample)
    mode = settings.entry("auth.mode").lock
    assert mode is not None and mode.reason == "Single sign-on is required (information security policy 4.2)"
    locked = {entry.key for entry in settings if entry.locked}
    assert locked == {"service.kind", "service.url", "auth.mode", "auth.client_id", "auth.oidc_issuer"}


def test_users_change_open_values_but_not_locked_ones(sample, tmp_path):
    user = '[service]\nurl = "https://elsewhere.example.dk/"\n[network]\nread_timeout = 30\n'
    settings = load_settings(files(sample, tmp_path, user=user))
    assert settings["service.url"] == "https://lora.aarhus.example.dk/"  # the user's value is ignored
    assert settings.entry("service.url").source is SourceKind.ORGANISATION
    assert (settings["network.read_timeout"], settings.entry("network.read_timeout").source) == (30, SourceKind.USER)

    save_user_setting(settings, "network.connect_timeout", 3)
    with pytest.raises(SettingsError, match=r"setting 'auth.mode' is locked by .*briefcase.toml \(Single sign-on"):
        save_user_setting(settings, "auth.mode", "basic")


def test_the_command_line_may_not_change_a_locked_value(sample, tmp_path):
    layers = files(sample, tmp_path)
    attempt = SettingsFiles(layers.organisation, layers.policy, layers.user,
                            command_line={"service.url": "https://elsewhere.example.dk/"})
    with pytest.raises(SettingsError) as caught:
        load_settings(attempt)
    assert str(caught.value) == (
        f"the command line: setting 'service.url' is locked by {sample} "
        "(Aarhus Kommune IT decides where documents are filed (ask the service desk)) and cannot be changed."
    )


def test_machine_policy_still_wins_over_a_locked_profile_value(sample, tmp_path):
    policy = '[policy]\nreason = "Scan station"\n[service]\nurl = "https://scan.aarhus.example.dk/"\n'
    settings = load_settings(files(sample, tmp_path, policy=policy))
    url = settings.entry("service.url")
    assert (url.value, url.source) == ("https://scan.aarhus.example.dk/", SourceKind.POLICY)
    assert url.lock is not None and url.lock.reason == "Scan station"


@pytest.mark.parametrize(("locks", "message"), [
    ('[locks]\nsettings = ["service.url"]\n',
     "setting 'locks.settings' names service.url, which this file does not set."),
    ('[service]\nurl = "https://x.example"\n[locks]\nsettings = ["service.ulr"]\n',
     "setting 'service.ulr' is not a setting caseclient knows (check the spelling)."),
    ('[locks]\nsettings = "service.url"\n',
     "setting 'locks.settings' must be a list of setting names in quotes."),
    ('[locks]\nunlocked = ["service.url"]\n',
     "setting 'locks.unlocked' is not known (use settings, reason or reasons)."),
    ('[locks]\nreason = 42\n',
     "setting 'locks.reason' must be text in quotes."),
    ('locks = ["service.url"]\n',
     "'locks' must be a [locks] table."),
])
def test_a_bad_locks_table_is_one_sentence_naming_the_file(tmp_path, locks, message):
    profile = tmp_path / "briefcase.toml"
    profile.write_text(locks, encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        load_settings(files(profile, tmp_path))
    assert str(caught.value) == f"{profile}: {message}"


def test_the_scan_stations_folders_in_the_profile_are_read_by_caseclient_watch(sample):
    """`caseclient watch --folders <app folder>/briefcase.toml` reads the [[folder]] tables."""
    (folder,) = load_scan_folders(sample)
    assert folder.path == Path(r"\\fileserver\scan\borgerservice")
    assert (folder.recursive, folder.after_filing, folder.observer) == (True, AfterFiling.MOVE_TO_DONE, ObserverKind.AUTO)
    assert folder.routing == (RoutingRule.FILE_NAME, RoutingRule.COVER_SHEET, RoutingRule.TEXT)
    assert (folder.defaults.direction, folder.defaults.document_type, folder.defaults.sensitivity) == (
        Direction.INCOMING, "Brev", Sensitivity.NORMAL)
    assert folder.done_folder == folder.path / "Done"


def test_the_build_carries_the_profile_into_the_app_folder():
    briefcase = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["briefcase"]
    sources = briefcase["app"]["caseclient"]["sources"]
    # Briefcase copies each source into the app folder under its own name: caseclient/ and
    # briefcase.toml end up side by side, which is where the installed app looks.
    assert {"src/caseclient", "briefcase.toml"} <= set(sources)


def test_the_installed_app_layout_finds_the_profile_beside_the_package(sample, tmp_path):
    """The folder layout every Briefcase installer gives: app/caseclient/ and app/briefcase.toml."""
    app = tmp_path / "app"
    shutil.copytree(PACKAGE, app / "caseclient", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(sample, app / "briefcase.toml")
    for name in ("corporate-ca.pem", "client.pem", "client.key"):  # relative to the profile
        shutil.copy(tmp_path / name, app / name)
    probe = (
        "import json, caseclient\n"
        "from caseclient.config import SettingsFiles, load_settings, organisation_profile_path\n"
        "s = load_settings(SettingsFiles(organisation=organisation_profile_path()))\n"
        "e = s.entry('service.url')\n"
        "print(json.dumps([caseclient.__file__, str(organisation_profile_path()), e.value,"
        " e.source.name, e.lock.reason if e.lock else None]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("CASECLIENT_PROFILE", "PYTHONPATH")}
    env |= {"PYTHONPATH": str(app), "CASECLIENT_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", probe], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    package_file, found, url, source, reason = json.loads(done.stdout)
    assert Path(package_file).parent == app / "caseclient"
    assert (found, url, source) == (str(app / "briefcase.toml"), "https://lora.aarhus.example.dk/", "ORGANISATION")
    assert reason == "Aarhus Kommune IT decides where documents are filed (ask the service desk)"


def test_the_windows_installer_identity_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    windows = project["tool"]["briefcase"]["app"]["caseclient"]["windows"]
    assert windows["system_installer"] is True
    assert str(uuid.UUID(windows["guid"])) == windows["guid"]
    # Windows Installer compares three numbers; they must be the package's version.
    assert re.fullmatch(r"\d+\.\d+\.\d+", windows["version_triple"])
    assert windows["version_triple"] == project["project"]["version"]
