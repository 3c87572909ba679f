"""The start-at-login files run the program where each installer puts it."""

from __future__ import annotations

import configparser
import plistlib
import tomllib
from pathlib import Path

from reg_file import read_reg_file

ROOT = Path(__file__).resolve().parents[1]
INSTALLERS = ROOT / "installers"
BRIEFCASE = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["briefcase"]
APP = BRIEFCASE["app"]["caseclient"]


def test_start_at_login_runs_the_program_where_the_msi_installs_it():
    # Without the full install path, Briefcase's MSI installs to Program Files\<formal name>.
    assert APP["windows"]["use_full_install_path"] is False
    program = f'"C:\\Program Files\\{APP["formal_name"]}\\{APP["formal_name"]}.exe"'
    keys = read_reg_file(INSTALLERS / "windows" / "start-at-login.reg")
    assert keys[r"SOFTWARE\Microsoft\Windows\CurrentVersion\Run"] == {"caseclient": program}


def test_the_macos_launch_agent_starts_the_app_bundle_in_applications():
    agent = plistlib.loads((INSTALLERS / "macos" / "dk.caseclient.caseclient.plist").read_bytes())
    name = APP["formal_name"]
    assert agent["Label"] == f"{BRIEFCASE['bundle']}.caseclient"
    assert agent["ProgramArguments"] == [f"/Applications/{name}.app/Contents/MacOS/{name}"]
    assert agent["RunAtLoad"] is True


def test_the_linux_autostart_entry_starts_the_installed_program_with_its_icon():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(INSTALLERS / "linux" / "caseclient-autostart.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    # The .deb installs /usr/bin/<app name> and its icon under the bundle identifier.
    assert desktop["Exec"] == "/usr/bin/caseclient"
    assert desktop["Icon"] == f"{BRIEFCASE['bundle']}.caseclient"
    assert desktop["Type"] == "Application"
