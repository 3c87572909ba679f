"""Screenshots of the undo window (Fortryd in the status bar and the outbox) and the filing journal, for the README.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots_safety_net.py [--out docs/screenshots]

Runs the real app (Danish interface) on a fresh embedded reference service: files three letters,
undoes one inside its undo window, leaves one waiting in it, and grabs the outbox with the status
bar's Fortryd and the Mine journaliseringer tab as PNGs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import make_pdf, wait_for  # noqa: E402


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
    from caseclient.gui.drop_flow import Confirmed
    from caseclient.gui.translations import install_translator
    from caseclient.server import CASEWORKERS, ReferenceService
    from caseclient.store import OutboxStatus, open_filing
    from caseclient.store.case_index import CaseIndex

    app = QApplication(sys.argv[:1])
    install_translator(app, "da")
    reference = ReferenceService(work / "reference-service")
    reference.seed_demo(60)
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
            cases = service.search_cases(CaseQuery(limit=3))

            def drop(case, name: str) -> None:
                mime = QMimeData()
                mime.setUrls([QUrl.fromLocalFile(str(make_pdf(files, name)))])
                desktop.drop_flow.handle(case, mime)

            filing.outbox.undo_window_s = 0
            for case, name in zip(cases, ("Partshøring.pdf", "Afgørelse om boligstøtte.pdf", "Kvittering.pdf")):
                drop(case, name)
            wait_for(app, lambda: desktop.filing.counts().get(OutboxStatus.DONE, 0) == 3)
            filing.outbox.undo_window_s = 600
            drop(cases[1], "Aktindsigt til forkert borger.pdf")
            bar = desktop.safety_net.undo_bar
            wait_for(app, lambda: len(bar.waiting) == 1)
            bar.undo_all()
            wait_for(app, lambda: not bar.waiting)
            filing.outbox.undo_window_s = 10
            drop(cases[2], "Lønsedler september.pdf")
            wait_for(app, lambda: len(bar.waiting) == 1)
            window.tabs.setCurrentWidget(desktop.outbox_view)
            window.resize(900, 420)
            wait_for(app, lambda: desktop.outbox_view.model.rowCount() == 5)
            app.processEvents()
            window.grab().save(str(args.out / "undo-window.png"))

            bar.undo_all()
            wait_for(app, lambda: not bar.waiting)
            window.tabs.setCurrentWidget(desktop.safety_net.journal_view)
            wait_for(app, lambda: desktop.safety_net.journal_view.model.rowCount() == 5)
            window.resize(1200, 420)
            app.processEvents()
            window.grab().save(str(args.out / "journal.png"))
            desktop.stop()
            index.close()
    finally:
        reference.stop()
    print("\n".join(str(args.out / n) for n in ("undo-window.png", "journal.png")))


if __name__ == "__main__":
    main()
