"""Search, wildcards, case folding, paging and the argument check of the reference service."""

from __future__ import annotations

import uuid

import pytest
import requests
from oio_bodies import journalpost, sag_body


def _search(url: str, **params) -> list[str]:
    answer = requests.get(f"{url}/sag/sag", params=params)
    assert answer.status_code == 200, answer.text
    return answer.json()["results"][0]


@pytest.fixture
def three_cases(url) -> dict[str, str]:
    titles = {"31.01.00-G01-1-24": "Ansøgning om boligstøtte - Ærøskøbingsen",
              "31.01.00-G01-2-24": "Klage over hønsehold - Østerbyhøj",
              "31.02.00-P20-1-24": "Ansøgning om BYGGEANMELDELSE - Åbjergsen"}
    return {number: requests.post(f"{url}/sag/sag",
                                  json=sag_body(number=number, title=title)).json()["uuid"]
            for number, title in titles.items()}


def test_prefix_and_infix_wildcards(url, three_cases):
    assert sorted(_search(url, sagsnummer="31.01%")) == sorted(
        [three_cases["31.01.00-G01-1-24"], three_cases["31.01.00-G01-2-24"]])
    assert _search(url, titel="%byggeanm%") == [three_cases["31.02.00-P20-1-24"]]
    assert _search(url, sagsnummer="%2.00-P20-1-24") == [three_cases["31.02.00-P20-1-24"]]
    assert _search(url, sagsnummer="31.0_.00-P20%") == [three_cases["31.02.00-P20-1-24"]]


def test_several_words_in_order(url, three_cases):
    assert _search(url, titel="%ansøgning%ærøskøbingsen") == [three_cases["31.01.00-G01-1-24"]]
    assert _search(url, titel="%ærøskøbingsen%ansøgning%") == []
    assert _search(url, titel="ansøgning om byggeanm%") == [three_cases["31.02.00-P20-1-24"]]
    assert _search(url, titel="%om bygge%bjergsen") == [three_cases["31.02.00-P20-1-24"]]


def test_without_wildcard_the_whole_value_must_match(url, three_cases):
    assert _search(url, sagsnummer="31.01.00-G01-1-24") == [three_cases["31.01.00-G01-1-24"]]
    assert _search(url, sagsnummer="31.01.00") == []


def test_danish_letters_match_case_insensitively(url, three_cases):
    assert _search(url, titel="%ærøskøbingsen%") == [three_cases["31.01.00-G01-1-24"]]
    assert _search(url, titel="%ØSTERBYHØJ") == [three_cases["31.01.00-G01-2-24"]]
    assert _search(url, titel="%åBJERGSEN") == [three_cases["31.02.00-P20-1-24"]]
    assert _search(url, bvn="31.02.00-p20-1-24") == [three_cases["31.02.00-P20-1-24"]]


def test_none_found_is_an_empty_inner_list(url):
    answer = requests.get(f"{url}/sag/sag", params={"titel": "%findes ikke%"})
    assert answer.json() == {"results": [[]]}


def test_paging_is_ordered_by_brugervendtnoegle(url, three_cases):
    ordered = [three_cases[n] for n in sorted(three_cases)]
    assert _search(url, bvn="31.0%") == ordered
    assert _search(url, bvn="31.0%", maximalantalresultater=2) == ordered[:2]
    assert _search(url, bvn="31.0%", maximalantalresultater=2, foersteresultat=2) == ordered[2:]


def test_list_true_returns_whole_objects(url, three_cases):
    answer = requests.get(f"{url}/sag/sag", params={"sagsnummer": "31.02%", "list": "true"})
    objects = answer.json()["results"][0]
    assert [o["id"] for o in objects] == [three_cases["31.02.00-P20-1-24"]]
    assert objects[0]["registreringer"][0]["attributter"]["sagegenskaber"][0]["titel"] == (
        "Ansøgning om BYGGEANMELDELSE - Åbjergsen")


def test_relations_states_and_any_attribute(url, three_cases):
    wanted = three_cases["31.01.00-G01-2-24"]
    document = str(uuid.uuid4())
    requests.patch(f"{url}/sag/sag/{wanted}",
                   json={"relationer": {"journalpost": [journalpost(document)]},
                         "tilstande": {"sagfremdrift": [{"fremdrift": "Afgjort", "virkning": {
                             "from": "2024-02-01", "to": "infinity"}}]}})
    assert _search(url, journalpost=document) == [wanted]
    assert _search(url, fremdrift="Afgjort", sagsnummer="31.%") == [wanted]
    assert _search(url, vilkaarligrel=document) == [wanted]
    assert _search(url, vilkaarligattr="%hønsehold%") == [wanted]
    assert sorted(_search(url, primaerpart="urn:dk:cpr:person:0101701234",
                          sagsnummer="31.%")) == sorted(three_cases.values())
    assert _search(url, uuid=wanted, titel="%") == [wanted]


def test_any_relation_takes_only_uuids_as_loras_postgresql_does(url, three_cases):
    """LoRa 1.10.0 refuses a urn in vilkaarligrel; a party is searched per relation."""
    refused = requests.get(f"{url}/sag/sag", params={"vilkaarligrel": "urn:dk:cpr:person:0101701234"})
    assert refused.status_code == 400
    assert refused.json() == {"message": 'invalid input syntax for type uuid: "urn:dk:cpr:person:0101701234"'}
    assert sorted(_search(url, primaerpart="urn:dk:cpr:person:0101701234")) == sorted(three_cases.values())


def test_searches_only_see_what_is_valid_now(url):
    future = sag_body(number="31.09.00-G01-1-99", title="Fremtidig sag")
    future["attributter"]["sagegenskaber"][0]["virkning"] = {"from": "2099-01-01",
                                                             "to": "infinity"}
    sag_id = requests.post(f"{url}/sag/sag", json=future).json()["uuid"]
    assert _search(url, sagsnummer="31.09%") == []
    assert _search(url, sagsnummer="31.09%", virkningstid="2099-06-01") == [sag_id]
    assert _search(url, sagsnummer="31.09%", virkningfra="2098-01-01",
                   virkningtil="2100-01-01") == [sag_id]
    assert _search(url, titel="%fremtidig sag%") == []
    assert _search(url, titel="%fremtidig sag%", virkningstid="2099-06-01") == [sag_id]


def test_a_changed_title_is_found_by_its_new_words_only(url, three_cases):
    sag_id = three_cases["31.01.00-G01-1-24"]
    requests.patch(f"{url}/sag/sag/{sag_id}", json={"attributter": {"sagegenskaber": [
        {"titel": "Omdøbt sag", "virkning": {"from": "2020-01-01", "to": "infinity"}}]}})
    assert _search(url, titel="%omdøbt%") == [sag_id]
    assert _search(url, titel="%ærøskøbingsen%") == []


@pytest.mark.parametrize("argument", ["journalpostkode", "journaldokument.dokumenttitel",
                                      "journalnotat.titel", "fritekst"])
def test_arguments_lora_rejects(url, argument):
    answer = requests.get(f"{url}/sag/sag", params={argument: "x"})
    assert answer.status_code == 400
    assert answer.json() == {"message": f"Unsupported argument(s): {argument}"}


def test_argument_names_are_case_insensitive(url, three_cases):
    assert _search(url, SagsNummer="31.02%") == [three_cases["31.02.00-P20-1-24"]]


def test_documents_and_classes_search_too(url):
    kle = requests.get(f"{url}/klassifikation/klasse", params={"bvn": "27.24.00", "list": "1"})
    (klasse,) = kle.json()["results"][0]
    assert klasse["registreringer"][0]["attributter"]["klasseegenskaber"][0]["titel"] == (
        "Boligstøtte i almindelighed")
    documents = requests.get(f"{url}/dokument/dokument", params={"titel": "%"}).json()
    assert documents["results"][0]


@pytest.mark.parametrize("params", [{"titel": "%ansøgning%"}, {"sagsnummer": "2%"},
                                    {"titel": "%a%", "fremdrift": "Afsluttet"}])
def test_every_plan_gives_the_same_page(url, monkeypatch, params):
    """Set-driven, walked in order, and a walk abandoned for the set: one answer."""
    from caseclient.server.store import criteria, search

    paged = {**params, "maximalantalresultater": "7", "foersteresultat": "3"}
    expected = _search(url, **paged)
    assert expected
    monkeypatch.setattr(criteria, "PROBE_CAP", 0)  # walk in brugervendtnoegle order
    assert _search(url, **paged) == expected
    monkeypatch.setattr(search, "SCAN_BUDGET", 1)  # ... and give up at once
    assert _search(url, **paged) == expected
