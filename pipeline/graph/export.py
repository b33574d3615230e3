"""Export event graphs: node-link JSON, GraphML and a self-contained HTML view."""

from __future__ import annotations

import html
import io
import json
from importlib import resources
from string import Template
from typing import Any

import networkx as nx

from racereport.graph.build import graph_to_data

FORMATS = ("json", "graphml", "html")

LABEL_COLOURS = {
    "DRIVER": "#1f77b4",
    "TEAM": "#2ca02c",
    "CAR": "#9467bd",
    "INCIDENT": "#d62728",
    "RACE": "#ff7f0e",
    "TRACK": "#8c564b",
    "SERIES": "#e377c2",
    "CLASS": "#17becf",
}


def to_json(graph: nx.MultiDiGraph) -> str:
    """Node-link JSON."""
    return json.dumps(graph_to_data(graph), ensure_ascii=False, indent=2)


def _scalar(value: Any) -> str | int | float | bool:
    if isinstance(value, (str, int, float, bool)):
        return value
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML; list attributes (``mentions``, ``docs``) are written as JSON strings and
    missing values as empty strings, since GraphML holds scalars only."""
    plain = nx.MultiDiGraph()
    for node, attrs in graph.nodes(data=True):
        plain.add_node(node, **{k: _scalar(v) for k, v in attrs.items()})
    for head, tail, key, attrs in graph.edges(keys=True, data=True):
        plain.add_edge(head, tail, key=str(key), **{k: _scalar(v) for k, v in attrs.items()})
    buffer = io.BytesIO()
    nx.write_graphml(plain, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


_TEMPLATE = "event_graph.html"
"""The HTML view's template (``string.Template``; package data next to this module)."""


def to_html(graph: nx.MultiDiGraph, title: str = "Event graph") -> str:
    """A self-contained HTML page (no external scripts) drawing the graph."""
    # "<" and ">" as JSON escapes: no text ("</script>", "<!--<script>") can end or
    # change the script element holding the data; "&" too, for good measure
    data = (
        json.dumps(graph_to_data(graph), ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    legend = "".join(
        f'<span style="color:{c}">&#9679; {label}</span>' for label, c in LABEL_COLOURS.items()
    )
    template = Template(resources.files("racereport.graph").joinpath(_TEMPLATE).read_text("utf-8"))
    return template.substitute(
        title=html.escape(title),
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        legend=legend,
        data=data,
        colours=json.dumps(LABEL_COLOURS),
    )


def export(graph: nx.MultiDiGraph, fmt: str, title: str = "Event graph") -> str:
    """The graph in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "json":
        return to_json(graph)
    if fmt == "graphml":
        return to_graphml(graph)
    if fmt == "html":
        return to_html(graph, title)
    raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(FORMATS)}")
