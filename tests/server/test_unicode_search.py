"""Searches match Danish letters whatever their Unicode normalisation (issue 15, point 7): a title
stored composed (NFC) is found by a query typed decomposed (NFD, as macOS and some scanners and
keyboards give it) and the other way round, on the service (LoRa's OIO search, and the case
store every vendor dialect searches through) and in the client's local case index."""

from __future__ import annotations

import os
import unicodedata
import uuid

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st
from oio_bodies import sag_body

from caseclient.backends.oio import OioService
from caseclient.backends.protocol import CaseQuery
from caseclient.domain import Case
from caseclient.server.store.index import fold
from caseclient.store.case_index import CaseIndex

NFC = "NFC"
NFD = "NFD"
TITLES = ["Åbenrå kommune: ansøgning om tilskud", "Klage fra Ærø og Æbelø", "Byggesag på Østerbro",
          "Hjælp til café-drift, Holbæk"]
QUERIES = ["Åbenrå", "åbenrå", "ÅBENRÅ", "Ærø", "østerbro", "café", "Holbæk"]


def _as(form: str, text: str) -> str:
    return unicodedata.normalize(form, text)


def test_nfd_and_nfc_differ_for_the_examples():
    """The test would prove nothing if the two forms were the same text."""
    assert _as(NFD, "Åbenrå") != _as(NFC, "Åbenrå") and _as(NFD, "café") != "café"


@pytest.mark.parametrize("stored_form, query_form", [(NFC, NFD), (NFD, NFC), (NFD, NFD), (NFC, NFC)])
def test_the_oio_search_finds_a_title_whatever_its_normalisation(url, stored_form, query_form):
    made = {}
    for n, title in enumerate(TITLES):
        number = f"00.01.00-G01-{900 + n}-24"
        body = sag_body(number=number, title=_as(stored_form, title))
        answer = requests.post(f"{url}/sag/sag", json=body)
        assert answer.status_code == 201, answer.text
        made[title] = answer.json()["uuid"]
    for query in QUERIES:
        found = requests.get(f"{url}/sag/sag", params={"titel": f"%{_as(query_form, query)}%"}).json()
        wanted = {made[t] for t in TITLES if query.casefold() in t.casefold()}
        assert wanted and wanted <= set(found["results"][0]), (query, stored_form, query_form)


def test_the_backend_search_finds_a_decomposed_query(reference_service):
    backend = OioService(reference_service.url)
    requests.post(f"{reference_service.url}/sag/sag",
                  json=sag_body(number="00.01.00-G01-950-24", title="Ansøgning fra Århus")).raise_for_status()
    found = backend.search_cases(CaseQuery(title=_as(NFD, "Århus"), limit=10))
    assert [c.number for c in found] == ["00.01.00-G01-950-24"]


@pytest.mark.parametrize("stored_form, query_form", [(NFC, NFD), (NFD, NFC)])
def test_the_local_case_index_finds_a_title_whatever_its_normalisation(tmp_path, stored_form, query_form):
    index = CaseIndex(tmp_path / "case-index.sqlite", os.urandom(32))
    try:
        index.upsert([Case(id=f"c{n}", number=f"27.24.00-G01-{n}-24", title=_as(stored_form, t))
                      for n, t in enumerate(TITLES)], mine=True)
        for query in QUERIES:
            found = {c.id for c in index.search(_as(query_form, query))}
            wanted = {f"c{n}" for n, t in enumerate(TITLES) if query.casefold() in t.casefold()}
            assert wanted and wanted <= found, (query, found)
    finally:
        index.close()


_DANISH = st.text(alphabet="aeiouyæøåÆØÅéÉüÜ -", min_size=1, max_size=20)


@given(_DANISH)
def test_fold_gives_one_key_for_every_normalisation_and_case(text):
    keys = {fold(_as(form, variant)) for form in ("NFC", "NFD") for variant in (text, text.upper(), text.lower())}
    assert len(keys) == 1
