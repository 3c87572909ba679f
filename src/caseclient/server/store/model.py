"""The OIO object classes the reference service serves, as LoRa 1.10.0 defines them.

Only the three classes caseclient uses: Sag (sag/sag), Dokument (dokument/dokument) and Klasse
(klassifikation/klasse). Each lists its attribute fields (with LoRa's types and mandatory flags),
its states and their allowed values, and its relations by cardinality.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OFFENTLIGHEDUNDTAGET = "offentlighedundtaget"


@dataclass(frozen=True, eq=False)
class OioClass:
    service: str  # URL segment, e.g. "sag"
    name: str  # URL segment and LoRa class name in lower case, e.g. "sag"
    title: str  # LoRa's class name, e.g. "Sag"
    attributes: dict[str, str]  # field -> type: text, boolean, int, date, offentlighedundtaget, text[]
    mandatory: tuple[str, ...]
    states: dict[str, tuple[str, ...]]  # state field -> allowed values
    relations_one: tuple[str, ...]  # cardinality 0..1
    relations_many: tuple[str, ...]  # cardinality 0..n
    indexed_relations: bool = False  # 0..n relations carry `indeks` (Sag)
    has_variants: bool = False  # Dokument: varianter with file parts
    extra_search_fields: tuple[str, ...] = field(default=())

    @property
    def attribute_group(self) -> str:
        return f"{self.name}egenskaber"

    def state_group(self, state: str) -> str:
        return f"{self.name}{state}"

    @property
    def relation_names(self) -> tuple[str, ...]:
        return self.relations_one + self.relations_many

    @property
    def path(self) -> str:
        return f"/{self.service}/{self.name}"


SAG = OioClass(
    service="sag",
    name="sag",
    title="Sag",
    attributes={
        "brugervendtnoegle": "text",
        "afleveret": "boolean",
        "beskrivelse": "text",
        "hjemmel": "text",
        "kassationskode": "text",
        OFFENTLIGHEDUNDTAGET: OFFENTLIGHEDUNDTAGET,
        "principiel": "boolean",
        "sagsnummer": "text",
        "titel": "text",
        "integrationsdata": "text",
    },
    mandatory=("beskrivelse", "brugervendtnoegle", "kassationskode", "sagsnummer", "titel"),
    states={"fremdrift": ("Opstaaet", "Oplyst", "Afgjort", "Bestilt", "Udfoert", "Afsluttet")},
    relations_one=(
        "behandlingarkiv", "afleveringsarkiv", "primaerklasse", "opgaveklasse", "handlingsklasse",
        "kontoklasse", "sikkerhedsklasse", "foelsomhedsklasse", "indsatsklasse", "ydelsesklasse",
        "ejer", "ansvarlig", "primaerbehandler", "udlaanttil", "primaerpart", "ydelsesmodtager",
        "oversag", "praecedens", "afgiftsobjekt", "ejendomsskat",
    ),
    relations_many=(
        "andetarkiv", "andrebehandlere", "sekundaerpart", "andresager", "byggeri", "fredning",
        "journalpost",
    ),
    indexed_relations=True,
)

DOKUMENT = OioClass(
    service="dokument",
    name="dokument",
    title="Dokument",
    attributes={
        "brugervendtnoegle": "text",
        "beskrivelse": "text",
        "brevdato": "date",
        "kassationskode": "text",
        "major": "int",
        "minor": "int",
        OFFENTLIGHEDUNDTAGET: OFFENTLIGHEDUNDTAGET,
        "titel": "text",
        "dokumenttype": "text",
        "integrationsdata": "text",
    },
    mandatory=("beskrivelse", "brevdato", "brugervendtnoegle", "dokumenttype", "titel"),
    states={
        "fremdrift": (
            "Modtaget", "Fordelt", "Underudarbejdelse", "Underreview", "Publiceret", "Endeligt",
            "Afleveret",
        )
    },
    relations_one=("nyvaerdi", "primaerklasse", "ejer", "ansvarlig", "primaerbehandler",
                   "fordelingsmodtager"),
    relations_many=(
        "arkiver", "besvarelser", "udgangspunkter", "kommentarer", "bilag", "andredokumenter",
        "andreklasser", "andrebehandlere", "parter", "kopiparter", "tilknyttedesager",
    ),
    has_variants=True,
    extra_search_fields=("varianttekst", "deltekst"),
)

KLASSE = OioClass(
    service="klassifikation",
    name="klasse",
    title="Klasse",
    attributes={
        "brugervendtnoegle": "text",
        "beskrivelse": "text",
        "eksempel": "text",
        "omfang": "text",
        "titel": "text",
        "retskilde": "text",
        "aendringsnotat": "text",
        "integrationsdata": "text",
    },
    mandatory=("brugervendtnoegle", "titel"),
    states={"publiceret": ("Publiceret", "IkkePubliceret")},
    relations_one=("ejer", "ansvarlig", "overordnetklasse", "facet"),
    relations_many=("redaktoerer", "sideordnede", "mapninger", "tilfoejelser", "erstatter",
                    "lovligekombinationer"),
)

CLASSES: dict[str, OioClass] = {c.path: c for c in (SAG, DOKUMENT, KLASSE)}
