"""Marks user-facing texts in Qt-free modules for Qt Linguist, without importing Qt.

    EXPLANATION = QT_TRANSLATE_NOOP("DropExplanation", "Save the mail first ...")

lupdate (scripts/translations.py) finds the marked texts; the GUI shows them with
`QCoreApplication.translate(context, text)`; the command line prints them as they are. A text
with values takes Qt's placeholders (%1, %2 ...), filled by :func:`filled` after translation.
"""

from __future__ import annotations


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    return text


def filled(text: str, *values: str) -> str:
    """`text` with %1, %2 ... replaced by `values` (Qt's placeholders, in any order)."""
    for number in range(len(values), 0, -1):  # %10 before %1
        text = text.replace(f"%{number}", values[number - 1])
    return text
