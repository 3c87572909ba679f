"""Where caseclient keeps its files: the user's config, data, cache and log folders (platformdirs).

`CASECLIENT_HOME` overrides the root (tests, portable installs): config, data, logs and cache then live
in sub-folders of it.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "caseclient"


def _override() -> Path | None:
    home = os.environ.get("CASECLIENT_HOME")
    return Path(home) if home else None


def config_dir() -> Path:
    """The user's own settings (settings.toml)."""
    root = _override()
    return root / "config" if root else Path(platformdirs.user_config_dir(APP, appauthor=False))


def data_dir() -> Path:
    root = _override()
    return root / "data" if root else Path(platformdirs.user_data_dir(APP, appauthor=False))


def log_dir() -> Path:
    root = _override()
    return root / "logs" if root else Path(platformdirs.user_log_dir(APP, appauthor=False))


def cache_dir() -> Path:
    root = _override()
    return root / "cache" if root else Path(platformdirs.user_cache_dir(APP, appauthor=False))


def reference_service_dir() -> Path:
    """The embedded reference service's database and files."""
    return data_dir() / "reference-service"
