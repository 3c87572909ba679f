"""Screenshots of the main window, the metadata dialog and the outbox view, for the README.

    xvfb-run -a -s "-screen 0 1280x900x24" .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Runs the real app (Danish interface) on a fresh embedded reference service with demo cases in a
temporary folder, searches, drops documents on a case and grabs each window as a PNG.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="caseclient-shots-"))
    os.environ["CASECLIENT_HOME"] = str(work / "home")

    from PySide6.QtCore import QMimeData, QUrl
    from PySide6.QtWidgets import QApplication

    from caseclient.app import Desktop
    from caseclient.backends.oio import OioService
    from caseclient.backends.protocol import CaseQuery
    from caseclient.gui.case_tree_model import Group
    from caseclient.gui.drop_flow import Confirmed
    from caseclient.gui.metadata_dialog import AttachmentChoice, MetadataDialog
    from caseclient.gui.translations import install_translator
    from caseclient.intake import propose
    from caseclient.outbox_command import open_filing
    from caseclient.server import CASEWORKERS, ReferenceService
    from caseclient.store import OutboxStatus
    from caseclient.store.case_index import CaseIndex

    app = QApplication(sys.argv[:1])
    install_translator(app, "da")
    reference = ReferenceService(work / "reference-service")
    reference.seed_demo(500)
    service = OioService(reference.start())
    files = work / "files"
    files.mkdir()
    try:
        with open_filing() as filing:
            index = CaseIndex(work / "index.sqlite", os.urandom(32))
            desktop = Desktop(service, filing, index, caseworker=CASEWORKERS[0].uuid,
                              confirm=lambda case, candidate: Confirmed(candidate.metadata, []))
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
            window.grab().save(str(args.out / "main-window.png"))

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
            dialog.grab().save(str(args.out / "metadata-dialog.png"))
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
            window.grab().save(str(args.out / "outbox.png"))
            desktop.stop()
            index.close()
    finally:
        reference.stop()
    print("\n".join(str(p) for p in sorted(args.out.glob("*.png"))))


if __name__ == "__main__":
    main()
