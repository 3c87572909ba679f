"""The desktop app's composition root: one instance, tray, main window, services."""

from __future__ import annotations

import gc
import logging
import os
import signal
import sys
import threading
import webbrowser
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox

from . import paths
from .backends.protocol import DocumentService
from .config import Settings
from .connection import (
    command_line_settings,
    intake_settings_from,
    open_configured_service,
    system_name,
)
from .domain import Case, CaseclientError
from .filing import DuplicateGuard, OutboxWorker, PriorFiling
from .gui.case_details_pane import attach_case_details
from .gui.case_tree_model import Group
from .gui.drop_flow import Confirm, DropFlow, dialog_confirm
from .gui.drop_zone import DropZone
from .gui.main_window import MainWindow
from .gui.outbox_view import OutboxView
from .gui.safety_net import SafetyNet
from .gui.scan_inbox_view import ScanInboxView
from .gui.settings_dialog import SettingsDialog
from .gui.single_instance import SingleInstance
from .gui.theme import follow_system_colour_scheme
from .gui.translations import install_translator, interface_language
from .gui.tray import Tray, TrayState
from .gui.window_memory import WindowMemory
from .intake import IntakeSettings
from .services.background import Background
from .services.case_details_service import CaseDetailsService
from .services.cover_sheet_service import CoverSheetService
from .services.filing_service import FilingService
from .services.prompts import GuiPrompts
from .services.search_service import SearchService
from .services.sync_service import SyncService
from .services.watch_service import WatchService
from .store import Filing, OutboxItem, OutboxStatus, open_filing
from .store.case_index import CaseIndex
from .watch import (
    OutboxHandOff,
    Router,
    ScanFolder,
    ScanInbox,
    ScanWatcher,
    WatchOptions,
    inbox_dir,
)

log = logging.getLogger(__name__)

APP_ICON = Path(__file__).parent / "gui" / "icons" / "caseclient.png"


class Desktop:
    """Everything the desktop app is made of, wired together around one document service."""

    def __init__(self, service: DocumentService, filing: Filing, index: CaseIndex, *,
                 caseworker: str = "", intake: IntakeSettings | None = None,
                 confirm: Confirm | None = None, confirm_duplicate=None,
                 scan_folders: Sequence[ScanFolder] = (), watch_options: WatchOptions | None = None,
                 cover_sheet_path: Callable[[Case], Path | None] | None = None,
                 open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
                 sign_in: Callable[[Callable[[str], str]], str] | None = None,
                 settings: Settings | None = None) -> None:
        self.service = service
        self.settings = settings
        self._sign_in = sign_in
        self._stopped = False
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
        self.details = CaseDetailsService(service, self.background)
        self.details_pane = attach_case_details(self.window, self.details, own_caseworker=caseworker, open_url=open_url)
        self.window_memory = WindowMemory(self.window, paths.data_dir() / "window.ini")
        self.window.tree.selectionModel().currentChanged.connect(
            lambda *_: self.drop_zone.show_target(self.window.selected_case()))
        if settings is not None:
            self.window.show_service(system_name(settings), settings.text("service.url"))
        attachments = (intake or IntakeSettings()).attachments  # filed beside a mail, or left inside it
        self.drop_flow = DropFlow(service, self.filing, self.background,
                                  confirm or dialog_confirm(self.window, attachments), intake_settings=intake)
        self.tray = Tray()
        self.drop_zone = DropZone()
        self.cover_sheets = CoverSheetService(self.background)
        self._cover_sheet_path = cover_sheet_path or self.window.ask_cover_sheet_path
        self._open_url = open_url
        scans = ScanInbox(inbox_dir(paths.data_dir()))
        watcher = ScanWatcher(list(scan_folders), Router(service, paths.data_dir() / "watch-scratch"),
                              OutboxHandOff(filing.outbox, filing.ledger, attachments), scans, options=watch_options)
        self.watch = WatchService(watcher, scans, service, self.background)
        self.scan_inbox_view = ScanInboxView(self.watch, self.window.selected_case)
        self.window.tabs.addTab(self.scan_inbox_view, self.tr("Scan &inbox"))
        self._cases: dict[str, Case] = {}
        self._filed: list[Case] = []  # filed on, not yet in the index's Recent
        self._recording_filed = False

        self.window.model.case_dropped.connect(self._dropped)
        self.window.dropped_elsewhere.connect(self._dropped_elsewhere)
        self.drop_zone.dropped.connect(self._dropped_elsewhere)
        self.drop_flow.case_chosen.connect(lambda case: self._cases.__setitem__(case.id, case))
        self.window.tree.inbox_entry_dropped.connect(self.scan_inbox_view.place)
        self.window.drop_zone_action.toggled.connect(self.show_drop_zone)
        self.tray.drop_zone_toggled.connect(self.show_drop_zone)
        self.drop_zone.hidden.connect(lambda: self.show_drop_zone(False))
        self.tray.case_requested.connect(self.open_case)
        self.window.cover_sheet_requested.connect(self._print_cover_sheet)
        self.cover_sheets.written.connect(self._cover_sheet_written)
        self.cover_sheets.failed.connect(self.window.show_message)
        self.drop_flow.message.connect(self.window.show_message)
        self.filing.problem.connect(self.window.show_message)
        self.filing.item_changed.connect(self._item_changed)
        self.tray.open_requested.connect(self.bring_forward)
        self.tray.settings_requested.connect(self.show_settings)
        self.tray.pause_toggled.connect(self.filing.set_paused)
        self.filing.queue_changed.connect(lambda state: self.tray.show_paused(state.paused))
        self.sync.finished.connect(lambda _count: self.refresh_groups())
        self.sync.failed.connect(self.window.show_message)
        self.safety_net = SafetyNet(self)  # the undo window (status bar, tray, Ctrl+Z) and the filing journal

    def start(self) -> None:
        self.refresh_groups()
        self.sync.start()
        self.filing.start()
        if self.watch.watcher.folders:
            self.watch.start()
        self.watch.load_inbox()
        self.tray.show()
        self.window_memory.restore()
        self.window.show()
        self.background.run(self.details.remove_leftovers, lambda *_: None)  # copies a crash left behind
        # What start-up made lives as long as the app: the collector's full passes skip it from now
        # on (else one pass over every imported module's objects stalls the window ~80 ms).
        gc.freeze()

    def stop(self) -> None:
        self._stopped = True  # worker signals still queued for the GUI thread find nothing to do
        self.sync.stop()
        self.filing.stop()
        if self.watch.watcher.folders:
            self.watch.stop()
        self.drop_zone.close()
        self.background.shutdown()
        self.details.cleanup()  # the documents opened or dragged out this run

    def show_settings(self) -> None:
        """The settings in force with their sources and locks (read-only: they live in files and policy)."""
        if self.settings is None:
            self.window.show_message(self.tr("The settings are those given on the command line."))
            return
        self.settings_dialog = SettingsDialog(self.settings, self.window, system=system_name(self.settings))
        self.settings_dialog.open()

    def bring_forward(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def refresh_groups(self) -> None:
        model = self.window.model
        model.set_cases(Group.MINE, self.index.mine())
        model.set_cases(Group.FAVOURITES, self.index.favourites())
        model.set_cases(Group.RECENT, self.index.recent())

    def show_drop_zone(self, visible: bool) -> None:
        self.drop_zone.setVisible(visible)
        for action in (self.window.drop_zone_action, self.tray.drop_zone_action):
            action.setChecked(visible)

    def open_case(self, case_id: str) -> None:
        """Bring the window forward with the case selected (it is looked up when the tree lacks it)."""
        self.bring_forward()
        if self.window.select_case(case_id):
            return

        def done(case, error: str | None) -> None:
            if error:
                self.window.show_message(error)
            else:
                self.window.model.set_cases(Group.SEARCH, [case])
                self.window.select_case(case_id)

        self.background.run(lambda: self.service.get_case(case_id), done)

    def _dropped(self, case: Case, mime) -> None:
        self.drop_flow.handle(case, mime)

    def _dropped_elsewhere(self, mime) -> None:
        """Onto the window or the drop zone: the selected case, or the one the documents name."""
        case = self.window.selected_case()
        if case is not None:
            self.drop_flow.handle(case, mime)
        else:
            self.drop_flow.handle_anywhere(mime)

    def _print_cover_sheet(self, case: Case) -> None:
        target = self._cover_sheet_path(case)
        if target is not None:
            self.cover_sheets.write(case, target)

    def _cover_sheet_written(self, path: str) -> None:
        self.window.show_message(self.tr("The cover sheet is saved as %1.").replace("%1", path))
        self._open_url(QUrl.fromLocalFile(path))

    def _item_changed(self, item: OutboxItem) -> None:
        if self._stopped:
            return
        counts = self.filing.counts()
        busy = counts.get(OutboxStatus.QUEUED, 0) + counts.get(OutboxStatus.UPLOADING, 0)
        failed = counts.get(OutboxStatus.FAILED, 0)
        self.tray.set_state(TrayState.ATTENTION if failed else TrayState.FILING if busy else TrayState.IDLE)
        if item.status is OutboxStatus.DONE:
            case = self._cases.get(item.case_id)
            if case is not None:
                self._filed_on(case)
            self.window.model.forget_documents(item.case_id)
            self.details.forget(item.case_id)
            self.tray.notify(self.tr("Filed"), self.tr("%1 is filed on %2").replace("%1", item.title).replace("%2", item.case_number),
                             case_id=item.case_id)
        elif item.status is OutboxStatus.FAILED:
            self.tray.notify(self.tr("Not filed"), f"{item.title} ({item.case_number}): {item.last_error or ''}", error=True,
                             case_id=item.case_id)

    def _filed_on(self, case: Case) -> None:
        """Recent gets the case: written to the index off the GUI thread, a burst of filings (a
        dropped folder) together, and then only the Recent group is shown anew."""
        self._filed.append(case)
        if not self._recording_filed:
            self._record_filed()

    def _record_filed(self) -> None:
        cases = {c.id: c for c in self._filed}.values()
        self._filed = []
        self._recording_filed = True

        def record() -> list[Case]:
            for case in cases:
                self.index.mark_filed(case)
            return self.index.recent()

        def done(recent, error: str | None) -> None:
            self._recording_filed = False
            if error:
                self.window.show_message(error)
            else:
                self.window.model.set_cases(Group.RECENT, recent)
            if self._filed:
                self._record_filed()

        self.background.run(record, done)

    def tr(self, text: str) -> str:
        return QApplication.translate("Desktop", text)

    def _confirm_duplicate(self, title: str, prior: PriorFiling) -> bool:
        answer = QMessageBox.question(
            self.window, self.tr("Already filed"),
            self.tr("%1 was %2. File it again?").replace("%1", title).replace("%2", prior.sentence),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _ask_credentials(self, service_name: str, message: str) -> bool:
        """The service refused the sign-in: filing is paused; sign in again here, or later."""
        title = self.tr("Sign-in needed")
        if self._sign_in is None:
            QMessageBox.warning(self.window, title, message)
            return False  # filing stays paused until the user resumes it
        question = message + "\n\n" + self.tr("Sign in again now? Filing is paused until you do.")
        if QMessageBox.question(self.window, title, question) != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.window.show_message(self._sign_in(self._ask_secret))
        except CaseclientError as exc:
            QMessageBox.warning(self.window, title, exc.message)
            return False
        return True

    def _ask_secret(self, prompt: str) -> str:
        text, given = QInputDialog.getText(self.window, self.tr("Sign in"), prompt, QLineEdit.EchoMode.Password)
        return text if given else ""


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
    from .connection import embedded_caseworker

    return embedded_caseworker(settings)


def sign_in_again(settings, service: DocumentService) -> Callable[[Callable[[str], str]], str] | None:
    """Sign in (secret asked by the GUI, or the browser) and give the running backend the new
    sign-in; None on the embedded service, which needs none."""
    if not settings.text("service.url"):
        return None

    def sign_in_now(ask_secret: Callable[[str], str]) -> str:
        from .commands.signin import sign_in
        from .net import build_session

        said = sign_in(settings, ask_secret=ask_secret, open_browser=webbrowser.open)
        service.http.session.auth = build_session(settings, open_browser=webbrowser.open).auth
        return said

    return sign_in_now


@contextmanager
def open_desktop(service_url: str | None = None) -> Iterator[Desktop]:
    """The app on the configured document service (the embedded reference service by default)."""
    with ExitStack() as stack:
        settings = command_line_settings(service_url)
        service = stack.enter_context(open_configured_service(settings, open_browser=webbrowser.open))
        filing = stack.enter_context(open_filing())
        index = CaseIndex(paths.data_dir() / "case-index.sqlite", case_index_key())
        stack.callback(index.close)
        desktop = Desktop(service, filing, index, caseworker=caseworker_of(settings),
                          intake=intake_settings_from(settings), sign_in=sign_in_again(settings, service),
                          settings=settings)
        stack.callback(desktop.stop)
        yield desktop


def run_gui(service_url: str | None = None, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    terminated = quit_on_termination(app)
    app.setApplicationName("caseclient")
    app.setOrganizationName("caseclient")
    app.setWindowIcon(QIcon(str(APP_ICON)))
    follow_system_colour_scheme(app)
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
        log.info("caseclient is running")
        return 0 if terminated.is_set() else app.exec()


def quit_on_termination(app: QApplication) -> threading.Event:
    """SIGTERM (log-off, shutdown, a service manager) and Ctrl+C leave through the normal exit, so
    the outbox and the embedded service stop cleanly. Python handles signals only when it runs, so
    a slow timer lets it look in while Qt's loop waits. The event tells a signal that came before
    the loop started."""
    terminated = threading.Event()

    def stop(*_args) -> None:
        terminated.set()
        app.quit()

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, stop)
    timer = QTimer(app)
    timer.setInterval(500)
    timer.timeout.connect(lambda: None)
    timer.start()
    return terminated
