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

import numpy
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span

from pipeline import schema

SpanKey = tuple[int, int]
"""A span as ``(start, end)`` token indices: the whole span, never only its start."""

_SENTENCIZER = Sentencizer()
_DISTANCE_BUCKETS = 4  # 0, 1, 2, 3+ sentences apart
N_FEATURES = 2 * len(schema.ENTITY_LABELS) + _DISTANCE_BUCKETS + 2
"""Width of the pair feature vector."""


def allowed_labels(head_label: str, tail_label: str) -> tuple[str, ...]:
    """Relation types that may go from ``head_label`` to ``tail_label``."""
    return tuple(
        name for name, rt in schema.RELATION_TYPES.items() if rt.allows(head_label, tail_label)
    )


def label_mask(head_label: str, tail_label: str) -> numpy.ndarray:
    """1.0 for each relation type (in :data:`schema.RELATION_LABELS` order) the labels allow."""
    allowed = set(allowed_labels(head_label, tail_label))
    return numpy.asarray([1.0 if r in allowed else 0.0 for r in schema.RELATION_LABELS], "f")


def sentence_ids(doc: Doc) -> list[int]:
    """The sentence number of every token."""
    if doc.has_annotation("SENT_START"):
        starts = [token.is_sent_start for token in doc]
    else:
        starts = [bool(s) for s in _SENTENCIZER.predict([doc])[0]]
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
    labels = schema.ENTITY_LABELS
    found: list[Candidate] = []
    for h, head in enumerate(spans):
        for t, tail in enumerate(spans):
            if h == t or not allowed_labels(head.label_, tail.label_):
                continue
            distance = abs(sent_ids[head.start] - sent_ids[tail.start])
            if distance > max_sentence_distance:
                continue
            features = numpy.zeros((N_FEATURES,), dtype="f")
            features[labels.index(head.label_)] = 1.0
            features[len(labels) + labels.index(tail.label_)] = 1.0
            features[2 * len(labels) + min(distance, _DISTANCE_BUCKETS - 1)] = 1.0
            features[-2] = 1.0 if head.start < tail.start else 0.0
            features[-1] = numpy.log1p(abs(head.start - tail.start)) / 5.0
            found.append(Candidate(h, t, features))
    return found
