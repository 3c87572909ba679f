"""Create, import, read, list, update and delete against the reference service over HTTP."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
from oio_bodies import current, dokument_body, journalpost, sag_body


def test_create_then_read_back_in_loras_shape(url):
    created = requests.post(f"{url}/sag/sag", json=sag_body())
    assert created.status_code == 201
    sag_id = created.json()["uuid"]

    answer = requests.get(f"{url}/sag/sag/{sag_id}")
    assert answer.status_code == 200
    assert list(answer.json()) == [sag_id]
    assert answer.json()[sag_id][0]["id"] == sag_id
    registration = current(answer.json(), sag_id)
    assert registration["livscykluskode"] == "Opstaaet"
    assert registration["note"] == "Oprettet"
    attributes = registration["attributter"]["sagegenskaber"][0]
    assert attributes["titel"] == "Ansøgning om boligstøtte - Ærø"
    assert attributes["virkning"] == {"from": "2024-01-01 00:00:00+00", "to": "infinity",
                                      "from_included": True, "to_included": False}
    # LoRa drops false booleans and empty strings on read-back
    assert "principiel" not in attributes and "beskrivelse" not in attributes
    assert registration["tilstande"]["sagfremdrift"][0]["fremdrift"] == "Opstaaet"
    party = registration["relationer"]["primaerpart"][0]
    assert party["urn"] == "urn:dk:cpr:person:0101701234"


def test_times_with_zones_are_shown_in_utc(url):
    body = sag_body()
    body["attributter"]["sagegenskaber"][0]["virkning"] = {
        "from": "2024-03-01T10:30:00+02:00", "to": "2030-01-01T00:00:00.5Z"}
    sag_id = requests.post(f"{url}/sag/sag", json=body).json()["uuid"]
    shown = requests.get(f"{url}/sag/sag/{sag_id}").json()
    period = current(shown, sag_id)["attributter"]["sagegenskaber"][0]["virkning"]
    assert (period["from"], period["to"]) == ("2024-03-01 08:30:00+00", "2030-01-01 00:00:00.5+00")


def test_import_creates_then_overwrites_completely(url):
    sag_id = str(uuid.uuid4())
    first = requests.put(f"{url}/sag/sag/{sag_id}", json=sag_body())
    assert (first.status_code, first.json()) == (200, {"uuid": sag_id})
    assert current(requests.get(f"{url}/sag/sag/{sag_id}").json(), sag_id)[
        "livscykluskode"] == "Importeret"

    replacement = sag_body(title="Erstattet")
    del replacement["relationer"]
    assert requests.put(f"{url}/sag/sag/{sag_id}", json=replacement).status_code == 200
    registration = current(requests.get(f"{url}/sag/sag/{sag_id}").json(), sag_id)
    assert registration["livscykluskode"] == "Rettet"
    assert registration["attributter"]["sagegenskaber"][0]["titel"] == "Erstattet"
    assert "relationer" not in registration  # overwritten, not merged


def test_unknown_is_404_and_deleted_is_410(url):
    unknown = str(uuid.uuid4())
    missing = requests.get(f"{url}/sag/sag/{unknown}")
    assert missing.status_code == 404
    assert unknown in missing.json()["message"]

    sag_id = requests.post(f"{url}/sag/sag", json=sag_body()).json()["uuid"]
    deleted = requests.delete(f"{url}/sag/sag/{sag_id}", json={"note": "Fejloprettet"})
    assert (deleted.status_code, deleted.json()) == (202, {"uuid": sag_id})
    gone = requests.get(f"{url}/sag/sag/{sag_id}")
    assert gone.status_code == 410
    assert gone.json() == {"message": "This object has been deleted."}
    assert requests.get(f"{url}/sag/sag", params={"uuid": sag_id}).status_code == 410
    assert sag_id not in requests.get(f"{url}/sag/sag",
                                      params={"sagsnummer": "00.01.00%"}).json()["results"][0]


def test_import_over_a_deleted_object_starts_again(url):
    sag_id = str(uuid.uuid4())
    requests.put(f"{url}/sag/sag/{sag_id}", json=sag_body())
    requests.delete(f"{url}/sag/sag/{sag_id}", json={"note": "x"})
    requests.put(f"{url}/sag/sag/{sag_id}", json=sag_body())
    registration = current(requests.get(f"{url}/sag/sag/{sag_id}").json(), sag_id)
    assert registration["livscykluskode"] == "Importeret"


def test_list_by_uuids_returns_full_objects(url):
    ids = [requests.post(f"{url}/sag/sag", json=sag_body(number=f"L-{n}")).json()["uuid"]
           for n in range(2)]
    listed = requests.get(f"{url}/sag/sag", params={"uuid": ids + [str(uuid.uuid4())]})
    assert listed.status_code == 200
    objects = listed.json()["results"][0]
    assert [o["id"] for o in objects] == ids
    assert objects[0]["registreringer"][0]["attributter"]["sagegenskaber"][0]["sagsnummer"] == "L-0"


def test_patch_appends_journalposts_and_reads_them_back_renamed(url):
    sag_id = requests.post(f"{url}/sag/sag", json=sag_body()).json()["uuid"]
    documents = [str(uuid.uuid4()), str(uuid.uuid4())]
    for document in documents:
        patched = requests.patch(f"{url}/sag/sag/{sag_id}", json={
            "note": "Journaliseret", "relationer": {"journalpost": [journalpost(document)]}})
        assert (patched.status_code, patched.json()) == (200, {"uuid": sag_id})

    registration = current(requests.get(f"{url}/sag/sag/{sag_id}").json(), sag_id)
    assert registration["livscykluskode"] == "Rettet"
    posts = registration["relationer"]["journalpost"]
    assert [(p["uuid"], p["indeks"]) for p in posts] == [(documents[0], 1), (documents[1], 2)]
    assert posts[0]["reltypespec"] == "vedlagtdokument"
    assert posts[0]["journaldokumentattr"] == {"dokumenttitel": "Bilag 1"}
    assert "journalpostkode" not in posts[0]
    assert registration["relationer"]["primaerpart"]  # other relations stay


def test_patch_with_indeks_replaces_that_journalpost(url):
    sag_id = requests.post(f"{url}/sag/sag", json=sag_body()).json()["uuid"]
    first, second, third = (str(uuid.uuid4()) for _ in range(3))
    requests.patch(f"{url}/sag/sag/{sag_id}",
                   json={"relationer": {"journalpost": [journalpost(first), journalpost(second)]}})
    requests.patch(f"{url}/sag/sag/{sag_id}",
                   json={"relationer": {"journalpost": [journalpost(third, indeks=1)]}})
    posts = current(requests.get(f"{url}/sag/sag/{sag_id}").json(), sag_id)[
        "relationer"]["journalpost"]
    assert [(p["uuid"], p["indeks"]) for p in posts] == [(third, 1), (second, 2)]


def test_the_same_document_twice_makes_two_journalposts(url):
    """LoRa allows it: the client must look before it appends."""
    sag_id = requests.post(f"{url}/sag/sag", json=sag_body()).json()["uuid"]
    document = str(uuid.uuid4())
    for _ in range(2):
        requests.patch(f"{url}/sag/sag/{sag_id}",
                       json={"relationer": {"journalpost": [journalpost(document)]}})
    posts = current(requests.get(f"{url}/sag/sag/{sag_id}").json(), sag_id)[
        "relationer"]["journalpost"]
    assert [p["uuid"] for p in posts] == [document, document]


def test_patch_merges_attributes_and_replaces_a_to_one_relation(url):
    sag_id = requests.post(f"{url}/sag/sag", json=sag_body()).json()["uuid"]
    requests.patch(f"{url}/sag/sag/{sag_id}", json={
        "attributter": {"sagegenskaber": [{"titel": "Ny titel",
                                           "virkning": {"from": "2024-01-01", "to": "infinity"}}]},
        "relationer": {"primaerpart": [{"urn": "urn:dk:cvr:virksomhed:12345674",
                                        "virkning": {"from": "2024-01-01", "to": "infinity"}}]},
    })
    registration = current(requests.get(f"{url}/sag/sag/{sag_id}").json(), sag_id)
    attributes = registration["attributter"]["sagegenskaber"]
    assert len(attributes) == 1
    assert attributes[0]["titel"] == "Ny titel"
    assert attributes[0]["sagsnummer"] == "00.01.00-G01-1-24"  # kept by the merge
    assert [p["urn"] for p in registration["relationer"]["primaerpart"]] == [
        "urn:dk:cvr:virksomhed:12345674"]


def test_a_later_period_splits_the_old_value(url):
    sag_id = requests.post(f"{url}/sag/sag", json=sag_body()).json()["uuid"]
    requests.patch(f"{url}/sag/sag/{sag_id}", json={"attributter": {"sagegenskaber": [
        {"titel": "Fremtidig titel", "virkning": {"from": "2099-01-01", "to": "infinity"}}]}})
    everything = requests.get(f"{url}/sag/sag/{sag_id}",
                              params={"virkningFra": "-infinity", "virkningTil": "infinity"})
    values = current(everything.json(), sag_id)["attributter"]["sagegenskaber"]
    assert [(v["titel"], v["virkning"]["from"], v["virkning"]["to"]) for v in values] == [
        ("Ansøgning om boligstøtte - Ærø", "2024-01-01 00:00:00+00", "2099-01-01 00:00:00+00"),
        ("Fremtidig titel", "2099-01-01 00:00:00+00", "infinity"),
    ]
    now = current(requests.get(f"{url}/sag/sag/{sag_id}").json(), sag_id)
    assert [v["titel"] for v in now["attributter"]["sagegenskaber"]] == [
        "Ansøgning om boligstøtte - Ærø"]


def test_patch_of_unknown_object_is_404(url):
    answer = requests.patch(f"{url}/sag/sag/{uuid.uuid4()}", json={"note": "x"})
    assert answer.status_code == 404
    assert "message" in answer.json()


def test_self_description(url):
    assert requests.get(f"{url}/version").json() == {"lora_version": "1.10.0"}
    site_map = requests.get(f"{url}/site-map").json()["site-map"]
    assert "/sag/sag" in site_map and "/klassifikation/klasse" in site_map
    fields = requests.get(f"{url}/sag/sag/fields").json()
    assert "sagsnummer" in fields["attributter"]["egenskaber"]
    assert "journalpost" in fields["relationer_nul_til_mange"]
    schema = requests.get(f"{url}/sag/sag/schema").json()
    assert "journalpost" in schema["properties"]["relationer"]["properties"]


def test_concurrent_appends_are_all_kept(url):
    sag_id = requests.post(f"{url}/sag/sag", json=sag_body()).json()["uuid"]
    documents = [str(uuid.uuid4()) for _ in range(12)]

    def append(document: str) -> int:
        return requests.patch(f"{url}/sag/sag/{sag_id}", json={
            "relationer": {"journalpost": [journalpost(document)]}}).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert set(pool.map(append, documents)) == {200}
    posts = current(requests.get(f"{url}/sag/sag/{sag_id}").json(), sag_id)[
        "relationer"]["journalpost"]
    assert sorted(p["uuid"] for p in posts) == sorted(documents)
    assert sorted(p["indeks"] for p in posts) == list(range(1, 13))


def test_the_same_uuid_may_name_objects_of_different_classes(url):
    shared = str(uuid.uuid4())
    requests.put(f"{url}/sag/sag/{shared}", json=sag_body())
    requests.put(f"{url}/klassifikation/klasse/{shared}", json={
        "attributter": {"klasseegenskaber": [{"brugervendtnoegle": "K", "titel": "Klasse",
                                              "virkning": {"from": "2024-01-01",
                                                           "to": "infinity"}}]},
        "tilstande": {"klassepubliceret": [{"publiceret": "Publiceret",
                                            "virkning": {"from": "2024-01-01",
                                                         "to": "infinity"}}]}})
    assert "sagegenskaber" in current(requests.get(f"{url}/sag/sag/{shared}").json(),
                                      shared)["attributter"]
    assert "klasseegenskaber" in current(
        requests.get(f"{url}/klassifikation/klasse/{shared}").json(), shared)["attributter"]


def test_a_patch_that_changes_nothing_keeps_the_registration(url):
    """LoRa makes no new registration for a no-op update and still answers 200."""
    sag_id = requests.post(f"{url}/sag/sag", json=sag_body()).json()["uuid"]
    same = {"attributter": {"sagegenskaber": [{"titel": "Ansøgning om boligstøtte - Ærø",
                                               "virkning": {"from": "2024-01-01",
                                                            "to": "infinity"}}]}}
    first = requests.patch(f"{url}/sag/sag/{sag_id}", json={**same, "note": "første"})
    assert first.status_code == 200  # Opstaaet -> Rettet: a change
    before = current(requests.get(f"{url}/sag/sag/{sag_id}").json(), sag_id)
    assert before["note"] == "første"
    again = requests.patch(f"{url}/sag/sag/{sag_id}", json={**same, "note": "anden"})
    assert (again.status_code, again.json()) == (200, {"uuid": sag_id})
    assert current(requests.get(f"{url}/sag/sag/{sag_id}").json(), sag_id) == before


def test_a_list_includes_a_deleted_object_unless_it_comes_first(url, tmp_path):
    """LoRa 1.10.0: a listed deleted object is in the answer (Slettet, attributes kept, no file
    variants); the whole list fails with 410 only when the first uuid asked for is deleted."""
    live, gone = (requests.put(f"{url}/dokument/dokument/{uuid.uuid4()}", data={"json": json.dumps(dokument_body())},
                               files={"fil1": ("brev.txt", b"brev", "text/plain")}).json()["uuid"] for _ in range(2))
    requests.delete(f"{url}/dokument/dokument/{gone}", json={"note": "Fejl"}).raise_for_status()
    listed = requests.get(f"{url}/dokument/dokument", params={"uuid": [live, gone]})
    assert listed.status_code == 200
    shown = {o["id"]: o["registreringer"][0] for o in listed.json()["results"][0]}
    assert shown[gone]["livscykluskode"] == "Slettet" and "varianter" not in shown[gone]
    assert shown[gone]["attributter"]["dokumentegenskaber"][0]["titel"] == "Brev fra borger"
    assert shown[live]["livscykluskode"] == "Importeret" and shown[live]["varianter"]
    first = requests.get(f"{url}/dokument/dokument", params={"uuid": [gone, live]})
    assert (first.status_code, first.json()) == (410, {"message": f"The object with UUID {gone} has been deleted."})
    assert requests.get(f"{url}/dokument/dokument/{gone}").status_code == 410
