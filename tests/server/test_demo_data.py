"""The demo data set: realistic, deterministic, and searchable the way the client searches."""

from __future__ import annotations

import re

import requests

from caseclient.domain import Cpr, Cvr, is_kle_facet, is_kle_number
from caseclient.server import CASEWORKERS, ReferenceService, kle_class_uuid
from caseclient.server.demo import DemoGenerator

CASE_NUMBER = re.compile(r"^(\d\d\.\d\d\.\d\d)-([A-Z]\d\d)-(\d+)-(\d\d)$")


def _cases(url: str) -> list[dict]:
    answer = requests.get(f"{url}/sag/sag", params={"bvn": "%", "list": "true"})
    return [o["registreringer"][0] for o in answer.json()["results"][0]]


def test_cases_look_like_a_municipalitys(demo_service):
    cases = _cases(demo_service.url)
    assert len(cases) == 300
    numbers = set()
    for case in cases:
        attributes = case["attributter"]["sagegenskaber"][0]
        match = CASE_NUMBER.match(attributes["sagsnummer"])
        assert match, attributes["sagsnummer"]
        assert is_kle_number(match.group(1)) and is_kle_facet(match.group(2))
        assert " - " in attributes["titel"]
        numbers.add(attributes["sagsnummer"])
        relations = case["relationer"]
        assert relations["primaerklasse"][0]["uuid"] == kle_class_uuid(match.group(1))
        assert relations["handlingsklasse"][0]["urn"] == (
            f"urn:dk:kle:handlingsfacet:{match.group(2)}")
        party = relations["primaerpart"][0]["urn"]
        if party.startswith("urn:dk:cpr:person:"):
            Cpr(party.rsplit(":", 1)[1])
        else:
            Cvr(party.removeprefix("urn:dk:cvr:virksomhed:"))
        assert case["tilstande"]["sagfremdrift"][0]["fremdrift"]
    assert len(numbers) == 300


def test_my_cases_by_caseworker(demo_service):
    total = 0
    for worker in CASEWORKERS:
        mine = requests.get(f"{demo_service.url}/sag/sag",
                            params={"primaerbehandler": worker.uuid}).json()["results"][0]
        assert mine, worker.login
        total += len(mine)
    assert total == 300


def test_some_cases_hold_documents_with_content(demo_service):
    url = demo_service.url
    with_documents = [c for c in _cases(url) if "journalpost" in c["relationer"]]
    assert with_documents
    post = with_documents[0]["relationer"]["journalpost"][0]
    document = requests.get(f"{url}/dokument/dokument/{post['uuid']}").json()[post["uuid"]]
    part = document[0]["registreringer"][0]["varianter"][0]["dele"][0]
    path = part["egenskaber"][0]["indhold"].removeprefix("store:")
    assert requests.get(f"{url}/dokument/dokument/{path}").text.startswith(
        post["journaldokumentattr"]["dokumenttitel"])


def test_the_same_seed_gives_the_same_cases(tmp_path):
    def titles(folder) -> list[str]:
        with ReferenceService(folder) as service:
            service.seed_demo(20, seed=5)
            return [c["attributter"]["sagegenskaber"][0]["titel"] for c in _cases(service.url)]

    first = titles(tmp_path / "a")
    assert titles(tmp_path / "b") == first
    with ReferenceService(tmp_path / "a") as again:
        assert again.seed_demo(20, seed=5) == 0  # already there: nothing added


def test_kle_classes_are_there(demo_service):
    answer = requests.get(f"{demo_service.url}/klassifikation/klasse/{kle_class_uuid('27.24.00')}")
    klasse = answer.json()[kle_class_uuid("27.24.00")][0]["registreringer"][0]
    assert klasse["attributter"]["klasseegenskaber"][0]["brugervendtnoegle"] == "27.24.00"
    assert klasse["relationer"]["overordnetklasse"][0]["uuid"] == kle_class_uuid("27.24")


def test_a_second_seed_adds_searchable_cases(reference_service):
    url = reference_service.url
    assert reference_service.seed_demo(10, seed=3) == 10  # into a database that holds cases
    assert len(_cases(url)) == 40
    added = DemoGenerator(3).case_uuid(9)
    title = requests.get(f"{url}/sag/sag/{added}").json()[added][0]["registreringer"][0][
        "attributter"]["sagegenskaber"][0]["titel"]
    word = title.rsplit(" - ", 1)[1].split()[0]
    found = requests.get(f"{url}/sag/sag", params={"titel": f"%{word.lower()}%"}).json()
    assert added in found["results"][0]
