"""The local case index: prefix and word search, CPR/CVR only on a complete number, never in clear."""

from __future__ import annotations

import os

import pytest

from caseclient.domain import Case, Cpr, Cvr, Party, PartyRole
from caseclient.store.case_index import CaseIndex

KEY = os.urandom(32)


def _case(n: int, title: str, number: str | None = None, parties=()) -> Case:
    return Case(id=f"c{n}", number=number or f"27.24.00-G01-{n}-24", title=title, kle="27.24.00", parties=tuple(parties))


@pytest.fixture
def index(tmp_path):
    idx = CaseIndex(tmp_path / "case-index.sqlite", KEY)
    yield idx
    idx.close()


HANSEN = Party(name="Ib Hansen", cpr=Cpr("0101701234"), role=PartyRole.PRIMARY)
FIRMA = Party(name="Byg & Co ApS", cvr=Cvr("29189846"))


def test_search_by_number_prefix_title_words_and_party_names(index):
    index.upsert([
        _case(1, "Ansøgning om boligstøtte", parties=[HANSEN]),
        _case(2, "Klage over byggetilladelse", number="02.00.05-K01-2-23", parties=[FIRMA]),
        _case(3, "Tilsyn med plejebolig"),
    ], mine=True)
    assert [c.id for c in index.search("27.24")] == ["c1", "c3"]
    assert [c.id for c in index.search("02.00.05-k01")] == ["c2"]
    assert [c.id for c in index.search("bolig")] == ["c1"]  # a word prefix, not inside words
    assert [c.id for c in index.search("Boligstø ansøg")] == ["c1"]
    assert [c.id for c in index.search("hansen")] == ["c1"]
    assert [c.id for c in index.search('"klage" OR *')] == []  # user text is never FTS syntax
    assert index.search("   ") == []


def test_cpr_and_cvr_match_only_complete_numbers_and_are_not_stored_in_clear(index, tmp_path):
    index.upsert([_case(1, "Sag", parties=[HANSEN]), _case(2, "Byggesag", parties=[FIRMA])])
    assert [c.id for c in index.search("010170-1234")] == ["c1"]
    assert [c.id for c in index.search("0101701234")] == ["c1"]
    assert index.search("010170") == [] and index.search("0101701") == []
    assert [c.id for c in index.search("29189846")] == ["c2"]
    index.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("case-index.sqlite*"))
    assert b"0101701234" not in raw and b"010170-1234" not in raw


def test_a_new_key_drops_the_old_hashes_and_indexes_anew(tmp_path):
    first = CaseIndex(tmp_path / "i.sqlite", KEY)
    first.upsert([_case(1, "Sag", parties=[HANSEN])])
    first.close()
    other = CaseIndex(tmp_path / "i.sqlite", os.urandom(32))
    assert other.search("0101701234") == []
    assert [c.id for c in other.search("sag")] == ["c1"]  # the rest of the index stays
    other.upsert([_case(1, "Sag", parties=[HANSEN])])
    assert [c.id for c in other.search("0101701234")] == ["c1"]
    other.close()
    again = CaseIndex(tmp_path / "i.sqlite", KEY)
    assert again.search("0101701234") == []
    again.close()


def test_sync_replaces_my_cases_and_keeps_favourites_and_recent(index):
    index.upsert([_case(1, "A"), _case(2, "B"), _case(3, "C")], mine=True)
    index.set_favourite(_case(2, "B"), True)
    index.mark_filed(_case(3, "C"))
    progress = []
    assert index.sync_mine([[_case(1, "A renamed")], [_case(4, "D")]], progress=lambda d, t: progress.append(d)) == 2
    assert progress == [1, 2]
    assert [c.id for c in index.mine()] == ["c1", "c4"]
    assert index.mine()[0].title == "A renamed"
    assert [c.id for c in index.favourites()] == ["c2"]
    assert [c.id for c in index.recent()] == ["c3"]
    assert index.count() == 4
    index.set_favourite(_case(2, "B"), False)
    assert index.count() == 3


def test_my_cases_rank_before_others(index):
    index.upsert([_case(1, "Bolig a")])
    index.set_favourite(_case(1, "Bolig a"), True)
    index.upsert([_case(2, "Bolig b")], mine=True)
    assert [c.id for c in index.search("bolig")] == ["c2", "c1"]


def test_read_back_keeps_party_names_without_numbers(index):
    index.upsert([_case(1, "Sag", parties=[HANSEN, FIRMA])])
    case = index.search("sag")[0]
    assert [p.name for p in case.parties] == ["Ib Hansen", "Byg & Co ApS"]
    assert case.parties[0].cpr is None and case.parties[1].cvr == Cvr("29189846")


def test_the_working_set_is_found_by_its_current_text_and_flags(index):
    index.upsert([_case(4, "Bolig mine")], mine=True)
    index.set_favourite(_case(2, "Bolig 2"), True)
    index.mark_filed(_case(3, "Bolig 3"))
    index.upsert([_case(1, "Bolig 1")])
    assert [c.id for c in index.search("bolig")] == ["c4", "c2", "c3", "c1"]
    index.upsert([_case(4, "Parkering")])  # renamed; still mine
    assert [c.id for c in index.search("parkering")] == ["c4"]
    assert [c.id for c in index.search("bolig")] == ["c2", "c3", "c1"]
    index.set_favourite(_case(2, "Bolig 2"), False)  # c2 (and c1, in no group) leave the index
    assert [c.id for c in index.search("bolig")] == ["c3"]
    index.sync_mine([[_case(5, "Bolig ny")]])
    assert [c.id for c in index.search("bolig")] == ["c5", "c3"]
    assert index.search("parkering") == []  # c4 is no longer mine: dropped
