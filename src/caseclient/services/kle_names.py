"""Danish names of KLE numbers and action facets, as the details pane shows them.

No backend's case carries the KLE title (the protocol's Case has the number only), so the client
keeps the names itself: the main groups it already names in its tree (domain.kle), and the groups,
subjects and facets a caseworker meets most (KLE-online's titles). A number not in the table is
named by its nearest known parent (a subject by its group, a group by its main group); a number
whose main group is unknown has no name.
"""

from __future__ import annotations

from ..domain.kle import KLE_MAIN_GROUPS

GROUPS: dict[str, str] = {
    "00.01": "Kommunalbestyrelsen",
    "01.02": "Lokalplaner",
    "01.03": "Landzone",
    "02.00": "Byggeri",
    "02.34": "Byggesagsbehandling",
    "03.10": "Udlejning af boliger",
    "05.01": "Offentlige veje",
    "09.02": "Miljøtilsyn med virksomheder",
    "17.02": "Folkeskolen",
    "17.13": "Specialundervisning",
    "27.24": "Boligstøtte",
    "28.03": "Dagtilbud",
    "32.24": "Hjælp til forsørgelse",
}

SUBJECTS: dict[str, str] = {
    "00.01.00": "Kommunalbestyrelsen i almindelighed",
    "01.02.00": "Lokalplaner i almindelighed",
    "01.03.02": "Landzonetilladelser",
    "02.00.00": "Byggeri i almindelighed",
    "02.34.02": "Byggetilladelser",
    "03.10.00": "Udlejning af boliger i almindelighed",
    "05.01.00": "Offentlige veje i almindelighed",
    "09.02.00": "Miljøtilsyn med virksomheder",
    "17.02.00": "Folkeskolen i almindelighed",
    "17.13.00": "Specialundervisning",
    "27.24.00": "Boligstøtte i almindelighed",
    "27.24.02": "Boligsikring",
    "27.24.04": "Boligydelse",
    "28.03.00": "Dagtilbud i almindelighed",
    "32.24.04": "Hjælp til forsørgelse (kontanthjælp mv.)",
}

FACETS: dict[str, str] = {
    "G01": "Generelle sager",
    "G10": "Puljer og projekter",
    "P19": "Dispensation",
    "P20": "Klager",
    "P22": "Tilladelse",
    "P24": "Ansøgning om ydelse",
}


def kle_title(number: str) -> str | None:
    """The Danish name of a KLE main group, group or subject number (`27`, `27.24`, `27.24.00`)."""
    number = number.strip()
    return (SUBJECTS.get(number) or GROUPS.get(number[:5]) or KLE_MAIN_GROUPS.get(number[:2])) if number else None


def facet_title(code: str) -> str | None:
    return FACETS.get(code.strip().upper())
