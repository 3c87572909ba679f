"""Reading one settings layer: a TOML file, the Windows policy registry, or the command line.

A layer is a flat `{key: raw value}` map plus where it came from. Checking the values against the
schema happens when the layers are merged (settings.py), so every problem is reported the same way.
"""

from __future__ import annotations

import enum
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..domain import CaseclientError
from .schema import BY_KEY, SECRET_NAMES, TABLES


class SettingsError(CaseclientError):
    """A settings file, the policy registry or the command line holds something unusable."""

    code = "settings"


class SourceKind(enum.Enum):
    """Where a value came from, weakest first."""

    DEFAULT = "built-in default"
    ORGANISATION = "organisation profile"
    POLICY = "machine policy"
    USER = "user settings"
    COMMAND_LINE = "command line"


@dataclass(frozen=True, slots=True)
class Layer:
    kind: SourceKind
    origin: str  # a file path, a registry key, "command line"
    values: dict[str, object] = field(default_factory=dict)
    base_dir: Path | None = None  # relative file names are relative to this folder
    reasons: dict[str, str] = field(default_factory=dict)  # key (or "*") -> why it is locked
    unlocked: frozenset[str] = frozenset()  # policy: keys that are machine defaults, not locks
    locked: frozenset[str] = frozenset()  # organisation profile: the keys it locks


def problem(origin: str, key: str, text: str) -> SettingsError:
    """The one sentence for a bad setting: where, which key, what is wrong."""
    return SettingsError(f"{origin}: setting '{key}' {text}.")


def _check_key(origin: str, key: str) -> None:
    if key.rsplit(".", 1)[-1].lower() in SECRET_NAMES:
        raise problem(origin, key, "is a secret, and secrets are never read from settings; "
                                   "caseclient keeps them in the system keyring")
    if key not in BY_KEY:
        raise problem(origin, key, "is not a setting caseclient knows (check the spelling)")


def _flatten(origin: str, document: Mapping[str, object], ignore_tables: frozenset[str]) -> dict[str, object]:
    flat: dict[str, object] = {}
    for table, content in document.items():
        if table in ignore_tables:
            continue
        if not isinstance(content, dict):
            if table.lower() in SECRET_NAMES:
                _check_key(origin, table)
            raise SettingsError(
                f"{origin}: '{table}' must be a [table] such as "
                f"{', '.join(f'[{t}]' for t in sorted(TABLES))}, not a single value."
            )
        for name, raw in content.items():
            key = f"{table}.{name}"
            _check_key(origin, key)
            if isinstance(raw, (dict, list)):
                raise problem(origin, key, "must be a single value, not a table or a list")
            flat[key] = raw
    return flat


def read_toml(path: Path) -> dict[str, object] | None:
    """The parsed file, None when it does not exist, or one SettingsError sentence."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except PermissionError:
        raise SettingsError(f"{path} cannot be read (permission denied).") from None
    except IsADirectoryError:
        raise SettingsError(f"{path} is a folder, not a settings file.") from None
    except OSError as exc:
        raise SettingsError(f"{path} cannot be read ({exc.strerror or exc}).") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise SettingsError(f"{path} is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path} is not valid TOML: {exc}.") from None


# The parts of briefcase.toml that are not settings: the installers' own table and the scan
# stations' watched folders ([[folder]] tables, read by caseclient.watch).
PROFILE_RESERVED_TABLES = frozenset({"installer", "folder"})


def file_layer(kind: SourceKind, path: Path) -> Layer | None:
    """A TOML settings file as a layer; None when the file does not exist.

    A policy file may hold a `[policy]` table: `reason` (shown to users beside every locked value),
    `reasons` (a table of key = reason) and `unlocked` (keys that are machine-wide defaults the
    user may change). The organisation profile may hold a `[locks]` table: `settings` (the keys it
    locks), `reason` and `reasons` as in a policy file; and the reserved tables above.
    """
    document = read_toml(path)
    if document is None:
        return None
    origin = str(path)
    reasons: dict[str, str] = {}
    unlocked: frozenset[str] = frozenset()
    locked: frozenset[str] = frozenset()
    ignore = PROFILE_RESERVED_TABLES if kind is SourceKind.ORGANISATION else frozenset()
    if kind is SourceKind.POLICY and "policy" in document:
        reasons, unlocked = _policy_table(origin, document.pop("policy"))
    if kind is SourceKind.ORGANISATION and "locks" in document:
        reasons, locked = _locks_table(origin, document.pop("locks"))
    values = _flatten(origin, document, ignore)
    if unset := sorted(locked - values.keys()):
        raise problem(origin, "locks.settings", f"names {unset[0]}, which this file does not set")
    return Layer(kind, origin, values, path.parent, reasons, unlocked, locked)


def _policy_table(origin: str, table: object) -> tuple[dict[str, str], frozenset[str]]:
    if not isinstance(table, dict):
        raise SettingsError(f"{origin}: 'policy' must be a [policy] table.")
    reasons: dict[str, str] = {}
    for name, value in table.items():
        key = f"policy.{name}"
        if name in ("reason", "reasons"):
            _reasons(origin, "policy", name, value, reasons)
        elif name == "unlocked":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise problem(origin, key, "must be a list of setting names in quotes")
            for target in value:
                _check_key(origin, target)
        else:
            raise problem(origin, key, "is not known (use reason, reasons or unlocked)")
    unlocked = frozenset(table.get("unlocked", ()))
    return reasons, unlocked


def _reasons(origin: str, table: str, name: str, value: object, reasons: dict[str, str]) -> None:
    """`reason` (for every lock) or `reasons` (a table of key = reason) into `reasons`."""
    key = f"{table}.{name}"
    if name == "reason":
        if not isinstance(value, str):
            raise problem(origin, key, "must be text in quotes")
        reasons["*"] = value.strip()
        return
    if not isinstance(value, dict):
        raise problem(origin, key, "must be a table of setting = reason")
    for target, why in value.items():
        _check_key(origin, target)
        if not isinstance(why, str):
            raise problem(origin, f"{key}.{target}", "must be text in quotes")
        reasons[target] = why.strip()


def _locks_table(origin: str, table: object) -> tuple[dict[str, str], frozenset[str]]:
    if not isinstance(table, dict):
        raise SettingsError(f"{origin}: 'locks' must be a [locks] table.")
    reasons: dict[str, str] = {}
    locked: frozenset[str] = frozenset()
    for name, value in table.items():
        if name in ("reason", "reasons"):
            _reasons(origin, "locks", name, value, reasons)
        elif name == "settings":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise problem(origin, "locks.settings", "must be a list of setting names in quotes")
            for target in value:
                _check_key(origin, target)
            locked = frozenset(value)
        else:
            raise problem(origin, f"locks.{name}", "is not known (use settings, reason or reasons)")
    return reasons, locked


class RegistryReader(Protocol):
    """Read access to one registry hive (HKLM); raises FileNotFoundError for a missing key."""

    def subkeys(self, path: str) -> list[str]: ...

    def values(self, path: str) -> dict[str, object]: ...


POLICY_REGISTRY_KEY = r"Software\Policies\caseclient"


def registry_layer(reader: RegistryReader) -> Layer | None:
    """Group Policy's `HKLM\\Software\\Policies\\caseclient`: a subkey per table, a value per
    setting (REG_SZ, or REG_DWORD for numbers and true/false); a `Reason` value on the key itself
    is shown beside the locked values."""
    root = POLICY_REGISTRY_KEY
    try:
        tables = reader.subkeys(root)
        top = reader.values(root)
    except FileNotFoundError:
        return None
    origin = f"HKLM\\{root}"
    reasons: dict[str, str] = {}
    for name, value in top.items():
        if name.lower() == "reason" and isinstance(value, str):
            reasons["*"] = value.strip()
        else:
            raise problem(origin, name, "must sit in a subkey named after its table, e.g. service\\url")
    values: dict[str, object] = {}
    for table in tables:
        try:
            entries = reader.values(f"{root}\\{table}")
        except FileNotFoundError:
            continue
        for name, raw in entries.items():
            key = f"{table.lower()}.{name.lower()}"
            _check_key(f"{origin}\\{table}", key)
            values[key] = raw
    return Layer(SourceKind.POLICY, origin, values, None, reasons)


class WindowsRegistry:
    """The real HKLM, through winreg (imported only on Windows)."""

    def __init__(self) -> None:
        import winreg  # type: ignore[import-not-found]

        self._winreg = winreg

    def subkeys(self, path: str) -> list[str]:
        w = self._winreg
        with w.OpenKey(w.HKEY_LOCAL_MACHINE, path) as key:
            count = w.QueryInfoKey(key)[0]
            return [w.EnumKey(key, i) for i in range(count)]

    def values(self, path: str) -> dict[str, object]:
        w = self._winreg
        with w.OpenKey(w.HKEY_LOCAL_MACHINE, path) as key:
            count = w.QueryInfoKey(key)[1]
            found: dict[str, object] = {}
            for i in range(count):
                name, value, _type = w.EnumValue(key, i)
                found[name] = value
            return found


def command_line_layer(pairs: Mapping[str, str | None]) -> Layer:
    """`key=value` settings from the command line (values given as None are left out)."""
    origin = "the command line"
    values: dict[str, object] = {}
    for key, value in pairs.items():
        if value is None:
            continue
        _check_key(origin, key)
        values[key] = value
    return Layer(SourceKind.COMMAND_LINE, origin, values, Path.cwd())


def parse_assignments(items: list[str]) -> dict[str, str]:
    """`["service.url=https://x", ...]` from `--set` options; one sentence for a malformed one."""
    found: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SettingsError(f"the command line: '--set {item}' must look like table.name=value.")
        found[key.strip()] = value
    return found
