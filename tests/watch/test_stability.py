"""The stability tracker on an injected clock: ready only after a quiet delay, unchanged, regular,
unlocked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from caseclient.filing.clock import ManualClock
from caseclient.watch.file_locks import is_locked
from caseclient.watch.ignore import is_ignored
from caseclient.watch.stability import StabilityTracker

DELAY = 2.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def test_a_file_is_ready_only_after_the_delay_without_events(tmp_path, clock):
    tracker = StabilityTracker(clock, DELAY)
    f = tmp_path / "scan.pdf"
    f.write_bytes(b"%PDF-1.4 part one")
    tracker.seen(f)
    clock.advance(DELAY - 0.1)
    assert tracker.take_ready() == []
    tracker.seen(f)  # another event restarts the wait
    clock.advance(DELAY - 0.1)
    assert tracker.take_ready() == []
    clock.advance(0.1)
    assert tracker.take_ready() == [f]
    assert len(tracker) == 0 and tracker.next_due() is None


def test_a_file_that_grows_without_events_waits_for_another_quiet_delay(tmp_path, clock):
    tracker = StabilityTracker(clock, DELAY)
    f = tmp_path / "scan.pdf"
    f.write_bytes(b"a" * 10)
    tracker.seen(f)
    clock.advance(DELAY)
    with f.open("ab") as out:  # a network share: the write raised no event
        out.write(b"b" * 10)
    assert tracker.take_ready() == []
    assert tracker.pending_size(f) == 20
    assert tracker.next_due() == pytest.approx(clock.now() + DELAY)
    clock.advance(DELAY)
    assert tracker.take_ready() == [f]


def test_a_changed_mtime_alone_counts_as_a_change(tmp_path, clock):
    tracker = StabilityTracker(clock, DELAY)
    f = tmp_path / "scan.pdf"
    f.write_bytes(b"same size")
    tracker.seen(f)
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    clock.advance(DELAY)
    assert tracker.take_ready() == []
    clock.advance(DELAY)
    assert tracker.take_ready() == [f]


def test_a_file_deleted_before_it_is_stable_is_dropped(tmp_path, clock):
    tracker = StabilityTracker(clock, DELAY)
    f = tmp_path / "scan.pdf"
    f.write_bytes(b"x")
    tracker.seen(f)
    f.unlink()
    clock.advance(DELAY)
    assert tracker.take_ready() == [] and len(tracker) == 0


def test_a_file_replaced_by_a_folder_is_dropped(tmp_path, clock):
    tracker = StabilityTracker(clock, DELAY)
    f = tmp_path / "job"
    f.write_bytes(b"x")
    tracker.seen(f)
    f.unlink()
    f.mkdir()
    clock.advance(DELAY)
    assert tracker.take_ready() == [] and len(tracker) == 0


def test_a_locked_file_waits_until_the_lock_is_released(tmp_path, clock):
    import fcntl

    tracker = StabilityTracker(clock, DELAY)
    f = tmp_path / "scan.pdf"
    f.write_bytes(b"%PDF")
    tracker.seen(f)
    with f.open("r+b") as writer:
        fcntl.flock(writer.fileno(), fcntl.LOCK_EX)
        assert is_locked(f)
        clock.advance(DELAY)
        assert tracker.take_ready() == []
        clock.advance(DELAY)
        assert tracker.take_ready() == []
    assert not is_locked(f)
    clock.advance(DELAY)
    assert tracker.take_ready() == [f]


def test_a_posix_record_lock_held_by_another_process_counts(tmp_path):
    import subprocess
    import sys

    f = tmp_path / "scan.pdf"
    f.write_bytes(b"%PDF")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl,sys\nf=open(sys.argv[1],'r+b')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('locked',flush=True)\n"
         "sys.stdin.read()", str(f)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert is_locked(f)
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert not is_locked(f)


def test_an_office_lock_file_beside_it_counts_as_locked(tmp_path):
    f = tmp_path / "brev.pdf"
    f.write_bytes(b"%PDF")
    assert not is_locked(f)
    (tmp_path / ".~lock.brev.pdf#").write_text("x")
    assert is_locked(f)


def test_ready_files_come_in_the_order_they_were_last_touched(tmp_path, clock):
    tracker = StabilityTracker(clock, DELAY)
    first, second = tmp_path / "b.pdf", tmp_path / "a.pdf"
    for f in (first, second):
        f.write_bytes(b"x")
        tracker.seen(f)
        clock.advance(0.5)
    clock.advance(DELAY)
    assert tracker.take_ready() == [first, second]


@pytest.mark.parametrize("name", ["~$brev.docx", "scan.TMP", ".~lock.brev.pdf#", "Thumbs.db", "desktop.ini",
                                  "._scan.pdf"])
def test_temp_and_lock_files_are_ignored(name):
    assert is_ignored(Path(name))


@pytest.mark.parametrize("name", ["scan0001.pdf", "brev 27.24.00-G01-1-24.pdf", "tmp.pdf"])
def test_scans_are_not_ignored(name):
    assert not is_ignored(Path(name))
