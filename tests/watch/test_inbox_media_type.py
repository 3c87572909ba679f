"""A scan placed from the scan inbox is filed as what it holds, also when the scanner gave it no extension."""

from __future__ import annotations

from caseclient.filing.clock import ManualClock
from caseclient.store import FilingLedger, Outbox, open_database, outbox_files_dir
from caseclient.watch import ClaimBook, OutboxHandOff, Router, ScanFolder, ScanInbox
from watch_pdfs import text_pdf


def test_a_scan_without_an_extension_is_placed_as_a_pdf(backend, cases, tmp_path):
    folder = ScanFolder(tmp_path / "scan")
    folder.path.mkdir()
    made = text_pdf(folder.path / "scan.pdf", "Brev uden sagsnummer")
    letter = made.rename(folder.path / "SCAN0010")
    claim = ClaimBook(folder, "host-a", ManualClock(), timeout=600).claim(letter)
    routed = Router(backend, tmp_path / "scratch").route(claim)
    assert routed.case is None
    inbox = ScanInbox(tmp_path / "inbox")
    entry = inbox.add(routed)
    db = open_database(tmp_path / "data")
    try:
        outbox = Outbox(db, outbox_files_dir(tmp_path / "data"))
        handed = inbox.place_on_case(entry, cases[0], OutboxHandOff(outbox, FilingLedger(db)))
        item = outbox.get(handed.item_id)
        assert (item.filename, item.mime_type) == ("SCAN0010", "application/pdf")
    finally:
        db.close()
