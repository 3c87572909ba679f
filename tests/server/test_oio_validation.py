"""LoRa's validation answers: `{"message": ...}` with the messages a real LoRa 1.10.0 gives."""

from __future__ import annotations

import json
import uuid

import requests
from oio_bodies import journalpost, sag_body


def _message(answer: requests.Response) -> str:
    assert answer.status_code == 400, answer.text
    return answer.json()["message"]


def test_every_value_needs_a_virkning(url):
    for part in ("attributter", "tilstande", "relationer"):
        body = sag_body()
        group = next(iter(body[part].values()))
        del group[0]["virkning"]
        assert _message(requests.post(f"{url}/sag/sag", json=body)) == (
            "'virkning' is a required property"), part


def test_journalpost_without_journalpostkode_gives_loras_obscure_message(url):
    sag_id = requests.post(f"{url}/sag/sag", json=sag_body()).json()["uuid"]
    document = str(uuid.uuid4())
    post = journalpost(document)
    del post["journalpostkode"]
    answer = requests.patch(f"{url}/sag/sag/{sag_id}", json={"relationer": {"journalpost": [post]}})
    assert _message(answer) == f"'{document}' does not match '^$'"


def test_journaldokument_needs_both_keys(url):
    sag_id = requests.post(f"{url}/sag/sag", json=sag_body()).json()["uuid"]
    post = journalpost(str(uuid.uuid4()))
    del post["journaldokument"]["offentlighedundtaget"]
    answer = requests.patch(f"{url}/sag/sag/{sag_id}", json={"relationer": {"journalpost": [post]}})
    assert answer.status_code == 400
    assert "message" in answer.json()


def test_read_back_keys_are_refused_on_write(url):
    sag_id = requests.post(f"{url}/sag/sag", json=sag_body()).json()["uuid"]
    post = journalpost(str(uuid.uuid4()))
    post["reltypespec"] = post.pop("journalpostkode")
    answer = requests.patch(f"{url}/sag/sag/{sag_id}", json={"relationer": {"journalpost": [post]}})
    assert answer.status_code == 400


def test_unknown_keys_are_rejected(url):
    body = sag_body(fritekst="x")
    assert _message(requests.post(f"{url}/sag/sag", json=body)) == (
        "Additional properties are not allowed ('fritekst' was unexpected)")
    body = sag_body()
    body["attributter"]["sagegenskaber"][0]["farve"] = "blå"
    assert "'farve' was unexpected" in _message(requests.post(f"{url}/sag/sag", json=body))


def test_mandatory_attributes_on_create_only(url):
    body = sag_body()
    del body["attributter"]["sagegenskaber"][0]["sagsnummer"]
    assert _message(requests.post(f"{url}/sag/sag", json=body)) == (
        "'sagsnummer' is a required property")
    sag_id = requests.post(f"{url}/sag/sag", json=sag_body()).json()["uuid"]
    patch = {"attributter": {"sagegenskaber": [
        {"titel": "kun titel", "virkning": {"from": "2024-01-01", "to": "infinity"}}]}}
    assert requests.patch(f"{url}/sag/sag/{sag_id}", json=patch).status_code == 200


def test_state_values_are_checked(url):
    body = sag_body()
    body["tilstande"]["sagfremdrift"][0]["fremdrift"] = "Lukket"
    assert "is not one of" in _message(requests.post(f"{url}/sag/sag", json=body))


def test_a_bad_time_is_a_400(url):
    body = sag_body()
    body["attributter"]["sagegenskaber"][0]["virkning"]["from"] = "i går"
    assert "i går" in _message(requests.post(f"{url}/sag/sag", json=body))


def test_an_empty_body_answers_uuid_null(url):
    answer = requests.post(f"{url}/sag/sag", json={})
    assert (answer.status_code, answer.json()) == (400, {"uuid": None})


def test_multipart_json_field_is_read_like_a_json_body(url):
    answer = requests.post(f"{url}/sag/sag", data={"json": json.dumps(sag_body())})
    assert answer.status_code == 201
    broken = requests.post(f"{url}/sag/sag", data={"json": "{not json"})
    assert broken.status_code == 400
    assert "message" in broken.json()


def test_a_bad_paging_value_is_a_400_in_loras_shape_not_a_500(url):
    """LoRa 1.10.0 answers a 500 page here; the reference service answers what it is (issue 15)."""
    answer = requests.get(f"{url}/sag/sag", params={"titel": "%", "maximalantalresultater": "x"})
    assert answer.status_code == 400
    assert "maximalantalresultater" in answer.json()["message"]
