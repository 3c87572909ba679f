"""Layered settings: built-in defaults < organisation profile < machine policy < user < command line.

Each value remembers its source; machine policy values are locked with a reason. Qt-free.
"""

from .layers import (
    POLICY_REGISTRY_KEY,
    RegistryReader,
    SettingsError,
    SourceKind,
    WindowsRegistry,
    parse_assignments,
)
from .schema import AUTH_MODES, BY_KEY, SETTINGS, Setting
from .settings import (
    Lock,
    Settings,
    SettingsFiles,
    SettingValue,
    load_settings,
    machine_policy_path,
    organisation_profile_path,
    user_settings_path,
)
from .user_file import save_user_setting

__all__ = [
    "AUTH_MODES", "BY_KEY", "Lock", "POLICY_REGISTRY_KEY", "RegistryReader", "SETTINGS", "Setting",
    "SettingValue", "Settings", "SettingsError", "SettingsFiles", "SourceKind", "WindowsRegistry",
    "load_settings", "machine_policy_path", "organisation_profile_path", "parse_assignments",
    "save_user_setting", "user_settings_path",
]
