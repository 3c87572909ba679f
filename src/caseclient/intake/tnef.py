"""TNEF (winmail.dat, application/ms-tnef): what Outlook sends in place of a MIME mail, read with tnefparse.

A raw TNEF file is read as the mail (or meeting) it carries: subject, sender, recipients, dates,
body text and its attachments. A winmail.dat inside a mail is replaced by the files it holds; one
that holds nothing (only a copy of the mail's own body) is left out. An embedded message becomes
an .eml file, so that it can be opened and filed like any attached mail.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass, field
from datetime import datetime, timezone as dt_timezone
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from ..domain import InputError, Party, PartyRole
from .addresses import party
from .files import shown
from .htmltext import html_to_text
from .model import ItemKind, ReadAttachment, ReadItem
from .outlook import DEFAULT_TIMEZONE, describe_appointment, describe_report, describe_task, report_kind
from .rtftext import rtf_to_text

log = logging.getLogger(__name__)

TNEF_MIME = "application/vnd.ms-tnef"
TNEF_MAGIC = b"\x78\x9f\x3e\x22"

# Named properties (property set GUID, id): MS-OXPROPS.
_APPOINTMENT = "00062002-0000-0000-c000-000000000046"
_COMMON = "00062008-0000-0000-c000-000000000046"
_TASK = "00062003-0000-0000-c000-000000000046"
_START = ((_APPOINTMENT, 0x820D), (_COMMON, 0x8516))  # PidLidAppointmentStartWhole, PidLidCommonStart
_END = ((_APPOINTMENT, 0x820E), (_COMMON, 0x8517))
_LOCATION = ((_APPOINTMENT, 0x8208),)
_RECURRING = ((_APPOINTMENT, 0x8223),)
_RECURRENCE_PATTERN = ((_APPOINTMENT, 0x8232),)
_TIME_ZONE = ((_APPOINTMENT, 0x8234),)
_TASK_START, _TASK_DUE = ((_TASK, 0x8104),), ((_TASK, 0x8105),)

# Message classes older Outlook writes into TNEF, as the MAPI classes they stand for.
_OLD_CLASSES = {
    "ipm.microsoft mail.note": "IPM.Note",
    "ipm.microsoft schedule.mtgreq": "IPM.Schedule.Meeting.Request",
    "ipm.microsoft schedule.mtgrespp": "IPM.Schedule.Meeting.Resp.Pos",
    "ipm.microsoft schedule.mtgrespn": "IPM.Schedule.Meeting.Resp.Neg",
    "ipm.microsoft schedule.mtgrespa": "IPM.Schedule.Meeting.Resp.Tent",
    "ipm.microsoft schedule.mtgcncl": "IPM.Schedule.Meeting.Canceled",
}


@dataclass
class Unpacked:
    """What the winmail.dat parts of a mail held."""

    attachments: list[ReadAttachment] = field(default_factory=list)
    text: str = ""
    description: str = ""
    meeting: ReadItem | None = None  # the meeting a winmail.dat carries (Outlook's rich-text invitations)


def is_tnef(data: bytes | None) -> bool:
    """Whether bytes are a TNEF stream (its signature 0x223E9F78), whatever the part's name or type says."""
    return isinstance(data, bytes) and data.startswith(TNEF_MAGIC)


def read_tnef(path: Path, timezone: str = DEFAULT_TIMEZONE) -> ReadItem:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{shown(path)} could not be opened ({exc.strerror or type(exc).__name__}).") from exc
    return read_tnef_bytes(data, path.name, timezone)


def read_tnef_bytes(data: bytes, name: str, timezone: str = DEFAULT_TIMEZONE) -> ReadItem:
    """The mail or meeting a TNEF stream carries. Raises InputError when it cannot be decoded."""
    message = _parse(data, name)
    return _Reader(message, name, timezone).read()


def unpack_parts(attachments: list[ReadAttachment], name: str, warnings: list[str],
                 timezone: str = DEFAULT_TIMEZONE) -> tuple[list[ReadAttachment], Unpacked]:
    """A mail's attachments with each winmail.dat replaced by what it holds (nothing, when empty)."""
    found: list[ReadAttachment] = []
    unpacked = Unpacked()
    for attachment in attachments:
        if not is_tnef(attachment.data):
            found.append(attachment)
            continue
        try:
            item = read_tnef_bytes(attachment.data, attachment.filename, timezone)
        except InputError as exc:
            warnings.append(f"{exc.message} It is kept as it is, in {shown(name)}.")
            found.append(attachment)
            continue
        log.debug("%s in %s held %d attachments", shown(attachment.filename), shown(name), len(item.attachments))
        found.extend(item.attachments)
        unpacked.text = "\n".join(t for t in (unpacked.text, item.text) if t)
        unpacked.description = unpacked.description or item.description
        if item.kind is ItemKind.APPOINTMENT and unpacked.meeting is None:
            unpacked.meeting = item
        warnings.extend(item.warnings)
    return found, unpacked


def _parse(data: bytes, name: str) -> Any:
    from tnefparse import TNEF

    logging.getLogger("tnefparse").setLevel(logging.CRITICAL)  # it logs every odd property, as errors too
    _guard_property_counts()
    try:
        return TNEF(data, do_checksum=False)
    except Exception as exc:  # tnefparse raises ValueError, IndexError, struct.error ... on damaged data
        log.info("tnef decode failed for %s: %s", shown(name), type(exc).__name__)
        raise InputError(f"{shown(name)} could not be read: the winmail.dat (TNEF) data is damaged.") from exc


def _guard_property_counts() -> None:
    """tnefparse loops over a property count as the data states it: a damaged count (one flipped byte,
    four billion properties) would keep it busy for hours. A count the data cannot hold is refused."""
    import tnefparse.tnef as decoder

    decode = decoder.decode_mapi
    if getattr(decode, "caseclient_guarded", False):
        return

    def guarded(data: bytes, codepage: Any, starting_offset: int | None = None) -> Any:
        offset = starting_offset or 0
        if len(data) >= offset + 4:
            count = struct.unpack_from("<I", data, offset)[0]
            if count > (len(data) - offset - 4) // 4:  # every property takes at least 4 bytes
                raise ValueError(f"TNEF property count {count} beyond its {len(data) - offset} bytes")
        return decode(data, codepage, starting_offset)

    guarded.caseclient_guarded = True  # type: ignore[attr-defined]
    decoder.decode_mapi = guarded


class _Reader:
    def __init__(self, message: Any, name: str, timezone: str) -> None:
        self.message, self.name, self.timezone = message, name, timezone
        self.props: dict[int, Any] = {}
        self.named: dict[tuple[str, int], Any] = {}
        for prop in message.mapiprops:
            guid = str(getattr(prop, "guid", "") or "").lower()
            if prop.name >= 0x8000 and guid and getattr(prop, "guid_prop", None) is not None:
                self.named.setdefault((guid, prop.guid_prop), _value(prop))
            elif prop.name < 0x8000:
                self.props.setdefault(prop.name, _value(prop))
        self.attributes = {obj.name: obj.data for obj in message.msgprops}

    def read(self) -> ReadItem:
        from tnefparse import TNEF

        from .msg import kind_of

        raw_class = _text(self.props.get(0x001A)) or _text(self.attributes.get(TNEF.ATTMESSAGECLASS)) or "IPM.Note"
        item_class = _OLD_CLASSES.get(raw_class.lower(), raw_class)
        kind = kind_of(item_class)
        subject = (_text(self.props.get(0x0037)) or _text(self.attributes.get(TNEF.ATTSUBJECT))
                   or _text(self.props.get(0x0070)))  # PR_CONVERSATION_TOPIC, when Outlook kept only that
        sender = self._sender(kind)
        read = ReadItem(
            kind=kind,
            mime_type=TNEF_MIME,
            item_class=item_class,
            subject=subject,
            sender=sender,
            recipients=self._recipients(),
            sent=_utc(self.props.get(0x0039)) or _utc(self.attributes.get(TNEF.ATTDATESENT)),
            received=_utc(self.props.get(0x0E06)) or _utc(self.attributes.get(TNEF.ATTDATERECD)),
            created=_utc(self.props.get(0x3007)),
            message_id=_message_id(self.props.get(0x1035)),
        )
        html = self._html()
        read.text = self._body(html)
        read.attachments = self._attachments(html)
        if kind is ItemKind.APPOINTMENT:
            start = self._first(_START) or _utc(self.attributes.get(TNEF.ATTDATESTART))
            end = self._first(_END) or _utc(self.attributes.get(TNEF.ATTDATEEND))
            recurrence = _text(self._first(_RECURRENCE_PATTERN)) if self._first(_RECURRING) else None
            read.description = describe_appointment(
                _utc(start), _utc(end), _text(self._first(_LOCATION)), sender, recurrence,
                _text(self._first(_TIME_ZONE)), self.timezone)
            read.sent = read.sent or _utc(start)
        elif kind is ItemKind.TASK:
            read.description = describe_task(self._first(_TASK_START), self._first(_TASK_DUE), None, None)
        report = report_kind(item_class, subject, sender.email if sender else None,
                             [a.mime_type for a in read.attachments])
        if report:
            read.description = describe_report(report)
        return read

    def _first(self, keys: tuple[tuple[str, int], ...]) -> Any:
        return next((self.named[k] for k in keys if self.named.get(k) not in (None, "")), None)

    def _sender(self, kind: ItemKind) -> Party | None:
        if kind in (ItemKind.CONTACT, ItemKind.TASK):
            return None  # who saved it, not a party to it
        name = _text(self.props.get(0x0C1A))
        address = _text(self.props.get(0x5D01))
        if _text(self.props.get(0x0C1E)) == "SMTP":
            address = address or _text(self.props.get(0x0C1F))
        if not (name or address):
            from tnefparse import TNEF

            triple = self.attributes.get(TNEF.ATTFROM)  # (name, address type, address), the old way
            if isinstance(triple, tuple) and len(triple) == 3:
                name = _text(triple[0])
                address = _text(triple[2]) if (_text(triple[1]) or "").upper() == "SMTP" else None
        return party(name, address, PartyRole.SENDER)

    def _recipients(self) -> tuple[Party, ...]:
        from tnefparse import TNEF

        roles = {1: PartyRole.RECIPIENT, 2: PartyRole.CC}
        found = []
        for row in self.attributes.get(TNEF.ATTRECIPTABLE) or ():
            values = {prop.name: _value(prop) for prop in row if prop.name < 0x8000}
            role = roles.get(values.get(0x0C15) if isinstance(values.get(0x0C15), int) else 1)
            if role is None:
                continue
            address = _text(values.get(0x39FE))
            if not address and (_text(values.get(0x3002)) or "").upper() == "SMTP":
                address = _text(values.get(0x3003))
            found_party = party(_text(values.get(0x3001)), address, role)
            if found_party:
                found.append(found_party)
        return tuple(found)

    def _html(self) -> str | None:
        html = self.message.htmlbody
        if isinstance(html, bytes):
            html = html.decode(self.message.codepage or "cp1252", "replace")
        return html if isinstance(html, str) and html.strip() else None

    def _body(self, html: str | None) -> str:
        body = self.message.body
        if isinstance(body, bytes):
            body = body.decode(self.message.codepage or "cp1252", "replace")
        if isinstance(body, str) and body.strip("\x00 \r\n"):
            return body.replace("\x00", "")
        if html:
            return html_to_text(html)
        rtf = self._rtf()
        return rtf_to_text(rtf) if rtf else ""

    def _rtf(self) -> bytes | None:
        try:
            rtf = self.message.rtfbody
        except Exception as exc:  # compressed_rtf on a damaged stream
            log.debug("tnef rtf body unreadable: %s", type(exc).__name__)
            return None
        return rtf if isinstance(rtf, bytes) and rtf.startswith(b"{\\rtf") else None

    def _attachments(self, html: str | None) -> list[ReadAttachment]:
        shows = html or ""
        rtf = None
        found = []
        for number, attachment in enumerate(self.message.attachments, start=1):
            values = {prop.name: _value(prop) for prop in attachment.mapi_attrs if prop.name < 0x8000}
            embedded = getattr(attachment, "embed", None)
            if embedded is not None:
                data = _as_eml(embedded, self.name)
                subject = _text(_Reader(embedded, self.name, self.timezone).props.get(0x0037))
                found.append(ReadAttachment(f"{subject or f'Attached mail {number}'}.eml", data, "message/rfc822"))
                continue
            data = attachment.data if isinstance(attachment.data, bytes) else b""
            filename = (_text(values.get(0x3707)) or _text(_call(attachment.long_filename))
                        or _text(_call(lambda a=attachment: a.name)) or f"attachment {number}")
            content_id = (_text(values.get(0x3712)) or "").strip("<>")
            inline = bool(values.get(0x7FFE))  # PR_ATTACHMENT_HIDDEN
            if content_id and not inline:
                if not shows and rtf is None:
                    rtf = (self._rtf() or b"").decode("latin-1")
                inline = content_id in shows or content_id in (rtf or "")
            found.append(ReadAttachment(filename, data, _text(values.get(0x370E)), inline))
        return found


def _as_eml(message: Any, name: str) -> bytes:
    """An embedded TNEF message as an RFC 822 mail with its text and attachments."""
    item = _Reader(message, name, DEFAULT_TIMEZONE).read()
    mail = EmailMessage()
    if item.subject:
        mail["Subject"] = item.subject
    if item.sender:
        mail["From"] = formataddr((item.sender.name or "", item.sender.email or ""))
    for header, role in (("To", PartyRole.RECIPIENT), ("Cc", PartyRole.CC)):
        people = [formataddr((p.name or "", p.email or "")) for p in item.recipients if p.role is role]
        if people:
            mail[header] = ", ".join(people)
    if item.sent:
        mail["Date"] = format_datetime(item.sent)
    if item.message_id:
        mail["Message-ID"] = item.message_id
    mail.set_content(item.text or item.description or "")
    for attachment in item.attachments:
        maintype, _, subtype = (attachment.mime_type or "application/octet-stream").partition("/")
        if maintype == "message" and subtype == "rfc822":
            maintype, subtype = "application", "octet-stream"  # keep an inner mail as bytes, named .eml
        mail.add_attachment(attachment.data, maintype=maintype, subtype=subtype or "octet-stream",
                            filename=attachment.filename)
    return mail.as_bytes()


def _value(prop: Any) -> Any:
    try:
        return prop.data
    except Exception as exc:  # an odd property type in tnefparse
        log.debug("tnef property unreadable: %s", type(exc).__name__)
        return None


def _call(read: Any) -> Any:
    try:
        return read()
    except Exception:  # tnefparse decodes names with the default codec: a non-UTF-8 name fails
        return None


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("cp1252", "replace")
    if not isinstance(value, str):
        return None
    return value.replace("\x00", "").strip() or None


def _utc(value: object) -> datetime | None:
    """MAPI keeps times in UTC; tnefparse gives them without a time zone."""
    if not isinstance(value, datetime):
        return None
    if not 1900 < value.year < 4500:  # 4501-08-31 is MAPI's "none"
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt_timezone.utc)


def _message_id(value: object) -> str | None:
    text = _text(value)
    return "".join(text.split()) if text and "@" in text else None
