"""The settings window: every setting with its source; policy values read-only with their reason."""

from __future__ import annotations

from caseclient.config import SETTINGS, SettingsFiles, load_settings
from caseclient.connection import system_name
from caseclient.gui.settings_dialog import SettingsDialog


def test_values_sources_and_locks_are_shown_and_nothing_is_editable(qtbot, tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text('[service]\nurl = "https://lora.aarhus.example.dk/"\n', encoding="utf-8")
    settings = load_settings(SettingsFiles(policy=policy, command_line={"logging.level": "DEBUG"}))
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(SETTINGS)
    key, value, source, locked = dialog.row_of("service.url")
    assert value == "https://lora.aarhus.example.dk/"
    assert source.startswith("machine policy") and str(policy) in source
    assert locked == settings.entry("service.url").lock.reason and locked
    assert dialog.row_of("logging.level")[1:] == ["DEBUG", "command line", ""]
    assert dialog.row_of("network.proxy")[2] == "built-in default"
    item = dialog.table.item(0, 1)
    assert not dialog.table.editTriggers() and item.text() == str(settings.entry(SETTINGS[0].key).value)


def test_the_tray_menu_opens_it(desktop, qtbot, tmp_path):
    desktop.settings = load_settings(SettingsFiles(command_line={"service.caseworker": "urn:x"}))
    desktop.tray.settings_action.trigger()
    qtbot.waitUntil(lambda: desktop.settings_dialog.isVisible())
    assert desktop.settings_dialog.row_of("service.caseworker")[1] == "urn:x"
    desktop.settings_dialog.reject()


def test_the_window_and_the_settings_name_the_system_caseclient_files_into(qtbot, desktop):
    settings = load_settings(SettingsFiles(command_line={"service.kind": "sbsys",
                                                         "service.url": "https://sbsys.example.dk/"}))
    dialog = SettingsDialog(settings, system=system_name(settings))
    qtbot.addWidget(dialog)
    assert dialog.system_label.text() == "caseclient files into SBSYS (https://sbsys.example.dk/)."
    desktop.window.show_service(system_name(settings), settings.text("service.url"))
    assert desktop.window.service_label.text() == "Files into SBSYS at https://sbsys.example.dk/"
    desktop.window.show_service("GetOrganized", "")
    assert desktop.window.service_label.text() == "Files into GetOrganized (the built-in reference service)"
