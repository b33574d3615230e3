"""Candidate entity pairs for relation extraction, and their features.

A candidate is an ordered pair of different entity spans whose labels some relation
type of :data:`racereport.schema.RELATION_TYPES` allows, at most
``max_sentence_distance`` sentences apart. Sentences come from ``doc.sents`` when the
doc has sentence boundaries, else from spaCy's rule-based ``Sentencizer`` (so
training on converted corpus docs and predicting in a pipeline without a parser see
the same sentences).

With ``headline_targets``, a race, series or class named in a document's first sentence
(its headline or opening line) is also a candidate WINS target of every driver, team and
car further away: articles name the race at the top and its winner paragraphs later
("... gewann das Rennen"); 65 of the 85 gold WINS relations of the German train and dev
splits that lie more than two sentences apart have their target there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy
from spacy.attrs import IS_PUNCT, ORTH, SENT_START
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span

from racereport import schema

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
    doc's span list, head-major order), with one feature row and one label mask each;
    ``cut``: pairs left out by the per-entity cap."""

    pairs: numpy.ndarray
    features: numpy.ndarray
    masks: numpy.ndarray
    cut: int = 0

    def __len__(self) -> int:
        return len(self.pairs)


_HEAD_BLOCK = 256
"""Heads whose candidate rows are built at once: memory is this times the entities in
the widest sentence window, never the square of all entities of a document."""


def _window_pairs(
    label_index: numpy.ndarray,
    starts: numpy.ndarray,
    sentences: numpy.ndarray,
    max_sentence_distance: int,
    max_per_entity: int | None,
) -> tuple[numpy.ndarray, numpy.ndarray, int]:
    """Heads, tails (head-major) and the number of pairs the cap left out; spans sorted
    by start, so each head's window is one contiguous range of tails."""
    lo = numpy.searchsorted(sentences, sentences - max_sentence_distance, "left")
    hi = numpy.searchsorted(sentences, sentences + max_sentence_distance, "right")
    heads: list[numpy.ndarray] = []
    tails: list[numpy.ndarray] = []
    cut = 0
    for a in range(0, len(starts), _HEAD_BLOCK):
        b = min(a + _HEAD_BLOCK, len(starts))
        first, last = int(lo[a]), int(hi[b - 1])
        rows = numpy.arange(a, b)[:, None]
        cols = numpy.arange(first, last)[None, :]
        keep = _ALLOWED[label_index[a:b, None], label_index[None, first:last]]
        keep &= numpy.abs(sentences[a:b, None] - sentences[None, first:last]) <= (
            max_sentence_distance
        )
        keep &= rows != cols
        if max_per_entity is not None:
            over = keep.sum(axis=1) > max_per_entity
            if over.any():
                # the nearest tails by token distance (ties: the earlier tail) stay
                n = len(starts) + 1
                distance = numpy.abs(starts[a:b, None] - starts[None, first:last]).astype("i8")
                rank = numpy.where(keep, distance * n + cols, numpy.iinfo("i8").max)[over]
                nearest = numpy.argpartition(rank, max_per_entity - 1, axis=1)[:, :max_per_entity]
                capped = numpy.zeros_like(rank, dtype=bool)
                numpy.put_along_axis(capped, nearest, True, axis=1)
                cut += int(keep[over].sum() - max_per_entity * over.sum())
                keep[over] = capped
        r, c = numpy.nonzero(keep)
        heads.append(r + a)
        tails.append(c + first)
    if not heads:
        return numpy.zeros(0, "i"), numpy.zeros(0, "i"), 0
    return numpy.concatenate(heads), numpy.concatenate(tails), cut


_PARTICIPANTS = numpy.asarray(
    [label in schema.RELATION_TYPES["WINS"].heads for label in schema.ENTITY_LABELS]
)
_WIN_TARGETS = numpy.asarray(
    [label in schema.RELATION_TYPES["WINS"].tails for label in schema.ENTITY_LABELS]
)


def _headline_pairs(
    label_index: numpy.ndarray, sentences: numpy.ndarray, max_sentence_distance: int
) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Heads and tails of the pairs from each participant to each possible WINS target in
    sentence 0 that is further away than the sentence window."""
    targets = numpy.flatnonzero(_WIN_TARGETS[label_index] & (sentences == 0))
    heads = numpy.flatnonzero(_PARTICIPANTS[label_index] & (sentences > max_sentence_distance))
    if not len(targets) or not len(heads):
        return numpy.zeros(0, "i"), numpy.zeros(0, "i")
    return numpy.repeat(heads, len(targets)), numpy.tile(targets, len(heads))


def candidates(
    spans: list[Span],
    sent_ids: list[int],
    max_sentence_distance: int,
    max_per_entity: int | None = None,
    headline_targets: bool = False,
) -> Candidates:
    """Every allowed ordered pair of ``spans`` within the sentence window; with
    ``max_per_entity``, each head keeps only that many tails, the nearest in tokens
    (a results list of hundreds of names in one sentence stays linear); with
    ``headline_targets``, also the pairs to the WINS targets of the first sentence
    (:func:`_headline_pairs`)."""
    if max_per_entity is not None and max_per_entity < 1:
        raise ValueError(f"max_per_entity must be >= 1 or None, got {max_per_entity}")
    label_index = numpy.asarray([schema.ENTITY_LABELS.index(s.label_) for s in spans], "i")
    starts = numpy.asarray([s.start for s in spans], "i")
    sentences = numpy.asarray([sent_ids[s] for s in starts.tolist()], "i")
    order = numpy.argsort(starts, kind="stable")
    sorted_heads, sorted_tails, cut = _window_pairs(
        label_index[order], starts[order], sentences[order], max_sentence_distance, max_per_entity
    )
    heads, tails = order[sorted_heads], order[sorted_tails]
    if headline_targets:
        far_heads, far_tails = _headline_pairs(label_index, sentences, max_sentence_distance)
        heads = numpy.concatenate([heads, far_heads]).astype("i")
        tails = numpy.concatenate([tails, far_tails]).astype("i")
    by_head = numpy.lexsort((tails, heads))
    heads, tails = heads[by_head], tails[by_head]
    distance = numpy.abs(sentences[heads] - sentences[tails])
    features = numpy.zeros((len(heads), N_FEATURES), dtype="f")
    rows = numpy.arange(len(heads))
    features[rows, label_index[heads]] = 1.0
    features[rows, _N_LABELS + label_index[tails]] = 1.0
    buckets = numpy.minimum(distance, _DISTANCE_BUCKETS - 1)
    features[rows, 2 * _N_LABELS + buckets] = 1.0
    features[:, -2] = (starts[heads] < starts[tails]).astype("f")
    features[:, -1] = numpy.log1p(numpy.abs(starts[heads] - starts[tails]).astype("float64")) / 5.0
    return Candidates(
        pairs=numpy.stack([heads, tails], axis=1).astype("i").reshape((-1, 2)),
        features=features,
        masks=LABEL_MASKS[label_index[heads], label_index[tails]].reshape(
            (-1, len(schema.RELATION_LABELS))
        ),
        cut=cut,
    )
