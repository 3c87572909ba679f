"""OIO request bodies and read-back helpers for the reference service tests."""

from __future__ import annotations

from typing import Any

VIRKNING = {"from": "2024-01-01", "to": "infinity"}


def sag_body(number: str = "00.01.00-G01-1-24", title: str = "Ansøgning om boligstøtte - Ærø",
             **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "note": "Oprettet",
        "attributter": {"sagegenskaber": [{
            "brugervendtnoegle": number, "sagsnummer": number, "titel": title,
            "beskrivelse": "", "kassationskode": "K", "principiel": False,
            "virkning": dict(VIRKNING)}]},
        "tilstande": {"sagfremdrift": [{"fremdrift": "Opstaaet", "virkning": dict(VIRKNING)}]},
        "relationer": {"primaerpart": [{"urn": "urn:dk:cpr:person:0101701234",
                                        "objekttype": "Person", "virkning": dict(VIRKNING)}]},
    }
    body.update(extra)
    return body


def dokument_body(field: str | None = "fil1", title: str = "Brev fra borger",
                  file_name: str = "brev æøå.pdf", mimetype: str = "application/pdf"
                  ) -> dict[str, Any]:
    body: dict[str, Any] = {
        "attributter": {"dokumentegenskaber": [{
            "brugervendtnoegle": title, "titel": title, "beskrivelse": "",
            "brevdato": "2024-01-15", "dokumenttype": "Indgående", "virkning": dict(VIRKNING)}]},
        "tilstande": {"dokumentfremdrift": [{"fremdrift": "Modtaget",
                                             "virkning": dict(VIRKNING)}]},
    }
    if field is not None:
        body["varianter"] = [{
            "varianttekst": "original",
            "egenskaber": [{"arkivering": True, "virkning": dict(VIRKNING)}],
            "dele": [{"deltekst": file_name, "egenskaber": [{
                "indeks": 1, "indhold": f"field:{field}", "lokation": file_name,
                "mimetype": mimetype, "virkning": dict(VIRKNING)}]}],
        }]
    return body


def journalpost(document_uuid: str, title: str = "Bilag 1", **extra: Any) -> dict[str, Any]:
    value = {
        "uuid": document_uuid, "objekttype": "Dokument", "journalpostkode": "vedlagtdokument",
        "journaldokument": {"dokumenttitel": title,
                            "offentlighedundtaget": {"alternativtitel": "", "hjemmel": ""}},
        "virkning": {"from": "2024-01-15", "to": "infinity"},
    }
    value.update(extra)
    return value


def current(response_json: dict[str, Any], uuid: str) -> dict[str, Any]:
    """The one registration of a read answer."""
    return response_json[uuid][0]["registreringer"][0]
