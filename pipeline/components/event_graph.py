"""``event_graph``: assemble ``doc._.event_graph`` from entities and relations.

Runs last. Stores the graph as node-link JSON in ``doc._.event_graph_data`` (so docs
stay serializable for ``n_process`` and ``DocBin``); ``doc._.event_graph`` returns it
as a networkx ``MultiDiGraph``. See :mod:`pipeline.graph.build` for how mentions merge.
"""

from __future__ import annotations

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc

from pipeline import extensions
from pipeline.corpus.docbin import doc_to_document
from pipeline.graph.build import build_graph, graph_to_data
from pipeline.relation_candidates import sentence_ids

extensions.register_extensions()


@Language.factory(
    "event_graph",
    requires=["doc.ents", "doc._.relations"],
    assigns=["doc._.event_graph_data"],
)
def make_event_graph(nlp: Language, name: str) -> EventGraph:
    """Create an :class:`EventGraph` component."""
    return EventGraph(name)


def sentence_ranges(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the doc's sentences (as the relation extractor sees them)."""
    ids = sentence_ids(doc)
    offsets = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
    ranges: list[tuple[int, int]] = []
    for i, (idx, length) in enumerate(offsets):
        if i == 0 or ids[i] != ids[i - 1]:
            ranges.append((idx, idx + length))
        else:
            ranges[-1] = (ranges[-1][0], idx + length)
    return ranges


def relation_scores_by_id(doc: Doc) -> dict[tuple[str, str, str], float]:
    """``doc._.relation_scores`` keyed by ``(head id, tail id, type)``."""
    ids = doc._.entity_ids or []
    id_of = {(e.start, e.end): i for e, i in zip(doc.ents, ids, strict=False)}
    out: dict[tuple[str, str, str], float] = {}
    for item in doc._.relation_scores or []:
        head = id_of.get(tuple(item["head"]))
        tail = id_of.get(tuple(item["tail"]))
        if head is not None and tail is not None:
            for label, score in item["scores"].items():
                out[(head, tail, label)] = score
    return out


class EventGraph:
    """Pipeline component that builds each doc's event graph."""

    def __init__(self, name: str = "event_graph") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.event_graph_data``."""
        graph = build_graph(
            doc_to_document(doc),
            scores=relation_scores_by_id(doc),
            sentences=sentence_ranges(doc),
        )
        doc._.event_graph_data = graph_to_data(graph)
        return doc
