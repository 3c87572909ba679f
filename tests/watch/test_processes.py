"""`caseclient watch` as real processes on one shared folder: two hosts never file a scan twice,
and a watcher killed with SIGKILL mid-batch and started again loses nothing and doubles nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from watch_pdfs import text_pdf

STABILITY = "0.5"
WAIT = 300.0


def _wait_for(condition, timeout: float, what: str, procs=()) -> None:
    """Poll `condition` until it holds; fail early when a watcher process died."""
    deadline = time.monotonic() + timeout
    tick = threading.Event()
    while not condition():
        for p in procs:
            assert p.poll() is None, f"a watcher exited with {p.returncode}: {p.log.read_text()[-2000:]}"
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        tick.wait(0.1)


def _start(folder: Path, home: Path, host: str, url: str) -> subprocess.Popen:
    """A watcher process; its log goes to home/watch.log (a pipe nobody reads would block it)."""
    env = {**os.environ, "CASECLIENT_HOME": str(home)}
    home.mkdir(parents=True, exist_ok=True)
    with (home / "watch.log").open("a", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "caseclient", "watch", "--folder", str(folder), "--host-id", host,
             "--stability-delay", STABILITY, "--rescan", "5", "--service", url],
            env=env, stdout=subprocess.DEVNULL, stderr=log,
        )
    process.log = home / "watch.log"  # type: ignore[attr-defined]
    return process


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(10)


def _drop(folder: Path, staging: Path, cases, n: int) -> list[str]:
    """n distinct one-page letters, named for their case, moved in at once (half in job folders)."""
    staging.mkdir(parents=True, exist_ok=True)
    names = []
    for i in range(n):
        case = cases[i % len(cases)]
        name = f"{case.number} brev {i:04d}.pdf"
        text_pdf(staging / name, f"Brev nummer {i}")
        names.append(name)
    for i, name in enumerate(names):
        target = folder / (f"job {i % 7}" if i % 2 else "") / name
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging / name, target)
    return names


def _done(folder: Path) -> int:
    return sum(1 for _ in (folder / "Done").rglob("*.pdf"))


def _filed(backend, cases) -> Counter:
    return Counter(d.filename for case in cases for d in backend.list_documents(case.id) if " brev " in (d.filename or ""))


@pytest.mark.slow
def test_two_watchers_on_one_folder_file_each_of_500_scans_exactly_once(reference_service, backend, cases, tmp_path):
    folder = tmp_path / "share" / "scan"
    folder.mkdir(parents=True)
    targets = cases[:5]
    procs = [_start(folder, tmp_path / f"home-{h}", f"host-{h}", reference_service.url) for h in "ab"]
    try:
        names = _drop(folder, tmp_path / "staging", targets, 500)
        _wait_for(lambda: _done(folder) == 500, WAIT, "all 500 scans are in Done", procs)
    finally:
        _stop(procs)
    filed = _filed(backend, targets)
    assert sorted(filed) == sorted(names)
    assert set(filed.values()) == {1}
    assert not (folder / "Failed").exists()
    assert list((folder / ".caseclient" / "processing").rglob("*.pdf")) == []
    assert all(sum(1 for _ in (folder / "Done").rglob(name)) == 1 for name in names[:20])


@pytest.mark.slow
def test_a_watcher_killed_mid_batch_loses_nothing_and_doubles_nothing(reference_service, backend, cases, tmp_path):
    folder = tmp_path / "share" / "scan"
    folder.mkdir(parents=True)
    home = tmp_path / "home"
    targets = cases[:4]
    first = _start(folder, home, "station-1", reference_service.url)
    try:
        names = _drop(folder, tmp_path / "staging", targets, 200)
        _wait_for(lambda: _done(folder) >= 40, WAIT, "a part of the batch is filed", [first])
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    assert _done(folder) < 200, "the batch finished before the kill; the test proves nothing"
    second = _start(folder, home, "station-1", reference_service.url)
    try:
        _wait_for(lambda: _done(folder) == 200, WAIT, "the whole batch is filed after the restart", [second])
    finally:
        _stop([second])
    filed = _filed(backend, targets)
    assert sorted(filed) == sorted(names)
    assert set(filed.values()) == {1}
