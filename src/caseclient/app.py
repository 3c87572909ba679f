"""The desktop app's composition root: one instance, tray, main window, services."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from .connection import open_service
from .gui.main_window import MainWindow
from .gui.single_instance import SingleInstance
from .gui.tray import Tray
from .services.background import Background
from .services.search_service import SearchService


def run_gui(service_url: str | None = None, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("caseclient")
    app.setOrganizationName("caseclient")
    single = SingleInstance()
    if single.ask_running_instance():
        return 0  # the running instance shows its window
    single.listen()

    with open_service(service_url) as service:
        background = Background()
        window = MainWindow(SearchService(service, background))
        tray = Tray()
        app.setQuitOnLastWindowClosed(not tray.available())

        def bring_forward() -> None:
            window.showNormal()
            window.raise_()
            window.activateWindow()

        single.activation_requested.connect(bring_forward)
        tray.open_requested.connect(bring_forward)
        tray.quit_requested.connect(app.quit)
        tray.show()
        window.show()
        try:
            return app.exec()
        finally:
            background.shutdown()
