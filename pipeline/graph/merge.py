"""Merge document event graphs into one corpus graph.

Entity nodes with the same name (``DRIVER:Alex Popow``) become one node, whose
``mentions``, ``docs`` and ``langs`` are the union of the documents'. Names that differ
only in what :func:`racereport.graph.names.name_key` folds (case, accents, hyphens,
possessives, elisions, translated series names) merge too, across languages: the node
keeps the first name seen and lists the others under ``names``. A driver known in some
document only by a surname (``DRIVER:Popow``) merges into the one full name of the
corpus that ends with it; where several full names fit, it stays apart. Incident
nodes are per document and never merge. Every edge is kept (a ``MultiDiGraph``), with
its document.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from racereport import schema
from racereport.graph.names import fold, name_key


def _union(a: list[str], b: list[str]) -> list[str]:
    return a + [x for x in b if x not in a]


def merge_graphs(graphs: Iterable[nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """One corpus graph from document graphs."""
    corpus = nx.MultiDiGraph(doc_ids=[], langs=[])
    for graph in graphs:
        for field in ("doc_ids", "langs"):
            corpus.graph[field] = _union(corpus.graph[field], graph.graph.get(field, []))
        for node, attrs in graph.nodes(data=True):
            if node in corpus:
                mine = corpus.nodes[node]
                for field in ("mentions", "docs", "langs"):
                    mine[field] = _union(mine.get(field, []), attrs.get(field, []))
            else:
                corpus.add_node(node, **{**attrs, "mentions": list(attrs.get("mentions", []))})
        for head, tail, key, attrs in graph.edges(keys=True, data=True):
            corpus.add_edge(head, tail, key=f"{key}@{attrs.get('doc', '')}", **attrs)
    corpus = _apply(corpus, _variants(corpus))
    return _apply(corpus, _surnames(corpus))


def _variants(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Entity nodes -> the first node with the same :func:`name_key`."""
    first: dict[str, str] = {}
    mapping: dict[str, str] = {}
    for node, attrs in graph.nodes(data=True):
        if attrs.get("label") in (None, schema.INCIDENT):
            continue
        key = name_key(attrs["label"], node.split(":", 1)[1])
        if key in first:
            mapping[node] = first[key]
        else:
            first[key] = node
    return mapping


def _surnames(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Surname-only drivers -> the one full name of the corpus that ends with it."""
    drivers = [n for n, a in graph.nodes(data=True) if a.get("label") == schema.DRIVER]
    full_names: dict[str, list[str]] = {}
    for node in drivers:
        words = fold(graph.nodes[node]["name"]).split()
        if len(words) > 1:
            full_names.setdefault(words[-1], []).append(node)
    mapping: dict[str, str] = {}
    for node in drivers:
        words = fold(graph.nodes[node]["name"]).split()
        targets = full_names.get(words[-1], []) if len(words) == 1 else []
        if len(targets) == 1:
            mapping[node] = targets[0]
    return mapping


def _apply(graph: nx.MultiDiGraph, mapping: dict[str, str]) -> nx.MultiDiGraph:
    """``graph`` with each node of ``mapping`` merged into its target."""
    if not mapping:
        return graph
    merged = nx.MultiDiGraph(**graph.graph)
    for node, attrs in graph.nodes(data=True):
        if node not in mapping:
            merged.add_node(node, **attrs)
    for node, target in mapping.items():
        mine, theirs = merged.nodes[target], graph.nodes[node]
        for field in ("mentions", "docs", "langs"):
            mine[field] = _union(mine.get(field, []), theirs.get(field, []))
        if theirs["name"] != mine["name"]:
            mine["names"] = _union(mine.get("names", []), [theirs["name"]])
    for head, tail, key, attrs in graph.edges(keys=True, data=True):
        merged.add_edge(mapping.get(head, head), mapping.get(tail, tail), key=key, **attrs)
    return merged
