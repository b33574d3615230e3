"""Documents to annotate: read an unlabelled pool, pre-annotate it with the pipeline and
keep the model's confidence in each entity and relation.

Entity confidences come from a beam search over the entity recognizer's transitions
(the probability mass of the beam's parses that contain the entity); relation
confidences are the relation extractor's scores. Both feed the uncertainty measure of
:mod:`racereport.annotate.select` and travel with the exported tasks as scores.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from spacy.tokens import Doc
from spacy.util import minibatch

from racereport.batch.sources import DEFAULT_FIELDS, Fields, expand, read_path
from racereport.doc_records import doc_to_document
from racereport.extensions import iter_relation_scores
from racereport.records import Document

RelationKey = tuple[str, str, str]
"""``(head entity id, tail entity id, type)``."""

SpanKey = tuple[int, int, str]
"""``(start token, end token, label)``."""


class PoolError(ValueError):
    """A pool document cannot be read; the message says which and why."""


@dataclass(frozen=True)
class Task:
    """A document to annotate with its pre-annotations and their confidences."""

    document: Document
    entity_scores: dict[str, float] = field(default_factory=dict)
    """Entity id -> probability that the entity is right."""
    relation_scores: dict[RelationKey, float] = field(default_factory=dict)
    """Every scored candidate relation (predicted or not) -> score."""
    thresholds: dict[str, float] = field(default_factory=dict)
    """The relation extractor's threshold per type (a relation is predicted at or above)."""
    entity_candidates: list[float] = field(default_factory=list)
    """Probabilities of every span the beam considered (including those not predicted)."""
    vector: numpy.ndarray | None = None
    """The document's mean token vector (for diversity), when the pipeline has one."""
    model: str = ""
    """Which pipeline made the pre-annotations (``name-version``)."""


def read_pool(paths: Sequence[Path], fields: Fields = DEFAULT_FIELDS) -> list[Document]:
    """The documents of an unlabelled pool: text files, folders, JSONL/Parquet records or
    corpus JSONL (whose metadata is kept; its annotations are not). Raises
    :class:`PoolError` naming the first unreadable document or a repeated id."""
    docs: list[Document] = []
    seen: set[str] = set()
    for path in expand(list(paths)):
        records = _jsonl_records(path) if path.suffix == ".jsonl" else {}
        for item in read_path(path, fields):
            if item.error is not None:
                where = f" ({item.where})" if item.where else ""
                raise PoolError(f"{item.source}{where} [{item.id}]: {item.error}")
            if item.id in seen:
                raise PoolError(f"{item.source}: document id '{item.id}' occurs twice in the pool")
            seen.add(item.id)
            assert item.text is not None
            record = records.get(item.where, {})
            docs.append(
                Document(
                    id=item.id,
                    text=item.text,
                    lang=str(record.get("lang") or "de"),
                    series=str(record.get("series") or ""),
                    register=str(record.get("register") or "news"),
                    date=str(record["date"]) if record.get("date") else None,
                    source=str(record.get("source") or item.source),
                )
            )
    return docs


def _jsonl_records(path: Path) -> dict[str, dict[str, Any]]:
    """The JSON objects of a JSONL file by ``line N`` (bad lines left to the reader)."""
    records: dict[str, dict[str, Any]] = {}
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            try:
                obj = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                continue
            if isinstance(obj, dict):
                records[f"line {number}"] = obj
    return records


def _entity_probabilities(
    ner: EntityRecognizer, docs: list[Doc], width: int
) -> list[dict[SpanKey, float]]:
    """Per doc: the beam's probability mass of each ``(start, end, label)`` span."""
    return [dict(scores) for scores in ner.scored_ents(ner.beam_parse(docs, beam_width=width))]


def pre_annotate(
    nlp: Language, documents: Iterable[Document], beam_width: int = 16, batch_size: int = 32
) -> Iterator[Task]:
    """Run the pipeline on each document and yield its :class:`Task`: the predicted
    entities and relations (the document's metadata kept) with their confidences."""
    ner = nlp.get_pipe("ner") if "ner" in nlp.pipe_names else None
    rel = nlp.get_pipe("relation_extractor") if "relation_extractor" in nlp.pipe_names else None
    thresholds = dict(getattr(rel, "cfg", {}).get("thresholds", {}))
    model = f"{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"
    for batch in minibatch(documents, batch_size):
        yield from _annotate_batch(nlp, ner, list(batch), beam_width, thresholds, model)


def _annotate_batch(
    nlp: Language,
    ner: object,
    batch: list[Document],
    beam_width: int,
    thresholds: dict[str, float],
    model: str,
) -> Iterator[Task]:
    docs = list(nlp.pipe(d.text for d in batch))
    probs: list[dict[SpanKey, float]] = [{} for _ in docs]
    if isinstance(ner, EntityRecognizer) and beam_width > 1:
        probs = _entity_probabilities(ner, docs, beam_width)
    for source, doc, doc_probs in zip(batch, docs, probs, strict=True):
        ents = list(doc.ents)
        predicted = doc_to_document(doc, ents)
        ids = [e.id for e in predicted.entities]
        entity_scores = {
            ent_id: round(doc_probs.get((e.start, e.end, e.label_), 1.0), 4)
            for ent_id, e in zip(ids, ents, strict=True)
        }
        id_of = {(e.start, e.end): ent_id for ent_id, e in zip(ids, ents, strict=True)}
        relation_scores: dict[RelationKey, float] = {}
        for (h0, h1, t0, t1), scores in iter_relation_scores(doc):
            head, tail = id_of.get((h0, h1)), id_of.get((t0, t1))
            if head is None or tail is None:
                continue
            for label, score in scores.items():
                relation_scores[(head, tail, label)] = float(score)
        vector = doc.tensor.mean(axis=0) if doc.tensor is not None and doc.tensor.size else None
        yield Task(
            document=replace(source, entities=predicted.entities, relations=predicted.relations),
            entity_scores=entity_scores,
            relation_scores=relation_scores,
            thresholds=thresholds,
            entity_candidates=[round(p, 4) for p in doc_probs.values()],
            vector=vector,
            model=model,
        )


def gold_task(document: Document, model: str = "") -> Task:
    """A task that carries a document's own (gold) annotations, with full confidence."""
    return Task(
        document=document,
        entity_scores={e.id: 1.0 for e in document.entities},
        relation_scores={(r.head, r.tail, r.label): 1.0 for r in document.relations},
        model=model,
    )
