"""Filing through the outbox: many small documents end to end, and one big file vs the bare backend.

1. N documents of 100 KB (default 1,000) queued with `file_to_case` (copy, hash, duplicate guard
   with the server asked) and filed by the outbox worker: documents per second, end to end.
2. A 1 GiB file through the outbox (queued, i.e. copied into the outbox folder and flushed to disk,
   and filed by the worker, which starts as soon as the item is queued) vs the same file through
   the bare `oio` backend as its callers use it (hash the file for its UploadSource, then
   `upload_document`), alternating AB BA for --rounds rounds, each way with a fresh service and
   nothing left to write back: the ratio of the best times from the drop to filed, i.e. the moment
   the outbox says done (what the user is told). The worker starts as soon as the item is queued;
   the big copy waits for its filing before it is flushed, as in the app ("queued" is when enqueue
   returned: the copy on disk, or the document filed). The ratio of the medians is printed too.

The reference service runs in its own process with its data in memory (/dev/shm) when it can;
the outbox lives on disk, as a user's would. Prints a table, then as its last line one JSON object.

    .venv/bin/python bench/outbox.py [--documents 1000] [--size-kib 100] [--big-mib 1024] [--parallel 4]
                                     [--rounds 2]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery, MemoryResumeState
from caseclient.domain import CHUNK, DocumentMetadata, UploadSource
from caseclient.filing import DuplicateGuard, NoPrompts, OutboxWorker, file_to_case
from caseclient.filing.enqueue import WHILE_FILING_FLUSH_GRACE_S
from caseclient.store import FilingLedger, Outbox, OutboxItem, OutboxStatus, open_database, outbox_files_dir

TARGET_DOCS_PER_S = 50.0
TARGET_RATIO = 0.9
CASES = 50

SERVER = """
import sys
from pathlib import Path
from caseclient.server import ReferenceService
service = ReferenceService(Path(sys.argv[1]))
service.seed_demo(int(sys.argv[2]))
print(service.start(), flush=True)
sys.stdin.read()  # until the bench closes our stdin
service.stop()
"""


@contextmanager
def reference_service(data_dir: Path) -> Iterator[tuple[str, str]]:
    """A fresh reference service in its own process: its URL and the id of one of its cases."""
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(data_dir), str(CASES)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        yield url, OioService(url).search_cases(CaseQuery(limit=1))[0].id
    finally:
        server.stdin.close()
        server.wait(timeout=60)
        shutil.rmtree(data_dir, ignore_errors=True)


def make_file(path: Path, size_mib: int) -> str:
    """A file of random bytes; returns its sha256."""
    digest = hashlib.sha256()
    with path.open("wb") as f:
        for _ in range(size_mib):
            block = os.urandom(CHUNK)
            digest.update(block)
            f.write(block)
    return digest.hexdigest()


def _outbox(home: Path):
    db = open_database(home)
    outbox = Outbox(db, outbox_files_dir(home))
    return db, outbox, FilingLedger(db)


def _filed(outbox: Outbox, worker: OutboxWorker, count: int) -> float:
    """Wait until `count` documents are done (the moment the user is told so); stop the worker."""
    try:
        worker.wait_until(lambda: outbox.counts()[OutboxStatus.DONE] == count)
        done = time.perf_counter()
    finally:
        worker.stop()
    failed = outbox.counts()[OutboxStatus.FAILED]
    if failed:
        raise RuntimeError(f"{failed} documents failed: {outbox.items([OutboxStatus.FAILED])[0].last_error}")
    return done


def _started_worker(outbox: Outbox, backend: OioService, guard: DuplicateGuard, parallel: int) -> OutboxWorker:
    worker = OutboxWorker(outbox, backend, NoPrompts(), guard=guard, parallelism=parallel)
    worker.start()
    return worker


def many_small(url: str, scratch: Path, count: int, size_kib: int, parallel: int) -> dict[str, float]:
    backend = OioService(url)
    cases = backend.search_cases(CaseQuery(limit=CASES))
    sources = scratch / "small"
    sources.mkdir()
    paths = []
    for n in range(count):
        path = sources / f"brev-{n}.pdf"
        path.write_bytes(os.urandom(size_kib * 1024))
        paths.append(path)
    db, outbox, ledger = _outbox(scratch / "home-small")
    guard = DuplicateGuard(ledger, outbox, backend)
    worker = _started_worker(outbox, backend, guard, parallel)  # running, as in the app, while documents come in
    started = time.perf_counter()
    for n, path in enumerate(paths):
        file_to_case(outbox, guard, NoPrompts(), cases[n % len(cases)], path,
                     DocumentMetadata(f"Brev {n}", date.today()))
    queued = time.perf_counter()
    finished = _filed(outbox, worker, count)
    db.close()
    return {"documents": count, "enqueue_seconds": queued - started, "filing_seconds": finished - queued,
            "seconds": finished - started, "docs_per_s": count / (finished - started)}


def big_through_outbox(url: str, case_id: str, path: Path, scratch: Path, parallel: int) -> dict[str, float]:
    backend = OioService(url)
    case = backend.get_case(case_id)
    db, outbox, ledger = _outbox(scratch / "home-big")
    guard = DuplicateGuard(ledger, outbox, backend)
    worker = _started_worker(outbox, backend, guard, parallel)
    def drop() -> tuple[OutboxItem, float]:  # on a thread of its own, as in the app
        return (file_to_case(outbox, guard, NoPrompts(), case, path, DocumentMetadata("Stor fil", date.today()),
                             flush_grace=WHILE_FILING_FLUSH_GRACE_S), time.perf_counter())

    started = time.perf_counter()
    with ThreadPoolExecutor(1, thread_name_prefix="bench-drop") as dropping:
        queuing = dropping.submit(drop)
        finished = _filed(outbox, worker, 1)
        item, queued = queuing.result()
    db.close()
    shutil.rmtree(scratch / "home-big")
    assert item.size == path.stat().st_size
    return {"seconds": finished - started, "queued_seconds": queued - started}


def big_bare(url: str, case_id: str, path: Path, sha256: str) -> dict[str, float]:
    """The bare backend as its callers use it: hash the file (UploadSource), then upload it."""
    backend = OioService(url)
    started = time.perf_counter()
    source = UploadSource.from_path(path)
    assert source.sha256 == sha256
    backend.upload_document(case_id, source, DocumentMetadata("Stor fil", date.today()),
                            idempotency_key=f"bare-{time.time_ns()}", state=MemoryResumeState())
    return {"seconds": time.perf_counter() - started}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--size-kib", type=int, default=100)
    parser.add_argument("--big-mib", type=int, default=1024)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of outbox-bare, bare-outbox (1 GiB)")
    args = parser.parse_args()

    memory = Path("/dev/shm")
    service_scratch = Path(tempfile.mkdtemp(prefix="caseclient-bench-outbox-",
                                            dir=memory if memory.is_dir() else None))
    scratch = Path(tempfile.mkdtemp(prefix="caseclient-bench-outbox-"))  # on disk, like a user's outbox
    try:
        with reference_service(service_scratch / "service-small") as (url, _case):
            small = many_small(url, scratch, args.documents, args.size_kib, args.parallel)
        big = scratch / "big file.bin"
        sha256 = make_file(big, args.big_mib)
        rows = []
        for order in (("outbox", "bare"), ("bare", "outbox")) * args.rounds:  # AB BA ...
            for way in order:
                with reference_service(service_scratch / "service-big") as (url, case_id):
                    os.sync()  # each way starts with nothing of the previous one left to write back
                    if way == "outbox":
                        rows.append((way, big_through_outbox(url, case_id, big, scratch, args.parallel)))
                    else:
                        rows.append((way, big_bare(url, case_id, big, sha256)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(service_scratch, ignore_errors=True)

    print(f"{small['documents']} documents of {args.size_kib} KiB, queued one by one while the worker ran: "
          f"all queued after {small['enqueue_seconds']:.1f} s, all filed {small['filing_seconds']:.1f} s later: "
          f"{small['docs_per_s']:.1f} documents/s end to end")
    print(f"{'way':<8}{'filed s':>10}{'MiB/s':>10}{'queued s':>10}")
    for way, row in rows:
        queued = f"{row['queued_seconds']:>10.2f}" if "queued_seconds" in row else f"{'-':>10}"
        print(f"{way:<8}{row['seconds']:>10.2f}{args.big_mib / row['seconds']:>10.1f}{queued}")
    bare = min(r["seconds"] for w, r in rows if w == "bare")
    through = min(r["seconds"] for w, r in rows if w == "outbox")
    queued = min(r["queued_seconds"] for w, r in rows if w == "outbox")
    median_ratio = (statistics.median(r["seconds"] for w, r in rows if w == "bare")
                    / statistics.median(r["seconds"] for w, r in rows if w == "outbox"))
    figures = {
        "documents": small["documents"], "document_kib": args.size_kib, "docs_per_s": round(small["docs_per_s"], 1),
        "big_mib": args.big_mib,
        "bare_mib_per_s": round(args.big_mib / bare, 1), "outbox_mib_per_s": round(args.big_mib / through, 1),
        "ratio": round(bare / through, 3), "median_ratio": round(median_ratio, 3),
        "outbox_queued_seconds": round(queued, 2),
    }
    print(f"1 GiB, outbox vs bare backend: best {figures['ratio']:.3f}, median {figures['median_ratio']:.3f}")
    targets = {"docs_per_s": TARGET_DOCS_PER_S, "ratio": TARGET_RATIO}
    passed = figures["docs_per_s"] >= TARGET_DOCS_PER_S and figures["ratio"] >= TARGET_RATIO
    print(json.dumps({"bench": "outbox", "figures": figures, "targets": targets, "pass": passed}))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
