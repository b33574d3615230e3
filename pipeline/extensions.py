"""Custom attributes the project sets on spaCy objects.

Registered once on import (idempotent), so any module that reads or writes them
imports this module first. Every name starts with ``racereport_`` so that other spaCy
packages' extensions (a ``relations`` of their own) cannot collide with them.

- ``Doc._.racereport_doc_id``: the corpus document id (str or None).
- ``Doc._.racereport_doc_meta``: the document metadata (lang, series, register, date, source,
  provenance) as a JSON-compatible dict.
- ``Doc._.racereport_entity_ids``: the entity ids, aligned with ``doc.ents``.
- ``Doc._.racereport_relations``: relations as ``{"head": id, "tail": id, "label": str}`` dicts.
- ``Doc._.racereport_relation_score_table``: the relation extractor's scores in compact form:
  ``{"labels": [type, ...], "pairs": [[head_start, head_end, tail_start, tail_end],
  ...], "scores": [[score per type], ...], "allowed": [[type index, ...], ...]}`` (token
  spans; one row per candidate pair; the types the pair's labels allow).
- ``Doc._.racereport_relation_scores``: the same as one ``{"head": [start, end], "tail": [start,
  end], "scores": {type: score}}`` per candidate pair, allowed types only (read-only;
  built from the table on access, so a pipeline run does not pay for it).
- ``Doc._.racereport_relation_candidates_cut``: candidate pairs the relation extractor left out
  because an entity had more than ``max_candidates_per_entity`` (0: none).
- ``Doc._.racereport_event_graph_data``: the event graph as node-link JSON (set by ``event_graph``).
- ``Doc._.racereport_event_graph``: that graph as a networkx ``MultiDiGraph`` (read-only; built
  from ``event_graph_data`` on access, so docs stay serializable).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spacy.tokens import Doc

SpanPair = tuple[int, ...]
"""``(head_start, head_end, tail_start, tail_end)`` in tokens."""

PREFIX = "racereport_"

_DOC_EXTENSIONS = {
    f"{PREFIX}doc_id": None,
    f"{PREFIX}doc_meta": None,
    f"{PREFIX}entity_ids": None,
    f"{PREFIX}relations": None,
    f"{PREFIX}relation_score_table": None,
    f"{PREFIX}relation_candidates_cut": 0,
    f"{PREFIX}event_graph_data": None,
}


def _event_graph(doc: Doc) -> Any:
    from racereport.graph.build import graph_from_data

    data = doc._.racereport_event_graph_data
    return None if data is None else graph_from_data(data)


def iter_relation_scores(doc: Doc) -> Iterator[tuple[SpanPair, dict[str, float]]]:
    """``((head_start, head_end, tail_start, tail_end), {type: score})`` per candidate
    pair of ``doc._.racereport_relation_score_table``, allowed types only."""
    table = doc._.racereport_relation_score_table
    if not table:
        return
    labels = table["labels"]
    for pair, scores, allowed in zip(
        table["pairs"], table["scores"], table["allowed"], strict=True
    ):
        yield tuple(pair), {labels[j]: scores[j] for j in allowed}


def _relation_scores(doc: Doc) -> list[dict[str, Any]] | None:
    if doc._.racereport_relation_score_table is None:
        return None
    return [
        {"head": [h0, h1], "tail": [t0, t1], "scores": scores}
        for (h0, h1, t0, t1), scores in iter_relation_scores(doc)
    ]


def register_extensions() -> None:
    """Register the project's ``Doc`` extensions (safe to call repeatedly)."""
    for name, default in _DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Doc.has_extension(f"{PREFIX}relation_scores"):
        Doc.set_extension(f"{PREFIX}relation_scores", getter=_relation_scores)
    if not Doc.has_extension(f"{PREFIX}event_graph"):
        Doc.set_extension(f"{PREFIX}event_graph", getter=_event_graph)


register_extensions()
