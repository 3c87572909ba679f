"""The outbox worker filing on the reference service through the real `oio` backend."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date

import pytest

from caseclient.domain import DocumentMetadata
from caseclient.filing import AlreadyFiled, QueueBusy, file_to_case
from caseclient.server import FaultConfig
from caseclient.store import OutboxStatus

WAIT = 60.0


def _meta(title: str, message_id: str | None = None) -> DocumentMetadata:
    return DocumentMetadata(title=title, document_date=date(2024, 3, 1), message_id=message_id)


def _finished(filing, ids) -> bool:
    return all(filing.outbox.get(i).status.finished for i in ids)


def _state(filing, item_id: int) -> tuple[OutboxStatus, int]:
    item = filing.outbox.get(item_id)
    return item.status, item.attempts


def _on_server(filing, case_id: str) -> dict[str, list[str]]:
    """sha256 → document ids of the documents on the case."""
    found: dict[str, list[str]] = {}
    for ref in filing.backend.list_documents(case_id):
        found.setdefault(ref.extra.get("sha256", "?"), []).append(ref.id)
    return found


def test_queued_documents_are_filed_once_with_progress_and_a_ledger_entry(filing, cases) -> None:
    items = [
        file_to_case(filing.outbox, filing.guard, filing.prompts, cases[n % 3],
                     filing.document(f"brev-{n}.pdf", os.urandom(1000 + n)), _meta(f"Brev {n}"))
        for n in range(12)
    ]
    items.append(file_to_case(filing.outbox, filing.guard, filing.prompts, cases[0],
                              filing.document("stor.bin", os.urandom(3 * 1024 * 1024 + 5)), _meta("Stor fil")))
    worker = filing.worker(parallelism=3)
    worker.start()
    assert worker.wait_until(lambda: _finished(filing, [i.id for i in items]), WAIT)
    worker.stop()  # its threads have also cleaned up after themselves now
    for item in items:
        done = filing.outbox.get(item.id)
        assert done.status is OutboxStatus.DONE, done.last_error
        assert _on_server(filing, item.case_id)[item.sha256] == [done.document_id]
        assert filing.ledger.find(item.case_id, item.sha256, None).document_id == done.document_id
        assert not item.source_path.exists()
    big = items[-1]
    sent = [(s, t) for i, s, t in filing.events.bytes if i == big.id]
    assert len(sent) >= 3 and sent[-1] == (big.size, big.size)
    assert [s for s, _ in sent] == sorted(s for s, _ in sent)
    statuses = {(e.id, e.status) for e in filing.events.items}
    assert all((i.id, OutboxStatus.UPLOADING) in statuses and (i.id, OutboxStatus.DONE) in statuses for i in items)


def test_the_same_document_again_is_reported_as_already_filed_unless_the_user_insists(filing, cases) -> None:
    case = cases[0]
    path = filing.document("svar.eml", b"Subject: Svar\r\n\r\nJa tak")
    first = file_to_case(filing.outbox, filing.guard, filing.prompts, case, path, _meta("Svar", "<a@b>"))
    with pytest.raises(AlreadyFiled, match="already waiting in the outbox"):
        file_to_case(filing.outbox, filing.guard, filing.prompts, case, path, _meta("Svar"))
    worker = filing.worker()
    worker.start()
    assert worker.wait_until(lambda: _finished(filing, [first.id]), WAIT)

    other_bytes = filing.document("svar-igen.eml", b"Subject: Svar\r\n\r\nJa tak, igen")
    with pytest.raises(AlreadyFiled) as refused:  # same Message-ID, other bytes
        file_to_case(filing.outbox, filing.guard, filing.prompts, case, other_bytes, _meta("Svar", "<a@b>"))
    assert refused.value.message.startswith("svar-igen.eml was not filed: already filed on " + case.number + " at ")
    assert [t for t, _ in filing.prompts.duplicate_questions] == ["Svar", "Svar"]
    assert filing.outbox.counts()[OutboxStatus.QUEUED] == 0
    assert list(filing.outbox.files_dir.iterdir()) == []  # refused copies are not kept

    filing.prompts.insist_on_duplicates = True
    again = file_to_case(filing.outbox, filing.guard, filing.prompts, case, path, _meta("Svar", "<a@b>"))
    assert worker.wait_until(lambda: _finished(filing, [again.id]), WAIT)
    assert len(_on_server(filing, case.id)[first.sha256]) == 2


def test_a_document_another_installation_filed_is_found_on_the_server(filing, cases, tmp_path) -> None:
    from caseclient.backends.protocol import MemoryResumeState
    from caseclient.domain import UploadSource

    case = cases[1]
    path = filing.document("afgørelse.pdf", os.urandom(4000))
    elsewhere = filing.backend.upload_document(
        case.id, UploadSource.from_path(path), _meta("Afgørelse"), idempotency_key="other-pc", state=MemoryResumeState()
    )
    with pytest.raises(AlreadyFiled, match=f"already filed on {case.number} at "):
        file_to_case(filing.outbox, filing.guard, filing.prompts, case, path, _meta("Afgørelse"))
    assert filing.prompts.duplicate_questions[0][1].document_id == elsewhere.id


def test_the_worker_checks_the_server_for_duplicates_when_enqueue_could_not(filing, cases, reference_service) -> None:
    from caseclient.backends.protocol import MemoryResumeState
    from caseclient.domain import UploadSource

    case = cases[2]
    path = filing.document("kvittering.pdf", os.urandom(3000))
    filing.backend.upload_document(case.id, UploadSource.from_path(path), _meta("Kvittering"),
                                   idempotency_key="other-pc-2", state=MemoryResumeState())
    reference_service.faults = FaultConfig(error_rate=1.0)
    try:
        item = file_to_case(filing.outbox, filing.guard, filing.prompts, case, path, _meta("Kvittering"))
    finally:
        reference_service.faults = FaultConfig()
    assert not item.remote_checked
    worker = filing.worker()
    worker.start()
    assert worker.wait_until(lambda: _finished(filing, [item.id]), WAIT)
    cancelled = filing.outbox.get(item.id)
    assert cancelled.status is OutboxStatus.CANCELLED and cancelled.last_error_code == "duplicate"
    assert "already filed on" in cancelled.last_error
    assert len(_on_server(filing, case.id)[item.sha256]) == 1


def test_a_permanent_error_fails_the_item_with_the_reason_and_stops_nothing_else(filing, cases) -> None:
    from caseclient.domain import Case

    gone = Case(id="00000000-0000-4000-8000-000000000001", number="00.00.00-A00-0-00", title="Findes ikke")
    bad = file_to_case(filing.outbox, filing.guard, filing.prompts, gone, filing.document("x.pdf", b"x"), _meta("X"))
    good = file_to_case(filing.outbox, filing.guard, filing.prompts, cases[0], filing.document("y.pdf", b"y"), _meta("Y"))
    worker = filing.worker()
    worker.start()
    assert worker.wait_until(lambda: _finished(filing, [bad.id, good.id]), WAIT)
    failed = filing.outbox.get(bad.id)
    assert (failed.status, failed.last_error_code, failed.attempts) == (OutboxStatus.FAILED, "not_found", 1)
    assert failed.last_error and "00000000-0000-4000-8000-000000000001" in failed.last_error
    assert filing.outbox.get(good.id).status is OutboxStatus.DONE


def test_server_errors_back_off_on_the_clock_and_then_file_once(filing, cases, reference_service) -> None:
    item = file_to_case(filing.outbox, filing.guard, filing.prompts, cases[0],
                        filing.document("z.pdf", os.urandom(2000)), _meta("Z"))
    reference_service.faults = FaultConfig(error_rate=1.0)
    worker = filing.worker(parallelism=1)
    worker.start()
    try:
        for attempt in (1, 2, 3):
            assert worker.wait_until(lambda: _state(filing, item.id) == (OutboxStatus.QUEUED, attempt), WAIT)
            waiting = filing.outbox.get(item.id)
            assert waiting.last_error_code == "transient"
            assert waiting.next_attempt_at > filing.clock.now()  # it waits for the clock, not for us
            assert filing.clock.wait_for_waiters(1)
            assert filing.outbox.get(item.id).attempts == attempt
            filing.clock.advance(waiting.next_attempt_at - filing.clock.now())
        assert worker.wait_until(lambda: _state(filing, item.id) == (OutboxStatus.QUEUED, 4), WAIT)
    finally:
        reference_service.faults = FaultConfig()
    filing.clock.advance(10.0)
    assert worker.wait_until(lambda: _finished(filing, [item.id]), WAIT)
    done = filing.outbox.get(item.id)
    assert (done.status, done.attempts) == (OutboxStatus.DONE, 5)
    assert _on_server(filing, item.case_id)[item.sha256] == [done.document_id]


def test_a_server_asking_for_time_gets_it_and_the_document_is_filed_once(filing, cases, reference_service) -> None:
    item = file_to_case(filing.outbox, filing.guard, filing.prompts, cases[0],
                        filing.document("busy.pdf", os.urandom(2000)), _meta("Busy"))
    reference_service.faults = FaultConfig(busy_rate=1.0, retry_after_seconds=600)
    worker = filing.worker(parallelism=1)
    worker.start()
    try:
        asked_at = filing.clock.now()
        assert worker.wait_until(lambda: _state(filing, item.id) == (OutboxStatus.QUEUED, 1), WAIT)
        waiting = filing.outbox.get(item.id)
        assert waiting.last_error_code == "transient"
        assert waiting.next_attempt_at >= asked_at + 600  # longer than the backoff would have waited
        assert filing.clock.wait_for_waiters(1)
    finally:
        reference_service.faults = FaultConfig()
    filing.clock.advance(waiting.next_attempt_at - filing.clock.now())
    assert worker.wait_until(lambda: _finished(filing, [item.id]), WAIT)
    done = filing.outbox.get(item.id)
    assert (done.status, done.attempts) == (OutboxStatus.DONE, 2)
    assert _on_server(filing, item.case_id)[item.sha256] == [done.document_id]


def test_pause_resume_and_cancelling_an_upload_in_flight(filing, cases) -> None:
    filing.outbox.pause()
    waiting = file_to_case(filing.outbox, filing.guard, filing.prompts, cases[0],
                           filing.document("a.pdf", b"a" * 100), _meta("A"))
    big = file_to_case(filing.outbox, filing.guard, filing.prompts, cases[1],
                       filing.document("big.bin", os.urandom(8 * 1024 * 1024)), _meta("Big"))
    filing.outbox.hold(waiting.id)
    worker = filing.worker(parallelism=1)
    first_bytes = threading.Event()

    def cancel_on_first_bytes(item_id: int, sent: int, total: int) -> None:
        if item_id == big.id and not first_bytes.is_set():
            first_bytes.set()
            worker.cancel(big.id)

    filing.events.bytes_sent = cancel_on_first_bytes
    worker.start()
    assert filing.clock.wait_for_waiters(1)  # idle: the queue is paused
    assert filing.outbox.get(big.id).status is OutboxStatus.QUEUED
    filing.outbox.resume()
    assert worker.wait_until(lambda: _finished(filing, [big.id]), WAIT)
    assert first_bytes.is_set()
    assert filing.outbox.get(big.id).status is OutboxStatus.CANCELLED
    assert big.sha256 not in _on_server(filing, big.case_id)
    assert filing.outbox.get(waiting.id).status is OutboxStatus.PAUSED
    filing.outbox.release(waiting.id)
    assert worker.wait_until(lambda: _finished(filing, [waiting.id]), WAIT)
    assert filing.outbox.get(waiting.id).status is OutboxStatus.DONE
    assert filing.outbox.queue_state().paused is False


def test_only_one_process_drains_an_outbox(filing) -> None:
    filing.worker().start()
    with pytest.raises(QueueBusy, match="already filing"):
        filing.worker().start()
    code = ("import sys; from caseclient.store import ProcessLock; "
            f"sys.exit(0 if ProcessLock({str(filing.db.path) + '.worker-lock'!r}).acquire() else 3)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 3
