"""Cover sheets: a printed first page that tells the scan station which case a letter belongs to.

The QR code carries the case number and the default metadata as a small URL-like text,
``caseclient:cover:1?case=27.24.00-G01-1-24&type=Brev&sensitivity=normal&direction=incoming``;
the rest of the page repeats it in words for the person at the scanner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, quote, urlencode



if TYPE_CHECKING:
    from fpdf import FPDF

from ..domain import Case, Direction, Sensitivity, redact_cprs
from .folders import FolderDefaults

PREFIX = "caseclient:cover:1?"


@dataclass(frozen=True, slots=True)
class CoverSheet:
    case_number: str
    defaults: FolderDefaults = FolderDefaults()

    def payload(self) -> str:
        fields = {"case": self.case_number}
        if self.defaults.document_type:
            fields["type"] = self.defaults.document_type
        fields["sensitivity"] = self.defaults.sensitivity.value
        fields["direction"] = self.defaults.direction.value
        return PREFIX + urlencode(fields, quote_via=quote)

    @classmethod
    def from_payload(cls, text: str) -> "CoverSheet | None":
        """The cover sheet a QR code's text describes; None for any other QR code."""
        if not text.startswith(PREFIX):
            return None
        fields = {k: v[0] for k, v in parse_qs(text[len(PREFIX):], keep_blank_values=False).items()}
        number = fields.get("case", "").strip()
        if not number:
            return None
        try:
            defaults = FolderDefaults(
                direction=Direction(fields.get("direction", Direction.INCOMING.value)),
                document_type=fields.get("type") or None,
                sensitivity=Sensitivity(fields.get("sensitivity", Sensitivity.NORMAL.value)),
            )
        except ValueError:
            return None
        return cls(number, defaults)


_DIRECTION_DA = {Direction.INCOMING: "Indgående", Direction.OUTGOING: "Udgående", Direction.INTERNAL: "Internt"}
_SENSITIVITY_DA = {
    Sensitivity.NORMAL: "Ikke fortrolige oplysninger",
    Sensitivity.CONFIDENTIAL: "Fortrolige oplysninger",
    Sensitivity.SENSITIVE: "Følsomme personoplysninger",
    Sensitivity.SPECIAL: "Særligt følsomme oplysninger",
}


def write_cover_sheet(case: Case, target: Path, defaults: FolderDefaults = FolderDefaults(),
                      *, printed: datetime | None = None) -> Path:
    """Write an A4 cover sheet PDF for `case` to `target` and return it."""
    from fpdf import FPDF  # loaded on first use: keeps the app's start-up small

    sheet = CoverSheet(case.number, defaults)
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_title(_latin1(f"Forside til sag {case.number}"))
    pdf.set_creator("caseclient")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 26)
    pdf.cell(0, 14, "FORSIDE TIL SCANNING", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 11)
    pdf.multi_cell(0, 5.5, _latin1(
        "Læg denne side øverst på brevet, og scan det hele i scanningsmappen. Siden journaliseres ikke.\n"
        "Put this page on top of the letter and scan everything into the scan folder. "
        "This page is not filed."
    ), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("helvetica", "", 12)
    pdf.cell(0, 7, "Sag / case", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "B", 30)
    pdf.cell(0, 15, _latin1(case.number), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 14)
    pdf.multi_cell(0, 7, _latin1(redact_cprs(case.title)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("helvetica", "", 12)
    for label, value in (
        ("Dokumenttype", defaults.document_type or "(mappens standard)"),
        ("Retning", _DIRECTION_DA[defaults.direction]),
        ("Følsomhed", _SENSITIVITY_DA[defaults.sensitivity]),
        ("Udskrevet", f"{(printed or datetime.now()):%d-%m-%Y %H:%M}"),
    ):
        pdf.cell(45, 7, _latin1(label + ":"))
        pdf.cell(0, 7, _latin1(value), new_x="LMARGIN", new_y="NEXT")
    _draw_qr(pdf, sheet.payload(), x=pdf.l_margin, y=pdf.get_y() + 10, size=70)
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(target))
    return target


def _draw_qr(pdf: FPDF, text: str, *, x: float, y: float, size: float) -> None:
    """The QR code as vector squares, with its quiet zone, so that any printer keeps it sharp."""
    import segno

    qr = segno.make(text, error="m", micro=False)
    matrix = qr.matrix
    border = 4
    module = size / (len(matrix) + 2 * border)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(x + (c + border) * module, y + (r + border) * module, module, module, style="F")


def _latin1(text: str) -> str:
    """The PDF core fonts know Latin-1 (æøå included); anything else becomes '?'."""
    return text.replace("–", "-").replace("—", "-").encode("latin-1", "replace").decode("latin-1")
