"""What Outlook items other than notes are, in words: meetings, contacts, tasks, delivery reports.

Shared by the .msg and TNEF (winmail.dat) readers. Meeting times are shown in the user's time zone;
a task's start and due dates are calendar dates as Outlook keeps them (midnight, no time zone).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone as dt_timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..domain import Party

DEFAULT_TIMEZONE = "Europe/Copenhagen"  # IntakeSettings.timezone's default, for readers called on their own

_REPORTS = {
    "ndr": "the message was not delivered",
    "delayed": "delivery of the message is delayed",
    "dr": "the message was delivered",
    "ipnrn": "the message was read",
    "ipnnrn": "the message was deleted unread",
}
_REPORT_SENDERS = re.compile(r"^(postmaster|mailer-daemon|microsoftexchange[0-9a-f]*|mail-daemon)@", re.IGNORECASE)
_REPORT_SUBJECTS = re.compile(
    r"^\s*(undeliverable|undelivered mail|delivery (status notification|failure|has failed)|"
    r"mail delivery (failed|failure|subsystem)|returned mail|failure notice|non remis|unzustellbar|"
    r"kan ikke leveres|ikke leveret|delivery delayed|zustellung verzögert|forsinket levering)",
    re.IGNORECASE,
)
_DELIVERY_STATUS_TYPES = {"message/delivery-status", "message/global-delivery-status"}


def local_time(when: datetime, zone: str) -> datetime:
    """`when` (naive means UTC, as MAPI keeps times) in the time zone `zone`."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt_timezone.utc)
    try:
        return when.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return when.astimezone(ZoneInfo(DEFAULT_TIMEZONE))


def describe_appointment(start: datetime | None, end: datetime | None, location: str | None,
                         organiser: Party | None, recurrence: str | None, organiser_zone: str | None,
                         zone: str) -> str:
    """E.g. "Meeting 2017-02-28 19:30 to 20:00 (Europe/Copenhagen), place: Room 1, organiser: A <a@b.dk>"."""
    parts = []
    if start is not None:
        begins = local_time(start, zone)
        when = f"{begins:%Y-%m-%d %H:%M}"
        if end is not None:
            ends = local_time(end, zone)
            when += f" to {ends:%H:%M}" if ends.date() == begins.date() else f" to {ends:%Y-%m-%d %H:%M}"
        parts.append(f"Meeting {when} ({zone} time)")
    if location:
        parts.append(f"place: {location}")
    if organiser is not None:
        shown = organiser.name or ""
        if organiser.email:
            shown = f"{shown} <{organiser.email}>" if shown else organiser.email
        parts.append(f"organiser: {shown}")
    if recurrence:
        parts.append(f"recurring: {recurrence}" + (f" (times in {organiser_zone})" if organiser_zone else ""))
    return ", ".join(parts)


def describe_contact(name: str | None, company: str | None, job_title: str | None, emails: Sequence[str],
                     phones: Sequence[tuple[str, str]], address: str | None) -> str:
    """E.g. "Contact: Dr Q Fox, Fence Co (Jumper); mail q@f.com; phone work (123) 456-7890"."""
    who = ", ".join(p for p in (name, company) if p)
    if job_title:
        who += f" ({job_title})" if who else job_title
    parts = [f"Contact: {who}" if who else "Contact"]
    if emails:
        parts.append("mail " + ", ".join(dict.fromkeys(emails)))
    if phones:
        parts.append("phone " + ", ".join(f"{label} {number}" for label, number in phones))
    if address:
        parts.append("address " + ", ".join(line.strip() for line in address.splitlines() if line.strip()))
    return "; ".join(parts)


def describe_task(start: datetime | None, due: datetime | None, status: str | None, owner: str | None,
                  done: object = None) -> str:
    """E.g. "Task: start 2017-02-19, due 2017-03-10, status In progress, owner A"."""
    parts = []
    if start is not None:
        parts.append(f"start {start:%Y-%m-%d}")
    if due is not None:
        parts.append(f"due {due:%Y-%m-%d}")
    if status:
        parts.append(f"status {status}")
    if isinstance(done, (int, float)) and 0 < done <= 1:
        parts.append(f"{round(done * 100)}% done")
    if owner:
        parts.append(f"owner {owner}")
    return "Task: " + ", ".join(parts) if parts else "Task"


def report_kind(item_class: str | None, subject: str | None, sender: str | None,
                part_types: Sequence[str | None] = ()) -> str | None:
    """The kind of delivery report (a key of _REPORTS) an item is, or None for an ordinary item."""
    lowered = (item_class or "").lower()
    if lowered.startswith("report."):
        suffixes = lowered.split(".")
        if "delayed" in suffixes:
            return "delayed"
        return next((s for s in reversed(suffixes) if s in _REPORTS), "ndr")
    status_part = any((t or "").lower() in _DELIVERY_STATUS_TYPES for t in part_types)
    from_system = bool(sender and _REPORT_SENDERS.match(sender))
    subject_says = bool(subject and _REPORT_SUBJECTS.match(subject))
    if subject_says and (status_part or from_system):
        return "delayed" if re.search(r"delay|verzögert|forsinket", subject or "", re.IGNORECASE) else "ndr"
    return None


def describe_report(kind: str) -> str:
    return f"Delivery report: {_REPORTS.get(kind, _REPORTS['ndr'])}."
