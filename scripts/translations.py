"""Update the Qt Linguist files from the code and compile them.

    python scripts/translations.py          # lupdate (keeps existing translations) + lrelease

Translate new texts in src/caseclient/gui/i18n/caseclient_da.ts (Qt Linguist or an editor),
then run this again to compile the .qm files the app loads.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "src" / "caseclient" / "gui" / "i18n"
LANGUAGES = ("da", "en")


def sources() -> list[str]:
    marks = ("tr(", "QT_TRANSLATE_NOOP(")
    return sorted(str(p) for p in (ROOT / "src" / "caseclient").rglob("*.py")
                  if any(mark in p.read_text(encoding="utf-8") for mark in marks))


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(f"pyside6-{name}"))


def main() -> None:
    ts_files = [str(I18N / f"caseclient_{lang}.ts") for lang in LANGUAGES]
    subprocess.run([tool("lupdate"), "-no-obsolete", *sources(), "-ts", *ts_files], check=True)
    for ts in ts_files:
        subprocess.run([tool("lrelease"), ts, "-qm", ts.replace(".ts", ".qm")], check=True)


if __name__ == "__main__":
    main()
