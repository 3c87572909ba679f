"""Screenshots of the main window, the metadata dialog, the outbox view and the scan inbox, for the README.

    xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python scripts/screenshots.py [--out docs/screenshots]
    xvfb-run -a -s "-screen 0 2560x1800x24" .venv/bin/python scripts/screenshots.py --dark --scale 2

Runs the real app (Danish interface) on a fresh embedded reference service with demo cases in a
temporary folder, searches, drops documents on a case, scans a letter into the scan inbox and grabs
each window as a PNG. --dark uses the dark palette the app follows the system to; --scale 2 is 200 %.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

from pypdf import PdfWriter

ROOT = Path(__file__).resolve().parents[1]


def wait_for(app, condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()


def make_mail(folder: Path) -> Path:
    mail = EmailMessage()
    mail["Subject"] = "SV: Ansøgning om boligstøtte [27.24.00-G01-1-24]"
    mail["From"] = "Karen Jensen <karen.jensen@example.dk>"
    mail["To"] = "Borgerservice <borgerservice@kommune.example.dk>"
    mail["Date"] = "Mon, 18 Nov 2024 09:14:00 +0100"
    mail["Message-ID"] = "<screenshot-1@example.dk>"
    mail.set_content("Hej\n\nHermed lønsedler og lejekontrakt som aftalt.\n\nVenlig hilsen\nKaren Jensen\n")
    mail.add_attachment(b"%PDF-1.4 lejekontrakt", maintype="application", subtype="pdf", filename="Lejekontrakt.pdf")
    path = folder / "Ansøgning om boligstøtte.eml"
    path.write_bytes(bytes(mail))
    return path


def make_pdf(folder: Path, name: str) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": Path(name).stem})  # distinct content: the duplicate guard would ask
    path = folder / name
    with path.open("wb") as f:
        writer.write(f)
    return path


def make_letter(folder: Path, name: str) -> Path:
    """A one-page letter without a case number: the scan watcher puts it in the scan inbox."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.cell(0, 12, "Kommunen", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 7, "Kære sagsbehandler\n\nJeg sender hermed de papirer, I bad om i sidste uge: "
                   "lønsedler for tre måneder og min lejekontrakt.\n\nVenlig hilsen\nKaren Jensen")
    folder.mkdir(parents=True, exist_ok=True)
    pdf.output(str(folder / name))
    return folder / name


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="the dark Fusion palette the app uses in dark mode")
    parser.add_argument("--scale", type=int, default=1, help="QT_SCALE_FACTOR, e.g. 2 for 200 %%")
    args = parser.parse_args()
    suffix = ("-dark" if args.dark else "") + (f"-{args.scale * 100}" if args.scale != 1 else "")
    if args.scale != 1:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)  # read when the QApplication is made
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="caseclient-shots-"))
    os.environ["CASECLIENT_HOME"] = str(work / "home")

    from PySide6.QtCore import QMimeData, Qt, QUrl
    from PySide6.QtWidgets import QApplication

    from caseclient.app import Desktop
    from caseclient.backends.oio import OioService
    from caseclient.backends.protocol import CaseQuery
    from caseclient.gui.case_tree_model import Group
    from caseclient.gui.drop_flow import Confirmed
    from caseclient.gui.metadata_dialog import AttachmentChoice, MetadataDialog
    from caseclient.gui.theme import apply_colour_scheme
    from caseclient.gui.translations import install_translator
    from caseclient.intake import propose
    from caseclient.server import CASEWORKERS, ReferenceService
    from caseclient.store import OutboxStatus, open_filing
    from caseclient.store.case_index import CaseIndex
    from caseclient.watch import ScanFolder, WatchOptions

    app = QApplication(sys.argv[:1])
    install_translator(app, "da")
    if args.dark:
        apply_colour_scheme(app, Qt.ColorScheme.Dark)
    reference = ReferenceService(work / "reference-service")
    reference.seed_demo(500)
    service = OioService(reference.start())
    files = work / "files"
    files.mkdir()
    try:
        with open_filing() as filing:
            index = CaseIndex(work / "index.sqlite", os.urandom(32))
            desktop = Desktop(service, filing, index, caseworker=CASEWORKERS[0].uuid,
                              confirm=lambda case, candidate: Confirmed(candidate.metadata, []),
                              scan_folders=[ScanFolder(work / "scan")],
                              watch_options=WatchOptions(host_id="screenshots", stability_delay=0.2))
            desktop.start()
            window = desktop.window
            mine = window.model.group_index(Group.MINE)
            wait_for(app, lambda: window.model.rowCount(mine) > 0)
            window.tree.expand(mine)
            window.search_field.setText("bolig")
            search = window.model.group_index(Group.SEARCH)
            wait_for(app, lambda: window.model.rowCount(search) > 0)
            window.resize(640, 760)
            wait_for(app, lambda: "fundet" in window.status.text())
            window.grab().save(str(args.out / f"main-window{suffix}.png"))

            case = service.search_cases(CaseQuery(text="bolig", limit=1))[0]
            candidate = propose(make_mail(files))
            dialog = MetadataDialog(
                service.get_case(case.id), candidate.metadata,
                attachments=[AttachmentChoice(a.candidate.filename, a.included) for a in candidate.attachments],
                detected_cprs=list(candidate.detected_cprs),
                detected_case_numbers=list(candidate.detected_case_numbers),
                source_name=candidate.filename, parent=window,
            )
            dialog.show()
            wait_for(app, dialog.isVisible)
            dialog.grab().save(str(args.out / f"metadata-dialog{suffix}.png"))
            dialog.reject()

            for name in ("Partshøring.pdf", "Afgørelse om boligstøtte.pdf", "Kvittering.pdf"):
                mime = QMimeData()
                mime.setUrls([QUrl.fromLocalFile(str(make_pdf(files, name)))])
                desktop.drop_flow.handle(case, mime)
            wait_for(app, lambda: desktop.filing.counts().get(OutboxStatus.DONE, 0) == 3)
            desktop.filing.set_paused(True)
            mime = QMimeData()
            mime.setUrls([QUrl.fromLocalFile(str(make_pdf(files, "Lønsedler september.pdf")))])
            desktop.drop_flow.handle(case, mime)
            wait_for(app, lambda: desktop.filing.counts().get(OutboxStatus.QUEUED, 0) == 1)
            wait_for(app, lambda: desktop.outbox_view.pause_button.isChecked())
            window.tabs.setCurrentIndex(1)
            window.resize(760, 420)
            app.processEvents()
            window.grab().save(str(args.out / f"outbox{suffix}.png"))

            make_letter(work / "scan", "scan0001.pdf")
            wait_for(app, lambda: desktop.scan_inbox_view.list.count() == 1)
            window.tabs.setCurrentWidget(desktop.scan_inbox_view)
            window.resize(760, 560)
            app.processEvents()
            window.grab().save(str(args.out / f"scan-inbox{suffix}.png"))
            desktop.stop()
            index.close()
    finally:
        reference.stop()
    print("\n".join(str(p) for p in sorted(args.out.glob(f"*{suffix}.png"))))


if __name__ == "__main__":
    main()
