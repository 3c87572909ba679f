"""Dark mode: a dark Fusion palette, and warnings in a red that reads on the palette in use."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from caseclient.domain import Case, Direction, DocumentMetadata
from caseclient.gui.metadata_dialog import MetadataDialog
from caseclient.gui.theme import apply_colour_scheme, is_dark

CASE = Case(id="c1", number="27.24.00-G01-1-24", title="Ansøgning om boligstøtte")
PROPOSAL = DocumentMetadata(title="Lønsedler", document_date=date(2024, 11, 18), direction=Direction.INCOMING)


def _contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(c: QColor) -> float:
        channels = [v / 255 for v in (c.red(), c.green(), c.blue())]
        r, g, b = (v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture
def restored_look(qapp):
    palette, style = QPalette(qapp.palette()), qapp.style().name()
    yield qapp
    qapp.setStyle(style)
    qapp.setPalette(palette)


@pytest.mark.parametrize("scheme", [Qt.ColorScheme.Light, Qt.ColorScheme.Dark])
def test_the_case_warning_reads_well_in_either_scheme(qtbot, restored_look, scheme):
    apply_colour_scheme(restored_look, scheme)
    assert is_dark(restored_look.palette()) == (scheme == Qt.ColorScheme.Dark)
    dialog = MetadataDialog(CASE, PROPOSAL, detected_case_numbers=["01.02.03-G01-9-24"])
    qtbot.addWidget(dialog)
    warning = dialog.case_warning
    assert not warning.isHidden() and warning.font().bold()
    text, window = warning.palette().color(QPalette.ColorRole.WindowText), warning.palette().color(QPalette.ColorRole.Window)
    assert text.red() > text.green() + 60  # still red
    assert _contrast(text, window) >= 4.5  # WCAG AA for normal text


def test_the_dark_scheme_is_fusion_with_readable_disabled_text(restored_look):
    apply_colour_scheme(restored_look, Qt.ColorScheme.Dark)
    palette = restored_look.palette()
    assert restored_look.style().name().lower() == "fusion"
    assert _contrast(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)) >= 7
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    assert _contrast(disabled, palette.color(QPalette.ColorRole.Button)) >= 2.5
