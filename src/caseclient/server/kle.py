"""KLE (Kommunernes Landsforening's Emnesystematik) numbers the demo data uses: main groups,
subjects and action facets with their Danish titles."""

from __future__ import annotations

MAIN_GROUPS: dict[str, str] = {
    "00": "Kommunens styrelse",
    "01": "Fysisk planlægning og naturbeskyttelse",
    "02": "Byggeri",
    "03": "Boliger, lokaler, udlejning",
    "05": "Veje og trafik",
    "09": "Miljøbeskyttelse",
    "17": "Undervisning og uddannelse",
    "27": "Sociale ydelser",
    "28": "Børn og unge",
    "32": "Kontante ydelser",
}

# subject number -> (title, title templates for cases on it; {name} is the main party's name)
SUBJECTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "00.01.00": ("Kommunalbestyrelsen i almindelighed",
                 ("Henvendelse til kommunalbestyrelsen - {name}", "Borgerforslag - {name}")),
    "01.02.00": ("Lokalplaner i almindelighed",
                 ("Høringssvar til lokalplanforslag - {name}", "Indsigelse mod lokalplan - {name}")),
    "01.03.02": ("Landzonetilladelser",
                 ("Ansøgning om landzonetilladelse - {name}",)),
    "02.00.00": ("Byggeri i almindelighed",
                 ("Forespørgsel om byggeri - {name}",)),
    "02.34.02": ("Byggetilladelser",
                 ("Ansøgning om byggetilladelse til carport - {name}",
                  "Ansøgning om byggetilladelse til tilbygning - {name}",
                  "Ansøgning om byggetilladelse til udestue - {name}")),
    "03.10.00": ("Udlejning af boliger i almindelighed",
                 ("Anvisning af bolig - {name}", "Klage over boligforhold - {name}")),
    "05.01.00": ("Offentlige veje i almindelighed",
                 ("Ansøgning om gravetilladelse - {name}", "Klage over vejbelysning - {name}")),
    "09.02.00": ("Miljøtilsyn med virksomheder",
                 ("Miljøtilsyn - {name}", "Klage over støj fra virksomhed - {name}")),
    "17.02.00": ("Folkeskolen i almindelighed",
                 ("Ansøgning om skoleskift - {name}", "Ansøgning om frikøb fra skolegang - {name}")),
    "17.13.00": ("Specialundervisning",
                 ("Visitation til specialundervisning - {name}",)),
    "27.24.00": ("Boligstøtte i almindelighed",
                 ("Ansøgning om boligstøtte - {name}", "Genberegning af boligstøtte - {name}",
                  "Klage over afgørelse om boligstøtte - {name}")),
    "27.24.02": ("Boligsikring",
                 ("Ansøgning om boligsikring - {name}",)),
    "27.24.04": ("Boligydelse",
                 ("Ansøgning om boligydelse - {name}",)),
    "28.03.00": ("Dagtilbud i almindelighed",
                 ("Ansøgning om plads i dagtilbud - {name}", "Ansøgning om fripladstilskud - {name}")),
    "32.24.04": ("Hjælp til forsørgelse (kontanthjælp mv.)",
                 ("Ansøgning om kontanthjælp - {name}", "Ansøgning om enkeltydelse - {name}")),
}

# How often each subject occurs in the demo data, in percent.
SUBJECT_WEIGHTS: dict[str, int] = {
    "00.01.00": 4, "01.02.00": 5, "01.03.02": 5, "02.00.00": 6, "02.34.02": 12, "03.10.00": 5,
    "05.01.00": 7, "09.02.00": 6, "17.02.00": 9, "17.13.00": 5, "27.24.00": 6, "27.24.02": 3,
    "27.24.04": 2, "28.03.00": 10, "32.24.04": 15,
}

FACETS: dict[str, str] = {
    "G01": "Generelle sager",
    "G10": "Puljer og projekter",
    "P19": "Dispensation",
    "P20": "Klager",
    "P22": "Tilladelse",
    "P24": "Ansøgning om ydelse",
}


def groups() -> dict[str, str]:
    """Group numbers (`27.24`) with the title of their first subject's theme."""
    found: dict[str, str] = {}
    for number, (title, _) in SUBJECTS.items():
        found.setdefault(number[:5], title.removesuffix(" i almindelighed"))
    return found
