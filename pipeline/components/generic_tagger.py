"""``racereport_generic_tagger``: the base's real-text NER distilled onto the shared tok2vec.

``racereport_generic_entities`` keeps what the German base learned from real news and
Wikipedia by running a frozen copy of it, which is a second tok2vec and about a third of
the pipeline's time. This component keeps the same knowledge at the cost of one linear
layer: a BIO tagger over the generic labels (PER/LOC/ORG) that listens to the pipeline's
shared tok2vec and is trained, while the motorsport components are fine-tuned, to
reproduce what the frozen base (the *teacher*) tags in the training texts. The auxiliary
loss keeps the shared tok2vec able to tell names from ordinary words, and the tags it
predicts are written to ``doc.spans[spans_key]`` as ``racereport_generic_entities``
writes them, so the motorsport NER reads them the same way
(``race.WithGenericEntities.v1``).

The teacher is needed only for training: give it at initialization (``[initialize.
components.NAME] teacher = PATH``); it is not saved with the pipeline. During
:meth:`update` the component also writes the tags it predicts to the training docs, so
the components after it learn from the tags they will see at run time (it need not be
listed in ``[training] annotating_components``; listing it there would need the tok2vec
listed as well, and a second tok2vec pass).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy
import spacy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_get_examples
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d

from racereport import schema
from racereport.components.generic_entities import entities_of

DEFAULT_MODEL = Config().from_str(
    """
[model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = false

[model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 96
upstream = "*"
"""
)["model"]

OUTSIDE = "O"


@Language.factory(
    "racereport_generic_tagger",
    assigns=["doc.spans"],
    default_config={
        "model": DEFAULT_MODEL,
        "spans_key": schema.GENERIC_SPANS_KEY,
        "loss_weight": 1.0,
    },
)
def make_generic_tagger(
    nlp: Language, name: str, model: Model, spans_key: str, loss_weight: float
) -> GenericTagger:
    """Create a :class:`GenericTagger` (labels are set at initialization; ``loss_weight``
    scales the auxiliary loss and so its pull on the shared tok2vec)."""
    return GenericTagger(nlp.vocab, model, name, spans_key=spans_key, loss_weight=loss_weight)


def bio_tags(labels: Iterable[str]) -> list[str]:
    """``O``, then ``B-``/``I-`` for each label: the tagger's output columns."""
    tags = [OUTSIDE]
    for label in labels:
        tags += [f"B-{label}", f"I-{label}"]
    return tags


def spans_from_tags(tags: list[str]) -> list[tuple[int, int, str]]:
    """``(start, end, label)`` for a BIO sequence; an ``I-`` tag that does not continue a
    span of its label starts one."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, OUTSIDE]):
        prefix, _, tag_label = tag.partition("-")
        if label and (prefix != "I" or tag_label != label):
            spans.append((start, i, label))
            start, label = -1, ""
        if prefix in ("B", "I") and not label:
            start, label = i, tag_label
    return spans


class GenericTagger(TrainablePipe):
    """Tag the teacher's generic entities from the shared tok2vec; write them as spans."""

    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = "generic_tagger",
        *,
        spans_key: str,
        loss_weight: float = 1.0,
    ) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        self.cfg: dict[str, Any] = {"labels": [], "spans_key": spans_key}
        self.loss_weight = loss_weight
        self.teacher: Language | None = None
        self._teacher_tags: dict[tuple[str, ...], numpy.ndarray] = {}

    @property
    def labels(self) -> tuple[str, ...]:
        """The generic entity labels (empty before initialization)."""
        return tuple(self.cfg["labels"])

    @property
    def tags(self) -> list[str]:
        """The BIO tags, in output column order."""
        return bio_tags(self.labels)

    def predict(self, docs: Iterable[Doc]) -> list[numpy.ndarray]:
        """The best tag index per token, one array per doc."""
        docs = list(docs)
        if not any(len(doc) for doc in docs):
            return [numpy.zeros((len(doc),), dtype="i") for doc in docs]
        scores = self.model.predict(docs)
        return [self.model.ops.to_numpy(s).argmax(axis=1) for s in scores]

    def set_annotations(self, docs: Iterable[Doc], tag_ids: list[numpy.ndarray]) -> None:
        """Write the tagged entities to ``doc.spans[spans_key]``."""
        tags = self.tags
        for doc, ids in zip(docs, tag_ids, strict=True):
            found = spans_from_tags([tags[int(i)] for i in ids])
            doc.spans[self.cfg["spans_key"]] = [Span(doc, s, e, label=lab) for s, e, lab in found]

    def _require_teacher(self) -> Language:
        if self.teacher is None:
            raise ValueError(
                f"[{self.name}] has no teacher to learn from: initialize it with "
                f"[initialize.components.{self.name}] teacher = PATH (a pipeline whose "
                "entities it should reproduce, e.g. models/base-de-wordfreq)"
            )
        return self.teacher

    def teacher_tags(self, docs: list[Doc]) -> list[numpy.ndarray]:
        """The teacher's BIO tag index per token of each doc (cached per token sequence,
        since training shows the same texts many times)."""
        keys = [tuple(t.text for t in doc) for doc in docs]
        missing = [i for i, key in enumerate(keys) if key not in self._teacher_tags]
        if missing:
            found = entities_of(self._require_teacher(), [docs[i] for i in missing])
            index = {tag: i for i, tag in enumerate(self.tags)}
            for i, ents in zip(missing, found, strict=True):
                ids = numpy.zeros((len(docs[i]),), dtype="i")
                for start, end, label in ents:
                    if f"B-{label}" in index:
                        ids[start] = index[f"B-{label}"]
                        ids[start + 1 : end] = index[f"I-{label}"]
                self._teacher_tags[keys[i]] = ids
        return [self._teacher_tags[key] for key in keys]

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optimizer | None = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        """Learn the teacher's tags on the predicted docs of ``examples`` and write the
        tags predicted in this pass to them (``drop``: dropout rate for this update)."""
        examples = list(examples)
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        validate_get_examples(lambda: examples, "GenericTagger.update")
        docs = [eg.predicted for eg in examples]
        if not any(len(doc) for doc in docs):
            return losses
        set_dropout_rate(self.model, drop)
        scores, backprop = self.model.begin_update(docs)
        loss, d_scores = self.get_loss(examples, scores)
        backprop(d_scores)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        self.set_annotations(docs, [self.model.ops.to_numpy(s).argmax(axis=1) for s in scores])
        return losses

    def get_loss(
        self, examples: Iterable[Example], scores: list[Floats2d]
    ) -> tuple[float, list[Floats2d]]:
        """Cross-entropy between the tag distributions and the teacher's tags, times
        ``loss_weight``."""
        gold = self.teacher_tags([eg.predicted for eg in examples])
        loss = 0.0
        d_scores = []
        for probs, ids in zip(scores, gold, strict=True):
            d = self.model.ops.to_numpy(probs).copy()
            rows = numpy.arange(len(ids))
            loss -= float(numpy.log(numpy.clip(d[rows, ids], 1e-9, None)).sum())
            d[rows, ids] -= 1.0
            d_scores.append(self.model.ops.asarray2f(d * self.loss_weight))
        return loss * self.loss_weight, d_scores

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        teacher: str | None = None,
        labels: list[str] | None = None,
    ) -> None:
        """Load the teacher pipeline (a directory or an installed package), take its NER
        labels (or ``labels``) and initialize the model."""
        validate_get_examples(get_examples, "GenericTagger.initialize")
        if teacher is not None:
            self.teacher = spacy.load(teacher)
            self._teacher_tags = {}
        if labels is None:
            teacher_nlp = self._require_teacher()
            if "ner" not in teacher_nlp.pipe_names:
                raise ValueError(
                    f"[{self.name}] the teacher {teacher or teacher_nlp.meta['name']} has no "
                    f"'ner' component: give [initialize.components.{self.name}] labels = [...]"
                )
            labels = list(teacher_nlp.get_pipe("ner").labels)  # type: ignore[attr-defined]
        self.cfg["labels"] = sorted(labels)
        docs = [eg.predicted for eg in list(get_examples())[:10]]
        n_tags = len(self.tags)
        self.model.get_ref("output_layer").set_dim("nO", n_tags)
        if docs:
            self.model.initialize(
                X=docs, Y=[self.model.ops.alloc2f(len(doc), n_tags) for doc in docs]
            )
        else:
            self.model.initialize()

    def add_label(self, label: str) -> int:
        """Labels come from the teacher; adding one is not supported."""
        raise NotImplementedError(f"[{self.name}] labels are set from the teacher at initialize")
