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


_N_LABELS = len(schema.ENTITY_LABELS)
LABEL_MASKS = numpy.asarray(
    [[_mask(h, t) for t in schema.ENTITY_LABELS] for h in schema.ENTITY_LABELS], dtype="f"
)
"""``LABEL_MASKS[head label index, tail label index]``: the :func:`label_mask` of that pair."""
_ALLOWED = LABEL_MASKS.sum(axis=2) > 0


@dataclass(frozen=True)
class Candidates:
    """The candidate pairs of one doc: ``pairs[i] = (head, tail)`` (indices into the
    doc's span list, head-major order), with one feature row and one label mask each."""

    pairs: numpy.ndarray
    features: numpy.ndarray
    masks: numpy.ndarray

    def __len__(self) -> int:
        return len(self.pairs)


def candidates(spans: list[Span], sent_ids: list[int], max_sentence_distance: int) -> Candidates:
    """Every allowed ordered pair of ``spans`` within the sentence window."""
    label_index = numpy.asarray([schema.ENTITY_LABELS.index(s.label_) for s in spans], "i")
    starts = numpy.asarray([s.start for s in spans], "i")
    sentences = numpy.asarray([sent_ids[s] for s in starts.tolist()], "i")
    distance = numpy.abs(sentences[:, None] - sentences[None, :])
    keep = _ALLOWED[label_index[:, None], label_index[None, :]]
    keep &= distance <= max_sentence_distance
    numpy.fill_diagonal(keep, False)
    heads, tails = numpy.nonzero(keep)
    features = numpy.zeros((len(heads), N_FEATURES), dtype="f")
    rows = numpy.arange(len(heads))
    features[rows, label_index[heads]] = 1.0
    features[rows, _N_LABELS + label_index[tails]] = 1.0
    buckets = numpy.minimum(distance[heads, tails], _DISTANCE_BUCKETS - 1)
    features[rows, 2 * _N_LABELS + buckets] = 1.0
    features[:, -2] = (starts[heads] < starts[tails]).astype("f")
    features[:, -1] = numpy.log1p(numpy.abs(starts[heads] - starts[tails]).astype("float64")) / 5.0
    return Candidates(
        pairs=numpy.stack([heads, tails], axis=1).astype("i").reshape((-1, 2)),
        features=features,
        masks=LABEL_MASKS[label_index[heads], label_index[tails]].reshape(
            (-1, len(schema.RELATION_LABELS))
        ),
    )
