"""The entry point `briefcase dev --test` and `briefcase run --test` start: the whole pytest suite.

Briefcase runs the module `tests.<app module>`; this file is that module, kept outside the suite's
own folder so that it never shadows the `caseclient` package when pytest puts `tests/` on sys.path.
Briefcase merges both `tests` folders (see test_sources in pyproject.toml).
"""

from __future__ import annotations

import sys
from pathlib import Path

import caseclient  # noqa: F401  (the real package first, before pytest puts tests/ on sys.path)
import pytest

import tests


def suite_folder() -> Path:
    """The `tests` folder that holds the suite (the one with conftest.py)."""
    for folder in map(Path, tests.__path__):
        if (folder / "conftest.py").is_file():
            return folder
    raise SystemExit("caseclient tests: no tests folder with a conftest.py on the path")


def run_suite(arguments: list[str]) -> int:
    folder = suite_folder()
    code = pytest.main([
        "--color=no",
        "-p", "no:cacheprovider",  # the installed app's folder is read-only
        *arguments,
        str(folder),
    ])
    # Briefcase reads this line to learn the suite's result.
    print(f">>>>>>>>>> EXIT {int(code)} <<<<<<<<<<", flush=True)
    return int(code)


if __name__ == "__main__":
    sys.exit(run_suite(sys.argv[1:]))
