"""Scan folders survive any file name and any writer (issue 15, point 4).

Real files, real file system events, the real outbox and worker against the reference service; an
injected clock moves the stability delay (no sleeps). Every scan ends filed (in Done) or in Failed
with a reason file beside it; no claim stays behind; the log shows each name on one line.
"""

from __future__ import annotations

import logging
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_watcher import DELAY, _pdf_bytes, make_station  # noqa: F401 (a fixture)

from caseclient.redaction import shown_name

NAME_MAX = 255


def _bytes_path(folder: Path, name: bytes) -> bytes:
    return os.path.join(os.fsencode(folder), name)


def _write(folder: Path, name: bytes, data: bytes) -> Path:
    with open(_bytes_path(folder, name), "wb") as out:
        out.write(data)
    return Path(os.fsdecode(_bytes_path(folder, name)))


def _unique_pdf(samples: Path, n: int) -> bytes:
    """The same one-page scan, with a comment after it so each copy is a document of its own."""
    return _pdf_bytes(samples, "minimal-document.pdf") + f"\n% copy {n}\n".encode()


def _entries(folder: Path) -> list[bytes]:
    return os.listdir(os.fsencode(folder)) if folder.is_dir() else []


def _claims_left(station) -> list[str]:
    processing = station.folder.work_folder / "processing"
    return [os.path.join(root, f) for root, _d, files in os.walk(processing) for f in files if f != "alive"]


def _settled(station, count: int) -> bool:
    """`count` scans have left the watched folder and their claims: each filed or failed."""
    ended = len(station.events.filed_names) + len(station.events.failed_names) + len(station.events.inboxed)
    return ended >= count and not _claims_left(station)


def _hostile_names(number: str) -> dict[str, bytes]:
    """The issue's examples: each name carries the case number, so each scan can be filed."""
    utf8_max = (f"{number} " + "æ" * 200).encode()
    utf8_max = utf8_max[:NAME_MAX - 4].decode("utf-8", "ignore").encode() + b".pdf"
    ascii_max = (f"{number} " + "x" * NAME_MAX).encode()[:NAME_MAX - 4] + b".pdf"
    return {
        "not UTF-8": f"{number} ".encode() + b"scan \xff\xfe\xc3(.pdf",
        "Latin-1 æøå": f"{number} ".encode() + "brev fra Århus æøå".encode("latin-1") + b".pdf",
        "at the length limit (UTF-8)": utf8_max,
        "at the length limit (ASCII)": ascii_max,
        "newline": f"{number} scan\n2026-12-03 21:00:00 ERROR forged line.pdf".encode(),
        "carriage return": f"{number} scan\rforged.pdf".encode(),
        "bidi override": f"{number} faktura\u202efdp.exe.pdf".encode(),
        "bidi isolates": f"{number} \u2066scan\u2069\u200f.pdf".encode(),
        "escape sequence": f"{number} \x1b[31mred\x1b[0m.pdf".encode(),
    }


def test_hostile_names_are_filed_and_the_log_shows_each_on_one_line(make_station, cases, samples, caplog):
    caplog.set_level(logging.INFO, logger="caseclient")
    station = make_station()
    names = _hostile_names(cases[0].number)
    for n, (kind, name) in enumerate(names.items()):
        assert len(name) <= NAME_MAX, kind
        station.seen(_write(station.folder.path, name, _unique_pdf(samples, n)))
    station.settle(lambda: _settled(station, len(names)), "every scan is filed or failed")
    assert station.events.failed_names == [], station.events.failed_names
    done = _entries(station.folder.done_folder)
    for kind, name in names.items():
        assert name in done, kind
    assert set(_entries(station.folder.path)) <= {b"Done", b"Failed", b".caseclient"}
    filed = {d.filename for d in station.backend.list_documents(cases[0].id)}
    assert f"{cases[0].number} scan ÿþÃ(.pdf" in filed  # not UTF-8: read as Windows-1252
    assert f"{cases[0].number} brev fra Århus æøå.pdf" in filed
    assert f"{cases[0].number} scan 2026-12-03 21:00:00 ERROR forged line.pdf" in filed
    assert f"{cases[0].number} faktura fdp.exe.pdf".replace(" fdp", "fdp") in filed  # the override dropped
    messages = [record.getMessage() for record in caplog.records]
    assert any("\\x0a" in m for m in messages), "the newline is shown escaped"
    for message in messages:
        assert "\n" not in message and "\r" not in message and "\x1b" not in message, message
        assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in message), repr(message)


def test_a_hostile_name_that_cannot_be_filed_goes_to_failed_with_its_reason(make_station, cases, samples):
    """A broken scan with a name at the length limit: the reason file beside it cannot take the
    name plus `.reason.txt`, yet the reason is written and the claim is finished."""
    station = make_station()
    names = [
        (f"{cases[1].number} " + "y" * NAME_MAX).encode()[:NAME_MAX - 4] + b".pdf",
        f"{cases[1].number} ".encode() + b"\xff\xfe\nforged.pdf",
    ]
    broken = (samples / "pdf" / "corrupt-truncated-minimal-document.pdf").read_bytes()
    for name in names:
        station.seen(_write(station.folder.path, name, broken))
    station.settle(lambda: _settled(station, len(names)), "both broken scans are failed")
    failed = _entries(station.folder.failed_folder)
    for name in names:
        assert name in failed
    reasons = [f for f in failed if f.endswith(b".reason.txt")]
    assert len(reasons) == len(names)
    for reason in reasons:
        text = Path(os.fsdecode(_bytes_path(station.folder.failed_folder, reason))).read_text("utf-8")
        assert len(text.splitlines()) == 1 and text.strip(), text


def test_a_writer_that_holds_a_scan_open_empty_does_not_make_it_fail(make_station, cases, samples):
    """A scanner that creates the file, keeps it open and empty for longer than the stability
    delay, then writes it all: the scan is filed, not failed as empty."""
    station = make_station()
    target = station.folder.path / f"{cases[2].number} langsom.pdf"
    data = _pdf_bytes(samples, "minimal-document.pdf")
    with target.open("wb") as writer:
        station.seen(target, 0)
        for _ in range(5):  # ten seconds of the scanner's silence, in stability delays
            station.advance(DELAY)
            station.watcher.wake()
            station.wait(lambda: station.watcher.passes > 0, "a pass")
        assert target.exists() and station.events.failed_names == [], "an empty, open scan was taken"
        writer.write(data)
    station.seen(target, len(data))
    station.settle(lambda: station.done(target.name).exists(), "the completed scan is filed")
    assert station.events.failed_names == []
    assert len(station.documents_named(cases[2], target.name)) == 1


def test_a_scan_that_stays_empty_goes_to_failed_in_the_end(make_station, cases):
    station = make_station(empty_file_delay=5 * DELAY)
    target = station.folder.path / f"{cases[3].number} tom.pdf"
    target.write_bytes(b"")
    station.seen(target, 0)
    station.settle(lambda: _settled(station, 1), "the empty scan is failed")
    assert (station.folder.failed_folder / target.name).is_file()
    reason = (station.folder.failed_folder / f"{target.name}.reason.txt").read_text("utf-8")
    assert "empty" in reason


_NAME_BYTES = st.binary(min_size=1, max_size=60).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_"))


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(names=st.lists(_NAME_BYTES, min_size=1, max_size=4, unique=True),
       pad=st.integers(min_value=0, max_value=NAME_MAX))
def test_any_name_ends_filed_failed_or_in_the_inbox_and_never_stops_the_watcher(make_station, cases,
                                                                                samples, names, pad):
    station = _STATIONS.get(id(make_station)) or _STATIONS.setdefault(id(make_station), make_station())
    before = len(station.events.filed_names) + len(station.events.failed_names) + len(station.events.inboxed)
    number = cases[0].number.encode()
    written = []
    for raw in names:
        name = (number + b" " + raw + b"z" * pad)[:NAME_MAX - 4] + b".pdf"
        if name in written:
            continue
        station.seen(_write(station.folder.path, name, _unique_pdf(samples, len(_WRITTEN))))
        _WRITTEN.append(name)
        written.append(name)
    station.settle(lambda: _settled(station, before + len(written)), f"{written!r} are handled")
    for name in written:
        assert name not in _entries(station.folder.path)
        assert name in _entries(station.folder.done_folder) or any(
            f.startswith(name[:40]) for f in _entries(station.folder.failed_folder))


_STATIONS: dict[int, object] = {}
_WRITTEN: list[bytes] = []


@pytest.fixture(autouse=True)
def _forget_stations():
    yield
    _STATIONS.clear()


@given(st.text())
def test_a_shown_name_is_one_line_without_controls(text):
    shown = shown_name(text)
    assert "\n" not in shown and "\r" not in shown
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in shown)
    if text.isprintable() and not any(c.isdigit() for c in text) and "\\" not in text:
        assert shown == text


@given(st.binary(max_size=80))
def test_a_name_that_is_not_utf8_is_shown_with_its_bytes_escaped(raw):
    shown = shown_name(os.fsdecode(raw))
    shown.encode("utf-8")  # never a surrogate (this would raise)
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in shown)


def test_a_claim_with_a_name_at_the_limit_is_put_back_beside_a_new_file_of_that_name(tmp_path):
    from caseclient.filing.clock import ManualClock
    from caseclient.watch import ClaimBook, ScanFolder

    folder = ScanFolder(tmp_path / "scan")
    folder.path.mkdir(parents=True)
    name = ("brev " + "ø" * NAME_MAX).encode()[:NAME_MAX - 4] + b".pdf"
    original = _write(folder.path, name, b"%PDF first")
    crashed = ClaimBook(folder, "host-a", ManualClock(), timeout=60)
    claim = crashed.claim(original)
    _write(folder.path, name, b"%PDF a new scan with the same name")
    back = crashed.put_back(claim)
    assert back != original and back.read_bytes() == b"%PDF first"
    assert len(os.fsencode(back.name)) <= NAME_MAX and back.name.endswith(".pdf")
    assert "recovered" in back.name


def test_a_scan_named_in_bytes_that_are_not_utf8_without_a_case_number_goes_to_the_inbox(make_station, samples):
    station = make_station()
    name = b"scan \xe6\xf8\xe5 \xff 070761-4285.pdf"  # Windows-1252 letters, a stray byte, a CPR number
    station.seen(_write(station.folder.path, name, _unique_pdf(samples, 99)))
    station.settle(lambda: _settled(station, 1), "the scan is in the inbox")
    (entry,) = station.inbox.entries()
    assert entry.relative_path.encode("utf-8") and "4285" not in entry.relative_path
    assert "æøå" in entry.filename and "4285" not in entry.filename
