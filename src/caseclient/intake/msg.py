"""Outlook .msg files (extract-msg): mails, signed and encrypted mails, appointments, other items."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar


from ..domain import InputError, PartyRole
from .addresses import party, parse_one
from .files import shown
from .htmltext import html_to_text
from .model import ItemKind, ReadAttachment, ReadItem
from .sniff import is_outlook_compound

log = logging.getLogger(__name__)

T = TypeVar("T")

_HTML_STREAM = "__substg1.0_10130102"  # PR_HTML, when the item stores HTML itself (not via RTF)
_SUBJECT_STREAM = "__substg1.0_0037"  # PR_SUBJECT; extract-msg adds the string type
_CREATION_TIME = "30070040"
_ENVELOPED_DATA = b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x03"  # PKCS#7 enveloped-data OID


def read_msg(path: Path) -> ReadItem:
    import extract_msg  # loaded on the first .msg: it brings half a dozen libraries

    try:
        item = extract_msg.openMsg(str(path), strict=False, delayAttachments=True)
    except (OSError, ValueError, extract_msg.exceptions.ExMsgBaseException) as exc:
        log.info("msg open failed for %s: %s", shown(path), type(exc).__name__)
        if is_outlook_compound(path) is False:
            raise InputError(f"{shown(path)} is not an Outlook item: it holds another kind of Office file.") from exc
        raise InputError(f"{shown(path)} could not be read: the Outlook file is damaged or incomplete.") from exc
    with item:
        if not _get(item, "classType"):
            raise InputError(f"{shown(path)} is not an Outlook item: it holds another kind of Office file.")
        return read_open_item(item, path.name)


def read_open_item(item: Any, name: str) -> ReadItem:
    """Read an opened extract-msg item; encrypted ones give their envelope only."""
    warnings: list[str] = []
    class_type = (_get(item, "classType") or "").replace("\x00", "").strip()
    kind = kind_of(class_type)
    subject = _get(item, "subject")
    if subject is None:
        subject = _call(lambda: item.getStringStream(_SUBJECT_STREAM))
    sender = parse_one(_get(item, "sender"), PartyRole.SENDER)
    if sender is None and kind is ItemKind.APPOINTMENT:
        sender = parse_one(_get(item, "organizer"), PartyRole.SENDER)
    read = ReadItem(
        kind=kind,
        mime_type="application/vnd.ms-outlook",
        item_class=class_type or None,
        subject=subject.replace("\x00", "").strip() if isinstance(subject, str) else None,
        sender=sender,
        recipients=_recipients(item),
        sent=_datetime(_get(item, "date")),
        received=_datetime(_get(item, "receivedTime")),
        created=_datetime(_call(lambda: item.getPropertyVal(_CREATION_TIME))),
        message_id=_message_id(_get(item, "messageId")),
        warnings=warnings,
    )
    if kind is ItemKind.APPOINTMENT:
        read.description = _appointment_description(item)
        read.sent = read.sent or _datetime(_get(item, "startDate"))
    if _is_encrypted(item, class_type):
        read.encrypted = True
        warnings.append(
            f"{shown(name)} is encrypted (S/MIME): only its sender, recipients, subject and date could be "
            "read; open it in Outlook to see the text and attachments."
        )
        return read
    html = _raw_html(item)
    read.text = _body_text(item, html, name, warnings)
    read.attachments = _attachments(item, html, name, warnings)
    return read


def kind_of(class_type: str) -> ItemKind:
    lowered = class_type.lower()
    if lowered.startswith(("ipm.note", "report", "ipm.skypeteams.message")) or not lowered:
        return ItemKind.EMAIL
    if lowered.startswith(("ipm.appointment", "ipm.schedule.meeting")):
        return ItemKind.APPOINTMENT
    if lowered.startswith(("ipm.contact", "ipm.distlist")):
        return ItemKind.CONTACT
    if lowered.startswith(("ipm.task", "ipm.taskrequest")):
        return ItemKind.TASK
    return ItemKind.NOTE


def _get(item: Any, attribute: str) -> Any:
    """An item property, or None when the item has no such property or it cannot be decoded."""
    return _call(lambda: getattr(item, attribute, None))


def _call(read: Callable[[], T]) -> T | None:
    try:
        return read()
    except Exception as exc:  # extract-msg raises many kinds on odd items (UnicodeDecodeError, KeyError ...)
        log.debug("msg property unreadable: %s", type(exc).__name__)
        return None


def _datetime(value: object) -> datetime | None:
    return value if isinstance(value, datetime) else None


def _message_id(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = "".join(value.split()).replace("\x00", "")
    return cleaned or None


def _recipients(item: Any) -> tuple:
    from extract_msg.enums import RecipientType

    roles = {RecipientType.TO: PartyRole.RECIPIENT, RecipientType.CC: PartyRole.CC}
    found = []
    for recipient in _get(item, "recipients") or ():
        role = roles.get(_get(recipient, "type"))
        if role is None:  # BCC and resources are not parties to the document
            continue
        address = _get(recipient, "smtpAddress") or _get(recipient, "email")
        found_party = party(_get(recipient, "name"), address, role)
        if found_party:
            found.append(found_party)
    return tuple(found)


def _appointment_description(item: Any) -> str:
    start, end = _datetime(_get(item, "startDate")), _datetime(_get(item, "endDate"))
    location = _get(item, "location")
    parts = []
    if start:
        parts.append(f"{start:%Y-%m-%d %H:%M}" + (f" to {end:%Y-%m-%d %H:%M}" if end else ""))
    if isinstance(location, str) and location.strip():
        parts.append(location.replace("\x00", "").strip())
    return ", ".join(parts)


def _is_encrypted(item: Any, class_type: str) -> bool:
    lowered = class_type.lower()
    if not lowered.endswith(".smime") and not lowered.endswith(".smime.encrypted"):
        return False
    raw = _get(item, "rawAttachments") or []
    data = _get(raw[0], "data") if raw else None
    return not isinstance(data, bytes) or _ENVELOPED_DATA in data[:64]


def _raw_html(item: Any) -> str | None:
    """The item's own HTML body, when it stores one (cheap); never the RTF-derived one."""
    data = _call(lambda: item.getStream(_HTML_STREAM))
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else None


def _body_text(item: Any, html: str | None, name: str, warnings: list[str]) -> str:
    body = _get(item, "body")
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    if isinstance(body, str) and body.strip():
        return body.replace("\x00", "")
    if html is None:
        derived = _get(item, "htmlBody")  # may be rendered from RTF: slower, used only when needed
        html = derived.decode("utf-8", "replace") if isinstance(derived, bytes) else None
    if html:
        return html_to_text(html)
    if _get(item, "rtfBody"):
        warnings.append(f"The text of {shown(name)} could not be read; numbers were looked for in its subject only.")
    return ""


def _attachments(item: Any, html: str | None, name: str, warnings: list[str]) -> list[ReadAttachment]:
    found: list[ReadAttachment] = []
    for number, attachment in enumerate(_get(item, "attachments") or [], start=1):
        read = _attachment(attachment, html, number)
        if read is None:
            label = _get(attachment, "name") or _get(attachment, "longFilename") or f"number {number}"
            warnings.append(
                f"Attachment {shown(str(label))} in {shown(name)} could not be taken out "
                "(a link to an online file or an unsupported kind); open the mail in Outlook to get it."
            )
        else:
            found.append(read)
    return found


def _attachment(attachment: Any, html: str | None, number: int) -> ReadAttachment | None:
    data = _get(attachment, "data")
    if data is not None and not isinstance(data, bytes):  # an embedded Outlook item
        exported = _call(data.exportBytes)
        if not isinstance(exported, bytes):
            return None
        subject = (_get(data, "subject") or "").replace("\x00", "").strip()
        return ReadAttachment(f"{subject or f'Attached item {number}'}.msg", exported, "application/vnd.ms-outlook")
    if data is None:
        return None
    filename = next(
        (n for n in (_get(attachment, a) for a in ("longFilename", "name", "shortFilename", "displayName"))
         if isinstance(n, str) and n.strip()),
        f"attachment {number}",
    ).replace("\x00", "").strip()
    mime = _get(attachment, "mimetype")
    return ReadAttachment(filename, data, mime if isinstance(mime, str) else None, _is_inline(attachment, html))


def _is_inline(attachment: Any, html: str | None) -> bool:
    """Shown inside the body: hidden, or referenced by content-id (signed mails: inline disposition)."""
    if _get(attachment, "hidden"):
        return True
    message = _get(attachment, "emailMessage")  # signed mails keep their MIME parts
    if message is not None:
        return message.get_content_disposition() == "inline" or bool(message.get("Content-ID"))
    content_id = _get(attachment, "contentId") or _get(attachment, "cid")
    if not isinstance(content_id, str) or not content_id.strip():
        return False
    return html is None or content_id.strip("<> ") in html
