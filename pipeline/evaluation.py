"""Score a pipeline against gold documents, on character offsets.

Entities count as correct when label and both character offsets match exactly, so
the score does not depend on tokenization. Besides per-label and micro P/R/F1 the
report gives incident detection (the INCIDENT label), incident type accuracy (on
gold incidents found with exact boundaries) and a confusion summary: label
confusions on the same span, boundary errors, misses, spurious predictions and the
incident type confusion matrix.

Relations count as correct when the type and both arguments' character offsets
match. They are scored end to end (on the pipeline's own entities, :func:`evaluate`)
or with the gold entities given to the relation extractor
(:func:`evaluate_relations_with_gold_entities`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from racereport import schema
from racereport.corpus.docbin import doc_to_document, document_to_doc
from racereport.generalisation import (
    common_words_as_names,
    entities_in_other_text,
    new_event_documents,
    overlap_scores,
    people_read_as_drivers,
    training_names,
    unseen_name_recall,
)
from racereport.records import Document, Entity
from racereport.scoring import PRF, RelationTriple

ENTITY_COMPONENTS = frozenset(
    {"ner", "name_propagation", "entity_ruler", "span_ruler", "incident_typer"}
)
"""Components that set entities or their types; skipped when gold entities are given."""


@dataclass
class EvaluationReport:
    """Scores of one pipeline on one set of gold documents."""

    documents: int = 0
    micro: PRF = field(default_factory=PRF)
    per_label: dict[str, PRF] = field(
        default_factory=lambda: {label: PRF() for label in schema.ENTITY_LABELS}
    )
    type_correct: int = 0
    type_total: int = 0
    label_confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    boundary_errors: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)
    spurious: Counter[str] = field(default_factory=Counter)
    type_confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    relations_scored: bool = False
    relation_micro: PRF = field(default_factory=PRF)
    relation_per_label: dict[str, PRF] = field(
        default_factory=lambda: {label: PRF() for label in schema.RELATION_LABELS}
    )

    @property
    def incident(self) -> PRF:
        """Incident detection: the INCIDENT label regardless of type."""
        return self.per_label[schema.INCIDENT]

    @property
    def type_accuracy(self) -> float:
        """Share of exactly found gold incidents whose predicted type is right."""
        return self.type_correct / self.type_total if self.type_total else 0.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-compatible form (what ``racereport evaluate --output`` writes)."""
        return {
            "documents": self.documents,
            "ents_micro": self.micro.to_dict(),
            "ents_per_label": {k: v.to_dict() for k, v in self.per_label.items()},
            "incident_detection": self.incident.to_dict(),
            "incident_type_accuracy": round(self.type_accuracy, 4),
            "incident_type_support": self.type_total,
            **(
                {
                    "relations_micro": self.relation_micro.to_dict(),
                    "relations_per_label": {
                        k: v.to_dict() for k, v in self.relation_per_label.items()
                    },
                }
                if self.relations_scored
                else {}
            ),
            "confusion": {
                "label": [
                    {"gold": g, "predicted": p, "count": n}
                    for (g, p), n in self.label_confusions.most_common()
                ],
                "boundary": dict(self.boundary_errors.most_common()),
                "missed": dict(self.missed.most_common()),
                "spurious": dict(self.spurious.most_common()),
                "incident_type": [
                    {"gold": g, "predicted": p, "count": n}
                    for (g, p), n in self.type_confusions.most_common()
                ],
            },
        }


def _overlaps(a: Entity, b: Entity) -> bool:
    return a.start < b.end and b.start < a.end


def document_relation_triples(doc: Document) -> set[RelationTriple]:
    """The relations of a :class:`Document` on character offsets."""
    spans = {e.id: (e.start, e.end) for e in doc.entities}
    return {
        (spans[r.head], spans[r.tail], r.label)
        for r in doc.relations
        if r.head in spans and r.tail in spans
    }


def _score_relations(report: EvaluationReport, gold: Document, predicted: Document) -> None:
    g = document_relation_triples(gold)
    p = document_relation_triples(predicted)
    for triple in g | p:
        prf = report.relation_per_label.setdefault(triple[2], PRF())
        if triple in g and triple in p:
            prf.tp += 1
            report.relation_micro.tp += 1
        elif triple in p:
            prf.fp += 1
            report.relation_micro.fp += 1
        else:
            prf.fn += 1
            report.relation_micro.fn += 1


def score_documents(
    gold: Sequence[Document], predicted: Sequence[Document], relations: bool = False
) -> EvaluationReport:
    """Compare predicted documents with gold ones (same order, same texts); with
    ``relations`` the relations are scored too."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} predicted")
    report = EvaluationReport(documents=len(gold), relations_scored=relations)
    for g_doc, p_doc in zip(gold, predicted, strict=True):
        if g_doc.text != p_doc.text:
            raise ValueError(f"[{g_doc.id}] predicted text differs from the gold text")
        g_spans = {(e.start, e.end, e.label): e for e in g_doc.entities}
        p_spans = {(e.start, e.end, e.label): e for e in p_doc.entities}
        for key in g_spans.keys() & p_spans.keys():
            report.per_label[key[2]].tp += 1
        for key in g_spans.keys() - p_spans.keys():
            report.per_label[key[2]].fn += 1
        for key in p_spans.keys() - g_spans.keys():
            if key[2] in report.per_label:
                report.per_label[key[2]].fp += 1
        _confusions(report, g_doc, p_doc, g_spans.keys() & p_spans.keys())
        if relations:
            _score_relations(report, g_doc, p_doc)
        p_types = {(e.start, e.end): e.type for e in p_doc.entities if e.label == schema.INCIDENT}
        for ent in g_doc.entities:
            if ent.label == schema.INCIDENT and (ent.start, ent.end) in p_types:
                predicted_type = p_types[(ent.start, ent.end)] or "NONE"
                report.type_total += 1
                report.type_correct += predicted_type == ent.type
                if predicted_type != ent.type:
                    report.type_confusions[(ent.type or "NONE", predicted_type)] += 1
    for prf in report.per_label.values():
        report.micro.tp += prf.tp
        report.micro.fp += prf.fp
        report.micro.fn += prf.fn
    return report


def _confusions(
    report: EvaluationReport, g_doc: Document, p_doc: Document, correct: set[tuple[int, int, str]]
) -> None:
    for g in g_doc.entities:
        if (g.start, g.end, g.label) in correct:
            continue
        same_span = [p for p in p_doc.entities if (p.start, p.end) == (g.start, g.end)]
        overlapping = [p for p in p_doc.entities if _overlaps(p, g)]
        if same_span:
            report.label_confusions[(g.label, same_span[0].label)] += 1
        elif any(p.label == g.label for p in overlapping):
            report.boundary_errors[g.label] += 1
        elif not overlapping:
            report.missed[g.label] += 1
        else:
            report.label_confusions[(g.label, overlapping[0].label)] += 1
    for p in p_doc.entities:
        if (p.start, p.end, p.label) not in correct and not any(
            _overlaps(p, g) for g in g_doc.entities
        ):
            report.spurious[p.label] += 1


def _with_predictions(gold: Document, spacy_doc: Doc) -> Document:
    """``gold``'s id, text and metadata with the entities and relations of ``spacy_doc``."""
    found = doc_to_document(spacy_doc)
    return replace(gold, entities=found.entities, relations=found.relations, provenance=())


def predict_documents(
    nlp: Language, docs: Iterable[Document], batch_size: int = 64
) -> list[Document]:
    """Run ``nlp`` over the texts of ``docs``; the results keep ids and metadata."""
    return _predict_with_persons(nlp, docs, batch_size)[0]


def _predict_with_persons(
    nlp: Language, docs: Iterable[Document], batch_size: int = 64
) -> tuple[list[Document], list[list[tuple[int, int]]]]:
    """:func:`predict_documents`, and per document the character spans of the persons
    the pipeline's generic tagger found (``doc.spans["generic_ents"]``; none without one)."""
    docs = list(docs)
    out = []
    persons = []
    for gold, spacy_doc in zip(
        docs, nlp.pipe((d.text for d in docs), batch_size=batch_size), strict=True
    ):
        out.append(_with_predictions(gold, spacy_doc))
        generic = spacy_doc.spans.get(schema.GENERIC_SPANS_KEY, [])
        persons.append([(s.start_char, s.end_char) for s in generic if s.label_ == "PER"])
    return out, persons


def has_relations(nlp: Language) -> bool:
    """Whether ``nlp`` has a component that predicts relations."""
    return "relation_extractor" in nlp.pipe_names


def evaluate(nlp: Language, gold: Sequence[Document]) -> EvaluationReport:
    """Predict ``gold``'s texts with ``nlp`` and score the result (relations end to end)."""
    return score_documents(gold, predict_documents(nlp, gold), relations=has_relations(nlp))


def gold_entity_docs(nlp: Language, gold: Sequence[Document], until: str) -> list[Doc]:
    """``gold``'s texts with their gold entities (and ids, without relations), run
    through the components before ``until`` that do not set entities (a tok2vec or
    transformer the relation extractor listens to)."""
    docs = []
    for document in gold:
        doc = document_to_doc(nlp, document)
        doc._.racereport_relations = []
        docs.append(doc)
    for name, proc in nlp.pipeline:
        if name == until:
            break
        if name not in ENTITY_COMPONENTS:
            docs = list(proc.pipe(docs))  # type: ignore[attr-defined]
    return docs


def evaluate_relations_with_gold_entities(
    nlp: Language, gold: Sequence[Document], batch_size: int = 64
) -> EvaluationReport:
    """Score ``nlp``'s relations when its relation extractor is given the gold entities
    (the components in :data:`ENTITY_COMPONENTS` are skipped)."""
    if not has_relations(nlp):
        raise ValueError(f"the pipeline {nlp.pipe_names} has no relation_extractor")
    predicted = _predict_with_gold_entities(nlp, gold, batch_size)
    return score_documents(gold, predicted, relations=True)


def _predict_with_gold_entities(
    nlp: Language, gold: Sequence[Document], batch_size: int = 64
) -> list[Document]:
    docs = gold_entity_docs(nlp, gold, until="relation_extractor")
    docs = list(nlp.get_pipe("relation_extractor").pipe(docs, batch_size=batch_size))  # type: ignore[attr-defined]
    return [_with_predictions(g, doc) for g, doc in zip(gold, docs, strict=True)]


@dataclass
class _Predictions:
    """What a report is computed from: the gold documents, ``nlp``'s predictions and,
    where it predicts relations, its predictions from the gold entities."""

    gold: list[Document]
    predicted: list[Document]
    with_gold_entities: list[Document] | None
    persons: list[list[tuple[int, int]]]

    @classmethod
    def of(cls, nlp: Language, gold: Sequence[Document]) -> _Predictions:
        gold = list(gold)
        with_gold = _predict_with_gold_entities(nlp, gold) if has_relations(nlp) else None
        predicted, persons = _predict_with_persons(nlp, gold)
        return cls(gold, predicted, with_gold, persons)

    def subset(self, keep: Sequence[int]) -> _Predictions:
        with_gold = self.with_gold_entities
        return _Predictions(
            [self.gold[i] for i in keep],
            [self.predicted[i] for i in keep],
            None if with_gold is None else [with_gold[i] for i in keep],
            [self.persons[i] for i in keep],
        )

    def report(self, seen: frozenset[str] | None) -> dict[str, Any]:
        gold, predicted = self.gold, self.predicted
        relations = self.with_gold_entities is not None
        report = score_documents(gold, predicted, relations=relations).to_dict()
        report["ents_micro_overlap"] = overlap_scores(gold, predicted)
        report["common_words"] = common_words_as_names(gold, predicted)
        if any(self.persons):
            report["people_not_drivers"] = people_read_as_drivers(gold, predicted, self.persons)
        if seen is not None:
            report["unseen_names"] = unseen_name_recall(gold, predicted, seen)
        if self.with_gold_entities is not None:
            gold_entities = score_documents(gold, self.with_gold_entities, relations=True)
            scores = gold_entities.to_dict()
            report["relations_gold_entities"] = {
                "micro": scores["relations_micro"],
                "per_label": scores["relations_per_label"],
            }
        return report


def evaluation_report(
    nlp: Language, gold: Sequence[Document], train: Sequence[Document] | None = None
) -> dict[str, Any]:
    """:func:`evaluate` as JSON, plus ``relations_gold_entities`` (``micro`` and
    ``per_label``) where ``nlp`` predicts relations, ``ents_micro_overlap`` and
    ``common_words`` (see :mod:`racereport.generalisation`) and, given the ``train``
    documents, ``unseen_names``: what ``racereport evaluate`` prints and
    ``racereport train`` stores with a packaged model."""
    seen = training_names(train) if train is not None else None
    return _Predictions.of(nlp, gold).report(seen)


def long_article_reports(
    nlp: Language, long_docs: Sequence[Document], train: Sequence[Document]
) -> dict[str, dict[str, Any]]:
    """The long-article test set's entries of a report: ``heldout_long`` (all of it),
    ``heldout_long_new_events`` (its documents about events no ``train`` document
    reports, see :func:`racereport.generalisation.new_event_documents`) and
    ``heldout_long_by_register`` (a report per register, where there are several: the
    registers differ in how hard they are, as real reporting does); each only where it
    has documents. Each document is predicted once for all of them."""
    if not long_docs:
        return {}
    predictions = _Predictions.of(nlp, long_docs)
    seen = training_names(train)
    reports: dict[str, Any] = {"heldout_long": predictions.report(seen)}
    fresh = {d.id for d in new_event_documents(long_docs, train)}
    if fresh:
        keep = [i for i, d in enumerate(long_docs) if d.id in fresh]
        reports["heldout_long_new_events"] = predictions.subset(keep).report(seen)
    by_register: dict[str, list[int]] = {}
    for i, doc in enumerate(long_docs):
        by_register.setdefault(doc.register, []).append(i)
    if len(by_register) > 1:
        reports["heldout_long_by_register"] = {
            register: predictions.subset(indices).report(seen)
            for register, indices in sorted(by_register.items())
        }
    return reports


def real_text_reports(
    nlp: Language,
    real_docs: Sequence[Document],
    other_docs: Sequence[Document],
    train: Sequence[Document],
) -> dict[str, dict[str, Any]]:
    """A report's ``real_text`` entry (annotated real text, scored like a split) and its
    ``other_text`` entry (entities found in text about other things, see
    :func:`racereport.generalisation.entities_in_other_text`), each where there are
    documents."""
    reports: dict[str, dict[str, Any]] = {}
    if real_docs:
        reports["real_text"] = evaluation_report(nlp, real_docs, train=train)
    if other_docs:
        reports["other_text"] = entities_in_other_text(predict_documents(nlp, other_docs))
    return reports
