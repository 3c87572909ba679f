"""Danish and English interface texts: complete, compiled, and chosen by locale or setting."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale

from caseclient.gui.translations import I18N, install_translator, interface_language
from caseclient.gui.tray import Tray
from caseclient.translatable import filled
from caseclient.watch.routing import SHEET_CASE_NOT_FOUND

ROOT = Path(__file__).resolve().parents[2]


def _sources(ts: Path) -> set[str]:
    return {m.findtext("source") for m in ET.parse(ts).iter("message")}


def test_every_text_in_the_code_has_a_finished_danish_translation(tmp_path):
    scratch = tmp_path / "fresh.ts"
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import translations as script
    finally:
        sys.path.pop(0)
    subprocess.run([script.tool("lupdate"), *script.sources(), "-ts", str(scratch)], check=True, capture_output=True)
    danish = I18N / "caseclient_da.ts"
    assert _sources(scratch) == _sources(danish), "run scripts/translations.py and translate the new texts"
    unfinished = [m.findtext("source") for m in ET.parse(danish).iter("message")
                  if m.find("translation").get("type") == "unfinished"]
    assert unfinished == []


def test_language_follows_setting_then_locale():
    assert interface_language("en", QLocale(QLocale.Language.Danish)) == "en"
    assert interface_language(None, QLocale(QLocale.Language.Danish, QLocale.Country.Denmark)) == "da"
    assert interface_language(None, QLocale(QLocale.Language.German)) == "en"


def test_danish_translator_changes_the_texts(qapp):
    english = Tray()
    assert english.quit_action.text() == "Quit"
    translator = install_translator(qapp, "da")
    try:
        danish = Tray()
        assert danish.quit_action.text() == "Afslut"
        assert danish.pause_action.text() == "Sæt journalisering på pause"
    finally:
        qapp.removeTranslator(translator)


def test_a_marked_text_with_a_value_is_translated_then_filled(qapp):
    number = "27.24.00-G01-1-24"
    assert filled(SHEET_CASE_NOT_FOUND, number) == f"the cover sheet names case {number}, which was not found"
    translator = install_translator(qapp, "da")
    try:
        danish = QCoreApplication.translate("ScanRouting", SHEET_CASE_NOT_FOUND)
        assert filled(danish, number) == f"forsiden nævner sag {number}, som ikke blev fundet"
    finally:
        qapp.removeTranslator(translator)
    assert filled("%1 and %10 of %2", *"abcdefghij") == "a and j of b"
