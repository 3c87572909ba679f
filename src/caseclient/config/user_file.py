"""Writing the user's own settings file: checked against the schema and the locks, written whole
and atomically (a crash leaves the old file), never holding a secret (the schema has no secret keys)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import tomli_w

from .layers import SettingsError, problem, read_toml
from .schema import BY_KEY, InvalidValue
from .settings import Settings


def save_user_setting(settings: Settings, key: str, value: object | None) -> None:
    """Set `key` in the user's settings file (None removes it so the layers below show through).

    Raises SettingsError for an unknown key, a bad value, or a key locked by policy (with its reason).
    The caller reloads the settings afterwards to see the merged result.
    """
    path = settings.user_file
    if path is None:
        raise SettingsError("These settings have no user settings file to write to.")
    if key not in BY_KEY:
        raise problem(str(path), key, "is not a setting caseclient knows")
    entry = settings.entry(key)
    if entry.lock is not None:
        raise problem(str(path), key, f"is locked by {entry.origin} ({entry.lock.reason}) and cannot be changed")
    document = read_toml(path) or {}
    table, name = key.split(".", 1)
    section = document.setdefault(table, {})
    if not isinstance(section, dict):
        raise SettingsError(f"{path}: '{table}' must be a [table]; fix or remove the file first.")
    if value is None:
        section.pop(name, None)
        if not section:
            del document[table]
    else:
        try:
            BY_KEY[key].parse(value, path.parent)
        except InvalidValue as exc:
            raise problem(str(path), key, str(exc)) from None
        section[name] = value
    _write_atomically(path, tomli_w.dumps(document).encode("utf-8"))


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".settings-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

