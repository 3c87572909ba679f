"""Photos and scans: the date a picture was taken, from its EXIF data (Pillow).

DateTimeOriginal (with OffsetTimeOriginal when the camera wrote one), else DateTimeDigitized, is
when the picture was taken; IFD0's DateTime is when the file was last saved. A capture date later
than the save date, or in the future, comes from a camera whose clock was never set: the save date
is proposed instead, with a warning. EXIF that cannot be read costs the date only.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .files import shown
from .model import ReadItem

log = logging.getLogger(__name__)

EXIF_TYPES = frozenset({"image/jpeg", "image/tiff", "image/png", "image/webp", "image/heic", "image/heif"})
_EXIF_IFD = 0x8769
_DATETIME = 0x0132  # IFD0: when the file was saved
_DATETIME_ORIGINAL = 0x9003
_DATETIME_DIGITIZED = 0x9004
_OFFSET_TIME_ORIGINAL = 0x9011
_OFFSET_TIME_DIGITIZED = 0x9012
_EXIF_DATE = re.compile(r"^\s*(\d{4})[:\-](\d{2})[:\-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")
_CLOCK_SLACK = timedelta(days=1)  # saved "before" taken by less than this is time-zone noise


@dataclass(frozen=True, slots=True)
class PhotoDates:
    taken: datetime | None = None  # as the camera says
    saved: datetime | None = None


def add_photo_date(read: ReadItem, path: Path, *, now: datetime | None = None) -> None:
    """The date the picture was taken (or saved, when the camera's clock was wrong), into what was read."""
    try:
        dates = photo_dates(path)
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds on damaged EXIF; the picture stays
        log.info("exif unreadable in %s: %s", shown(path), type(exc).__name__)
        return
    read.created, warning = choose_date(dates, now or datetime.now(timezone.utc))
    if warning:
        read.warnings.append(f"{shown(path)}: {warning}")


def photo_dates(path: Path) -> PhotoDates:
    from PIL import Image  # loaded on the first picture: keeps the app's start-up small

    with warnings.catch_warnings(action="ignore"), Image.open(path) as image:  # damaged EXIF: Pillow warns
        exif = image.getexif()
        details = exif.get_ifd(_EXIF_IFD)
    taken = (_exif_datetime(details.get(_DATETIME_ORIGINAL), details.get(_OFFSET_TIME_ORIGINAL))
             or _exif_datetime(details.get(_DATETIME_DIGITIZED), details.get(_OFFSET_TIME_DIGITIZED)))
    return PhotoDates(taken=taken, saved=_exif_datetime(exif.get(_DATETIME), None))


def choose_date(dates: PhotoDates, now: datetime) -> tuple[datetime | None, str | None]:
    """The date to propose, and a warning when the camera's date was not believed."""
    taken, saved = dates.taken, dates.saved
    if taken is None:
        return saved, None
    if saved is not None and _naive(taken) > _naive(saved) + _CLOCK_SLACK:
        return saved, (f"the camera dates the picture {taken:%Y-%m-%d}, after the file was saved "
                       f"({saved:%Y-%m-%d}); its clock was wrong, so the save date is proposed.")
    if _naive(taken) > _naive(now) + _CLOCK_SLACK:
        return saved, (f"the camera dates the picture {taken:%Y-%m-%d}, in the future; its clock was wrong, so "
                       + ("the save date is proposed." if saved else "the file's date is proposed."))
    return taken, None


def _exif_datetime(value: object, offset: object) -> datetime | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    match = _EXIF_DATE.match(value) if isinstance(value, str) else None
    if not match:
        return None
    try:
        when = datetime(*(int(part) for part in match.groups()))
    except ValueError:  # "0000:00:00 00:00:00" from cameras without a clock
        return None
    if when.year < 1970:
        return None
    zone = _OFFSET.match(offset.decode("ascii", "replace") if isinstance(offset, bytes) else offset or "") \
        if isinstance(offset, (str, bytes)) else None
    if zone:
        sign, hours, minutes = zone.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes))
        if delta < timedelta(hours=24):
            when = when.replace(tzinfo=timezone(-delta if sign == "-" else delta))
    return when


def _naive(when: datetime) -> datetime:
    """Local wall-clock time: EXIF dates without an offset are the camera's local time."""
    return when.replace(tzinfo=None)
