"""Thinc model for the incident typer: one probability distribution per span.

Input is ``(docs, spans)`` where ``spans`` is a ``Ragged`` of ``(start, end)`` token
indices per document, as in spaCy's span categorizer; output is a ``Floats2d`` with
one row per span and one column per incident type.
"""

from __future__ import annotations

from spacy.ml.extract_spans import extract_spans
from spacy.ml.models.spancat import build_mean_max_reducer
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model, Softmax_v2, chain, list2ragged, with_getitem
from thinc.types import Floats2d, Ragged


@registry.architectures("race.IncidentTyper.v1")
def build_incident_typer(
    tok2vec: Model[list[Doc], list[Floats2d]],
    hidden_size: int = 128,
) -> Model[tuple[list[Doc], Ragged], Floats2d]:
    """Pool each span's token vectors (mean and max), a hidden layer, then softmax."""
    reducer = build_mean_max_reducer(hidden_size)
    scorer: Model[Floats2d, Floats2d] = Softmax_v2(nI=hidden_size)
    model: Model[tuple[list[Doc], Ragged], Floats2d] = chain(
        with_getitem(0, chain(tok2vec, list2ragged())),
        extract_spans(),
        reducer,
        scorer,
    )
    model.set_ref("tok2vec", tok2vec)
    model.set_ref("reducer", reducer)
    model.set_ref("scorer", scorer)
    return model
