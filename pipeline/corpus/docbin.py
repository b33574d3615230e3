"""Convert corpus documents to spaCy ``Doc`` objects and ``DocBin`` files, and back.

A converted ``Doc`` carries the entities in ``doc.ents``, each INCIDENT's type as a
span labelled with it in ``doc.spans["incident_types"]``, and ids, relations and
metadata in the extensions of :mod:`racereport.extensions`. ``DocBin`` files are
written with ``store_user_data=True`` so all of it survives. The inverse,
:func:`doc_to_document`, lives in :mod:`racereport.doc_records` (runtime code reads it
there) and is re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span

from racereport import extensions, schema
from racereport.corpus.jsonl import CorpusError
from racereport.doc_records import doc_to_document
from racereport.records import Document

extensions.register_extensions()

__all__ = ["doc_to_document", "document_to_doc", "read_docbin", "to_docbin"]


def document_to_doc(nlp: Language, doc: Document) -> Doc:
    """Tokenize ``doc.text`` with ``nlp``'s tokenizer and attach all annotations.

    Raises :class:`CorpusError` when an entity does not align with token boundaries.
    """
    spacy_doc = nlp.make_doc(doc.text)
    ents: list[Span] = []
    incidents: list[Span] = []
    ids: list[str] = []
    for ent in sorted(doc.entities, key=lambda e: e.start):
        span = spacy_doc.char_span(ent.start, ent.end, label=ent.label, alignment_mode="strict")
        if span is None:
            raise CorpusError(
                f"[{doc.id}] entity {ent.id} {ent.text!r} ({ent.start}-{ent.end}) does not "
                "align with token boundaries; run 'racereport corpus validate'"
            )
        ents.append(span)
        ids.append(ent.id)
        if ent.type is not None:
            incidents.append(Span(spacy_doc, span.start, span.end, label=ent.type))
    spacy_doc.ents = ents
    spacy_doc.spans[schema.INCIDENT_SPANS_KEY] = incidents
    spacy_doc._.racereport_doc_id = doc.id
    spacy_doc._.racereport_entity_ids = ids
    spacy_doc._.racereport_relations = [r.to_dict() for r in doc.relations]
    spacy_doc._.racereport_doc_meta = {
        "lang": doc.lang,
        "series": doc.series,
        "register": doc.register,
        "date": doc.date,
        "source": doc.source,
        "length": doc.length,
        "provenance": [p.to_dict() for p in doc.provenance],
    }
    return spacy_doc


def to_docbin(nlp: Language, docs: Iterable[Document]) -> DocBin:
    """A ``DocBin`` (with user data) holding ``docs`` tokenized by ``nlp``."""
    docbin = DocBin(store_user_data=True)
    for doc in docs:
        docbin.add(document_to_doc(nlp, doc))
    return docbin


def read_docbin(nlp: Language, path: str | Path) -> Iterator[Document]:
    """The documents stored in a ``.spacy`` file written by :func:`to_docbin`."""
    docbin = DocBin(store_user_data=True).from_disk(path)
    for spacy_doc in docbin.get_docs(nlp.vocab):
        yield doc_to_document(spacy_doc)
