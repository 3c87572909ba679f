"""The interface language: Danish where the locale (or the setting) is Danish, else English."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

I18N = Path(__file__).with_name("i18n")


def interface_language(setting: str | None = None, locale: QLocale | None = None) -> str:
    """"da" or "en": an explicit setting wins, then the system locale."""
    if setting in ("da", "en"):
        return setting
    locale = locale or QLocale.system()
    return "da" if locale.language() == QLocale.Language.Danish else "en"


def install_translator(app: QCoreApplication, language: str) -> QTranslator:
    translator = QTranslator(app)
    if not translator.load(str(I18N / f"caseclient_{language}.qm")):
        raise FileNotFoundError(f"translation caseclient_{language}.qm is missing from {I18N}")
    app.installTranslator(translator)
    return translator
