"""Find likely missed annotations: surfaces annotated somewhere but bare elsewhere.

Annotators miss mentions. A string that the corpus annotates as an entity in one
place and leaves bare in another is either a missed annotation or a deliberate
exception (a negated incident, a person who is not a driver); a person decides.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from racereport.records import Document

MIN_LENGTH = 3


@dataclass(frozen=True)
class Suspect:
    """A bare occurrence of a string that is annotated elsewhere in the corpus."""

    doc_id: str
    start: int
    end: int
    text: str
    labels: tuple[str, ...]

    def __str__(self) -> str:
        return f"[{self.doc_id}] {self.start}-{self.end} {self.text!r} ({'|'.join(self.labels)})"


def find_suspects(docs: Sequence[Document], min_length: int = MIN_LENGTH) -> list[Suspect]:
    """Bare, whole-word occurrences of annotated surfaces (at least ``min_length`` chars)."""
    labels: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        for ent in doc.entities:
            if len(ent.text) >= min_length:
                labels[ent.text].add(ent.label)
    if not labels:
        return []
    alternation = "|".join(re.escape(s) for s in sorted(labels, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")
    suspects: list[Suspect] = []
    for doc in docs:
        covered = _covered(doc.entities)
        for match in pattern.finditer(doc.text):
            if not any(i in covered for i in range(match.start(), match.end())):
                suspects.append(
                    Suspect(
                        doc.id,
                        match.start(),
                        match.end(),
                        match.group(),
                        tuple(sorted(labels[match.group()])),
                    )
                )
    return suspects


def _covered(entities: Iterable) -> set[int]:
    return {i for ent in entities for i in range(ent.start, ent.end)}


INCIDENT_VERB_PATTERNS: dict[str, tuple[str, ...]] = {
    "de": (
        # retirements (separable verbs: the finite verb with its particle in the clause)
        r"(?:schied|schieden|scheidet|scheiden)(?=[^.!?;:]{0,80}\baus\b)",
        r"(?:rollt|rollte|rollten)(?=[^.!?;:]{0,60}\baus\b)",
        r"(?:fiel|fielen|fällt|fallen)(?=[^.!?;:]{0,60}\baus(?!\s+den\b)\b)",
        r"(?:gab|gibt|geben)\s+auf",
        r"[Aa]usgeschieden",
        r"aufgeben|aufgegeben",
        # contact, crashes, spins
        r"kollidierte|kollidierten|kollidiert",
        r"touchierte|touchierten|touchiert",
        r"krachte|krachten|kracht|gekracht",
        r"knallte|knallt|geknallt",
        r"crashte|crasht|gecrasht",
        r"stürzte|stürzten|stürzt|gestürzt",
        r"überschlug|überschlägt",
        r"verunfallte|verunfallt|verunglückte",
        r"flog|flogen|fliegt|abgeflogen",
        r"(?:drehte|dreht|drehten)\s+sich",
        r"verbremste|verbremst",
    ),
    "en": (
        r"retired|retires|retiring",
        r"crashed|crashes",
        r"spun|spins",
        r"collided|collides",
        r"wrecked",
        r"hit the wall",
        r"went off",
    ),
}
"""Per language, verb forms that usually tell an incident (the rule of
``corpus/GUIDELINES.md``: incidents told by a verb are annotated like nouns).
Figurative uses ("wir haben nie aufgegeben", "Rovanperä fliegt") and non-race senses
are expected among the hits: a person decides."""


def find_unannotated_incident_verbs(docs: Sequence[Document]) -> list[Suspect]:
    """Occurrences of :data:`INCIDENT_VERB_PATTERNS` (the document's language) outside
    every INCIDENT span: incidents told by a verb that the annotation may have missed."""
    return _pattern_suspects(docs, INCIDENT_VERB_PATTERNS, "INCIDENT", r"(?<!\w)", {"INCIDENT"})


def _pattern_suspects(
    docs: Sequence[Document],
    patterns: dict[str, tuple[str, ...]],
    label: str,
    left: str,
    covering: set[str] | None,
) -> list[Suspect]:
    """Matches of the document language's ``patterns`` (after the ``left`` boundary, before
    a non-word character) that overlap no entity of the ``covering`` labels (None: none
    at all), as suspects of ``label``."""
    compiled = {
        lang: re.compile(left + r"(?:" + "|".join(alternatives) + r")(?!\w)")
        for lang, alternatives in patterns.items()
    }
    suspects: list[Suspect] = []
    for doc in docs:
        pattern = compiled.get(doc.lang)
        if pattern is None:
            continue
        covered = _covered(e for e in doc.entities if covering is None or e.label in covering)
        for match in pattern.finditer(doc.text):
            if not any(i in covered for i in range(match.start(), match.end())):
                suspects.append(
                    Suspect(doc.id, match.start(), match.end(), match.group(), (label,))
                )
    return suspects


_NOT_A_NAME = (
    r"(?!(?:Die|Der|Das|Diese|Dieser|Dieses|Den|Dem|Des|Ein|Eine|Im|Am|Zum|Zur|Beim"
    r"|The|This|That|A|An|Its|Their)\s)"
)
"""Capitalised words that begin a sentence, not a name."""

SERIES_NAME_PATTERNS: dict[str, tuple[str, ...]] = {
    "de": (
        # a qualified championship or cup joined by a hyphen: "Rallye-Europameisterschaft",
        # "Tourenwagen-Europameisterschaft", "Sprint-Cup", "CanAm-Serie"
        r"[A-ZÄÖÜ][\w]*(?:-[\w]+)*-(?:[A-Za-zäöü]*meisterschaft|Cups?|Trophy|Serie|Pokals?)",
        # a name of several words ending in one: "Porsche Carrera Cup", "Endurance Cup"
        _NOT_A_NAME + r"(?:[A-ZÄÖÜ][\w'&-]*\s){1,4}(?:Cups?|Trophy|Series|Championship)",
    ),
    "en": (_NOT_A_NAME + r"(?:[A-Z][\w'&-]*\s){1,4}(?:Championship|Series|Cup|Trophy)",),
}
"""Per language, forms of championship names (the guidelines annotate a named series as
SERIES, a qualified "-meisterschaft" compound whole and a "[Formel-1]-Weltmeisterschaft"
compound on its series part; "WM", "Weltmeisterschaft" or "Cup" alone stay bare). A
match is listed only where it overlaps no entity at all; generic words ("Clubmeisterschaft",
"the Championship Race") are expected among the hits: a person decides."""


def find_bare_series_names(docs: Sequence[Document]) -> list[Suspect]:
    """Occurrences of :data:`SERIES_NAME_PATTERNS` (the document's language) that overlap
    no entity: championship names the annotation may have left bare."""
    return _pattern_suspects(docs, SERIES_NAME_PATTERNS, "SERIES", r"(?<![\w-])", None)
