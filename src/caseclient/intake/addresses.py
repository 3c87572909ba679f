"""Mail addresses as domain parties."""

from __future__ import annotations

from email.utils import getaddresses, parseaddr

from ..domain import Party, PartyRole


def party(name: str | None, address: str | None, role: PartyRole) -> Party | None:
    """A party from a display name and an address; None when both are empty.

    Exchange-internal addresses (no @) and names that only repeat the address are dropped.
    """
    name = (name or "").replace("\x00", "").strip().strip('"').strip() or None
    address = (address or "").replace("\x00", "").strip().strip("<>").strip() or None
    if address and "@" not in address:
        address = None  # an Exchange-internal (X.500) address
    if not address and name and "@" in name and " " not in name:
        name, address = None, name  # the only address given was put in the name
    if name and address and name.lower() == address.lower():
        name = None
    if not (name or address):
        return None
    return Party(name=name, email=address.lower() if address else None, role=role)


def parse_one(value: str | None, role: PartyRole) -> Party | None:
    if not value:
        return None
    name, address = parseaddr(str(value).replace("\x00", ""))
    return party(name, address, role)


def parse_many(values: list[str], role: PartyRole) -> tuple[Party, ...]:
    found = (party(name, address, role) for name, address in getaddresses([str(v) for v in values if v]))
    return tuple(p for p in found if p)
