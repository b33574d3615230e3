"""``event_graph``: assemble ``doc._.racereport_event_graph`` from entities and relations.

Runs last. Stores the graph as node-link JSON in ``doc._.racereport_event_graph_data`` (so docs
stay serializable for ``n_process`` and ``DocBin``); ``doc._.racereport_event_graph`` returns it
as a networkx ``MultiDiGraph``. See :mod:`racereport.graph.build` for how mentions merge.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from racereport import extensions
from racereport.doc_records import doc_to_document
from racereport.extensions import iter_relation_scores
from racereport.graph.build import build_graph, graph_to_data
from racereport.relation_candidates import sentence_ids

extensions.register_extensions()


@Language.factory(
    "racereport_event_graph",
    requires=["doc.ents", "doc._.racereport_relations"],
    assigns=["doc._.racereport_event_graph_data"],
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


def relation_scores_by_id(
    doc: Doc,
    relations: list[dict[str, str]] | None = None,
    ents: Sequence[Span] | None = None,
) -> dict[tuple[str, str, str], float]:
    """Scores from ``doc._.racereport_relation_score_table`` keyed by ``(head id, tail
    id, type)``: of ``relations`` (default: every scored pair and type). ``ents``:
    ``doc.ents``, where the caller has it already."""
    ids = doc._.racereport_entity_ids or []
    ents = doc.ents if ents is None else ents
    span_of = {i: (e.start, e.end) for e, i in zip(ents, ids, strict=False)}
    id_of = {v: k for k, v in span_of.items()}
    wanted = (
        None
        if relations is None
        else {
            (*span_of[r["head"]], *span_of[r["tail"]])
            for r in relations
            if r["head"] in span_of and r["tail"] in span_of
        }
    )
    out: dict[tuple[str, str, str], float] = {}
    for (h0, h1, t0, t1), scores in iter_relation_scores(doc):
        if wanted is not None and (h0, h1, t0, t1) not in wanted:
            continue
        head, tail = id_of.get((h0, h1)), id_of.get((t0, t1))
        if head is not None and tail is not None:
            for label, score in scores.items():
                out[(head, tail, label)] = score
    return out


class EventGraph:
    """Pipeline component that builds each doc's event graph."""

    def __init__(self, name: str = "event_graph") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.racereport_event_graph_data``."""
        ents = doc.ents
        graph = build_graph(
            doc_to_document(doc, ents),
            scores=relation_scores_by_id(doc, doc._.racereport_relations or [], ents),
            sentences=sentence_ranges(doc),
        )
        doc._.racereport_event_graph_data = graph_to_data(graph)
        return doc
