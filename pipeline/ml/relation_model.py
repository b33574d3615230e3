"""Thinc model for the relation extractor: one score per candidate pair and relation type.

Input is a :class:`RelationInput`: the docs, a ``Ragged`` of entity spans (``(start,
end)`` token indices, grouped per doc as in spaCy's span categorizer), the candidate
pairs as rows ``(head, tail)`` of indices into the flattened span list, a ``Ragged``
of context spans (per pair, the tokens from the first argument to the end of the
second, grouped per doc) and a ``Floats2d`` of pair features (entity labels,
distance, order). Entity and context spans are pooled from their token vectors
(first, last, mean, max, then a maxout layer each); a pair is the concatenation of
its head vector, its tail vector, its context vector and its features; a hidden layer
and a sigmoid give independent per-type scores (one row per pair).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from spacy.ml.extract_spans import extract_spans
from spacy.ml.models.spancat import build_mean_max_reducer
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model, Relu, Sigmoid, chain, list2ragged
from thinc.types import Floats2d, Ints2d, Ragged

from racereport.ml.range_pooling import RangeReducer


class RelationInput(NamedTuple):
    """What the relation model reads."""

    docs: list[Doc]
    spans: Ragged
    pairs: Ints2d
    contexts: Ragged
    features: Floats2d


def scale_gradient(factor: float) -> Model[list[Floats2d], list[Floats2d]]:
    """Identity forward; multiplies the gradient by ``factor`` (0 stops it)."""

    def forward(
        model: Model, X: list[Floats2d], is_train: bool
    ) -> tuple[list[Floats2d], Callable[[list[Floats2d]], list[Floats2d]]]:
        def backprop(dY: list[Floats2d]) -> list[Floats2d]:
            return [d * factor for d in dY]

        return X, backprop

    return Model("scale_gradient", forward)


@registry.architectures("race.RelationModel.v1")
def build_relation_model(
    tok2vec: Model[list[Doc], list[Floats2d]],
    span_width: int = 128,
    hidden_width: int = 128,
    dropout: float = 0.1,
    context_depth: int = 0,
    context_window: int = 1,
    tok2vec_grad_factor: float = 1.0,
    predict_chunk: int = 4096,
) -> Model[RelationInput, Floats2d]:
    """Pool spans, concatenate head, tail and pair features, score with a hidden layer.

    ``context_depth`` > 0 adds the relation extractor's own convolutional layers
    (``spacy.MaxoutWindowEncoder.v2``, ``context_window`` tokens each side) on top of
    the token vectors; ``tok2vec_grad_factor`` scales the gradient sent back into a
    shared tok2vec (0 keeps the relation loss out of it). At prediction, pairs are
    pooled and scored ``predict_chunk`` at a time, so memory stays flat in the number
    of pairs (the scores are those of one pass), and each pair's context is pooled
    from prefix sums and range maxima (:class:`RangeReducer`) instead of a copy of its
    tokens, so memory and time stay linear in the document's length.
    """
    if predict_chunk < 1:
        raise ValueError(f"predict_chunk must be >= 1, got {predict_chunk}")
    layers: list[Model] = [tok2vec, scale_gradient(tok2vec_grad_factor)]
    if context_depth > 0:
        width = tok2vec.maybe_get_dim("nO")
        if width is None:
            raise ValueError("context_depth > 0 needs a tok2vec with a known width (nO)")
        make_encoder = registry.architectures.get("spacy.MaxoutWindowEncoder.v2")
        layers.append(
            make_encoder(
                width=width, window_size=context_window, maxout_pieces=3, depth=context_depth
            )
        )
    encoder: Model = chain(*layers, list2ragged())
    pooler: Model = chain(extract_spans(), build_mean_max_reducer(span_width))
    context_reducer: Model = build_mean_max_reducer(span_width)
    statistics, context_output = context_reducer.layers
    if statistics.name != _STATISTICS:
        raise ValueError(f"expected spaCy's mean-max reducer to read {_STATISTICS}")
    context_pooler: Model = chain(extract_spans(), context_reducer)
    classifier: Model = chain(Relu(nO=hidden_width, dropout=dropout), Sigmoid())
    model: Model[RelationInput, Floats2d] = Model(
        "relation_model",
        _forward,
        init=_init,
        layers=[encoder, pooler, context_pooler, classifier],
        refs={
            "tok2vec": tok2vec,
            "encoder": encoder,
            "pooler": pooler,
            "context_pooler": context_pooler,
            "context_output": context_output,
            "classifier": classifier,
        },
        dims={"nO": None},
        attrs={"predict_chunk": predict_chunk},
    )
    return model


_STATISTICS = "reduce_last|reduce_first|reduce_mean|reduce_max"


def _pair_matrix(
    model: Model, span_vecs: Floats2d, context_vecs: Floats2d, inputs: RelationInput
) -> Floats2d:
    pairs = inputs.pairs
    return model.ops.xp.hstack(
        [span_vecs[pairs[:, 0]], span_vecs[pairs[:, 1]], context_vecs, inputs.features]
    )


def _forward(
    model: Model[RelationInput, Floats2d], inputs: RelationInput, is_train: bool
) -> tuple[Floats2d, Callable[[Floats2d], RelationInput]]:
    encoder = model.get_ref("encoder")
    pooler = model.get_ref("pooler")
    classifier = model.get_ref("classifier")
    # The encoder always runs (and always backpropagates), even for a batch without
    # pairs: a shared tok2vec only finishes its update once every listener answered.
    tokvecs, bp_tokvecs = encoder(inputs.docs, is_train)
    if len(inputs.pairs) == 0:

        def backprop_empty(d_scores: Floats2d) -> RelationInput:
            bp_tokvecs(Ragged(model.ops.alloc2f(*tokvecs.dataXd.shape), tokvecs.lengths))
            return inputs

        return model.ops.alloc2f(0, model.get_dim("nO")), backprop_empty

    context_pooler = model.get_ref("context_pooler")
    if not is_train:
        return _predict_in_chunks(model, inputs, tokvecs), backprop_unavailable
    span_vecs, bp_span_vecs = pooler((tokvecs, inputs.spans), is_train)
    context_vecs, bp_context_vecs = context_pooler((tokvecs, inputs.contexts), is_train)
    scores, bp_scores = classifier(_pair_matrix(model, span_vecs, context_vecs, inputs), is_train)

    def backprop(d_scores: Floats2d) -> RelationInput:
        d_pairs = bp_scores(d_scores)
        width = span_vecs.shape[1]
        d_span_vecs = model.ops.alloc2f(*span_vecs.shape)
        model.ops.scatter_add(d_span_vecs, inputs.pairs[:, 0], d_pairs[:, :width])
        model.ops.scatter_add(d_span_vecs, inputs.pairs[:, 1], d_pairs[:, width : 2 * width])
        d_tokvecs, _ = bp_span_vecs(d_span_vecs)
        d_context_tokvecs, _ = bp_context_vecs(
            d_pairs[:, 2 * width : 2 * width + context_vecs.shape[1]]
        )
        bp_tokvecs(Ragged(d_tokvecs.dataXd + d_context_tokvecs.dataXd, d_tokvecs.lengths))
        return inputs

    return scores, backprop


def backprop_unavailable(d_scores: Floats2d) -> RelationInput:
    """Prediction keeps no state for a backward pass."""
    raise ValueError("the relation model was run for prediction (is_train=False)")


def _predict_in_chunks(
    model: Model[RelationInput, Floats2d], inputs: RelationInput, tokvecs: Ragged
) -> Floats2d:
    span_vecs = model.get_ref("pooler").predict((tokvecs, inputs.spans))
    context_output = model.get_ref("context_output")
    classifier = model.get_ref("classifier")
    contexts = RangeReducer(model.ops, tokvecs, inputs.contexts)
    size = int(model.attrs.get("predict_chunk", 4096))
    scores = []
    for a in range(0, len(inputs.pairs), size):
        b = min(a + size, len(inputs.pairs))
        chunk = inputs._replace(pairs=inputs.pairs[a:b], features=inputs.features[a:b])
        context_vecs = context_output.predict(contexts.reduce(a, b))
        scores.append(classifier.predict(_pair_matrix(model, span_vecs, context_vecs, chunk)))
    return model.ops.xp.vstack(scores)


def _init(
    model: Model[RelationInput, Floats2d],
    X: RelationInput | None = None,
    Y: Floats2d | None = None,
) -> None:
    """Initialize from a sample (needed to infer the layer widths)."""
    if X is None or Y is None:
        raise ValueError("the relation model needs sample inputs and outputs to initialize")
    encoder = model.get_ref("encoder")
    pooler = model.get_ref("pooler")
    context_pooler = model.get_ref("context_pooler")
    classifier = model.get_ref("classifier")
    encoder.initialize(X=X.docs)
    tokvecs = encoder.predict(X.docs)
    pooler.initialize(X=(tokvecs, X.spans))
    context_pooler.initialize(X=(tokvecs, X.contexts))
    span_vecs = pooler.predict((tokvecs, X.spans))
    context_vecs = context_pooler.predict((tokvecs, X.contexts))
    classifier.initialize(X=_pair_matrix(model, span_vecs, context_vecs, X), Y=Y)
    model.set_dim("nO", Y.shape[1])
