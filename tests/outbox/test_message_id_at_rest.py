"""A Message-ID holding a CPR number is compared, never kept readable, in the queue and the ledger
(issue 15, point 5): the duplicate guard still knows the mail, and once filed, neither its file
name nor its Message-ID keeps the digits."""

from __future__ import annotations

from datetime import date

from caseclient.domain import Case, DocumentMetadata, DocumentRef
from caseclient.store import FilingLedger, Outbox, open_database, outbox_files_dir

CPR_DIGITS = "0707614285"
MESSAGE_ID = f"<sag-070761-4285.{CPR_DIGITS}@mail.aarhus.example.dk>"


def test_a_message_id_with_a_cpr_number_is_kept_as_a_digest_and_still_matches(tmp_path):
    home = tmp_path / "home"
    db = open_database(home)
    outbox = Outbox(db, outbox_files_dir(home))
    source = tmp_path / "Klage 070761-4285.eml"
    source.write_bytes(b"Subject: x\r\n\r\nbody\r\n")
    case = Case(id="case-1", number="27.24.00-G01-1-24", title="Sag")
    metadata = DocumentMetadata("Brev", date(2026, 12, 3), message_id=MESSAGE_ID)
    item = outbox.enqueue(case, outbox.stage(source), metadata)
    assert outbox.pending_like("case-1", "0" * 64, MESSAGE_ID).id == item.id
    assert item.metadata().message_id == MESSAGE_ID  # what files it, until the item is purged
    claimed = outbox.claim_next()
    outbox.mark_done(claimed.id, DocumentRef(id="doc-1", case_id="case-1", title="Brev"))
    ledger = FilingLedger(db)
    assert ledger.find("case-1", "1" * 64, MESSAGE_ID).document_id == "doc-1"
    assert ledger.find("case-1", "1" * 64, "<other@example.dk>") is None
    with db.read() as conn:
        kept = [row[0] for row in conn.execute("SELECT message_id FROM outbox_item")]
        kept += [row[0] for row in conn.execute("SELECT message_id FROM filing_ledger")]
    assert kept and all(value.startswith("sha256:") and "070761" not in value for value in kept)
    with db.read() as conn:
        filename, metadata_json = conn.execute("SELECT filename, metadata FROM outbox_item").fetchone()
    assert "4285" not in filename and "4285" not in metadata_json and CPR_DIGITS not in metadata_json
    db.close()
