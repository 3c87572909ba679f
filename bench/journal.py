"""The filing journal: how long reading it and writing its CSV take for a user with many filings.

Builds a ledger of N filings (default 10,000; outbox rows and ledger rows written in one
transaction: the outbox's own speed is bench/outbox.py's business), then times `read_journal`
(the Mine journaliseringer tab and `caseclient journal`) and `write_journal_csv` (the export for the
records office), each the median of --rounds. Prints a table, then as its last line one JSON object.

    .venv/bin/python bench/journal.py [--filings 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from caseclient.store import open_database  # noqa: E402
from caseclient.store.journal import read_journal, write_journal_csv  # noqa: E402

TARGET_READ_S = 1.0  # 10,000 filings shown in the tab within a second (off the GUI thread)
TARGET_CSV_S = 1.0


def build(db, filings: int) -> None:
    now = time.time()
    with db.write() as conn:
        for n in range(filings):
            meta = json.dumps({"title": f"Ansøgning om særlig støtte {n}", "document_date": "2026-12-03",
                               "direction": "incoming", "sensitivity": "normal",
                               "route": ("drop", "scan", "command line")[n % 3]}, ensure_ascii=False)
            at = now - (filings - n)
            item_id = conn.execute(
                """INSERT INTO outbox_item (case_id, case_number, metadata, source_path, filename, mime_type, size,
                       sha256, idempotency_key, status, next_attempt_at, document_id, created_at, updated_at,
                       finished_at) VALUES (?, ?, ?, '', ?, 'application/pdf', ?, ?, ?, 'done', ?, ?, ?, ?, ?)
                   RETURNING id""",
                (f"case-{n % 500}", f"27.24.00-G01-{n % 500}-24", meta, f"bilag {n} æøå.pdf", 1000 + n,
                 f"{n:064x}", str(uuid.uuid4()), at, f"doc-{n}", at, at, at),
            ).fetchone()[0]
            conn.execute(
                """INSERT INTO filing_ledger (case_id, case_number, document_id, title, sha256, filed_at,
                       outbox_item_id) VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (f"case-{n % 500}", f"27.24.00-G01-{n % 500}-24", f"doc-{n}", f"Ansøgning om særlig støtte {n}",
                 f"{n:064x}", at, item_id),
            )


def timed(call, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--filings", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="caseclient-journal-") as folder:
        db = open_database(Path(folder))
        build(db, args.filings)
        entries = read_journal(db, service=("sbsys", "https://esdh.example.dk"))
        assert len(entries) == args.filings
        read_s = timed(lambda: read_journal(db, service=("sbsys", "https://esdh.example.dk")), args.rounds)
        target = Path(folder) / "journal.csv"
        csv_s = timed(lambda: write_journal_csv(entries, target), args.rounds)
        csv_mib = target.stat().st_size / 2**20
        db.close()
    print(f"{'filings':>10} {'read (s)':>10} {'CSV (s)':>10} {'CSV (MiB)':>10}")
    print(f"{args.filings:>10} {read_s:>10.3f} {csv_s:>10.3f} {csv_mib:>10.2f}")
    figures = {"filings": args.filings, "read_s": round(read_s, 3), "csv_s": round(csv_s, 3),
               "csv_mib": round(csv_mib, 2)}
    targets = {"read_s": TARGET_READ_S, "csv_s": TARGET_CSV_S}
    ok = read_s <= TARGET_READ_S and csv_s <= TARGET_CSV_S
    print(json.dumps({"bench": "journal", "figures": figures, "targets": targets, "pass": ok}))


if __name__ == "__main__":
    main()
