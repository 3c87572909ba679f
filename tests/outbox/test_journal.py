"""The user's filing journal: what was filed, where, how and with which undo state, read from the
ledger; no CPR number in clear; a CSV a Danish spreadsheet opens with æ, ø and å intact."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.cli import main
from caseclient.domain import Case, DocumentMetadata, DocumentRef, FilingRoute
from caseclient.store import Outbox, OutboxStatus, open_database, open_filing, outbox_files_dir
from caseclient.store.journal import (
    CSV_HEADER,
    JournalEntry,
    JournalState,
    journal_csv,
    parse_since,
    read_journal,
    write_journal_csv,
)
from caseclient.store.undo import undo

CPR_IN_CLEAR = re.compile(r"\b\d{6}-?\d{4}\b")


def _meta(title: str, route: FilingRoute | None) -> DocumentMetadata:
    return DocumentMetadata(title, date(2024, 6, 1), route=route)


def test_the_journal_shows_every_filing_with_its_route_and_undo_state_and_no_cpr(filing, cases):
    outbox = filing.outbox
    dropped = outbox.enqueue(cases[0], outbox.stage(filing.document("010190-1234 ansøgning.pdf", b"x" * 1234)),
                             _meta("Ansøgning fra 010190-1234 om særlig støtte", FilingRoute.DROP),
                             remote_checked=True)
    scanned = outbox.enqueue(cases[1], outbox.stage(filing.document("scan0001.pdf", os.urandom(2000))),
                             _meta("Brev fra Åbenrå Kommune", FilingRoute.SCAN), remote_checked=True)
    outbox.undo_window_s = 10
    undone = outbox.enqueue(cases[2], outbox.stage(filing.document("forkert.pdf", os.urandom(300))),
                            _meta("Afgørelse på forkert sag", FilingRoute.DROP), remote_checked=True)
    waiting = outbox.enqueue(cases[2], outbox.stage(filing.document("notat.txt", b"Notat")),
                             _meta("Notat", FilingRoute.COMMAND_LINE), remote_checked=True)
    undo(outbox, undone.id)
    worker = filing.worker()
    worker.start()
    assert worker.wait_until(lambda: all(outbox.get(i.id).status is OutboxStatus.DONE for i in (dropped, scanned)),
                             timeout=30)

    entries = {e.outbox_item_id: e for e in read_journal(filing.db, now=filing.clock.now())}
    assert set(entries) == {dropped.id, scanned.id, undone.id, waiting.id}
    first = entries[dropped.id]
    done = outbox.get(dropped.id)
    assert (first.state, first.route, first.case_number, first.case_id) == (
        JournalState.FILED, "drop", cases[0].number, cases[0].id)
    assert (first.filename, first.size, first.sha256) == ("010190-xxxx ansøgning.pdf", 1234, dropped.sha256)
    assert first.title == "Ansøgning fra 010190-xxxx om særlig støtte"
    assert first.document_id == done.document_id and first.system == "oio"
    assert first.service_url == filing.backend.http.base_url.rstrip("/")
    assert first.link == f"{first.service_url}/dokument/dokument/{done.document_id}"
    assert [d.id for d in filing.backend.list_documents(cases[0].id) if d.id == first.document_id]
    assert (entries[scanned.id].route, entries[scanned.id].state) == ("scan", JournalState.FILED)
    assert (entries[undone.id].state, entries[undone.id].document_id) == (JournalState.UNDONE, "")
    assert (entries[waiting.id].state, entries[waiting.id].route) == (JournalState.WAITING, "command line")
    for entry in entries.values():
        text = " ".join(str(v) for v in (entry.title, entry.filename, entry.case_number))
        assert not CPR_IN_CLEAR.search(text), text
    later = read_journal(filing.db, since=datetime.now(timezone.utc) + timedelta(days=1), now=filing.clock.now())
    assert later == []


def test_the_csv_of_1000_filings_opens_in_a_danish_spreadsheet_with_letters_intact(tmp_path):
    db = open_database(tmp_path / "data")
    outbox = Outbox(db, outbox_files_dir(tmp_path / "data"))
    source = tmp_path / "source.pdf"
    titles = []
    for n in range(1000):
        case = Case(id=f"case-{n % 7}", number=f"27.12.00-G01-{n % 7}-24", title="Sag")
        title = ["Ansøgning om særlig støtte – Æblehaven", "Høring, Ørestad", "Brev fra Åbenrå, 010190-1234",
                 "=HYPERLINK(\"http://x\")", "Notat; med semikolon og \"citat\""][n % 5] + f" {n}"
        titles.append(title)
        source.write_bytes(n.to_bytes(4, "big") * 10)
        outbox.enqueue(case, outbox.stage(source, filename=f"bilag {n} æøå.pdf"),
                       _meta(title, [FilingRoute.DROP, FilingRoute.SCAN, FilingRoute.COMMAND_LINE][n % 3]),
                       remote_checked=True)
    while (item := outbox.claim_next()) is not None:
        outbox.mark_done(item.id, DocumentRef(id=f"00{item.id:06d}", case_id=item.case_id, title=item.title))
    entries = read_journal(db, service=("sbsys", "https://esdh.kommune.dk"))
    assert len(entries) == 1000

    target = tmp_path / "journal.csv"
    assert write_journal_csv(entries, target) == 1000
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with its byte order mark
    text = raw[3:].decode("utf-8")
    assert "\r\n" in text and not CPR_IN_CLEAR.search(text)
    assert csv.Sniffer().sniff(text[:2000]).delimiter == ";"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == list(CSV_HEADER) and len(rows) == 1001 and {len(r) for r in rows} == {len(CSV_HEADER)}
    by_title = {r[2]: r for r in rows[1:]}
    row = by_title["Ansøgning om særlig støtte – Æblehaven 0"]
    assert row[1] == "journaliseret" and row[3] == "bilag 0 æøå.pdf" and row[6] == "27.12.00-G01-0-24"
    assert (row[7], row[8], row[11]) == ("sbsys", "https://esdh.kommune.dk", "træk og slip")
    assert "Brev fra Åbenrå, 010190-xxxx 2" in by_title
    assert "'=HYPERLINK(\"http://x\") 3" in by_title  # shown as text, never run as a formula
    assert "Notat; med semikolon og \"citat\" 4" in by_title
    assert by_title["Høring, Ørestad 1"][11] == "scanning"
    assert len({r[9] for r in rows[1:]}) == 1000 and all(r[5] and len(r[5]) == 64 for r in rows[1:])
    assert journal_csv(entries) == text
    db.close()


@pytest.mark.parametrize("text, expected", [("2026-12-03", (2026, 12, 3)), ("03-12-2026", (2026, 12, 3)),
                                            ("3.12.2026", (2026, 12, 3))])
def test_since_takes_a_date_as_people_write_it(text, expected):
    assert parse_since(text).timetuple()[:3] == expected


def test_since_that_is_no_date_is_one_sentence(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))
    assert main(["journal", "--since", "i går"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "caseclient: --since 'i går' is not a date; give it as 2026-12-03 (or 03-12-2026)."


def test_the_command_line_files_with_a_window_undoes_and_the_journal_tells(reference_service, tmp_path,
                                                                           monkeypatch, capsys):
    monkeypatch.setenv("CASECLIENT_HOME", str(tmp_path / "home"))
    url = reference_service.url
    case = OioService(url).search_cases(CaseQuery(limit=1))[0]
    wrong = tmp_path / "Forkert sag.pdf"
    wrong.write_bytes(os.urandom(700))
    right = tmp_path / "Rigtig sag.pdf"
    right.write_bytes(os.urandom(800))

    assert main(["file", str(wrong), "--case", case.number, "--no-wait", "--undo-window", "600", "--service", url]) == 0
    assert capsys.readouterr().out.split() == ["queued", "1"]
    assert main(["undo"]) == 0
    assert capsys.readouterr().out.startswith("undone 1\tForkert sag.pdf")
    assert main(["undo", "1"]) == 0  # already undone: said again, nothing else
    capsys.readouterr()
    # --undo-window without seconds: the setting's (0 here: filed at once)
    assert main(["file", str(right), "--case", case.number, "--undo-window", "--set", "filing.undo_window=0",
                 "--service", url]) == 0
    document_id = capsys.readouterr().out.strip()
    assert main(["undo", "2"]) == 1
    assert "can no longer be undone" in capsys.readouterr().err
    assert main(["outbox", "run", "--service", url]) == 0
    titles = [d.title for d in OioService(url).list_documents(case.id)]
    assert "Rigtig sag" in titles and "Forkert sag" not in titles

    assert main(["journal", "--json", "--service", url]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["title"], r["state"], r["route"], r["document_id"]) for r in rows] == [
        ("Rigtig sag", "filed", "command line", document_id), ("Forkert sag", "undone", "command line", "")]
    out = tmp_path / "journal.csv"
    assert main(["journal", "--since", date.today().isoformat(), "--csv", str(out), "--service", url]) == 0
    assert "2 filing(s) written to" in capsys.readouterr().err
    assert out.read_bytes().decode("utf-8-sig").count("kommandolinje") == 2
    with open_filing() as filing:
        assert filing.outbox.get(1).status is OutboxStatus.CANCELLED


@settings(max_examples=200, deadline=None)
@given(titles=st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
                       min_size=1, max_size=20))
def test_any_title_comes_back_from_the_csv_as_text(titles):
    """Semicolons, quotes, line breaks, æøå, emoji and formula-like starts: each title is one cell
    that reads back as written (a formula-like one with an apostrophe in front)."""
    at = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)
    entries = [JournalEntry(at, JournalState.FILED, t, f"{n}.pdf", n, "0" * 64, "27.24.00-G01-1-24", "c", "oio",
                            "", f"d{n}", "", "drop", n) for n, t in enumerate(titles)]
    rows = list(csv.reader(io.StringIO(journal_csv(entries), newline=""), delimiter=";"))
    assert len(rows) == len(titles) + 1
    for title, row in zip(titles, rows[1:]):
        assert row[2] == ("'" + title if title[0] in "=+-@\t\r" else title)
