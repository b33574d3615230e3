"""Candidate entity pairs for relation extraction, and their features.

A candidate is an ordered pair of different entity spans whose labels some relation
type of :data:`pipeline.schema.RELATION_TYPES` allows, at most
``max_sentence_distance`` sentences apart. Sentences come from ``doc.sents`` when the
doc has sentence boundaries, else from spaCy's rule-based ``Sentencizer`` (so
training on converted corpus docs and predicting in a pipeline without a parser see
the same sentences).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy
from spacy.attrs import IS_PUNCT, ORTH, SENT_START
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span

from pipeline import schema

SpanKey = tuple[int, int]
"""A span as ``(start, end)`` token indices: the whole span, never only its start."""

_SENTENCIZER = Sentencizer()
_DISTANCE_BUCKETS = 4  # 0, 1, 2, 3+ sentences apart
N_FEATURES = 2 * len(schema.ENTITY_LABELS) + _DISTANCE_BUCKETS + 2
"""Width of the pair feature vector."""


@cache
def allowed_labels(head_label: str, tail_label: str) -> tuple[str, ...]:
    """Relation types that may go from ``head_label`` to ``tail_label``."""
    return tuple(
        name for name, rt in schema.RELATION_TYPES.items() if rt.allows(head_label, tail_label)
    )


@cache
def _mask(head_label: str, tail_label: str) -> tuple[float, ...]:
    allowed = set(allowed_labels(head_label, tail_label))
    return tuple(1.0 if r in allowed else 0.0 for r in schema.RELATION_LABELS)


def label_mask(head_label: str, tail_label: str) -> numpy.ndarray:
    """1.0 for each relation type (in :data:`schema.RELATION_LABELS` order) the labels allow."""
    return numpy.asarray(_mask(head_label, tail_label), dtype="f")


def sentence_ids(doc: Doc) -> list[int]:
    """The sentence number of every token (the ``Sentencizer``'s rule where the doc has
    no sentence boundaries: a sentence ends after punctuation from its ``punct_chars``
    once a token follows that is not punctuation)."""
    if doc.has_annotation("SENT_START"):
        starts = [bool(s == 1) for s in doc.to_array([SENT_START]).tolist()]
    else:
        orth, punct = doc.to_array([ORTH, IS_PUNCT]).T.tolist() if len(doc) else ([], [])
        strings = doc.vocab.strings
        enders = {o for o in set(orth) if strings[o] in _SENTENCIZER.punct_chars}
        starts = []
        seen_period = False
        for o, is_punct in zip(orth, punct, strict=True):
            if seen_period and not is_punct and o not in enders:
                starts.append(True)
                seen_period = False
            else:
                starts.append(False)
                if o in enders:
                    seen_period = True
    ids: list[int] = []
    current = -1
    for i, start in enumerate(starts):
        if start or i == 0:
            current += 1
        ids.append(current)
    return ids


@dataclass(frozen=True)
class Candidate:
    """An ordered pair of entity spans (indices into the doc's span list) and their features."""

    head: int
    tail: int
    features: numpy.ndarray


def candidates(
    spans: list[Span], sent_ids: list[int], max_sentence_distance: int
) -> list[Candidate]:
    """Every allowed ordered pair of ``spans`` within the sentence window."""
    n_labels = len(schema.ENTITY_LABELS)
    labels = [s.label_ for s in spans]
    starts = [s.start for s in spans]
    label_index = [schema.ENTITY_LABELS.index(label) for label in labels]
    sentences = [sent_ids[start] for start in starts]
    found: list[Candidate] = []
    for h in range(len(spans)):
        for t in range(len(spans)):
            if h == t or not allowed_labels(labels[h], labels[t]):
                continue
            distance = abs(sentences[h] - sentences[t])
            if distance > max_sentence_distance:
                continue
            features = numpy.zeros((N_FEATURES,), dtype="f")
            features[label_index[h]] = 1.0
            features[n_labels + label_index[t]] = 1.0
            features[2 * n_labels + min(distance, _DISTANCE_BUCKETS - 1)] = 1.0
            features[-2] = 1.0 if starts[h] < starts[t] else 0.0
            features[-1] = numpy.log1p(abs(starts[h] - starts[t])) / 5.0
            found.append(Candidate(h, t, features))
    return found
