"""Outlook .msg files (extract-msg): mails, signed and encrypted mails, appointments, other items."""

from __future__ import annotations

import codecs
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar


from ..domain import InputError, Party, PartyRole
from .addresses import party, parse_one
from .codepages import choose_encoding, code_page_of_locale
from .files import shown
from .htmltext import html_to_text
from .model import ItemKind, ReadAttachment, ReadItem
from .outlook import (DEFAULT_TIMEZONE, describe_appointment, describe_contact, describe_report,
                      describe_task, report_kind)
from .sniff import is_outlook_compound
from .tnef import unpack_parts

log = logging.getLogger(__name__)

T = TypeVar("T")

_HTML_STREAM = "__substg1.0_10130102"  # PR_HTML, when the item stores HTML itself (not via RTF)
_SUBJECT_STREAM = "__substg1.0_0037"  # PR_SUBJECT; extract-msg adds the string type
_CREATION_TIME = "30070040"
# Where an item without Unicode strings says its code page: PR_MESSAGE_CODEPAGE, PR_INTERNET_CPID,
# PR_CODE_PAGE_ID (the store's); and its locale: PR_MESSAGE_LOCALE_ID, PR_LOCALE_ID.
_CODE_PAGES = ("3FFD0003", "3FDE0003", "66C30003")
_LOCALES = ("3FF10003", "66A10003")
_RECIPIENT_FLAGS = "5FFD0003"
_RECIPIENT_ORGANIZER = 0x0002  # recipOrganizer: this row is the meeting's organiser
_ENVELOPED_DATA = b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x03"  # PKCS#7 enveloped-data OID


def read_msg(path: Path, timezone: str = DEFAULT_TIMEZONE) -> ReadItem:
    """Read an Outlook item; times in descriptions are shown in `timezone`."""
    try:
        item = _open(path)
    except InputError as error:
        if not isinstance(error.__cause__, UnicodeDecodeError):
            raise
        # extract-msg decodes some 8-bit strings as it opens, in the page the item declares; when
        # that page is wrong, open it in one that takes any byte, only to find the right one.
        item = _open(path, overrideEncoding="latin-1")
    encoding = _call(lambda: _string_encoding(item))
    if encoding is not None:  # 8-bit strings in another code page than extract-msg assumes: read again
        item.close()
        item = _open(path, overrideEncoding=encoding)
    with item:
        if not _get(item, "classType"):
            raise InputError(f"{shown(path)} is not an Outlook item: it holds another kind of Office file.")
        return read_open_item(item, path.name, timezone)


def _open(path: Path, **options: str) -> Any:
    import extract_msg  # loaded on the first .msg: it brings half a dozen libraries

    try:
        return extract_msg.openMsg(str(path), strict=False, delayAttachments=True, **options)
    except (OSError, ValueError, extract_msg.exceptions.ExMsgBaseException) as exc:
        log.info("msg open failed for %s: %s", shown(path), type(exc).__name__)
        if is_outlook_compound(path) is False:
            raise InputError(f"{shown(path)} is not an Outlook item: it holds another kind of Office file.") from exc
        raise InputError(f"{shown(path)} could not be read: the Outlook file is damaged or incomplete.") from exc


def _string_encoding(item: Any) -> str | None:
    """For an item without Unicode strings, the codec its strings need when extract-msg would pick another."""
    if _call(lambda: item.areStringsUnicode) is not False:
        return None
    props = _get(item, "props") or {}
    declared = [_call(lambda key=key: item.getPropertyVal(key)) for key in _CODE_PAGES if key in props]
    for recipient in _get(item, "recipients") or ():
        declared += [_call(lambda key=key: recipient.getPropertyVal(key)) for key in _CODE_PAGES[:2]]
    declared += [code_page_of_locale(_call(lambda key=key: item.getPropertyVal(key))) for key in _LOCALES
                 if key in props]
    strings = []
    for entry in _call(item.listDir) or ():
        if entry[-1].upper().endswith("001E"):
            data = _call(lambda entry=entry: item.getStream(entry))
            if isinstance(data, bytes):
                strings.append(data[:4096])
    chosen = choose_encoding(strings, declared)
    current = _call(lambda: item.stringEncoding)
    try:
        same = current is not None and codecs.lookup(current).name == codecs.lookup(chosen).name
    except LookupError:
        same = False
    return None if same else chosen


def read_open_item(item: Any, name: str, timezone: str = DEFAULT_TIMEZONE) -> ReadItem:
    """Read an opened extract-msg item; encrypted ones give their envelope only."""
    warnings: list[str] = []
    class_type = (_get(item, "classType") or "").replace("\x00", "").strip()
    kind = kind_of(class_type)
    subject = _get(item, "subject")
    if subject is None:
        subject = _call(lambda: item.getStringStream(_SUBJECT_STREAM))
    # A contact's or task's sender is only who saved it: not a party to the item.
    sender = _sender(item) if kind in (ItemKind.EMAIL, ItemKind.APPOINTMENT, ItemKind.NOTE) else None
    recipients = _recipients(item)
    if kind is ItemKind.APPOINTMENT:
        sender, recipients = _organiser(item, sender, recipients)
    read = ReadItem(
        kind=kind,
        mime_type="application/vnd.ms-outlook",
        item_class=class_type or None,
        subject=subject.replace("\x00", "").strip() if isinstance(subject, str) else None,
        sender=sender,
        recipients=tuple(p for p, _ in recipients),
        sent=_datetime(_get(item, "date")),
        received=_datetime(_get(item, "receivedTime")),
        created=_datetime(_call(lambda: item.getPropertyVal(_CREATION_TIME))),
        message_id=_message_id(_get(item, "messageId")),
        warnings=warnings,
    )
    if kind is ItemKind.APPOINTMENT:
        start = _first_datetime(item, "appointmentStartWhole", "startDate", "commonStart")
        end = _first_datetime(item, "appointmentEndWhole", "endDate", "commonEnd")
        recurrence = _get(item, "recurrencePattern") if _get(item, "isRecurring") else None
        read.description = describe_appointment(
            start, end, _text(_get(item, "location")), sender, _text(recurrence),
            _text(_get(item, "timeZoneDescription")), timezone)
        read.sent = read.sent or start
    elif kind is ItemKind.CONTACT:
        read.description = _contact_description(item)
    elif kind is ItemKind.TASK:
        read.description = describe_task(
            _datetime(_get(item, "taskStartDate")), _datetime(_get(item, "taskDueDate")),
            _text(_enum_name(_get(item, "taskStatus"))), _text(_get(item, "taskOwner")),
            _get(item, "percentComplete"))
    if _is_encrypted(item, class_type):
        read.encrypted = True
        warnings.append(
            f"{shown(name)} is encrypted (S/MIME): only its sender, recipients, subject and date could be "
            "read; open it in Outlook to see the text and attachments."
        )
        return read
    html = _raw_html(item)
    read.text = _body_text(item, html, name, warnings, kind)
    read.attachments, unpacked = unpack_parts(_attachments(item, html, name, warnings), name, warnings, timezone)
    if unpacked.text and unpacked.text.strip() not in read.text:
        read.text = "\n".join(t for t in (read.text, unpacked.text) if t)
    read.description = read.description or unpacked.description
    report = report_kind(class_type, read.subject, sender.email if sender else None,
                         [a.mime_type for a in read.attachments])
    if report:
        read.description = describe_report(report)
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


def _first_datetime(item: Any, *attributes: str) -> datetime | None:
    for attribute in attributes:
        value = _datetime(_get(item, attribute))
        if value is not None and 1900 < value.year < 4500:  # 4501-08-31 is MAPI's "none"
            return value
    return None


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return value.replace("\x00", "").strip() or None


def _enum_name(value: object) -> str | None:
    name = getattr(value, "name", None)
    return name.replace("_", " ").capitalize() if isinstance(name, str) else None


def _sender(item: Any) -> Party | None:
    """The sender from the mail's own From header; else from the MAPI name and SMTP address.

    An Exchange sender may be known by name only (no SMTP address): the name is still kept.
    """
    raw = _get(item, "sender")
    name = _text(_call(lambda: item.getStringStream("__substg1.0_0C1A")))  # PR_SENDER_NAME
    address = _text(_call(lambda: item.getStringStream("__substg1.0_5D01")))  # PR_SENDER_SMTP_ADDRESS
    if _text(_call(lambda: item.getStringStream("__substg1.0_0C1E"))) == "SMTP":
        address = address or _text(_call(lambda: item.getStringStream("__substg1.0_0C1F")))
    composed = {name, f"{name} <{address}>" if name and address else None, address} - {None}
    if not isinstance(raw, str) or raw.replace("\x00", "").strip() in composed:
        return party(name, address, PartyRole.SENDER)  # no header: the MAPI properties, parsed no further
    return parse_one(raw, PartyRole.SENDER)


def _recipients(item: Any) -> list[tuple[Party, int]]:
    """The parties of the TO and CC rows, each with its recipient flags."""
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
            flags = _call(lambda r=recipient: r.getPropertyVal(_RECIPIENT_FLAGS))
            found.append((found_party, flags if isinstance(flags, int) else 0))
    return found


def _organiser(item: Any, sender: Party | None,
               recipients: list[tuple[Party, int]]) -> tuple[Party | None, list[tuple[Party, int]]]:
    """A meeting's organiser is its sender; the organiser's own row in the recipients is not a recipient."""
    rows = [p for p, flags in recipients if flags & _RECIPIENT_ORGANIZER]
    if rows:
        row = rows[0]
        if sender is None or sender.email is None or sender.email == row.email:
            sender = Party(name=(sender.name if sender and sender.name else row.name), email=row.email,
                           role=PartyRole.SENDER)
        recipients = [(p, flags) for p, flags in recipients if not flags & _RECIPIENT_ORGANIZER]
    if sender is None:
        sender = party(_text(_get(item, "organizer")), None, PartyRole.SENDER)
    return sender, recipients


def _contact_description(item: Any) -> str:
    emails = [_text(_get(item, f"email{n}EmailAddress")) for n in (1, 2, 3)]
    phones = [(label, _text(_get(item, attribute))) for label, attribute in (
        ("work", "businessTelephoneNumber"), ("mobile", "mobileTelephoneNumber"), ("home", "homeTelephoneNumber"),
        ("phone", "primaryTelephoneNumber"))]
    address = _text(_get(item, "workAddress")) or _text(_get(item, "homeAddress")) or _text(_get(item, "mailAddress"))
    return describe_contact(
        _text(_get(item, "displayName")), _text(_get(item, "companyName")), _text(_get(item, "jobTitle")),
        [e for e in emails if e and "@" in e], [(label, number) for label, number in phones if number], address)


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
    if isinstance(data, bytes):
        return data.decode("utf-8", "replace")
    text = _call(lambda: item.getStream("__substg1.0_1013001E"))  # an 8-bit item's HTML
    return text.decode(_call(lambda: item.stringEncoding) or "cp1252", "replace") if isinstance(text, bytes) else None


def _body_text(item: Any, html: str | None, name: str, warnings: list[str], kind: ItemKind) -> str:
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
    if kind in (ItemKind.EMAIL, ItemKind.APPOINTMENT) and _get(item, "rtfBody"):
        warnings.append(f"The text of {shown(name)} could not be read; numbers were looked for in its subject only.")
    return ""


def _attachments(item: Any, html: str | None, name: str, warnings: list[str]) -> list[ReadAttachment]:
    found: list[ReadAttachment] = []
    attachments = _get(item, "attachments") or []
    if html is None and any(_get(a, "contentId") or _get(a, "cid") for a in attachments):
        rtf = _get(item, "rtfBody")  # HTML kept inside the RTF body still names the pictures it shows
        html = rtf.decode("latin-1") if isinstance(rtf, bytes) and b"\\fromhtml" in rtf[:1024] else None
    for number, attachment in enumerate(attachments, start=1):
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
