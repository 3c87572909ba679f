"""When an OIO case was opened and last changed: the earliest period its properties are valid from,
and its registration's time; the case index keeps both as they are."""

from __future__ import annotations

import os

from caseclient.backends.oio import OioService
from caseclient.backends.oio_mapping import case_from_oio
from caseclient.server.demo import DemoGenerator
from caseclient.store.case_index import CaseIndex


def _sag(periods: list[tuple[str, str]], registered: str | None) -> dict:
    registration = {"attributter": {"sagegenskaber": [
        {"sagsnummer": "27.24.00-G01-1-24", "titel": title, "virkning": {"from": start, "to": "infinity"}}
        for start, title in periods]}}
    if registered:
        registration["fratidspunkt"] = {"tidsstempeldatotid": registered}
    return {"id": "c1", "registreringer": [registration]}


def test_opened_is_the_earliest_period_and_changed_the_registration_time():
    case = case_from_oio(_sag([("2024-11-18 09:14:00+01", "Genberegning"), ("2024-03-01 08:00:00+00", "Ansøgning")],
                              "2024-11-18 09:14:05.123+01"), {})
    assert case.created == "2024-03-01T08:00:00+00:00"
    assert case.changed == "2024-11-18T09:14:05.123000+01:00"
    bare = case_from_oio(_sag([("infinity", "x")], None), {})
    assert bare.created is None and bare.changed is None


def test_the_demo_case_tells_when_it_was_opened_and_the_index_keeps_it(reference_service, tmp_path):
    case = OioService(reference_service.url).get_case(DemoGenerator(1).case_uuid(0))
    assert case.created and case.changed and case.created <= case.changed
    index = CaseIndex(tmp_path / "index.sqlite", os.urandom(32))
    try:
        index.upsert([case], mine=True)
        kept = index.mine()[0]
    finally:
        index.close()
    assert (kept.created, kept.changed) == (case.created, case.changed)
