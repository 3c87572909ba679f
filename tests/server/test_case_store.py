"""The store's dialect-neutral view of cases and documents, which every simulator uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from caseclient.server import CASEWORKERS, seed_cases
from caseclient.server.store.cases import CaseStore, NewDocument
from caseclient.server.store.database import Database
from caseclient.server.store.files import ContentStore


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> CaseStore:
    data = tmp_path_factory.mktemp("case-store")
    seed_cases(data, 150, seed=4)
    return CaseStore(Database(data / "oio.sqlite3"), ContentStore(data / "files"))


def _upload(store: CaseStore, content: bytes) -> str:
    with store.files.new_upload() as f:
        f.write(content)
    return f.name


def test_cases_read_back_with_number_kle_caseworker_and_parties(store: CaseStore) -> None:
    cases = store.search(limit=500)
    assert len(cases) == 150
    assert [c.number for c in cases] == sorted(c.number for c in cases)
    assert all(c.kle and c.number.startswith(c.kle) and c.kle_title for c in cases)
    assert {c.caseworker for c in cases} <= {w.uuid for w in CASEWORKERS}
    assert all(c.parties for c in cases)
    assert any(c.closed for c in cases) and not all(c.closed for c in cases)
    one = cases[17]
    assert store.case(one.uuid) == one == store.case_by_row(one.row_id) == store.case_by_number(one.number)


def test_search_criteria(store: CaseStore) -> None:
    cases = store.search(limit=500)
    one = cases[40]
    prefix = one.number[:5]
    assert {c.uuid for c in store.search(number_prefix=prefix, limit=500)} == \
        {c.uuid for c in cases if c.number.startswith(prefix)}
    low, high = cases[10].number, cases[20].number
    assert [c.uuid for c in store.search(number_from=low, number_to=high, limit=500)] == \
        [c.uuid for c in cases[10:20]]
    assert {c.uuid for c in store.search(kle_prefix=one.kle[:5], limit=500)} == \
        {c.uuid for c in cases if c.kle.startswith(one.kle[:5])}
    word = one.title.split()[0]
    assert {c.uuid for c in store.search(title=word, limit=500)} == \
        {c.uuid for c in cases if word.casefold() in c.title.casefold()}
    assert {c.uuid for c in store.search(caseworker=one.caseworker, limit=500)} == \
        {c.uuid for c in cases if c.caseworker == one.caseworker}
    open_only = store.search(include_closed=False, limit=500)
    assert {c.uuid for c in open_only} == {c.uuid for c in cases if not c.closed}
    assert [c.uuid for c in store.search(limit=5, offset=5)] == [c.uuid for c in cases[5:10]]


def test_party_search_merges_every_party_relation(store: CaseStore) -> None:
    cases = store.search(limit=500)
    secondary = next(c for c in cases if any(p.relation == "sekundaerpart" for p in c.parties))
    party = next(p for p in secondary.parties if p.relation == "sekundaerpart")
    assert secondary.uuid in {c.uuid for c in store.search(party=party.urn)}
    primary = next(p for p in cases[3].parties if p.relation == "primaerpart")
    assert cases[3].uuid in {c.uuid for c in store.search(party=primary.urn)}


def test_filed_documents_keep_their_file_fields_and_order(store: CaseStore) -> None:
    case = store.search(include_closed=False, limit=1)[0]
    before = store.documents(case.uuid)
    first = store.add_document(case.uuid, NewDocument(
        upload=_upload(store, "første".encode()), title="Første brev", file_name="første.pdf",
        mime_type="application/pdf", letter_date="2026-12-01", kind="Indgående",
        fields={"sbsys": {"Eksternid": "key-1"}}))
    second = store.add_document(case.uuid, NewDocument(
        upload=_upload(store, b"andet"), title="Andet brev", file_name="andet.pdf",
        mime_type="application/pdf", letter_date="2026-12-02", kind="Udgående"))
    documents = store.documents(case.uuid)
    assert [d.uuid for d in documents] == [d.uuid for d in before] + [first.uuid, second.uuid]
    assert first.fields == {"sbsys": {"Eksternid": "key-1"}} and first.case_uuid == case.uuid
    assert (first.size, store.content_path(first).read_bytes()) == (len("første".encode()), "første".encode())
    assert store.document_by_row(first.row_id) == first == store.document_by_file_row(first.file_row_id)

    store.update_fields(first.uuid, "getorganized", {"DocId": 7})
    assert store.document(first.uuid).fields == {"sbsys": {"Eksternid": "key-1"}, "getorganized": {"DocId": 7}}
    replaced = store.replace_document(second.uuid, NewDocument(
        upload=_upload(store, b"andet, rettet"), title="Andet brev", file_name="andet.pdf",
        mime_type="application/pdf", letter_date="2026-12-02", kind="Udgående"))
    assert store.content_path(replaced).read_bytes() == b"andet, rettet"
    assert store.delete_document(first.uuid)
    assert first.uuid not in {d.uuid for d in store.documents(case.uuid)}
    assert not store.delete_document(first.uuid)


def test_a_missing_case_files_nothing(store: CaseStore) -> None:
    with pytest.raises(LookupError):
        store.add_document("00000000-0000-0000-0000-000000000000", NewDocument(
            upload=_upload(store, b"x"), title="x", file_name="x.txt", mime_type="text/plain",
            letter_date="2026-01-01", kind="Indgående"))


def test_installation_settings_are_made_once(tmp_path: Path) -> None:
    store = CaseStore(Database(tmp_path / "oio.sqlite3"), ContentStore(tmp_path / "files"))
    made = store.setting("status-ids", lambda: "6,9,12")
    assert made == "6,9,12" == store.setting("status-ids", lambda: "other")


def test_documents_are_found_by_file_name_ignoring_case_on_their_own_case_only(store: CaseStore) -> None:
    first, other = store.search(include_closed=False, limit=2)
    for case in (first, other):
        store.add_document(case.uuid, NewDocument(
            upload=_upload(store, b"x"), title="Svar", file_name="Svar til Ærø.pdf", mime_type="application/pdf",
            letter_date="2026-12-03", kind="Udgående"))
    found = store.documents_named(first.uuid, "svar til æRØ.PDF")
    assert [d.case_uuid for d in found] == [first.uuid] and found[0].file_name == "Svar til Ærø.pdf"
    assert store.documents_named(first.uuid, "Svar til Ærø.pdf.bak") == []
