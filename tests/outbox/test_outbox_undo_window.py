"""The undo window in the outbox: a new item is due `undo_window_s` after it is queued (the column
retries are scheduled with), the worker leaves it alone until then, and undo and the worker's claim
exclude each other: an item is either sent or undone, never both, also across a restart."""

from __future__ import annotations

import os
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseclient.domain import Case, DocumentMetadata, DocumentRef
from caseclient.filing import ManualClock
from caseclient.store import Outbox, OutboxStatus, open_database, outbox_files_dir
from caseclient.store.undo import TooLate, in_undo_window, undo, undoable, was_undone


def _metadata(title: str) -> DocumentMetadata:
    return DocumentMetadata(title, date(2024, 6, 1))


def test_the_worker_leaves_an_item_in_its_window_and_undo_means_nothing_is_sent(filing, cases):
    filing.outbox.undo_window_s = 10
    item = filing.outbox.enqueue(cases[0], filing.outbox.stage(filing.document("brev.pdf", os.urandom(500))),
                                 _metadata("Brev til forkert borger"), remote_checked=True)
    assert item.next_attempt_at == filing.clock.now() + 10 and in_undo_window(item, filing.clock.now())
    worker = filing.worker()
    worker.start()
    assert filing.clock.wait_for_waiters(2)  # both threads looked and went idle: nothing is due
    assert filing.outbox.get(item.id).status is OutboxStatus.QUEUED
    filing.clock.advance(9)
    undone = undo(filing.outbox, item.id)
    assert was_undone(undone) and undone.attempts == 0
    assert undo(filing.outbox, item.id) == undone  # twice is once
    filing.clock.advance(60)
    worker.wake()
    other = filing.outbox.enqueue(cases[0], filing.outbox.stage(filing.document("andet.pdf", os.urandom(500))),
                                  _metadata("Andet brev"), remote_checked=True)
    filing.clock.advance(11)
    worker.wake()
    assert worker.wait_until(lambda: filing.outbox.get(other.id).status is OutboxStatus.DONE, timeout=30)
    titles = [d.title for d in filing.backend.list_documents(cases[0].id)]
    assert "Andet brev" in titles and "Brev til forkert borger" not in titles
    assert was_undone(filing.outbox.get(item.id))


def test_an_item_being_filed_or_past_its_window_cannot_be_undone(filing, cases):
    filing.outbox.undo_window_s = 5
    stage = lambda name: filing.outbox.stage(filing.document(name, os.urandom(300)))  # noqa: E731
    first = filing.outbox.enqueue(cases[0], stage("a.pdf"), _metadata("A"), remote_checked=True)
    second = filing.outbox.enqueue(cases[0], stage("b.pdf"), _metadata("B"), remote_checked=True)
    assert filing.outbox.claim_next() is None  # not due yet
    filing.clock.advance(5)
    claimed = filing.outbox.claim_next()
    assert claimed.id == first.id
    with pytest.raises(TooLate, match="a.pdf can no longer be undone"):
        undo(filing.outbox, first.id)
    with pytest.raises(TooLate):  # due, though not yet taken: the window is over
        undo(filing.outbox, second.id)
    filing.outbox.undo_window_s = 0
    third = filing.outbox.enqueue(cases[0], stage("c.pdf"), _metadata("C"), remote_checked=True)
    assert not in_undo_window(third, filing.clock.now())  # 0 turns the window off
    with pytest.raises(TooLate):
        undo(filing.outbox, third.id)


def test_a_restart_inside_the_window_keeps_the_items_waiting_in_their_place(tmp_path, cases):
    clock = ManualClock()
    db = open_database(tmp_path / "data")
    outbox = Outbox(db, outbox_files_dir(tmp_path / "data"), now=clock.now)
    outbox.undo_window_s = 10
    source = tmp_path / "scan.pdf"
    queued = []
    for n in range(3):
        source.write_bytes(os.urandom(200 + n))
        queued.append(outbox.enqueue(cases[0], outbox.stage(source), _metadata(f"Scan {n}"), remote_checked=True))
        clock.advance(1)
    db.close()  # the app stops (or the computer: the items were durably queued at once)

    db = open_database(tmp_path / "data")
    outbox = Outbox(db, outbox_files_dir(tmp_path / "data"), now=clock.now)
    assert outbox.recover_interrupted() == 0
    waiting = undoable(outbox)
    assert [i.id for i in waiting] == [i.id for i in queued]
    assert [i.next_attempt_at for i in waiting] == [i.next_attempt_at for i in queued]
    assert was_undone(undo(outbox, queued[1].id))
    clock.advance(10)
    assert [outbox.claim_next().id, outbox.claim_next().id, outbox.claim_next()] == [queued[0].id, queued[2].id, None]
    db.close()


ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("enqueue"), st.sampled_from([0.0, 1.0, 5.0, 10.0])),
        st.tuples(st.just("advance"), st.floats(0.25, 6.0)),
        st.tuples(st.just("undo"), st.integers(0, 7)),
        st.tuples(st.just("claim"), st.just(0)),
    ),
    min_size=1, max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_undo_and_the_claim_never_both_win(tmp_path_factory, actions):
    """Any interleaving of queueing (with or without a window), time passing, undo and the worker's
    claim: an undo succeeds exactly when the item is queued, untouched and inside its window; an
    undone item is never claimed and a claimed one never undone; the rest is filed once."""
    folder = tmp_path_factory.mktemp("undo")
    clock = ManualClock()
    db = open_database(folder / "data")
    outbox = Outbox(db, outbox_files_dir(folder / "data"), now=clock.now)
    case = Case(id="c1", number="01.02.03-A00-1-24", title="Sag")
    source = folder / "doc.pdf"
    ids: list[int] = []
    claimed: set[int] = set()
    undone: set[int] = set()
    try:
        for kind, value in actions:
            if kind == "enqueue":
                outbox.undo_window_s = value
                source.write_bytes(os.urandom(64))
                ids.append(outbox.enqueue(case, outbox.stage(source), _metadata("Doc"), remote_checked=True).id)
            elif kind == "advance":
                clock.advance(value)
            elif kind == "undo" and ids:
                item_id = ids[value % len(ids)]
                before = outbox.get(item_id)
                expected = in_undo_window(before, clock.now()) or was_undone(before)
                try:
                    undo(outbox, item_id)
                    assert expected, before
                    undone.add(item_id)
                except TooLate:
                    assert not expected, before
            elif kind == "claim":
                item = outbox.claim_next()
                if item is not None:
                    assert item.id not in undone
                    claimed.add(item.id)
                    outbox.mark_done(item.id, DocumentRef(id=f"doc-{item.id}", case_id=case.id, title="Doc"))
        assert not claimed & undone
        clock.advance(11)
        while (item := outbox.claim_next()) is not None:
            assert item.id not in undone
            claimed.add(item.id)
            outbox.mark_done(item.id, DocumentRef(id=f"doc-{item.id}", case_id=case.id, title="Doc"))
        assert claimed | undone == set(ids) and not claimed & undone
        assert {i.id for i in outbox.items([OutboxStatus.DONE])} == claimed
    finally:
        db.close()


def test_a_routed_scan_waits_in_the_window_too_and_an_undone_one_goes_to_failed_with_the_reason(filing, cases):
    from caseclient.watch import OutboxHandOff
    from caseclient.watch.handoff import Outcome

    filing.outbox.undo_window_s = 10
    handoff = OutboxHandOff(filing.outbox, filing.ledger)
    handed = handoff.enqueue(cases[0], filing.document("scan0001.pdf", os.urandom(900)), "scan0001.pdf",
                             _metadata("Scannet brev"))
    item = filing.outbox.get(handed.item_id)
    assert in_undo_window(item, filing.clock.now()) and item.metadata().route.value == "scan"
    assert handoff.result(handed).outcome is Outcome.WAITING
    undo(filing.outbox, item.id)
    result = handoff.result(handed)
    assert result.outcome is Outcome.FAILED and "Undone before it was sent" in result.reason  # the scan is kept
