"""Where caseclient keeps its files: the user's data, cache and log folders (platformdirs).

`CASECLIENT_HOME` overrides the root (tests, portable installs): data, logs and cache then live
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
