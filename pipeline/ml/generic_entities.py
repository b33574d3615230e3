"""Features from a generic NER: which tokens real-text NER calls a person, place or org.

``race.GenericEntityFeatures.v1`` embeds, per token, its BIO tag in
``doc.spans[spans_key]`` (set by ``racereport_generic_entities``): class 0 outside
every span, then ``B``/``I`` for each of ``labels`` and for any other label.
``race.WithGenericEntities.v1`` concatenates these features to a tok2vec layer's output
(usually a ``spacy.Tok2VecListener.v1``), for the motorsport NER to read. A doc without
the spans key gets class 0 everywhere (as during ``nlp.initialize``, which shows the
model unannotated samples); in training, list the annotating component in ``[training]
annotating_components``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Embed, Model, chain, concatenate, with_array
from thinc.types import Floats2d, Ints2d


def _tag_ids(doc: Doc, spans_key: str, index: dict[str, int], other: int) -> numpy.ndarray:
    ids = numpy.zeros((len(doc), 1), dtype="i")
    if spans_key not in doc.spans:
        return ids
    for span in doc.spans[spans_key]:
        k = index.get(span.label_, other)
        ids[span.start, 0] = 1 + 2 * k
        ids[span.start + 1 : span.end, 0] = 2 + 2 * k
    return ids


def _ids_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Ints2d], Callable]:
    labels: list[str] = model.attrs["labels"]
    index = {label: i for i, label in enumerate(labels)}
    key = model.attrs["spans_key"]
    out = [
        model.ops.asarray2i(cast(Ints2d, _tag_ids(doc, key, index, len(labels)))) for doc in docs
    ]
    return out, lambda d_out: []


def generic_entity_ids(labels: list[str], spans_key: str) -> Model[list[Doc], list[Ints2d]]:
    """Per doc, one row per token: its BIO class in ``doc.spans[spans_key]``."""
    return Model(
        "generic_entity_ids",
        _ids_forward,
        attrs={"labels": list(labels), "spans_key": spans_key},
    )


def n_tag_classes(labels: list[str]) -> int:
    """Outside, plus ``B``/``I`` for each label and for other labels."""
    return 1 + 2 * (len(labels) + 1)


@registry.architectures("race.GenericEntityFeatures.v1")
def build_generic_entity_features(
    width: int, labels: list[str], spans_key: str
) -> Model[list[Doc], list[Floats2d]]:
    """A ``width``-wide embedding of each token's generic-NER BIO tag."""
    return chain(
        generic_entity_ids(labels, spans_key),
        with_array(Embed(nO=width, nV=n_tag_classes(labels), column=0)),
    )


@registry.architectures("race.WithGenericEntities.v1")
def build_with_generic_entities(
    tok2vec: Model[list[Doc], list[Floats2d]], width: int, labels: list[str], spans_key: str
) -> Model[list[Doc], list[Floats2d]]:
    """``tok2vec``'s output with :func:`build_generic_entity_features` appended
    (``tok2vec`` width + ``width`` columns)."""
    model: Model[Any, Any] = concatenate(
        tok2vec, build_generic_entity_features(width, labels, spans_key)
    )
    if tok2vec.has_dim("nO") and tok2vec.get_dim("nO"):
        model.set_dim("nO", tok2vec.get_dim("nO") + width)
    return model
