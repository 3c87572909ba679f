"""The crash test: 1,000 documents queued, the filing process killed with SIGKILL at 20 random
moments (some of them mid-upload) and restarted each time; at the end every document is on its case
exactly once with its content intact, and the outbox shows all done."""

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

DOCUMENTS = 1000
KILLS = 20
BIG_EVERY = 40  # every 40th document is 2.5 MiB, so that kills can land mid-body


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
        for n in range(DOCUMENTS):
            size = 2_621_440 + n if n % BIG_EVERY == 7 else rng.randrange(200, 4000)
            path = sources / f"doc-{n}.pdf"
            path.write_bytes(rng.randbytes(size))
            case = cases[n % len(cases)]
            item = outbox.enqueue(case, outbox.stage(path), DocumentMetadata(f"Dokument {n}", date(2024, 6, 1)),
                                  remote_checked=True)
            expected[item.sha256] = case.id
        db.close()
        assert len(expected) == DOCUMENTS

        kinds: Counter[str] = Counter()
        for _ in range(KILLS):
            child = _start_filing(home, url)
            children.append(child)
            mid_body = rng.random() < 0.4
            lines_left = rng.randrange(1, 120)
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
            assert child.returncode == -signal.SIGKILL

        final = _start_filing(home, url)
        children.append(final)
        out, err = final.communicate(timeout=600)
        assert final.returncode == 0, err
        assert kinds["mid-body"] >= 5, kinds

        db = open_database(home / "data")
        items = Outbox(db, outbox_files_dir(home / "data")).items()
        db.close()
        assert Counter(i.status for i in items) == {OutboxStatus.DONE: DOCUMENTS}
        assert sum(i.attempts for i in items) > DOCUMENTS  # some were interrupted and tried again
        filed = {i.sha256: i for i in items}
        seen: Counter[str] = Counter()
        for case in cases:
            for ref in backend.list_documents(case.id):
                if ref.id in before[case.id]:
                    continue
                content = io.BytesIO()
                backend.read_content(ref.id, content)
                digest = hashlib.sha256(content.getvalue()).hexdigest()
                assert expected.get(digest) == case.id, f"{ref.id} is not one of ours or on the wrong case"
                assert filed[digest].document_id == ref.id
                seen[digest] += 1
        assert len(seen) == DOCUMENTS and set(seen.values()) == {1}
        assert list(outbox_files_dir(home / "data").iterdir()) == []  # filed copies are cleaned up
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait(timeout=60)
        server.stop()
