"""The desktop app's speed with the real widgets (Qt offscreen) and 1,000,000 cases in the local index.

1. Search as you type: a few hundred varied queries (case-number prefixes, title word prefixes,
   party names, complete CPR numbers) typed into the real MainWindow's search field. The window
   waits 150 ms after the last keystroke before it searches (debounce); the latency is measured
   from the moment the search is issued (the `SearchService.search` call) to the model holding the
   local index's rows (`cases_found`, after the window's own slot filled the model). The service
   search that follows is a network step, shown for information only.
2. Sync: "My cases" of one caseworker who owns every case of a reference service seeded with
   enough cases that 100,000 are open (closed cases are not synced), by `SyncService.sync` into an
   empty index. The reference service runs in a process of its own, as a remote service would
   (also for the searches and the drop); its own time per page (Server-Timing) at the first and
   the last offset shows how its paging grows with the offset.
3. Drop: the longest gap between ticks of a 1 ms QTimer on the GUI thread while a 100-file folder
   (bench/intake.py's folder of sample mails, PDFs and notes) is dropped on a case through the
   model's `dropMimeData`, read, confirmed and queued, until every file is in the outbox.
4. Start-up: a fresh `python -c` process that imports caseclient.app and starts the Desktop on the
   embedded reference service, to the window's first paint, timed from before the process starts
   (a warm start: the first, which seeds the demo cases, runs before and is shown for information).
5. Idle RSS of that process two seconds after the first paint.
6. Selecting cases in a row with the details pane on: the Down arrow held (a press every 33 ms)
   over 200 of the service's cases in the tree; the longest gap between ticks of the 1 ms timer
   from the first press until the pane shows the last case with its documents, the case reads the
   pane made on the way, and how long after the last press the last case's details were there;
   for comparison the same walk back with the pane not updated (the machine's own stalls).

The local index (1,000,000 generated cases: the reference service's demo generator, parties with
names; 400 of them "mine", 20 favourites, 20 recent) and the service's data are built once and
cached under --data; --rebuild makes the index anew.

Prints a table, then as its LAST line one JSON object:
{"bench": "gui", "figures": {...}, "targets": {...}, "pass": true|false}.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/gui.py [--data /tmp/caseclient-bench-gui]
        [--cases 1000000] [--queries 300] [--rebuild] [--samples ../shared/samples]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QMimeData, Qt, QTimer, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from caseclient.app import Desktop
from caseclient.backends.oio import OioService
from caseclient.backends.oio_mapping import case_from_oio
from caseclient.domain import Case
from caseclient.gui.case_tree_model import CASE_ROLE, Group
from caseclient.gui.drop_flow import Confirmed
from caseclient.server import demo, kle
from caseclient.store import open_filing
from caseclient.store.case_index import CaseIndex

sys.path.insert(0, str(Path(__file__).resolve().parent))
from intake import FOLDER_FILES, build_folder

TARGETS = {"search_p95_ms": 10.0, "sync_100k_s": 60.0, "drop_stall_ms": 50.0, "select_stall_ms": 50.0,
           "startup_s": 1.5, "idle_rss_mb": 150.0}
SELECT_CASES = 200  # cases walked through with the Down arrow held, the details pane on
KEY_REPEAT_MS = 33  # a keyboard's auto-repeat: about 30 presses a second
INDEX_SEED = 11
SERVICE_SEED = 7
MINE, FAVOURITES, RECENT = 400, 20, 20
BATCH = 20_000
SYNC_OPEN_CASES = 100_000
OPEN_SHARE = 0.75  # the demo closes a quarter of its cases ("Afsluttet")
FIRST_NAMES = ("Anne", "Mads", "Sofie", "Jonas", "Lene", "Thomas", "Ida", "Mikkel", "Karen", "Søren",
               "Maja", "Frederik", "Emma", "Rasmus", "Åse", "Øjvind")
WAIT_S = 120.0


# -- data --------------------------------------------------------------------------------------

def index_key() -> bytes:
    """A fixed key, so that the cached index's party hashes stay valid between runs."""
    return hashlib.sha256(b"caseclient bench/gui.py").digest()


def generated_cases(count: int, seed: int = INDEX_SEED) -> Iterator[Case]:
    """Realistic cases: the reference service's demo cases as the client maps them, their parties
    given names (the person or company the title names, as a real ESDH returns them)."""
    generator = demo.DemoGenerator(seed)
    classes = {demo.kle_class_uuid(number): number for number in kle.SUBJECTS}
    rng = random.Random(seed)
    for uuid, registration in generator.cases(count):
        generator.documents.clear()  # the demo's document contents are not needed here
        case = case_from_oio({"id": uuid, "registreringer": [registration]}, classes)
        named = case.title.rsplit(" - ", 1)[-1]
        parties = []
        for n, party in enumerate(case.parties):
            if party.cvr:
                parties.append(replace(party, name=named))
            else:
                surname = named if n == 0 else rng.choice(demo.SURNAMES)
                parties.append(replace(party, name=f"{rng.choice(FIRST_NAMES)} {surname}"))
        yield replace(case, parties=tuple(parties))


def ensure_index(path: Path, count: int, rebuild: bool) -> None:
    if path.exists() and not rebuild:
        index = CaseIndex(path, index_key())
        try:
            have = index.count()
        finally:
            index.close()
        if have >= count:
            print(f"reusing the local index of {have:,} cases ({path})")
            return
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    started = time.perf_counter()
    index = CaseIndex(path, index_key())
    try:
        cases = generated_cases(count)
        special = [next(cases) for _ in range(MINE + FAVOURITES + RECENT)]
        index.upsert(special[:MINE], mine=True)
        for case in special[MINE:MINE + FAVOURITES]:
            index.set_favourite(case, True)
        for n, case in enumerate(special[MINE + FAVOURITES:]):
            index.mark_filed(case, when=time.time() - n * 3600)
        batch: list[Case] = []
        for case in cases:
            batch.append(case)
            if len(batch) == BATCH:
                index.upsert(batch, mine=False)
                batch.clear()
                done = index.count()
                if done % 100_000 < BATCH:
                    print(f"  {done:,} cases in the index, {time.perf_counter() - started:.0f} s", flush=True)
        index.upsert(batch, mine=False)
    finally:
        index.close()
    print(f"built a local index of {count:,} cases in {time.perf_counter() - started:.1f} s ({path})")


def ensure_service_data(folder: Path) -> None:
    """A reference service whose cases all belong to the first demo caseworker."""
    wanted = round(SYNC_OPEN_CASES / OPEN_SHARE)
    if (folder / "oio.sqlite3").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    everyone = demo.CASEWORKERS
    demo.CASEWORKERS = everyone[:1]  # the generator draws each case's caseworker from this tuple
    try:
        demo.seed_cases(folder, wanted, seed=SERVICE_SEED)
    finally:
        demo.CASEWORKERS = everyone
    print(f"seeded the reference service with {wanted:,} cases in {time.perf_counter() - started:.1f} s")


def search_queries(count: int) -> list[tuple[str, str]]:
    """(kind, text): case-number prefixes, title word prefixes, party names, complete CPR numbers,
    drawn from the first cases of the index (made again by the same generator: no CPR is kept)."""
    rng = random.Random(5)
    sample = list(generated_cases(MINE + FAVOURITES + RECENT + 5000))
    per_kind = max(1, count // 4)
    queries: list[tuple[str, str]] = []
    for _ in range(per_kind):
        number = rng.choice(sample).number
        queries.append(("number_prefix", number[:rng.choice([2, 5, 8, 12, len(number) - 3, len(number)])]))
    for _ in range(per_kind):
        words = [w for w in rng.choice(sample).title.replace("-", " ").split() if len(w) >= 3]
        word = rng.choice(words)
        queries.append(("title_word", word[:rng.randint(3, len(word))].lower()))
    for _ in range(per_kind):
        party = rng.choice(rng.choice(sample).parties)
        name = party.name or ""
        queries.append(("party_name", name if rng.random() < 0.5 else name.split()[-1]))
    people = [p.cpr for case in sample for p in case.parties if p.cpr]
    for _ in range(per_kind):
        cpr = rng.choice(people).digits
        queries.append(("cpr", cpr if rng.random() < 0.5 else f"{cpr[:6]}-{cpr[6:]}"))
    rng.shuffle(queries)
    return queries


# -- Qt helpers --------------------------------------------------------------------------------

def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
    return True


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class StallMeter:
    """The longest gap between ticks of a 1 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._tick)
        self.longest = 0.0
        self._last = 0.0

    def start(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> float:
        self._tick()
        self.timer.stop()
        return self.longest

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now


# -- measurements ------------------------------------------------------------------------------

def measure_search(app: QApplication, desktop: Desktop, queries: list[tuple[str, str]]) -> dict:
    """Per query: issued (SearchService.search called) -> local rows in the model -> service rows."""
    window, search, index = desktop.window, desktop.search, desktop.index
    issued: dict[str, float] = {}
    local: dict[str, float] = {}
    local_hits: dict[str, int] = {}
    answered: dict[str, float] = {}
    original_search, original_index_search = search.search, index.search

    def timed_search(text: str, *args, **kwargs) -> None:
        issued[text] = time.perf_counter()
        original_search(text, *args, **kwargs)

    def counted_index_search(text: str, *args, **kwargs):
        cases = original_index_search(text, *args, **kwargs)
        local_hits[text] = len(cases)
        return cases

    def found(query: str, _cases: list) -> None:  # connected after the window's slot: the rows are in
        now = time.perf_counter()
        if local_hits.get(query) and query not in local:
            local[query] = now  # SearchService emits the local hits first, when there are any
        else:
            answered[query] = now

    def failed(_message: str) -> None:
        answered[window.search_field.text().strip()] = time.perf_counter()

    search.search = timed_search  # the window calls it through the attribute
    index.search = counted_index_search
    search.cases_found.connect(found)
    search.failed.connect(failed)
    by_kind: dict[str, list[float]] = {}
    service_ms: list[float] = []
    without_local = 0
    try:
        for kind, text in queries:
            for table in (issued, local, local_hits, answered):
                table.pop(text, None)
            window.search_field.clear()
            QTest.keyClicks(window.search_field, text)
            if not wait_until(app, lambda text=text: text in answered, 60):
                raise SystemExit(f"no answer to the search {kind} in a minute")
            if text in local:
                by_kind.setdefault(kind, []).append((local[text] - issued[text]) * 1000)
            else:
                without_local += 1
            service_ms.append((answered[text] - issued[text]) * 1000)
    finally:
        search.cases_found.disconnect(found)
        search.failed.disconnect(failed)
        del search.search, index.search
    every = [ms for values in by_kind.values() for ms in values]
    figures = {kind: _spread(values) for kind, values in sorted(by_kind.items())}
    figures["all"] = _spread(every)
    figures["service_step"] = _spread(service_ms)
    figures["without_local_hits"] = without_local
    return figures


def _spread(values: list[float]) -> dict:
    return {"p50_ms": round(percentile(values, 0.5), 2), "p95_ms": round(percentile(values, 0.95), 2),
            "max_ms": round(max(values), 2), "queries": len(values)}


class _TimedService:
    """The document service with the time spent in its case searches added up."""

    def __init__(self, service) -> None:
        self._service = service
        self.search_seconds = 0.0
        self.searches = 0

    def search_cases(self, query):
        started = time.perf_counter()
        try:
            return self._service.search_cases(query)
        finally:
            self.search_seconds += time.perf_counter() - started
            self.searches += 1

    def __getattr__(self, name):
        return getattr(self._service, name)


def measure_sync(app: QApplication, service_url: str, work: Path) -> dict:
    from caseclient.server import CASEWORKERS
    from caseclient.services.background import Background
    from caseclient.services.sync_service import SyncService

    service = _TimedService(OioService(service_url))
    index = CaseIndex(work / "sync-index.sqlite", index_key())
    stored = [0.0]
    original_upsert = index.upsert

    def timed_upsert(*args, **kwargs) -> int:
        started = time.perf_counter()
        try:
            return original_upsert(*args, **kwargs)
        finally:
            stored[0] += time.perf_counter() - started

    index.upsert = timed_upsert
    background = Background()
    sync = SyncService(service, index, background, CASEWORKERS[0].uuid)
    outcome: dict = {}
    sync.finished.connect(lambda count: outcome.update(count=count))
    sync.failed.connect(lambda message: outcome.update(error=message))
    started = time.perf_counter()
    try:
        sync.sync()
        wait_until(app, lambda: bool(outcome), timeout=1800)
        seconds = time.perf_counter() - started
    finally:
        sync.stop()
        background.shutdown()
        index.close()
    if "error" in outcome:
        raise SystemExit(f"the sync failed: {outcome['error']}")
    return {"cases": outcome["count"], "seconds": round(seconds, 1), "pages": service.searches,
            "fetch_seconds_summed": round(service.search_seconds, 1),  # pages are asked for 2 at a time
            "index_seconds": round(stored[0], 1),
            **server_page_times(service_url)}


def server_page_times(service_url: str) -> dict:
    """The service's own time (Server-Timing) for a page of My cases at the first and last offset."""
    import requests

    from caseclient.server import CASEWORKERS, TIMING_HEADER
    from caseclient.services.sync_service import PAGE

    figures = {}
    for name, first in (("first", 0), ("last", round(SYNC_OPEN_CASES / OPEN_SHARE) - PAGE)):
        params = {"primaerbehandler": CASEWORKERS[0].uuid, "list": "true", "maximalantalresultater": str(PAGE),
                  "foersteresultat": str(first)}
        timings = []
        for _ in range(3):
            answer = requests.get(f"{service_url}/sag/sag", params=params, timeout=60)
            timings.append(float(answer.headers[TIMING_HEADER].split("dur=")[1]))
        figures[f"server_ms_page_at_{name}_offset"] = round(min(timings), 1)
    return figures


def measure_drop(app: QApplication, desktop: Desktop, samples: Path, work: Path, confirmed: list) -> dict:
    window, filing = desktop.window, desktop.filing
    case = desktop.service.search_cases(replace_query(limit=1, offset=random.randrange(1000)))[0]
    window.search_field.clear()
    QTest.keyClicks(window.search_field, case.number)
    model = window.model
    search = model.group_index(Group.SEARCH)

    def case_row():
        for kle_row in range(model.rowCount(search)):
            kle_group = model.index(kle_row, 0, search)
            for row in range(model.rowCount(kle_group)):
                index = model.index(row, 0, kle_group)
                if index.data(CASE_ROLE).id == case.id:
                    return index
        return None

    if not wait_until(app, lambda: case_row() is not None, 60):
        raise SystemExit(f"the case {case.number} was not found in the window")
    folder = work / "Sagsmappe"
    shutil.rmtree(folder, ignore_errors=True)
    build_folder(samples, folder)
    outcomes = {"queued": 0, "refused": 0}
    filing.enqueued.connect(lambda _item: outcomes.update(queued=outcomes["queued"] + 1))
    filing.problem.connect(lambda _text: outcomes.update(refused=outcomes["refused"] + 1))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    meter = StallMeter()
    meter.start()
    started = time.perf_counter()
    assert model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, case_row())

    def all_queued() -> bool:
        expected = sum(files for _title, files in confirmed)
        return bool(confirmed) and outcomes["queued"] + outcomes["refused"] >= expected

    finished = wait_until(app, all_queued, WAIT_S)
    seconds = time.perf_counter() - started
    longest = meter.stop()
    if not finished:
        raise SystemExit("the dropped folder was not queued in time")
    return {"files": FOLDER_FILES, "documents_confirmed": len(confirmed), "queued": outcomes["queued"],
            "refused": outcomes["refused"], "seconds_to_queued": round(seconds, 2),
            "longest_stall_ms": round(longest * 1000, 1)}


class _CountingReads:
    """The document service with its case reads (the details pane's get_case) counted."""

    def __init__(self, service) -> None:
        self._service = service
        self.case_reads = 0

    def get_case(self, case_id):
        self.case_reads += 1
        return self._service.get_case(case_id)

    def __getattr__(self, name):
        return getattr(self._service, name)


def measure_selection(app: QApplication, desktop: Desktop, cases: int = SELECT_CASES) -> dict:
    """The Down arrow held in the case tree with the details pane on: one key press every
    KEY_REPEAT_MS (a keyboard's auto-repeat) over `cases` cases of the service; the longest gap of
    the GUI thread while keys come, then until the pane shows the last case with its documents."""
    window, details, pane = desktop.window, desktop.details, desktop.details_pane
    found = desktop.service.search_cases(replace_query(limit=cases))
    if len(found) < cases // 2:
        raise SystemExit(f"the service found only {len(found)} cases to walk through")
    model, tree = window.model, window.tree
    model.set_cases(Group.RECENT, found)
    group = model.group_index(Group.RECENT)
    tree.expand(group)
    window.tabs.setCurrentIndex(0)
    tree.setCurrentIndex(model.index(0, 0, group))
    tree.setFocus()
    wait_until(app, lambda: pane.shown is not None and pane.shown.documents is not None, 60)
    counting = _CountingReads(details._service)
    details._service = counting
    slot_ms: list[float] = []  # the pane's own work on the GUI thread: per press, and when a read arrives
    plain_show_case, plain_show_details = pane.show_case, pane._show_details

    def timed(call):
        def run(*args) -> None:
            started = time.perf_counter()
            try:
                call(*args)
            finally:
                slot_ms.append((time.perf_counter() - started) * 1000)
        return run

    pane.show_case = timed(plain_show_case)
    details.details_ready.disconnect(plain_show_details)
    details.details_ready.connect(timed_details := timed(plain_show_details))
    presses = len(found) - 1
    sent = [0]
    key_timer = QTimer()
    key_timer.setTimerType(Qt.TimerType.PreciseTimer)
    key_timer.setInterval(KEY_REPEAT_MS)

    def press() -> None:
        if sent[0] >= presses:
            key_timer.stop()
            return
        QTest.keyClick(tree, Qt.Key.Key_Down)
        sent[0] += 1

    key_timer.timeout.connect(press)
    last = found[-1]
    meter = StallMeter()
    meter.start()
    started = time.perf_counter()
    key_timer.start()
    done_keys = wait_until(app, lambda: sent[0] >= presses, WAIT_S)
    keys_seconds = time.perf_counter() - started
    released = time.perf_counter()
    settled = wait_until(app, lambda: pane.shown is not None and pane.shown.case.id == last.id
                         and pane.shown.documents is not None, 60)
    settle = time.perf_counter() - released
    longest = meter.stop()
    details._service = counting._service
    details.details_ready.disconnect(timed_details)
    details.details_ready.connect(plain_show_details)
    del pane.show_case
    if not (done_keys and settled):
        raise SystemExit("selecting cases in a row did not end with the last case's details")
    if window.selected_case().id != last.id:
        raise SystemExit("the Down arrow did not reach the last case")
    # The same walk back up with the pane left as it is: the GUI thread's own stalls on this machine.
    pane.show_case = lambda _case: None
    sent[0] = 0
    key_timer.timeout.disconnect(press)

    def press_up() -> None:
        if sent[0] >= presses:
            key_timer.stop()
            return
        QTest.keyClick(tree, Qt.Key.Key_Up)
        sent[0] += 1

    key_timer.timeout.connect(press_up)
    meter.start()
    key_timer.start()
    wait_until(app, lambda: sent[0] >= presses, WAIT_S)
    baseline = meter.stop()
    del pane.show_case
    return {"cases": len(found), "key_repeat_ms": KEY_REPEAT_MS, "seconds": round(keys_seconds, 2),
            "case_reads": counting.case_reads, "last_case_shown_after_release_ms": round(settle * 1000, 1),
            "longest_stall_ms": round(longest * 1000, 1),
            "longest_stall_without_pane_ms": round(baseline * 1000, 1),
            "pane_work_p50_ms": round(statistics.median(slot_ms), 2), "pane_work_max_ms": round(max(slot_ms), 2)}


def replace_query(**fields):
    from caseclient.backends.protocol import CaseQuery

    return CaseQuery(**fields)


STARTUP_SCRIPT = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
import caseclient.app

app = QApplication(sys.argv[:1])

def report_idle():
    rss = next(line for line in open("/proc/self/status") if line.startswith("VmRSS:"))
    print("rss_kb", rss.split()[1], flush=True)
    app.quit()

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and watched.isVisible():
            watched.removeEventFilter(self)
            print("painted", flush=True)
            QTimer.singleShot(2000, report_idle)
        return False

with caseclient.app.open_desktop() as desktop:
    painted = FirstPaint()
    desktop.window.installEventFilter(painted)
    desktop.start()
    app.exec()
"""


def measure_startup(home: Path) -> dict:
    """Seconds from before the process starts to the window's first paint; RSS 2 s later."""
    env = {**os.environ, "CASECLIENT_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", STARTUP_SCRIPT], env=env, stdout=subprocess.PIPE,
                               text=True)
    painted = rss_kb = None
    try:
        for line in process.stdout:
            if line.startswith("painted"):
                painted = time.perf_counter() - started
            elif line.startswith("rss_kb"):
                rss_kb = int(line.split()[1])
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    if painted is None or rss_kb is None:
        raise SystemExit(f"the app did not start (exit code {process.returncode})")
    return {"seconds": painted, "rss_mb": rss_kb / 1024}


def start_service(data: Path) -> tuple[subprocess.Popen, str]:
    """The reference service in a process of its own, as a remote service would be (not sharing
    this process's interpreter lock with the client)."""
    process = subprocess.Popen([sys.executable, "-m", "caseclient", "serve", "--data", str(data)],
                               stdout=subprocess.PIPE, text=True)
    url = process.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        process.kill()
        raise SystemExit(f"the reference service did not start: {url!r}")
    return process, url


def measure_desktop(app: QApplication, args: argparse.Namespace, url: str, work: Path) -> tuple[dict, dict | None]:
    """Search as you type and the drop, in one Desktop on the 1,000,000-case index."""
    os.environ["CASECLIENT_HOME"] = str(work / "home")
    confirmed: list[tuple[str, int]] = []

    def confirm(_case, candidate):
        attachments = [n for n, a in enumerate(candidate.attachments) if a.included]
        confirmed.append((candidate.filename, 1 + len(attachments)))
        return Confirmed(candidate.metadata, attachments)

    queries = search_queries(args.queries)
    with open_filing() as filing:
        index = CaseIndex(args.data / "index-1m.sqlite", index_key())
        desktop = Desktop(OioService(url), filing, index, caseworker="", confirm=confirm,
                          confirm_duplicate=lambda *_: True)  # no sync: "My cases" of the index stay as built
        try:
            desktop.start()
            wait_until(app, desktop.window.isVisible, 30)
            search = measure_search(app, desktop, queries)
            select = measure_selection(app, desktop)
            drop = None
            if (args.samples / "msg").is_dir():
                drop = measure_drop(app, desktop, args.samples, work, confirmed)
            else:
                print(f"no sample files in {args.samples}: the drop is not measured")
        finally:
            desktop.stop()
            app.processEvents()  # the last outcomes of the stopped workers, while the databases are open
            desktop.window.close()
            index.close()
    return search, select, drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/caseclient-bench-gui"),
                        help="folder of the cached local index and service data (built when absent)")
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases in the local index")
    parser.add_argument("--queries", type=int, default=300, help="search-as-you-type queries")
    parser.add_argument("--rebuild", action="store_true", help="build the local index anew")
    parser.add_argument("--samples", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "samples")
    parser.add_argument("--startups", type=int, default=3, help="warm start-ups to time")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    ensure_service_data(args.data / "service")
    ensure_index(args.data / "index-1m.sqlite", args.cases, args.rebuild)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    server, url = start_service(args.data / "service")
    try:
        with tempfile.TemporaryDirectory(prefix="caseclient-bench-gui-") as folder:
            work = Path(folder)
            search, select, drop = measure_desktop(app, args, url, work)
            sync = measure_sync(app, url, work)
    finally:
        server.terminate()
        server.wait(timeout=30)
    with tempfile.TemporaryDirectory(prefix="caseclient-bench-start-") as home:
        first = measure_startup(Path(home))  # seeds the embedded service's demo cases
        warm = [measure_startup(Path(home)) for _ in range(args.startups)]
    startup = {"first_start_s": round(first["seconds"], 2),
               "seconds": round(statistics.median(w["seconds"] for w in warm), 2),
               "rss_mb": round(statistics.median(w["rss_mb"] for w in warm), 1), "runs": len(warm)}

    figures = {"local_index_cases": args.cases, "search": search, "select": select, "sync": sync, "drop": drop,
               "startup": startup}
    judged = {
        "search_p95_ms": search["all"]["p95_ms"],
        "sync_100k_s": sync["seconds"],
        "drop_stall_ms": drop["longest_stall_ms"] if drop else None,
        "select_stall_ms": select["longest_stall_ms"],
        "startup_s": startup["seconds"],
        "idle_rss_mb": startup["rss_mb"],
    }
    print()
    print(f"{'search as you type (issued -> rows)':38s} {'p50 ms':>8s} {'p95 ms':>8s} {'max ms':>8s} {'n':>5s}")
    for kind, row in search.items():
        if isinstance(row, dict):
            note = "  (information: the service's search after the local hits)" if kind == "service_step" else ""
            print(f"  {kind:36s} {row['p50_ms']:8.2f} {row['p95_ms']:8.2f} {row['max_ms']:8.2f} {row['queries']:5d}{note}")
    print(f"  queries without local hits: {search['without_local_hits']}")
    print(f"sync: {sync['cases']:,} cases in {sync['seconds']} s ({sync['pages']} pages, fetched 2 at a time while "
          f"the index stores the last: {sync['fetch_seconds_summed']} s fetching summed over both, "
          f"{sync['index_seconds']} s in the index; the service's own time for a page: "
          f"{sync['server_ms_page_at_first_offset']} ms at the first offset, "
          f"{sync['server_ms_page_at_last_offset']} ms at the last)")
    print(f"Down arrow held over {select['cases']} cases (a press every {select['key_repeat_ms']} ms) with the details "
          f"pane on: longest GUI-thread stall {select['longest_stall_ms']} ms; {select['case_reads']} case reads; the "
          f"last case's details shown {select['last_case_shown_after_release_ms']} ms after the last press (the "
          f"same walk without the pane: longest stall {select['longest_stall_without_pane_ms']} ms); the pane's own "
          f"work per press or answer {select['pane_work_p50_ms']} ms (p50), {select['pane_work_max_ms']} ms at most")
    if drop:
        print(f"drop: {drop['files']} files -> {drop['documents_confirmed']} confirmed, {drop['queued']} queued, "
              f"{drop['refused']} refused in {drop['seconds_to_queued']} s; longest GUI-thread stall "
              f"{drop['longest_stall_ms']} ms")
    print(f"start-up to first paint: {startup['seconds']} s (median of {startup['runs']}; first start with demo "
          f"seeding {startup['first_start_s']} s); idle RSS {startup['rss_mb']} MB")
    print()
    print(f"{'target':16s} {'figure':>10s} {'limit':>8s}  pass")
    passed = True
    for name, value in judged.items():
        ok = value is not None and value <= TARGETS[name]
        passed &= ok
        print(f"{name:16s} {value if value is not None else '-':>10} {TARGETS[name]:>8}  {'yes' if ok else 'NO'}")
    print(json.dumps({"bench": "gui", "figures": figures, "targets": TARGETS, "judged": judged, "pass": passed},
                     ensure_ascii=False))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
