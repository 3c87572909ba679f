"""The scan inbox: unplaced scans kept privately with a preview and no CPR number in plain files;
placed on a case through the outbox, or sent to the service's inbox with the person found."""

from __future__ import annotations

import io
import shutil

import pytest

from caseclient.filing.clock import ManualClock
from caseclient.store import FilingLedger, Outbox, OutboxStatus, open_database, outbox_files_dir
from caseclient.watch import ClaimBook, OutboxHandOff, Router, ScanFolder, ScanInbox
from watch_pdfs import text_pdf

UNKNOWN_CPR = "0101901234"  # a valid date, nobody's case in the demo data


@pytest.fixture
def unplaced(backend, tmp_path):
    folder = ScanFolder(tmp_path / "scan")
    folder.path.mkdir()
    letter = text_pdf(folder.path / "scan0009.pdf", f"Ansøgning\nCPR: {UNKNOWN_CPR[:6]}-{UNKNOWN_CPR[6:]}")
    claim = ClaimBook(folder, "host-a", ManualClock(), timeout=600).claim(letter)
    routed = Router(backend, tmp_path / "scratch").route(claim)
    assert routed.case is None and len(routed.cprs) == 1
    return routed


def test_an_unplaced_scan_is_kept_with_a_preview_and_no_cpr_in_plain_files(unplaced, tmp_path):
    inbox = ScanInbox(tmp_path / "inbox")
    entry = inbox.add(unplaced)
    assert inbox.add(unplaced) == entry  # adding the same claim again changes nothing
    (listed,) = inbox.entries()
    assert listed.key == entry.key and listed.file.read_bytes() == unplaced.claim.path.read_bytes()
    assert listed.preview is not None and listed.preview.stat().st_size > 1000
    assert "do not point to exactly one case" in listed.reason
    assert listed.metadata.parties == ()
    plain = (entry.folder / "scan.json").read_text(encoding="utf-8")
    assert UNKNOWN_CPR not in plain and UNKNOWN_CPR[6:] not in plain
    assert inbox.detected_cprs_count(listed) == 1


def test_placing_a_scan_on_a_case_queues_it_and_empties_the_entry(unplaced, cases, tmp_path):
    inbox = ScanInbox(tmp_path / "inbox")
    entry = inbox.add(unplaced)
    db = open_database(tmp_path / "data")
    try:
        outbox = Outbox(db, outbox_files_dir(tmp_path / "data"))
        handed = inbox.place_on_case(entry, cases[0], OutboxHandOff(outbox, FilingLedger(db)))
        item = outbox.get(handed.item_id)
        assert item.case_id == cases[0].id and item.status is OutboxStatus.QUEUED
        assert item.filename == "scan0009.pdf"
        assert inbox.entries() == [] and not entry.folder.exists()
    finally:
        db.close()


def test_sending_a_scan_to_the_services_inbox_with_the_person_found(unplaced, backend, tmp_path):
    inbox = ScanInbox(tmp_path / "inbox")
    entry = inbox.add(unplaced)
    copy = tmp_path / "copy.pdf"
    shutil.copyfile(entry.file, copy)
    ref = inbox.send_to_service_inbox(entry, backend)
    assert ref.case_id is None
    assert inbox.entries() == []
    sink = io.BytesIO()
    backend.read_content(ref.id, sink)
    assert sink.getvalue() == copy.read_bytes()
