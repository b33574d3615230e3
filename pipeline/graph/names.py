"""Language-independent keys for entity names, so that one driver, team or series
reported in German, English and French becomes one node of the corpus graph.

``name_key`` folds what differs between languages and spellings, not what differs
between entities: case, accents (``Pérez`` / ``Perez``), hyphens used in German
compounds (``Red-Bull`` / ``Red Bull``), an English possessive (``Verstappen's``) or a
French elision (``l'Alpine``) left on a mention, and, for series, the translated names
of :data:`SERIES_ALIASES` (``Formel 1`` / ``Formula 1`` / ``Formule 1``).
"""

from __future__ import annotations

import re
import unicodedata
from types import MappingProxyType
from typing import Final

from racereport import schema

SERIES_ALIASES: Final = MappingProxyType(
    {
        "formel 1": "formula 1",
        "formule 1": "formula 1",
        "f1": "formula 1",
        "formel 2": "formula 2",
        "formule 2": "formula 2",
        "f2": "formula 2",
        "formel 3": "formula 3",
        "formule 3": "formula 3",
        "f3": "formula 3",
        "formel e": "formula e",
        "formule e": "formula e",
        "langstrecken-wm": "wec",
        "langstrecken wm": "wec",
        "championnat du monde d'endurance": "wec",
        "world endurance championship": "wec",
        "rallye-wm": "wrc",
        "rallye wm": "wrc",
        "championnat du monde des rallyes": "wrc",
        "world rally championship": "wrc",
        "superbike-wm": "worldsbk",
        "superbike wm": "worldsbk",
        "superbike": "worldsbk",
        "wsbk": "worldsbk",
    }
)
"""Translated or abbreviated series names (already folded) -> one key."""

_ELISION = re.compile(r"^(?:l|d|qu)['’]", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-‐‑–_]+")


def fold(text: str) -> str:
    """Case, accents, hyphens, possessive and elision folded: ``l'Alpine`` -> ``alpine``,
    ``Red-Bull`` -> ``red bull``, ``Pérez's`` -> ``perez``."""
    text = _ELISION.sub("", text.strip())
    text = _POSSESSIVE.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", plain.casefold().replace("ß", "ss")).strip()


def name_key(label: str, name: str) -> str:
    """The key under which nodes of ``label`` named ``name`` merge across documents and
    languages (a car's ordinal qualifier after ``#`` is kept)."""
    base, sep, qualifier = name.partition("#")
    key = fold(base)
    if label == schema.SERIES:
        key = SERIES_ALIASES.get(key, key)
    return f"{label}:{key}{sep}{qualifier}"
