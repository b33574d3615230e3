"""Merge document event graphs into one corpus graph.

Entity nodes with the same name (``DRIVER:Alex Popow``) become one node, whose
``mentions`` and ``docs`` are the union of the documents'. A driver known in some
document only by a surname (``DRIVER:Popow``) merges into the one full name of the
corpus that ends with it; where several full names fit, it stays apart. Incident
nodes are per document and never merge. Every edge is kept (a ``MultiDiGraph``), with
its document.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from pipeline import schema


def _union(a: list[str], b: list[str]) -> list[str]:
    return a + [x for x in b if x not in a]


def merge_graphs(graphs: Iterable[nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """One corpus graph from document graphs."""
    corpus = nx.MultiDiGraph(doc_ids=[])
    for graph in graphs:
        corpus.graph["doc_ids"] = _union(corpus.graph["doc_ids"], graph.graph.get("doc_ids", []))
        for node, attrs in graph.nodes(data=True):
            if node in corpus:
                mine = corpus.nodes[node]
                mine["mentions"] = _union(mine["mentions"], attrs.get("mentions", []))
                mine["docs"] = _union(mine["docs"], attrs.get("docs", []))
            else:
                corpus.add_node(node, **{**attrs, "mentions": list(attrs.get("mentions", []))})
        for head, tail, key, attrs in graph.edges(keys=True, data=True):
            corpus.add_edge(head, tail, key=f"{key}@{attrs.get('doc', '')}", **attrs)
    return _merge_surnames(corpus)


def _merge_surnames(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    drivers = [n for n, a in graph.nodes(data=True) if a.get("label") == schema.DRIVER]
    full_names: dict[str, list[str]] = {}
    for node in drivers:
        words = graph.nodes[node]["name"].split()
        if len(words) > 1:
            full_names.setdefault(words[-1].lower(), []).append(node)
    mapping: dict[str, str] = {}
    for node in drivers:
        words = graph.nodes[node]["name"].split()
        targets = full_names.get(words[-1].lower(), []) if len(words) == 1 else []
        if len(targets) == 1:
            mapping[node] = targets[0]
    if not mapping:
        return graph
    merged = nx.MultiDiGraph(**graph.graph)
    for node, attrs in graph.nodes(data=True):
        if node not in mapping:
            merged.add_node(node, **attrs)
    for node, target in mapping.items():
        mine, theirs = merged.nodes[target], graph.nodes[node]
        mine["mentions"] = _union(mine["mentions"], theirs["mentions"])
        mine["docs"] = _union(mine["docs"], theirs["docs"])
    for head, tail, key, attrs in graph.edges(keys=True, data=True):
        merged.add_edge(mapping.get(head, head), mapping.get(tail, tail), key=key, **attrs)
    return merged
