"""Every backend against its simulator, side by side in one run.

Per kind in the composition root's table (caseclient.connection.BACKENDS):

1. Filing a big file (default 256 MiB) with the backend (`upload_document`, in a child process so
   its peak RSS growth can be read from /proc) vs curl sending the same requests. The backend's
   requests are recorded once (method, URL, headers, body written to a file) against one copy of
   the service's data; curl replays them, one `curl` per request as a client would, against a
   fresh copy of the same data, so both meet the same state. Rounds alternate ABBA, each with fresh
   copies; the ratio of the medians is the figure. Where a dialect carries the file as JSON (an
   int array or base64), the recorded body is bigger than the file: the table shows the bytes on
   the wire per byte of file, the honest cost of that encoding.
2. 1,000 documents of 100 KiB through the outbox (queued with `file_to_case`, filed by the worker):
   documents per second, end to end.

The service runs in a process of its own with its data in memory (/dev/shm) when it can. Prints a
table, then as its last line one JSON object.

    .venv/bin/python bench/backends.py [--kinds oio,sbsys,getorganized] [--size-mib 256] [--rounds 2]
                                      [--documents 1000] [--size-kib 100] [--parallel 4]
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
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

TARGET_RATIO = 0.8
TARGET_RSS_GROWTH_MIB = 64
TARGET_DOCS_PER_S = 50.0
MIB = 1024 * 1024
CASES = 50

SERVER = """
import sys
from pathlib import Path
from caseclient.server import ReferenceService
service = ReferenceService(Path(sys.argv[1]), dialect=sys.argv[2])
service.seed_demo(int(sys.argv[3]))
print(service.start(), flush=True)
sys.stdin.read()  # until the bench closes our stdin
service.stop()
"""


def _scratch_root() -> Path:
    shm = Path("/dev/shm")
    return Path(tempfile.mkdtemp(prefix="caseclient-bench-", dir=shm if shm.is_dir() else None))


@contextmanager
def service(data_dir: Path, kind: str, cases: int = CASES) -> Iterator[str]:
    """The reference service speaking `kind`'s dialect in a process of its own; its URL."""
    from caseclient.connection import BACKENDS

    server = subprocess.Popen([sys.executable, "-c", SERVER, str(data_dir), BACKENDS[kind].dialect, str(cases)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        yield server.stdout.readline().strip()
    finally:
        server.stdin.close()
        server.wait(timeout=120)


def backend(kind: str, url: str, session: requests.Session | None = None):
    from caseclient.config import SettingsFiles, load_settings
    from caseclient.connection import backend_for

    settings = load_settings(SettingsFiles(command_line={"service.kind": kind, "service.url": url,
                                                         "network.read_timeout": "1200"}))
    return backend_for(settings, session or requests.Session())


def first_open_case(kind: str, url: str) -> str:
    from caseclient.backends.protocol import CaseQuery

    return backend(kind, url).search_cases(CaseQuery(limit=1))[0].id


def make_file(path: Path, size_mib: int) -> str:
    """A file of pseudo-random blocks (no two alike); returns its sha256."""
    digest = hashlib.sha256()
    block = bytearray(hashlib.sha256(b"caseclient").digest() * (MIB // 32))
    with path.open("wb") as f:
        for n in range(size_mib):
            block[:8] = n.to_bytes(8, "big")
            digest.update(block)
            f.write(block)
    return digest.hexdigest()


def _proc_status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


# --- recording the backend's requests -----------------------------------------------------------

class RecordingAdapter(requests.adapters.HTTPAdapter):
    """Writes every request (and its body) to a folder before sending it on."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.recorded: list[dict] = []

    def send(self, request: requests.PreparedRequest, **kwargs):  # type: ignore[no-untyped-def]
        n = len(self.recorded)
        body_file = self.folder / f"body-{n}.bin"
        size = 0
        with body_file.open("wb") as f:
            body = request.body
            if body is None:
                pass
            elif isinstance(body, (bytes, str)):
                data = body.encode() if isinstance(body, str) else body
                f.write(data)
                size = len(data)
            else:
                for block in (iter(lambda: body.read(MIB), b"") if hasattr(body, "read") else body):
                    f.write(block)
                    size += len(block)
        self.recorded.append({"method": request.method, "url": request.url,
                              "headers": {k: v for k, v in request.headers.items()
                                          if k.lower() not in ("content-length", "user-agent", "accept-encoding",
                                                               "connection", "transfer-encoding")},
                              "body": str(body_file), "size": size})
        request.body = body_file.read_bytes() if size < MIB else body_file.open("rb")
        request.headers["Content-Length"] = str(size)
        return super().send(request, **kwargs)


def record(kind: str, url: str, case_id: str, path: Path, folder: Path) -> list[dict]:
    """File `path` once with the backend, recording its requests."""
    from caseclient.backends.protocol import MemoryResumeState
    from caseclient.domain import DocumentMetadata, UploadSource

    session = requests.Session()
    adapter = RecordingAdapter(folder)
    session.mount("http://", adapter)
    backend(kind, url, session).upload_document(
        case_id, UploadSource.from_path(path, "Benchmark upload.pdf"),
        DocumentMetadata(title="Benchmark upload", document_date=date.today()),
        idempotency_key=f"bench-{uuid.uuid4()}", state=MemoryResumeState())
    return adapter.recorded


def replay_with_curl(recorded: list[dict], url: str) -> dict[str, float]:
    """The recorded requests, sent by curl in order to the service at `url`."""
    target = urlsplit(url)
    started = time.perf_counter()
    for request in recorded:
        parts = urlsplit(request["url"])
        address = urlunsplit((target.scheme, target.netloc, parts.path, parts.query, ""))
        command = ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", request["method"], address]
        for name, value in request["headers"].items():
            command += ["-H", f"{name}: {value}"]
        if request["size"]:
            command += ["--data-binary", f"@{request['body']}"]
        out = subprocess.run(command, check=True, capture_output=True, text=True)
        if not out.stdout.strip().startswith(("2", "3")):
            raise RuntimeError(f"curl's {request['method']} {parts.path} got HTTP {out.stdout.strip()}")
    return {"seconds": time.perf_counter() - started}


# --- the backend in a child process -------------------------------------------------------------

def child(kind: str, url: str, case_id: str, path: str, sha256: str) -> None:
    """One filing with the backend; prints {"seconds", "rss_growth_mib"} as JSON."""
    from caseclient.backends.protocol import MemoryResumeState
    from caseclient.domain import DocumentMetadata, UploadSource

    file = Path(path)
    source = UploadSource(file, "Benchmark upload.pdf", "application/pdf", file.stat().st_size, sha256)
    service = backend(kind, url)
    metadata = DocumentMetadata(title="Benchmark upload", document_date=date.today())
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    baseline = _proc_status_kib("VmRSS")
    started = time.perf_counter()
    service.upload_document(case_id, source, metadata, idempotency_key=f"bench-{uuid.uuid4()}",
                            state=MemoryResumeState())
    seconds = time.perf_counter() - started
    peak = _proc_status_kib("VmHWM")
    print(json.dumps({"seconds": seconds, "rss_growth_mib": (peak - baseline) / 1024}))


def run_backend(kind: str, url: str, case_id: str, path: Path, sha256: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--child", kind, url, case_id, str(path), sha256],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def big_file(kind: str, scratch: Path, path: Path, sha256: str, rounds: int) -> dict[str, float]:
    """Backend vs curl on the same requests, ABBA, each run on a fresh copy of the same data."""
    template = scratch / f"{kind}-template"
    with service(template, kind) as url:  # seed once; every run starts from a copy of this
        case_id = first_open_case(kind, url)
    recording = scratch / f"{kind}-recording"
    recording.mkdir()
    copy = scratch / f"{kind}-run"

    def fresh() -> Path:
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(template, copy)
        return copy

    with service(fresh(), kind) as url:
        recorded = record(kind, url, case_id, path, recording)
    wire = sum(r["size"] for r in recorded)
    times: dict[str, list[float]] = {"backend": [], "curl": []}
    rss: list[float] = []
    order = [w for n in range(rounds) for w in (("backend", "curl") if n % 2 == 0 else ("curl", "backend"))]
    for who in order:
        with service(fresh(), kind) as url:
            if who == "backend":
                result = run_backend(kind, url, case_id, path, sha256)
                rss.append(result["rss_growth_mib"])
            else:
                result = replay_with_curl(recorded, url)
            times[who].append(result["seconds"])
    shutil.rmtree(copy, ignore_errors=True)
    shutil.rmtree(recording, ignore_errors=True)
    shutil.rmtree(template, ignore_errors=True)
    size = path.stat().st_size
    backend_s, curl_s = statistics.median(times["backend"]), statistics.median(times["curl"])
    return {"requests": len(recorded), "wire_per_file_byte": wire / size,
            "backend_mib_s": size / MIB / backend_s, "curl_mib_s": size / MIB / curl_s,
            "ratio": curl_s / backend_s, "rss_growth_mib": max(rss)}


def many_small(kind: str, scratch: Path, count: int, size_kib: int, parallel: int) -> dict[str, float]:
    from caseclient.backends.protocol import CaseQuery
    from caseclient.domain import DocumentMetadata
    from caseclient.filing import DuplicateGuard, NoPrompts, OutboxWorker, file_to_case
    from caseclient.store import FilingLedger, Outbox, OutboxStatus, open_database, outbox_files_dir

    with service(scratch / f"{kind}-small-service", kind) as url:
        bare = backend(kind, url)
        cases = bare.search_cases(CaseQuery(limit=CASES))
        sources = scratch / f"{kind}-small"
        sources.mkdir()
        paths = []
        for n in range(count):
            path = sources / f"brev-{n}.pdf"
            path.write_bytes(os.urandom(size_kib * 1024))
            paths.append(path)
        home = Path(tempfile.mkdtemp(prefix="caseclient-bench-home-"))  # on disk, as a user's would be
        db = open_database(home)
        outbox = Outbox(db, outbox_files_dir(home))
        guard = DuplicateGuard(FilingLedger(db), outbox, bare)
        worker = OutboxWorker(outbox, bare, NoPrompts(), guard=guard, parallelism=parallel)
        worker.start()
        started = time.perf_counter()
        try:
            for n, path in enumerate(paths):
                file_to_case(outbox, guard, NoPrompts(), cases[n % len(cases)], path,
                             DocumentMetadata(f"Brev {n}", date.today()))
            worker.wait_until(lambda: outbox.counts()[OutboxStatus.DONE] + outbox.counts()[OutboxStatus.FAILED]
                              == count)
            seconds = time.perf_counter() - started
        finally:
            worker.stop()
        failed = outbox.counts()[OutboxStatus.FAILED]
        first_error = outbox.items([OutboxStatus.FAILED])[0].last_error if failed else ""
        db.close()
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(sources, ignore_errors=True)
    if failed:
        raise RuntimeError(f"{kind}: {failed} documents failed: {first_error}")
    return {"documents": count, "seconds": seconds, "docs_per_s": count / seconds}


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:7])
        return 0
    from caseclient.connection import BACKENDS
    from caseclient.server import DIALECTS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default=",".join(BACKENDS))
    parser.add_argument("--size-mib", type=int, default=256)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--size-kib", type=int, default=100)
    parser.add_argument("--parallel", type=int, default=4)
    args = parser.parse_args()
    kinds = [k for k in args.kinds.split(",") if k]
    scratch = _scratch_root()
    figures: dict[str, dict[str, float]] = {}
    try:
        path = scratch / "big.pdf"
        sha256 = make_file(path, args.size_mib)
        for kind in kinds:
            if why := DIALECTS[BACKENDS[kind].dialect].missing():
                print(f"{kind}: left out: {why}", file=sys.stderr, flush=True)
                continue
            figures[kind] = {**big_file(kind, scratch, path, sha256, args.rounds),
                             **{f"outbox_{k}": v for k, v in
                                many_small(kind, scratch, args.documents, args.size_kib, args.parallel).items()}}
            print(f"{kind}: done", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"{'kind':<14}{'requests':>9}{'wire/file':>10}{'backend MiB/s':>15}{'curl MiB/s':>12}{'ratio':>7}"
          f"{'RSS +MiB':>10}{'outbox docs/s':>15}")
    passed = True
    for kind, f in figures.items():
        print(f"{kind:<14}{f['requests']:>9}{f['wire_per_file_byte']:>10.2f}{f['backend_mib_s']:>15.1f}"
              f"{f['curl_mib_s']:>12.1f}{f['ratio']:>7.2f}{f['rss_growth_mib']:>10.1f}{f['outbox_docs_per_s']:>15.1f}")
        passed &= (f["ratio"] >= TARGET_RATIO and f["rss_growth_mib"] <= TARGET_RSS_GROWTH_MIB
                   and f["outbox_docs_per_s"] >= TARGET_DOCS_PER_S)
    print(f"targets: ratio >= {TARGET_RATIO} x curl on the same requests, RSS growth <= {TARGET_RSS_GROWTH_MIB} MiB, "
          f">= {TARGET_DOCS_PER_S:g} docs/s through the outbox")
    print(json.dumps({"bench": "backends", "figures": figures,
                      "targets": {"ratio_vs_curl": TARGET_RATIO, "rss_growth_mib": TARGET_RSS_GROWTH_MIB,
                                  "outbox_docs_per_s": TARGET_DOCS_PER_S},
                      "pass": passed}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
