"""The :class:`Document` record a processed spaCy ``Doc`` holds.

Runtime code (the event graph, extraction records, annotation tasks) turns docs into
records with :func:`doc_to_document`; the corpus tooling's inverse,
:func:`racereport.corpus.docbin.document_to_doc`, builds annotated docs for training.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.attrs import ORTH, SPACY
from spacy.tokens import Doc, Span

from racereport import extensions, schema
from racereport.records import Document, Entity, Provenance, Relation

extensions.register_extensions()


def doc_text(doc: Doc) -> str:
    """``doc.text``, read from the doc's arrays: spaCy's ``Doc.text`` joins a ``Token``
    object per token, which costs a share of the pipeline's time on long documents."""
    if len(doc) == 0:
        return ""
    orths, spaces = doc.to_array([ORTH, SPACY]).T.tolist()
    strings = doc.vocab.strings
    return "".join(
        [strings[o] + " " if s else strings[o] for o, s in zip(orths, spaces, strict=True)]
    )


def doc_to_document(spacy_doc: Doc, ents: Sequence[Span] | None = None) -> Document:
    """The :class:`Document` a converted ``Doc`` holds (inverse of :func:`document_to_doc`).

    Works on predicted docs too: entities without stored ids get ``e1``, ``e2``, ...
    ``ents`` may pass ``doc.ents`` where the caller has it already (it scans every token).
    """
    ents = spacy_doc.ents if ents is None else ents
    ids = spacy_doc._.racereport_entity_ids or [f"e{i + 1}" for i in range(len(ents))]
    if len(ids) != len(ents):
        raise ValueError(f"{len(ids)} entity ids for {len(ents)} entities")
    types = {(s.start, s.end): s.label_ for s in spacy_doc.spans.get(schema.INCIDENT_SPANS_KEY, [])}
    meta = spacy_doc._.racereport_doc_meta or {}
    text = doc_text(spacy_doc)
    entities = tuple(
        Entity(
            id=ent_id,
            start=span.start_char,
            end=span.end_char,
            label=span.label_,
            text=text[span.start_char : span.end_char],
            type=types.get((span.start, span.end)),
        )
        for ent_id, span in zip(ids, ents, strict=False)
    )
    return Document(
        id=spacy_doc._.racereport_doc_id or "",
        text=text,
        lang=meta.get("lang", spacy_doc.lang_),
        series=meta.get("series", ""),
        register=meta.get("register", "news"),
        date=meta.get("date"),
        source=meta.get("source", ""),
        length=meta.get("length", "short"),
        entities=entities,
        relations=tuple(Relation(**r) for r in spacy_doc._.racereport_relations or []),
        provenance=tuple(Provenance(**p) for p in meta.get("provenance", [])),
    )
