"""Claims: one winner per file among many instances, recovery of a stopped host's claims."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from caseclient.filing.clock import ManualClock
from caseclient.watch.claims import ClaimBook
from caseclient.watch.folders import ScanFolder

TIMEOUT = 600.0


def _files(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        f = folder / f"scan{i:04d}.pdf"
        f.write_bytes(f"%PDF-1.4 {i}".encode())
        made.append(f)
    return made


def test_racing_instances_each_file_is_claimed_exactly_once(tmp_path):
    folder = ScanFolder(tmp_path / "scan")
    files = _files(folder.path / "job 1", 300)
    clock = ManualClock()
    books = [ClaimBook(folder, f"host-{n}", clock, timeout=TIMEOUT) for n in range(4)]
    won: list[list] = [[] for _ in books]
    start = threading.Barrier(len(books))

    def race(n: int) -> None:
        start.wait()
        for f in files:
            claim = books[n].claim(f)
            if claim is not None:
                won[n].append(claim)

    threads = [threading.Thread(target=race, args=(n,)) for n in range(len(books))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    claimed = [c.relative for w in won for c in w]
    assert sorted(claimed) == sorted(f.relative_to(folder.path) for f in files)
    assert all(c.path.is_file() and not c.original.exists() for w in won for c in w)


def test_a_claim_keeps_the_folder_it_came_from(tmp_path):
    folder = ScanFolder(tmp_path / "scan")
    (f,) = _files(folder.path / "27.24.00-G01-1-24", 1)
    claim = ClaimBook(folder, "host-a", ManualClock(), timeout=TIMEOUT).claim(f)
    assert claim is not None
    assert claim.relative == Path("27.24.00-G01-1-24/scan0000.pdf")
    assert claim.path.parent.name == "27.24.00-G01-1-24"
    assert claim.path.is_relative_to(folder.work_folder / "processing" / "host-a")


def test_a_vanished_file_is_not_claimed(tmp_path):
    folder = ScanFolder(tmp_path / "scan")
    book = ClaimBook(folder, "host-a", ManualClock(), timeout=TIMEOUT)
    assert book.claim(folder.path / "gone.pdf") is None
    assert book.left_over() == []


def test_a_restarted_host_finds_its_own_claims(tmp_path):
    folder = ScanFolder(tmp_path / "scan")
    files = _files(folder.path, 3)
    clock = ManualClock()
    before = ClaimBook(folder, "host-a", clock, timeout=TIMEOUT)
    claims = [before.claim(f) for f in files]
    before.hand_over(claims[0])
    after = ClaimBook(folder, "host-a", clock, timeout=TIMEOUT)  # the process was killed and started again
    found = after.left_over()
    assert sorted(c.relative for c in found) == sorted(c.relative for c in claims)
    assert [c.handed_over for c in sorted(found, key=lambda c: c.relative)] == [True, False, False]


def test_a_stopped_hosts_unfinished_claims_come_back_after_the_timeout(tmp_path):
    folder = ScanFolder(tmp_path / "scan")
    files = _files(folder.path, 3)
    clock = ManualClock()
    crashed = ClaimBook(folder, "host-a", clock, timeout=TIMEOUT)
    crashed.heartbeat()
    claims = [crashed.claim(f) for f in files]
    crashed.hand_over(claims[2])  # this one is in host-a's outbox: it must stay with host-a
    survivor = ClaimBook(folder, "host-b", clock, timeout=TIMEOUT)
    assert survivor.recover_stale() == []  # first look: the heartbeat is noted
    clock.advance(TIMEOUT - 1)
    assert survivor.recover_stale() == []
    clock.advance(1)
    recovered = survivor.recover_stale()
    assert sorted(recovered) == sorted(files[:2])
    assert all(f.is_file() for f in files[:2])
    assert not files[2].exists() and claims[2].path.is_file()


def test_a_beating_host_keeps_its_claims(tmp_path):
    folder = ScanFolder(tmp_path / "scan")
    (f,) = _files(folder.path, 1)
    clock = ManualClock()
    alive = ClaimBook(folder, "host-a", clock, timeout=TIMEOUT)
    alive.heartbeat()
    claim = alive.claim(f)
    other = ClaimBook(folder, "host-b", clock, timeout=TIMEOUT)
    other.recover_stale()
    for beat in range(1, 4):
        clock.advance(TIMEOUT / 2)
        alive_file = alive.mine / "alive"
        st = alive_file.stat()


        os.utime(alive_file, ns=(st.st_atime_ns, st.st_mtime_ns + beat * 1_000_000_000))  # a beat
        assert other.recover_stale() == []
    assert claim.path.is_file()


def test_a_recovered_file_does_not_overwrite_a_new_file_of_the_same_name(tmp_path):
    folder = ScanFolder(tmp_path / "scan")
    (f,) = _files(folder.path, 1)
    clock = ManualClock()
    crashed = ClaimBook(folder, "host-a", clock, timeout=TIMEOUT)
    claim = crashed.claim(f)
    f.write_bytes(b"%PDF a new scan with the same name")
    back = crashed.put_back(claim)
    assert back != f and back.is_file() and f.read_bytes().endswith(b"same name")
