"""Danish identifiers: CPR (persons), CVR (companies), KLE classification.

A CPR number is personal data: its ``str`` and ``repr`` show only the date part, and the full
digits are reachable only through :attr:`Cpr.digits`, on purpose and greppable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_CPR_SHAPE = re.compile(r"^(\d{6})-?(\d{4})$")
_CVR_SHAPE = re.compile(r"^\d{8}$")
_CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)

# A CPR-looking run of digits in free text: 6 digits, optional hyphen or space, 4 digits,
# not glued to other digits. Whether it is a CPR number is decided by `cpr_birth_date`.
CPR_IN_TEXT = re.compile(r"(?<![\d-])(\d{6})[- ]?(\d{4})(?![\d-])")

# What redaction masks: wider than what detection reads as a CPR number, because a mask costs
# nothing and a miss leaks. A CPR number touching hyphens, dashes, underscores or letters
# (`2024-070761-4285.pdf`, `070761-4285-notat`, `scan_0707614285`), split by an en dash, an
# underscore, a plus or a percent-encoded separator (`070761%2D4285`), or right after a
# percent-encoded character in a URL (`%20070761-4285`).
_MASK_SEPARATOR = (r"(?:[-\u00ad\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d _+]|"
                   r"%(?:2[dD]|20|5[fF]|2[bB])|%[eE]2%80%9[0-5]|%[eE]2%88%92)?")
CPR_TO_MASK = re.compile(r"(?:(?<=%[0-9A-Fa-f]{2})|(?<!\d))(\d{6})" + _MASK_SEPARATOR + r"(\d{4})(?!\d)")


def cpr_birth_date(first6: str, last4: str) -> date | None:
    """The birth date a CPR number encodes, or None when the digits form no valid date.

    The century follows from the 7th digit (the CPR office's table). Modulus-11 is not checked:
    numbers issued since 2007 need not satisfy it.
    """
    day, month, yy = int(first6[0:2]), int(first6[2:4]), int(first6[4:6])
    digit7 = int(last4[0])
    if digit7 <= 3:
        century = 1900
    elif digit7 in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:  # 5-8
        century = 2000 if yy <= 57 else 1800
    try:
        return date(century + yy, month, day)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Cpr:
    """A format-checked CPR number (10 digits, the first six a valid date)."""

    digits: str

    def __post_init__(self) -> None:
        m = _CPR_SHAPE.match(self.digits)
        if not m or cpr_birth_date(m.group(1), m.group(2)) is None:
            raise ValueError("not a valid CPR number (DDMMYY-XXXX with a real date)")
        object.__setattr__(self, "digits", m.group(1) + m.group(2))

    @classmethod
    def parse(cls, text: str) -> "Cpr":
        return cls(text.strip())

    @property
    def birth_date(self) -> date:
        found = cpr_birth_date(self.digits[:6], self.digits[6:])
        assert found is not None
        return found

    @property
    def masked(self) -> str:
        return f"{self.digits[:6]}-xxxx"

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"Cpr('{self.masked}')"


@dataclass(frozen=True, slots=True)
class Cvr:
    """A CVR number: 8 digits with a valid modulus-11 check digit."""

    digits: str

    def __post_init__(self) -> None:
        value = self.digits.replace(" ", "")
        if not _CVR_SHAPE.match(value) or value[0] == "0":
            raise ValueError("not a valid CVR number (8 digits)")
        if sum(int(d) * w for d, w in zip(value, _CVR_WEIGHTS)) % 11:
            raise ValueError("not a valid CVR number (check digit)")
        object.__setattr__(self, "digits", value)

    @classmethod
    def parse(cls, text: str) -> "Cvr":
        text = text.strip()
        if text.upper().startswith("DK"):
            text = text[2:]
        return cls(text)

    def __str__(self) -> str:
        return self.digits

    def __repr__(self) -> str:
        return f"Cvr('{self.digits}')"


def is_cpr(text: str) -> bool:
    try:
        Cpr(text)
    except ValueError:
        return False
    return True


def is_cvr(text: str) -> bool:
    try:
        Cvr.parse(text)
    except ValueError:
        return False
    return True


def redact_cprs(text: str) -> str:
    """Replace every CPR number in free text by its masked form: with or without a hyphen, touching
    other characters, percent-encoded (CPR_TO_MASK)."""

    def _mask(m: re.Match[str]) -> str:
        if cpr_birth_date(m.group(1), m.group(2)) is None:
            return m.group(0)
        return f"{m.group(1)}-xxxx"

    return CPR_TO_MASK.sub(_mask, text)


def find_cprs(text: str) -> list[Cpr]:
    """Every distinct valid CPR number in free text, in order of first appearance."""
    found: dict[str, Cpr] = {}
    for m in CPR_IN_TEXT.finditer(text):
        if cpr_birth_date(m.group(1), m.group(2)) is not None:
            cpr = Cpr(m.group(1) + m.group(2))
            found.setdefault(cpr.digits, cpr)
    return list(found.values())


_KLE_NUMBER = re.compile(r"^\d{2}(\.\d{2}){0,2}$")
_KLE_FACET = re.compile(r"^[A-Z]\d{2}$")


def is_kle_number(text: str) -> bool:
    """KLE subject numbers: a main group `27`, a group `27.24` or a subject `27.24.00`."""
    return bool(_KLE_NUMBER.match(text))


def is_kle_facet(text: str) -> bool:
    """KLE action facets (handlingsfacetter) such as `G01`."""
    return bool(_KLE_FACET.match(text))
