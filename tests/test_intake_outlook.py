"""Meetings, contacts, tasks and delivery reports described in words, as a caseworker reads them."""

from __future__ import annotations

from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from caseclient.domain import Party, PartyRole
from caseclient.intake import IntakeSettings, propose
from caseclient.intake.outlook import describe_appointment, describe_contact, describe_task, local_time, report_kind


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)))
def test_meeting_times_are_shown_in_local_time(start: datetime) -> None:
    utc = start.replace(tzinfo=timezone.utc)
    text = describe_appointment(utc, None, None, None, None, None, "Europe/Copenhagen")
    shown = local_time(utc, "Europe/Copenhagen")
    assert f"{shown:%Y-%m-%d %H:%M}" in text
    assert shown.utcoffset().total_seconds() in (3600, 7200)  # CET or CEST, never UTC


def test_a_meeting_names_its_place_organiser_and_recurrence() -> None:
    organiser = Party(name="Kashif Iqbal", role=PartyRole.SENDER)  # an Exchange organiser: a name only
    text = describe_appointment(datetime(2017, 1, 19, 17, 30, tzinfo=timezone.utc),
                                datetime(2017, 1, 19, 18, 0, tzinfo=timezone.utc), "10 Down Street",
                                organiser, "every Monday", "(UTC+05:00) Islamabad", "Europe/Copenhagen")
    assert text == ("Meeting 2017-01-19 18:30 to 19:00 (Europe/Copenhagen time), place: 10 Down Street, "
                    "organiser: Kashif Iqbal, recurring: every Monday (times in (UTC+05:00) Islamabad)")


def test_contacts_and_tasks_say_what_they_are() -> None:
    assert describe_contact("Dr Q Fox", "Fence Co", "Jumper", ["q@fox.com"], [("work", "(123) 456-7890")],
                            "12 Lazy Dog Lane\r\nSpringfield") == \
        "Contact: Dr Q Fox, Fence Co (Jumper); mail q@fox.com; phone work (123) 456-7890; " \
        "address 12 Lazy Dog Lane, Springfield"
    assert describe_task(datetime(2017, 2, 19), datetime(2017, 3, 10), "In progress", "A") == \
        "Task: start 2017-02-19, due 2017-03-10, status In progress, owner A"


@pytest.mark.parametrize("item_class, subject, sender, parts, kind", [
    ("REPORT.IPM.Note.NDR", "Undeliverable: x", None, [], "ndr"),
    ("REPORT.IPM.Note.IPNRN", "Read: x", None, [], "ipnrn"),
    ("REPORT.IPM.Note.DR", "Delivered: x", None, [], "dr"),
    ("IPM.Note", "Undeliverable: test subj", "postmaster@aspose.com", [], "ndr"),
    ("IPM.Note", "Delivery delayed:RE: Bosco", "microsoftexchange329e@coab.us", [], "delayed"),
    (None, "Mail delivery failed", "someone@example.com", ["message/delivery-status"], "ndr"),
    ("IPM.Note", "Undeliverable ideas for the meeting", "kollega@kommune.dk", [], None),  # a person's mail
    ("IPM.Note", "Re: postmaster settings", "postmaster@kommune.dk", [], None),
])
def test_delivery_reports_are_recognised(item_class, subject, sender, parts, kind) -> None:
    assert report_kind(item_class, subject, sender, parts) == kind


def test_an_rfc3464_bounce_is_described_as_one(tmp_path: Path) -> None:
    bounce = EmailMessage()
    bounce["From"] = "Mail Delivery System <MAILER-DAEMON@kommune.dk>"
    bounce["To"] = "sagsbehandler@kommune.dk"
    bounce["Subject"] = "Undelivered Mail Returned to Sender"
    bounce["Date"] = "Tue, 14 Nov 2023 10:00:00 +0100"
    bounce.set_content("The mail could not be delivered.")
    bounce.make_mixed()
    bounce.set_type("multipart/report")
    bounce.set_param("report-type", "delivery-status")
    path = tmp_path / "bounce.eml"
    path.write_bytes(bounce.as_bytes())
    candidate = propose(path, settings=IntakeSettings(scratch_dir=tmp_path / "scratch"))
    assert candidate.metadata.description == "Delivery report: the message was not delivered."
