"""Reading a Windows .reg file (the installers' examples) the way `reg import` does."""

from __future__ import annotations

import re
from pathlib import Path


def read_reg_file(path: Path) -> dict[str, dict[str, object]]:
    """A .reg file's HKLM keys and their REG_SZ / REG_DWORD values, key paths without the hive."""
    keys: dict[str, dict[str, object]] = {}
    current: dict[str, object] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := re.fullmatch(r"\[HKEY_LOCAL_MACHINE\\(.+)\]", line):
            current = keys.setdefault(m[1], {})
        elif m := re.fullmatch(r'"(\w+)"="(.*)"', line):
            assert current is not None
            current[m[1]] = m[2].replace('\\"', '"').replace("\\\\", "\\")
        elif m := re.fullmatch(r'"(\w+)"=dword:([0-9a-f]{8})', line):
            assert current is not None
            current[m[1]] = int(m[2], 16)
    return keys
