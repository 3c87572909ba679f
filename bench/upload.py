"""Filing a big file: caseclient's `oio` backend vs curl sending the same multipart PUT.

Starts the reference service in its own process on a free loopback port (data in a temporary
folder, in memory when /dev/shm exists; a fresh, warmed-up service per run), makes a 1 GiB
file, then alternates rounds in ABBA order: caseclient (OioService.upload_document, in a child
process so its peak RSS growth can be read from /proc) and curl (`-F json=<...` and
`-F fil1=@file`). Prints a table, then as its last line one JSON object with the medians.

    .venv/bin/python bench/upload.py [--size-mib 1024] [--rounds 5]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
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

TARGET_RATIO = 0.8
TARGET_RSS_GROWTH_MIB = 64
MIB = 1024 * 1024

SERVER = """
import sys
from pathlib import Path
from caseclient.server import ReferenceService
service = ReferenceService(Path(sys.argv[1]))
service.seed_demo(5)
print(service.start(), flush=True)
sys.stdin.read()  # until the bench closes our stdin
service.stop()
"""


def _proc_status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def _cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def child(url: str, case_id: str, path: str, sha256: str, key: str) -> None:
    """One filing with caseclient; prints {"seconds", "rss_growth_mib"} as JSON."""
    from caseclient.backends.oio import OioService
    from caseclient.backends.protocol import MemoryResumeState
    from caseclient.domain import DocumentMetadata, UploadSource

    file = Path(path)
    source = UploadSource(file, file.name, "application/octet-stream", file.stat().st_size, sha256)
    service = OioService(url, timeout=(10, 600))
    metadata = DocumentMetadata(title="Benchmark upload", document_date=date.today())
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to the current RSS
    baseline = _proc_status_kib("VmRSS")
    cpu, started = _cpu_seconds(resource.RUSAGE_SELF), time.perf_counter()
    ref = service.upload_document(case_id, source, metadata, idempotency_key=key, state=MemoryResumeState())
    seconds, cpu = time.perf_counter() - started, _cpu_seconds(resource.RUSAGE_SELF) - cpu
    peak = _proc_status_kib("VmHWM")
    assert ref.size == source.size, ref
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "rss_growth_mib": (peak - baseline) / 1024}))


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


def run_caseclient(url: str, case_id: str, path: Path, sha256: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", url, case_id, str(path), sha256, f"bench-{uuid.uuid4()}"],
        check=True, capture_output=True, text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_curl(url: str, path: Path, sha256: str, scratch: Path) -> dict[str, float]:
    """The same multipart PUT as caseclient sends, by curl."""
    from caseclient.backends import oio_mapping
    from caseclient.domain import DocumentMetadata, UploadSource

    source = UploadSource(path, path.name, "application/octet-stream", path.stat().st_size, sha256)
    metadata = DocumentMetadata(title="Benchmark upload", document_date=date.today())
    body = oio_mapping.document_body(metadata, source, idempotency_key=f"curl-{uuid.uuid4()}", inbox=False,
                                     today=date.today())
    json_file = scratch / "body.json"
    json_file.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    cpu, started = _cpu_seconds(resource.RUSAGE_CHILDREN), time.perf_counter()
    out = subprocess.run(
        ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT",
         "-F", f"json=<{json_file};type=text/plain",
         "-F", f"{oio_mapping.FILE_FIELD}=@{path};type=application/octet-stream",
         f"{url}/dokument/dokument/{uuid.uuid4()}"],
        check=True, capture_output=True, text=True,
    )
    seconds, cpu = time.perf_counter() - started, _cpu_seconds(resource.RUSAGE_CHILDREN) - cpu
    if out.stdout.strip() != "200":
        raise RuntimeError(f"curl's upload got HTTP {out.stdout.strip()}")
    return {"seconds": seconds, "cpu_seconds": cpu}


@contextmanager
def reference_service(data_dir: Path, small_file: Path) -> Iterator[tuple[str, str]]:
    """A reference service in its own process: its URL and the id of a demo case. It is warmed
    up by one small filing with each tool, so that neither pays for a first request of a kind."""
    from caseclient.backends.oio import OioService
    from caseclient.backends.protocol import CaseQuery

    server = subprocess.Popen([sys.executable, "-c", SERVER, str(data_dir)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        case_id = OioService(url).search_cases(CaseQuery(include_closed=True, limit=1))[0].id
        small_sha256 = hashlib.sha256(small_file.read_bytes()).hexdigest()
        run_caseclient(url, case_id, small_file, small_sha256)
        run_curl(url, small_file, small_sha256, small_file.parent)
        yield url, case_id
    finally:
        server.stdin.close()
        server.wait(timeout=60)
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("curl") is None:
        print("curl is missing (apt-get install -y curl)", file=sys.stderr)
        return 2

    # Each run gets a fresh service whose data lives in memory (/dev/shm) when it can: the disk's
    # write-back, shared with whatever else this machine does, would otherwise drown the
    # difference between the two clients.
    memory = Path("/dev/shm")
    scratch = Path(tempfile.mkdtemp(prefix="caseclient-bench-upload-",
                                    dir=memory if memory.is_dir() else None))
    try:
        path, small = scratch / "big file.bin", scratch / "small file.bin"
        sha256 = make_file(path, args.size_mib)
        make_file(small, 1)
        size_mib = path.stat().st_size / MIB
        rows = []
        for n in range(1, args.rounds + 1):
            for tool in ("caseclient", "curl") if n % 2 else ("curl", "caseclient"):  # ABBA order
                with reference_service(scratch / "service", small) as (url, case_id):
                    if tool == "caseclient":
                        rows.append((tool, n, run_caseclient(url, case_id, path, sha256)))
                    else:
                        rows.append((tool, n, run_curl(url, path, sha256, scratch)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"filing a {size_mib:.0f} MiB file on the reference service (data in {scratch.parent}); "
          f"load average {load} on {os.cpu_count()} CPUs")
    print(f"{'tool':<12}{'round':>6}{'seconds':>10}{'MiB/s':>10}{'client CPU s':>14}{'RSS growth MiB':>16}")
    for tool, n, row in rows:
        rss = f"{row['rss_growth_mib']:.1f}" if "rss_growth_mib" in row else "-"
        print(f"{tool:<12}{n:>6}{row['seconds']:>10.2f}{size_mib / row['seconds']:>10.1f}"
              f"{row['cpu_seconds']:>14.2f}{rss:>16}")
    caseclient = statistics.median(size_mib / r["seconds"] for t, _, r in rows if t == "caseclient")
    curl = statistics.median(size_mib / r["seconds"] for t, _, r in rows if t == "curl")
    rss_growth = statistics.median(r["rss_growth_mib"] for t, _, r in rows if t == "caseclient")
    cpu = {tool: statistics.median(r["cpu_seconds"] for t, _, r in rows if t == tool) * 1024 / size_mib
           for tool in ("caseclient", "curl")}
    ratio = caseclient / curl
    print(f"  caseclient {caseclient:.1f} MiB/s, curl {curl:.1f} MiB/s, ratio {ratio:.2f}, "
          f"caseclient RSS growth {rss_growth:.1f} MiB; client CPU per GiB: "
          f"caseclient {cpu['caseclient']:.2f} s, curl {cpu['curl']:.2f} s")
    passed = ratio >= TARGET_RATIO and rss_growth <= TARGET_RSS_GROWTH_MIB
    print(json.dumps({
        "bench": "upload",
        "figures": {"caseclient_mib_s": round(caseclient, 1), "curl_mib_s": round(curl, 1),
                    "ratio": round(ratio, 3), "rss_growth_mib": round(rss_growth, 1),
                    "caseclient_cpu_s_per_gib": round(cpu["caseclient"], 2),
                    "curl_cpu_s_per_gib": round(cpu["curl"], 2)},
        "targets": {"ratio_min": TARGET_RATIO, "rss_growth_mib_max": TARGET_RSS_GROWTH_MIB},
        "pass": passed,
    }))
    return 0 if passed else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:7])
    else:
        sys.exit(main())
