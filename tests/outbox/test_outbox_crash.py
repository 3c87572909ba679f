"""The crash test: 1,000 documents queued, the filing process killed with SIGKILL at 20 random
moments (some of them mid-upload) and restarted each time; at the end every document is on its case
exactly once with its content intact, and the outbox shows all done.

With the undo window on: most documents wait a few seconds before their upload may start, and
another process undoes documents at random meanwhile (before and during the filing runs, racing
the worker's claims). At the end every document is either filed exactly once or undone and absent
from the service, never both."""

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

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.domain import DocumentMetadata
from caseclient.server import ReferenceService
from caseclient.store import Outbox, OutboxStatus, open_database, outbox_files_dir
from caseclient.store.undo import TooLate, undo, was_undone

DOCUMENTS = 1000
KILLS = 20
BIG_EVERY = 40  # every 40th document is 2.5 MiB, so that kills can land mid-body
UNDO_WINDOWS = (0.0, 0.0, 2.0, 10.0, 20.0)  # seconds: each document gets one of these


def _start_filing(home: Path, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "caseclient", "outbox", "run", "--service", url, "--parallel", "4", "--progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "CASECLIENT_HOME": str(home)},
    )


def _mid_body(line: str) -> bool:
    if not line.startswith("sent "):
        return False
    sent, total = line.split()[2].split("/")
    return 0 < int(sent) < int(total)


@pytest.mark.slow
def test_sigkill_at_random_moments_files_every_document_exactly_once(tmp_path: Path) -> None:
    rng = random.Random(20241122)
    server = ReferenceService(tmp_path / "reference-service")
    server.seed_demo(40)
    url = server.start()
    children: list[subprocess.Popen[str]] = []
    try:
        backend = OioService(url)
        cases = backend.search_cases(CaseQuery(limit=40))
        before = {c.id: {d.id for d in backend.list_documents(c.id)} for c in cases}

        home = tmp_path / "home"
        db = open_database(home / "data")
        outbox = Outbox(db, outbox_files_dir(home / "data"))
        sources = tmp_path / "sources"
        sources.mkdir()
        expected: dict[str, str] = {}  # sha256 → case id
        ids: list[int] = []
        for n in range(DOCUMENTS):
            outbox.undo_window_s = rng.choice(UNDO_WINDOWS)
            size = 2_621_440 + n if n % BIG_EVERY == 7 else rng.randrange(200, 4000)
            path = sources / f"doc-{n}.pdf"
            path.write_bytes(rng.randbytes(size))
            case = cases[n % len(cases)]
            item = outbox.enqueue(case, outbox.stage(path), DocumentMetadata(f"Dokument {n}", date(2024, 6, 1)),
                                  remote_checked=True)
            expected[item.sha256] = case.id
            ids.append(item.id)
        db.close()
        assert len(expected) == DOCUMENTS

        undoer_db = open_database(home / "data")  # the user, in another process than the filing
        undoer = Outbox(undoer_db, outbox_files_dir(home / "data"))
        undone: set[int] = set()
        too_late = 0

        def undo_one() -> None:
            nonlocal too_late
            item_id = rng.choice(ids)
            try:
                undo(undoer, item_id)
                undone.add(item_id)
            except TooLate:
                too_late += 1

        kinds: Counter[str] = Counter()
        for _ in range(KILLS):
            for _ in range(3):
                undo_one()
            child = _start_filing(home, url)
            children.append(child)
            mid_body = rng.random() < 0.4
            lines_left = rng.randrange(1, 120)
            for line in child.stdout:
                lines_left -= 1
                if lines_left % 10 == 0:
                    undo_one()  # racing the worker's claims
                if (mid_body and _mid_body(line)) or (not mid_body and lines_left <= 0):
                    kinds["mid-body" if mid_body else line.split()[0]] += 1
                    break
            else:
                pytest.fail(f"the filing process ended before it was killed: {child.stderr.read()}")
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=60)
            child.stdout.close()
            child.stderr.close()
            assert child.returncode == -signal.SIGKILL

        undoer_db.close()
        assert undone and too_late, (len(undone), too_late)  # both sides of the race happened
        final = _start_filing(home, url)
        children.append(final)
        out, err = final.communicate(timeout=600)
        assert final.returncode == 0, err
        assert kinds["mid-body"] >= 5, kinds

        db = open_database(home / "data")
        items = Outbox(db, outbox_files_dir(home / "data")).items()
        db.close()
        assert Counter(i.status for i in items) == {OutboxStatus.DONE: DOCUMENTS - len(undone),
                                                    OutboxStatus.CANCELLED: len(undone)}
        assert {i.id for i in items if was_undone(i)} == undone
        assert all(i.attempts == 0 and i.document_id is None for i in items if i.id in undone)  # never sent
        assert sum(i.attempts for i in items) > DOCUMENTS - len(undone)  # some were interrupted and tried again
        filed = {i.sha256: i for i in items if i.id not in undone}
        seen: Counter[str] = Counter()
        for case in cases:
            for ref in backend.list_documents(case.id):
                if ref.id in before[case.id]:
                    continue
                content = io.BytesIO()
                backend.read_content(ref.id, content)
                digest = hashlib.sha256(content.getvalue()).hexdigest()
                assert expected.get(digest) == case.id, f"{ref.id} is not one of ours or on the wrong case"
                assert digest in filed, f"{ref.id} was undone and yet filed"
                assert filed[digest].document_id == ref.id
                seen[digest] += 1
        assert len(seen) == DOCUMENTS - len(undone) and set(seen.values()) == {1}
        kept = {i.source_path for i in items if i.id in undone}  # an undone item keeps its copy (to retry)
        assert set(outbox_files_dir(home / "data").iterdir()) == kept  # filed copies are cleaned up
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=60)
        server.stop()
