"""Custom attributes the project sets on spaCy objects.

Registered once on import (idempotent), so any module that reads or writes them
imports this module first.

- ``Doc._.doc_id``: the corpus document id (str or None).
- ``Doc._.doc_meta``: the document metadata (lang, series, register, date, source,
  provenance) as a JSON-compatible dict.
- ``Doc._.entity_ids``: the entity ids, aligned with ``doc.ents``.
- ``Doc._.relations``: relations as ``{"head": id, "tail": id, "label": str}`` dicts.
- ``Doc._.relation_scores``: the relation extractor's scores, one
  ``{"head": [start, end], "tail": [start, end], "scores": {type: score}}`` per
  candidate pair (token spans).
- ``Doc._.relation_candidates_cut``: candidate pairs the relation extractor left out
  because an entity had more than ``max_candidates_per_entity`` (0: none).
- ``Doc._.event_graph_data``: the event graph as node-link JSON (set by ``event_graph``).
- ``Doc._.event_graph``: that graph as a networkx ``MultiDiGraph`` (read-only; built
  from ``event_graph_data`` on access, so docs stay serializable).
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

_DOC_EXTENSIONS = {
    "doc_id": None,
    "doc_meta": None,
    "entity_ids": None,
    "relations": None,
    "relation_scores": None,
    "relation_candidates_cut": 0,
    "event_graph_data": None,
}


def _event_graph(doc: Doc) -> Any:
    from pipeline.graph.build import graph_from_data

    data = doc._.event_graph_data
    return None if data is None else graph_from_data(data)


def register_extensions() -> None:
    """Register the project's ``Doc`` extensions (safe to call repeatedly)."""
    for name, default in _DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Doc.has_extension("event_graph"):
        Doc.set_extension("event_graph", getter=_event_graph)


register_extensions()
