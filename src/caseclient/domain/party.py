"""Parties to a case or a document: persons (CPR), companies (CVR), mail addresses, names."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .identifiers import Cpr, Cvr


class PartyRole(str, enum.Enum):
    PRIMARY = "primary"
    INVOLVED = "involved"
    SENDER = "sender"
    RECIPIENT = "recipient"
    CC = "cc"


@dataclass(frozen=True, slots=True)
class Party:
    """Someone a case or document concerns. At least one of the fields identifies them."""

    name: str | None = None
    cpr: Cpr | None = None
    cvr: Cvr | None = None
    email: str | None = None
    role: PartyRole = PartyRole.INVOLVED

    def __post_init__(self) -> None:
        if not (self.name or self.cpr or self.cvr or self.email):
            raise ValueError("a party needs a name, CPR, CVR or mail address")

    @property
    def label(self) -> str:
        """How a person reads this party: never a full CPR number."""
        ident = self.name or self.email or (str(self.cvr) if self.cvr else None) or str(self.cpr)
        if self.email and self.name:
            return f"{self.name} <{self.email}>"
        return ident

    def with_role(self, role: PartyRole) -> "Party":
        return Party(self.name, self.cpr, self.cvr, self.email, role)
