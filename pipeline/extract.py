"""Load the bundled pipeline and turn processed documents into output records.

:func:`load` returns the spaCy ``Language``; :func:`extraction_record` is the JSON
object ``racereport extract`` prints for one document: ``id``, ``lang``, ``text``,
``entities`` (character offsets into the input text, exactly), ``relations`` (with
their scores), ``graph`` (the event graph as node-link JSON) and ``warnings`` (what
was left out, e.g. relation candidates beyond the per-entity cap).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from racereport.bundled import bundled_model
from racereport.doc_records import doc_to_document
from racereport.errors import ModelNotFoundError
from racereport.factory_names import check_not_legacy
from racereport.pipe_errors import pipe_each, set_error_handlers

BUNDLED_MODEL = bundled_model("de")
"""The pipeline committed with the repository (shipped as package data when installed)."""

MODEL_ENV = "RACEREPORT_MODEL"


def load(model: str | Path | None = None, **kwargs: Any) -> Language:
    """The pipeline: ``model`` (a path or installed package name), else ``$RACEREPORT_MODEL``,
    else the bundled ``models/racereport-de``. ``kwargs`` go to ``spacy.load``."""
    name = model or os.environ.get(MODEL_ENV) or BUNDLED_MODEL
    if isinstance(name, Path) and not name.exists():
        raise ModelNotFoundError(
            f"no pipeline at {name}; train one with 'racereport train' or pass --model"
        )
    check_not_legacy(name)
    return spacy.load(name, **kwargs)


def extraction_record(doc: Doc, doc_id: str) -> dict[str, Any]:
    """The output object for one processed document."""
    from racereport.components.event_graph import relation_scores_by_id

    ents = doc.ents
    document = doc_to_document(doc, ents)
    scores = relation_scores_by_id(doc, doc._.racereport_relations or [], ents)
    return {
        "id": doc_id,
        "lang": doc.lang_,
        "text": doc.text,
        "entities": [e.to_dict() for e in document.entities],
        "relations": [
            {**r.to_dict(), "score": scores.get((r.head, r.tail, r.label))}
            for r in document.relations
        ],
        "graph": doc._.racereport_event_graph_data or {},
        "warnings": warnings_of(doc),
    }


def warnings_of(doc: Doc) -> list[str]:
    """What the pipeline left out of a processed document (empty: nothing)."""
    cut = doc._.racereport_relation_candidates_cut or 0
    if not cut:
        return []
    return [
        f"relation candidates capped: {cut} entity pairs beyond each entity's nearest "
        "were not scored (max_candidates_per_entity)"
    ]


def process_texts(
    inputs: list[tuple[str, str]], model: str | Path | None = None, lang: str = "auto"
) -> list[tuple[str, Doc | str]]:
    """``(id, processed Doc)`` per ``(id, text)``, in order, or ``(id, error message)``
    for a text in a language without a pipeline or one a component failed on (that
    failure costs no other text). With ``model``, every text goes
    through that pipeline; without, each through its language's bundled pipeline
    (``lang="auto"``: identified per text) or through ``lang``'s."""
    from racereport.multilingual.router import Router

    results: list[tuple[str, Doc | str]] = [(doc_id, "not processed") for doc_id, _ in inputs]
    if model is not None or os.environ.get(MODEL_ENV):
        nlp = load(model)
        batches = [(nlp, list(range(len(inputs))))]
    else:
        router = Router.for_option(lang)
        groups, errors = router.route([text for _, text in inputs])
        for i, (_, error) in errors.items():
            results[i] = (inputs[i][0], error)
        batches = [(router.pipeline(found), indices) for found, indices in groups.items()]
    for nlp, indices in batches:
        set_error_handlers(nlp)
        processed = pipe_each(
            nlp,
            [inputs[i][1] for i in indices],
            doc_ids=[inputs[i][0] for i in indices],
            max_chars=MAX_BATCH_CHARS,
        )
        for i, result in zip(indices, processed, strict=True):
            results[i] = (inputs[i][0], result)
    return results


MAX_BATCH_CHARS = 100_000
"""Characters that go through the pipeline together at most (a text longer than this
goes alone): the tok2vec layers' memory grows with the tokens of a batch."""
