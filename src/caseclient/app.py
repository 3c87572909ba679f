"""The desktop app's composition root: one instance, tray, main window, services."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from . import paths
from .backends.protocol import DocumentService
from .connection import command_line_settings, intake_settings_from, open_configured_service
from .intake import IntakeSettings
from .domain import Case
from .filing import DuplicateGuard, OutboxWorker, PriorFiling
from .gui.case_tree_model import Group
from .gui.drop_flow import Confirm, DropFlow, dialog_confirm
from .gui.main_window import MainWindow
from .gui.outbox_view import OutboxView
from .gui.single_instance import SingleInstance
from .gui.translations import install_translator, interface_language
from .gui.tray import Tray, TrayState
from .outbox_command import Filing, open_filing
from .services.background import Background
from .services.filing_service import FilingService
from .services.prompts import GuiPrompts
from .services.search_service import SearchService
from .services.sync_service import SyncService
from .store import OutboxItem, OutboxStatus
from .store.case_index import CaseIndex


APP_ICON = Path(__file__).parent / "gui" / "icons" / "caseclient.png"


class Desktop:
    """Everything the desktop app is made of, wired together around one document service."""

    def __init__(self, service: DocumentService, filing: Filing, index: CaseIndex, *,
                 caseworker: str = "", intake: IntakeSettings | None = None,
                 confirm: Confirm | None = None, confirm_duplicate=None) -> None:
        self.service = service
        self.index = index
        self.background = Background()
        self.search = SearchService(service, self.background, index)
        self.sync = SyncService(service, index, self.background, caseworker)
        self.prompts = GuiPrompts(confirm_duplicate or self._confirm_duplicate, self._ask_credentials)
        guard = DuplicateGuard(filing.ledger, filing.outbox, service)
        self.filing = FilingService(
            filing.outbox,
            lambda events: OutboxWorker(filing.outbox, service, self.prompts, guard=guard, events=events),
            guard, self.prompts, self.background,
        )
        self.outbox_view = OutboxView(self.filing)
        self.window = MainWindow(self.search, self.outbox_view)
        self.drop_flow = DropFlow(service, self.filing, self.background, confirm or dialog_confirm(self.window),
                                  intake_settings=intake)
        self.tray = Tray()
        self._cases: dict[str, Case] = {}

        self.window.model.case_dropped.connect(self._dropped)
        self.drop_flow.message.connect(self.window.show_message)
        self.filing.problem.connect(self.window.show_message)
        self.filing.item_changed.connect(self._item_changed)
        self.tray.open_requested.connect(self.bring_forward)
        self.tray.pause_toggled.connect(self.filing.set_paused)
        self.filing.queue_changed.connect(lambda state: self.tray.pause_action.setChecked(state.paused))
        self.sync.finished.connect(lambda _count: self.refresh_groups())
        self.sync.failed.connect(self.window.show_message)

    def start(self) -> None:
        self.refresh_groups()
        self.sync.start()
        self.filing.start()
        self.tray.show()
        self.window.show()

    def stop(self) -> None:
        self.sync.stop()
        self.filing.stop()
        self.background.shutdown()

    def bring_forward(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def refresh_groups(self) -> None:
        model = self.window.model
        model.set_cases(Group.MINE, self.index.mine())
        model.set_cases(Group.FAVOURITES, self.index.favourites())
        model.set_cases(Group.RECENT, self.index.recent())

    def _dropped(self, case: Case, mime) -> None:
        self._cases[case.id] = case
        self.drop_flow.handle(case, mime)

    def _item_changed(self, item: OutboxItem) -> None:
        counts = self.filing.counts()
        busy = counts.get(OutboxStatus.QUEUED, 0) + counts.get(OutboxStatus.UPLOADING, 0)
        failed = counts.get(OutboxStatus.FAILED, 0)
        self.tray.set_state(TrayState.ATTENTION if failed else TrayState.FILING if busy else TrayState.IDLE)
        if item.status is OutboxStatus.DONE:
            case = self._cases.get(item.case_id)
            if case is not None:
                self.index.mark_filed(case)
                self.refresh_groups()
            self.window.model.forget_documents(item.case_id)
            self.tray.notify(self.tr("Filed"), self.tr("%1 is filed on %2").replace("%1", item.title).replace("%2", item.case_number))
        elif item.status is OutboxStatus.FAILED:
            self.tray.notify(self.tr("Not filed"), f"{item.title} ({item.case_number}): {item.last_error or ''}", error=True)

    def tr(self, text: str) -> str:
        return QApplication.translate("Desktop", text)

    def _confirm_duplicate(self, title: str, prior: PriorFiling) -> bool:
        answer = QMessageBox.question(
            self.window, self.tr("Already filed"),
            self.tr("%1 was %2. File it again?").replace("%1", title).replace("%2", prior.sentence),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _ask_credentials(self, service_name: str, message: str) -> bool:
        QMessageBox.warning(self.window, self.tr("Sign-in needed"), message)
        return False  # filing stays paused until the user resumes it after signing in


def case_index_key() -> bytes:
    """The key for the case index's party hashes: from the keyring where one is usable; else a
    key for this run only (the index then drops the old hashes and makes them anew)."""
    from .credentials import CredentialStore, KeyringError, SecretKind

    try:
        store = CredentialStore()
        stored = store.get("", SecretKind.CASE_INDEX_KEY)
        if stored is None:
            stored = os.urandom(32).hex()
            store.set("", SecretKind.CASE_INDEX_KEY, stored)
        return bytes.fromhex(stored)
    except KeyringError:
        return os.urandom(32)


def caseworker_of(settings) -> str:
    """The user at the document service; on the embedded reference service, its first demo caseworker."""
    if settings.text("service.caseworker") or settings.text("service.url"):
        return settings.text("service.caseworker")
    from .server import CASEWORKERS

    return CASEWORKERS[0].uuid


@contextmanager
def open_desktop(service_url: str | None = None) -> Iterator[Desktop]:
    """The app on the configured document service (the embedded reference service by default)."""
    with ExitStack() as stack:
        settings = command_line_settings(service_url)
        service = stack.enter_context(open_configured_service(settings))
        filing = stack.enter_context(open_filing())
        index = CaseIndex(paths.data_dir() / "case-index.sqlite", case_index_key())
        stack.callback(index.close)
        desktop = Desktop(service, filing, index, caseworker=caseworker_of(settings),
                          intake=intake_settings_from(settings))
        stack.callback(desktop.stop)
        yield desktop


def run_gui(service_url: str | None = None, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("caseclient")
    app.setOrganizationName("caseclient")
    app.setWindowIcon(QIcon(str(APP_ICON)))
    install_translator(app, interface_language())
    single = SingleInstance()
    if single.ask_running_instance():
        return 0  # the running instance shows its window
    single.listen()
    with open_desktop(service_url) as desktop:
        app.setQuitOnLastWindowClosed(not desktop.tray.available())
        single.activation_requested.connect(desktop.bring_forward)
        desktop.tray.quit_requested.connect(app.quit)
        desktop.start()
        return app.exec()
