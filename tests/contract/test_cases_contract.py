"""Finding cases: the same questions answered the same way by every backend."""

from __future__ import annotations

import re

import pytest

from caseclient.backends.protocol import CaseQuery
from caseclient.domain import Case, NotFound, Party

from backend_contract import Subject


def _listed(subject: Subject, limit: int = 200) -> list[Case]:
    cases = subject.backend.search_cases(CaseQuery(limit=limit, include_closed=True))
    assert cases, f"{subject.kind}: an empty search lists no demo cases"
    return cases


def _ids(cases: list[Case]) -> list[str]:
    return [c.id for c in cases]


def test_a_search_without_criteria_lists_cases_with_number_title_and_kle(subject: Subject) -> None:
    cases = _listed(subject)
    assert len(cases) == len(set(_ids(cases))), "a case is listed twice"
    for case in cases:
        assert case.id and case.number and case.title, case
    assert sum(1 for c in cases if c.kle and re.fullmatch(r"\d\d\.\d\d\.\d\d", c.kle)) >= len(cases) * 0.9


def test_case_number_prefix(subject: Subject) -> None:
    case = _listed(subject)[7]
    prefix = case.number[: max(3, len(case.number) // 2)]
    found = subject.backend.search_cases(CaseQuery(case_number=prefix + "*", limit=500, include_closed=True))
    assert case.id in _ids(found)
    assert all(c.number.casefold().startswith(prefix.casefold()) for c in found), [c.number for c in found]


def test_free_text_finds_a_case_number_prefix_and_a_kle_group(subject: Subject) -> None:
    cases = _listed(subject)
    case = cases[3]
    prefix = case.number[: max(3, len(case.number) // 2)]
    assert case.id in _ids(subject.backend.search_cases(CaseQuery(text=prefix, limit=500, include_closed=True)))
    with_kle = next(c for c in cases if c.kle)
    group = with_kle.kle[:5]  # "27.24", as a caseworker types it
    found = subject.backend.search_cases(CaseQuery(text=group, limit=500, include_closed=True))
    assert with_kle.id in _ids(found)


def test_title_words(subject: Subject) -> None:
    case = _listed(subject)[11]
    word = max(re.findall(r"\w+", case.title), key=len)
    found = subject.backend.search_cases(CaseQuery(title=word, limit=500, include_closed=True))
    assert case.id in _ids(found)
    assert all(word.casefold() in c.title.casefold() for c in found)


def test_party_by_cpr_and_cvr(subject: Subject) -> None:
    checked = set()
    for listed in _listed(subject, limit=80):
        case = subject.backend.get_case(listed.id)
        for party in case.parties:
            kind = "cpr" if party.cpr else "cvr" if party.cvr else None
            if kind is None or kind in checked:
                continue
            query = Party(cpr=party.cpr) if party.cpr else Party(cvr=party.cvr)
            found = subject.backend.search_cases(CaseQuery(party=query, limit=100, include_closed=True))
            assert case.id in _ids(found), f"{subject.kind}: search by {kind} misses the case"
            for hit in found:
                parties = subject.backend.get_case(hit.id).parties
                assert any((p.cpr == party.cpr) if party.cpr else (p.cvr == party.cvr) for p in parties)
            checked.add(kind)
        if checked == {"cpr", "cvr"}:
            return
    pytest.fail(f"{subject.kind}: the demo cases show no CPR and CVR parties through get_case ({checked})")


def test_caseworker(subject: Subject) -> None:
    case = next(c for c in _listed(subject) if c.caseworker)
    found = subject.backend.search_cases(CaseQuery(caseworker=case.caseworker, limit=500, include_closed=True))
    assert case.id in _ids(found)
    assert {c.caseworker for c in found} == {case.caseworker}


def test_closed_cases_only_when_asked(subject: Subject) -> None:
    everything = subject.backend.search_cases(CaseQuery(limit=500, include_closed=True))
    open_only = subject.backend.search_cases(CaseQuery(limit=500, include_closed=False))
    assert any(c.closed for c in everything)
    assert open_only and not any(c.closed for c in open_only)
    assert set(_ids(open_only)) == {c.id for c in everything if not c.closed}


def test_pages_follow_each_other(subject: Subject) -> None:
    whole = subject.backend.search_cases(CaseQuery(limit=10))
    first = subject.backend.search_cases(CaseQuery(limit=5))
    second = subject.backend.search_cases(CaseQuery(limit=5, offset=5))
    assert _ids(first) + _ids(second) == _ids(whole)
    assert subject.backend.search_cases(CaseQuery(limit=0)) == []


def test_get_case_and_find_by_number(subject: Subject) -> None:
    listed = _listed(subject)[5]
    case = subject.backend.get_case(listed.id)
    assert (case.id, case.number, case.title) == (listed.id, listed.number, listed.title)
    assert subject.backend.find_case_by_number(listed.number).id == listed.id


def test_an_unknown_number_is_not_found_in_one_sentence(subject: Subject) -> None:
    with pytest.raises(NotFound) as raised:
        subject.backend.find_case_by_number("99.99.99-Z99-999-99")
    assert "http" not in str(raised.value)


def test_documents_on_a_case(subject: Subject) -> None:
    for case in _listed(subject, limit=60):
        documents = subject.backend.list_documents(case.id)
        if documents:
            assert all(d.id and d.title for d in documents)
            assert len({d.id for d in documents}) == len(documents)
            return
    pytest.fail(f"{subject.kind}: no demo case shows its documents")
