"""``racereport_generic_entities``: the German base's real-text NER, kept as features.

The motorsport NER is fine-tuned on a small corpus; what the base pipeline learned from
real German news and Wikipedia (GermEval 2014, SmartData: persons, places,
organisations) is overwritten by that fine-tuning. This component keeps it: it holds a
frozen copy of a generic NER pipeline (``tok2vec`` + ``ner``, e.g. ``models/base-de``),
runs it on the same tokens and stores its entities as ``doc.spans[spans_key]``. The
motorsport NER reads them as features (``race.WithGenericEntities.v1``), so an unseen
name the generic NER calls a person is a strong DRIVER candidate, and an ordinary word
it leaves alone is not. The component is not trained: list it in ``[training]
annotating_components`` so that training documents carry its spans, and give the
generic pipeline at initialization (``[initialize.components.NAME] source``). It is
saved inside the pipeline (``NAME/generic``), so a trained pipeline needs nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, cast

import spacy
import srsly
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import load_model_from_config, minibatch
from thinc.api import Config

from racereport import schema

GENERIC_DIR = "generic"


def entities_of(generic: Language, docs: list[Doc]) -> list[list[tuple[int, int, str]]]:
    """The entities ``generic`` finds in each of ``docs`` (run on copies with the same
    tokens, so ``docs`` are not changed), as ``(start, end, label)`` token offsets."""
    copies = [
        Doc(generic.vocab, words=[t.text for t in d], spaces=[bool(t.whitespace_) for t in d])
        for d in docs
    ]
    for _, proc in generic.pipeline:
        copies = list(cast(Pipe, proc).pipe(copies, batch_size=max(len(copies), 1)))
    return [[(ent.start, ent.end, ent.label_) for ent in copy.ents] for copy in copies]


@Language.factory(
    "racereport_generic_entities",
    assigns=["doc.spans"],
    default_config={"spans_key": schema.GENERIC_SPANS_KEY, "batch_size": 64},
)
def make_generic_entities(
    nlp: Language, name: str, spans_key: str, batch_size: int
) -> GenericEntities:
    """Create a :class:`GenericEntities` component (empty until initialized or loaded)."""
    return GenericEntities(nlp.vocab, name, spans_key=spans_key, batch_size=batch_size)


class GenericEntities(Pipe):
    """Run a frozen generic NER pipeline and store its entities in ``doc.spans``."""

    def __init__(self, vocab: Any, name: str, *, spans_key: str, batch_size: int) -> None:
        self.vocab = vocab
        self.name = name
        self.spans_key = spans_key
        self.batch_size = batch_size
        self.generic: Language | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        """The generic NER's labels (empty before initialization)."""
        if self.generic is None or "ner" not in self.generic.pipe_names:
            return ()
        ner: Any = self.generic.get_pipe("ner")
        return tuple(ner.labels)

    def _require(self) -> Language:
        if self.generic is None:
            raise ValueError(
                f"[{self.name}] has no generic NER pipeline: initialize it with "
                f"[initialize.components.{self.name}] source = PATH (a pipeline with a "
                "'ner' component, e.g. models/base-de), or load a trained pipeline"
            )
        return self.generic

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        source: str | None = None,
    ) -> None:
        """Load the generic NER pipeline from ``source`` (a pipeline directory or an
        installed package); keeps an already loaded one when ``source`` is not given."""
        if source is not None:
            generic = spacy.load(source)
            if "ner" not in generic.pipe_names:
                raise ValueError(f"[{self.name}] {source} has no 'ner' component")
            self.generic = generic
        self._require()

    def _annotate(self, docs: list[Doc]) -> None:
        found = entities_of(self._require(), docs)
        for doc, ents in zip(docs, found, strict=True):
            doc.spans[self.spans_key] = [Span(doc, s, e, label=label) for s, e, label in ents]

    def __call__(self, doc: Doc) -> Doc:
        """Annotate one doc."""
        self._annotate([doc])
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """Annotate docs in batches of ``self.batch_size``."""
        for batch in minibatch(stream, size=self.batch_size):
            docs = list(batch)
            self._annotate(docs)
            yield from docs

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Save the generic pipeline under ``path/generic``."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        self._require().to_disk(folder / GENERIC_DIR)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> GenericEntities:
        """Load the generic pipeline saved by :meth:`to_disk`."""
        self.generic = spacy.load(Path(path) / GENERIC_DIR)
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The generic pipeline's config and weights as one msgpack message."""
        generic = self._require()
        return srsly.msgpack_dumps(
            {"config": generic.config.to_str(), "pipeline": generic.to_bytes()}
        )

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = ()) -> GenericEntities:
        """Restore what :meth:`to_bytes` wrote."""
        msg = srsly.msgpack_loads(bytes_data)
        config = Config().from_str(msg["config"])
        self.generic = load_model_from_config(config, auto_fill=True).from_bytes(msg["pipeline"])
        return self
