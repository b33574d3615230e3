"""Figures that say how well a pipeline will do on text it was not written for.

The random test split is written in the voice of the training data, so it flatters a
model. These figures, computed on the same predictions as the main scores, look at
what real reports contain and training text may not:

- **overlap F1**: entities count as found when a prediction of the same label overlaps
  the gold span (one to one), so boundary conventions do not hide recognition;
- **unseen-name recall**: recall on gold names (every label but INCIDENT) whose surface
  string, case-folded, never occurs as an entity in the training documents;
- **common words read as names**: capitalised tokens outside every gold entity whose
  lower-case form is an ordinary word of the language (``wordfreq`` Zipf frequency of
  at least :data:`COMMON_WORD_ZIPF`), and how many of them a predicted DRIVER or TEAM
  covers ("Immerhin", "Regen", "Druck");
- **people read as drivers**: persons the pipeline's own generic tagger finds (two
  words or more) outside every gold entity, that is people who do not drive by the
  guidelines (team principals, officials, engineers), and the share of them a predicted
  DRIVER covers;
- **entities in other text**: motorsport entities predicted per 1,000 words of real text
  about other things (sentences without any :data:`MOTORSPORT_WORDS`), where every
  prediction is wrong.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from racereport import schema
from racereport.records import Document, Entity, mention_key

COMMON_WORD_ZIPF = 3.0
"""A word at least this frequent (about once per million words) counts as ordinary."""

NAME_LABELS = tuple(label for label in schema.ENTITY_LABELS if label != schema.INCIDENT)
"""Labels whose entities are names (unseen-name recall is measured on these)."""

PERSON_OR_TEAM = frozenset({"DRIVER", "TEAM"})

MOTORSPORT_WORDS = re.compile(
    r"Motorsport|Rennen|Rennfahrer|Rennstall|Rennstrecke|Formel|Grand Prix|Rallye|DTM|"
    r"NASCAR|Le Mans|Nürburgring|Hockenheim|Boxen|Safety[- ]Car|Qualifying|Pole|"
    r"Weltmeister|Pilot|Motorrad|Grid|Podest"
)
"""German words that mark a text as (possibly) about motor racing."""

_WORD = re.compile(r"\b[^\W\d_]+\b")


def _overlaps(a: Entity, b: Entity) -> bool:
    return a.start < b.end and b.start < a.end


def _rounded(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "support": tp + fn}


def overlap_scores(gold: Sequence[Document], predicted: Sequence[Document]) -> dict[str, Any]:
    """Micro P/R/F1 where a prediction matches a gold entity of the same label that it
    overlaps; each gold and each predicted entity is matched at most once."""
    tp = fp = fn = 0
    for g_doc, p_doc in zip(gold, predicted, strict=True):
        unmatched = list(g_doc.entities)
        for pred in p_doc.entities:
            match = next(
                (g for g in unmatched if g.label == pred.label and _overlaps(g, pred)), None
            )
            if match is None:
                fp += 1
            else:
                tp += 1
                unmatched.remove(match)
        fn += len(unmatched)
    return _rounded(tp, fp, fn)


def training_names(train: Iterable[Document]) -> frozenset[str]:
    """The case-folded surface strings of every entity in ``train``."""
    return frozenset(mention_key(e.text) for doc in train for e in doc.entities)


def unseen_name_recall(
    gold: Sequence[Document], predicted: Sequence[Document], seen: frozenset[str]
) -> dict[str, Any]:
    """Recall (exact span and label) on gold names whose surface is not in ``seen``,
    overall and per label, with the share of gold names that are unseen."""
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    names = 0
    for g_doc, p_doc in zip(gold, predicted, strict=True):
        predicted_spans = {(e.start, e.end, e.label) for e in p_doc.entities}
        for ent in g_doc.entities:
            if ent.label not in NAME_LABELS:
                continue
            names += 1
            if mention_key(ent.text) in seen:
                continue
            total[ent.label] += 1
            found[ent.label] += (ent.start, ent.end, ent.label) in predicted_spans
    unseen = sum(total.values())
    return {
        "recall": round(sum(found.values()) / unseen, 4) if unseen else 0.0,
        "support": unseen,
        "share_of_names": round(unseen / names, 4) if names else 0.0,
        "per_label": {
            label: {"recall": round(found[label] / total[label], 4), "support": total[label]}
            for label in NAME_LABELS
            if total[label]
        },
    }


@lru_cache(maxsize=65536)
def is_common_word(word: str, lang: str) -> bool:
    """Whether ``word`` is an ordinary word of ``lang`` (``wordfreq`` Zipf frequency at
    least :data:`COMMON_WORD_ZIPF`)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang) >= COMMON_WORD_ZIPF


def _misread(candidates: int, wrong: Counter[str], key: str, top: int) -> dict[str, Any]:
    """How many of ``candidates`` were misread (under ``key``), the rate, and the most
    frequent misread surfaces."""
    errors = sum(wrong.values())
    return {
        "candidates": candidates,
        key: errors,
        "rate": round(errors / candidates, 4) if candidates else 0.0,
        "most_common": dict(wrong.most_common(top)),
    }


def common_words_as_names(
    gold: Sequence[Document], predicted: Sequence[Document], top: int = 15
) -> dict[str, Any]:
    """Capitalised ordinary words outside gold entities, and how many of them a predicted
    DRIVER or TEAM covers (``rate``; 0 is best), with the most frequent such words."""
    candidates = 0
    wrong: Counter[str] = Counter()
    for g_doc, p_doc in zip(gold, predicted, strict=True):
        names = [e for e in p_doc.entities if e.label in PERSON_OR_TEAM]
        for match in _WORD.finditer(g_doc.text):
            word = match.group()
            if not (word[0].isupper() and (len(word) == 1 or word[1:].islower())):
                continue
            token = Entity("", match.start(), match.end(), "", word)
            if any(_overlaps(token, g) for g in g_doc.entities):
                continue
            if not is_common_word(word.lower(), g_doc.lang):
                continue
            candidates += 1
            if any(_overlaps(token, p) for p in names):
                wrong[word] += 1
    return _misread(candidates, wrong, "read_as_driver_or_team", top)


def new_event_documents(docs: Sequence[Document], train: Iterable[Document]) -> list[Document]:
    """The documents of ``docs`` about an event no training document reports: an event is
    a language, series and date; a date of only a year (a season review) covers every
    event of that series and year, on either side. Authored test articles may retell
    events the training corpus also covers; these documents do not."""
    exact: set[tuple[str, str, str]] = set()
    seasons: set[tuple[str, str, str]] = set()
    season_reviews: set[tuple[str, str, str]] = set()
    for doc in train:
        if doc.date:
            exact.add((doc.lang, doc.series, doc.date))
            seasons.add((doc.lang, doc.series, doc.date[:4]))
            if len(doc.date) == 4:
                season_reviews.add((doc.lang, doc.series, doc.date))

    def seen(doc: Document) -> bool:
        if not doc.date:
            return False
        if len(doc.date) == 4:
            return (doc.lang, doc.series, doc.date) in seasons
        return (doc.lang, doc.series, doc.date) in exact or (
            doc.lang,
            doc.series,
            doc.date[:4],
        ) in season_reviews

    return [doc for doc in docs if not seen(doc)]


def entities_in_other_text(predicted: Sequence[Document], top: int = 15) -> dict[str, Any]:
    """Entities predicted in texts about other things than motor racing (every one is
    wrong): per 1,000 words, per label, and the most frequent (surface, label) pairs."""
    words = sum(len(d.text.split()) for d in predicted)
    labels: Counter[str] = Counter()
    surfaces: Counter[str] = Counter()
    for doc in predicted:
        for ent in doc.entities:
            labels[ent.label] += 1
            surfaces[f"{ent.text} ({ent.label})"] += 1
    total = sum(labels.values())
    return {
        "documents": len(predicted),
        "words": words,
        "entities": total,
        "per_1000_words": round(1000 * total / words, 2) if words else 0.0,
        "per_label": dict(labels.most_common()),
        "most_common": dict(surfaces.most_common(top)),
    }


def people_read_as_drivers(
    gold: Sequence[Document],
    predicted: Sequence[Document],
    persons: Sequence[Sequence[tuple[int, int]]],
    top: int = 15,
) -> dict[str, Any]:
    """Of the ``persons`` (character spans per document, from the generic PER tagger) of
    two words or more that lie outside every gold entity, how many a predicted DRIVER
    covers (``rate``; 0 is best), with the most frequent such names."""
    candidates = 0
    wrong: Counter[str] = Counter()
    for g_doc, p_doc, spans in zip(gold, predicted, persons, strict=True):
        drivers = [e for e in p_doc.entities if e.label == "DRIVER"]
        for start, end in spans:
            person = Entity("", start, end, "", g_doc.text[start:end])
            if len(person.text.split()) < 2 or any(_overlaps(person, e) for e in g_doc.entities):
                continue
            candidates += 1
            if any(_overlaps(person, d) for d in drivers):
                wrong[person.text] += 1
    return _misread(candidates, wrong, "read_as_driver", top)
