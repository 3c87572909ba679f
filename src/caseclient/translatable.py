"""Marks user-facing texts in Qt-free modules for Qt Linguist, without importing Qt.

    EXPLANATION = QT_TRANSLATE_NOOP("DropExplanation", "Save the mail first ...")

lupdate (scripts/translations.py) finds the marked texts; the GUI shows them with
`QCoreApplication.translate(context, text)`; the command line prints them as they are.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text
