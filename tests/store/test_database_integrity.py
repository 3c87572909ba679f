"""The local database is never silently replaced: missing, empty, truncated or damaged outbox
databases are reported in one sentence and kept aside, with their document copies; a process
killed while queueing leaves no copy behind past the next start."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseclient.cli import main
from caseclient.commands.doctor import DoctorReport, check_data_folder
from caseclient.domain import Case, DocumentMetadata
from caseclient.store import (
    DATABASE_NAME,
    DatabaseDamaged,
    Outbox,
    OutboxStatus,
    open_database,
    outbox_files_dir,
    take_notices,
)
from caseclient.store.integrity import KEPT_PREFIX, copies_in

CASE = Case("c-1", "27.24.00-G01-1-24", "Byggesag")


def _queue(data: Path, n: int) -> list[bytes]:
    """`n` documents queued in the outbox of `data`; their contents."""
    db = open_database(data)
    outbox = Outbox(db, outbox_files_dir(data))
    contents = []
    for i in range(n):
        source = data.parent / f"brev-{i}.pdf"
        source.write_bytes(f"%PDF-1.4 brev {i}".encode() + os.urandom(2000))
        contents.append(source.read_bytes())
        outbox.enqueue(CASE, outbox.stage(source), DocumentMetadata(f"Brev {i}", date(2024, 1, 2)))
    with db.read() as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the whole database in its file
    db.close()
    return contents


def _kept_folders(data: Path) -> list[Path]:
    return sorted(p for p in data.iterdir() if p.name.startswith(KEPT_PREFIX))


@pytest.fixture(autouse=True)
def no_old_notices():
    take_notices()
    yield
    take_notices()


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_a_missing_or_empty_database_keeps_the_copies_aside_and_says_so(tmp_path, how):
    data = tmp_path / "data"
    contents = _queue(data, 2)
    database = data / DATABASE_NAME
    if how == "missing":
        database.unlink()
    else:
        database.write_bytes(b"")
    for side in ("-wal", "-shm"):
        Path(str(database) + side).unlink(missing_ok=True)

    db = open_database(data)
    db.close()
    [sentence] = take_notices()
    [kept] = _kept_folders(data)
    assert str(database) in sentence and str(kept) in sentence and "2 document copies" in sentence
    assert copies_in(outbox_files_dir(data)) == []
    assert sorted(p.read_bytes() for p in copies_in(kept)) == sorted(contents)
    open_database(data).close()  # said once, not at every start
    assert take_notices() == []


def test_a_truncated_database_fails_at_open_in_one_sentence_and_is_kept_aside(tmp_path):
    data = tmp_path / "data"
    contents = _queue(data, 3)
    database = data / DATABASE_NAME
    whole = database.read_bytes()
    database.write_bytes(whole[: len(whole) // 2])

    with pytest.raises(DatabaseDamaged) as raised:
        open_database(data)
    sentence = raised.value.message
    assert str(database) in sentence and "\n" not in sentence and "damaged" in sentence
    [aside] = [p for p in data.iterdir() if p.name.startswith(DATABASE_NAME + ".damaged-")]
    assert aside.read_bytes() == whole[: len(whole) // 2]  # kept as it was, never overwritten

    open_database(data).close()  # the next start: a new outbox, the copies kept aside
    [kept] = _kept_folders(data)
    assert sorted(p.read_bytes() for p in copies_in(kept)) == sorted(contents)
    report = DoctorReport()
    check_data_folder(report, data)
    [check] = report.checks
    assert check.status == "warning" and "3 document copies" in check.detail and aside.name in check.detail
    assert "--recover-copies" in check.detail


@pytest.mark.parametrize("argv", [["outbox"], ["outbox", "--json"], ["outbox", "run"], ["outbox", "retry", "1"],
                                  ["outbox", "move", "--from", "http://a", "--to", "http://b"]])
def test_a_damaged_database_answers_any_command_with_one_sentence(tmp_path, monkeypatch, capsys, argv):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))
    data = tmp_path / "home" / "data"
    _queue(data, 1)
    (data / DATABASE_NAME).write_bytes(b"Dette er ikke en database\n" * 10)
    assert main(argv) == 1
    captured = capsys.readouterr()
    [line] = captured.err.splitlines()
    assert "Traceback" not in captured.err and "is damaged" in line and str(data / DATABASE_NAME) in line

    assert main(["outbox", "--json"]) == 0  # the next start: empty, and says where the copy went
    captured = capsys.readouterr()
    assert captured.out.strip() == "[]" and "kept in" in captured.err


def test_doctor_offers_the_kept_copies_back_with_their_type(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))
    data = tmp_path / "home" / "data"
    contents = _queue(data, 2)
    (data / DATABASE_NAME).unlink()
    open_database(data).close()
    target = tmp_path / "recovered"
    assert main(["doctor", "--recover-copies", str(target)]) == 0
    assert "2 document copies moved to" in capsys.readouterr().out
    assert sorted(p.name for p in target.iterdir()) == ["recovered-1.pdf", "recovered-2.pdf"]
    assert sorted(p.read_bytes() for p in target.iterdir()) == sorted(contents)
    report = DoctorReport()
    check_data_folder(report, data)
    assert [c.status for c in report.checks] == ["ok"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.floats(0.01, 0.99), garbage=st.binary(min_size=1, max_size=64), where=st.floats(0, 1),
       how=st.sampled_from(["truncate", "overwrite"]))
def test_any_mutilated_database_is_whole_or_one_sentence_and_never_lost(tmp_path_factory, cut, garbage, where, how):
    data = tmp_path_factory.mktemp("mutilated") / "data"
    _queue(data, 4)
    database = data / DATABASE_NAME
    whole = database.read_bytes()
    if how == "truncate":
        mutilated = whole[: max(1, int(len(whole) * cut))]
    else:
        at = int((len(whole) - len(garbage)) * where)
        mutilated = whole[:at] + garbage + whole[at + len(garbage):]
    database.write_bytes(mutilated)
    try:
        db = open_database(data)
    except DatabaseDamaged as damaged:
        assert "\n" not in damaged.message
        [aside] = [p for p in data.iterdir() if p.name.startswith(DATABASE_NAME + ".damaged-")]
        assert aside.read_bytes() == mutilated
        return
    try:
        items = Outbox(db, outbox_files_dir(data)).items()
        assert all(i.status is OutboxStatus.QUEUED for i in items)
    except DatabaseDamaged:
        pass  # found later than the open: still one sentence
    finally:
        db.close()


_STAGE_AND_WAIT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from caseclient.store import Outbox, open_database, outbox_files_dir
    data = Path(sys.argv[1])
    outbox = Outbox(open_database(data), outbox_files_dir(data))
    staged = outbox.stage(Path(sys.argv[2]))
    print(staged.path, flush=True)
    sys.stdin.read()  # killed here: copied, never queued
""")


def test_copies_of_a_process_killed_while_queueing_are_deleted_at_the_next_start(tmp_path):
    data = tmp_path / "data"
    _queue(data, 1)
    source = tmp_path / "scan.pdf"
    source.write_bytes(b"%PDF-1.4 scan" + os.urandom(5000))
    child = subprocess.Popen([sys.executable, "-c", _STAGE_AND_WAIT, str(data), str(source)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    abandoned = Path(child.stdout.readline().strip())
    assert abandoned.is_file()

    db = open_database(data)
    live = Outbox(db, outbox_files_dir(data))  # the child still lives: its copy stays
    assert abandoned.is_file()
    mine = live.stage(source)  # a copy of a live process, this one

    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    child.stdin.close()
    Outbox(db, outbox_files_dir(data))  # the next start
    assert not abandoned.exists()
    assert mine.path.is_file()
    [queued] = live.items()
    assert queued.source_path.is_file()  # a queued item's copy is never touched
    db.close()
    assert hashlib.sha256(mine.path.read_bytes()).digest() == hashlib.sha256(source.read_bytes()).digest()
