"""Screenshots of the case details pane and the first-run state, for the README.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshots_case_details.py
    xvfb-run -a -s "-screen 0 3200x2000x24" .venv/bin/python scripts/screenshots_case_details.py --dark --scale 2

Runs the real app (Danish interface) on a fresh embedded reference service with demo cases in a
temporary folder: the window as a new user first sees it (nothing selected), then with the first
demo case (it has documents) selected, wide and as a 400 px sidebar.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def wait_for(app, condition, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--dark", action="store_true", help="the dark Fusion palette the app uses in dark mode")
    parser.add_argument("--scale", type=int, default=1, help="QT_SCALE_FACTOR, e.g. 2 for 200 %%")
    args = parser.parse_args()
    suffix = ("-dark" if args.dark else "") + (f"-{args.scale * 100}" if args.scale != 1 else "")
    if args.scale != 1:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="caseclient-shots-"))
    os.environ["CASECLIENT_HOME"] = str(work / "home")

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from caseclient.app import Desktop
    from caseclient.backends.oio import OioService
    from caseclient.gui.case_tree_model import Group
    from caseclient.gui.drop_flow import Confirmed
    from caseclient.gui.theme import apply_colour_scheme
    from caseclient.gui.translations import install_translator
    from caseclient.server import CASEWORKERS, ReferenceService
    from caseclient.server.demo import DemoGenerator
    from caseclient.store import open_filing
    from caseclient.store.case_index import CaseIndex

    app = QApplication(sys.argv[:1])
    install_translator(app, "da")
    if args.dark:
        apply_colour_scheme(app, Qt.ColorScheme.Dark)
    reference = ReferenceService(work / "reference-service")
    reference.seed_demo(500)
    service = OioService(reference.start())
    try:
        with open_filing() as filing:
            index = CaseIndex(work / "index.sqlite", os.urandom(32))
            desktop = Desktop(service, filing, index, caseworker=CASEWORKERS[0].uuid,
                              confirm=lambda case, candidate: Confirmed(candidate.metadata, []))
            desktop.start()
            window, pane = desktop.window, desktop.details_pane
            mine = window.model.group_index(Group.MINE)
            wait_for(app, lambda: window.model.rowCount(mine) > 0)
            window.resize(1100, 680)
            app.processEvents()
            window.grab().save(str(args.out / f"first-run{suffix}.png"))

            case_id = DemoGenerator(1).case_uuid(0)
            case = service.get_case(case_id)
            window.search_field.setText(case.number)
            wait_for(app, lambda: "fundet" in window.status.text() and window.model.case_index(case_id).isValid())
            window.select_case(case_id)
            wait_for(app, lambda: pane.shown is not None and pane.shown.documents is not None)
            app.processEvents()
            window.grab().save(str(args.out / f"case-details{suffix}.png"))
            window.resize(400, 760)
            wait_for(app, lambda: window.case_splitter.orientation() == Qt.Orientation.Vertical)
            app.processEvents()
            window.grab().save(str(args.out / f"case-details-sidebar{suffix}.png"))
            desktop.stop()
            index.close()
    finally:
        reference.stop()
    print("\n".join(str(p) for p in sorted(args.out.glob(f"*{suffix}.png"))))


if __name__ == "__main__":
    main()
