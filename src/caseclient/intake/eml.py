"""RFC 822 mail files (.eml, Thunderbird drops) read with the email package's modern policy."""

from __future__ import annotations

import email
import email.policy
import logging
from datetime import datetime
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime
from pathlib import Path

from ..domain import PartyRole
from .addresses import parse_many, parse_one
from .files import shown
from .htmltext import html_to_text
from .model import ItemKind, ReadAttachment, ReadItem
from .outlook import DEFAULT_TIMEZONE, describe_report, report_kind
from .tnef import unpack_parts

log = logging.getLogger(__name__)

_ENCRYPTED_TYPES = {"application/pkcs7-mime", "application/x-pkcs7-mime", "application/pgp-encrypted"}
_SIGNATURE_TYPES = {"application/pkcs7-signature", "application/x-pkcs7-signature", "application/pgp-signature"}


def read_eml(path: Path, timezone: str = DEFAULT_TIMEZONE) -> ReadItem:
    with path.open("rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    return read_message(message, path.name, timezone)


def read_message(message: EmailMessage, name: str, timezone: str = DEFAULT_TIMEZONE) -> ReadItem:
    warnings: list[str] = []
    read = ReadItem(
        kind=ItemKind.EMAIL,
        mime_type="message/rfc822",
        subject=_header(message, "Subject", warnings, name),
        sender=parse_one(_header(message, "From", warnings, name), PartyRole.SENDER),
        recipients=parse_many(_headers(message, "To", warnings, name), PartyRole.RECIPIENT)
        + parse_many(_headers(message, "Cc", warnings, name), PartyRole.CC),
        sent=_date(message, warnings, name),
        message_id=_message_id(_header(message, "Message-ID", warnings, name)),
        warnings=warnings,
    )
    defects = _defects(message)
    if defects:
        warnings.append(
            f"{shown(name)} is not quite well-formed ({', '.join(sorted(defects))}); "
            "check the proposed fields."
        )
    if message.get_content_type() in _ENCRYPTED_TYPES or message.get_content_type() == "multipart/encrypted":
        smime_type = (message.get_param("smime-type") or "").lower()
        if smime_type != "signed-data":
            read.encrypted = True
            warnings.append(
                f"{shown(name)} is encrypted: only its sender, recipients, subject and date could be read; "
                "open it in the mail program to see the text and attachments."
            )
            return read
    body_parts = _body_parts(message)
    read.text = "\n".join(_part_text(p) for p in body_parts)
    # Outlook's winmail.dat (TNEF) parts hold the real attachments, and often the real body
    read.attachments, unpacked = unpack_parts(_attachments(message, body_parts), name, warnings, timezone)
    if unpacked.text and unpacked.text.strip() not in read.text:
        read.text = "\n".join(t for t in (read.text, unpacked.text) if t)
    read.description = unpacked.description
    if unpacked.meeting is not None:  # an invitation sent as winmail.dat is the meeting it carries
        read.kind, read.item_class = ItemKind.APPOINTMENT, unpacked.meeting.item_class
    report = _report(message, read)
    if report:
        read.description = describe_report(report)
    return read


def _report(message: EmailMessage, read: ReadItem) -> str | None:
    """A delivery report (RFC 3464 multipart/report, or a system's bounce), as outlook.report_kind names it."""
    if message.get_content_type() == "multipart/report":
        report_type = (message.get_param("report-type") or "").lower()
        if report_type == "disposition-notification":
            return "ipnrn"
        if report_type == "delivery-status":
            return report_kind(None, read.subject, "postmaster@", ["message/delivery-status"]) or "ndr"
    return report_kind(None, read.subject, read.sender.email if read.sender else None,
                       [a.mime_type for a in read.attachments])


def _header(message: Message, header: str, warnings: list[str], name: str) -> str | None:
    try:
        value = message.get(header)
    except Exception as exc:  # header parsing of broken encodings (IndexError, ValueError ...)
        log.debug("header %s unreadable: %s", header, type(exc).__name__)
        warnings.append(f"The {header} line of {shown(name)} could not be read.")
        return None
    return str(value).replace("\x00", "").strip() if value is not None else None


def _headers(message: Message, header: str, warnings: list[str], name: str) -> list[str]:
    try:
        return [str(v) for v in message.get_all(header) or []]
    except Exception as exc:  # same family as above, for repeated headers
        log.debug("header %s unreadable: %s", header, type(exc).__name__)
        warnings.append(f"The {header} line of {shown(name)} could not be read.")
        return []


def _date(message: Message, warnings: list[str], name: str) -> datetime | None:
    raw = _header(message, "Date", warnings, name)
    if not raw:
        return None
    try:
        return parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError, OverflowError):
        warnings.append(f"The date of {shown(name)} could not be read; the file's date is used.")
        return None


def _message_id(value: str | None) -> str | None:
    if not value:
        return None
    cleaned = "".join(value.split())
    return cleaned or None


def _defects(message: Message) -> set[str]:
    found = {type(d).__name__.removesuffix("Defect") for d in message.defects}
    for part in message.walk():
        found.update(type(d).__name__.removesuffix("Defect") for d in part.defects)
    return found


def _body_parts(message: EmailMessage) -> list[Message]:
    """The part(s) holding the text: the plain one when there is one, else the HTML one."""
    try:
        plain = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
    except Exception:  # get_body on malformed structures
        return []
    return [p for p in (plain or html,) if p is not None]


def _part_text(part: Message) -> str:
    try:
        content = part.get_content()
    except Exception:  # unknown charset, broken transfer encoding
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    return html_to_text(content) if part.get_content_type() == "text/html" else content


def _attachments(message: Message, body_parts: list[Message]) -> list[ReadAttachment]:
    found: list[ReadAttachment] = []
    html_bodies = [p for p in message.walk() if p.get_content_type() == "text/html" and not p.get_filename()]
    html = "\n".join(_raw(p).decode("utf-8", "replace") for p in html_bodies)
    skip = {id(p) for p in body_parts} | {id(p) for p in html_bodies}
    for number, part in enumerate(_leaf_parts(message), start=1):
        if id(part) in skip:
            continue
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = _filename(part)
        if content_type in ("text/plain", "text/html") and not filename and disposition != "attachment":
            continue  # alternative text of the body
        if content_type == "message/rfc822":
            inner = part.get_payload()
            inner_message = inner[0] if isinstance(inner, list) and inner else None
            data = inner_message.as_bytes() if isinstance(inner_message, Message) else _raw(part)
            subject = (inner_message.get("Subject") if isinstance(inner_message, Message) else None) or part.get(
                "Subject", "")
            found.append(ReadAttachment(filename or f"{str(subject).strip() or f'Attached mail {number}'}.eml",
                                        data, "message/rfc822"))
            continue
        content_id = (part.get("Content-ID") or "").strip("<> ")
        inline = disposition == "inline" or (not filename and bool(content_id)) or (
            bool(content_id) and f"cid:{content_id}" in html
        )
        if content_type in _SIGNATURE_TYPES:
            filename = filename or "smime.p7s"
        found.append(ReadAttachment(filename or f"attachment {number}", _raw(part), content_type, inline))
    return found


def _leaf_parts(message: Message) -> list[Message]:
    """Every non-multipart part, not descending into attached mails."""
    leaves: list[Message] = []
    stack = [message]
    while stack:
        part = stack.pop(0)
        if part.get_content_type() == "message/rfc822" and part is not message:
            leaves.append(part)
        elif part.is_multipart():
            payload = part.get_payload()
            stack[0:0] = payload if isinstance(payload, list) else []
        elif part is not message:
            leaves.append(part)
    return leaves


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # broken RFC 2231 parameters
        return None
    return name.replace("\x00", "").strip() or None if isinstance(name, str) else None


def _raw(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""
