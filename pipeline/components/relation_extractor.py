"""``relation_extractor``: typed, directed relations between the entities of a doc.

Runs after ``ner``. Every ordered pair of entities that the schema allows (see
:mod:`racereport.relation_candidates`) within ``max_sentence_distance`` sentences (with
``headline_targets``, also each participant and a WINS target in the first sentence)
gets one score per relation type; types the pair's labels do not allow score 0. An entity
with more candidates than ``max_candidates_per_entity`` keeps the nearest (in tokens);
``doc._.racereport_relation_candidates_cut`` counts the others, so a list of hundreds of names
costs linear time and memory. A relation is predicted where its score reaches the
type's threshold (``cfg["thresholds"]``, saved with the pipeline and tunable on
held-out data with :meth:`tune_thresholds`) and, with ``constrained`` (the default),
the schema's constraints allow it (:mod:`racereport.relation_decoding`).

It writes ``doc._.racereport_relations`` (``{"head", "tail", "label"}`` dicts over
``doc._.racereport_entity_ids``, which it fills with ``e1``, ``e2``, ... where the doc has none)
and ``doc._.racereport_relation_score_table`` (every candidate's scores as plain lists, cheap to
write; ``doc._.racereport_relation_scores`` reads them as one ``{"head": [start, end], "tail":
[start, end], "scores": {type: score}}`` dict per candidate on access). Training
uses the gold entities of the reference docs, so it does not depend on the entity
recognizer's predictions.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_get_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d, Ints2d, Ragged

import racereport.ml.relation_model  # noqa: F401  (registers race.RelationModel.v1)
from racereport import extensions, schema
from racereport.ml.defaults import TOK2VEC_CONFIG
from racereport.ml.relation_model import RelationInput
from racereport.relation_candidates import N_FEATURES, SpanKey, candidates, sentence_ids
from racereport.relation_decoding import decode, thresholded
from racereport.scoring import PRF, relation_triples

extensions.register_extensions()

DEFAULT_MODEL_CONFIG = (
    """
[model]
@architectures = "race.RelationModel.v1"
span_width = 128
hidden_width = 128
dropout = 0.1
"""
    + TOK2VEC_CONFIG
)
DEFAULT_MODEL = Config().from_str(DEFAULT_MODEL_CONFIG)["model"]

PairKey = tuple[SpanKey, SpanKey]
Batch = tuple[list[list[Span]], list[list[PairKey]], list[numpy.ndarray], list[list[int]], Floats2d]
"""What :meth:`RelationExtractor.predict` returns: per doc its entities, its candidate
pairs, their label masks and the sentence number of each token, and the scores of all
pairs (one row each)."""


@Language.factory(
    "racereport_relation_extractor",
    requires=["doc.ents"],
    assigns=[
        "doc._.racereport_relations",
        "doc._.racereport_relation_score_table",
        "doc._.racereport_entity_ids",
    ],
    default_config={
        "model": DEFAULT_MODEL,
        "max_sentence_distance": 2,
        "max_candidates_per_entity": 48,
        "headline_targets": False,
        "threshold": 0.5,
        "constrained": True,
        "positive_weights": {},
        "scorer": {"@scorers": "race.relation_scorer.v1"},
    },
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0},
)
def make_relation_extractor(
    nlp: Language,
    name: str,
    model: Model,
    max_sentence_distance: int,
    max_candidates_per_entity: int,
    headline_targets: bool,
    threshold: float,
    constrained: bool,
    positive_weights: dict[str, float],
    scorer: Callable | None,
) -> RelationExtractor:
    """Create a :class:`RelationExtractor`."""
    return RelationExtractor(
        nlp.vocab,
        model,
        name,
        max_sentence_distance=max_sentence_distance,
        max_candidates_per_entity=max_candidates_per_entity,
        headline_targets=headline_targets,
        threshold=threshold,
        constrained=constrained,
        positive_weights=positive_weights,
        scorer=scorer,
    )


def _key(span: Span) -> SpanKey:
    return (span.start, span.end)


class RelationExtractor(TrainablePipe):
    """Score candidate entity pairs for every relation type of the schema."""

    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = "relation_extractor",
        *,
        max_sentence_distance: int = 2,
        max_candidates_per_entity: int = 48,
        headline_targets: bool = False,
        threshold: float = 0.5,
        constrained: bool = True,
        positive_weights: dict[str, float] | None = None,
        scorer: Callable | None = None,
    ) -> None:
        """``positive_weights``: per relation type, how much more a gold relation of
        that type weighs in the loss than a candidate without it (default 1.0; a rare
        type such as BENEFITED, outnumbered by the INVOLVED pairs of the same labels,
        otherwise learns to score low)."""
        if max_sentence_distance < 0:
            raise ValueError(f"max_sentence_distance must be >= 0, got {max_sentence_distance}")
        if max_candidates_per_entity < 1:
            raise ValueError(
                f"max_candidates_per_entity must be >= 1, got {max_candidates_per_entity}"
            )
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
        positive_weights = dict(positive_weights or {})
        for label, weight in positive_weights.items():
            if label not in schema.RELATION_LABELS:
                raise ValueError(
                    f"positive_weights names {label!r}, which is not a relation type; "
                    f"use one of {', '.join(schema.RELATION_LABELS)}"
                )
            if not weight > 0:
                raise ValueError(f"positive_weights[{label!r}] must be > 0, got {weight}")
        self.vocab = vocab
        self.model = model
        self.name = name
        self.scorer = scorer
        self.cfg: dict[str, Any] = {
            "labels": list(schema.RELATION_LABELS),
            "max_sentence_distance": max_sentence_distance,
            "max_candidates_per_entity": max_candidates_per_entity,
            "headline_targets": headline_targets,
            "thresholds": {label: threshold for label in schema.RELATION_LABELS},
            "constrained": constrained,
            "positive_weights": positive_weights,
        }

    @property
    def labels(self) -> tuple[str, ...]:
        """The relation types, in output column order."""
        return tuple(self.cfg["labels"])

    @property
    def thresholds(self) -> dict[str, float]:
        """Per relation type, the score from which a relation is predicted."""
        return dict(self.cfg["thresholds"])

    def _inputs(
        self, docs: list[Doc], spans_per_doc: list[list[Span]]
    ) -> tuple[RelationInput, list[list[PairKey]], list[numpy.ndarray], list[list[int]]]:
        """Model input for ``docs`` with candidate pairs among ``spans_per_doc``, the
        pairs, their label masks and each doc's sentence number per token."""
        ops = self.model.ops
        flat_spans: list[tuple[int, int]] = []
        pairs: list[numpy.ndarray] = []
        contexts: list[numpy.ndarray] = []
        features: list[numpy.ndarray] = []
        keys: list[list[PairKey]] = []
        masks: list[numpy.ndarray] = []
        sents: list[list[int]] = []
        for doc, spans in zip(docs, spans_per_doc, strict=True):
            offset = len(flat_spans)
            span_keys = [_key(s) for s in spans]
            flat_spans.extend(span_keys)
            sents.append(sentence_ids(doc))
            found = candidates(
                spans,
                sents[-1],
                self.cfg["max_sentence_distance"],
                self.cfg.get("max_candidates_per_entity"),
                self.cfg.get("headline_targets", False),
            )
            doc._.racereport_relation_candidates_cut = found.cut
            bounds = numpy.asarray(span_keys, dtype="i").reshape((-1, 2))
            heads, tails = found.pairs[:, 0], found.pairs[:, 1]
            pairs.append(found.pairs + offset)
            contexts.append(
                numpy.stack(
                    [
                        numpy.minimum(bounds[heads, 0], bounds[tails, 0]),
                        numpy.maximum(bounds[heads, 1], bounds[tails, 1]),
                    ],
                    axis=1,
                ).reshape((-1, 2))
            )
            features.append(found.features)
            keys.append([(span_keys[h], span_keys[t]) for h, t in found.pairs.tolist()])
            masks.append(found.masks)
        span_data = ops.asarray2i(flat_spans) if flat_spans else ops.alloc2i(0, 2)
        all_pairs = numpy.concatenate(pairs) if pairs else numpy.zeros((0, 2), "i")
        all_contexts = numpy.concatenate(contexts) if contexts else numpy.zeros((0, 2), "i")
        all_features = (
            numpy.concatenate(features) if features else numpy.zeros((0, N_FEATURES), "f")
        )
        inputs = RelationInput(
            docs=docs,
            spans=Ragged(span_data, ops.asarray1i([len(s) for s in spans_per_doc])),
            pairs=ops.asarray2i(cast(Ints2d, all_pairs.astype("i"))),
            contexts=Ragged(
                ops.asarray2i(cast(Ints2d, all_contexts.astype("i"))),
                ops.asarray1i([len(k) for k in keys]),
            ),
            features=ops.asarray2f(cast(Floats2d, all_features)),
        )
        return inputs, keys, masks, sents

    def predict(self, docs: Iterable[Doc]) -> Batch:
        """Scores of every candidate pair of the entities in ``docs``."""
        docs = list(docs)
        ents = [list(doc.ents) for doc in docs]  # doc.ents scans every token: once
        inputs, keys, masks, sents = self._inputs(docs, ents)
        if len(inputs.pairs) == 0:
            return ents, keys, masks, sents, self.model.ops.alloc2f(0, len(self.labels))
        return ents, keys, masks, sents, self.model.predict(inputs)

    def set_annotations(self, docs: Iterable[Doc], scores: Batch) -> None:
        """Write ``doc._.racereport_relations`` (decoded with the schema's constraints, see
        :func:`racereport.relation_decoding.decode`), ``doc._.racereport_relation_score_table`` and
        ``doc._.racereport_entity_ids``."""
        all_ents, keys, masks, sents, all_scores = scores
        values = self.model.ops.to_numpy(all_scores)
        thresholds = numpy.asarray([self.cfg["thresholds"][lab] for lab in self.labels], "f")
        rounded = values.astype("float64").round(4).tolist()
        labels = self.labels
        allowed_of: dict[tuple[float, ...], list[int]] = {}
        row = 0
        for doc, ents, doc_keys, doc_masks, sent_ids in zip(
            docs, all_ents, keys, masks, sents, strict=True
        ):
            ids = doc._.racereport_entity_ids
            if ids is None or len(ids) != len(ents):
                ids = [f"e{i + 1}" for i in range(len(ents))]
                doc._.racereport_entity_ids = ids
            id_of = {_key(ent): ent_id for ent, ent_id in zip(ents, ids, strict=True)}
            relations = []
            table: dict[str, list] = {
                "labels": list(labels),
                "pairs": [],
                "scores": [],
                "allowed": [],
            }
            n = len(doc_keys)
            if n:
                doc_scores = values[row : row + n]
                if self.cfg.get("constrained", True):
                    found = decode(
                        doc, ents, doc_keys, doc_scores, doc_masks, thresholds, labels,
                        sent_ids,
                    )  # fmt: skip
                else:
                    found = thresholded(doc_scores, doc_masks, thresholds)
                table["pairs"] = numpy.asarray(doc_keys, dtype="i").reshape((n, 4)).tolist()
                table["scores"] = rounded[row : row + n]
                table["allowed"] = [
                    allowed_of.setdefault(m, [j for j, x in enumerate(m) if x])
                    for m in map(tuple, doc_masks.tolist())
                ]
                for i, j in zip(*numpy.nonzero(found), strict=True):
                    head, tail = doc_keys[i]
                    relations.append({"head": id_of[head], "tail": id_of[tail], "label": labels[j]})
            row += n
            doc._.racereport_relations = relations
            doc._.racereport_relation_score_table = table

    def _gold_spans(self, eg: Example) -> tuple[list[Span], dict[PairKey, set[str]]]:
        """Gold entities aligned to the predicted tokens, and the gold types per pair."""
        ref = eg.reference
        ids = ref._.racereport_entity_ids or []
        spans: list[Span] = []
        by_id: dict[str, SpanKey] = {}
        for ent, ent_id in zip(ref.ents, ids, strict=False):
            aligned = eg.get_aligned_spans_y2x([ent])
            if aligned:
                spans.append(aligned[0])
                by_id[ent_id] = _key(aligned[0])
        gold: dict[PairKey, set[str]] = defaultdict(set)
        for rel in ref._.racereport_relations or []:
            if rel["head"] in by_id and rel["tail"] in by_id and rel["label"] in self.labels:
                gold[(by_id[rel["head"]], by_id[rel["tail"]])].add(rel["label"])
        return spans, gold

    def _truths(self, keys: list[list[PairKey]], golds: list[dict[PairKey, set[str]]]) -> Floats2d:
        rows = [
            [1.0 if label in gold.get(key, ()) else 0.0 for label in self.labels]
            for doc_keys, gold in zip(keys, golds, strict=True)
            for key in doc_keys
        ]
        return self.model.ops.asarray2f(
            cast(Floats2d, numpy.asarray(rows, "f").reshape((-1, len(self.labels))))
        )

    def _training_batch(
        self, examples: list[Example]
    ) -> tuple[RelationInput, list[list[PairKey]], list[numpy.ndarray], Floats2d]:
        docs = [eg.predicted for eg in examples]
        spans_and_gold = [self._gold_spans(eg) for eg in examples]
        inputs, keys, masks, _ = self._inputs(docs, [spans for spans, _ in spans_and_gold])
        truths = self._truths(keys, [gold for _, gold in spans_and_gold])
        return inputs, keys, masks, truths

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optimizer | None = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        """Learn from the gold entities and relations of ``examples`` (``drop``: the
        dropout rate of the model's dropout layers for this update)."""
        examples = list(examples)
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        validate_get_examples(lambda: examples, "RelationExtractor.update")
        inputs, _, masks, truths = self._training_batch(examples)
        set_dropout_rate(self.model, drop)
        scores, backprop = self.model.begin_update(inputs)
        loss, d_scores = self.get_loss(examples, (scores, truths, masks))
        backprop(d_scores)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores: Any) -> tuple[float, Floats2d]:
        """Squared error of the sigmoid scores, only for types the pair's labels allow;
        a gold relation counts ``positive_weights[type]`` times."""
        predicted, truths, masks = scores
        if len(predicted) == 0:
            return 0.0, predicted
        mask = self.model.ops.asarray2f(cast(Floats2d, numpy.concatenate(masks)))
        weights = self.cfg.get("positive_weights") or {}
        if weights:
            extra = self.model.ops.asarray1f(
                [weights.get(label, 1.0) - 1.0 for label in self.labels]
            )
            mask = mask * (1.0 + truths * extra)
        diff = predicted - truths
        return float((mask * diff**2).sum()), diff * mask

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: list[str] | None = None,
    ) -> None:
        """Initialize the model on a sample of gold examples (labels come from the schema)."""
        validate_get_examples(get_examples, "RelationExtractor.initialize")
        if labels is not None and tuple(labels) != schema.RELATION_LABELS:
            raise ValueError(
                f"relation_extractor labels must be the schema's relation types "
                f"{schema.RELATION_LABELS}, got {labels}"
            )
        sample = list(get_examples())[:20]
        inputs, _, _, truths = self._training_batch(sample)
        if len(inputs.pairs) == 0:
            raise ValueError(
                "relation_extractor.initialize: the first training examples have no "
                "candidate entity pairs; check that the training data has entities"
            )
        self.model.initialize(X=inputs, Y=truths)

    def add_label(self, label: str) -> int:
        """Labels are fixed by the schema; adding one is an error unless it is known."""
        if label not in self.labels:
            raise ValueError(f"'{label}' is not a relation type of the schema")
        return 0

    def tune_thresholds(
        self, examples: Iterable[Example], grid: Iterable[float] | None = None
    ) -> dict[str, float]:
        """Per type, a threshold chosen on ``examples`` (gold entities) with
        :func:`choose_threshold`; stored in ``cfg`` so it is saved with the pipeline. Types
        without gold pairs keep theirs."""
        examples = list(examples)
        grid = list(grid) if grid is not None else [i / 20 for i in range(2, 19)]
        inputs, _, masks, truths = self._training_batch(examples)
        if len(inputs.pairs) == 0:
            return self.thresholds
        # types the pair's labels do not allow score 0, as in set_annotations
        scores = self.model.ops.to_numpy(self.model.predict(inputs)) * numpy.concatenate(masks)
        gold = self.model.ops.to_numpy(truths) > 0.5
        thresholds = self.thresholds
        for j, label in enumerate(self.labels):
            if not gold[:, j].any():
                continue
            f1s = [_f1(scores[:, j] >= t, gold[:, j]) for t in grid]
            thresholds[label] = choose_threshold(grid, f1s, int(gold[:, j].sum()))
        self.cfg["thresholds"] = thresholds
        return thresholds


def choose_threshold(grid: Sequence[float], f1s: Sequence[float], support: int) -> float:
    """The threshold closest to 0.5 among those whose F1 is within one standard error of
    the best (``sqrt(F1 (1 - F1) / support)``, ``support`` gold relations of the type).

    Maximising F1 alone on a development set follows noise where a type has few gold
    relations (BENEFITED: about 30 on the German dev split) and picked thresholds as low
    as 0.15; the tolerance keeps such types near 0.5 unless the evidence for another
    threshold is clear, and barely changes well-supported ones."""
    best = max(f1s)
    tolerance = math.sqrt(best * (1 - best) / max(support, 1))
    near = [t for t, f in zip(grid, f1s, strict=True) if f >= best - tolerance]
    return float(min(near, key=lambda t: (round(abs(t - 0.5), 9), t)))


def _f1(predicted: numpy.ndarray, gold: numpy.ndarray) -> float:
    tp = float((predicted & gold).sum())
    denominator = float(predicted.sum() + gold.sum())
    return 2 * tp / denominator if denominator else 0.0


@registry.scorers("race.relation_scorer.v1")
def make_relation_scorer() -> Callable[..., dict[str, Any]]:
    """Registered scorer: relation P/R/F (micro and per type) on character offsets."""
    return score_relations


def score_relations(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
    """P/R/F of predicted relations against the reference ones; a relation counts when
    both argument spans (character offsets) and the type match."""
    micro = PRF()
    per_type: dict[str, PRF] = defaultdict(PRF)
    for eg in examples:
        gold = relation_triples(eg.reference)
        predicted = relation_triples(eg.predicted)
        for triple in predicted | gold:
            prf = per_type[triple[2]]
            if triple in gold and triple in predicted:
                prf.tp += 1
                micro.tp += 1
            elif triple in predicted:
                prf.fp += 1
                micro.fp += 1
            else:
                prf.fn += 1
                micro.fn += 1
    return {
        "rel_micro_p": micro.p,
        "rel_micro_r": micro.r,
        "rel_micro_f": micro.f,
        "rel_f_per_type": {k: {"p": v.p, "r": v.r, "f": v.f} for k, v in per_type.items()},
    }
