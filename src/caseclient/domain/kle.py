"""KLE (Kommunernes Landsforenings Emnesystematik): main group titles for display."""

from __future__ import annotations

# Main groups (hovedgrupper) that caseclient names in its tree; an unknown one shows its number only.
KLE_MAIN_GROUPS: dict[str, str] = {
    "00": "Kommunens styrelse",
    "01": "Fysisk planlægning og naturbeskyttelse",
    "02": "Byggeri",
    "03": "Boliger",
    "04": "Offentlige anlæg og naturområder",
    "05": "Veje og trafik",
    "09": "Miljøbeskyttelse",
    "15": "Redningsberedskab",
    "16": "Befolkningsregistrering",
    "17": "Undervisning og uddannelse",
    "27": "Social service",
}


def kle_main_group_title(number: str) -> str | None:
    """The title of a KLE main group, from its two digits or any number under it (27.24.00)."""
    return KLE_MAIN_GROUPS.get(number[:2])
