"""The single source of truth for entity labels, incident types and relation types.

Every other module (corpus validator, converters, components, exporters for
annotation tools) reads its label sets from here. Changing a label means
changing it here, in ``corpus/GUIDELINES.md`` and in the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

# --- Entity labels -----------------------------------------------------------------

DRIVER: Final = "DRIVER"
TEAM: Final = "TEAM"
CAR: Final = "CAR"
INCIDENT: Final = "INCIDENT"
RACE: Final = "RACE"
TRACK: Final = "TRACK"
SERIES: Final = "SERIES"
CLASS: Final = "CLASS"

ENTITY_LABELS: Final[tuple[str, ...]] = (DRIVER, TEAM, CAR, INCIDENT, RACE, TRACK, SERIES, CLASS)

ENTITY_DESCRIPTIONS: Final = MappingProxyType(
    {
        DRIVER: "A driver or rider, by full name, surname or nickname (also co-drivers).",
        TEAM: "A team or entrant, including works teams named by manufacturer.",
        CAR: "A car or bike as raced: make, model or the entry ('Ferrari F458 Italia', 'HPD').",
        INCIDENT: "Something that went wrong or changed the race; carries an incident type.",
        RACE: "A named race or event ('12 Stunden von Sebring', 'Großer Preis von Monaco').",
        TRACK: "A circuit, stage or venue ('Sebring', 'Nordschleife', 'Eau Rouge').",
        SERIES: "A championship or series ('ALMS', 'Formel 1', 'DTM').",
        CLASS: "A class or category within a race or series ('LMP2', 'GTC', 'Moto3').",
    }
)

# --- Incident types -------------------------------------------------------------------

INCIDENT_TYPES: Final[tuple[str, ...]] = (
    "CRASH",
    "SPIN",
    "PUNCTURE",
    "MECHANICAL",
    "VIOLATION",
    "PENALTY",
    "RETIREMENT",
    "NEUTRALISATION",
)

INCIDENT_TYPE_DESCRIPTIONS: Final = MappingProxyType(
    {
        "CRASH": "Contact with a barrier, wall or another car ('Unfall', 'Kollision').",
        "SPIN": "A spin or slide off without heavy contact ('Dreher', 'rutschte ins Kiesbett').",
        "PUNCTURE": "A tyre failure ('Reifenschaden', 'Plattfuß', 'schleichender Plattfuß').",
        "MECHANICAL": "A technical defect ('Getriebeschaden', 'Motorprobleme', 'Defekt').",
        "VIOLATION": "The offence ('zu schnell in der Boxengasse', 'Frühstart', 'Track Limits').",
        "PENALTY": "The sanction ('Durchfahrtsstrafe', 'Zeitstrafe', 'Disqualifikation').",
        "RETIREMENT": "Leaving the race for good ('Ausfall', 'musste aufgeben', 'schied aus').",
        "NEUTRALISATION": "Safety car, full-course yellow, code 60, red flag ('Safety-Car').",
    }
)

# --- Relation types -------------------------------------------------------------------


@dataclass(frozen=True)
class RelationType:
    """A directed relation type and the entity labels its arguments may carry."""

    name: str
    heads: frozenset[str]
    tails: frozenset[str]
    description: str

    def allows(self, head_label: str, tail_label: str) -> bool:
        """Whether a relation of this type may go from ``head_label`` to ``tail_label``."""
        return head_label in self.heads and tail_label in self.tails


_PARTICIPANTS = frozenset({DRIVER, CAR, TEAM})

RELATION_TYPES: Final = MappingProxyType(
    {
        rt.name: rt
        for rt in (
            RelationType(
                "DRIVES_FOR",
                frozenset({DRIVER}),
                frozenset({TEAM}),
                "The driver races for the team.",
            ),
            RelationType(
                "DRIVES", frozenset({DRIVER}), frozenset({CAR}), "The driver drives the car."
            ),
            RelationType(
                "ENTERED_BY",
                frozenset({CAR}),
                frozenset({TEAM}),
                "The car is entered or run by the team.",
            ),
            RelationType(
                "INVOLVED",
                frozenset({INCIDENT}),
                _PARTICIPANTS,
                "The participant suffered or caused the incident.",
            ),
            RelationType(
                "BENEFITED",
                frozenset({INCIDENT}),
                _PARTICIPANTS,
                "The participant profited from the incident.",
            ),
            RelationType(
                "CAUSES",
                frozenset({INCIDENT}),
                frozenset({INCIDENT}),
                "One incident led to another (violation -> penalty, crash -> retirement).",
            ),
            RelationType(
                "WINS",
                frozenset({DRIVER, TEAM, CAR}),
                frozenset({RACE, CLASS, SERIES}),
                "The participant won the race, class or title.",
            ),
        )
    }
)

RELATION_LABELS: Final[tuple[str, ...]] = tuple(RELATION_TYPES)

# --- Document metadata ------------------------------------------------------------------

REGISTERS: Final[tuple[str, ...]] = (
    "news",
    "ticker",
    "press_release",
    "results",
    "season_review",
    "practice_report",
    "preview",
    "stage_report",
    "club_report",
    "encyclopedic",
    "fan_report",
)
"""Text types: race report, live ticker, press release, results notice, season review,
practice/qualifying report, preview, rally stage report, club report, encyclopedic
summary (a race, season or career told the way an encyclopedia tells it), fan report
(a spectator's blog or forum post)."""

LENGTHS: Final[tuple[str, ...]] = ("short", "long")
"""``short``: a paragraph-sized report (the first corpus); ``long``: a whole article,
written the way outlets write them (mixed content, quotes, standings), usually 250 to 900
words."""

LANGUAGES: Final[tuple[str, ...]] = ("de", "en", "fr")

# spaCy keys under which documents carry corpus annotations beyond ``doc.ents``.
INCIDENT_SPANS_KEY: Final = "incident_types"
"""``doc.spans`` key: one span per INCIDENT entity, labelled with its incident type."""

GENERIC_SPANS_KEY: Final = "generic_ents"
"""``doc.spans`` key (default) where the generic tagger or generic entities component
writes the base's PER/LOC/ORG entities."""
