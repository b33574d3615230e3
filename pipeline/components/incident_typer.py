"""``incident_typer``: give every INCIDENT entity its incident type.

Runs after ``ner``. For each entity labelled INCIDENT in ``doc.ents`` it predicts one
of :data:`racereport.schema.INCIDENT_TYPES` and writes a span with that label to
``doc.spans["incident_types"]`` (the same representation the corpus uses). It is
trained on the gold INCIDENT spans of the reference docs, so its training does not
depend on the entity recognizer's predictions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_get_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import CategoricalCrossentropy, Config, Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d, Ragged

import racereport.ml.incident_typer  # noqa: F401  (registers race.IncidentTyper.v1)
from racereport import schema
from racereport.ml.defaults import TOK2VEC_CONFIG

DEFAULT_MODEL_CONFIG = (
    """
[model]
@architectures = "race.IncidentTyper.v1"
hidden_size = 128
"""
    + TOK2VEC_CONFIG
)
DEFAULT_MODEL = Config().from_str(DEFAULT_MODEL_CONFIG)["model"]


@Language.factory(
    "racereport_incident_typer",
    requires=["doc.ents"],
    assigns=["doc.spans"],
    default_config={
        "model": DEFAULT_MODEL,
        "spans_key": schema.INCIDENT_SPANS_KEY,
        "scorer": {"@scorers": "race.incident_typer_scorer.v1"},
    },
    default_score_weights={"incident_type_acc": 1.0},
)
def make_incident_typer(
    nlp: Language, name: str, model: Model, spans_key: str, scorer: Callable | None
) -> IncidentTyper:
    """Create an :class:`IncidentTyper`."""
    return IncidentTyper(nlp.vocab, model, name, spans_key=spans_key, scorer=scorer)


class IncidentTyper(TrainablePipe):
    """Classify INCIDENT entities into incident types."""

    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = "incident_typer",
        *,
        spans_key: str = schema.INCIDENT_SPANS_KEY,
        scorer: Callable | None = None,
    ) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        self.scorer = scorer
        self.cfg: dict[str, Any] = {"labels": list(schema.INCIDENT_TYPES), "spans_key": spans_key}
        self._loss = CategoricalCrossentropy(names=self.labels, normalize=False)

    @property
    def labels(self) -> tuple[str, ...]:
        """The incident types, in output column order."""
        return tuple(self.cfg["labels"])

    @property
    def key(self) -> str:
        """The ``doc.spans`` key written to."""
        return str(self.cfg["spans_key"])

    def _ragged(self, spans: list[list[tuple[int, int]]]) -> Ragged:
        ops = self.model.ops
        flat = [[start, end] for doc_spans in spans for start, end in doc_spans]
        data = ops.asarray2i(flat) if flat else ops.alloc2i(0, 2)
        return Ragged(data, ops.asarray1i([len(doc_spans) for doc_spans in spans]))

    @staticmethod
    def _incident_ents(doc: Doc) -> list[tuple[int, int]]:
        return [(e.start, e.end) for e in doc.ents if e.label_ == schema.INCIDENT]

    def predict(self, docs: Iterable[Doc]) -> tuple[Ragged, Floats2d]:
        """Type probabilities for the INCIDENT entities of ``docs``."""
        docs = list(docs)
        spans = self._ragged([self._incident_ents(doc) for doc in docs])
        if spans.dataXd.shape[0] == 0:
            return spans, self.model.ops.alloc2f(0, len(self.labels))
        return spans, self.model.predict((docs, spans))

    def set_annotations(self, docs: Iterable[Doc], scores: tuple[Ragged, Floats2d]) -> None:
        """Write one typed span per INCIDENT entity to ``doc.spans[key]``."""
        docs = list(docs)
        spans, probs = scores
        best = self.model.ops.to_numpy(probs).argmax(axis=1) if len(probs) else []
        offset = 0
        lengths = self.model.ops.to_numpy(spans.lengths)
        starts_ends = self.model.ops.to_numpy(spans.dataXd)
        for doc, length in zip(docs, lengths, strict=True):
            typed = []
            for i in range(offset, offset + int(length)):
                start, end = (int(x) for x in starts_ends[i])
                typed.append(Span(doc, start, end, label=self.labels[int(best[i])]))
            doc.spans[self.key] = typed
            offset += int(length)

    def _gold(self, examples: Iterable[Example]) -> tuple[Ragged, list[str]]:
        """Gold INCIDENT spans aligned to the predicted tokens, and their types."""
        spans: list[list[tuple[int, int]]] = []
        truths: list[str] = []
        for eg in examples:
            types = {(s.start, s.end): s.label_ for s in eg.reference.spans.get(self.key, [])}
            doc_spans = []
            for ent in eg.reference.ents:
                label = types.get((ent.start, ent.end))
                if ent.label_ != schema.INCIDENT or label not in self.labels:
                    continue
                aligned = eg.get_aligned_spans_y2x([ent])
                if aligned:
                    doc_spans.append((aligned[0].start, aligned[0].end))
                    truths.append(label)
            spans.append(doc_spans)
        return self._ragged(spans), truths

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optimizer | None = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        """Learn from the gold INCIDENT spans of ``examples`` (``drop``: the dropout
        rate of the model's dropout layers for this update)."""
        examples = list(examples)
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        validate_get_examples(lambda: examples, "IncidentTyper.update")
        spans, truths = self._gold(examples)
        if not truths:
            return losses
        docs = [eg.predicted for eg in examples]
        set_dropout_rate(self.model, drop)
        scores, backprop = self.model.begin_update((docs, spans))
        loss, d_scores = self.get_loss(examples, (scores, truths))
        backprop(d_scores)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores: Any) -> tuple[float, Floats2d]:
        """Categorical cross-entropy between predicted distributions and gold types."""
        probs, truths = scores
        d_scores, loss = self._loss(probs, truths)
        return float(loss), d_scores

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: list[str] | None = None,
    ) -> None:
        """Set the output size from the schema's incident types and initialize the model."""
        validate_get_examples(get_examples, "IncidentTyper.initialize")
        if labels is not None and tuple(labels) != schema.INCIDENT_TYPES:
            raise ValueError(
                f"incident_typer labels must be the schema's incident types "
                f"{schema.INCIDENT_TYPES}, got {labels}"
            )
        self.model.get_ref("scorer").set_dim("nO", len(self.labels))
        sample = list(get_examples())[:10]
        spans, _ = self._gold(sample)
        if spans.dataXd.shape[0]:
            docs = [eg.predicted for eg in sample]
            self.model.initialize(X=(docs, spans))
        else:
            self.model.initialize()

    def add_label(self, label: str) -> int:
        """Labels are fixed by the schema; adding one is an error unless it is known."""
        if label not in self.labels:
            raise ValueError(f"'{label}' is not an incident type of the schema")
        return 0


@registry.scorers("race.incident_typer_scorer.v1")
def make_incident_typer_scorer() -> Callable[..., dict[str, Any]]:
    """Registered scorer: incident type accuracy and typed-span P/R/F."""
    return score_incident_types


def score_incident_types(examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
    """Type accuracy on gold incidents the pipeline found with exact boundaries, and P/R/F
    of typed incident spans (``incident_types_p/r/f``; a span counts when both boundaries
    and type are right)."""
    examples = list(examples)
    key = kwargs.get("spans_key", schema.INCIDENT_SPANS_KEY)
    correct = total = 0
    for eg in examples:
        gold = {(s.start_char, s.end_char): s.label_ for s in eg.reference.spans.get(key, [])}
        for span in eg.predicted.spans.get(key, []):
            label = gold.get((span.start_char, span.end_char))
            if label is not None:
                total += 1
                correct += label == span.label_
    scores = Scorer.score_spans(
        examples, attr=key, getter=lambda doc, attr: doc.spans.get(attr, []), labeled=True
    )
    out = {
        "incident_type_acc": correct / total if total else None,
        "incident_types_p": scores[f"{key}_p"],
        "incident_types_r": scores[f"{key}_r"],
        "incident_types_f": scores[f"{key}_f"],
    }
    return out
