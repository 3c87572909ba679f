"""`caseclient serve` under a bounded load of oversized and malformed requests.

Starts `caseclient serve` as its own process (loopback, a free port, --demo-cases) so that the
resident memory measured is the service's alone. Then, for --seconds, --threads clients send a
mix of hostile requests as fast as the service answers them, while --slow clients hold
connections open with half a request each (re-opened when the service drops them), and one
prober runs a normal case search (the client's page: `titel=%bolig%`, 50 results) every 0.2 s:

    oversized_declared   a JSON body declaring 1 GiB (only the headers and 64 KiB are sent)
    oversized_chunked    a chunked JSON body of 20 MiB (over the 16 MiB limit)
    oversized_upload     a multipart upload declaring 8 GiB
    too_many_parts       a multipart body of 400 small parts
    malformed_json       `{not json`
    deep_json            200,000 nested arrays
    bad_paging           maximalantalresultater=x
    broken_chunking      a chunk size that is not a number
    foreign_indhold      a document whose `indhold` is store:../../etc/passwd

Every hostile request must be answered 400 or 413 (never 5xx), the prober's searches must each
answer within 1 s, and the service's resident memory must stay bounded (its peak no more than
--rss-budget-mib above its resident memory before the load).

Prints a table, then as its LAST line one JSON object:
{"bench": "serve_hostile", "figures": {...}, "targets": {...}, "pass": true|false}.

    .venv/bin/python bench/serve_hostile.py [--seconds 20] [--threads 6] [--slow 100]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests

SEARCH = {"titel": "%bolig%", "list": "true", "maximalantalresultater": "50", "foersteresultat": "0"}
TARGET_SEARCH_MS = 1000.0
GIB = 1024 ** 3


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def raw(host: str, port: int, head: bytes, body_parts: list[bytes] | None = None) -> int:
    """Send a request by hand; the status the service answers (0: none)."""
    with socket.create_connection((host, port), timeout=30) as sock:
        try:
            sock.sendall(head)
            for part in body_parts or []:
                sock.sendall(part)
        except OSError:
            pass  # the service answered and closed before the whole body went
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
    try:
        return int(answer.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


def hostile_requests(url: str) -> dict[str, callable]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    port = int(port)
    json_head = b"POST /sag/sag HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n"

    def oversized_declared():
        return raw(host, port, json_head + f"Content-Length: {GIB}\r\n\r\n".encode(), [b"{" + b" " * 65535])

    def oversized_chunked():
        block = b" " * (1 << 20)
        chunk = f"{len(block):x}\r\n".encode() + block + b"\r\n"
        return raw(host, port, json_head + b"Transfer-Encoding: chunked\r\n\r\n", [b"1\r\n{\r\n"] + [chunk] * 20)

    def oversized_upload():
        head = (b"PUT /dokument/dokument/00000000-0000-4000-8000-000000000001 HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: multipart/form-data; boundary=b\r\nConnection: close\r\n"
                + f"Content-Length: {8 * GIB}\r\n\r\n".encode())
        return raw(host, port, head, [b"--b\r\n"])

    def too_many_parts():
        files = {f"f{n}": (f"{n}.pdf", b"%PDF") for n in range(400)}
        return requests.put(f"{url}/dokument/dokument/00000000-0000-4000-8000-000000000002",
                            files=files, timeout=30).status_code

    def malformed_json():
        return requests.post(f"{url}/sag/sag", data=b"{not json",
                             headers={"Content-Type": "application/json"}, timeout=30).status_code

    def deep_json():
        return requests.post(f"{url}/sag/sag", data=b"[" * 200_000 + b"]" * 200_000,
                             headers={"Content-Type": "application/json"}, timeout=30).status_code

    def bad_paging():
        return requests.get(f"{url}/sag/sag", params={**SEARCH, "maximalantalresultater": "x"},
                            timeout=30).status_code

    def broken_chunking():
        return raw(host, port, json_head + b"Transfer-Encoding: chunked\r\n\r\n", [b"ZZ\r\n{}\r\n0\r\n\r\n"])

    def foreign_indhold():
        body = {"attributter": {"dokumentegenskaber": [{
                    "brugervendtnoegle": "x", "titel": "x",
                    "virkning": {"from": "2024-01-01", "to": "infinity"}}]},
                "tilstande": {"dokumentfremdrift": [{"fremdrift": "Modtaget",
                                                     "virkning": {"from": "2024-01-01", "to": "infinity"}}]},
                "varianter": [{"varianttekst": "original", "dele": [{"deltekst": "x", "egenskaber": [{
                    "indeks": 1, "indhold": "store:../../etc/passwd",
                    "virkning": {"from": "2024-01-01", "to": "infinity"}}]}]}]}
        return requests.put(f"{url}/dokument/dokument/00000000-0000-4000-8000-000000000003",
                            json=body, timeout=30).status_code

    return {f.__name__: f for f in (oversized_declared, oversized_chunked, oversized_upload, too_many_parts,
                                    malformed_json, deep_json, bad_paging, broken_chunking, foreign_indhold)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--slow", type=int, default=100, help="slow clients holding half a request each")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--rss-budget-mib", type=float, default=256.0)
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="serve-hostile-"))
    env = {**os.environ, "CASECLIENT_HOME": str(data / "home")}
    env.pop("CASECLIENT_SERVE_TOKEN", None)
    server = subprocess.Popen([sys.executable, "-m", "caseclient", "serve", "--data", str(data / "svc"),
                               "--demo-cases", str(args.cases)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        url = server.stdout.readline().strip()
        if not url.startswith("http://"):
            raise SystemExit("caseclient serve did not start")
        host, port = url.removeprefix("http://").rsplit(":", 1)
        for _ in range(5):  # warm up: the first searches fill the caches
            requests.get(f"{url}/sag/sag", params=SEARCH, timeout=30).raise_for_status()
        rss_before = rss_kib(server.pid)
        kinds = hostile_requests(url)
        statuses: dict[str, Counter] = defaultdict(Counter)
        latencies: list[float] = []
        search_failures = Counter()
        rss_peak = [rss_before]
        stop = threading.Event()
        lock = threading.Lock()

        def attacker(n: int) -> None:
            names = list(kinds)
            i = n
            while not stop.is_set():
                name = names[i % len(names)]
                i += 1
                try:
                    status = kinds[name]()
                except requests.RequestException as exc:
                    status = type(exc).__name__
                with lock:
                    statuses[name][status] += 1

        def slow_clients() -> None:
            socks: list[socket.socket] = []
            while not stop.is_set():
                socks = [s for s in socks if s.fileno() >= 0]
                while len(socks) < args.slow and not stop.is_set():
                    try:
                        s = socket.create_connection((host, int(port)), timeout=5)
                        s.sendall(b"GET /sag/sag HTTP/1.1\r\nHost: x\r\n")
                        socks.append(s)
                    except OSError:
                        break
                stop.wait(0.5)
            for s in socks:
                s.close()

        def prober() -> None:
            while not stop.is_set():
                started = time.perf_counter()
                try:
                    answer = requests.get(f"{url}/sag/sag", params=SEARCH, timeout=30)
                    ok = answer.status_code == 200 and answer.json()["results"]
                except (requests.RequestException, ValueError):
                    ok = False
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        search_failures["failed"] += 1
                stop.wait(0.2)

        def sampler() -> None:
            while not stop.is_set():
                rss_peak[0] = max(rss_peak[0], rss_kib(server.pid))
                stop.wait(0.1)

        threads = [threading.Thread(target=attacker, args=(n,), daemon=True) for n in range(args.threads)]
        threads += [threading.Thread(target=f, daemon=True) for f in (slow_clients, prober, sampler)]
        for t in threads:
            t.start()
        stop.wait(args.seconds)
        stop.set()
        for t in threads:
            t.join(60)
        after = requests.get(f"{url}/sag/sag", params=SEARCH, timeout=30)
        rss_after = rss_kib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()

    print(f"{'hostile request':<22} {'sent':>7}  answers")
    bad_answers = 0
    for name in kinds:
        counts = statuses[name]
        bad_answers += sum(n for status, n in counts.items() if status not in (400, 413))
        shown = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items(), key=str))
        print(f"{name:<22} {sum(counts.values()):>7}  {shown}")
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")
    figures = {
        "hostile_requests": sum(sum(c.values()) for c in statuses.values()),
        "hostile_not_400_or_413": bad_answers,
        "searches": len(latencies),
        "search_failures": search_failures["failed"],
        "search_p50_ms": round(statistics.median(ordered), 1) if ordered else None,
        "search_p95_ms": round(p95, 1),
        "search_max_ms": round(max(ordered), 1) if ordered else None,
        "search_after_load_ok": after.status_code == 200,
        "rss_before_mib": round(rss_before / 1024, 1),
        "rss_peak_mib": round(rss_peak[0] / 1024, 1),
        "rss_after_mib": round(rss_after / 1024, 1),
        "rss_growth_peak_mib": round((rss_peak[0] - rss_before) / 1024, 1),
    }
    targets = {"search_max_ms": TARGET_SEARCH_MS, "hostile_not_400_or_413": 0, "search_failures": 0,
               "rss_growth_peak_mib": args.rss_budget_mib}
    passed = (bool(ordered) and figures["search_max_ms"] <= TARGET_SEARCH_MS and bad_answers == 0
              and figures["search_failures"] == 0 and figures["search_after_load_ok"]
              and figures["rss_growth_peak_mib"] <= args.rss_budget_mib)
    print(f"\nnormal search under load: {len(ordered)} searches, p50 {figures['search_p50_ms']} ms, "
          f"p95 {figures['search_p95_ms']} ms, max {figures['search_max_ms']} ms (target <= {TARGET_SEARCH_MS:.0f} ms)")
    print(f"service RSS: {figures['rss_before_mib']} MiB before, peak {figures['rss_peak_mib']} MiB, "
          f"{figures['rss_after_mib']} MiB after (budget +{args.rss_budget_mib:.0f} MiB)")
    print(json.dumps({"bench": "serve_hostile", "figures": figures, "targets": targets, "pass": passed}))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
