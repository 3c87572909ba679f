"""The outbox's promises hold on every backend: killed filing processes and a faulty server end
with every document on its case exactly once, its content intact.

(The `oio` backend also has the full-size versions in tests/outbox: 1,000 documents and 20 kills.)
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import signal
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from backend_contract import Subject
from caseclient.backends.protocol import Capability
from caseclient.domain import Case, DocumentMetadata
from caseclient.filing import DuplicateGuard, OutboxWorker, RetryPolicy, SystemClock, file_to_case
from caseclient.server import FaultConfig
from caseclient.store import FilingLedger, Outbox, OutboxStatus, open_database, outbox_files_dir

DOCUMENTS = 200
KILLS = 5
BIG_EVERY = 40  # every 40th document is 2.5 MiB, so that kills can land mid-body
WAIT = 240.0


def _contents(subject: Subject, cases: list[Case], skip: dict[str, set[str]]) -> Counter[tuple[str, str]]:
    """(case id, sha256) of every document filed on the cases since `skip` was taken."""
    assert Capability.READ_CONTENT in subject.backend.capabilities, f"{subject.kind} cannot read back"
    found: Counter[tuple[str, str]] = Counter()
    for case in cases:
        for ref in subject.backend.list_documents(case.id):
            if ref.id in skip.get(case.id, set()):
                continue
            sink = io.BytesIO()
            subject.backend.read_content(ref.id, sink)
            found[(case.id, hashlib.sha256(sink.getvalue()).hexdigest())] += 1
    return found


def _start_filing(subject: Subject, home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "caseclient", "outbox", "run", "--service", subject.service.url,
         "--set", f"service.kind={subject.kind}", "--parallel", "4", "--progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "CASECLIENT_HOME": str(home)},
    )


def _mid_body(line: str) -> bool:
    if not line.startswith("sent "):
        return False
    sent, total = line.split()[2].split("/")
    return 0 < int(sent) < int(total)


@pytest.mark.slow
def test_sigkill_at_random_moments_files_every_document_exactly_once(subject: Subject, tmp_path: Path) -> None:
    rng = random.Random(20261203)
    cases = subject.open_cases(limit=20)[:20]
    before = {c.id: {d.id for d in subject.backend.list_documents(c.id)} for c in cases}
    home = tmp_path / "home"
    db = open_database(home / "data")
    outbox = Outbox(db, outbox_files_dir(home / "data"))
    expected: Counter[tuple[str, str]] = Counter()
    for n in range(DOCUMENTS):
        size = 2_621_440 + n if n % BIG_EVERY == 7 else rng.randrange(200, 4000)
        path = tmp_path / "sources" / f"dok-{n}.pdf"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(rng.randbytes(size))
        case = cases[n % len(cases)]
        item = outbox.enqueue(case, outbox.stage(path), DocumentMetadata(f"Dokument {n}", date(2026, 6, 1)),
                              remote_checked=True)
        expected[(case.id, item.sha256)] += 1
    db.close()

    children: list[subprocess.Popen[str]] = []
    kinds: Counter[str] = Counter()
    try:
        for _ in range(KILLS):
            child = _start_filing(subject, home)
            children.append(child)
            mid_body = rng.random() < 0.6
            lines_left = rng.randrange(1, 60)
            for line in child.stdout:
                lines_left -= 1
                if (mid_body and _mid_body(line)) or (not mid_body and lines_left <= 0):
                    kinds["mid-body" if mid_body else line.split()[0]] += 1
                    break
            else:
                pytest.fail(f"the filing process ended before it was killed: {child.stderr.read()}")
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=60)
            child.stdout.close()
            child.stderr.close()
        final = _start_filing(subject, home)
        children.append(final)
        _out, err = final.communicate(timeout=600)
        assert final.returncode == 0, err
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=60)
    assert kinds["mid-body"] >= 2, kinds

    db = open_database(home / "data")
    items = Outbox(db, outbox_files_dir(home / "data")).items()
    db.close()
    assert Counter(i.status for i in items) == {OutboxStatus.DONE: DOCUMENTS}
    assert sum(i.attempts for i in items) > DOCUMENTS  # some were interrupted and tried again
    assert _contents(subject, cases, before) == expected
    assert list(outbox_files_dir(home / "data").iterdir()) == []


class _Prompts:
    def confirm_duplicate(self, title, prior) -> bool:  # type: ignore[no-untyped-def]
        return False

    def ask_credentials(self, service_name: str, message: str) -> bool:
        return False


def test_a_faulty_service_gets_everything_exactly_once(subject: Subject, tmp_path: Path) -> None:
    cases = subject.open_cases(limit=8)[:8]
    before = {c.id: {d.id for d in subject.backend.list_documents(c.id)} for c in cases}
    db = open_database(tmp_path / "data")
    outbox = Outbox(db, outbox_files_dir(tmp_path / "data"))
    ledger = FilingLedger(db)
    guard = DuplicateGuard(ledger, outbox, subject.backend)
    prompts = _Prompts()
    expected: Counter[tuple[str, str]] = Counter()
    for n in range(24):
        path = tmp_path / "sources" / f"d{n}.pdf"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(os.urandom(3000 + n))
        outcome = file_to_case(outbox, guard, prompts, cases[n % len(cases)], path,
                               DocumentMetadata(title=f"Fejlprøve {n}", document_date=date(2026, 5, 1)))
        expected[(cases[n % len(cases)].id, hashlib.sha256(path.read_bytes()).hexdigest())] += 1
        assert outcome is not None
    subject.service.faults = FaultConfig(error_rate=0.3, drop_rate=0.1, latency_rate=0.1, latency_seconds=1.0,
                                         seed=11)
    worker = OutboxWorker(outbox, subject.backend, prompts, guard=guard, parallelism=6,
                          policy=RetryPolicy(base=0.05, cap=0.5, floor=0.01, rng=random.Random(5)),
                          clock=SystemClock())
    worker.start()
    try:
        assert worker.wait_until(lambda: outbox.counts()[OutboxStatus.DONE] == 24, WAIT), outbox.counts()
    finally:
        subject.service.faults = FaultConfig()
        worker.stop(timeout=30)
    items = outbox.items()
    assert sum(i.attempts for i in items) > 24  # the faults did bite
    assert outbox.counts()[OutboxStatus.FAILED] == 0
    filed = _contents(subject, cases, before)
    assert filed == expected
    on_server = set()
    for case in cases:
        on_server |= {d.id for d in subject.backend.list_documents(case.id)}
    assert all(i.document_id in on_server for i in items)
    db.close()
