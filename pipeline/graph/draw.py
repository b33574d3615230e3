"""Draw an event graph with matplotlib (for notebooks)."""

from __future__ import annotations

from typing import Any

import networkx as nx

from racereport.graph.export import LABEL_COLOURS


def draw_graph(graph: nx.MultiDiGraph, ax: Any = None, seed: int = 2026) -> Any:
    """Draw ``graph`` (nodes coloured by label, edges labelled by relation type) on
    ``ax`` (a new figure's axes by default); returns the axes."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(10, 7))
    positions = nx.spring_layout(graph, seed=seed, k=1.2)
    colours = [LABEL_COLOURS.get(graph.nodes[n].get("label"), "#777777") for n in graph]
    names = {n: graph.nodes[n].get("name", n) for n in graph}
    nx.draw_networkx_nodes(graph, positions, node_color=colours, node_size=400, ax=ax)
    nx.draw_networkx_labels(graph, positions, labels=names, font_size=8, ax=ax)
    nx.draw_networkx_edges(graph, positions, ax=ax, arrows=True, edge_color="#999999")
    edge_labels = {(h, t): k for h, t, k in graph.edges(keys=True)}
    nx.draw_networkx_edge_labels(graph, positions, edge_labels=edge_labels, font_size=7, ax=ax)
    ax.set_axis_off()
    return ax
